package quality

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/winnow-corpus/winnow/record"
)

// Reason codes of the gopher_quality stage.
const (
	ReasonGopherMinWords       = "gopher_min_words"
	ReasonGopherMaxWords       = "gopher_max_words"
	ReasonGopherMeanWordLength = "gopher_mean_word_length"
	ReasonGopherSymbolRatio    = "gopher_symbol_ratio"
	ReasonGopherBulletLines    = "gopher_bullet_lines"
	ReasonGopherEllipsisLines  = "gopher_ellipsis_lines"
	ReasonGopherAlphaWords     = "gopher_alpha_words"
	ReasonGopherStopWords      = "gopher_stop_words"
)

// Signals of the gopher_quality stage.
const (
	SignalGopherWords          = "q_gopher_words"
	SignalGopherMeanWordLength = "q_gopher_mean_word_length"
	SignalGopherHashRatio      = "q_gopher_hash_ratio"
	SignalGopherEllipsisRatio  = "q_gopher_ellipsis_ratio"
	SignalGopherBulletLines    = "q_gopher_bullet_lines_frac"
	SignalGopherEllipsisLines  = "q_gopher_ellipsis_lines_frac"
	SignalGopherAlphaWords     = "q_gopher_alpha_words_frac"
	SignalGopherStopWords      = "q_gopher_stop_words"
)

// GopherQualityConfig holds the thresholds of the Gopher quality rules (Rae
// et al. 2021, table A1). A negative threshold turns its rule off.
type GopherQualityConfig struct {
	// MinWords and MaxWords bound the number of words (50 and 100,000).
	MinWords int `yaml:"min_words"`
	MaxWords int `yaml:"max_words"`
	// MinMeanWordLength and MaxMeanWordLength bound the mean word length in
	// characters (3 and 10). Not applied to languages written without spaces
	// (Chinese, Japanese, Thai, ...), whose segmented words are short.
	MinMeanWordLength float64 `yaml:"min_mean_word_length"`
	MaxMeanWordLength float64 `yaml:"max_mean_word_length"`
	// MaxSymbolWordRatio bounds, separately, the number of "#" and the number
	// of ellipses ("..." or "…") per word (0.1).
	MaxSymbolWordRatio float64 `yaml:"max_symbol_word_ratio"`
	// MaxBulletLinesFrac bounds the share of lines starting, after leading
	// white space, with one of Bullets (0.9).
	MaxBulletLinesFrac float64 `yaml:"max_bullet_lines_frac"`
	// Bullets are the line-starting marks of bulleted lines ("•" and "-";
	// Dolma uses "*" and "-").
	Bullets []string `yaml:"bullets"`
	// MaxEllipsisLinesFrac bounds the share of lines ending, before trailing
	// white space, with "..." or "…" (0.3).
	MaxEllipsisLinesFrac float64 `yaml:"max_ellipsis_lines_frac"`
	// MinAlphaWordsFrac is the least share of words containing a letter (0.8).
	MinAlphaWordsFrac float64 `yaml:"min_alpha_words_frac"`
	// MinStopWords is the least number of stop-word occurrences (2). The
	// rule applies only to documents whose language has a list in
	// StopWords: the language set by the langid stage, or DefaultLanguage
	// for documents without one that are written with spaces.
	MinStopWords int `yaml:"min_stop_words"`
	// StopWords maps a language code to its stop words, matched without
	// regard to case. English is Gopher's list; German, French and Spanish
	// are winnow's own, of the same kind (articles, "to be", "and", ...).
	StopWords map[string][]string `yaml:"stop_words"`
	// DefaultLanguage is assumed for documents without a "language" in
	// their metadata ("en", as in Gopher and FineWeb).
	DefaultLanguage string `yaml:"default_language"`
	// DivideByTokens makes the symbol and alphabetic-word ratios divide by
	// all tokens, punctuation included, as datatrove's code does, instead of
	// by words as the reference table and the Gopher paper read. On
	// crawl-style text with much punctuation it rejects several times more
	// documents by the alphabetic-word rule.
	DivideByTokens bool `yaml:"divide_by_tokens"`
	// Signals writes the statistics into metadata (see the package doc).
	Signals bool `yaml:"signals"`
}

// DefaultGopherQualityConfig returns the published Gopher parameters, with
// datatrove's bullets ("•" and "-").
func DefaultGopherQualityConfig() GopherQualityConfig {
	return GopherQualityConfig{
		MinWords:             50,
		MaxWords:             100_000,
		MinMeanWordLength:    3,
		MaxMeanWordLength:    10,
		MaxSymbolWordRatio:   0.1,
		MaxBulletLinesFrac:   0.9,
		Bullets:              []string{"•", "-"},
		MaxEllipsisLinesFrac: 0.3,
		MinAlphaWordsFrac:    0.8,
		MinStopWords:         2,
		StopWords: map[string][]string{
			"en": {"the", "be", "to", "of", "and", "that", "have", "with"},
			"de": {"der", "die", "das", "und", "sein", "zu", "von", "mit"},
			"fr": {"le", "la", "les", "de", "et", "être", "que", "avec"},
			"es": {"el", "la", "de", "que", "y", "ser", "los", "con"},
		},
		DefaultLanguage: "en",
	}
}

// GopherQuality is the gopher_quality stage.
type GopherQuality struct {
	cfg GopherQualityConfig
	// stop maps a language to its stop words.
	stop map[string]*stopSet
	// stopMaxLen is the byte length of the longest stop word, so that longer
	// words are not looked up at all.
	stopMaxLen int
}

// stopSet is a set of stop words matched without regard to case. Words of
// up to 8 ASCII bytes, the common case, are packed into integers and found
// by a short linear scan; the others are looked up in a map.
type stopSet struct {
	packed []uint64
	other  map[string]bool // lower-cased
}

func newStopSet(words []string) *stopSet {
	s := &stopSet{other: make(map[string]bool)}
	for _, w := range words {
		w = strings.ToLower(w)
		if p, ok := packASCII(w); ok {
			s.packed = append(s.packed, p)
		} else {
			s.other[w] = true
		}
	}
	return s
}

// packASCII packs a word of at most 8 ASCII bytes, lower-cased, into an
// integer; ok is false for other words.
func packASCII(w string) (p uint64, ok bool) {
	if len(w) > 8 {
		return 0, false
	}
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			return 0, false
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		p = p<<8 | uint64(c)
	}
	return p, true
}

// has reports whether w is one of the stop words.
func (s *stopSet) has(w string) bool {
	if p, ok := packASCII(w); ok {
		for _, q := range s.packed {
			if p == q {
				return true
			}
		}
		return false
	}
	return len(s.other) > 0 && s.other[strings.ToLower(w)]
}

// NewGopherQuality returns the stage for cfg.
func NewGopherQuality(cfg GopherQualityConfig) (*GopherQuality, error) {
	if cfg.MaxWords >= 0 && cfg.MinWords > cfg.MaxWords {
		return nil, errors.New("gopher_quality: min_words exceeds max_words")
	}
	g := &GopherQuality{cfg: cfg, stop: make(map[string]*stopSet)}
	for lang, words := range cfg.StopWords {
		g.stop[strings.ToLower(lang)] = newStopSet(words)
		for _, w := range words {
			g.stopMaxLen = max(g.stopMaxLen, len(w))
		}
	}
	for _, b := range cfg.Bullets {
		if b == "" {
			return nil, errors.New("gopher_quality: empty bullet")
		}
	}
	return g, nil
}

// Name returns "gopher_quality".
func (g *GopherQuality) Name() string { return "gopher_quality" }

// Process applies the rules in the order of the reference implementation
// and rejects the record at the first that fails.
func (g *GopherQuality) Process(r *record.Record) bool {
	cfg := &g.cfg
	v := verdict{stage: g.Name(), signals: cfg.Signals, r: r}
	text := r.Text
	lang := languageOf(r.Metadata)
	stops := g.stop[lang]
	if lang == "" {
		stops = g.stop[strings.ToLower(cfg.DefaultLanguage)]
	}

	var words, chars, alpha, seg, stopCount int
	toks := getTokens(text)
	tokens := len(*toks)
	for _, t := range *toks {
		if t.flags&tokWord == 0 {
			continue
		}
		words++
		chars += int(t.runes)
		if t.flags&tokAlpha != 0 {
			alpha++
		}
		if t.flags&tokSeg != 0 {
			seg++
		}
		if stops != nil && int(t.end-t.start) <= g.stopMaxLen && stops.has(text[t.start:t.end]) {
			stopCount++
		}
	}
	putTokens(text, toks)
	if lang == "" && unspaced("", seg, words) {
		stops = nil // Gopher's default list is for text written with spaces
	}

	v.signal(SignalGopherWords, words)
	switch {
	case under(float64(words), float64(cfg.MinWords)):
		v.fail(ReasonGopherMinWords, "%d words < %d", words, cfg.MinWords)
	case cfg.MaxWords >= 0 && words > cfg.MaxWords:
		v.fail(ReasonGopherMaxWords, "%d words > %d", words, cfg.MaxWords)
	}
	if v.done() {
		return v.keep()
	}

	mean := ratio(chars, words)
	v.signal(SignalGopherMeanWordLength, mean)
	if !unspaced(lang, seg, words) {
		if under(mean, cfg.MinMeanWordLength) {
			v.fail(ReasonGopherMeanWordLength, "mean word length %.3f < %g", mean, cfg.MinMeanWordLength)
		} else if over(mean, cfg.MaxMeanWordLength) {
			v.fail(ReasonGopherMeanWordLength, "mean word length %.3f > %g", mean, cfg.MaxMeanWordLength)
		}
	}

	per := words // the denominator of the ratios "per word"
	if cfg.DivideByTokens {
		per = tokens
	}
	hash := ratio(strings.Count(text, "#"), per)
	ellipsis := ratio(strings.Count(text, "...")+strings.Count(text, "…"), per)
	v.signal(SignalGopherHashRatio, hash)
	v.signal(SignalGopherEllipsisRatio, ellipsis)
	if over(hash, cfg.MaxSymbolWordRatio) {
		v.fail(ReasonGopherSymbolRatio, "%.3f '#' per word > %g", hash, cfg.MaxSymbolWordRatio)
	} else if over(ellipsis, cfg.MaxSymbolWordRatio) {
		v.fail(ReasonGopherSymbolRatio, "%.3f ellipses per word > %g", ellipsis, cfg.MaxSymbolWordRatio)
	}
	if v.done() {
		return v.keep()
	}

	var lines, bullets, ellipsisLines int
	eachLine(text, func(line string) {
		lines++
		start := strings.TrimLeftFunc(line, unicode.IsSpace)
		for _, b := range cfg.Bullets {
			if strings.HasPrefix(start, b) {
				bullets++
				break
			}
		}
		end := strings.TrimRightFunc(line, unicode.IsSpace)
		if strings.HasSuffix(end, "...") || strings.HasSuffix(end, "…") {
			ellipsisLines++
		}
	})
	bulletFrac, ellipsisFrac := ratio(bullets, lines), ratio(ellipsisLines, lines)
	v.signal(SignalGopherBulletLines, bulletFrac)
	v.signal(SignalGopherEllipsisLines, ellipsisFrac)
	if over(bulletFrac, cfg.MaxBulletLinesFrac) {
		v.fail(ReasonGopherBulletLines, "%.3f of lines start with a bullet > %g", bulletFrac, cfg.MaxBulletLinesFrac)
	}
	if over(ellipsisFrac, cfg.MaxEllipsisLinesFrac) {
		v.fail(ReasonGopherEllipsisLines, "%.3f of lines end with an ellipsis > %g", ellipsisFrac, cfg.MaxEllipsisLinesFrac)
	}

	alphaFrac := ratio(alpha, per)
	v.signal(SignalGopherAlphaWords, alphaFrac)
	if under(alphaFrac, cfg.MinAlphaWordsFrac) {
		v.fail(ReasonGopherAlphaWords, "%.3f of words have a letter < %g", alphaFrac, cfg.MinAlphaWordsFrac)
	}

	if stops != nil {
		v.signal(SignalGopherStopWords, stopCount)
		if cfg.MinStopWords >= 0 && stopCount < cfg.MinStopWords {
			v.fail(ReasonGopherStopWords, "%d stop words < %d", stopCount, cfg.MinStopWords)
		}
	}
	return v.keep()
}
