package clean

import "math"

// The features the model reads for each non-blank line. Lines are numbered
// among the non-blank lines of the document only, so the same page with and
// without blank lines between its paragraphs looks the same to the model.
//
// Three kinds of evidence: the line itself (length, how it ends, case,
// digits, stop words, boilerplate vocabulary), its place in the document, and
// its neighbours (content comes in runs of long, punctuated lines; menus in
// runs of short ones).
var featureNames = []string{
	// the line itself
	"log_runes", "log_words", "letter_share", "upper_share", "digit_share",
	"punct_share", "cap_word_share", "stop_en_share", "stop_any_share",
	"end_class", "first_upper", "bullet", "sentences",
	"cat_nav", "cat_cookie", "cat_newsletter", "cat_social", "cat_legal",
	"cat_related", "cat_ad", "cat_comment", "strong_phrase", "separators",
	"url_like", "copyright_sign", "dup_in_doc", "title_word_share", "long_word_share",
	// its place
	"rel_pos", "log_lines_before", "log_lines_after", "log_doc_lines",
	"char_pos", "runes_over_max", "log_doc_runes",
	// its neighbours
	"prev2_log_words", "prev2_end", "prev2_cat",
	"prev_log_words", "prev_end", "prev_cat",
	"next_log_words", "next_end", "next_cat",
	"next2_log_words", "next2_end", "next2_cat",
	"win3_log_words", "win3_terminal", "win10_log_words", "win10_terminal",
	"log_dist_long_before", "log_dist_long_after", "long_lines_before_share",
	"win3_stop_share", "win25_log_words", "win25_terminal",
	// the whole page: pages of short lines (shops, listings, forums) keep
	// short lines that an article page would drop
	"doc_mean_log_words", "doc_terminal_share", "doc_short_share",
	"doc_digit_line_share", "runes_over_mean",
	// the page's headline: the first line after the title that repeats
	// most of the title's words; content tends to start there
	"headline_offset", "is_headline",
	// where the line sits relative to the page's prose and to lines like
	// it: distances to the nearest prose line (long, ending a sentence),
	// the runs of same-shaped and of short lines it belongs to, how much
	// of the title it repeats, and whether it is the first of its copies
	"log_dist_prose_before", "log_dist_prose_after",
	"log_shape_run", "log_short_run", "title_cover", "dup_first",
	// the short boilerplate-worded lines (menus, share, related, comment
	// headers) between the line and the prose before and after it
	"log_marks_since_prose", "log_marks_until_prose", "marks_win5",
	// the words' learned weights (lexicon.go): mean, lowest, highest
	"lex_mean", "lex_min", "lex_max",
	// the words' weights around the line (lexicon.go, lexiconContext):
	// of the short lines (headings, labels, menus) before and after it,
	// and of the lines within 5; and its first-person words (reviews and
	// comments speak in the first person)
	"lex_short_before", "lex_short_after", "lex_win5", "first_person_share",
}

// NumFeatures is the length of a line's feature vector (Featurize).
var NumFeatures = len(featureNames)

// numFeatures is NumFeatures as a constant, so that analyze writes a line's
// features without a bounds check each.
const numFeatures = 80

func init() {
	if numFeatures != len(featureNames) {
		panic("clean: numFeatures differs from len(featureNames)")
	}
}

// FeatureNames returns the names of the line features in vector order.
func FeatureNames() []string { return append([]string(nil), featureNames...) }

// longLine is the word count from which a line counts as running text for
// the distance features.
const longLine = 15

// doc holds a document split into lines and the features of its non-blank
// lines. It is reused through a pool, so its slices keep their capacity.
type doc struct {
	lines []span
	idx   []int // line number of each non-blank line
	st    []lineStats
	// x holds the features of blocks of lineBlock lines, each block
	// column by column: feature f of line k at at(k, f). Each tree of the
	// model asks its questions of a few features for every line, so within
	// a block it reads a few short arrays front to back, and a block (line
	// features, then stack features) stays in the L1 cache while it is
	// written and while every tree is asked of it.
	x []float32
	// lex is the model's lexicon, or nil
	lex   []byte
	stack stackScratch
	// lexCtx is scratch for the lexicon context features
	lexCtx lexScratch
	size   []float64 // characters of each line, for PageThreshold
	// headline is the first line after the first that repeats most of
	// its words (the page's main heading when the first is its title),
	// or -1
	headline int
	// an open-addressing table counting the lines of each normalized
	// hash: dupKeys/dupCounts are the table, dupSlot the slot of each line
	dupKeys   []uint64
	dupCounts []int32
	dupSlot   []int32
	// scratch for windowed sums
	cw, ct, cs []float64
	p          []float64
	// where each line stands against the page's prose (see linePlace)
	place []linePlace
	// verdicts
	keep      []bool
	forced    []bool
	why       []Category
	keepLines []bool
}

// rowWidth is the number of columns of doc.x: room for the second-stage
// features after the line features.
var rowWidth = NumFeatures + NumStack

// lineBlock is the number of lines of a block of doc.x.
const lineBlock = 64

// at returns the index in doc.x of feature f of line k.
func at(k, f int) int {
	return (k/lineBlock)*lineBlock*rowWidth + f*lineBlock + k%lineBlock
}

// row copies the line features of line k into dst.
func (d *doc) row(k int, dst []float32) {
	for f := range dst[:NumFeatures] {
		dst[f] = d.x[at(k, f)]
	}
}

// analyze splits text and computes every non-blank line's features.
func (d *doc) analyze(text string) {
	d.lines = splitLines(text, d.lines)
	d.idx = d.idx[:0]
	for i, s := range d.lines {
		if !s.blank {
			d.idx = append(d.idx, i)
		}
	}
	n := len(d.idx)
	if cap(d.st) < n {
		d.st = make([]lineStats, n)
	}
	d.st = d.st[:n]
	size := 16
	for size < 2*n {
		size *= 2
	}
	if cap(d.dupKeys) < size {
		d.dupKeys, d.dupCounts = make([]uint64, size), make([]int32, size)
	}
	d.dupKeys, d.dupCounts = d.dupKeys[:size], d.dupCounts[:size]
	clear(d.dupKeys)
	clear(d.dupCounts)
	if cap(d.dupSlot) < n {
		d.dupSlot = make([]int32, n)
	}
	d.dupSlot = d.dupSlot[:n]
	if cap(d.place) < n {
		d.place = make([]linePlace, n)
	}
	d.place = d.place[:n]
	mask := uint64(size - 1)
	var title bloom
	totalRunes, maxRunes := 0.0, 1.0
	for k, li := range d.idx {
		s := d.lines[li]
		if k == 0 {
			scanLine(text[s.start:s.end], &d.st[k], &title, nil, d.lex, nil)
		} else {
			scanLine(text[s.start:s.end], &d.st[k], nil, &title, d.lex, nil)
		}
		st := &d.st[k]
		key := st.norm | 1 // never 0, the empty slot
		slot := mix(key) & mask
		for d.dupKeys[slot] != 0 && d.dupKeys[slot] != key {
			slot = (slot + 1) & mask
		}
		d.dupKeys[slot] = key
		first := d.dupCounts[slot] == 0
		d.dupCounts[slot]++
		d.dupSlot[k] = int32(slot)
		d.place[k] = linePlace{shape: shape(st), prose: isProse(st), mark: isMark(st), first: first}
		r := float64(st.runes)
		totalRunes += r
		if r > maxRunes {
			maxRunes = r
		}
	}
	size = (n + lineBlock - 1) / lineBlock * lineBlock * rowWidth
	if cap(d.x) < size {
		d.x = make([]float32, size)
	}
	d.x = d.x[:size]

	// Prefix sums for the window features.
	d.cw = grow(d.cw, n+1)
	d.ct = grow(d.ct, n+1)
	d.cs = grow(d.cs, n+1)
	longBefore := 0
	totalLong, short, digitLines := 0, 0, 0
	for k := range d.st {
		st := &d.st[k]
		if st.words <= 3 {
			short++
		}
		if st.digits > 0 {
			digitLines++
		}
		d.cw[k+1] = d.cw[k] + log1p(st.words)
		t := 0.0
		if st.end == endTerminal {
			t = 1
		}
		d.ct[k+1] = d.ct[k] + t
		d.cs[k+1] = d.cs[k] + float64(st.stopEN+st.stopOther)/float64(max(st.words, 1))
		if st.words >= longLine {
			totalLong++
		}
	}
	lastLong := -1
	// nextLong[k] is filled backwards into the scratch p slice.
	d.p = grow(d.p, n)
	// The same backward pass finds each line's next prose line and
	// counts the marks between them.
	next := -1
	nextProse, marks := int32(-1), int32(0)
	for k := n - 1; k >= 0; k-- {
		d.p[k] = float64(next)
		if d.st[k].words >= longLine {
			next = k
		}
		pl := &d.place[k]
		pl.nextProse, pl.marksAfter = nextProse, marks
		switch {
		case pl.prose:
			nextProse, marks = int32(k), 0
		case pl.mark:
			marks++
		}
	}
	headline := -1
	for k := 1; k < n && headline < 0; k++ {
		if isHeadline(&d.st[k]) {
			headline = k
		}
	}
	d.headline = headline
	marks = 0
	lastProse := -1
	// the runs of same-shaped and of short lines around line k are
	// [shapeLo, shapeHi) and [shortLo, shortHi); markWin counts the
	// marks within 5 lines of k
	shapeLo, shapeHi, shortLo, shortHi := 0, 0, 0, 0
	markWin := 0
	for k := range min(5, n) {
		if d.place[k].mark {
			markWin++
		}
	}
	titleWords := float32(1)
	if n > 0 {
		titleWords = float32(max(d.st[0].words, 1))
	}
	runesBefore := 0.0
	nn := float64(max(n, 1))
	docWords := float32(d.cw[n] / nn)
	docTerminal := float32(d.ct[n] / nn)
	docShort := float32(float64(short) / nn)
	docDigits := float32(float64(digitLines) / nn)
	meanRunes := math.Max(totalRunes/nn, 1)
	logN := float32(log1p(n))
	logTotal := float32(math.Log1p(totalRunes))
	totalRunes1 := math.Max(totalRunes, 1)
	for k := range d.st {
		st := &d.st[k]
		// x holds line k's features, each lineBlock apart (see at)
		x := (*[(numFeatures-1)*lineBlock + 1]float32)(d.x[at(k, 0):])
		words := float32(max(st.words, 1))
		runes := float32(max(st.runes, 1))
		letters := float32(max(st.letters, 1))
		x[0*lineBlock] = float32(log1p(st.runes))
		x[1*lineBlock] = float32(log1p(st.words))
		x[2*lineBlock] = float32(st.letters) / runes
		x[3*lineBlock] = float32(st.upper) / letters
		x[4*lineBlock] = float32(st.digits) / runes
		x[5*lineBlock] = float32(st.punct) / runes
		x[6*lineBlock] = float32(st.capWords) / words
		x[7*lineBlock] = float32(st.stopEN) / words
		x[8*lineBlock] = float32(st.stopEN+st.stopOther) / words
		x[9*lineBlock] = float32(st.end)
		x[10*lineBlock] = b2f(st.firstUpper)
		x[11*lineBlock] = b2f(st.bullet)
		x[12*lineBlock] = float32(st.sentences)
		for c := range st.cats {
			x[(13+c)*lineBlock] = float32(st.cats[c])
		}
		x[21*lineBlock] = b2f(st.strong != 0)
		x[22*lineBlock] = float32(st.seps)
		x[23*lineBlock] = b2f(st.urlLike)
		x[24*lineBlock] = b2f(st.copyright)
		x[25*lineBlock] = float32(min(d.dupCounts[d.dupSlot[k]]-1, 10))
		if k == 0 {
			x[26*lineBlock] = -1
		} else {
			x[26*lineBlock] = float32(st.titleWords) / words
		}
		x[27*lineBlock] = float32(st.longWords) / words
		x[28*lineBlock] = float32(k) / float32(max(n-1, 1))
		x[29*lineBlock] = float32(log1p(k))
		x[30*lineBlock] = float32(log1p(n - 1 - k))
		x[31*lineBlock] = logN
		x[32*lineBlock] = float32(runesBefore / totalRunes1)
		x[33*lineBlock] = float32(float64(st.runes) / maxRunes)
		x[34*lineBlock] = logTotal
		for j, off := range [4]int{-2, -1, 1, 2} {
			o := k + off
			if o < 0 || o >= n {
				x[(35+3*j)*lineBlock], x[(36+3*j)*lineBlock], x[(37+3*j)*lineBlock] = -1, -1, -1
				continue
			}
			nb := &d.st[o]
			x[(35+3*j)*lineBlock] = float32(log1p(nb.words))
			x[(36+3*j)*lineBlock] = float32(nb.end)
			x[(37+3*j)*lineBlock] = float32(nb.catTotal)
		}
		// the mean log word count and the share of terminal endings of
		// the lines within 3, 10 and 25 of line k, the line itself
		// excluded (-1 when there are none)
		ownW, ownT := d.cw[k+1]-d.cw[k], d.ct[k+1]-d.ct[k]
		for _, win := range [...]struct{ w, f int }{{3, 47}, {10, 49}, {25, 55}} {
			lo, hi := max(k-win.w, 0), min(k+win.w+1, n)
			mw, mt := float32(-1), float32(-1)
			if cnt := float64(hi - lo - 1); cnt > 0 {
				mw = float32((d.cw[hi] - d.cw[lo] - ownW) / cnt)
				mt = float32((d.ct[hi] - d.ct[lo] - ownT) / cnt)
			}
			x[win.f*lineBlock], x[(win.f+1)*lineBlock] = mw, mt
		}
		if lastLong < 0 {
			x[51*lineBlock] = 10
		} else {
			x[51*lineBlock] = float32(log1p(k - lastLong))
		}
		if nl := int(d.p[k]); nl < 0 {
			x[52*lineBlock] = 10
		} else {
			x[52*lineBlock] = float32(log1p(nl - k))
		}
		x[53*lineBlock] = float32(longBefore) / float32(max(totalLong, 1))
		lo, hi := max(k-3, 0), min(k+4, n)
		x[54*lineBlock] = float32((d.cs[hi] - d.cs[lo]) / float64(hi-lo))
		x[57*lineBlock], x[58*lineBlock], x[59*lineBlock], x[60*lineBlock] = docWords, docTerminal, docShort, docDigits
		x[61*lineBlock] = float32(float64(st.runes) / meanRunes)
		switch {
		case headline < 0:
			x[62*lineBlock] = -100
		case k >= headline:
			x[62*lineBlock] = float32(log1p(k - headline))
		default:
			x[62*lineBlock] = -float32(log1p(headline - k))
		}
		x[63*lineBlock] = b2f(k > 0 && isHeadline(st))
		pl := &d.place[k]
		if lastProse < 0 {
			x[64*lineBlock] = 10
		} else {
			x[64*lineBlock] = float32(log1p(k - lastProse))
		}
		if pl.nextProse < 0 {
			x[65*lineBlock] = 10
		} else {
			x[65*lineBlock] = float32(log1p(int(pl.nextProse) - k))
		}
		if k >= shapeHi {
			shapeLo, shapeHi = k, k+1
			for shapeHi < n && d.place[shapeHi].shape == pl.shape {
				shapeHi++
			}
		}
		x[66*lineBlock] = float32(log1p(shapeHi - shapeLo))
		x[67*lineBlock] = 0
		if st.words <= 3 {
			if k >= shortHi {
				shortLo, shortHi = k, k+1
				for shortHi < n && d.st[shortHi].words <= 3 {
					shortHi++
				}
			}
			x[67*lineBlock] = float32(log1p(shortHi - shortLo))
		}
		if k == 0 {
			x[68*lineBlock] = -1
		} else {
			x[68*lineBlock] = min(float32(st.titleWords)/titleWords, 1)
		}
		switch {
		case d.dupCounts[d.dupSlot[k]] < 2:
			x[69*lineBlock] = -1
		case pl.first:
			x[69*lineBlock] = 1
		default:
			x[69*lineBlock] = 0
		}
		x[70*lineBlock] = float32(log1p(marks))
		x[71*lineBlock] = float32(log1p(pl.marksAfter))
		if k+5 < n && d.place[k+5].mark {
			markWin++
		}
		if k >= 6 && d.place[k-6].mark {
			markWin--
		}
		x[72*lineBlock] = float32(float64(markWin) / float64(min(k+6, n)-max(k-5, 0)))
		x[73*lineBlock], x[74*lineBlock], x[75*lineBlock] = lexValues(st.lexSum, st.lexMin, st.lexMax, st.words)
		x[79*lineBlock] = float32(st.firstPerson) / words
		switch {
		case pl.prose:
			marks = 0
			lastProse = k
		case pl.mark:
			marks++
		}
		if st.words >= longLine {
			lastLong = k
			longBefore++
		}
		runesBefore += float64(st.runes)
	}
	d.lexCtx.lexiconContext(d.x, n, lineBlock, func(k int) int { return at(k, 0) })
}

// linePlace is what the place features need of a line, found while the
// lines are scanned and in one backward pass.
type linePlace struct {
	shape       uint8 // see shape
	prose, mark bool  // isProse, isMark
	first       bool  // no line before it has the same normalized hash
	nextProse   int32 // the next prose line, or -1
	marksAfter  int32 // marks between the line and the next prose line
}

// isMark reports whether a line is short and uses boilerplate words.
func isMark(st *lineStats) bool {
	return st.words <= 8 && (st.strong != 0 || st.catTotal > 0)
}

// isProse reports whether a line reads as running text: long enough and
// ending a sentence.
func isProse(st *lineStats) bool {
	return st.words >= 10 && st.end == endTerminal
}

// shape sums up a line's look for the runs of alike lines: its length in
// words (bucketed), how it ends, and whether it is a bullet.
func shape(st *lineStats) uint8 {
	w := 0
	switch {
	case st.words <= 1:
		w = 0
	case st.words <= 3:
		w = 1
	case st.words <= 7:
		w = 2
	case st.words <= 15:
		w = 3
	default:
		w = 4
	}
	return uint8((w*8+int(st.end))*2 + int(b2f(st.bullet)))
}

// isHeadline reports whether a line (not the first) repeats most of the
// page title's words, as a page's main heading does.
func isHeadline(st *lineStats) bool {
	return st.words >= 2 && st.words <= 30 && 2*st.titleWords >= st.words
}

// logTab holds log(1+i) for small i: the features take the logarithm of
// counts a dozen times per line, and a table lookup is much cheaper than
// math.Log1p. The values are exactly math.Log1p's.
var logTab = func() (t [4096]float64) {
	for i := range t {
		t[i] = math.Log1p(float64(i))
	}
	return
}()

// log1p returns log(1+n) for a count n >= 0.
func log1p[T int | int32](n T) float64 {
	if n >= 0 && int(n) < len(logTab) {
		return logTab[n]
	}
	return math.Log1p(float64(n))
}

func b2f(b bool) float32 {
	if b {
		return 1
	}
	return 0
}

func grow(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	s = s[:n]
	clear(s)
	return s
}
