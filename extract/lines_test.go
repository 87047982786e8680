package extract

import (
	"strings"
	"testing"
)

func TestLineClassifiers(t *testing.T) {
	tests := []struct {
		line                           string
		boiler, date, price, url, stat bool
		forumStat                      bool
	}{
		{line: "Advertisement", boiler: true},
		{line: "Read more »", boiler: true},
		{line: "Click to expand...", boiler: true},
		{line: "Read more about the flood defences of the lower town"},
		{line: "Updated 5:27 am CST, Wednesday, November 20, 2019", date: true, stat: true, forumStat: true},
		{line: "2019-11-18T12:26:00+00:00", date: true, stat: true, forumStat: true},
		{line: "May the river never rise again"},
		{line: "Regular price €19,99 -20%", price: true},
		{line: "$124.93 - $155.00", date: true, price: true, stat: true, forumStat: true},
		{line: "Costs rose by 20% this year"},
		{line: "https://cdn.example.com/images/a.jpg", url: true},
		{line: "https://example.com is where we post updates"},
		{line: "Posts: 1,204 · Joined 2019", stat: true, forumStat: true},
		{line: "23.8k14 gold badges88 silver badges124 bronze badges", stat: true, forumStat: true},
		{line: "Senior Member", forumStat: true},
		{line: "42", date: true, stat: true, forumStat: true},
		{line: "Members like this recipe"},
		{line: "Table of Contents", boiler: true},
		{line: "Regular price", boiler: true},
		{line: "Regular prices apply to all members"},
		{line: "7 min read", boiler: true},
		{line: "Loaded 24 results", boiler: true},
		{line: "Sort: Best Match", boiler: true},
		{line: "Sorting the recycling takes a minute"},
		{line: "Oops! Something went wrong while submitting the form.", boiler: true},
	}
	for _, tc := range tests {
		if got := isBoilerLine(tc.line); got != tc.boiler {
			t.Errorf("isBoilerLine(%q) = %v", tc.line, got)
		}
		if got := isDateLine(tc.line); got != tc.date {
			t.Errorf("isDateLine(%q) = %v", tc.line, got)
		}
		if got := isPriceLine(tc.line); got != tc.price {
			t.Errorf("isPriceLine(%q) = %v", tc.line, got)
		}
		if got := isURLLine(tc.line); got != tc.url {
			t.Errorf("isURLLine(%q) = %v", tc.line, got)
		}
		if got := isStatLine(tc.line, false); got != tc.stat {
			t.Errorf("isStatLine(%q, false) = %v", tc.line, got)
		}
		if got := isStatLine(tc.line, true); got != tc.forumStat {
			t.Errorf("isStatLine(%q, true) = %v", tc.line, got)
		}
	}
}

func TestBoilerClass(t *testing.T) {
	tests := []struct {
		cid      string
		pageType string
		want     bool
	}{
		{"cookie-banner", "", true},
		{"site-header__nav", "", true},
		{"cookieconsent-popup", "", true},
		{"related-posts", "", true},
		{"comments-area", "article", true},
		{"comments-area", "forum", false},
		{"product-reviews", "product", true},
		{"product-reviews", "article", false},
		{"post-signature", "forum", true},
		{"signature", "article", false},
		{"page-content with-sidebar", "", false},
		{"sidebar", "", true},
		{"article-body", "", false},
		{"elementor-widget-text-editor", "", false},
		{"search-results", "", false},
		{"canvas-wrapper", "", false},
		{"social-share", "", true},
		{"social-media-embed", "", false},
		{"social-media-embed", "forum", false},
		{"", "", false},
	}
	for _, tc := range tests {
		if got := boilerClass(tc.cid, tc.pageType); got != tc.want {
			t.Errorf("boilerClass(%q, %q) = %v, want %v", tc.cid, tc.pageType, got, tc.want)
		}
	}
}

func TestDropRepeats(t *testing.T) {
	p := func(s string) Block { return Block{Kind: Paragraph, Text: s, chars: len(s)} }
	li := func(s string) Block { return Block{Kind: ListItem, Text: s, chars: len(s)} }
	long := "A paragraph long enough to count as a repeated teaser on its own."
	tests := []struct {
		name   string
		blocks []Block
		runs   bool
		want   []string
	}{
		{"long paragraph repeated", []Block{p(long), p("x"), p(long)}, false, []string{long, "x"}},
		{"short line repeated alone stays", []Block{p("Color: black"), p("Size"), p("Color: black")}, true,
			[]string{"Color: black", "Size", "Color: black"}},
		{"repeated section goes", []Block{p("Free shipping & returns"), p("Secure checkout"), p("Built to last"),
			p("Free shipping & returns"), p("Secure checkout")}, true,
			[]string{"Free shipping & returns", "Secure checkout", "Built to last"}},
		{"repeated section stays without runs", []Block{p("Free shipping & returns"), p("Secure checkout"),
			p("Free shipping & returns"), p("Secure checkout")}, false,
			[]string{"Free shipping & returns", "Secure checkout", "Free shipping & returns", "Secure checkout"}},
		{"list items repeat", []Block{li("Breakfast: oats with fruit"), li("Lunch: rice and beans"),
			li("Breakfast: oats with fruit"), li("Lunch: rice and beans")}, true,
			[]string{"Breakfast: oats with fruit", "Lunch: rice and beans", "Breakfast: oats with fruit", "Lunch: rice and beans"}},
		{"short run too small", []Block{p("Yes"), p("No"), p("Yes"), p("No")}, true, []string{"Yes", "No", "Yes", "No"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, b := range dropRepeats(tc.blocks, tc.runs) {
				got = append(got, b.Text)
			}
			if strings.Join(got, "|") != strings.Join(tc.want, "|") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestDropCopies(t *testing.T) {
	p := func(s string) Block { return Block{Kind: Paragraph, Text: s, chars: len(s)} }
	s1 := "The river rose three metres overnight, flooding the lower town and forcing hundreds of families to leave their homes before dawn on Tuesday."
	s2 := "Emergency crews worked through the morning to reinforce the levees, while volunteers filled sandbags at the community centre until noon."
	s3 := "Officials said the water should recede by the weekend, but warned that more rain was forecast for the mountains upstream of the town."
	long := s1 + " " + s2 + " " + s3
	variant := strings.Replace(long, "rain", "snow", 1)
	tests := []struct {
		name   string
		blocks []Block
		want   int // blocks kept
	}{
		{"whole text again in one block", []Block{p(s1), p(s2), p(s3), p(long)}, 3},
		{"text once", []Block{p(s1), p(s2), p(s3)}, 3},
		{"variant of one long paragraph stays", []Block{p(long), p(variant)}, 2},
		{"quotation of earlier posts stays", []Block{p(s1), p(s2), p(s3), {Kind: Quote, Text: s1 + " " + s2 + " " + s3}}, 4},
	}
	for _, tc := range tests {
		if got := len(dropCopies(tc.blocks)); got != tc.want {
			t.Errorf("%s: kept %d blocks, want %d", tc.name, got, tc.want)
		}
	}
}

func TestCreditLines(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Photo: Jane Doe, AP", true},
		{"Image: Rob Schultz / Foundry", true},
		{"Credit: Apple", true},
		{"The plague wiped out half of Europe in the 14th century (Image: GETTY)", true},
		{"Protesters do not want to lose their autonomy (Image: getty )", true},
		{"The core stage after the installation of its four engines. (credit: NASA)", true},
		{"image: nginx:1.14.2", false},
		{"Photos of the flood were shared by hundreds of residents on the town's page (see below)", false},
		{"The mayor (photo) spoke to reporters", false},
		{"Imagine: a town without floods", false},
	}
	for _, tc := range tests {
		if got := isCreditLine(tc.line); got != tc.want {
			t.Errorf("isCreditLine(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
	blocks := []Block{{Kind: Paragraph, Text: para1}, {Kind: Paragraph, Text: "Photo: Jane Doe, AP"}, {Kind: Code, Text: "Photo: x"}}
	got := dropCredits(blocks)
	if len(got) != 2 || got[0].Text != para1 || got[1].Kind != Code {
		t.Errorf("dropCredits = %v", got)
	}
}

func TestDek(t *testing.T) {
	const dek = "Crews worked through the night to hold the levees as the river rose three metres."
	title := Block{Kind: Heading, Level: 1, Text: "Flood hits town", idx: 0}
	body := Block{Kind: Paragraph, Text: para1, chars: len(para1), idx: 2}
	tests := []struct {
		name   string
		blocks []Block
		want   int32 // index of the dek, -1 for none
	}{
		{"a sentence under the title is its dek", []Block{title, {Kind: Heading, Level: 2, Text: dek, chars: len(dek), idx: 1}, body}, 1},
		{"a section heading is not", []Block{title, {Kind: Heading, Level: 2, Text: "At the levees", chars: 13, idx: 1}, body}, -1},
		{"a paragraph is not", []Block{title, {Kind: Paragraph, Text: dek, chars: len(dek), idx: 1}, body}, -1},
		{"nor a heading away from the title", []Block{title, body, {Kind: Heading, Level: 2, Text: dek, chars: len(dek), idx: 3}}, -1},
	}
	for _, tc := range tests {
		got := findDek(tc.blocks, "Flood hits town | Example News")
		if got != tc.want {
			t.Errorf("%s: findDek = %d, want %d", tc.name, got, tc.want)
		}
		st := &state{dek: got}
		if n := len(st.finish(tc.blocks)); got >= 0 && n != len(tc.blocks)-1 || got < 0 && n != len(tc.blocks) {
			t.Errorf("%s: finish left %d blocks", tc.name, n)
		}
	}
}
