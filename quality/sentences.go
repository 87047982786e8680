package quality

import (
	"strings"
	"unicode"
	"unicode/utf8"
	"unsafe"
)

// abbreviations end with a period that does not end a sentence (lower-case,
// without the period). Single letters (initials) are handled apart.
var abbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "sr": true, "jr": true,
	"st": true, "vs": true, "etc": true, "e.g": true, "i.e": true, "cf": true, "no": true,
	"inc": true, "ltd": true, "co": true, "corp": true, "jan": true, "feb": true, "mar": true,
	"apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true,
	"nov": true, "dec": true, "fig": true, "vol": true, "pp": true, "approx": true, "gen": true,
	"gov": true, "rev": true, "mt": true, "ft": true, "u.s": true, "a.m": true, "p.m": true,
}

// countSentences returns the number of sentences of a non-empty line, in
// the manner of the Punkt tokenizer C4 used but without its trained model: a
// sentence ends at "!", "?" or "." followed (after closing quotes or
// brackets) by white space and a character that is not a lower-case letter,
// unless the period ends a known abbreviation or an initial; "。", "！" and
// "？" end a sentence wherever they are. An empty line has no sentence.
func countSentences(line string) int {
	line = strings.TrimSpace(line)
	if line == "" {
		return 0
	}
	n := 1
	for i := 0; i < len(line); {
		c := line[i]
		if !sentenceByte[c] {
			i++
			continue
		}
		if c == 0xE3 || c == 0xEF { // lead bytes of 。 and of ！？
			r, size := utf8.DecodeRuneInString(line[i:])
			i += size
			if r == '。' || r == '！' || r == '？' {
				if rest := strings.TrimLeft(line[i:], "。！？」』）\" \t"); rest != "" {
					n++
				}
			}
			continue
		}
		i++
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		end := i - 1 // offset of the mark
		for i < len(line) && strings.IndexByte(".!?", line[i]) >= 0 {
			i++
		}
		for i < len(line) && strings.IndexByte("\"')]", line[i]) >= 0 {
			i++
		}
		rest := line[i:]
		trimmed := strings.TrimLeftFunc(rest, unicode.IsSpace)
		if len(trimmed) == len(rest) || trimmed == "" {
			continue // no white space after the mark, or the end of the line
		}
		next, _ := utf8.DecodeRuneInString(trimmed)
		if unicode.IsLower(next) {
			continue
		}
		if c == '.' && isAbbreviation(line[:end]) {
			continue
		}
		n++
	}
	return n
}

// isAbbreviation reports whether the word ending text (just before a
// period) is an abbreviation or a single-letter initial.
func isAbbreviation(text string) bool {
	start := strings.LastIndexFunc(text, func(r rune) bool { return unicode.IsSpace(r) || r == '(' || r == '"' })
	word := text[start+1:]
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return unicode.IsLetter(r)
	}
	if len(word) > 8 {
		return false
	}
	return abbreviations[strings.ToLower(word)]
}

// sentenceByte marks the bytes countSentences stops at: the ASCII end marks
// and the lead bytes of the CJK ones.
var sentenceByte = [256]bool{'.': true, '!': true, '?': true, 0xE3: true, 0xEF: true}

// unsafeString returns b as a string without copying. The caller must not
// change b while the string is in use.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}
