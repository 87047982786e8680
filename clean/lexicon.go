package clean

import "math"

// The lexicon is what the model learns of words themselves: for each word,
// whether pages use it more in their content or in their furniture. The
// hand-written vocabulary (words.go) knows a few hundred words of
// navigation, cookie banners and the like; the lexicon weighs every word the
// training pages use, in any language: "cart", "quantity" and "sku" lean to
// boilerplate, "however" and "because" to content.
//
// A word's weight is its log-odds of appearing in content lines rather than
// in boilerplate lines, counted in pages (a word a page repeats counts
// once) and centred so that 0 is the average word. Words are hashed into
// 1<<LexiconBits buckets; a bucket's weight is that of all the words that
// fall into it, so a word never seen in training weighs about what rare
// words weigh. The trainer (clean/train) learns the model's trees from
// weights that leave out the page's own site, so the trees trust the
// lexicon only as far as it carries from one site to another.
//
// A weight is stored in one byte: 128 + LexiconScale × log-odds.

// LexiconBits is the number of bits of a lexicon bucket: a lexicon holds
// 1<<LexiconBits bytes.
const LexiconBits = 16

// LexiconScale is the number of byte steps per unit of log-odds.
const LexiconScale = 16

// LexiconByte quantizes a log-odds weight into a lexicon byte (NaN, no
// evidence, weighs 0).
func LexiconByte(w float64) byte {
	if math.IsNaN(w) {
		return 128
	}
	v := math.Round(w*LexiconScale) + 128
	return byte(min(max(v, 0), 255))
}

// lexBucket returns the lexicon bucket of a word hash (scanLine's).
func lexBucket(h uint64) uint32 { return mixBucket(mix(h)) }

// mixBucket returns the lexicon bucket of a word whose mix(h) is m:
// scanLine has it from the word's vocabulary lookup.
func mixBucket(m uint64) uint32 { return uint32(m >> (64 - LexiconBits)) }

// LexiconFeatures returns a line's lexicon features from the lexicon bytes
// of its words in order: their mean, lowest and highest weight (0 for a
// line without words). A Cleaner computes the same while it scans a line.
func LexiconFeatures(vals []byte) (mean, lo, hi float32) {
	if len(vals) == 0 {
		return 0, 0, 0
	}
	sum, mn, mx := int32(0), int32(255), int32(0)
	for _, v := range vals {
		sum += int32(v) - 128
		mn, mx = min(mn, int32(v)), max(mx, int32(v))
	}
	return lexValues(sum, mn-128, mx-128, int32(len(vals)))
}

func lexValues(sum, lo, hi, words int32) (float32, float32, float32) {
	if words == 0 {
		return 0, 0, 0
	}
	return float32(sum) / float32(words) / LexiconScale, float32(lo) / LexiconScale, float32(hi) / LexiconScale
}

// LineBuckets returns the lexicon buckets of the words of each non-blank
// line of text, row by row as Featurize numbers them. The trainer builds
// lexicons from them.
func LineBuckets(text string) [][]uint32 {
	lines := splitLines(text, nil)
	var (
		out [][]uint32
		st  lineStats
		hs  []uint64
	)
	for _, s := range lines {
		if s.blank {
			continue
		}
		hs = hs[:0]
		scanLine(text[s.start:s.end], &st, nil, nil, nil, &hs)
		b := make([]uint32, len(hs))
		for j, h := range hs {
			b[j] = lexBucket(h)
		}
		out = append(out, b)
	}
	return out
}

// LexiconColumn is the index of the first lexicon feature (lex_mean,
// lex_min, lex_max follow one another) in a line's feature vector.
var LexiconColumn = func() int {
	for i, n := range featureNames {
		if n == "lex_mean" {
			return i
		}
	}
	panic("clean: no lex_mean feature")
}()

// lexContextColumn is the index of the first lexicon context feature
// (lex_short_before, lex_short_after, lex_win5).
var lexContextColumn = LexiconColumn + 3

// shortLine is log1p of the most words a short line has (6), rounded up
// to below log1p(7), against the log_words feature.
const shortLine = 2

// lexScratch is reusable memory for lexiconContext.
type lexScratch struct {
	mean  []float32
	short []bool
}

// lexiconContext fills the lexicon context features of n lines from
// their lexicon means: the running mean of the short lines before the
// line (each weighing half as much as the next), the same of the short
// lines after it, and the mean of the lines within 5 of it. Feature f of
// line k is x[base(k)+f*stride].
func (s *lexScratch) lexiconContext(x []float32, n, stride int, base func(k int) int) {
	if cap(s.mean) < n {
		s.mean, s.short = make([]float32, n), make([]bool, n)
	}
	mean, short := s.mean[:n], s.short[:n]
	for k := range n {
		b := base(k)
		mean[k] = x[b+LexiconColumn*stride]
		w := x[b+stride] // log_words
		short[k] = w > 0 && w < shortLine
	}
	col := lexContextColumn * stride
	e := float32(0)
	for k := range n {
		x[base(k)+col] = e
		if short[k] {
			e = 0.5*e + 0.5*mean[k]
		}
	}
	e = 0
	for k := n - 1; k >= 0; k-- {
		x[base(k)+col+stride] = e
		if short[k] {
			e = 0.5*e + 0.5*mean[k]
		}
	}
	for k := range n {
		sum, m := float32(0), 0
		for o := max(k-5, 0); o < min(k+6, n); o++ {
			if o != k {
				sum += mean[o]
				m++
			}
		}
		if m > 0 {
			sum /= float32(m)
		}
		x[base(k)+col+2*stride] = sum
	}
}

// LexiconContext fills the lexicon context features of rows x (the
// features of a text's lines, NumFeatures each, as Featurize returns
// them) from their lexicon features. The trainer calls it after it fills
// the lexicon columns; a Cleaner computes the same.
func LexiconContext(x []float32) {
	var s lexScratch
	s.lexiconContext(x, len(x)/NumFeatures, 1, func(k int) int { return k * NumFeatures })
}
