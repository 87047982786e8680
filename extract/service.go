package extract

// Service pages. A page offering a service or a product line (a firm's
// practice, a software's landing page, a council's department) is built of
// sections: a short introduction, then cards of offers, features, steps,
// testimonials and questions, each with a linked title or a "Find out more".
// Their reviewed text keeps every section, and the cards are as much the
// content as the introduction. Prose weighting counts the links of the
// cards against them and keeps the introduction alone; there, when the
// prose selection holds less than serviceMinShare of the page's text (the
// bar is lower, 0.3, on other pages, see selectMain), the page is
// selected again with list weights, which keep the cards.
const serviceMinShare = 0.5

// widenSections returns sel, or, when sel was chosen with prose weights and
// holds less than serviceMinShare of the text of blocks, the selection of
// the page with list weights. sum is scratch space of len(t.nodes).
func widenSections(t *tree, blocks []Block, sum []float64, sel selection) selection {
	if sel.mode != proseWeights {
		return sel
	}
	total, selChars := 0, 0
	for k := range blocks {
		total += blocks[k].chars
	}
	for k := sel.start; k < sel.end; k++ {
		selChars += blocks[k].chars
	}
	if float64(selChars) >= serviceMinShare*float64(total) {
		return sel
	}
	if ls := selectWith(t, blocks, sum, listWeights); ls.end > ls.start {
		return ls
	}
	return sel
}
