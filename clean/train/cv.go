package train

import (
	"fmt"
	"math"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/winnow-corpus/winnow/clean"
)

// A Page is one labelled document: Labels[i] is 1 when line i of Text
// (split at "\n") belongs to the main content.
type Page struct {
	Text   string
	Labels []int
	// Group keeps related pages in the same fold: the host of the page's
	// URL, so that a site's template cannot leak from training to test.
	Group string
}

// HostGroup returns the host of rawURL without "www.", or rawURL itself
// when it has none.
func HostGroup(rawURL string) string {
	if u, err := url.Parse(rawURL); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return rawURL
}

// Fold returns the fold (0..k-1) of a page group.
func Fold(group string, k int) int {
	var h uint64 = 14695981039346656037
	for i := 0; i < len(group); i++ {
		h = (h ^ uint64(group[i])) * 1099511628211
	}
	h ^= h >> 29
	return int(h % uint64(k))
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

// Dataset builds the training set from pages.
func Dataset(pages []*Page, prm Params) *Data {
	d := &Data{F: clean.NumFeatures}
	for _, p := range pages {
		lines, x := clean.Featurize(p.Text)
		d.Append(x, labelsOf(p, lines), weights(p.Text, lines, prm.PagePower))
	}
	return d
}

// CrossValidate fits k models on pages, each on all folds but one (pages
// grouped into folds by Page.Group), and returns for every page the
// probabilities of its non-blank lines from the model that did not see it.
// log, if not nil, receives progress lines.
func CrossValidate(pages []*Page, k int, prm Params, log func(string)) ([][]float64, error) {
	if k < 2 {
		return nil, fmt.Errorf("cross-validation needs at least 2 folds, not %d", k)
	}
	out := make([][]float64, len(pages))
	for f := 0; f < k; f++ {
		var train, test []*Page
		var testIdx []int
		for i, p := range pages {
			if Fold(p.Group, k) == f {
				test = append(test, p)
				testIdx = append(testIdx, i)
			} else {
				train = append(train, p)
			}
		}
		m := &clean.Model{Features: clean.FeatureNames(), Trees: Fit(Dataset(train, prm), prm), Threshold: 0.5}
		cfg := clean.DefaultConfig()
		cfg.Rules = false
		c, err := clean.NewWithModel(cfg, m)
		if err != nil {
			return nil, err
		}
		for j, p := range test {
			out[testIdx[j]] = scores(c, p.Text)
		}
		if log != nil {
			log(fmt.Sprintf("fold %d/%d: fitted on %d pages, scored %d", f+1, k, len(train), len(test)))
		}
	}
	return out, nil
}

// FitModel trains the model on all pages.
func FitModel(pages []*Page, prm Params, threshold, lead, relative float64) *clean.Model {
	return &clean.Model{
		Features:  clean.FeatureNames(),
		Trees:     Fit(Dataset(pages, prm), prm),
		Threshold: threshold,
		Lead:      lead,
		Relative:  relative,
	}
}

// scores returns the model's probabilities for the non-blank lines of text.
func scores(c *clean.Cleaner, text string) []float64 {
	var p []float64
	for _, d := range c.Lines(text) {
		if !d.Blank {
			p = append(p, d.Score)
		}
	}
	return p
}
