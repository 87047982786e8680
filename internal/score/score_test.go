package score

import (
	"math"
	"reflect"
	"testing"
)

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"Hello, world!", []string{"Hello", "world"}},
		{"snake_case x2 — déjà vu", []string{"snake_case", "x2", "déjà", "vu"}},
		{"日本語 テキスト", []string{"日本語", "テキスト"}},
	}
	for _, tt := range tests {
		if got := Words(tt.in); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestWordPRF(t *testing.T) {
	tests := []struct {
		pred, truth string
		p, r        float64
	}{
		{"", "", 1, 1},
		{"a", "", 0, 0},
		{"", "a", 0, 0},
		{"The cat sat", "the cat", 2.0 / 3, 1},
		{"a a a", "a b", 1.0 / 3, 0.5},
	}
	for _, tt := range tests {
		p, r, f := WordPRF(tt.pred, tt.truth)
		if !near(p, tt.p) || !near(r, tt.r) {
			t.Errorf("WordPRF(%q,%q) = %v,%v want %v,%v", tt.pred, tt.truth, p, r, tt.p, tt.r)
		}
		if p+r > 0 && !near(f, 2*p*r/(p+r)) {
			t.Errorf("f1 %v", f)
		}
	}
}

func TestAEB(t *testing.T) {
	tests := []struct {
		pred, truth string
		tp, fp, fn  int
	}{
		{"", "", 0, 0, 0},
		{"one two", "one two", 1, 0, 0},
		{"a b c d e", "a b c d", 1, 1, 0},
		{"A b c d", "a b c d", 0, 1, 1}, // case kept
	}
	for _, tt := range tests {
		tp, fp, fn := AEBCounts(tt.pred, tt.truth)
		if tp != tt.tp || fp != tt.fp || fn != tt.fn {
			t.Errorf("AEBCounts(%q,%q) = %d,%d,%d want %d,%d,%d", tt.pred, tt.truth, tp, fp, fn, tt.tp, tt.fp, tt.fn)
		}
	}
	var tot AEBTotal
	tot.Add(1, 1, 0) // p=.5 r=1
	tot.Add(0, 0, 3) // p not counted, r=0
	tot.Add(0, 0, 0) // counted nowhere
	p, r, f := tot.PRF()
	if !near(p, 0.5) || !near(r, 0.5) || !near(f, 0.5) {
		t.Errorf("PRF = %v %v %v", p, r, f)
	}
}

func TestAccuracyAndSnippets(t *testing.T) {
	if !Accuracy("a, b", "a b") || Accuracy("a b", "a c") {
		t.Error("Accuracy")
	}
	if got := Snippets("Hello World", []string{"hello", "WORLD", "x"}); got != 2 {
		t.Errorf("Snippets = %d", got)
	}
}
