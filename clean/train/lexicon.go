package train

import (
	"math"

	"github.com/winnow-corpus/winnow/clean"
)

// Learning the lexicon (clean/lexicon.go). A word's weight is its
// log-odds of appearing in the content lines of a page rather than in its
// boilerplate lines, counted in pages, over the pages of a training set.
//
// The trees must learn how far a word's weight carries to a site they have
// never seen. Were a training page's features computed with a lexicon that
// counted the page itself, its own words would vouch for its own lines, and
// the trees would trust the lexicon far more than it deserves on new
// pages. So each training page reads weights counted without the pages of
// its host (leave one site out), and the pages being scored read the
// lexicon of the whole training set, as the shipped model's pages will.

// lexPrior is the smoothing count added to both sides of a word's odds.
const lexPrior = 1.0

// lexPage is what one page contributes to a lexicon: the distinct buckets
// of the words of its content lines and of its boilerplate lines.
type lexPage struct {
	pos, neg []uint32
}

func newLexPage(buckets [][]uint32, y []float32) lexPage {
	var seen [2]map[uint32]bool
	seen[0], seen[1] = map[uint32]bool{}, map[uint32]bool{}
	var lp lexPage
	for k, bs := range buckets {
		c := 0
		if y[k] == 1 {
			c = 1
		}
		for _, b := range bs {
			if seen[c][b] {
				continue
			}
			seen[c][b] = true
			if c == 1 {
				lp.pos = append(lp.pos, b)
			} else {
				lp.neg = append(lp.neg, b)
			}
		}
	}
	return lp
}

// lexCounts counts the pages using each bucket in content (pos) and in
// boilerplate (neg).
type lexCounts struct {
	pos, neg []int32
}

func newLexCounts() lexCounts {
	return lexCounts{pos: make([]int32, 1<<clean.LexiconBits), neg: make([]int32, 1<<clean.LexiconBits)}
}

func (c *lexCounts) add(p *lexPage, sign int32) {
	for _, b := range p.pos {
		c.pos[b] += sign
	}
	for _, b := range p.neg {
		c.neg[b] += sign
	}
}

// centre returns the odds of the average word, content against
// boilerplate: a word with these odds weighs 0.
func (c *lexCounts) centre() float64 {
	var sp, sn float64
	for b := range c.pos {
		sp += float64(c.pos[b])
		sn += float64(c.neg[b])
	}
	return (sp + 1) / (sn + 1)
}

// lexWeight returns the weight of a word counted pos and neg times: its
// log-odds against the average word's, the counts smoothed towards the
// average odds by lexPrior pages, so that a word seen in no page weighs 0
// and a word seen in one page little.
func lexWeight(pos, neg int32, centre float64) byte {
	return clean.LexiconByte(math.Log((float64(pos) + lexPrior*centre) / (float64(neg) + lexPrior) / centre))
}

// table returns the lexicon bytes of the counts.
func (c *lexCounts) table(centre float64) []byte {
	t := make([]byte, len(c.pos))
	for b := range t {
		t[b] = lexWeight(c.pos[b], c.neg[b], centre)
	}
	return t
}

// setLexicon fills the lexicon columns of every page's rows in fs for the
// training set train selects (among the first real pages of fs, the
// others being their span copies; a copy follows its page): a training
// page reads the weights of the training set without its host's pages, any
// other page the weights of the whole training set. It returns that
// lexicon.
func setLexicon(fs []featured, real int, train func(i int) bool) []byte {
	all := newLexCounts()
	byGroup := map[string][]int{}
	for i := range fs[:real] {
		if train(i) {
			all.add(&fs[i].lex, 1)
			byGroup[fs[i].group] = append(byGroup[fs[i].group], i)
		}
	}
	centre := all.centre()
	table := all.table(centre)
	// own[g]: the counts of group g's training pages, by bucket
	type pn struct{ pos, neg int32 }
	own := map[string]map[uint32]pn{}
	for g, pages := range byGroup {
		m := map[uint32]pn{}
		for _, i := range pages {
			for _, b := range fs[i].lex.pos {
				v := m[b]
				v.pos++
				m[b] = v
			}
			for _, b := range fs[i].lex.neg {
				v := m[b]
				v.neg++
				m[b] = v
			}
		}
		own[g] = m
	}
	var vals []byte
	col := clean.LexiconColumn
	for i := range fs {
		var m map[uint32]pn
		if train(fs[i].page) {
			m = own[fs[i].group]
		}
		for k, bs := range fs[i].buckets {
			vals = vals[:0]
			for _, b := range bs {
				v := table[b]
				if c, ok := m[b]; ok {
					v = lexWeight(all.pos[b]-c.pos, all.neg[b]-c.neg, centre)
				}
				vals = append(vals, v)
			}
			row := fs[i].x[k*clean.NumFeatures:]
			row[col], row[col+1], row[col+2] = clean.LexiconFeatures(vals)
		}
		clean.LexiconContext(fs[i].x)
	}
	return table
}
