package pii

// notTLD are file extensions that follow "@" in names like "logo@2x.png"
// and are not top-level domains of email addresses.
var notTLD = map[string]bool{
	"png": true, "jpg": true, "jpeg": true, "gif": true, "svg": true, "webp": true,
	"css": true, "js": true, "html": true, "htm": true, "php": true, "pdf": true,
}

// isLocalChar reports whether c may be part of the local part of an address
// (the part before "@"), in its common unquoted form.
func isLocalChar(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// findEmail looks for an address around the "@" at text[at], starting at or
// after min.
func findEmail(text string, at, min int) (Match, bool) {
	start := at
	for start > min && isLocalChar(text[start-1]) {
		start--
	}
	for start < at && (text[start] == '.' || text[start] == '-' || text[start] == '+') {
		start++
	}
	if start == at || text[at-1] == '.' {
		return Match{}, false
	}
	// The domain: labels of letters, digits and hyphens, separated by dots.
	end, dots, lastDot := at+1, 0, -1
	for end < len(text) {
		c := text[end]
		if isAlnum(c) || c == '-' {
			end++
			continue
		}
		if c == '.' && end+1 < len(text) && isAlnum(text[end+1]) && text[end-1] != '.' && text[end-1] != '@' {
			dots++
			lastDot = end
			end++
			continue
		}
		break
	}
	for end > at+1 && text[end-1] == '-' {
		end--
	}
	if dots == 0 || lastDot >= end {
		return Match{}, false
	}
	tld := text[lastDot+1 : end]
	if len(tld) < 2 || notTLD[lower(tld)] {
		return Match{}, false
	}
	for i := 0; i < len(tld); i++ {
		if !isAlpha(tld[i]) {
			return Match{}, false
		}
	}
	return Match{Start: start, End: end, Kind: Email}, true
}

// lower lower-cases an ASCII string.
func lower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
