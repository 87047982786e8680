package dedup

import (
	"net/url"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// Normalization says how text is simplified before it is hashed, so that
// documents differing only in case, spacing, punctuation or numbers hash
// alike. Runs of white space (and of anything the options turn into a space)
// always become one space, and the result is trimmed.
type Normalization struct {
	// Lowercase folds letters to lower case.
	Lowercase bool `yaml:"lowercase"`
	// Punctuation turns punctuation and symbols (Unicode P* and S*) into
	// spaces, so "end." and "end" are the same word.
	Punctuation bool `yaml:"punctuation"`
	// Digits turns every decimal digit into '0', so dates and counters do not
	// make pages differ.
	Digits bool `yaml:"digits"`
}

// FullNormalization is datatrove's simplify_text without its diacritic
// folding: lower case, punctuation removed, digits mapped to 0, white space
// collapsed. It is the default for near-duplicate detection.
var FullNormalization = Normalization{Lowercase: true, Punctuation: true, Digits: true}

// Normalize returns s simplified as n says. Invalid UTF-8 bytes are kept as
// U+FFFD; control characters count as white space. The result never has a
// leading, trailing or doubled space.
func (n Normalization) Normalize(s string) string {
	return simplify(s, &normASCII[n.index()], n.mapRune)
}

// mapRune is Normalize's treatment of one character.
func (n Normalization) mapRune(c rune) rune {
	switch {
	case unicode.IsSpace(c) || unicode.IsControl(c):
		return sep
	case n.Punctuation && (unicode.IsPunct(c) || unicode.IsSymbol(c)):
		return sep
	case n.Digits && unicode.IsDigit(c):
		return '0'
	case n.Lowercase:
		return unicode.ToLower(c)
	}
	return c
}

// index numbers the eight possible Normalizations.
func (n Normalization) index() int {
	i := 0
	if n.Lowercase {
		i |= 1
	}
	if n.Punctuation {
		i |= 2
	}
	if n.Digits {
		i |= 4
	}
	return i
}

// WordHashes appends to dst a 64-bit hash of each word of n.Normalize(s)
// (the runs of characters between its spaces), in order. It makes one pass
// over s and never builds the normalized text, so it costs a fraction of
// Normalize followed by hashing. A word's hash is FNV-1a over its normalized
// UTF-8 bytes, finished with murmur3's 64-bit avalanche (fmix64), so equal
// words hash alike and different words collide with probability about
// 2^-64.
func (n Normalization) WordHashes(dst []uint64, s string) []uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	ascii := &normASCII[n.index()]
	h, inWord := uint64(offset), false
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch r := ascii[c]; r {
			case asciiSep:
				if inWord {
					dst = append(dst, fmix64(h))
					h, inWord = offset, false
				}
			case asciiDrop:
			default:
				h, inWord = (h^uint64(r))*prime, true
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch c := n.mapRune(r); c {
		case sep:
			if inWord {
				dst = append(dst, fmix64(h))
				h, inWord = offset, false
			}
		case drop:
		default:
			var buf [utf8.UTFMax]byte
			for _, b := range buf[:utf8.EncodeRune(buf[:], c)] {
				h = (h ^ uint64(b)) * prime
			}
			inWord = true
		}
	}
	if inWord {
		dst = append(dst, fmix64(h))
	}
	return dst
}

// HashWord is the hash WordHashes gives a word of normalized text.
func HashWord(w string) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211
	h := uint64(offset)
	for i := 0; i < len(w); i++ {
		h = (h ^ uint64(w[i])) * prime
	}
	return fmix64(h)
}

// fmix64 is murmur3's finalizer: every input bit affects every output bit.
func fmix64(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	return h ^ h>>33
}

// NormalizeLine is cc_net's line normalization: trimmed, lower case, digits
// mapped to 0, punctuation, symbols and non-printing characters removed (not
// replaced by a space), inner white space collapsed. Two lines that normalize
// alike count as the same line.
func NormalizeLine(s string) string {
	return simplify(s, &lineASCII, lineRune)
}

func lineRune(c rune) rune {
	switch {
	case unicode.IsSpace(c):
		return sep
	case c == utf8.RuneError, unicode.IsPunct(c), unicode.IsSymbol(c), !unicode.IsPrint(c):
		return drop
	case unicode.IsDigit(c):
		return '0'
	}
	return unicode.ToLower(c)
}

// Results of a rune mapping besides a replacement rune.
const (
	sep  = -1 // the rune separates words
	drop = -2 // the rune is removed
)

// The mappings of the ASCII characters, computed once: most text is mostly
// ASCII, and a table lookup is several times cheaper than the Unicode
// category tests. A byte table keeps them in two cache lines.
var (
	normASCII [8][utf8.RuneSelf]byte
	lineASCII [utf8.RuneSelf]byte
)

// asciiSep and asciiDrop mark separators and dropped characters in the
// ASCII tables.
const (
	asciiSep  = 0xFF
	asciiDrop = 0xFE
)

func asciiTable(t *[utf8.RuneSelf]byte, m func(rune) rune) {
	for c := range rune(utf8.RuneSelf) {
		switch r := m(c); r {
		case sep:
			t[c] = asciiSep
		case drop:
			t[c] = asciiDrop
		default:
			t[c] = byte(r) // ASCII maps to ASCII
		}
	}
}

func init() {
	for i := range normASCII {
		n := Normalization{Lowercase: i&1 != 0, Punctuation: i&2 != 0, Digits: i&4 != 0}
		asciiTable(&normASCII[i], n.mapRune)
	}
	asciiTable(&lineASCII, lineRune)
}

// simplify maps every character of s, through ascii below utf8.RuneSelf and
// m above, writing runs of separators as one space and never a space at
// either end.
func simplify(s string, ascii *[utf8.RuneSelf]byte, m func(rune) rune) string {
	// Output never outgrows the input consumed, except where m maps a
	// character to a longer encoding: the slow path makes room for that.
	b := make([]byte, len(s)+utf8.UTFMax+1)
	n := 0
	space := false // a space is pending
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			i++
			switch r := ascii[c]; r {
			case asciiSep:
				space = true
			case asciiDrop:
			default:
				if space && n > 0 {
					b[n] = ' '
					n++
				}
				space = false
				b[n] = r
				n++
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch c := m(r); c {
		case sep:
			space = true
		case drop:
		default:
			if len(b)-n < utf8.UTFMax+1+len(s)-i {
				b = append(b[:n], make([]byte, utf8.UTFMax+1+len(s)-i)...)
				b = b[:cap(b)]
			}
			if space && n > 0 {
				b[n] = ' '
				n++
			}
			space = false
			n += utf8.EncodeRune(b[n:], c)
		}
	}
	// b is never written again: share its bytes instead of copying them.
	return unsafe.String(unsafe.SliceData(b), n)
}

// trackingParams are query parameters that only say where a click came from.
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "msclkid": true, "yclid": true,
	"mc_cid": true, "mc_eid": true, "_ga": true, "igshid": true,
}

// NormalizeURL reduces a URL to the form under which two addresses name the
// same page: the scheme is dropped (http and https are the same page), the
// host is lowercased and loses a leading "www." and a default port, the
// fragment and tracking parameters (utm_*, fbclid, gclid, ...) are dropped,
// the remaining query parameters are sorted, percent-encoding is made
// canonical, and a trailing slash is dropped from the path. A string that does
// not parse as a URL with a host is only trimmed. An empty URL gives "".
func NormalizeURL(raw string) string {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return raw
	}
	host := strings.ToLower(u.Hostname())
	host = strings.TrimSuffix(host, ".")
	host = strings.TrimPrefix(host, "www.")
	if p := u.Port(); p != "" && p != "80" && p != "443" {
		host += ":" + p
	}
	path := strings.TrimRight((&url.URL{Path: u.Path}).EscapedPath(), "/")
	q := u.Query()
	keys := make([]string, 0, len(q))
	for k := range q {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			continue
		}
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	b.WriteString(host)
	b.WriteString(path)
	for i, k := range keys {
		vs := q[k]
		sort.Strings(vs)
		for j, v := range vs {
			if i == 0 && j == 0 {
				b.WriteByte('?')
			} else {
				b.WriteByte('&')
			}
			b.WriteString(url.QueryEscape(k))
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(v))
		}
	}
	return b.String()
}
