// Package train fits the line model of package clean (an ensemble of
// gradient-boosted oblivious trees, package internal/gbt) on labelled pages,
// and cross-validates it with the pages grouped by host, so that a site's
// template cannot leak from training to test.
package train

import (
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/internal/gbt"
)

// Params are the settings of the line model's training: the boosting
// settings of both stages, and how lines are weighted.
type Params struct {
	gbt.Params
	// PagePower sets how much a page's length lowers the weight of its
	// lines: line weight = characters / page characters^PagePower.
	PagePower float64
	// Stage2Trees, when above 0, adds a second stage of that many trees
	// (of depth Stage2Depth) over the line features and the first stage's
	// probabilities around each line (clean.StackFeatureNames).
	Stage2Trees, Stage2Depth int
	// SpanWeight, when above 0, adds to the training pages a copy of each
	// page cut to the span from its first to its last content line (the
	// text an extractor leaves, which ends with content), its lines
	// weighing SpanWeight times as much. The copies are only trained on,
	// never scored: they keep the model from learning that a page's last
	// line is never content, which the whole pages, all ending in a
	// footer, would teach it.
	SpanWeight float64
	// Lexicon adds learned word weights (clean/lexicon.go, lexicon.go
	// here) to the model.
	Lexicon bool
}

// stage2 returns the boosting settings of the second stage.
func (p Params) stage2() gbt.Params {
	q := p.Params
	q.Trees = p.Stage2Trees
	if p.Stage2Depth > 0 {
		q.Depth = p.Stage2Depth
	}
	return q
}

// DefaultParams are the settings of the shipped model.
func DefaultParams() Params {
	return Params{Params: gbt.Params{Trees: 30, Depth: 6, Rate: 0.4, L2: 1, Subsample: 0.5, Bins: 64, Seed: 1},
		PagePower: 0.5, Stage2Trees: 30, Stage2Depth: 6, SpanWeight: 0.3, Lexicon: true}
}

// A Page is one labelled document: Labels[i] is 1 when line i of Text
// (split at "\n") belongs to the main content.
type Page struct {
	Text   string
	Labels []int
	// Group keeps related pages in the same fold: the host of the page's
	// URL, so that a site's template cannot leak from training to test.
	Group string
}

// Weighting: a line weighs its length in characters, so that the model
// minimizes the character-weighted error the benchmark measures, divided by
// its page's length to the power pagePower (0.5 by default), so that long
// pages do not drown short ones (the word score is averaged over pages).
func weights(text string, lines []int, pagePower float64) []float32 {
	all := strings.Split(text, "\n")
	total := 0
	for _, l := range all {
		total += utf8.RuneCountInString(l)
	}
	norm := math.Pow(float64(max(total, 1)), pagePower)
	w := make([]float32, len(lines))
	for k, li := range lines {
		w[k] = float32(float64(utf8.RuneCountInString(all[li])+8) / norm)
	}
	return w
}

func labelsOf(p *Page, lines []int) []float32 {
	y := make([]float32, len(lines))
	for k, li := range lines {
		if li < len(p.Labels) && p.Labels[li] == 1 {
			y[k] = 1
		}
	}
	return y
}

// featured is a page's lines with their features, labels and weights.
type featured struct {
	x, y, w []float32 // x: rows of clean.NumFeatures
	fold    int
	// for the lexicon: the lexicon buckets of each row's words, the
	// page's host, the index of the page (its own for a page, its page's
	// for a span copy) and what the page counts in a lexicon
	buckets [][]uint32
	group   string
	page    int
	lex     lexPage
}

// spans returns, for each page whose content does not fill it, a copy cut
// to the span from its first to its last content line (Params.SpanWeight),
// and the index of each copy's page.
func spans(pages []*Page) (out []*Page, of []int) {
	for i, p := range pages {
		lines := strings.Split(p.Text, "\n")
		lo, hi := -1, -1
		for i, l := range p.Labels[:min(len(p.Labels), len(lines))] {
			if l == 1 {
				if lo < 0 {
					lo = i
				}
				hi = i
			}
		}
		if lo < 0 || lo == 0 && hi == len(lines)-1 {
			continue
		}
		out = append(out, &Page{
			Text:   strings.Join(lines[lo:hi+1], "\n"),
			Labels: p.Labels[lo : hi+1],
			Group:  p.Group,
		})
		of = append(of, i)
	}
	return out, of
}

// featurize computes every page's first-stage rows once, followed by
// those of the pages' spans when prm.SpanWeight > 0 (in the same folds
// as their pages).
func featurize(pages []*Page, k int, prm Params) []featured {
	n := len(pages)
	var spanOf []int
	if prm.SpanWeight > 0 {
		var sp []*Page
		sp, spanOf = spans(pages)
		pages = append(pages[:n:n], sp...)
	}
	out := make([]featured, len(pages))
	for i, p := range pages {
		lines, x := clean.Featurize(p.Text)
		out[i] = featured{x: x, y: labelsOf(p, lines), w: weights(p.Text, lines, prm.PagePower),
			buckets: clean.LineBuckets(p.Text), group: p.Group, page: i}
		if i < n {
			out[i].lex = newLexPage(out[i].buckets, out[i].y)
		} else {
			out[i].page = spanOf[i-n]
			sw := float32(prm.SpanWeight)
			for j := range out[i].w {
				out[i].w[j] *= sw
			}
		}
		if k > 0 {
			out[i].fold = gbt.Fold(p.Group, k)
		}
	}
	return out
}

// Dataset builds the first-stage training set from pages.
func Dataset(pages []*Page, prm Params) *gbt.Data {
	return stage1Data(featurize(pages, 0, prm), func(int) bool { return true })
}

func stage1Data(fs []featured, use func(i int) bool) *gbt.Data {
	d := &gbt.Data{F: clean.NumFeatures}
	for i := range fs {
		if use(i) {
			d.Append(fs[i].x, fs[i].y, fs[i].w)
		}
	}
	return d
}

// stage2Data builds the second-stage training set of the pages use
// selects, from first-stage probabilities p1 that no model trained on the
// page produced.
func stage2Data(fs []featured, p1 [][]float64, use func(i int) bool) *gbt.Data {
	d := &gbt.Data{F: clean.StackWidth()}
	for i := range fs {
		if use(i) {
			d.Append(clean.StackFeatures(fs[i].x, p1[i]), fs[i].y, fs[i].w)
		}
	}
	return d
}

// predict returns e's probabilities of rows x of width w.
func predict(e *clean.Ensemble, x []float32, w int) []float64 {
	n := len(x) / w
	p := make([]float64, n)
	for k := range p {
		p[k] = e.Prob(x[k*w : (k+1)*w])
	}
	return p
}

// CV holds the out-of-fold probabilities of cross-validation, per page and
// non-blank line: Stage1 from the first-stage models, Final from the
// complete (two-stage when Params.Stage2Trees > 0) models.
type CV struct {
	Stage1, Final [][]float64
	fs            []featured
	// stage1 holds the out-of-fold first-stage probabilities of fs: of
	// the pages (Stage1), then of their spans
	stage1 [][]float64
}

// CrossValidate fits k models on pages, each on all folds but one (pages
// grouped into folds by Page.Group), and returns for every page the
// probabilities of its non-blank lines from the model that did not see it.
//
// With a second stage the estimate stays honest by nesting: the second
// stage of the model for fold f learns from first-stage probabilities of
// its training pages that were themselves out of fold, from first-stage
// models trained without fold f and without the page's own fold. One
// model on the folds other than f and g serves both f and g, so k(k-1)/2
// such models are fitted besides the k outer ones.
// log, if not nil, receives progress lines.
func CrossValidate(pages []*Page, k int, prm Params, log func(string)) (*CV, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validation needs at least 2 folds, not %d", k)
	}
	say := func(format string, args ...any) {
		if log != nil {
			log(fmt.Sprintf(format, args...))
		}
	}
	fs := featurize(pages, k, prm)
	cv := &CV{Stage1: make([][]float64, len(fs)), Final: make([][]float64, len(fs)), fs: fs}
	// Only the pages themselves are scored.
	defer func() {
		cv.stage1 = cv.Stage1
		cv.Stage1, cv.Final = cv.Stage1[:len(pages)], cv.Final[:len(pages)]
	}()
	lexicon := func(train func(i int) bool) {
		if prm.Lexicon {
			setLexicon(fs, len(pages), train)
		}
	}
	for f := 0; f < k; f++ {
		lexicon(func(i int) bool { return fs[i].fold != f })
		e := gbt.Fit(stage1Data(fs, func(i int) bool { return fs[i].fold != f }), prm.Params)
		n := 0
		for i := range fs {
			if fs[i].fold == f {
				cv.Stage1[i] = predict(&e, fs[i].x, clean.NumFeatures)
				n++
			}
		}
		say("stage 1, fold %d/%d: scored %d pages", f+1, k, n)
	}
	if prm.Stage2Trees <= 0 {
		cv.Final = cv.Stage1
		return cv, nil
	}
	// inner[f][i]: first-stage probabilities of page i (not in fold f)
	// from a model that saw neither fold f nor page i's fold.
	inner := make([][][]float64, k)
	for f := range inner {
		inner[f] = make([][]float64, len(fs))
	}
	for f := 0; f < k; f++ {
		for g := f + 1; g < k; g++ {
			lexicon(func(i int) bool { return fs[i].fold != f && fs[i].fold != g })
			e := gbt.Fit(stage1Data(fs, func(i int) bool { return fs[i].fold != f && fs[i].fold != g }), prm.Params)
			for i := range fs {
				switch fs[i].fold {
				case g:
					inner[f][i] = predict(&e, fs[i].x, clean.NumFeatures)
				case f:
					inner[g][i] = predict(&e, fs[i].x, clean.NumFeatures)
				}
			}
			say("stage 1 without folds %d and %d", f+1, g+1)
		}
	}
	p2 := prm.stage2()
	for f := 0; f < k; f++ {
		lexicon(func(i int) bool { return fs[i].fold != f })
		e := gbt.Fit(stage2Data(fs, inner[f], func(i int) bool { return fs[i].fold != f }), p2)
		for i := range fs {
			if fs[i].fold == f {
				cv.Final[i] = predict(&e, clean.StackFeatures(fs[i].x, cv.Stage1[i]), clean.StackWidth())
			}
		}
		say("stage 2, fold %d/%d", f+1, k)
	}
	return cv, nil
}

// FitModel trains the model on all pages; cv (from CrossValidate with the
// same pages and parameters) gives the out-of-fold first-stage
// probabilities the second stage learns from.
func FitModel(prm Params, cv *CV, threshold, lead, relative float64) *clean.Model {
	fs := cv.fs
	all := func(int) bool { return true }
	var lex []byte
	if prm.Lexicon {
		lex = setLexicon(fs, len(cv.Stage1), all)
	}
	m := &clean.Model{
		Lexicon:   lex,
		Features:  clean.FeatureNames(),
		Trees:     gbt.Fit(stage1Data(fs, all), prm.Params),
		Threshold: threshold,
		Lead:      lead,
		Relative:  relative,
	}
	if prm.Stage2Trees > 0 {
		e := gbt.Fit(stage2Data(fs, cv.stage1, all), prm.stage2())
		m.Stage2, m.Stage2Features = &e, clean.StackFeatureNames()
	}
	return m
}
