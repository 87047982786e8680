package clean

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

func newTestCleaner(t testing.TB) *Cleaner {
	t.Helper()
	c, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The seed document of the project: a news article whose extraction kept a
// related link, a newsletter form, a copyright line, a social prompt and a
// cookie banner. The cleaner must leave exactly the expected file.
func TestSeed(t *testing.T) {
	in, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("testdata/seed.expected.txt")
	if err != nil {
		t.Fatal(err)
	}
	c := newTestCleaner(t)
	if got := c.Clean(string(in)); got != string(want) {
		for _, d := range c.Lines(string(in)) {
			t.Logf("%v %.3f %-12s %q", d.Keep, d.Score, d.Reason, d.Text)
		}
		t.Fatalf("seed: got\n%s\nwant\n%s", got, want)
	}
	// The same page with CRLF line ends comes out with CRLF line ends.
	crlf := strings.ReplaceAll(string(in), "\n", "\r\n")
	if got, w := c.Clean(crlf), strings.ReplaceAll(string(want), "\n", "\r\n"); got != w {
		t.Fatalf("seed with CRLF: got %q, want %q", got, w)
	}
}

// assemble keeps kept lines byte for byte and collapses the blank runs that
// dropped lines leave behind.
func TestAssemble(t *testing.T) {
	tests := []struct {
		name string
		text string
		keep string // one 'k' or '-' per line; blank lines' flags are ignored
		want string
	}{
		{"all kept", "a\nb\n", "kk", "a\nb\n"},
		{"no final newline", "a\nb", "kk", "a\nb"},
		{"last line dropped", "a\nb", "k-", "a\n"},
		{"paragraph kept", "a\n\nb\n", "k-k", "a\n\nb\n"},
		{"double blank kept as is", "a\n\n\nb\n", "k--k", "a\n\n\nb\n"},
		{"dropped between paragraphs", "a\n\nx\n\nb\n", "k-- -k", "a\n\nb\n"},
		{"dropped inside paragraph", "a\nx\nb\n", "k-k", "a\nb\n"},
		{"dropped then blank", "a\nx\n\nb\n", "k--k", "a\n\nb\n"},
		{"leading and trailing dropped", "x\n\na\n\ny\n", "--k--", "a\n"},
		{"crlf", "a\r\n\r\nx\r\n\r\nb\r\n", "k---k", "a\r\n\r\nb\r\n"},
		{"whitespace kept", "  a \t\n\u00a0\nb  ", "k-k", "  a \t\n\u00a0\nb  "},
		{"nothing kept", "x\ny\n", "--", ""},
		{"empty", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := splitLines(tt.text, nil)
			flags := strings.ReplaceAll(tt.keep, " ", "")
			if len(flags) != len(lines) {
				t.Fatalf("test has %d flags for %d lines", len(flags), len(lines))
			}
			keep := make([]bool, len(lines))
			for i := range keep {
				keep[i] = flags[i] == 'k'
			}
			if got := assemble(tt.text, lines, keep); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// Boilerplate phrases in short lines are dropped with their category, whatever
// the model says; the same words inside running text are not a reason to drop.
func TestRules(t *testing.T) {
	c := newTestCleaner(t)
	article := "The committee met on Tuesday to discuss the new budget, and its members agreed that the city should spend more on schools and parks next year."
	tests := []struct {
		line string
		want Category
	}{
		{"This website uses cookies. Click here to find out more.", Cookie},
		{"Accept cookies", Cookie},
		{"Subscribe to our newsletter", Newsletter},
		{"* indicates required", Newsletter},
		{"All rights reserved by Example Media.", Legal},
		{"© 2024 Example Media", Legal},
		{"Follow us on Twitter", Social},
		{"Read more: Ten things to do in Paris", Related},
		{"Sponsored content", Advertising},
		{"Leave a reply", CommentMeta},
		{"Skip to content", Navigation},
		// legal furniture in other languages
		{"Mentions légales", Legal},
		{"Tous droits réservés", Legal},
		{"Política de privacidad", Legal},
		{"Alle Rechte vorbehalten.", Legal},
		// a cookie notice is dropped up to twice RuleMaxWords words (14 here)
		{"We use cookies to give you the best experience. Accept all / Manage settings", Cookie},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			text := article + "\n" + tt.line + "\n" + article + "\n"
			d := c.Lines(text)
			if d[1].Keep || d[1].Reason != tt.want || !d[1].Forced {
				t.Errorf("%q: keep=%v reason=%v forced=%v, want dropped as %v", tt.line, d[1].Keep, d[1].Reason, d[1].Forced, tt.want)
			}
		})
	}
	long := "We asked readers whether they subscribe to a newsletter, and most of them said that they read it every week because it is short and useful to them."
	if d := c.Lines(article + "\n" + long + "\n" + article); d[1].Forced {
		t.Errorf("a long line mentioning a newsletter was dropped by rule")
	}
	// Only cookie notices get the longer limit: 14 words with another
	// strong phrase are left to the model.
	if d := c.Lines(article + "\nSubscribe to our newsletter and get the week's best stories in your inbox every Friday\n" + article); d[1].Forced {
		t.Errorf("a 15-word newsletter line was dropped by rule")
	}
	if d := c.Lines(article + "\n" + strings.Repeat("cookie ", 20) + "we use cookies to keep track of what you read and which pages you visit\n" + article); d[1].Forced {
		t.Errorf("a 35-word cookie line was dropped by rule")
	}
	cfg := DefaultConfig()
	cfg.Rules = false
	nr, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range nr.Lines(article + "\nAccept cookies\n") {
		if d.Forced {
			t.Errorf("rules off: line %q forced", d.Text)
		}
	}
}

// Process rewrites the text, logs every dropped line, and rejects a record
// with nothing left.
func TestProcess(t *testing.T) {
	c := newTestCleaner(t)
	in, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	want, _ := os.ReadFile("testdata/seed.expected.txt")
	r := &record.Record{Text: string(in)}
	if !c.Process(r) {
		t.Fatalf("seed rejected: %+v", r.Rejection)
	}
	if r.Text != string(want) {
		t.Fatalf("Process text differs from Clean")
	}
	if len(r.Removed) != 7 {
		t.Fatalf("removed %d lines, want 7: %+v", len(r.Removed), r.Removed)
	}
	lines := strings.Split(string(in), "\n")
	for _, rl := range r.Removed {
		if rl.Stage != "clean" || lines[rl.Line] != rl.Text || rl.Reason == "" || rl.Reason == "content" {
			t.Errorf("bad removed line %+v", rl)
		}
	}
	if got := r.Removed[len(r.Removed)-1].Reason; got != "cookie" {
		t.Errorf("cookie banner reason %q, want cookie", got)
	}

	for _, text := range []string{"", "\n\n", "Accept cookies\nAll rights reserved.\n"} {
		r := &record.Record{Text: text}
		if c.Process(r) || r.Rejection == nil || r.Rejection.Reason != "clean_empty" {
			t.Errorf("%q: want rejection clean_empty, got %+v", text, r.Rejection)
		}
	}
}

// Bad input never panics and kept bytes are never changed.
func TestBadInput(t *testing.T) {
	c := newTestCleaner(t)
	rng := rand.New(rand.NewPCG(1, 2))
	bin := make([]byte, 1<<16)
	for i := range bin {
		bin[i] = byte(rng.UintN(256))
	}
	tests := map[string]string{
		"invalid utf-8": "caf\xe9 au lait is a drink.\n\xff\xfe\xfd\n\xc3\x28 broken",
		"binary":        string(bin),
		"huge line":     strings.Repeat("word ", 1<<18),
		"nul bytes":     "a\x00b\x00\nc.\n",
		"only newlines": strings.Repeat("\n", 1000),
		"only \\r":      "\r\r\r",
		"many lines":    strings.Repeat("Home\nAbout us\nThe cat sat on the mat and looked at the dog.\n", 20000),
	}
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			out := c.Clean(text)
			// Every output line is an input line.
			in := map[string]bool{}
			for _, l := range strings.Split(text, "\n") {
				in[l] = true
			}
			for _, l := range strings.Split(out, "\n") {
				if l != "" && !in[l] {
					t.Fatalf("output line %.40q not in input", l)
				}
			}
			for _, d := range c.Lines(text) {
				if d.Score < 0 || d.Score > 1 || d.Score != d.Score {
					t.Fatalf("score %v out of range", d.Score)
				}
			}
		})
	}
}

// A Cleaner is safe for concurrent use: results do not depend on which
// goroutine runs them.
func TestConcurrent(t *testing.T) {
	c := newTestCleaner(t)
	texts := []string{}
	for i := 0; i < 16; i++ {
		texts = append(texts, sitePage(i).text)
	}
	want := make([]string, len(texts))
	for i, s := range texts {
		want[i] = c.Clean(s)
	}
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				i := (k + g) % len(texts)
				if got := c.Clean(texts[i]); got != want[i] {
					t.Errorf("page %d differs under concurrency", i)
				}
			}
		}()
	}
	wg.Wait()
}

func TestConfig(t *testing.T) {
	bad := []func(*Config){
		func(c *Config) { c.Threshold = 1.5 },
		func(c *Config) { c.Threshold = -0.1 },
		func(c *Config) { c.RuleMaxWords = -1 },
		func(c *Config) { c.Lead = 2 },
		func(c *Config) { c.Model = "testdata/no-such-model.json" },
	}
	for i, f := range bad {
		cfg := DefaultConfig()
		f(&cfg)
		if _, err := New(cfg); err == nil {
			t.Errorf("bad config %d accepted", i)
		}
	}
	c := newTestCleaner(t)
	if c.Name() != "clean" {
		t.Errorf("Name() = %q", c.Name())
	}
	for cat := Content; cat < numCategories; cat++ {
		if cat.String() == "" || cat.Label() == "" {
			t.Errorf("category %d has no name", cat)
		}
	}
}

// page is a generated page of a site: template lines around a unique article.
type page struct {
	text            string
	template, lines []string
}

var (
	subjects = strings.Fields("council engineers residents researchers teachers farmers officials volunteers doctors students")
	verbs    = strings.Fields("reviewed discussed approved questioned studied planned delayed funded rejected welcomed")
	objects  = strings.Fields("budget bridge school plan report project harbour hospital library railway")
	places   = strings.Fields("Leeds Porto Graz Lyon Turku Bergen Cork Ghent Brno Split")
)

// sitePage generates page i of a news site. Its article sentences are unique
// to the page; its template (menu, footer, a long publisher note that reads
// like content) is the same on every page.
func sitePage(i int) page {
	rng := rand.New(rand.NewPCG(uint64(i), 99))
	pick := func(s []string) string { return s[rng.IntN(len(s))] }
	template := []string{
		"Home", "News", "Sport", "Business", "Contact us",
		"The Riverside Courier is published every weekday by Riverside Media Limited, an independent company registered in the county.",
		"Riverside Courier, 12 Mill Street",
	}
	var lines []string
	title := fmt.Sprintf("The %s of %s %s the %s in article %d", pick(subjects), pick(places), pick(verbs), pick(objects), i)
	lines = append(lines, title)
	for p := 0; p < 5; p++ {
		var s []string
		for k := 0; k < 3; k++ {
			s = append(s, fmt.Sprintf("On day %d the %s in %s %s the %s, and they said that the %s would be ready before the end of the year.",
				rng.IntN(900)+p*1000+i*10000, pick(subjects), pick(places), pick(verbs), pick(objects), pick(objects)))
		}
		lines = append(lines, strings.Join(s, " "))
	}
	var b strings.Builder
	for _, l := range template[:5] {
		b.WriteString(l + "\n")
	}
	for _, l := range lines {
		b.WriteString(l + "\n\n")
	}
	for _, l := range template[5:] {
		b.WriteString(l + "\n")
	}
	return page{text: b.String(), template: template, lines: lines}
}

// Across a 500-page site the template lines are dropped, the long publisher
// note included, and every article line is kept.
func TestTemplateSite(t *testing.T) {
	cc, err := NewCorpus(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	const n = 500
	url := func(i int) string { return fmt.Sprintf("https://www.riverside-courier.example/news/%d", i) }
	for i := 0; i < n; i++ {
		if err := cc.Observe(&record.Record{URL: url(i), Text: sitePage(i).text}); err != nil {
			t.Fatal(err)
		}
	}
	if err := cc.Prepare(t.TempDir()); err != nil {
		t.Fatal(err)
	}
	if with, docs := cc.HostShare(url(0), "Home"); with != n || docs != n {
		t.Errorf("HostShare(Home) = %d of %d, want %d of %d", with, docs, n, n)
	}
	// Without the template signal, the publisher note looks like content.
	plain := newTestCleaner(t)
	note := sitePage(0).template[5]
	if !strings.Contains(plain.Clean(sitePage(0).text), note) {
		t.Logf("note: the per-page model drops the publisher note on its own")
	}
	for _, i := range []int{0, 1, 250, 499} {
		pg := sitePage(i)
		r := &record.Record{URL: url(i), Text: pg.text}
		if !cc.Process(r) {
			t.Fatalf("page %d rejected: %+v", i, r.Rejection)
		}
		for _, l := range pg.template {
			if strings.Contains(r.Text, l) {
				t.Errorf("page %d: template line %q kept", i, l)
			}
		}
		for _, l := range pg.lines {
			if !strings.Contains(r.Text, l) {
				t.Errorf("page %d: article line %.50q dropped", i, l)
			}
		}
		found := false
		for _, rl := range r.Removed {
			if rl.Text == note && rl.Reason == "template" {
				found = true
			}
		}
		if !found {
			t.Errorf("page %d: publisher note not logged as template: %+v", i, r.Removed)
		}
	}
	// Another host that shares none of the pages keeps its lines: the counts
	// are per host.
	r := &record.Record{URL: "https://other.example/a", Text: sitePage(3).text}
	cc.Process(r)
	if !strings.Contains(r.Text, note) {
		t.Errorf("other host: publisher note dropped although that host was never observed")
	}
}

func TestHostKey(t *testing.T) {
	same := [][2]string{
		{"https://www.example.com/a", "http://example.com/b?x=1"},
		{"https://EXAMPLE.com/", "https://example.com:8080/x"},
		{"", "::not a url"},
	}
	for _, p := range same {
		if hostKey(p[0]) != hostKey(p[1]) {
			t.Errorf("%q and %q should share a host key", p[0], p[1])
		}
	}
	if hostKey("https://a.example/") == hostKey("https://b.example/") {
		t.Errorf("different hosts share a key")
	}
}

// The sketch never undercounts.
func TestSketch(t *testing.T) {
	s := newSketch(10)
	truth := map[uint64]uint32{}
	rng := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 20000; i++ {
		k := uint64(rng.IntN(3000))
		truth[k]++
		s.add(k)
	}
	for k, n := range truth {
		if c := s.count(k); c < n {
			t.Fatalf("key %d: count %d < true %d", k, c, n)
		}
	}
}

func benchText() string {
	var b strings.Builder
	for i := 0; b.Len() < 4<<20; i++ {
		b.WriteString(sitePage(i).text)
	}
	return b.String()
}

// BenchmarkClean measures the cleaning stage on generated pages; compare it
// with BenchmarkSplitLines, plain line splitting of the same text (winnow
// bench clean does the same on real pages).
func BenchmarkClean(b *testing.B) {
	c := newTestCleaner(b)
	pages := make([]string, 0, 1000)
	total := 0
	for i := 0; total < 4<<20; i++ {
		pages = append(pages, sitePage(i).text)
		total += len(pages[i])
	}
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, p := range pages {
			c.Clean(p)
		}
	}
}

func BenchmarkSplitLines(b *testing.B) {
	text := benchText()
	b.SetBytes(int64(len(text)))
	n := 0
	for b.Loop() {
		for l := range strings.SplitSeq(text, "\n") {
			n += len(l) & 1
		}
	}
}

// Select keeps lines at or above the threshold, headings at or above lead
// right before kept lines, and with rel > 0 the best lines of a page that
// scores low throughout.
func TestSelect(t *testing.T) {
	tests := []struct {
		name         string
		p            []float64
		forced       string // 'f' where a rule dropped the line
		t, lead, rel float64
		want         string // 'k' kept, '-' dropped
	}{
		{"threshold", []float64{0.1, 0.5, 0.9, 0.49}, "....", 0.5, 0.5, 0, "-kk-"},
		{"lead before kept", []float64{0.35, 0.9, 0.35, 0.2}, "....", 0.5, 0.3, 0, "kk--"},
		{"lead chains backwards", []float64{0.35, 0.35, 0.9}, "...", 0.5, 0.3, 0, "kkk"},
		{"forced stays dropped", []float64{0.9, 0.9}, ".f", 0.5, 0.5, 0, "k-"},
		{"relative off", []float64{0.2, 0.3, 0.1}, "...", 0.5, 0.5, 0, "---"},
		{"relative on", []float64{0.2, 0.3, 0.1}, "...", 0.5, 0.5, 0.8, "-k-"},
		{"relative ignores forced", []float64{0.2, 0.9, 0.3}, ".f.", 0.5, 0.5, 0.9, "--k"},
		{"relative above threshold changes nothing", []float64{0.6, 0.9}, "..", 0.5, 0.5, 0.5, "kk"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forced := make([]bool, len(tt.p))
			for i := range forced {
				forced[i] = tt.forced[i] == 'f'
			}
			keep := make([]bool, len(tt.p))
			Select(tt.p, forced, tt.t, tt.lead, tt.rel, keep)
			got := ""
			for _, k := range keep {
				if k {
					got += "k"
				} else {
					got += "-"
				}
			}
			if got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

// FuzzClean: whatever the text, the cleaner does not panic, every output
// line is an input line (in order, byte for byte), every score is a
// probability, and Lines and Clean agree on what is kept.
func FuzzClean(f *testing.F) {
	for _, s := range []string{"", "\n", "Home\nAbout\nThe cat sat on the mat.\n",
		"caf\xe9\n\xff\xfe\n\r\n", strings.Repeat("Short\nA longer sentence of prose, with words.\n", 70)} {
		f.Add(s)
	}
	c := newTestCleaner(f)
	f.Fuzz(func(t *testing.T, text string) {
		out := c.Clean(text)
		var kept []string
		for _, d := range c.Lines(text) {
			if d.Score < 0 || d.Score > 1 || d.Score != d.Score {
				t.Fatalf("line %d: score %v", d.Line, d.Score)
			}
			if d.Keep {
				kept = append(kept, d.Text)
			}
		}
		var got []string
		for _, l := range strings.Split(out, "\n") {
			if strings.TrimSpace(l) != "" {
				// A line's "\r" before "\n" (or at the end) is its
				// terminator, which Decision.Text leaves out.
				got = append(got, strings.TrimSuffix(l, "\r"))
			}
		}
		var want []string
		for _, l := range kept {
			if strings.TrimSpace(l) != "" {
				want = append(want, l)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("Clean kept %q, Lines %q", got, want)
		}
	})
}

// Text the extract stage produced from HTML loses only what the phrase rules
// (and, in a corpus, the template signal) drop; the line model decides it
// only with ModelOnExtracted.
func TestExtractedText(t *testing.T) {
	const text = "Skip to main content\nMenu\nSearch\nLog in\n" +
		"Council approves new bus lanes for the city centre\n" +
		"The city council voted on Tuesday to add bus lanes to three streets in the centre, after a year of consultation with residents and shop owners.\n" +
		"The new lanes will open in the spring, the council said, and buses are expected to save four minutes on the busiest route at peak hours.\n" +
		"Related articles\nMost read\nShare this article\nAll rights reserved.\n"
	ruled := []string{"Related articles", "Share this article", "All rights reserved."}
	modelled := []string{"Menu", "Search", "Log in"} // the model drops them
	run := func(cfg Config, extracted bool) *record.Record {
		t.Helper()
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		r := &record.Record{Text: text}
		if extracted {
			r.SetMeta(record.MetaExtractConfidence, 0.9)
		}
		if !c.Process(r) {
			t.Fatalf("rejected: %+v", r.Rejection)
		}
		return r
	}
	has := func(r *record.Record, line string) bool { return slices.Contains(strings.Split(r.Text, "\n"), line) }

	r := run(DefaultConfig(), true)
	for _, l := range modelled {
		if !has(r, l) {
			t.Errorf("extracted text lost %q, which only the model drops:\n%s", l, r.Text)
		}
	}
	for _, l := range ruled {
		if has(r, l) {
			t.Errorf("extracted text kept %q, which a phrase rule drops", l)
		}
	}
	if len(r.Removed) != len(ruled) {
		t.Errorf("removed %d lines, want %d: %+v", len(r.Removed), len(ruled), r.Removed)
	}

	cfg := DefaultConfig()
	cfg.ModelOnExtracted = true
	for _, r := range []*record.Record{run(DefaultConfig(), false), run(cfg, true)} {
		for _, l := range append(modelled, ruled...) {
			if has(r, l) {
				t.Errorf("text cleaned by the model kept %q:\n%s", l, r.Text)
			}
		}
	}
}
