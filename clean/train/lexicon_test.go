package train

import (
	"fmt"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/clean"
)

// A training page reads word weights counted without its own site, so a
// word only its site uses carries nothing for it; a page being scored reads
// the weights of the whole training set. "Zanzibar" is a content word of
// host0's pages only, "basket" a boilerplate word of every site.
func TestLexiconLeavesOneSiteOut(t *testing.T) {
	var pages []*Page
	for i := range 12 {
		host := fmt.Sprintf("host%d.com", i%4)
		para := "The ferry left the harbour at dawn and the crossing took most of the day."
		if i%4 == 0 {
			para = "Zanzibar Zanzibar Zanzibar"
		}
		pages = append(pages, &Page{Text: strings.Join([]string{"Home", para, "Add to basket"}, "\n"), Labels: []int{0, 1, 0}, Group: host})
	}
	prm := DefaultParams()
	prm.SpanWeight = 0
	fs := featurize(pages, 3, prm)
	mean := func(i, row int) float32 { return fs[i].x[row*clean.NumFeatures+clean.LexiconColumn] }

	// Pages 0..7 train; 8..11 are scored. Page 8 is host0's.
	lex := setLexicon(fs, len(pages), func(i int) bool { return i < 8 })
	if len(lex) != 1<<clean.LexiconBits {
		t.Fatalf("lexicon of %d bytes", len(lex))
	}
	if got := mean(0, 1); got != 0 {
		t.Errorf("training page of host0: Zanzibar weighs %v, want 0 (only its own site uses it)", got)
	}
	if got := mean(8, 1); got <= 0 {
		t.Errorf("scored page of host0: Zanzibar weighs %v, want > 0", got)
	}
	for _, i := range []int{0, 1, 8} {
		if got := mean(i, 2); got >= 0 {
			t.Errorf("page %d: 'Add to basket' weighs %v, want < 0", i, got)
		}
	}
	// Training on everything, as the shipped model does, host0's own
	// pages still read Zanzibar at 0, and the lexicon counts it.
	lex = setLexicon(fs, len(pages), func(int) bool { return true })
	if got := mean(8, 1); got != 0 {
		t.Errorf("training page of host0: Zanzibar weighs %v, want 0", got)
	}
	var vals []byte
	for _, b := range clean.LineBuckets("Zanzibar")[0] {
		vals = append(vals, lex[b])
	}
	if m, _, _ := clean.LexiconFeatures(vals); m <= 0 {
		t.Errorf("the lexicon weighs Zanzibar %v, want > 0", m)
	}
}
