package clean

import (
	"unicode"
	"unicode/utf8"
)

// How a line ends, by its last visible character.
const (
	endWord     = iota // a letter: headings, link labels, menu items
	endTerminal        // . ! ? (also CJK full stops), possibly inside a closing quote or bracket
	endColon           // :
	endEllipsis        // ... or …: teasers
	endComma           // , ;
	endDigit           // a number: dates, prices, counts
	endOther           // anything else: | » ) and symbols
)

// lineStats holds what one pass over a line's bytes learns about it.
type lineStats struct {
	runes, words, letters, upper, digits, punct, spaces int32
	capWords, stopEN, stopOther, longWords              int32
	seps, sentences, titleWords, firstPerson            int32
	lexSum, lexMin, lexMax                              int32 // lexicon weights (lexicon.go), minus 128
	cats                                                [len(categoryFlags)]int32
	catTotal                                            int32  // the sum of cats
	strong                                              uint32 // category flags of strong phrases found
	end                                                 int8
	firstUpper, bullet, urlLike, copyright              bool
	// norm hashes the line normalized as cc_net does for line dedup:
	// lowercase words, digits as 0, punctuation and spacing dropped.
	norm uint64
}

// bloom is a 256-bit set of word hashes, enough to test whether a line's
// words occur in the page title with few false positives.
type bloom [4]uint64

func (b *bloom) add(h uint64)      { b[(h>>8)&3] |= 1 << (h & 63) }
func (b *bloom) has(h uint64) bool { return b[(h>>8)&3]&(1<<(h&63)) != 0 }

// scanLine reads line once and fills st. When title is not nil the line's
// word hashes are added to it; when inTitle is not nil, st.titleWords counts
// the words found in it. When lex is not nil (a lexicon of 1<<LexiconBits
// bytes), st's lexicon sums are filled; when words is not nil, the words'
// hashes are appended to it.
func scanLine(line string, st *lineStats, title, inTitle *bloom, lex []byte, words *[]uint64) {
	*st = lineStats{}
	// The word being read is in local variables, which stay in registers
	// through the loop over the line's letters; what lasts from one word
	// to the next is in ws.
	var (
		h           uint64 = fnvOffset
		inWord      bool
		wordRunes   int32
		firstLetter = true
		lastVisible = -1
		ws          = wordState{title: title, inTitle: inTitle, lex: lex, words: words}
		runes       int32 // st.runes and st.letters, counted in registers
		letters     int32
	)
	for i := 0; i < len(line); {
		c := line[i]
		// ASCII letters, digits and spaces, the bulk of most text, in
		// short: the general path below does the same for them.
		switch asciiClass[c] {
		case clsLower:
			// A run of lowercase letters: the first letter of the line
			// sets firstUpper, which stays false.
			inWord, firstLetter = true, false
			h = (h ^ uint64(c)) * fnvPrime
			j := i + 1
			for j < len(line) {
				c := line[j]
				if c-'a' > 'z'-'a' {
					break
				}
				h = (h ^ uint64(c)) * fnvPrime
				j++
			}
			n := int32(j - i)
			runes += n
			letters += n
			wordRunes += n
			lastVisible = j - 1
			i = j
			continue
		case clsSpace:
			runes++
			if inWord {
				ws.finish(st, h, wordRunes)
				h, inWord, wordRunes = fnvOffset, false, 0
			}
			st.spaces++
			i++
			continue
		case clsUpper:
			runes++
			letters++
			st.upper++
			if firstLetter {
				st.firstUpper = true
				firstLetter = false
			}
			if !inWord {
				inWord = true
				st.capWords++
			}
			wordRunes++
			h = (h ^ uint64(c+'a'-'A')) * fnvPrime
			lastVisible = i
			i++
			continue
		case clsDigit:
			runes++
			st.digits++
			inWord = true
			wordRunes++
			h = (h ^ '0') * fnvPrime
			lastVisible = i
			i++
			continue
		}
		var r rune = rune(c)
		n := 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(line[i:])
		}
		runes++
		var letter, digit, upper bool
		if r < utf8.RuneSelf {
			switch {
			case 'a' <= r && r <= 'z':
				letter = true
			case 'A' <= r && r <= 'Z':
				letter, upper = true, true
				st.upper++
				r += 'a' - 'A'
			case '0' <= r && r <= '9':
				digit = true
				r = '0'
			}
		} else if unicode.IsLetter(r) {
			letter = true
			if unicode.IsUpper(r) {
				upper = true
				st.upper++
				r = unicode.ToLower(r)
			}
		} else if unicode.IsDigit(r) {
			digit = true
			r = '0'
		}
		switch {
		case letter || digit || r == '_':
			if letter {
				letters++
				if firstLetter {
					st.firstUpper = st.upper > 0
					firstLetter = false
				}
			} else if digit {
				st.digits++
			}
			if !inWord {
				inWord = true
				if upper {
					st.capWords++
				}
			}
			wordRunes++
			h = hashRune(h, r)
			lastVisible = i
		default:
			if inWord {
				ws.finish(st, h, wordRunes)
				h, inWord, wordRunes = fnvOffset, false, 0
			}
			switch r {
			case ' ', '\t', '\u00a0', '\u2009', '\u202f', '\r':
				st.spaces++
				i += n
				continue
			case '|', '»', '›', '•', '·', '>', '/', '«', '‹', '→':
				st.seps++
			case '©':
				st.copyright = true
			case '@':
				st.urlLike = true
			case '.', '!', '?', '。', '！', '？':
				if i+n < len(line) && line[i+n] == ' ' {
					st.sentences++
				} else if r == '.' && hasPrefixFold(line[i+1:], "com") {
					st.urlLike = true
				}
			case ':':
				if i+2 < len(line) && line[i+1] == '/' && line[i+2] == '/' {
					st.urlLike = true
				}
			}
			if lastVisible < 0 {
				switch r {
				case '•', '·', '-', '*', '–', '—', '►', '▶', '→', '»', '>', '✓', '✔', '■', '▪', '◦', '+':
					st.bullet = true
				}
			}
			if unicode.IsPunct(r) || unicode.IsSymbol(r) {
				st.punct++
			}
			lastVisible = i
		}
		i += n
	}
	if inWord {
		ws.finish(st, h, wordRunes)
	}
	st.norm = ws.norm
	st.runes, st.letters = runes, letters
	if lastVisible >= 0 {
		st.end = endClass(line[:lastVisible+utf8RuneLen(line[lastVisible:])])
	}
}

// The classes of ASCII bytes scanLine reads in short; clsOther for the
// rest (punctuation, symbols, control bytes, '_') and the bytes of
// multi-byte runes.
const (
	clsOther = iota
	clsLower
	clsUpper
	clsDigit
	clsSpace // ' ', '\t' and '\r': the ASCII bytes among scanLine's spaces
)

var asciiClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = clsLower
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = clsUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clsDigit
	}
	t[' '], t['\t'], t['\r'] = clsSpace, clsSpace, clsSpace
	return
}()

// wordState is what scanLine carries from one word of a line to the next.
type wordState struct {
	prev, prev2    uint64 // the hashes of the word before and of the one before it, or 0
	norm           uint64 // the line's normalized hash so far
	title, inTitle *bloom
	lex            []byte
	words          *[]uint64
}

// finish counts the word of hash h (not yet |1) and wordRunes runes in st.
func (ws *wordState) finish(st *lineStats, h uint64, wordRunes int32) {
	h |= 1
	st.words++
	if wordRunes > 12 {
		st.longWords++
	}
	// Look the word up alone and as the end of a two- and a three-word
	// phrase. Only phrases marked strong make the line strong: "more"
	// is a navigation word, "read more" a strong related-links phrase.
	m := mix(h)
	f := vocab.getMixed(h, m)
	if ws.prev != 0 && f&fPhraseEnd != 0 {
		f2 := vocab.get(phraseHash(ws.prev, h))
		if ws.prev2 != 0 {
			f2 |= vocab.get(phraseHash(phraseHash(ws.prev2, ws.prev), h))
		}
		if f2&fStrong != 0 {
			st.strong |= f2 & catMask
		}
		f |= f2 &^ (fStopEN | fStopOther)
	}
	ws.prev2, ws.prev = ws.prev, h
	if f != 0 {
		if f&fStopEN != 0 {
			st.stopEN++
		}
		if f&fStopOther != 0 {
			st.stopOther++
		}
		if f&fFirstPerson != 0 {
			st.firstPerson++
		}
		// Most words with flags are stop words of no category.
		if f&catMask != 0 {
			for k, cf := range categoryFlags {
				if f&cf != 0 {
					st.cats[k]++
					st.catTotal++
				}
			}
		}
	}
	if ws.title != nil {
		ws.title.add(h)
	}
	if ws.inTitle != nil && ws.inTitle.has(h) {
		st.titleWords++
	}
	if ws.lex != nil {
		v := int32(ws.lex[mixBucket(m)]) - 128
		st.lexSum += v
		if st.words == 1 {
			st.lexMin, st.lexMax = v, v
		} else {
			st.lexMin, st.lexMax = min(st.lexMin, v), max(st.lexMax, v)
		}
	}
	if ws.words != nil {
		*ws.words = append(*ws.words, h)
	}
	ws.norm = phraseHash(ws.norm, h)
}

func utf8RuneLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return n
}

// endClass classifies the end of a line that ends in a visible character.
func endClass(s string) int8 {
	r, n := utf8.DecodeLastRuneInString(s)
	// Look through closing quotes and brackets: `said."` ends a sentence.
	closers := 0
	for closers < 3 && n > 0 && isCloser(r) {
		s = s[:len(s)-n]
		r, n = utf8.DecodeLastRuneInString(s)
		closers++
	}
	switch {
	case n == 0:
		return endOther
	case r == '…':
		return endEllipsis
	case r == '.':
		if len(s) >= 3 && s[len(s)-2] == '.' && s[len(s)-3] == '.' {
			return endEllipsis
		}
		return endTerminal
	case r == '!' || r == '?' || r == '。' || r == '！' || r == '？':
		return endTerminal
	case closers > 0:
		return endOther
	case r == ':' || r == '：':
		return endColon
	case r == ',' || r == ';' || r == '，' || r == '；':
		return endComma
	case r < utf8.RuneSelf && '0' <= r && r <= '9', unicode.IsDigit(r):
		return endDigit
	case unicode.IsLetter(r):
		return endWord
	}
	return endOther
}

func isCloser(r rune) bool {
	switch r {
	case '"', '\'', ')', ']', '”', '’', '»', '」', '』', '）':
		return true
	}
	return false
}

// hasPrefixFold reports whether s starts with the lowercase ASCII string
// prefix, ignoring ASCII case.
func hasPrefixFold(s, prefix string) bool {
	if len(s) < len(prefix) {
		return false
	}
	for j := 0; j < len(prefix); j++ {
		c := s[j]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != prefix[j] {
			return false
		}
	}
	return true
}
