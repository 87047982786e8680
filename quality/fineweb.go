package quality

import (
	"strings"

	"github.com/winnow-corpus/winnow/record"
)

// Reason codes of the fineweb_quality stage.
const (
	ReasonFineWebPunctLines   = "fineweb_punct_lines"
	ReasonFineWebShortLines   = "fineweb_short_lines"
	ReasonFineWebDupChars     = "fineweb_dup_chars"
	ReasonFineWebNewlineRatio = "fineweb_newline_ratio"
)

// Signals of the fineweb_quality stage.
const (
	SignalFineWebPunctLines   = "q_fw_punct_lines_frac"
	SignalFineWebShortLines   = "q_fw_short_lines_frac"
	SignalFineWebDupChars     = "q_fw_dup_char_frac"
	SignalFineWebNewlineRatio = "q_fw_newline_word_ratio"
)

// FineWebConfig holds the thresholds of the rules FineWeb added to Gopher
// and C4 (datatrove's FineWebQualityFilter). Lines are the parts of the text
// between newlines, a final empty one included. A negative threshold turns
// its rule off.
type FineWebConfig struct {
	// MinPunctLinesFrac is the least share of non-empty lines ending in
	// one of . ' " ! ? (0.12). datatrove divides by all lines, empty ones
	// included.
	MinPunctLinesFrac float64 `yaml:"min_punct_lines_frac"`
	// ShortLineChars is the length in characters up to which a line is
	// short (30); MaxShortLinesFrac bounds the share of short lines (0.67).
	ShortLineChars    int     `yaml:"short_line_chars"`
	MaxShortLinesFrac float64 `yaml:"max_short_lines_frac"`
	// MaxDupCharFrac bounds the characters of non-empty lines that repeat an
	// earlier line, over the characters of the text without its newlines
	// (0.01; FineWeb-2 uses 0.1).
	MaxDupCharFrac float64 `yaml:"max_dup_char_frac"`
	// MaxNewlineWordRatio bounds newlines per word (0.3).
	MaxNewlineWordRatio float64 `yaml:"max_newline_word_ratio"`
	// Signals writes the statistics into metadata (see the package doc).
	Signals bool `yaml:"signals"`
}

// DefaultFineWebConfig returns FineWeb's parameters.
func DefaultFineWebConfig() FineWebConfig {
	return FineWebConfig{
		MinPunctLinesFrac:   0.12,
		ShortLineChars:      30,
		MaxShortLinesFrac:   0.67,
		MaxDupCharFrac:      0.01,
		MaxNewlineWordRatio: 0.3,
	}
}

// FineWeb is the fineweb_quality stage.
type FineWeb struct{ cfg FineWebConfig }

// NewFineWeb returns the stage for cfg.
func NewFineWeb(cfg FineWebConfig) (*FineWeb, error) { return &FineWeb{cfg: cfg}, nil }

// Name returns "fineweb_quality".
func (f *FineWeb) Name() string { return "fineweb_quality" }

// Process applies the rules in the order of the reference implementation
// and rejects the record at the first that fails.
func (f *FineWeb) Process(r *record.Record) bool {
	cfg := &f.cfg
	v := verdict{stage: f.Name(), signals: cfg.Signals, r: r}
	text := r.Text
	newlines := strings.Count(text, "\n")
	c := counterPool.Get().(*counter)
	defer counterPool.Put(c)
	c.reset(newlines + 1)

	var lines, nonEmpty, punct, short, dupChars int
	rest := text
	for {
		line := rest
		i := strings.IndexByte(rest, '\n')
		if i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		}
		line = strings.TrimSuffix(line, "\r")
		lines++
		// A character is 1 to 4 bytes: count characters only if the byte
		// length leaves the question open.
		if n := len(line); n <= cfg.ShortLineChars ||
			n <= 4*cfg.ShortLineChars && runeCount(line) <= cfg.ShortLineChars {
			short++
		}
		if strings.TrimSpace(line) != "" {
			nonEmpty++
			if last := line[len(line)-1]; strings.IndexByte(".'\"!?", last) >= 0 {
				punct++
			}
			if n, _ := c.add(hashString(line), 0); n > 1 {
				dupChars += runeCount(line)
			}
		}
		if i < 0 {
			break
		}
	}

	punctFrac := ratio(punct, nonEmpty)
	v.signal(SignalFineWebPunctLines, punctFrac)
	if under(punctFrac, cfg.MinPunctLinesFrac) {
		v.fail(ReasonFineWebPunctLines, "%.3f of non-empty lines end in punctuation < %g", punctFrac, cfg.MinPunctLinesFrac)
	}
	shortFrac := ratio(short, lines)
	v.signal(SignalFineWebShortLines, shortFrac)
	if over(shortFrac, cfg.MaxShortLinesFrac) {
		v.fail(ReasonFineWebShortLines, "%.3f of lines have at most %d characters > %g", shortFrac, cfg.ShortLineChars, cfg.MaxShortLinesFrac)
	}
	dupFrac := ratio(dupChars, runeCount(text)-newlines)
	v.signal(SignalFineWebDupChars, dupFrac)
	if over(dupFrac, cfg.MaxDupCharFrac) {
		v.fail(ReasonFineWebDupChars, "%.4f of characters in repeated lines > %g", dupFrac, cfg.MaxDupCharFrac)
	}
	if v.done() {
		return v.keep()
	}

	// Without signals, count words only until there are enough for the
	// rule to pass.
	enough := -1
	if !cfg.Signals && cfg.MaxNewlineWordRatio > 0 {
		enough = int(float64(newlines)/cfg.MaxNewlineWordRatio) + 1
	}
	words := countWords(text, enough)
	nlRatio := ratio(newlines, words)
	if words == 0 && newlines > 0 {
		nlRatio = float64(newlines)
	}
	v.signal(SignalFineWebNewlineRatio, nlRatio)
	if over(nlRatio, cfg.MaxNewlineWordRatio) {
		v.fail(ReasonFineWebNewlineRatio, "%.3f newlines per word > %g", nlRatio, cfg.MaxNewlineWordRatio)
	}
	return v.keep()
}
