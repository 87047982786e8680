package main

import (
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/internal/benchdata"
)

// TestPageBestThresholds checks the bound row of bench clean: each page's
// threshold is the one whose kept lines match its answer best, whatever
// the global decoding would choose.
func TestPageBestThresholds(t *testing.T) {
	page := func(lines []string, labels []int) (*devPage, []clean.Decision) {
		var main []string
		dec := make([]clean.Decision, len(lines))
		for i, l := range lines {
			dec[i] = clean.Decision{Line: i, Text: l}
			if labels[i] == 1 {
				main = append(main, l)
			}
		}
		return &devPage{CleanDevPage: benchdata.CleanDevPage{
			Text: strings.Join(lines, "\n"), Labels: labels, MainContent: strings.Join(main, "\n"),
		}}, dec
	}
	// Page a: its content scores low (0.3), its furniture lower (0.1): only
	// a threshold in (0.1, 0.3] keeps exactly the content.
	a, da := page([]string{"Home | About | Contact", "The river rose by two metres overnight and closed the old bridge.", "Follow us"}, []int{0, 1, 0})
	pa := []float64{0.1, 0.3, 0.1}
	// Page b: its furniture scores 0.6 and its content 0.9: the threshold
	// must be above 0.6.
	b, db := page([]string{"Subscribe to our newsletter today", "Volunteers filled sandbags along the quay until dawn on Sunday."}, []int{0, 1})
	pb := []float64{0.6, 0.9}
	got := pageBestThresholds([]*devPage{a, b}, [][]clean.Decision{da, db}, [][]float64{pa, pb})
	if got[0] <= 0.1 || got[0] > 0.3 {
		t.Errorf("page a: threshold %.2f, want in (0.1, 0.3]", got[0])
	}
	if got[1] <= 0.6 || got[1] > 0.9 {
		t.Errorf("page b: threshold %.2f, want in (0.6, 0.9]", got[1])
	}
	for i, pg := range []*devPage{a, b} {
		var s cleanScore
		s.add(pg, keepAt(pg, [][]clean.Decision{da, db}[i], [][]float64{pa, pb}[i], decoding{t: got[i], lead: got[i]}))
		if s.f != 1 {
			t.Errorf("page %d: word F1 %.3f at its best threshold, want 1", i, s.f)
		}
	}
}
