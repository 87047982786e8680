package quality

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/winnow-corpus/winnow/record"
)

// Reason codes of the gopher_repetition stage. The n-gram rules have one code
// per n: "gopher_top_2gram" ... "gopher_top_4gram" and "gopher_dup_5gram" ...
// "gopher_dup_10gram" with the default thresholds.
const (
	ReasonGopherDupParaFrac     = "gopher_dup_para_frac"
	ReasonGopherDupParaCharFrac = "gopher_dup_para_char_frac"
	ReasonGopherDupLineFrac     = "gopher_dup_line_frac"
	ReasonGopherDupLineCharFrac = "gopher_dup_line_char_frac"
)

// Signals of the gopher_repetition stage; the n-gram signals are
// "q_rep_top_<n>gram_char_frac" and "q_rep_dup_<n>gram_char_frac".
const (
	SignalRepDupParaFrac     = "q_rep_dup_para_frac"
	SignalRepDupParaCharFrac = "q_rep_dup_para_char_frac"
	SignalRepDupLineFrac     = "q_rep_dup_line_frac"
	SignalRepDupLineCharFrac = "q_rep_dup_line_char_frac"
)

// GopherRepetitionConfig holds the thresholds of the Gopher repetition rules.
// A negative threshold turns its rule off.
type GopherRepetitionConfig struct {
	// MaxDupParaFrac bounds the share of paragraphs (parts of the trimmed
	// text between runs of 2 or more newlines) that repeat an earlier one
	// (0.3); MaxDupParaCharFrac the characters of those repeats over all
	// characters of the text (0.2).
	MaxDupParaFrac     float64 `yaml:"max_dup_para_frac"`
	MaxDupParaCharFrac float64 `yaml:"max_dup_para_char_frac"`
	// MaxDupLineFrac and MaxDupLineCharFrac are the same for lines, the parts
	// of the text between runs of newlines (0.3 and 0.2).
	MaxDupLineFrac     float64 `yaml:"max_dup_line_frac"`
	MaxDupLineCharFrac float64 `yaml:"max_dup_line_char_frac"`
	// MaxTopNGramCharFrac maps n to the largest share of the text's
	// characters that its most frequent word n-gram may cover: its length
	// (words joined by single spaces) times its count. Default {2: 0.20,
	// 3: 0.18, 4: 0.16}.
	MaxTopNGramCharFrac map[int]float64 `yaml:"max_top_ngram_char_frac"`
	// MaxDupNGramCharFrac maps n to the largest share of the text's
	// characters in repeated word n-grams (the characters of their words).
	// The scan moves on by n words after a repeat, so that overlapping
	// repeats are counted once. Default {5: 0.15, 6: 0.14, ..., 10: 0.10}.
	//
	// A YAML map given for either field is merged into the default one:
	// set a size's threshold to -1 to turn its rule off.
	MaxDupNGramCharFrac map[int]float64 `yaml:"max_dup_ngram_char_frac"`
	// Signals writes the statistics into metadata (see the package doc).
	Signals bool `yaml:"signals"`
}

// DefaultGopherRepetitionConfig returns the published Gopher parameters.
func DefaultGopherRepetitionConfig() GopherRepetitionConfig {
	return GopherRepetitionConfig{
		MaxDupParaFrac:      0.3,
		MaxDupParaCharFrac:  0.2,
		MaxDupLineFrac:      0.3,
		MaxDupLineCharFrac:  0.2,
		MaxTopNGramCharFrac: map[int]float64{2: 0.20, 3: 0.18, 4: 0.16},
		MaxDupNGramCharFrac: map[int]float64{5: 0.15, 6: 0.14, 7: 0.13, 8: 0.12, 9: 0.11, 10: 0.10},
	}
}

// nGramRule is one n-gram rule with its reason and signal names.
type nGramRule struct {
	n      int
	top    bool // most frequent n-gram, else all duplicated n-grams
	max    float64
	reason string
	signal string
}

// pieceRule is the pair of rules on repeated paragraphs or on repeated lines.
type pieceRule struct {
	what                 string // "paragraphs" or "lines"
	minRun               int    // newlines that separate two pieces
	maxFrac, maxCharFrac float64
	reason, charReason   string
	signal, charSignal   string
}

// GopherRepetition is the gopher_repetition stage.
type GopherRepetition struct {
	cfg    GopherRepetitionConfig
	pieces [2]pieceRule // paragraphs, then lines
	rules  []nGramRule  // by n, the top rule before the duplicate rule
}

// NewGopherRepetition returns the stage for cfg.
func NewGopherRepetition(cfg GopherRepetitionConfig) (*GopherRepetition, error) {
	g := &GopherRepetition{cfg: cfg, pieces: [2]pieceRule{
		{"paragraphs", 2, cfg.MaxDupParaFrac, cfg.MaxDupParaCharFrac,
			ReasonGopherDupParaFrac, ReasonGopherDupParaCharFrac, SignalRepDupParaFrac, SignalRepDupParaCharFrac},
		{"lines", 1, cfg.MaxDupLineFrac, cfg.MaxDupLineCharFrac,
			ReasonGopherDupLineFrac, ReasonGopherDupLineCharFrac, SignalRepDupLineFrac, SignalRepDupLineCharFrac},
	}}
	add := func(m map[int]float64, top bool, kind string) error {
		for n, limit := range m {
			if n < 1 || n > 64 {
				return fmt.Errorf("gopher_repetition: n-gram size %d out of range 1..64", n)
			}
			g.rules = append(g.rules, nGramRule{
				n: n, top: top, max: limit,
				reason: fmt.Sprintf("gopher_%s_%dgram", kind, n),
				signal: fmt.Sprintf("q_rep_%s_%dgram_char_frac", kind, n),
			})
		}
		return nil
	}
	if err := add(cfg.MaxTopNGramCharFrac, true, "top"); err != nil {
		return nil, err
	}
	if err := add(cfg.MaxDupNGramCharFrac, false, "dup"); err != nil {
		return nil, err
	}
	slices.SortFunc(g.rules, func(a, b nGramRule) int {
		if a.n != b.n {
			return a.n - b.n
		}
		if a.top {
			return -1
		}
		return 1
	})
	if len(g.rules) == 0 && cfg.MaxDupLineFrac < 0 && cfg.MaxDupParaFrac < 0 &&
		cfg.MaxDupLineCharFrac < 0 && cfg.MaxDupParaCharFrac < 0 {
		return nil, errors.New("gopher_repetition: every rule is off")
	}
	return g, nil
}

// Name returns "gopher_repetition".
func (g *GopherRepetition) Name() string { return "gopher_repetition" }

// repScratch holds the buffers of one Process call, reused through repPool.
type repScratch struct {
	c      counter
	hashes []uint64 // hash of each token
	grams  []uint64 // hash of the n-gram starting at each token
	prefix []int32  // prefix[i] = characters in tokens [0, i)
	cand   []int32  // positions whose n-gram may occur more than once
	mark   []int32  // mark[p] == n: the n-gram at p occurs more than once
}

var repPool = sync.Pool{New: func() any { return new(repScratch) }}

// Process applies the paragraph, line and n-gram rules in this order and
// rejects the record at the first that fails.
func (g *GopherRepetition) Process(r *record.Record) bool {
	cfg := &g.cfg
	v := verdict{stage: g.Name(), signals: cfg.Signals, r: r}
	text := r.Text
	chars := runeCount(text)
	s := repPool.Get().(*repScratch)
	defer repPool.Put(s)

	for _, p := range g.pieces {
		t := text
		if p.minRun > 1 {
			t = strings.TrimSpace(text)
		}
		n, dups, dupChars := s.dupPieces(t, p.minRun)
		frac, charFrac := ratio(dups, n), ratio(dupChars, chars)
		v.signal(p.signal, frac)
		v.signal(p.charSignal, charFrac)
		if over(frac, p.maxFrac) {
			v.fail(p.reason, "%.3f of %s are repeats > %g", frac, p.what, p.maxFrac)
		} else if over(charFrac, p.maxCharFrac) {
			v.fail(p.charReason, "%.3f of characters in repeated %s > %g", charFrac, p.what, p.maxCharFrac)
		}
		if v.done() {
			return v.keep()
		}
	}
	if len(g.rules) == 0 {
		return v.keep()
	}

	// Word n-grams. An n-gram can occur twice only where its (n-1)-gram
	// does, so the positions worth looking at shrink as n grows: cand holds
	// the positions whose (n-1)-gram occurs more than once, and grams[p]
	// the hash of the n-gram at p for p in cand.
	toks := getTokens(text)
	defer putTokens(text, toks)
	m := len(*toks)
	s.hashes = slices.Grow(s.hashes[:0], m)[:m]
	s.grams = slices.Grow(s.grams[:0], m)[:m]
	s.prefix = slices.Grow(s.prefix[:0], m+1)[:m+1]
	s.cand = slices.Grow(s.cand[:0], m)[:m]
	s.mark = slices.Grow(s.mark[:0], m)[:m]
	clear(s.mark)
	s.prefix[0] = 0
	for i, t := range *toks {
		h := hashString(text[t.start:t.end])
		s.hashes[i], s.grams[i] = h, h
		s.prefix[i+1] = s.prefix[i] + t.runes
		s.cand[i] = int32(i)
	}
	// Below the smallest n of the rules no counting is needed: extend the
	// hashes of every position up to it.
	minN := g.rules[0].n
	for k := 2; k <= minN; k++ {
		for p := 0; p+k <= m; p++ {
			s.grams[p] = combine(s.grams[p], s.hashes[p+k-1])
		}
	}
	ri := 0
	for n := minN; ri < len(g.rules) && !v.done() && n <= m; n++ {
		top, first := s.repeatedNGrams(n, m, n > minN)
		for ; ri < len(g.rules) && g.rules[ri].n == n && !v.done(); ri++ {
			rule := g.rules[ri]
			var covered int
			if rule.top {
				// Counter.most_common(1): with no repeat, the first n-gram.
				length := int(s.prefix[int(first)+n]-s.prefix[first]) + n - 1
				covered = length * int(top)
			} else {
				covered = s.dupNGramChars(n)
			}
			frac := ratio(covered, chars)
			v.signal(rule.signal, frac)
			if over(frac, rule.max) {
				kind := "repeated"
				if rule.top {
					kind = "the most frequent"
				}
				v.fail(rule.reason, "%.3f of characters in %s %d-grams > %g", frac, kind, n, rule.max)
			}
		}
	}
	return v.keep()
}

// repeatedNGrams moves from (n-1)-grams to n-grams, for a text of m tokens:
// it extends the hashes of the positions in s.cand (unless they already are
// of n-grams), keeps in s.cand those whose n-gram occurs more than once, and
// returns the count of the most frequent n-gram and its first position (the
// earliest among equally frequent ones; position 0 with count 1 when no
// n-gram repeats).
func (s *repScratch) repeatedNGrams(n, m int, extend bool) (top, first int32) {
	cand := s.cand
	for len(cand) > 0 && int(cand[len(cand)-1])+n > m {
		cand = cand[:len(cand)-1] // no n-gram starts there
	}
	if extend {
		for _, p := range cand {
			s.grams[p] = combine(s.grams[p], s.hashes[int(p)+n-1])
		}
	}
	// Mark the positions of n-grams seen twice: the first occurrence when
	// the second is found, later ones as they come.
	s.c.reset(len(cand))
	stamp := int32(n)
	for _, p := range cand {
		switch c, f := s.c.add(s.grams[p], int(p)); {
		case c == 2:
			s.mark[f] = stamp
			fallthrough
		case c > 2:
			s.mark[p] = stamp
		}
	}
	top, first = s.c.top()
	if top < 2 {
		top, first = 1, 0
	}
	kept := cand[:0]
	for _, p := range cand {
		if s.mark[p] == stamp {
			kept = append(kept, p)
		}
	}
	s.cand = kept
	return top, first
}

// dupNGramChars returns the characters of the words of repeated n-grams,
// scanning left to right and moving on by n words after each repeat, as
// datatrove's find_all_duplicate does. Only the positions in s.cand (whose
// n-gram occurs more than once) can be repeats; the scan's other positions
// hold n-grams that occur once, which neither count nor matter later.
func (s *repScratch) dupNGramChars(n int) int {
	s.c.reset(len(s.cand))
	covered, next := 0, int32(0) // next: the first position the scan visits
	for _, p := range s.cand {
		if p < next {
			continue // skipped after a repeat
		}
		if c, _ := s.c.add(s.grams[p], int(p)); c > 1 {
			covered += int(s.prefix[int(p)+n] - s.prefix[p])
			next = p + int32(n)
		} else {
			next = p + 1
		}
	}
	return covered
}

// dupPieces splits text at runs of at least minRun newlines (as Python's
// re.split("\n{k,}") does, keeping empty first and last pieces) and returns
// the number of pieces, of pieces equal to an earlier one, and of characters
// in those repeats.
func (s *repScratch) dupPieces(text string, minRun int) (pieces, dups, dupChars int) {
	s.c.reset(strings.Count(text, "\n")/minRun + 1)
	emit := func(piece string) {
		pieces++
		if n, _ := s.c.add(hashString(piece), 0); n > 1 {
			dups++
			dupChars += runeCount(piece)
		}
	}
	start, pos := 0, 0
	for {
		k := strings.IndexByte(text[pos:], '\n')
		if k < 0 {
			break
		}
		i := pos + k
		j := i + 1
		for j < len(text) && text[j] == '\n' {
			j++
		}
		if j-i >= minRun {
			emit(text[start:i])
			start = j
		}
		pos = j
	}
	emit(text[start:])
	return pieces, dups, dupChars
}
