package extract

import (
	"strings"
	"testing"
)

func TestDropCards(t *testing.T) {
	// card returns a teaser card linking to href.
	card := func(href, title, teaser string) string {
		return `<li class="item"><h3><a href="` + href + `">` + title + `</a></h3><p>` + teaser + `</p></li>`
	}
	cards := func(host string) string {
		return `<ul class="list">` +
			card(host+"/2024/dam-opens", "Dam opens its gates after a week of rain", "Engineers let the water out slowly.") +
			card(host+"/2024/school-closed", "Schools stay closed on Monday", "Parents are asked to keep children home.") +
			card(host+"/2024/roads", "Which roads are still closed", "A map of the closures, updated hourly.") +
			card(host+"/2024/help", "How to help the families", "Donations are collected at the town hall.") +
			`</ul>`
	}
	body := `<p>` + para1 + `</p><p>` + para2 + `</p><p>` + para3 + `</p><p>` + para1 + para2 + `</p>`
	head := `<title>Flood</title><meta property="og:type" content="article">`
	tests := []struct {
		name string
		html string
		url  string
		keep bool // the cards stay in the text
	}{
		{"teasers after the text, relative links", page(head, `<article>`+body+cards("")+`</article>`), "https://news.example.com/flood", false},
		{"teasers after the text, same site", page(head, `<article>`+body+cards("https://www.example.com")+`</article>`), "https://news.example.com/flood", false},
		{"links to other sites are the list the page is about", page(head, `<article>`+body+cards("https://other.org")+`</article>`), "https://news.example.com/flood", true},
		{"cards before little text are the content", page(head, `<article><p>Four stories.</p>`+cards("")+`</article>`), "https://news.example.com/flood", true},
		{"listing pages keep their cards", page(`<title>Flood</title>`, `<article>`+body+cards("")+`</article>`), "https://news.example.com/tag/flood", true},
	}
	// The rules alone: the block model revisits their choice.
	e := rulesOnly(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := e.Extract([]byte(tc.html), tc.url)
			got := strings.Contains(res.Text, "Engineers let the water out") || strings.Contains(res.Text, "Dam opens its gates")
			if got != tc.keep {
				t.Errorf("cards kept = %v, want %v; text:\n%s", got, tc.keep, res.Text)
			}
			if !strings.Contains(res.Text, "Four stories") && !strings.Contains(res.Text, para3) {
				t.Errorf("main text lost:\n%s", res.Text)
			}
		})
	}
}

func TestSameSite(t *testing.T) {
	tests := []struct {
		href, host string
		want       bool
	}{
		{"/news/a", "example.com", true},
		{"story.html", "example.com", true},
		{"https://www.example.com/a", "news.example.com", true},
		{"//cdn.example.com/a", "example.com", true},
		{"https://www.bbc.co.uk/a", "bbc.co.uk", true},
		{"https://www.itv.co.uk/a", "bbc.co.uk", false},
		{"https://other.org/a", "example.com", false},
		{"#top", "example.com", false},
		{"mailto:a@example.com", "example.com", false},
		{"https://other.org/a", "", true},
	}
	for _, tc := range tests {
		if got := sameSite(tc.href, tc.host); got != tc.want {
			t.Errorf("sameSite(%q, %q) = %v, want %v", tc.href, tc.host, got, tc.want)
		}
	}
}

func TestPageType(t *testing.T) {
	tests := []struct {
		name   string
		ld     []string
		ogType string
		url    string
		want   string
	}{
		{"news article", []string{"newsarticle"}, "", "https://example.com/2024/flood", "article"},
		{"docs marked as article", []string{"techarticle"}, "article", "https://docs.example.com/start/", "documentation"},
		{"docs path", nil, "article", "https://example.com/docs/install", "documentation"},
		{"forum before all", []string{"article"}, "", "https://forum.example.com/t/flood/12", "forum"},
		{"forum engine script", nil, "", "https://www.example.com/showthread.php?t=12", "forum"},
		{"product", []string{"product"}, "", "https://shop.example.com/x", "product"},
		{"shop product marked as article", nil, "article", "https://shop.example.com/product/mug", "product"},
		{"review of a product", []string{"review", "product"}, "article", "https://example.com/2024/mug-review", "article"},
		{"nothing known", nil, "", "https://example.com/", "page"},
	}
	for _, tc := range tests {
		m := Metadata{ldTypes: tc.ld, ogType: tc.ogType}
		if got := pageType(&m, tc.url); got != tc.want {
			t.Errorf("%s: pageType = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestQAComments(t *testing.T) {
	answer := `<div class="answer"><p>` + para1 + `</p><div class="comments"><p>Thanks, this solved my flooding problem at last, good answer.</p></div></div>`
	tests := []struct {
		name string
		qa   bool // the page declares itself a QAPage
		keep bool // the comment stays
	}{
		{"forum thread keeps comments", false, true},
		{"Q&A page drops comments", true, false},
	}
	e, _ := New(DefaultConfig())
	for _, tc := range tests {
		body := `<div class="question"><p>` + para2 + `</p></div>` + answer
		if tc.qa {
			body = `<div itemscope itemtype="https://schema.org/QAPage">` + body + `</div>`
		}
		res, _ := e.Extract([]byte(page("", body)), "https://forum.example.com/t/levees/3")
		if got := strings.Contains(res.Text, "solved my flooding"); got != tc.keep {
			t.Errorf("%s: comment kept = %v, want %v:\n%s", tc.name, got, tc.keep, res.Text)
		}
		if !strings.Contains(res.Text, para1) || !strings.Contains(res.Text, para2) {
			t.Errorf("%s: question or answer lost:\n%s", tc.name, res.Text)
		}
	}
}

func TestDropPostChrome(t *testing.T) {
	post := func(user, rank, body string) string {
		return `<div class="post"><div class="author"><b>` + user + `</b><div>` + rank + `</div><div>Joined: Oct 05, 2011</div></div>` +
			`<div class="body"><p>` + body + `</p><p>Quote</p></div></div>`
	}
	dialog := `<div style="display: none"><h2>Install the app</h2><p>Tap the share icon of your browser, then Add to Home Screen, and confirm with Add in the top-right corner.</p></div>`
	html := page(`<title>Which bread flour?</title>`, `<main>`+dialog+
		post("alice", "Bread Enthusiast", "I have been baking with a strong white flour from the mill down the road and want to try others.")+
		post("bob", "Bread Enthusiast", "A flour with more protein gives a chewier crumb; try one of twelve or thirteen percent.")+
		post("carol", "Newcomer", "I mix a little rye into the white flour, which gives the loaf more taste without making it dense.")+
		`</main>`)
	e := rulesOnly(t)
	res, _ := e.Extract([]byte(html), "https://forum.example.com/threads/which-bread-flour.12/")
	if res.PageType != "forum" {
		t.Fatalf("page type %q, want forum", res.PageType)
	}
	for _, s := range []string{"strong white flour", "chewier crumb", "little rye", "Newcomer"} {
		if !strings.Contains(res.Text, s) {
			t.Errorf("lost %q:\n%s", s, res.Text)
		}
	}
	for _, s := range []string{"Bread Enthusiast", "Joined", "Quote", "Home Screen"} {
		if strings.Contains(res.Text, s) {
			t.Errorf("kept %q:\n%s", s, res.Text)
		}
	}
}

func TestKeepNamed(t *testing.T) {
	const (
		shipping = "Orders placed before two in the afternoon leave our warehouse the same day, and returns are free within thirty days of delivery."
		points   = "Members earn one hundred and seventy points on this purchase, which can be spent on any later order in the shop."
		desc1    = "These open-back headphones use planar magnetic drivers with an ultra-thin diaphragm, which keeps distortion low at every volume."
		desc2    = "The headband is light and the ear pads are deep, so they stay comfortable through a long evening of listening."
	)
	info := `<div class="product-info"><h1>Open-back headphones</h1><p>` + points + `</p><p>` + shipping + `</p></div>`
	tests := []struct {
		name, html, url string
		kept            []string // texts that must stay
		gone            []string // texts that must go
	}{
		{"a description holding enough of the text is the content",
			page(`<title>Open-back headphones</title>`, `<main>`+info+`<div class="product__description rte"><p>`+desc1+`</p><p>`+desc2+`</p></div></main>`),
			"https://shop.example.com/products/open-back-headphones", []string{desc1, desc2}, []string{shipping, points}},
		{"a short description keeps the rest",
			page(`<title>Open-back headphones</title>`, `<main>`+info+`<div class="desc"><p>Planar magnetic, open back.</p></div></main>`),
			"https://shop.example.com/products/open-back-headphones", []string{shipping, points, "Planar magnetic"}, nil},
		{"service pages keep the rest",
			page(`<title>Open-back headphones</title>`, `<main>`+info+`<div class="product__description rte"><p>`+desc1+`</p><p>`+desc2+`</p></div></main>`),
			"https://www.example.com/services/headphone-repair", []string{desc1, shipping}, nil},
		{"an article keeps its body's container",
			page(`<title>Flood</title><meta property="og:type" content="article">`, `<article><div class="standfirst"><p>`+points+`</p><p>`+shipping+`</p></div>`+
				`<div class="entry-content"><p>`+para1+`</p><p>`+para2+`</p><p>`+para3+`</p></div></article>`),
			"https://news.example.com/2024/flood", []string{para1, para2, para3}, []string{shipping, points}},
		{"a thread keeps its posts' bodies",
			page(`<title>Which bread flour?</title>`, `<main>`+
				`<div class="message"><div class="message-user"><p>Alice has baked with the club since the spring of last year.</p></div><div class="message-body"><p>`+desc1+`</p></div></div>`+
				`<div class="message"><div class="message-user"><p>Bob moved from the city and now runs the village bakery.</p></div><div class="message-body"><p>`+desc2+`</p></div></div>`+
				`</main>`),
			"https://forum.example.com/threads/which-bread-flour.12/", []string{desc1, desc2}, []string{"since the spring", "village bakery"}},
		{"an article whose body's container holds little keeps the rest",
			page(`<title>Flood</title><meta property="og:type" content="article">`, `<article><p>`+para1+`</p><p>`+para2+`</p><p>`+para3+`</p>`+
				`<div class="entry-content"><p>`+points+`</p></div></article>`),
			"https://news.example.com/2024/flood", []string{para1, para3, points}, nil},
	}
	e := rulesOnly(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := e.Extract([]byte(tc.html), tc.url)
			keptGone(t, res, tc.kept, tc.gone)
		})
	}
}

func TestRelatedHeading(t *testing.T) {
	teaser := func(n string) string {
		return `<article class="post"><p>Another story ` + n + ` tells of a different town, far from the river, where the harvest came early this year and the fields were full.</p></article>`
	}
	tests := []struct {
		name       string
		html       string
		kept, gone []string
	}{
		{"a heading named related takes the posts after it",
			page(`<title>Flood</title><meta property="og:type" content="article">`, `<div id="primary"><article class="post"><h1>Flood</h1><p>`+para1+`</p></article>`+
				`<div class="postbox"><h3 class="relatedpoststitle">Leia também</h3>`+teaser("one")+teaser("two")+teaser("three")+teaser("four")+`</div></div>`),
			[]string{para1}, []string{"Another story", "Leia"}},
		{"a heading named so by its text keeps the paragraphs after it",
			page(`<title>Flood</title><meta property="og:type" content="article">`, `<article><p>`+para1+`</p>`+
				`<h2 id="recommended-providers">Recommended providers</h2><p>`+para2+`</p><p>`+para3+`</p><p>Take the ferry when the bridge is shut.</p></article>`),
			[]string{para1, para2, para3}, nil},
	}
	e := rulesOnly(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := e.Extract([]byte(tc.html), "https://news.example.com/2024/flood")
			keptGone(t, res, tc.kept, tc.gone)
		})
	}
}

// rulesOnly returns an Extractor without the block model: the tests of
// the rules see what the rules alone do.
func rulesOnly(t testing.TB) *Extractor {
	t.Helper()
	e, err := New(Config{RulesOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// keptGone reports each string of kept that res.Text lost and each string
// of gone that it kept.
func keptGone(t *testing.T, res Result, kept, gone []string) {
	t.Helper()
	for _, s := range kept {
		if !strings.Contains(res.Text, s) {
			t.Errorf("lost %q (page type %s):\n%s", s, res.PageType, res.Text)
		}
	}
	for _, s := range gone {
		if strings.Contains(res.Text, s) {
			t.Errorf("kept %q (page type %s):\n%s", s, res.PageType, res.Text)
		}
	}
}
