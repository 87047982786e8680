package pii

import "strings"

// isPhoneSep reports whether c separates the digit groups of a phone number.
func isPhoneSep(c byte) bool { return c == ' ' || c == '-' || c == '.' }

// sepLen returns the length of the separator of digit groups at text[j]: a
// space, hyphen or dot, or a no-break space (U+00A0, U+202F) as typeset
// numbers use; 0 if there is none.
func sepLen(text string, j int) int {
	switch {
	case j >= len(text):
		return 0
	case isPhoneSep(text[j]):
		return 1
	case strings.HasPrefix(text[j:], "\u00a0"):
		return 2
	case strings.HasPrefix(text[j:], "\u202f"):
		return 3
	}
	return 0
}

// findPhone looks for a telephone number starting at text[i], a digit, "+"
// or "(" that does not continue a word. It accepts two shapes:
//
//   - international: "+" or "00", then 8 to 15 digits (E.164) in groups
//     separated by single spaces, hyphens or dots, a group possibly in
//     parentheses: "+44 20 7946 0958", "+1 (415) 555-2671", "+49 (0)30
//     1234567", "0044 20 7946 0958";
//   - North American: "(415) 555-2671", "415-555-2671", "415.555.2671",
//     "1-800-555-0199", with area code and exchange not starting with 0 or 1.
//
// National formats of other countries without a country code ("030
// 1234567") are too easily confused with other numbers and are left alone.
//
// Bare digit strings, and groupings of dates ("2024-01-15"), ISBNs
// ("978-3-16-148410-0") or prices are not phone numbers here.
func findPhone(text string, i int) (Match, bool) {
	if text[i] != '+' && i >= 2 && (text[i-1] == '-' || text[i-1] == '.' || text[i-1] == '/') && isDigit(text[i-2]) {
		return Match{}, false // the middle of a longer number
	}
	switch {
	case text[i] == '+':
		return international(text, i, i+1, 8, 15, 1)
	case text[i] == '0' && i+1 < len(text) && text[i+1] == '0':
		return international(text, i, i+2, 8, 13, 3)
	}
	if text[i] == '1' && i+2 < len(text) && (isPhoneSep(text[i+1])) {
		// "1-800-555-0199": the North American trunk prefix.
		if m, ok := northAmerican(text, i+2); ok {
			m.Start = i
			return m, true
		}
	}
	return northAmerican(text, i)
}

// international reads digit groups from text[j] for a number that starts at
// text[start], and accepts it with minDigits to maxDigits digits in at least
// minGroups groups.
func international(text string, start, j, minDigits, maxDigits, minGroups int) (Match, bool) {
	digits, groups, end := 0, 0, -1
	for j < len(text) {
		paren := text[j] == '('
		if paren {
			j++
		}
		g := j
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j == g || (paren && (j >= len(text) || text[j] != ')')) {
			break
		}
		if paren {
			j++
		}
		digits += j - g
		groups++
		end = j
		switch k := sepLen(text, j); {
		case k > 0 && j+k < len(text) && (isDigit(text[j+k]) || text[j+k] == '('):
			j += k // a separator, then the next group
		case paren && j < len(text) && isDigit(text[j]):
			// "(0)30": a group right after a closing parenthesis
		default:
			j = len(text) // done
		}
	}
	if end < 0 || digits < minDigits || digits > maxDigits || groups < minGroups || !endsNumber(text, end) {
		return Match{}, false
	}
	if text[start] == '+' && !isDigit(text[start+1]) && text[start+1] != '(' {
		return Match{}, false
	}
	return Match{Start: start, End: end, Kind: Phone}, true
}

// northAmerican accepts "(AAA) EEE-NNNN", "(AAA) EEE NNNN", "AAA-EEE-NNNN"
// and "AAA.EEE.NNNN" starting at text[i].
func northAmerican(text string, i int) (Match, bool) {
	j := i
	digitsAt := func(n int) bool {
		if j+n > len(text) {
			return false
		}
		for k := j; k < j+n; k++ {
			if !isDigit(text[k]) {
				return false
			}
		}
		return true
	}
	var sep byte
	if text[j] == '(' {
		j++
		if !digitsAt(3) || j+5 > len(text) || text[j+3] != ')' || text[j+4] != ' ' {
			return Match{}, false
		}
		j += 5
	} else {
		if !digitsAt(3) || j+3 >= len(text) || (text[j+3] != '-' && text[j+3] != '.') {
			return Match{}, false
		}
		sep = text[j+3]
		j += 4
	}
	area, exchange := text[i+boolInt(text[i] == '(')], byte(0)
	if !digitsAt(3) || j+3 >= len(text) {
		return Match{}, false
	}
	exchange = text[j]
	j += 3
	if s := text[j]; (sep != 0 && s != sep) || (sep == 0 && s != '-' && s != ' ') {
		return Match{}, false
	}
	j++
	if !digitsAt(4) {
		return Match{}, false
	}
	j += 4
	if area < '2' || exchange < '2' || !endsNumber(text, j) {
		return Match{}, false
	}
	return Match{Start: i, End: j, Kind: Phone}, true
}

// endsNumber reports whether a number may end at text[end]: no letter or
// digit follows, nor a separator and another digit.
func endsNumber(text string, end int) bool {
	if end >= len(text) {
		return true
	}
	c := text[end]
	if isAlnum(c) {
		return false
	}
	return !((isPhoneSep(c) || c == '/') && end+1 < len(text) && isDigit(text[end+1]))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
