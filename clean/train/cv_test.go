package train

import (
	"fmt"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/clean"
)

// synthPages makes pages of menu lines around paragraphs, on several hosts.
func synthPages(n int) []*Page {
	var pages []*Page
	for i := 0; i < n; i++ {
		var lines []string
		var labels []int
		add := func(s string, l int) { lines = append(lines, s); labels = append(labels, l) }
		add(fmt.Sprintf("Story %d | Site", i), 0)
		for _, m := range []string{"Home", "News", "Sport", "About us"} {
			add(m, 0)
		}
		for p := 0; p < 3+i%4; p++ {
			add(fmt.Sprintf("Paragraph %d of story %d tells at some length what happened, and why it matters to the people who read it.", p, i), 1)
		}
		add("Share on Facebook", 0)
		add("© 2026 Site", 0)
		pages = append(pages, &Page{Text: strings.Join(lines, "\n"), Labels: labels, Group: fmt.Sprintf("host%d.com", i%9)})
	}
	return pages
}

// Two-stage cross-validation scores every line of every page, and the model
// fitted from it loads and separates paragraphs from menus.
func TestCrossValidateTwoStages(t *testing.T) {
	pages := synthPages(40)
	prm := DefaultParams()
	prm.Trees, prm.Stage2Trees, prm.Depth, prm.Stage2Depth = 8, 8, 3, 3
	cv, err := CrossValidate(pages, 3, prm, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range pages {
		n := len(strings.Split(p.Text, "\n"))
		if len(cv.Final[i]) != n || len(cv.Stage1[i]) != n {
			t.Fatalf("page %d: %d and %d scores for %d lines", i, len(cv.Stage1[i]), len(cv.Final[i]), n)
		}
		for k, l := range p.Labels {
			if (cv.Final[i][k] >= 0.5) != (l == 1) {
				t.Errorf("page %d line %d (label %d): out-of-fold score %.3f", i, k, l, cv.Final[i][k])
			}
		}
	}
	m := FitModel(prm, cv, 0.5, 0.5, 0)
	if m.Stage2 == nil {
		t.Fatal("no second stage")
	}
	c, err := clean.NewWithModel(clean.DefaultConfig(), m)
	if err != nil {
		t.Fatal(err)
	}
	got := c.Clean(pages[0].Text)
	if !strings.Contains(got, "Paragraph 0 of story 0") || strings.Contains(got, "Sport") {
		t.Errorf("cleaned page:\n%s", got)
	}
}

// A page's span runs from its first to its last content line; a page that
// is all content has none. Cross-validation scores the pages, not their
// spans.
func TestSpans(t *testing.T) {
	pages := synthPages(3)
	pages = append(pages, &Page{Text: "A paragraph.\nAnother one.", Labels: []int{1, 1}, Group: "h"})
	sp, of := spans(pages)
	if len(sp) != 3 || len(of) != 3 || of[2] != 2 {
		t.Fatalf("%d spans of pages %v, want 3 of pages 0, 1, 2", len(sp), of)
	}
	lines := strings.Split(sp[0].Text, "\n")
	if !strings.HasPrefix(lines[0], "Paragraph 0 ") || !strings.HasPrefix(lines[len(lines)-1], "Paragraph 2 ") ||
		len(sp[0].Labels) != len(lines) || sp[0].Group != pages[0].Group {
		t.Errorf("span of page 0: %q %v %q", sp[0].Text, sp[0].Labels, sp[0].Group)
	}
	prm := DefaultParams()
	prm.Trees, prm.Stage2Trees, prm.Depth, prm.Stage2Depth = 4, 4, 3, 3
	cv, err := CrossValidate(synthPages(20), 3, prm, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(cv.Final) != 20 || len(cv.Stage1) != 20 || len(cv.stage1) != 40 {
		t.Errorf("%d, %d scored pages and %d first-stage rows, want 20, 20 and 40", len(cv.Final), len(cv.Stage1), len(cv.stage1))
	}
}
