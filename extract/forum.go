package extract

import "strings"

// Threads. Forum engines print around the posts lines that are neither what
// was posted nor who posted it and when: the controls of quotations ("Click
// to shrink..."), the invitation to join under the thread, the boxes of top
// posters and popular days, attachment counters, and, where a script did
// not run, the placeholders of its templates ("{{ upvoteCount }}").
// dropThreadChrome removes them from a forum page's text.

// threadLines are whole blocks of thread chrome, compared lowercased and
// without surrounding punctuation (as boilerLines).
var threadLines = map[string]bool{
	"click to shrink":                         true,
	"click to collapse":                       true,
	"create an account or sign in to comment": true,
	"create an account":                       true,
	"register a new account":                  true,
	"sign in now":                             true,
	"sign up for a new account in our community. it's easy": true,
	"already have an account? sign in here":                 true,
	"top posters in this topic":                             true,
	"popular days":                                          true,
	"popular posts":                                         true,
	"most popular posts":                                    true,
	"loading more posts":                                    true,
	"reply with quote":                                      true,
	"see edit history":                                      true,
	"this topic has been deleted. only users with topic management privileges can see it": true,
}

// isThreadLine reports whether a block is thread chrome (see above): one of
// threadLines, an attachment's link or counter ("View attachment 441678",
// "(95.79 KiB) Downloaded 478 times"), or template placeholders with
// nothing but figures around them.
func isThreadLine(s string) bool {
	if len(s) > 100 {
		return false
	}
	l := strings.ToLower(strings.Trim(s, " .:!…>»|-–—·•()[]"))
	if threadLines[l] || strings.HasPrefix(l, "view attachment ") {
		return true
	}
	if strings.Contains(l, " downloaded ") && strings.HasSuffix(l, " times") && strings.Contains(l, "b)") {
		return true
	}
	return isPlaceholderLine(s)
}

// isPlaceholderLine reports whether s holds a template's placeholders
// ("{{ name }}") and, outside them, no letter.
func isPlaceholderLine(s string) bool {
	found := false
	for {
		i := strings.Index(s, "{{")
		if i < 0 {
			break
		}
		j := strings.Index(s[i:], "}}")
		if j < 0 {
			return false
		}
		if hasLetter(s[:i]) {
			return false
		}
		found = true
		s = s[i+j+2:]
	}
	return found && !hasLetter(s)
}

func hasLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f
	}) >= 0
}

// dropThreadChrome removes the thread chrome (see isThreadLine) from the
// blocks of a forum page. Code stays.
func dropThreadChrome(blocks []Block) []Block {
	out := blocks[:0:0]
	for _, b := range blocks {
		if b.Kind != Code && isThreadLine(b.Text) {
			continue
		}
		out = append(out, b)
	}
	return out
}
