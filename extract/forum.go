package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

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
	l := lineKey(s)
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

// hasLetter reports whether s holds a letter (any rune beyond ASCII
// counts).
func hasLetter(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool {
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r > 0x7f
	}) >= 0
}

// dropThreadChrome removes the thread chrome (see isThreadLine) from the
// blocks of a forum page. Code stays.
func dropThreadChrome(blocks []Block) []Block {
	return without(blocks, func(b *Block) bool { return b.Kind != Code && isThreadLine(b.Text) })
}

// Attributions. A thread's reviewed text names the author and the date of
// every post, printed on engines that name the post's body (see postNames)
// outside it, before it: in the member's box ("lgans316" above "Joined",
// "Messages", "Reaction score") and in the post's header ("Sep 21, 2024",
// "#2"). keepNamed keeps the bodies alone, and the filters of short lines
// drop names and dates that recur; attributions finds, for each post, the
// first name and the first date before its body, which stay.

// authorWords are the id and class words of the element naming a post's
// author ("message-name", "username", "cAuthorPane_author").
var authorWords = map[string]bool{
	"username": true, "author": true, "name": true, "poster": true, "membername": true,
	"nickname": true, "nick": true, "postauthor": true, "authorname": true, "uname": true,
}

// maxAttributionChars is the longest block attributions takes.
const maxAttributionChars = 60

// attributions returns the indices (Block.idx) of the blocks of blocks that
// name a post's author or date (see above): a post is the largest element
// holding exactly one container that named accepts; its name is a block
// made of a link, marked by its element's or an ancestor's class (see
// authorWords), and its date a date line (isDateLine) within a <time>
// element or one whose class names a date (bylineWords), each the first of
// its kind before the post's body.
func attributions(t *tree, blocks []Block, named func(cid string) bool) map[int32]bool {
	n := len(t.nodes)
	box := make([]int32, n) // outermost named container of a node: 0 unknown, -1 none, else node+1
	cont := make([]int32, len(blocks))
	first := map[int32]int32{} // container -> idx of its first block
	count := make([]int32, n)  // named containers in a node's subtree
	var path []int32
	for k, b := range blocks {
		// The outermost named container holding b: a post's body may
		// nest one named container in another ("message-content" around
		// "message-body" and the signature).
		path = path[:0]
		a := b.owner
		for a > 0 && box[a] == 0 {
			path = append(path, a)
			a = t.nodes[a].parent
		}
		v := int32(-1)
		if a > 0 {
			v = box[a]
		}
		for j := len(path) - 1; j >= 0; j-- {
			p := path[j]
			if nd := &t.nodes[p]; v < 0 && nd.text != "" && named(nd.text) {
				v = p + 1
			}
			box[p] = v
		}
		cont[k] = v - 1
		if v > 0 {
			c := v - 1
			if _, ok := first[c]; !ok {
				first[c] = b.idx
				for p := t.nodes[c].parent; p > 0; p = t.nodes[p].parent {
					count[p]++
				}
				count[c]++
			}
		}
	}
	if len(first) == 0 {
		return nil
	}
	// only[a] is c+1 when node a holds one named container, c.
	only := make([]int32, n)
	for c := range first {
		for a := c; a > 0 && count[a] == 1; a = t.nodes[a].parent {
			only[a] = c + 1
		}
	}
	out := map[int32]bool{}
	done := map[int32]uint8{} // container -> kinds found (1 name, 2 date)
	for k, b := range blocks {
		if cont[k] >= 0 || b.chars > maxAttributionChars || isBoilerLine(b.Text) {
			continue
		}
		// The post: the lowest ancestor holding a named container, when
		// it holds only one.
		post := b.owner
		for post > 0 && count[post] == 0 {
			post = t.nodes[post].parent
		}
		if post <= 0 || only[post] == 0 {
			continue
		}
		c := only[post] - 1
		if b.idx > first[c] {
			continue
		}
		kind := uint8(0)
		switch {
		case b.linkChars == b.chars && hasLetter(b.Text) && marked(t, b.owner, post, func(nd *node) bool {
			return nd.text != "" && forEachWord(nd.text, func(w string) bool { return authorWords[w] })
		}):
			kind = 1
		case isDateLine(b.Text) && marked(t, b.owner, post, func(nd *node) bool {
			return nd.tag == atom.Time || nd.text != "" && forEachWord(nd.text, func(w string) bool { return bylineWords[w] })
		}):
			kind = 2
		}
		if kind == 0 || done[c]&kind != 0 {
			continue
		}
		done[c] |= kind
		out[b.idx] = true
	}
	return out
}

// maxMarkNodes bounds the nodes of a block's element that marked reads.
const maxMarkNodes = 64

// marked reports whether is holds for one of the first maxMarkNodes nodes
// of owner's subtree or for an ancestor of owner below post.
func marked(t *tree, owner, post int32, is func(nd *node) bool) bool {
	for i, end := owner, min(subtreeEnd(t, owner), owner+maxMarkNodes); i < end; i++ {
		if t.nodes[i].attr != -2 && is(&t.nodes[i]) {
			return true
		}
	}
	for a := t.nodes[owner].parent; a > post; a = t.nodes[a].parent {
		if is(&t.nodes[a]) {
			return true
		}
	}
	return false
}

// withBlocks returns the blocks of all that are in sub, a subsequence of
// all, or whose index is in extra, in order.
func withBlocks(sub, all []Block, extra map[int32]bool) []Block {
	if len(extra) == 0 {
		return sub
	}
	in := make(map[int32]bool, len(sub))
	for _, b := range sub {
		in[b.idx] = true
	}
	out := make([]Block, 0, len(sub)+len(extra))
	for _, b := range all {
		if in[b.idx] || extra[b.idx] {
			out = append(out, b)
		}
	}
	return out
}
