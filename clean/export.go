package clean

// Featurize returns the first-stage features of the non-blank lines of
// text: lines[k] is the line number of row k, and row k is
// x[k*NumFeatures:(k+1)*NumFeatures]. It is what a model is trained on.
// The lexicon features and the lexicon context features are 0: the
// trainer fills them in from LineBuckets, LexiconFeatures and
// LexiconContext with the lexicon of each training set.
func Featurize(text string) (lines []int, x []float32) {
	return featurize(text, nil)
}

// featurize is Featurize with a lexicon.
func featurize(text string, lex []byte) (lines []int, x []float32) {
	var d doc
	d.lex = lex
	d.analyze(text)
	x = make([]float32, len(d.idx)*NumFeatures)
	for k := range d.idx {
		d.row(k, x[k*NumFeatures:(k+1)*NumFeatures])
	}
	return d.idx, x
}

// Select turns the content probabilities p of the non-blank lines of a
// text into keep flags, the way a Cleaner does: a line is kept when its
// probability reaches threshold, or when it reaches lead and the next
// non-blank line is kept (a heading or lead-in before content), unless
// forced[k] (a rule dropped it). When rel > 0 the threshold of this text is
// lowered to rel times its highest probability if that is less: on a page
// unlike any the model has seen, all scores are low, and its best lines are
// still its content. keep must have len(p) elements.
func Select(p []float64, forced []bool, threshold, lead, rel float64, keep []bool) {
	if rel > 0 {
		top := 0.0
		for k := range p {
			if !forced[k] {
				top = max(top, p[k])
			}
		}
		if t := rel * top; t < threshold {
			lead = max(0, lead-(threshold-t))
			threshold = t
		}
	}
	for k := range p {
		keep[k] = !forced[k] && p[k] >= threshold
	}
	for k := len(p) - 2; k >= 0; k-- {
		if !keep[k] && !forced[k] && keep[k+1] && p[k] >= lead {
			keep[k] = true
		}
	}
}

// PageThreshold returns the thresholds of a page when its expected-F1
// threshold (ExpectedThreshold) has weight expected in [0, 1] against the
// global threshold: the page's threshold is the blend, and its lead
// threshold moves with it.
func PageThreshold(p, size []float64, threshold, lead, expected float64) (float64, float64) {
	if expected <= 0 || len(p) == 0 {
		return threshold, lead
	}
	t := expected*ExpectedThreshold(p, size) + (1-expected)*threshold
	return t, max(0, lead-(threshold-t))
}

// ExpectedThreshold returns the threshold that maximizes a page's expected
// F1 when its lines' probabilities p are taken at face value: keeping the
// lines at or above t has expected true positives sum(w*p) over the kept
// lines, and the page's expected content is sum(w*p) over all lines, so the
// expected F1 is about 2*TP/(kept + content), w being each line's size.
// Thresholds are multiples of 1/pBins: the lines are counted in bins of p,
// not sorted.
func ExpectedThreshold(p, w []float64) float64 {
	if len(p) == 0 {
		return 0.5
	}
	var size, tps [pBins]float64
	content := 0.0
	for k, v := range p {
		b := pBin(v)
		size[b] += w[k]
		tps[b] += w[k] * v
		content += w[k] * v
	}
	best, bestB := -1.0, pBins-1
	tp, kept := 0.0, 0.0
	for b := pBins - 1; b >= 0; b-- {
		if size[b] == 0 {
			continue
		}
		tp += tps[b]
		kept += size[b]
		if f := 2 * tp / (kept + content); f > best {
			best, bestB = f, b
		}
	}
	return float64(bestB) / pBins
}

// TitleHeading keeps the first line of a page, unless forced out, when the
// second is kept and no later line repeats the first (repeated says
// whether one does). A text's first line is its title; when the body does
// not repeat it as its main heading, the title is that heading, and the
// content starts there.
func TitleHeading(keep, forced []bool, repeated bool) {
	if !repeated && len(keep) > 1 && keep[1] && !forced[0] {
		keep[0] = true
	}
}

// TitleRepeated reports whether a line after the first repeats most of the
// first line's words, as a page's main heading repeats its title.
func TitleRepeated(text string) bool {
	var d doc
	d.analyze(text)
	return d.headline >= 0
}
