package extract

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/net/html"

	"github.com/winnow-corpus/winnow/record"
)

// page wraps body markup in a document with typical site chrome around it.
func page(head, body string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">` + head + `</head><body>
<header class="site-header"><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a></header>
<nav><ul><li><a href="/a">Politics</a></li><li><a href="/b">Sports</a></li><li><a href="/c">Weather</a></li></ul></nav>
<div id="cookie-banner"><p>We use cookies to improve your experience. Accept all cookies?</p></div>
` + body + `
<aside class="sidebar"><h3>Popular</h3><p>Something else entirely that is long enough to be a paragraph of its own here.</p></aside>
<footer><p>Copyright 2024 Example Corp. All rights reserved.</p><a href="/privacy">Privacy Policy</a></footer>
</body></html>`
}

const para1 = "The river rose three metres overnight, flooding the lower town and forcing hundreds of families to leave their homes before dawn."
const para2 = "Emergency crews worked through the morning to reinforce the levees, while volunteers filled sandbags at the community centre."
const para3 = "Officials said the water should recede by the weekend, but warned that more rain was forecast for the mountains upstream."

func TestExtract(t *testing.T) {
	article := page(`<title>Flood hits town | Example News</title>`,
		`<main><article><h1>Flood hits town</h1><p class="byline">By Jane Doe</p>
<p>`+para1+`</p><h2>Crews at work</h2><p>`+para2+`</p><ul><li>Bring water</li><li>Bring blankets</li></ul><p>`+para3+`</p>
<div class="share-buttons"><a href="/s/fb">Share on Facebook</a> <a href="/s/tw">Share on X</a></div>
</article></main>`)
	tests := []struct {
		name      string
		html      string
		want      []string // substrings of the text, in this order
		wantNot   []string
		wantTitle string
	}{
		{
			name:      "article without chrome",
			html:      article,
			want:      []string{para1, "Crews at work", para2, "Bring water\nBring blankets", para3},
			wantNot:   []string{"Politics", "cookies", "Copyright", "Privacy", "Share on", "Something else", "By Jane Doe", "Flood hits town"},
			wantTitle: "Flood hits town | Example News",
		},
		{
			name: "paragraphs separated by a blank line, headings on their own line",
			html: article,
			want: []string{para1 + "\n\nCrews at work\n\n" + para2},
		},
		{
			name: "code block kept with its line breaks",
			html: page("", `<article><p>`+para1+`</p><pre><code>func main() {
	fmt.Println("hi")
}</code></pre><p>`+para2+`</p></article>`),
			want: []string{"func main() {\n\tfmt.Println(\"hi\")\n}", para2},
		},
		{
			name: "table rows on their own lines",
			html: page("", `<article><p>`+para1+`</p><table><tr><th>City</th><th>Level</th></tr><tr><td>Lowtown</td><td>3.1 m</td></tr></table><p>`+para2+`</p></article>`),
			want: []string{"City | Level\nLowtown | 3.1 m"},
		},
		{
			name: "noscript parsed as markup",
			html: page("", `<noscript><div class="post"><p>`+para1+`</p><p>`+para2+`</p></div></noscript>`),
			want: []string{para1, para2},
		},
		{
			name:    "hidden and script content dropped",
			html:    page("", `<article><p>`+para1+`</p><p hidden>Secret text</p><span aria-hidden="true">icon</span><script>var x = "script text";</script><style>.a{}</style><p>`+para2+`</p></article>`),
			want:    []string{para1, para2},
			wantNot: []string{"Secret text", "script text", ".a{}"},
		},
		{
			name: "list of linked items kept on a listing page",
			html: page("", `<div class="results"><h2>Latest articles</h2><ul>
<li><a href="/1">How the levee system of the lower town was designed in 1952</a> <span>May 1</span></li>
<li><a href="/2">Volunteers fill ten thousand sandbags in a single afternoon</a> <span>May 2</span></li>
<li><a href="/3">What the forecast for the upstream mountains means for the valley</a> <span>May 3</span></li>
<li><a href="/4">Photos: the morning after the flood in the old market square</a> <span>May 4</span></li>
</ul></div>`),
			want:    []string{"How the levee system", "Volunteers fill", "What the forecast", "Photos: the morning"},
			wantNot: []string{"Politics", "Copyright"},
		},
		{
			name: "empty page",
			html: "",
		},
		{
			name: "text only",
			html: para1,
			want: []string{para1},
		},
	}
	ex, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := ex.Extract([]byte(tc.html), "https://example.com/news/flood")
			if err != nil {
				t.Fatal(err)
			}
			rest := res.Text
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("text lacks %q (in order)\ntext:\n%s", w, res.Text)
				}
				rest = rest[i+len(w):]
			}
			for _, w := range tc.wantNot {
				if strings.Contains(res.Text, w) {
					t.Errorf("text has %q\ntext:\n%s", w, res.Text)
				}
			}
			if tc.wantTitle != "" && res.Title != tc.wantTitle {
				t.Errorf("title %q, want %q", res.Title, tc.wantTitle)
			}
			if len(tc.want) == 0 && res.Text != "" {
				t.Errorf("text %q, want empty", res.Text)
			}
		})
	}
}

func TestMetadata(t *testing.T) {
	head := `<title>Doc title</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Meta Author">
<link rel="canonical" href="/news/flood">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"NewsArticle",
"headline":"LD headline","author":[{"@type":"Person","name":"Jane Doe"}],"datePublished":"2024-05-01T08:00:00Z"}]}</script>`
	ex, _ := New(DefaultConfig())
	res, _ := ex.Extract([]byte(page(head, "<article><p>"+para1+"</p></article>")), "https://example.com/x?y=1")
	want := Metadata{Title: "LD headline", Author: "Jane Doe", Date: "2024-05-01T08:00:00Z", SiteName: "Example News",
		CanonicalURL: "https://example.com/news/flood", LangHint: "en", PageType: "article"}
	m := res.Metadata
	got := Metadata{Title: m.Title, Author: m.Author, Date: m.Date, SiteName: m.SiteName,
		CanonicalURL: m.CanonicalURL, LangHint: m.LangHint, PageType: m.PageType}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("metadata\n got %+v\nwant %+v", got, want)
	}
	if res.Confidence <= 0 || res.Confidence > 1 {
		t.Errorf("confidence %v, want in (0,1]", res.Confidence)
	}
}

func TestJSONLDArticleBody(t *testing.T) {
	body := strings.Repeat(para1+"\n", 5)
	head := `<script type="application/ld+json">{"@type":"Article","articleBody":` + quoteJSON(body) + `}</script>`
	ex, _ := New(DefaultConfig())
	res, _ := ex.Extract([]byte(page(head, `<div id="app"><p>Loading the story, please wait for it.</p></div>`)), "")
	if strings.Count(res.Text, para1) != 5 {
		t.Errorf("articleBody not used; text:\n%s", res.Text)
	}
}

func quoteJSON(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func TestMarkdown(t *testing.T) {
	ex, _ := New(DefaultConfig())
	res, _ := ex.Extract([]byte(page("<title>T</title>", `<article><h2>Section</h2><p>`+para1+`</p><ul><li>one</li><li>two</li></ul><blockquote>`+para2+`</blockquote><pre>x := 1</pre></article>`)), "")
	want := "## Section\n\n" + para1 + "\n\n- one\n- two\n\n> " + para2 + "\n\n```\nx := 1\n```"
	if got := res.Markdown(); got != want {
		t.Errorf("markdown\n got %q\nwant %q", got, want)
	}
}

func TestBounds(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "<p>" + para1 + "</p>" + strings.Repeat("</div>", 100000)
	huge := "<html><body><article>" + strings.Repeat("<p>"+para1+"</p>\n", 200000) + "</article></body></html>"
	tests := []struct {
		name      string
		cfg       Config
		html      string
		truncated string
		want      string
	}{
		{"100,000 nested divs", DefaultConfig(), deep, "depth_limit", para1},
		{"100,000 unclosed spans", DefaultConfig(), strings.Repeat("<span>", 100000) + para1, "depth_limit", para1},
		{"input cut at max_input_bytes", Config{MaxInputBytes: 1 << 20}, huge, "input_bytes", para1},
		{"node limit", Config{MaxNodes: 5000, MaxInputBytes: 64 << 20}, huge, "node_limit", para1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ex, err := New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			// An article URL: the block model decides such pages.
			res, _ := ex.Extract([]byte(tc.html), "https://example.com/news/2024/flood")
			if d := time.Since(start); d > 20*time.Second {
				t.Errorf("took %v", d)
			}
			if res.Truncated != tc.truncated {
				t.Errorf("truncated %q, want %q", res.Truncated, tc.truncated)
			}
			if !strings.Contains(res.Text, tc.want) {
				t.Errorf("text lacks %q", tc.want)
			}
		})
	}
}

func TestDecode(t *testing.T) {
	tests := []struct {
		name        string
		page        []byte
		contentType string
		hint        string
		want        string
	}{
		{"utf-8", []byte("<p>caf\xc3\xa9</p>"), "", "", "<p>café</p>"},
		{"meta charset windows-1252", []byte(`<meta charset="windows-1252"><p>caf` + "\xe9</p>"), "", "", `<meta charset="windows-1252"><p>café</p>`},
		{"header charset", []byte("<p>caf\xe9</p>"), "text/html; charset=iso-8859-1", "", "<p>café</p>"},
		{"record charset hint", []byte("<p>\xcf\xf0\xe8\xe2\xe5\xf2</p>"), "text/html", "windows-1251", "<p>Привет</p>"},
		{"valid utf-8 beats a wrong meta", []byte(`<meta charset="iso-8859-1"><p>caf` + "\xc3\xa9</p>"), "", "", `<meta charset="iso-8859-1"><p>café</p>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(Decode(tc.page, tc.contentType, tc.hint)); got != tc.want {
				t.Errorf("Decode = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestProcess(t *testing.T) {
	ex, _ := New(DefaultConfig())
	tests := []struct {
		name       string
		rec        record.Record
		keep       bool
		reason     string
		wantText   string
		wantMetaKV map[string]any
	}{
		{
			name:       "html response",
			rec:        record.Record{URL: "https://example.com/news/flood", HTML: []byte(page("<title>Flood</title>", "<article><p>"+para1+"</p></article>")), ContentType: "text/html; charset=utf-8"},
			keep:       true,
			wantText:   para1,
			wantMetaKV: map[string]any{"title": "Flood", "page_type": "article", "lang_hint": "en"},
		},
		{
			name:   "not html",
			rec:    record.Record{HTML: []byte("%PDF-1.7 binary"), ContentType: "application/pdf"},
			reason: "extract_not_html",
		},
		{
			name:   "binary without content type",
			rec:    record.Record{HTML: []byte("\x00\x01\x02PNG")},
			reason: "extract_not_html",
		},
		{
			name:   "html without text",
			rec:    record.Record{HTML: []byte("<html><body><nav><a href=/>Home</a></nav><script>x()</script></body></html>"), ContentType: "text/html"},
			reason: "extract_empty",
		},
		{
			name:     "text record passes through",
			rec:      record.Record{Text: "already text"},
			keep:     true,
			wantText: "already text",
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.rec
			keep := ex.Process(&r)
			if keep != tc.keep {
				t.Fatalf("Process = %v, want %v (rejection %+v)", keep, tc.keep, r.Rejection)
			}
			if !keep && (r.Rejection == nil || r.Rejection.Reason != tc.reason || r.Rejection.Stage != "extract") {
				t.Fatalf("rejection %+v, want reason %q", r.Rejection, tc.reason)
			}
			if r.HTML != nil {
				t.Error("HTML not cleared")
			}
			if keep && r.Text != tc.wantText {
				t.Errorf("text %q, want %q", r.Text, tc.wantText)
			}
			for k, v := range tc.wantMetaKV {
				if r.Metadata[k] != v {
					t.Errorf("metadata[%q] = %v, want %v", k, r.Metadata[k], v)
				}
			}
		})
	}
	if ex.Name() != "extract" {
		t.Errorf("Name() = %q", ex.Name())
	}
}

func TestNewRejectsNegative(t *testing.T) {
	if _, err := New(Config{MaxInputBytes: -1}); err == nil {
		t.Error("New accepted a negative max_input_bytes")
	}
}

func FuzzExtract(f *testing.F) {
	f.Add([]byte(page("<title>t</title>", "<article><p>"+para1+"</p></article>")))
	f.Add([]byte("<table><tr><td><ul><li><p>a<td>b</table></li>"))
	f.Add([]byte("<noscript><p>x</noscript><svg><title>y</title></svg><pre>\n z</pre>"))
	f.Add([]byte("\xff\xfe<\x00p\x00>"))
	f.Add([]byte(`<script type="application/ld+json">{"@type":"Article","author":[[[["x"]]]],"articleBody":1}</script>`))
	f.Add([]byte(strings.Repeat("<div><a href=x>", 600) + "t"))
	// A product page whose JSON-LD description holds markup, a lone "<"
	// and entities (withProductDesc, descBlocks).
	f.Add([]byte(`<title>Oak stool</title><meta property="og:type" content="product"><script type="application/ld+json">` +
		`{"@type":"Product","name":"Oak stool","description":"<p>A stool of solid oak &amp; linseed oil,</p><ul><li>seat < 40 cm` +
		` high</li><li>made by hand in a small workshop near the river, sanded twice and waxed once more</ul>"}</script>` +
		`<h1>Oak stool</h1><p>$120</p><button>Add to cart</button>`))
	// Tabs that hold their panels (tabPanelHolders) and cards of long
	// links (cutLinkLists on service pages).
	f.Add([]byte(`<title>Services</title><main><div role="tablist"><button role="tab">A</button><div role="tabpanel"><p>` + para1 +
		`</p><div role="tablist"><div role="tabpanel">x</div></div></div></div><ul><li><a href="/a">` + para2 + `</a></li><li><a href="/b">` +
		para3 + `</a></li></ul></main>`))
	ex, _ := New(Config{MaxInputBytes: 1 << 16})
	f.Fuzz(func(t *testing.T, b []byte) {
		res, err := ex.Extract(Decode(b, "", ""), "http://example.com/")
		if err != nil {
			t.Fatal(err)
		}
		// An article URL takes the path of the block model.
		if _, err := ex.Extract(Decode(b, "", ""), "http://example.com/news/2024/x"); err != nil {
			t.Fatal(err)
		}
		if !utf8.ValidString(res.Text) {
			t.Errorf("invalid UTF-8 in text %q", res.Text)
		}
		_ = res.Markdown()
		if res.Confidence < 0 || res.Confidence > 1 {
			t.Errorf("confidence %v", res.Confidence)
		}
	})
}

// benchPage is a synthetic article page of about 60 kB.
func benchPage() []byte {
	var b strings.Builder
	b.WriteString(`<html><head><title>t</title></head><body><nav>`)
	for i := 0; i < 50; i++ {
		b.WriteString(`<a href="/x">Menu item</a> `)
	}
	b.WriteString(`</nav><div class="wrap"><article>`)
	for i := 0; i < 200; i++ {
		b.WriteString(`<p class="p">` + para1 + ` <a href="/y">link</a> ` + para2 + `</p>`)
	}
	b.WriteString(`</article></div><footer>f</footer></body></html>`)
	return []byte(b.String())
}

// BenchmarkExtract and BenchmarkParseReference measure the same page;
// compare their ns/op (the reference is golang.org/x/net/html parsing alone).
// `winnow bench extract` reports the same ratio on the benchmark pages.
func BenchmarkExtract(b *testing.B) {
	p := benchPage()
	ex, _ := New(DefaultConfig())
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		// An article URL: the block model decides.
		ex.Extract(p, "https://example.com/news/2024/flood")
	}
}

func BenchmarkParseReference(b *testing.B) {
	p := benchPage()
	b.SetBytes(int64(len(p)))
	for b.Loop() {
		html.ParseWithOptions(bytes.NewReader(p), html.ParseOptionEnableScripting(false))
	}
}
