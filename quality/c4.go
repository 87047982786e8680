package quality

import (
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/winnow-corpus/winnow/record"
)

// Reason codes of the c4 stage: document rejections ...
const (
	ReasonC4LoremIpsum  = "c4_lorem_ipsum"
	ReasonC4Curly       = "c4_curly"
	ReasonC4MinSentence = "c4_min_sentences"
	ReasonC4MaxChars    = "c4_max_chars"
	ReasonC4BadWords    = "c4_bad_words"
)

// ... and the reasons of removed lines, in record.RemovedLine.Reason.
const (
	ReasonC4LongWord        = "c4_long_word"
	ReasonC4NoTerminalPunct = "c4_no_terminal_punct"
	ReasonC4MinWords        = "c4_min_words"
	ReasonC4Javascript      = "c4_javascript"
	ReasonC4Policy          = "c4_policy"
)

// Signals of the c4 stage.
const (
	SignalC4Lines        = "q_c4_lines"
	SignalC4LinesRemoved = "q_c4_lines_removed"
	SignalC4Sentences    = "q_c4_sentences"
)

// C4 variants: the line and sentence minimums of the paper and of the TFDS
// code differ (see C4Config.Variant).
const (
	C4Paper = "paper"
	C4TFDS  = "tfds"
)

// C4Config holds the parameters of the C4 rules.
type C4Config struct {
	// Variant is C4Paper (the default: at least 3 words per line and 5
	// sentences per document, and "'" also ends a line, as in the C4 paper
	// and in datatrove, which FineWeb used) or C4TFDS (5 words, 3 sentences,
	// end marks . ? ! " as in TensorFlow Datasets' c4_utils).
	Variant string `yaml:"variant"`
	// MinWordsPerLine and MinSentences override the variant's minimums when
	// positive; a negative value turns the rule off. Words of lines in
	// scripts written without spaces are counted as the package doc says.
	MinWordsPerLine int `yaml:"min_words_per_line"`
	MinSentences    int `yaml:"min_sentences"`
	// TerminalPunct keeps only lines ending in an end mark and not in "..."
	// (and, a winnow addition, lines ending in "。", "！" or "？"). FineWeb
	// runs C4 with it off.
	TerminalPunct bool `yaml:"terminal_punct"`
	// MaxWordLength drops lines with a longer word (1,000 characters).
	MaxWordLength int `yaml:"max_word_length"`
	// MaxChars rejects documents longer than this many characters (190,000).
	MaxChars int `yaml:"max_chars"`
	// RemoveCitations strips "[1]", "[]", "[edit]" and "[citation needed]".
	RemoveCitations bool `yaml:"remove_citations"`
	// Javascript drops lines containing "javascript".
	Javascript bool `yaml:"javascript"`
	// Policy drops lines containing "terms of use", "privacy policy",
	// "cookie policy", "uses cookies", "use of cookies" or "use cookies".
	Policy bool `yaml:"policy"`
	// LoremIpsum rejects documents with "lorem ipsum" in a line that passed
	// the rules above; CurlyBracket likewise with "{".
	LoremIpsum   bool `yaml:"lorem_ipsum"`
	CurlyBracket bool `yaml:"curly_bracket"`
	// BadWords rejects documents whose kept text contains one of these
	// words or phrases (whole words, case-insensitive), such as the LDNOOBW
	// list C4 used. Empty by default: winnow ships no such list.
	BadWords []string `yaml:"bad_words"`
	// Signals writes the statistics into metadata (see the package doc).
	Signals bool `yaml:"signals"`
}

// DefaultC4Config returns the C4 paper's parameters with every rule on.
func DefaultC4Config() C4Config {
	return C4Config{
		Variant:         C4Paper,
		TerminalPunct:   true,
		MaxWordLength:   1000,
		MaxChars:        190_000,
		RemoveCitations: true,
		Javascript:      true,
		Policy:          true,
		LoremIpsum:      true,
		CurlyBracket:    true,
	}
}

// C4 is the c4 stage. It removes the lines that fail the line rules from the
// text, logging each in r.Removed, and rejects documents that fail the
// document rules.
type C4 struct {
	cfg          C4Config
	minWords     int
	minSentences int
	endMarks     string
	badWords     map[string]bool // single words
	badPhrases   []string        // phrases of several words
}

// NewC4 returns the stage for cfg.
func NewC4(cfg C4Config) (*C4, error) {
	c := &C4{cfg: cfg}
	switch cfg.Variant {
	case C4Paper, "":
		c.minWords, c.minSentences, c.endMarks = 3, 5, ".?!\"'"
	case C4TFDS:
		c.minWords, c.minSentences, c.endMarks = 5, 3, ".?!\""
	default:
		return nil, fmt.Errorf("c4: unknown variant %q (want %q or %q)", cfg.Variant, C4Paper, C4TFDS)
	}
	if cfg.MinWordsPerLine != 0 {
		c.minWords = cfg.MinWordsPerLine
	}
	if cfg.MinSentences != 0 {
		c.minSentences = cfg.MinSentences
	}
	for _, w := range cfg.BadWords {
		w = strings.ToLower(strings.TrimSpace(w))
		switch {
		case w == "":
		case strings.ContainsFunc(w, unicode.IsSpace):
			c.badPhrases = append(c.badPhrases, w)
		default:
			if c.badWords == nil {
				c.badWords = make(map[string]bool)
			}
			c.badWords[w] = true
		}
	}
	return c, nil
}

// Name returns "c4".
func (c *C4) Name() string { return "c4" }

type c4Scratch struct {
	lower   []byte
	out     []byte
	toks    []token
	removed []record.RemovedLine
	// hits[p] lists the offsets of c4Phrases[p] in the text; next[p] is the
	// first not before the current line.
	hits [8][]int
	next [8]int
}

var c4Pool = sync.Pool{New: func() any { return new(c4Scratch) }}

// Process filters the lines of r.Text and rejects the document if a
// document rule fails. On rejection the text is left as it was.
func (c *C4) Process(r *record.Record) bool {
	cfg := &c.cfg
	v := verdict{stage: c.Name(), signals: cfg.Signals, r: r}
	text := r.Text
	if cfg.MaxChars >= 0 && len(text) > cfg.MaxChars {
		if n := utf8.RuneCountInString(text); n > cfg.MaxChars {
			v.fail(ReasonC4MaxChars, "%d characters > %d", n, cfg.MaxChars)
			return v.keep()
		}
	}
	s := c4Pool.Get().(*c4Scratch)
	defer c4Pool.Put(s)
	s.out = s.out[:0]
	s.removed = s.removed[:0]
	s.findPhrases(text)

	var sentences, lines int
	for rest, off := text, 0; len(rest) > 0 && v.reason == ""; lines++ {
		raw := rest
		if i := strings.IndexByte(rest, '\n'); i >= 0 {
			raw, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		start, end := off, off+len(raw)
		off = end + 1
		raw = strings.TrimSuffix(raw, "\r")
		line := strings.TrimSpace(raw)
		// A line of at most MaxWordLength bytes has no word too long, and
		// C4 only asks whether it has minWords words.
		long := cfg.MaxWordLength >= 0 && len(line) > cfg.MaxWordLength
		words, longest := s.lineWords(line, c.minWords, long)
		reason := ""
		// Phrases are looked up among the hits of findPhrases, or in the
		// line itself (lineLower) when it changed.
		lineLower := ""
		has := func(p int) bool {
			if lineLower != "" {
				return strings.Contains(lineLower, c4Phrases[p])
			}
			return s.hit(p, start, end)
		}
		switch {
		case cfg.MaxWordLength >= 0 && longest > cfg.MaxWordLength:
			reason = ReasonC4LongWord
		case cfg.RemoveCitations && strings.IndexByte(line, '[') >= 0:
			line = removeCitations(line)
			words, _ = s.lineWords(line, c.minWords, false)
			// Removing citations can join a phrase: look in the line.
			lineLower = s.lowerASCII(line)
		}
		switch {
		case reason != "":
		case cfg.TerminalPunct && !c.endsSentence(line):
			reason = ReasonC4NoTerminalPunct
		case c.minWords >= 0 && words < c.minWords:
			reason = ReasonC4MinWords
		case cfg.LoremIpsum && has(phraseLorem):
			v.fail(ReasonC4LoremIpsum, "line %d contains \"lorem ipsum\"", lines)
		case cfg.Javascript && has(phraseJavascript):
			reason = ReasonC4Javascript
		case cfg.CurlyBracket && strings.IndexByte(line, '{') >= 0:
			v.fail(ReasonC4Curly, "line %d contains \"{\"", lines)
		case cfg.Policy && slices.ContainsFunc(policyPhrases, has):
			reason = ReasonC4Policy
		default:
			// Count sentences only as far as the rule needs.
			if cfg.Signals || sentences < c.minSentences {
				sentences += countSentences(line)
			}
			if len(s.out) > 0 {
				s.out = append(s.out, '\n')
			}
			s.out = append(s.out, line...)
		}
		if reason != "" && line != "" {
			s.removed = append(s.removed, record.RemovedLine{Stage: c.Name(), Line: lines, Text: raw, Reason: reason})
		}
	}
	v.signal(SignalC4Lines, lines)
	v.signal(SignalC4LinesRemoved, len(s.removed))
	v.signal(SignalC4Sentences, sentences)
	if v.reason == "" && c.minSentences >= 0 && sentences < c.minSentences {
		v.fail(ReasonC4MinSentence, "%d sentences < %d", sentences, c.minSentences)
	}
	kept := unsafeString(s.out) // copied below if the record is kept
	if v.reason == "" && (c.badWords != nil || c.badPhrases != nil) {
		if w := c.findBadWord(s, kept); w != "" {
			v.fail(ReasonC4BadWords, "contains %q", w)
		}
	}
	if v.reason != "" {
		return v.keep()
	}
	r.Text = strings.Clone(kept)
	r.Removed = append(r.Removed, s.removed...)
	return true
}

// The phrases C4 looks for: the first two, then the policy phrases.
const (
	phraseLorem = iota
	phraseJavascript
	phrasePolicy // the first of the policy phrases
)

var c4Phrases = []string{"lorem ipsum", "javascript",
	"terms of use", "privacy policy", "cookie policy", "uses cookies", "use of cookies", "use cookies"}

var policyPhrases = []int{phrasePolicy, phrasePolicy + 1, phrasePolicy + 2, phrasePolicy + 3, phrasePolicy + 4, phrasePolicy + 5}

// findPhrases finds every occurrence of c4Phrases in text, ignoring ASCII
// case. Searching the whole text once per phrase is much faster than
// searching each line: most texts hold none. Four policy phrases contain
// "cookie" and are looked for only where it occurs.
func (s *c4Scratch) findPhrases(text string) {
	s.lower = lowerASCII(s.lower[:0], text)
	lower := unsafeString(s.lower)
	cookies := strings.Contains(lower, "cookie")
	for p, phrase := range c4Phrases {
		s.hits[p] = s.hits[p][:0]
		s.next[p] = 0
		if !cookies && strings.Contains(phrase, "cookie") {
			continue
		}
		s.hits[p] = findAll(s.hits[p], lower, phrase, phraseAnchors[p])
	}
}

// findAll appends to hits the offsets of phrase in text, found by looking
// for its byte at anchor, the phrase's rarest letter in English text, and
// checking the rest around it: fewer false starts than strings.Index, which
// looks for the first byte.
func findAll(hits []int, text, phrase string, anchor int) []int {
	c := phrase[anchor]
	for i := anchor; i < len(text); {
		k := strings.IndexByte(text[i:], c)
		if k < 0 {
			break
		}
		start := i + k - anchor
		if strings.HasPrefix(text[start:], phrase) {
			hits = append(hits, start)
		}
		i += k + 1
	}
	return hits
}

// phraseAnchors holds, for each of c4Phrases, the offset of its rarest
// letter by English letter frequency.
var phraseAnchors = func() []int {
	const rarity = "jqxzkvbpygfwmucldrhsnioate " // rarest first
	out := make([]int, len(c4Phrases))
	for p, phrase := range c4Phrases {
		best := len(rarity)
		for i := 0; i < len(phrase); i++ {
			if r := strings.IndexByte(rarity, phrase[i]); r >= 0 && r < best {
				best, out[p] = r, i
			}
		}
	}
	return out
}()

// hit reports whether phrase p occurs within text[start:end], for lines
// asked about in order.
func (s *c4Scratch) hit(p, start, end int) bool {
	h := s.hits[p]
	for s.next[p] < len(h) && h[s.next[p]] < start {
		s.next[p]++
	}
	return s.next[p] < len(h) && h[s.next[p]]+len(c4Phrases[p]) <= end
}

// endsSentence reports whether line ends in one of the variant's end marks
// and not in "...". The full stops of Chinese and Japanese ("。", "！",
// "？") end a line too, a winnow addition without effect on other text.
func (c *C4) endsSentence(line string) bool {
	if line == "" {
		return false
	}
	if last := line[len(line)-1]; last >= utf8.RuneSelf {
		r, _ := utf8.DecodeLastRuneInString(line)
		return r == '。' || r == '！' || r == '？'
	}
	if strings.IndexByte(c.endMarks, line[len(line)-1]) < 0 {
		return false
	}
	return !strings.HasSuffix(line, "...")
}

// removeCitations strips Wikipedia-style citation marks: "[" digits "]"
// (digits may be none), "[edit]" and "[citation needed]".
func removeCitations(line string) string {
	var b strings.Builder
	last := 0
	for i := 0; i < len(line); i++ {
		if line[i] != '[' {
			continue
		}
		j := i + 1
		for j < len(line) && line[j] >= '0' && line[j] <= '9' {
			j++
		}
		end := -1
		switch {
		case j < len(line) && line[j] == ']':
			end = j + 1
		case strings.HasPrefix(line[i:], "[edit]"):
			end = i + len("[edit]")
		case strings.HasPrefix(line[i:], "[citation needed]"):
			end = i + len("[citation needed]")
		}
		if end < 0 {
			continue
		}
		b.WriteString(line[last:i])
		last = end
		i = end - 1
	}
	if last == 0 {
		return line
	}
	b.WriteString(line[last:])
	return b.String()
}

// lineWords returns the number of words of a line split at white space, as
// C4 counts them, and the length in characters of the longest. A
// white-space-separated field in a script written without spaces counts as
// as many words as tokenize finds in it. Unless longest is wanted, it stops
// counting at enough words (when enough is positive).
func (s *c4Scratch) lineWords(line string, enough int, wantLongest bool) (words, longest int) {
	start, runes, segmented := -1, 0, false // the field being read
	endField := func(end int) {
		if segmented {
			w, l := s.fieldWords(line[start:end])
			words += w
			longest = max(longest, l)
		} else {
			words++
			longest = max(longest, runes)
		}
		start = -1
	}
	for i := 0; i < len(line); {
		if !wantLongest && enough > 0 && words >= enough {
			return words, longest
		}
		c := line[i]
		if asciiInk[c] {
			// A run of ASCII characters that are not white space.
			if start < 0 {
				start, runes, segmented = i, 0, false
			}
			j := i + 1
			for j < len(line) && asciiInk[line[j]] {
				j++
			}
			runes += j - i
			i = j
			continue
		}
		if c < utf8.RuneSelf {
			if asciiClass[c] == clSpace {
				if start >= 0 {
					endField(i)
				}
			} else {
				if start < 0 {
					start, runes, segmented = i, 0, false
				}
				runes++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(line[i:])
		if unicode.IsSpace(r) {
			if start >= 0 {
				endField(i)
			}
		} else {
			if start < 0 {
				start, runes, segmented = i, 0, false
			}
			runes++
			if segScript(r) != segNone {
				segmented = true
			}
		}
		i += size
	}
	if start >= 0 {
		endField(len(line))
	}
	return words, longest
}

// asciiInk marks the ASCII bytes that are not white space.
var asciiInk = func() (t [256]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = asciiClass[c] != clSpace
	}
	return t
}()

// fieldWords counts the words of a field without white space that holds
// characters of a script written without spaces, and returns the length of
// the longest.
func (s *c4Scratch) fieldWords(field string) (words, longest int) {
	s.toks = tokenize(field, s.toks[:0])
	for _, t := range s.toks {
		longest = max(longest, int(t.runes))
	}
	return len(s.toks), longest
}

// lowerASCII returns line with ASCII letters lower-cased, in a buffer reused
// until the next call. The phrases C4 looks for are ASCII.
func (s *c4Scratch) lowerASCII(line string) string {
	s.lower = lowerASCII(s.lower[:0], line)
	return unsafeString(s.lower)
}

// lowerASCII appends s to dst with the ASCII letters lower-cased, eight
// bytes at a time, and returns the extended buffer.
func lowerASCII(dst []byte, s string) []byte {
	const (
		hi  = 0x8080808080808080
		low = 0x7f7f7f7f7f7f7f7f
		one = 0x0101010101010101
	)
	n := len(dst)
	dst = append(dst, s...)
	b := dst[n:]
	i := 0
	for ; i+8 <= len(b); i += 8 {
		x := binary.LittleEndian.Uint64(b[i:])
		h := x & low
		geA := h + (0x80-'A')*one // bit 7 set where the byte is at least 'A'
		gtZ := h + (0x7f-'Z')*one // bit 7 set where it is above 'Z'
		upper := (geA ^ gtZ) & ^x & hi
		binary.LittleEndian.PutUint64(b[i:], x|upper>>2)
	}
	for ; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return dst
}

// findBadWord returns the first bad word or phrase in text, or "".
func (c *C4) findBadWord(s *c4Scratch, text string) string {
	lower := strings.ToLower(text)
	if c.badWords != nil {
		s.toks = tokenize(lower, s.toks[:0])
		for _, t := range s.toks {
			if w := lower[t.start:t.end]; c.badWords[w] {
				return w
			}
		}
	}
	for _, p := range c.badPhrases {
		for i := 0; ; {
			j := strings.Index(lower[i:], p)
			if j < 0 {
				break
			}
			start, end := i+j, i+j+len(p)
			if wordBoundary(lower, start) && wordBoundary(lower, end) {
				return p
			}
			i = start + 1
		}
	}
	return ""
}

// wordBoundary reports whether no word runs across byte offset i of s.
func wordBoundary(s string, i int) bool {
	if i == 0 || i == len(s) {
		return true
	}
	a, _ := utf8.DecodeLastRuneInString(s[:i])
	b, _ := utf8.DecodeRuneInString(s[i:])
	isWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return !isWord(a) || !isWord(b)
}
