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

// TestWithTemplate checks the template row of bench clean: a line on three
// pages of one host is forced out on each of them, the same line on a page
// of another host is not, nor are the pages' own lines.
func TestWithTemplate(t *testing.T) {
	footer := "Copyright Valley Media Group, all rights kept"
	texts := []string{
		"The council met on Tuesday to discuss the new bridge.\n" + footer,
		"Local bakers won three prizes at the county fair this year.\n" + footer,
		"The library will open on Sundays from the first of May.\n" + footer,
		"A different site writes its own article about the weather.\n" + footer,
	}
	urls := []string{"https://valley.example/a", "https://www.valley.example/b", "https://valley.example/c", "https://other.example/x"}
	var pages []*devPage
	var dec [][]clean.Decision
	for i, tx := range texts {
		pages = append(pages, &devPage{CleanDevPage: benchdata.CleanDevPage{URL: urls[i], Text: tx}})
		var d []clean.Decision
		for j, l := range strings.Split(tx, "\n") {
			d = append(d, clean.Decision{Line: j, Text: l})
		}
		dec = append(dec, d)
	}
	// A Cleaner whose model has no trees: withTemplate uses its counts only.
	c, err := clean.NewWithModel(clean.DefaultConfig(), &clean.Model{Features: clean.FeatureNames(), Threshold: 0.5})
	if err != nil {
		t.Fatal(err)
	}
	got, err := withTemplate(c, pages, dec)
	if err != nil {
		t.Fatal(err)
	}
	for i := range pages {
		if got[i][0].Forced {
			t.Errorf("page %d: its own first line is forced out", i)
		}
		if want := i < 3; got[i][1].Forced != want {
			t.Errorf("page %d: footer forced %v, want %v", i, got[i][1].Forced, want)
		}
		if dec[i][1].Forced {
			t.Errorf("page %d: withTemplate changed its input", i)
		}
	}
}
