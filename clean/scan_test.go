package clean

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// scanLineSlow is scanLine without its shortcuts for ASCII: every rune
// goes through the general path. scanLine must fill the same stats.
func scanLineSlow(line string, st *lineStats, title, inTitle *bloom, lex []byte, words *[]uint64) {
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

// TestScanLineShortcuts checks scanLine against scanLineSlow on generated
// lines mixing ASCII letters, digits, spaces and punctuation with
// multi-byte letters, spaces, separators and invalid UTF-8.
func TestScanLineShortcuts(t *testing.T) {
	m, err := BuiltinModel()
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{
		"the", "The", "THE", "cookies", "Read", "more", "all", "rights", "reserved", "read", "x",
		"a", "Z", "0", "42", "_", "snake_case", "e.g.", "www.example.com", "http://a.b",
		" ", " ", " ", "\t", "\r", "\u00a0", "\u2009", ",", ".", ". ", "!", "?", ":", ";", "-",
		"|", ">", "/", "»", "«", "•", "·", "→", "©", "@", "…", "...", "\"", "'", ")", "(", "]",
		"é", "É", "ß", "Ärger", "straße", "日本", "。", "！", "–", "—", "✓", "+", "*", "$", "%",
		"١٢٣", "Ω", "ǅ", "\xff", "\xe2\x82", "\x00", "~", "^", "`",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var a, b lineStats
	var ta, tb bloom
	check := func(line string) {
		t.Helper()
		ta, tb = bloom{}, bloom{}
		var wa, wb []uint64
		scanLine(line, &a, &ta, nil, m.Lexicon, &wa)
		scanLineSlow(line, &b, &tb, nil, m.Lexicon, &wb)
		if a != b || ta != tb || !slices.Equal(wa, wb) {
			t.Fatalf("scanLine(%q):\n fast %+v\n slow %+v", line, a, b)
		}
		scanLine(line, &a, nil, &ta, nil, nil)
		scanLineSlow(line, &b, nil, &ta, nil, nil)
		if a != b {
			t.Fatalf("scanLine(%q) with a title:\n fast %+v\n slow %+v", line, a, b)
		}
	}
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(25) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(sb.String())
	}
	for _, line := range []string{"", " ", "a", "A", "1", "_", "aB", "Ab", "1a", "a1", "é", "\xff"} {
		check(line)
	}
}
