package quality

import (
	"encoding/binary"
	"math"
	"math/bits"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// A token is one word or punctuation token of a text, as byte offsets into it.
type token struct {
	start, end int32 // text[start:end]
	runes      int32 // length in characters (code points)
	flags      uint8
}

const (
	tokWord  uint8 = 1 << iota // has a character that is not punctuation or a symbol
	tokAlpha                   // has a letter
	tokSeg                     // comes from a script written without spaces
)

// Character classes of the ASCII fast path.
const (
	clSpace uint8 = 1 << iota
	clPunct
	clLetter
	clDigit
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 0; c < utf8.RuneSelf; c++ {
		r := rune(c)
		switch {
		case unicode.IsSpace(r):
			t[c] = clSpace
		case unicode.IsLetter(r):
			t[c] = clLetter
		case unicode.IsDigit(r):
			t[c] = clDigit
		case unicode.IsPunct(r) || unicode.IsSymbol(r):
			t[c] = clPunct
		}
	}
	return t
}()

// wordByte is, for each byte, 0 if it ends a run of ASCII word characters
// (white space, punctuation, or a byte of a multi-byte character), else
// tokWord, with tokAlpha for letters: one table lookup per byte on the fast
// path of tokenize.
var wordByte = func() (t [256]uint8) {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch asciiClass[c] {
		case clLetter:
			t[c] = tokWord | tokAlpha
		case clDigit, 0:
			t[c] = tokWord
		}
	}
	return t
}()

// classOf returns the class of r (0 for controls, marks and the like, which
// count as word characters).
func classOf(r rune) uint8 {
	if r < utf8.RuneSelf {
		return asciiClass[r]
	}
	switch {
	case unicode.IsSpace(r):
		return clSpace
	case unicode.IsLetter(r):
		return clLetter
	case unicode.IsDigit(r):
		return clDigit
	case unicode.IsPunct(r) || unicode.IsSymbol(r):
		return clPunct
	}
	return 0
}

// Scripts written without spaces between words.
const (
	segNone = iota
	segChar // every character is a word: Han, Hiragana, Katakana
	segThai // Thai and Lao: split at syllable boundaries
)

func segScript(r rune) int {
	switch {
	case r < 0x0E00:
		return segNone
	case r <= 0x0EFF: // Thai, Lao
		return segThai
	case r >= 0x3040 && r <= 0x30FF, // Hiragana, Katakana
		r >= 0x31F0 && r <= 0x31FF,   // Katakana phonetic extensions
		r >= 0x3400 && r <= 0x4DBF,   // CJK extension A
		r >= 0x4E00 && r <= 0x9FFF,   // CJK unified ideographs
		r >= 0xF900 && r <= 0xFAFF,   // CJK compatibility ideographs
		r >= 0xFF66 && r <= 0xFF9F,   // half-width Katakana
		r >= 0x20000 && r <= 0x3FFFF: // CJK extensions B and later
		return segChar
	}
	return segNone
}

// thaiStartsSyllable reports whether a Thai or Lao word starts at r: the
// vowels written before their consonant (เ แ โ ใ ไ, and Lao ເ ແ ໂ ໃ ໄ).
func thaiStartsSyllable(r rune) bool {
	return (r >= 0x0E40 && r <= 0x0E44) || (r >= 0x0EC0 && r <= 0x0EC4)
}

// thaiEndsSyllable reports whether a Thai or Lao word ends after r: sara a,
// sara aa, sara am, the repetition mark and the abbreviation mark. Breaking
// after sara aa splits a final consonant off now and then ("มา|ก"), but
// gives word counts close to a dictionary segmenter's on running text.
func thaiEndsSyllable(r rune) bool {
	switch r {
	case 0x0E30, 0x0E32, 0x0E33, 0x0E46, 0x0E2F, 0x0EB0, 0x0EB2, 0x0EB3, 0x0EC6, 0x0EAF:
		return true
	}
	return false
}

// isConnector reports whether r joins two word characters into one token
// ("don't", "well-known", "3.14", "1,000", "e.g", "a_b", "me@example").
func isConnector(r rune) bool {
	switch r {
	case '\'', '-', '.', ',', '_', '@', '\u2019':
		return true
	}
	return false
}

// tokenize appends the tokens of text to toks and returns it. It never fails:
// an invalid UTF-8 byte is a symbol, like the U+FFFD it decodes to.
//
// White space separates tokens. A run of the same punctuation character is
// one token ("...", "--", "!"); a connector between two word characters stays
// inside the word. Characters of segmented scripts are split as the package
// documentation describes.
func tokenize(text string, toks []token) []token {
	if len(text) > math.MaxInt32 {
		text = text[:math.MaxInt32] // token offsets are 32-bit
	}
	n := len(text)
	// The word being read, if open: text[start:i], runes characters long.
	var (
		open    bool
		thaiRun bool // the open word is Thai or Lao
		start   int
		runes   int32
		flags   uint8
	)
	for i := 0; i < n; {
		c := text[i]
		if c < utf8.RuneSelf {
			cl := asciiClass[c]
			if cl != clSpace && cl != clPunct {
				// A run of ASCII word characters.
				if open && thaiRun {
					toks = append(toks, token{int32(start), int32(i), runes, flags})
					open = false
				}
				if !open {
					open, thaiRun, start, runes, flags = true, false, i, 0, tokWord
				}
				j := i
				for ; j < n; j++ {
					k := wordByte[text[j]]
					if k == 0 {
						break
					}
					flags |= k & tokAlpha
				}
				runes += int32(j - i)
				i = j
				continue
			}
			if cl == clSpace {
				if open {
					toks = append(toks, token{int32(start), int32(i), runes, flags})
					open = false
				}
				i++
				continue
			}
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(text[i:])
		}
		cl := classOf(r)
		switch {
		case cl == clSpace:
			if open {
				toks = append(toks, token{int32(start), int32(i), runes, flags})
				open = false
			}
			i += size
			continue
		case cl == clPunct:
			if open && !thaiRun && isConnector(r) && i+size < n && nextIsWordChar(text[i+size:]) {
				runes++
				i += size
				continue
			}
			if open {
				toks = append(toks, token{int32(start), int32(i), runes, flags})
				open = false
			}
			// A run of the same punctuation character is one token.
			j, count := i+size, int32(1)
			for j < n {
				if c < utf8.RuneSelf {
					if text[j] != c {
						break
					}
					j++
				} else {
					r2, s2 := utf8.DecodeRuneInString(text[j:])
					if r2 != r {
						break
					}
					j += s2
				}
				count++
			}
			toks = append(toks, token{int32(i), int32(j), count, 0})
			i = j
			continue
		}
		switch segScript(r) {
		case segChar:
			if open {
				toks = append(toks, token{int32(start), int32(i), runes, flags})
				open = false
			}
			toks = append(toks, token{int32(i), int32(i + size), 1, tokWord | tokAlpha | tokSeg})
			i += size
			continue
		case segThai:
			if open && (!thaiRun || thaiStartsSyllable(r)) {
				toks = append(toks, token{int32(start), int32(i), runes, flags})
				open = false
			}
			if !open {
				open, thaiRun, start, runes, flags = true, true, i, 0, tokWord|tokSeg
			}
			runes++
			if cl == clLetter {
				flags |= tokAlpha
			}
			i += size
			if thaiEndsSyllable(r) {
				toks = append(toks, token{int32(start), int32(i), runes, flags})
				open = false
			}
			continue
		}
		// Any other word character.
		if open && thaiRun {
			toks = append(toks, token{int32(start), int32(i), runes, flags})
			open = false
		}
		if !open {
			open, thaiRun, start, runes, flags = true, false, i, 0, tokWord
		}
		runes++
		if cl == clLetter {
			flags |= tokAlpha
		}
		i += size
	}
	if open {
		toks = append(toks, token{int32(start), int32(n), runes, flags})
	}
	return toks
}

// nextIsWordChar reports whether s starts with a character that continues a
// word of a spaced script.
func nextIsWordChar(s string) bool {
	c := s[0]
	if c < utf8.RuneSelf {
		cl := asciiClass[c]
		return cl == clLetter || cl == clDigit
	}
	r, _ := utf8.DecodeRuneInString(s)
	cl := classOf(r)
	return (cl == clLetter || cl == clDigit || cl == 0) && segScript(r) == segNone
}

// countWords returns the number of words of text, or a number at least
// enough when it is not negative and the text has that many. Tokens never
// span a newline, so the text is tokenized line by line.
func countWords(text string, enough int) int {
	p := tokenPool.Get().(*[]token)
	defer tokenPool.Put(p)
	words := 0
	for len(text) > 0 && (enough < 0 || words < enough) {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		*p = tokenize(line, (*p)[:0])
		for _, t := range *p {
			if t.flags&tokWord != 0 {
				words++
			}
		}
	}
	return words
}

// runeCount returns the number of characters of s: its bytes that do not
// continue a UTF-8 sequence, counted eight at a time. It equals
// utf8.RuneCountInString for valid UTF-8 and is several times faster.
func runeCount(s string) int {
	const hi = 0x8080808080808080
	cont := 0
	i := 0
	for ; i+8 <= len(s); i += 8 {
		x := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[i:]), 8))
		if x&hi == 0 {
			continue // ASCII
		}
		// Continuation bytes are 10xxxxxx: bit 7 set, bit 6 clear.
		cont += bits.OnesCount64(x & ^(x << 1) & hi)
	}
	for ; i < len(s); i++ {
		if s[i]&0xC0 == 0x80 {
			cont++
		}
	}
	return len(s) - cont
}

var tokenPool = sync.Pool{New: func() any { s := make([]token, 0, 4096); return &s }}

// getTokens returns the tokens of text in a pooled slice; hand it on with
// putTokens. When the previous stage put the tokens of this very text, they
// are taken from tokenCache instead of tokenizing again.
func getTokens(text string) *[]token {
	if cacheable(text) {
		e := cacheSlot(text)
		e.mu.Lock()
		if p := e.toks; p != nil && sameString(e.text, text) {
			e.text, e.toks = "", nil
			e.mu.Unlock()
			return p
		}
		e.mu.Unlock()
	}
	p := tokenPool.Get().(*[]token)
	*p = tokenize(text, (*p)[:0])
	return p
}

// putTokens offers the tokens of text to the next stage through tokenCache,
// and gives back the slice the offer replaces.
func putTokens(text string, p *[]token) {
	if cap(*p) > 1<<20 {
		return // do not keep the buffer of one huge document alive
	}
	if cacheable(text) {
		e := cacheSlot(text)
		e.mu.Lock()
		e.text, e.toks, p = text, p, e.toks
		e.mu.Unlock()
		if p == nil {
			return
		}
	}
	tokenPool.Put(p)
}

// tokenCache passes tokens from one stage to the next that reads the same
// text, as Gopher quality does after Gopher repetition in FineWeb's order,
// saving a tokenization. An entry is found by the identity of the text (the
// address and length of its bytes), not its content: the entry holds the
// text, so that its memory cannot be reused for another text while it is
// cached, and Go strings do not change. An entry is taken out when used, so
// that a token slice has one user at a time.
var tokenCache [64]tokenEntry

type tokenEntry struct {
	mu   sync.Mutex
	text string
	toks *[]token
	_    [32]byte // keep entries on separate cache lines
}

// Texts shorter than minCachedText are too cheap to tokenize to be worth
// caching; longer than maxCachedText, too big to keep alive in the cache.
const (
	minCachedText = 1 << 10
	maxCachedText = 1 << 22
)

// cacheable reports whether the tokens of text go through tokenCache.
func cacheable(text string) bool { return len(text) >= minCachedText && len(text) <= maxCachedText }

func cacheSlot(text string) *tokenEntry {
	p := uintptr(unsafe.Pointer(unsafe.StringData(text)))
	return &tokenCache[(p>>4^uintptr(len(text)))%uintptr(len(tokenCache))]
}

// sameString reports whether a and b are the same string in memory.
func sameString(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

// unspacedLanguages are written without spaces between words, so that a mean
// word length of 3 or more characters is not expected of them.
var unspacedLanguages = map[string]bool{
	"zh": true, "ja": true, "th": true, "lo": true, "km": true, "my": true, "bo": true,
	"yue": true, "wuu": true, "cmn": true, "zho": true, "jpn": true, "tha": true,
	"lao": true, "khm": true, "mya": true, "bod": true, "dz": true, "dzo": true,
}

// languageOf returns the base language code from the record metadata
// "language" set by the langid stage ("en", "zh-cn" and "zho_Hans" give "en",
// "zh", "zho"), or "" when there is none.
func languageOf(meta map[string]any) string {
	s, _ := meta["language"].(string)
	s = strings.TrimPrefix(s, "__label__")
	if i := strings.IndexAny(s, "-_"); i >= 0 {
		s = s[:i]
	}
	return strings.ToLower(s)
}

// unspaced reports whether a document is written without spaces between
// words: by its language when langid set one, else when most of its words
// come from segmented scripts.
func unspaced(lang string, segWords, words int) bool {
	if lang != "" {
		return unspacedLanguages[lang]
	}
	return segWords*2 > words
}
