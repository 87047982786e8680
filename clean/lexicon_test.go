package clean

import (
	"math"
	"testing"
)

// A Cleaner computes the lexicon features while it scans a line; the
// trainer computes them from LineBuckets and LexiconFeatures. Both must
// give the same numbers, or the trees would learn from other features than
// they are asked about.
func TestLexiconFeaturesAgree(t *testing.T) {
	lex := make([]byte, 1<<LexiconBits)
	for b := range lex {
		lex[b] = byte(b*7 + b>>5) // any weights, different per bucket
	}
	text := "Add to cart\n\nÉtiquette: 42 €\n  \nThe hikers walked on, because the storm had passed.\nSKU\n---\n"
	_, x := featurize(text, lex)
	buckets := LineBuckets(text)
	if len(buckets)*NumFeatures != len(x) {
		t.Fatalf("%d bucket rows, %d feature rows", len(buckets), len(x)/NumFeatures)
	}
	for k, bs := range buckets {
		vals := make([]byte, len(bs))
		for j, b := range bs {
			vals[j] = lex[b]
		}
		mean, lo, hi := LexiconFeatures(vals)
		row := x[k*NumFeatures+LexiconColumn:]
		if row[0] != mean || row[1] != lo || row[2] != hi {
			t.Errorf("row %d: scanned %v %v %v, from buckets %v %v %v", k, row[0], row[1], row[2], mean, lo, hi)
		}
	}
	// The context features: the trainer fills them from the rows'
	// lexicon features with LexiconContext.
	y := append([]float32(nil), x...)
	for k := range buckets {
		for j := range 3 {
			y[k*NumFeatures+lexContextColumn+j] = -9
		}
	}
	LexiconContext(y)
	for i := range x {
		if x[i] != y[i] {
			t.Errorf("row %d feature %s: scanned %v, LexiconContext %v", i/NumFeatures, featureNames[i%NumFeatures], x[i], y[i])
		}
	}
	if len(buckets[0]) != 3 || len(buckets[4]) != 0 {
		t.Errorf("words per line %d and %d, want 3 and 0", len(buckets[0]), len(buckets[4]))
	}
	// Without a lexicon the features are 0.
	_, x = Featurize(text)
	for k := range buckets {
		for j := range 6 {
			if v := x[k*NumFeatures+LexiconColumn+j]; v != 0 {
				t.Errorf("row %d lexicon feature %d = %v without a lexicon", k, j, v)
			}
		}
	}
}

func TestLexiconByte(t *testing.T) {
	for _, c := range []struct {
		w    float64
		want byte
	}{{0, 128}, {1, 128 + LexiconScale}, {-2.5, 88}, {100, 255}, {-100, 0}, {math.NaN(), 128}} {
		if got := LexiconByte(c.w); got != c.want {
			t.Errorf("LexiconByte(%v) = %d, want %d", c.w, got, c.want)
		}
	}
	mean, lo, hi := LexiconFeatures([]byte{128 + 32, 128 - 16, 128})
	if mean != float32(16)/3/LexiconScale || lo != -1 || hi != 2 {
		t.Errorf("LexiconFeatures = %v %v %v", mean, lo, hi)
	}
}

// The context features read the lexicon of the short lines before and
// after a line (each nearer one weighing twice the one before it) and of
// the lines within 5.
func TestLexiconContext(t *testing.T) {
	const n = 4
	x := make([]float32, n*NumFeatures)
	words := []float32{1, 3, 1, 1.5} // log_words: line 1 is not short
	lex := []float32{-2, 5, 4, 1}
	for k := range n {
		x[k*NumFeatures+1] = words[k]
		x[k*NumFeatures+LexiconColumn] = lex[k]
	}
	LexiconContext(x)
	want := [n][3]float32{
		{0, (0.5*(0.5*1) + 0.5*4), (5 + 4 + 1) / 3.0},
		{-1, 0.5*(0.5*1) + 0.5*4, (-2 + 4 + 1) / 3.0},
		{-1, 0.5, (-2 + 5 + 1) / 3.0},
		{0.5*-1 + 0.5*4, 0, (-2 + 5 + 4) / 3.0},
	}
	for k := range n {
		for j := range 3 {
			if got := x[k*NumFeatures+lexContextColumn+j]; math.Abs(float64(got-want[k][j])) > 1e-6 {
				t.Errorf("line %d %s = %v, want %v", k, featureNames[lexContextColumn+j], got, want[k][j])
			}
		}
	}
}
