package extract

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// chromeHeavy wraps body in a page whose header and footer (landmarks of
// chrome) hold much more text than body.
func chromeHeavy(body string) string {
	var menu strings.Builder
	for k := range 40 {
		fmt.Fprintf(&menu, `<li><a href="/c/%d">Category number %d of the shop</a></li>`, k, k)
	}
	return `<html><head><title>Robot mowers</title></head><body><header><ul>` + menu.String() + `</ul></header>` +
		body + `<footer><ul>` + menu.String() + `</ul></footer></body></html>`
}

func TestClassKept(t *testing.T) {
	var grid strings.Builder
	for k := range 10 {
		fmt.Fprintf(&grid, `<div class="item"><a href="/p/%d"><h4>KR%d</h4><h3>Quiet autonomous mower for lawns up to %d acres</h3><span class="price">$ %d,999.99</span></a></div>`, k, 100+k, k+1, k+2)
	}
	var sections strings.Builder
	for k := range 12 {
		if k%3 == 0 {
			fmt.Fprintf(&sections, `<section><h2>Health %d</h2><div class="grid-items hide-ad">`, k/3)
		}
		fmt.Fprintf(&sections, `<div class="item"><a href="/a/%d"><h3>Measles is causing brain swelling in children, story %d</h3></a><p>Emily Mullin</p></div>`, k, k)
		if k%3 == 2 {
			sections.WriteString(`</div></section>`)
		}
	}
	tests := []struct {
		name    string
		body    string
		want    []string
		wantNot []string
	}{
		{
			// The grid is a tenth of the page, but most of what is
			// not header or footer: its class misnames it.
			name: "grid named related is most of the page",
			body: `<main><h1>Robotic lawn mowers</h1></main><section class="related-product">` + grid.String() + `</section>`,
			want: []string{"KR100", "Quiet autonomous mower for lawns up to 10 acres"},
		},
		{
			// Each section's grid is small; together they are the
			// page.
			name: "sections of grids named alike count together",
			body: `<main><h1>Science</h1>` + sections.String() + `</main>`,
			want: []string{"Health 0\n\nMeasles is causing brain swelling in children, story 0", "story 11"},
		},
		{
			name:    "related list beside a longer text goes",
			body:    `<main><h1>Robotic lawn mowers</h1><p>` + strings.Repeat(para1+" ", 6) + `</p></main><section class="related-product">` + grid.String() + `</section>`,
			want:    []string{"The river rose"},
			wantNot: []string{"KR100"},
		},
	}
	e := rulesOnly(t)
	for _, tc := range tests {
		res, _ := e.Extract([]byte(chromeHeavy(tc.body)), "https://example.com/mowers")

		for _, w := range tc.want {
			if !strings.Contains(res.Text, w) {
				t.Errorf("%s: text lacks %q:\n%s", tc.name, w, res.Text)
			}
		}
		for _, w := range tc.wantNot {
			if strings.Contains(res.Text, w) {
				t.Errorf("%s: text has %q:\n%s", tc.name, w, res.Text)
			}
		}
	}
}

func TestListingKeepsLinkLists(t *testing.T) {
	var items strings.Builder
	for k := range 5 {
		fmt.Fprintf(&items, `<li><a href="/science/2026/story-%d">Astronomers are closing in on the ninth planet, part %d</a></li>`, k, k)
	}
	const (
		intro1 = "Our science desk follows the researchers, missions and discoveries that change how we understand the world around us."
		intro2 = "Every week our reporters read the new papers, talk to the scientists behind them and explain what the results mean."
		intro3 = "Below are the latest stories from the desk, newest first, with our explainers and longer features further down."
	)
	body := `<main><h1>Science</h1><p>` + para1 + `</p><p>` + para2 + `</p><p>` + para3 + `</p><p>` + intro1 + `</p><p>` + intro2 + `</p><p>` + intro3 + `</p>` +
		`<h2>Latest stories</h2><ul class="stories">` + items.String() + `</ul></main>`
	e := rulesOnly(t)
	for _, tc := range []struct {
		url, pageType string
		kept          bool
	}{
		{"https://news.example.com/category/science/", "listing", true},
		{"https://news.example.com/2026/03/07/flood-hits-town", "article", false},
	} {
		res, _ := e.Extract([]byte(page(`<title>Science</title>`, body)), tc.url)
		if res.PageType != tc.pageType {
			t.Errorf("%s: page type %q, want %q", tc.url, res.PageType, tc.pageType)
		}
		if got := strings.Contains(res.Text, "ninth planet, part 3"); got != tc.kept {
			t.Errorf("%s (%s): headlines kept %v, want %v:\n%s", tc.url, res.PageType, got, tc.kept, res.Text)
		}
	}
}

func TestPolishListing(t *testing.T) {
	blk := func(kind Kind, s string) Block { return Block{Kind: kind, Text: s, chars: len(s)} }
	var items []Block
	for k := range 5 {
		items = append(items,
			blk(Heading, fmt.Sprintf("Measles is causing brain swelling in children, part %d", k)),
			blk(Paragraph, "Rate this book"),
			blk(Paragraph, fmt.Sprintf("By Dominic-Madori Davis, %d", k)))
	}
	// The teasers of the first items again, for small screens.
	items = append(items, blk(Paragraph, "By Dominic-Madori Davis, 0"), blk(Paragraph, "By Dominic-Madori Davis, 1"))
	for _, tc := range []struct {
		pageType         string
		rate, lastRepeat bool // "Rate this book" and the repeated bylines stay
	}{
		{"listing", false, false},
		{"collection", true, true},
	} {
		st := &state{sel: selection{mode: proseWeights}, dek: -1}
		st.res.PageType = tc.pageType
		text := renderText(st.polish(slices.Clone(items)))
		if got := strings.Contains(text, "Rate this book"); got != tc.rate {
			t.Errorf("%s: %q kept %v, want %v:\n%s", tc.pageType, "Rate this book", got, tc.rate, text)
		}
		if got := strings.HasSuffix(text, "Davis, 4\n\nBy Dominic-Madori Davis, 0\n\nBy Dominic-Madori Davis, 1"); got != tc.lastRepeat {
			t.Errorf("%s: repeated bylines kept %v, want %v:\n%s", tc.pageType, got, tc.lastRepeat, text)
		}
		if !strings.Contains(text, "brain swelling in children, part 4") {
			t.Errorf("%s: lost a headline:\n%s", tc.pageType, text)
		}
	}
}

func TestPreferMain(t *testing.T) {
	items := func(prefix string, n int) string {
		var b strings.Builder
		for k := range n {
			fmt.Fprintf(&b, `<section class="item"><a href="/p/%s-%d">%s product number %d</a><p>A tool that keeps your code reviews organized, item %d.</p></section>`, prefix, k, prefix, k, k)
		}
		return b.String()
	}
	html := `<html><head><title>Top products</title></head><body>` +
		`<main><h1>Top Products Launching Today</h1>` + items("Today", 6) + `</main>` +
		`<div class="more"><h2>Yesterday's Top Products</h2>` + items("Yesterday", 5) + `</div></body></html>`
	e := rulesOnly(t)
	res, _ := e.Extract([]byte(html), "https://www.example.com/")
	if !strings.Contains(res.Text, "Today product number 5") || strings.Contains(res.Text, "Yesterday product number 0") {
		t.Errorf("want the items of <main> alone (page type %s):\n%s", res.PageType, res.Text)
	}
}
