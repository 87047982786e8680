package clean

// Featurize returns the first-stage features of the non-blank lines of
// text: lines[k] is the line number of row k, and row k is
// x[k*NumFeatures:(k+1)*NumFeatures]. It is what a model is trained on.
func Featurize(text string) (lines []int, x []float32) {
	var d doc
	d.analyze(text)
	return d.idx, d.x
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
