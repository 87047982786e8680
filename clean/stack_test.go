package clean

import (
	"math"
	"os"
	"strings"
	"testing"
)

const stackText = `Page title | Site
Home
News
About

A first paragraph of the article, long enough to be running text for the model.

A second paragraph goes on, with more words than a menu item ever has here.
Share on Facebook
© 2026 Site`

// The second-stage row holds the line features, then the first stage's
// probabilities around the line and over the page.
func TestStackFeatures(t *testing.T) {
	_, x := Featurize(stackText)
	n := len(x) / NumFeatures
	p := make([]float64, n)
	for k := range p {
		p[k] = 0.1
	}
	p[4], p[5] = 0.9, 0.8 // the two paragraphs
	s := StackFeatures(x, p)
	w := StackWidth()
	if len(s) != n*w || len(StackFeatureNames()) != w {
		t.Fatalf("rows of %d for %d lines, %d names", len(s), n, len(StackFeatureNames()))
	}
	col := func(name string) int {
		for i, f := range StackFeatureNames() {
			if f == name {
				return i
			}
		}
		t.Fatalf("no feature %q", name)
		return -1
	}
	for k := 0; k < n; k++ {
		r := s[k*w : (k+1)*w]
		for f := 0; f < NumFeatures; f++ {
			if r[f] != x[k*NumFeatures+f] {
				t.Fatalf("line %d feature %d changed", k, f)
			}
		}
		if r[col("p")] != float32(p[k]) {
			t.Errorf("line %d: p %v", k, r[col("p")])
		}
		in := r[col("in_region")] == 1
		if in != (k == 4 || k == 5) {
			t.Errorf("line %d: in_region %v", k, in)
		}
	}
	if got := s[5*w+col("p_prev")]; got != 0.9 {
		t.Errorf("p_prev of line 5 = %v", got)
	}
	if got := s[0*w+col("p_prev")]; got != -1 {
		t.Errorf("p_prev of line 0 = %v, want -1", got)
	}
	if got := s[col("doc_p_max")]; got != 0.9 {
		t.Errorf("doc_p_max = %v", got)
	}
}

// The expected-F1 threshold keeps the lines likely to be content and stops
// where adding a line costs more precision than it brings recall.
func TestExpectedThreshold(t *testing.T) {
	tests := []struct {
		p, size []float64
		want    float64
	}{
		{[]float64{0.9, 0.8, 0.1, 0.05}, []float64{1, 1, 1, 1}, 0.8},
		// a long likely line outweighs short unlikely ones
		{[]float64{0.2, 0.9, 0.3}, []float64{1, 100, 1}, 0.9},
		// a page where nothing is likely still keeps its best line
		{[]float64{0.05, 0.1, 0.02}, []float64{10, 10, 10}, 0.1},
	}
	for _, tt := range tests {
		if got := ExpectedThreshold(tt.p, tt.size); got != tt.want {
			t.Errorf("ExpectedThreshold(%v, %v) = %v, want %v", tt.p, tt.size, got, tt.want)
		}
	}
	if th, l := PageThreshold([]float64{0.9, 0.1}, []float64{1, 1}, 0.5, 0.4, 0); th != 0.5 || l != 0.4 {
		t.Errorf("PageThreshold with weight 0 = %v %v", th, l)
	}
	if th, l := PageThreshold([]float64{0.9, 0.1}, []float64{1, 1}, 0.5, 0.4, 1); th != 0.9 || math.Abs(l-0.8) > 1e-9 {
		t.Errorf("PageThreshold with weight 1 = %v %v, want 0.9 0.8", th, l)
	}
}

// A model whose second stage was trained on other features does not load.
func TestStage2Check(t *testing.T) {
	m := &Model{Features: FeatureNames(), Stage2: &Ensemble{}, Stage2Features: FeatureNames()}
	if err := m.Check(); err == nil {
		t.Error("a second stage with the wrong features passes Check")
	}
	m.Stage2Features = StackFeatureNames()
	if err := m.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
}

// A Cleaner scores lines exactly as the trainer's view of the model does:
// first-stage rows (Featurize, with the lexicon features the trainer fills
// in: TestLexiconFeaturesAgree checks them), the first stage's
// probabilities, the second-stage rows (StackFeatures).
func TestScoresMatchTrainerView(t *testing.T) {
	c := newTestCleaner(t)
	m := c.model
	if m.Stage2 == nil {
		t.Skip("the built-in model has no second stage")
	}
	// The seed and enough lines after it for several blocks of doc.x.
	seed, err := os.ReadFile("testdata/seed.txt")
	if err != nil {
		t.Fatal(err)
	}
	text := string(seed) + "\n" + strings.Repeat(stackText+"\n", 25)
	_, x := featurize(text, m.Lexicon)
	n := len(x) / NumFeatures
	p1 := make([]float64, n)
	for k := range p1 {
		p1[k] = m.Trees.Prob(x[k*NumFeatures : (k+1)*NumFeatures])
	}
	s := StackFeatures(x, p1)
	w := StackWidth()
	k := 0
	for _, d := range c.Lines(text) {
		if d.Blank {
			continue
		}
		want := m.Stage2.Prob(s[k*w : (k+1)*w])
		if math.Abs(d.Score-want) > 1e-5 {
			t.Errorf("line %d %q: cleaner %v, trainer's view %v", k, d.Text, d.Score, want)
		}
		k++
	}
}

// The first line is kept as the heading before kept content only when no
// later line repeats it.
func TestTitleHeading(t *testing.T) {
	tests := []struct {
		keep, forced []bool
		repeated     bool
		want         bool
	}{
		{[]bool{false, true}, []bool{false, false}, false, true},
		{[]bool{false, true}, []bool{false, false}, true, false},   // the body repeats the title
		{[]bool{false, false}, []bool{false, false}, false, false}, // no content after it
		{[]bool{false, true}, []bool{true, false}, false, false},   // a rule dropped it
	}
	for i, tt := range tests {
		keep := append([]bool(nil), tt.keep...)
		TitleHeading(keep, tt.forced, tt.repeated)
		if keep[0] != tt.want {
			t.Errorf("case %d: keep[0] = %v, want %v", i, keep[0], tt.want)
		}
	}
	if TitleRepeated("Big news today | Site\nHome\nBig news today\nText.") != true ||
		TitleRepeated("Big news today\nSomething else entirely\nText.") != false {
		t.Error("TitleRepeated")
	}
}
