package extract

import (
	"bytes"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The extractor does not use html.Parse. It builds its own small tree from
// the tokens of html.Tokenizer, for three reasons:
//
//   - Speed: the full HTML5 tree-construction algorithm (scope checks,
//     adoption agency, foster parenting) costs more than tokenizing, and the
//     extractor needs none of its fine points: a paragraph that ends up one
//     level off in the tree yields the same text.
//   - Bounded work: html.Parse scans the stack of open elements for many start
//     tags, which is quadratic on a 100,000-deep document. Here the stack is
//     capped at maxDepth and every scan of it is bounded, so building the tree
//     is linear in the input.
//   - Memory: nodes live in one slice (an arena) and refer to each other by
//     index; only the attributes the extractor reads are kept.
//
// Nodes are appended in document order (pre-order), so a node's index is
// always greater than its parent's. Walking the arena backwards therefore
// visits every child before its parent, which lets bottom-up statistics be
// computed with a plain loop instead of recursion.

const (
	maxDepth    = 512 // deeper start tags become children of the deepest open element
	scopeLookup = 64  // how far down the stack implied-end-tag scans look
)

// node flags.
const (
	fHidden  uint32 = 1 << iota // hidden, aria-hidden, display:none
	fRemoved                    // pruned as boilerplate or non-content
	fLink                       // inside an <a href>
	fPre                        // inside <pre> (whitespace kept)
	fUnseen                     // hidden or display:none (not aria-hidden, which also marks visible duplicates)
)

// node is an element or a text node of the tree.
type node struct {
	tag    atom.Atom // 0 for text nodes and unknown elements
	name   string    // tag name of an unknown (custom) element
	parent int32
	first  int32 // first child, -1 if none
	last   int32 // last child, -1 if none
	next   int32 // next sibling, -1 if none
	flags  uint32
	// text is the text of a text node. For an element it is the lowercased
	// concatenation of its id and class attributes, the main input of the
	// boilerplate patterns.
	text string
	// attr indexes tree.attrs; it is -1 for an element that kept no
	// attributes and -2 for a text node.
	attr int32
}

// attrs holds the few attributes that the metadata and link logic read.
type attrs struct {
	role, itemprop, href, rel, name, property, content, typ, datetime, lang, charset, httpEquiv, itemtype string
}

// tree is a parsed document.
type tree struct {
	nodes     []node
	attrs     []attrs
	truncated string // why the tree is incomplete, "" if it is not
}

// isVoid reports whether a is a void element, which has no end tag and no
// content.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr, atom.Keygen:
		return true
	}
	return false
}

// closesP reports whether a start tag of a implicitly closes an open <p>, as
// the HTML5 "close a p element" steps do.
func closesP(a atom.Atom) bool {
	switch a {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Details, atom.Dialog,
		atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer,
		atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup,
		atom.Hr, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section,
		atom.Summary, atom.Table, atom.Ul, atom.Li, atom.Dd, atom.Dt:
		return true
	}
	return false
}

func isHeading(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// builder turns tokens into a tree.
type builder struct {
	t      *tree
	stack  []int32
	inHead bool // a <head> is open
}

// headTag reports whether a belongs in <head>.
func headTag(a atom.Atom) bool {
	switch a {
	case atom.Title, atom.Meta, atom.Link, atom.Script, atom.Style, atom.Base, atom.Noscript, atom.Template:
		return true
	}
	return false
}

func (b *builder) top() int32 { return b.stack[len(b.stack)-1] }

func (b *builder) appendChild(parent int32, n node) int32 {
	n.parent = parent
	n.first, n.last, n.next = -1, -1, -1
	idx := int32(len(b.t.nodes))
	b.t.nodes = append(b.t.nodes, n)
	p := &b.t.nodes[parent]
	if p.last >= 0 {
		b.t.nodes[p.last].next = idx
	} else {
		p.first = idx
	}
	p.last = idx
	return idx
}

// closeUpTo pops the stack down to and including the nearest open element
// whose tag is one of tags, without crossing an element of the boundary set.
// It looks at most scopeLookup elements down.
func (b *builder) closeUpTo(tags []atom.Atom, boundary []atom.Atom) {
	for k := len(b.stack) - 1; k >= 1 && len(b.stack)-k <= scopeLookup; k-- {
		a := b.t.nodes[b.stack[k]].tag
		for _, x := range tags {
			if a == x {
				b.stack = b.stack[:k]
				return
			}
		}
		for _, x := range boundary {
			if a == x {
				return
			}
		}
	}
}

var (
	pBoundary    = []atom.Atom{atom.Table, atom.Td, atom.Th, atom.Button, atom.Caption, atom.Template, atom.Object, atom.Marquee, atom.Applet, atom.Body}
	liBoundary   = []atom.Atom{atom.Ul, atom.Ol, atom.Menu, atom.Table, atom.Body}
	dBoundary    = []atom.Atom{atom.Dl, atom.Table, atom.Body}
	rowBoundary  = []atom.Atom{atom.Table, atom.Body}
	cellBoundary = []atom.Atom{atom.Tr, atom.Table, atom.Body}
	optBoundary  = []atom.Atom{atom.Select, atom.Datalist, atom.Body}
)

// parse builds the tree of doc. It stops adding nodes after maxNodes nodes
// and records the reason in t.truncated.
func parse(doc []byte, maxNodes int) *tree {
	t := &tree{nodes: make([]node, 0, len(doc)/40+16)}
	b := &builder{t: t, stack: make([]int32, 0, 64)}
	t.nodes = append(t.nodes, node{tag: atom.Html, parent: -1, first: -1, last: -1, next: -1, attr: -1})
	b.stack = append(b.stack, 0)
	z := html.NewTokenizer(bytes.NewReader(doc))
	depthCut := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if len(t.nodes) >= maxNodes {
			t.truncated = "node_limit"
			break
		}
		switch tt {
		case html.TextToken:
			parent := b.top()
			pa := t.nodes[parent].tag
			switch pa {
			case atom.Style, atom.Textarea, atom.Select, atom.Option, atom.Iframe, atom.Noembed, atom.Noframes, atom.Xmp, atom.Plaintext:
				continue
			case atom.Script:
				ai := t.nodes[parent].attr
				if ai < 0 || !strings.Contains(t.attrs[ai].typ, "ld+json") {
					continue
				}
			}
			raw := z.Text()
			var s string
			if isSpace(raw) {
				if t.nodes[parent].flags&fPre == 0 {
					s = " "
				} else {
					s = string(raw)
				}
			} else {
				s = string(raw)
			}
			// Merge adjacent text tokens (the tokenizer may split them).
			p := &t.nodes[parent]
			if p.last >= 0 && t.nodes[p.last].attr == -2 {
				if s != " " || t.nodes[p.last].text != " " {
					t.nodes[p.last].text += s
				}
				continue
			}
			b.appendChild(parent, node{text: s, attr: -2})
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			a := atom.Lookup(name)
			// Structure elements are merged into the root or kept unique.
			if a == atom.Html {
				b.readAttrs(z, 0, hasAttr)
				continue
			}
			switch {
			case a == atom.Body || a == atom.Head:
				// <head> and <body> are children of the root, whatever
				// was left open before them.
				b.stack = b.stack[:1]
			case b.inHead && !headTag(a):
				// Body content without a <body> tag ends the head.
				b.stack = b.stack[:1]
				b.inHead = false
			}
			b.implyEnd(a)
			parent := b.top()
			n := node{tag: a, attr: -1}
			if a == 0 {
				n.name = string(name)
			}
			pf := t.nodes[parent].flags
			n.flags |= pf & (fLink | fPre)
			if a == atom.Pre || a == atom.Textarea || a == atom.Listing {
				n.flags |= fPre
			}
			idx := b.appendChild(parent, n)
			if a == atom.Head {
				b.inHead = true
			} else if a == atom.Body {
				b.inHead = false
			}
			if hasAttr {
				b.readAttrs(z, idx, true)
			}
			if a == atom.A && idx >= 0 && t.nodes[idx].attr >= 0 && t.attrs[t.nodes[idx].attr].href != "" {
				t.nodes[idx].flags |= fLink
			}
			if a == atom.Noscript {
				// Parse <noscript> as markup (scripting off): some sites,
				// Discourse forums among them, put the whole page there.
				z.NextIsNotRawText()
			}
			if tt == html.SelfClosingTagToken && a == atom.Iframe {
				// "<iframe/>" is not a raw-text element left open (as the
				// tokenizer would have it): nothing is inside.
				z.NextIsNotRawText()
			}
			if tt == html.SelfClosingTagToken || isVoid(a) {
				continue
			}
			if len(b.stack) >= maxDepth {
				if !depthCut {
					depthCut = true
					if t.truncated == "" {
						t.truncated = "depth_limit"
					}
				}
				continue
			}
			b.stack = append(b.stack, idx)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a == atom.Head && b.inHead {
				b.stack = b.stack[:1]
				b.inHead = false
				continue
			}
			if a == atom.Html || a == atom.Body || a == atom.Head {
				continue
			}
			if a == atom.Br {
				b.appendChild(b.top(), node{tag: atom.Br, attr: -1})
				continue
			}
			for k := len(b.stack) - 1; k >= 1; k-- {
				if sn := &t.nodes[b.stack[k]]; sn.tag == a && (a != 0 || sn.name == string(name)) {
					b.stack = b.stack[:k]
					break
				}
				// Do not let a stray end tag close a table cell or row
				// from the inside, or scan far down a deep stack.
				if len(b.stack)-k > scopeLookup {
					break
				}
			}
		}
	}
	return t
}

// implyEnd closes the elements that a start tag of a ends implicitly.
func (b *builder) implyEnd(a atom.Atom) {
	if len(b.stack) <= 1 {
		return
	}
	switch a {
	case atom.Li:
		b.closeUpTo([]atom.Atom{atom.Li}, liBoundary)
	case atom.Dt, atom.Dd:
		b.closeUpTo([]atom.Atom{atom.Dt, atom.Dd}, dBoundary)
	case atom.Tr:
		b.closeUpTo([]atom.Atom{atom.Tr}, rowBoundary)
	case atom.Td, atom.Th:
		b.closeUpTo([]atom.Atom{atom.Td, atom.Th}, cellBoundary)
	case atom.Thead, atom.Tbody, atom.Tfoot:
		b.closeUpTo([]atom.Atom{atom.Thead, atom.Tbody, atom.Tfoot}, rowBoundary)
	case atom.Option:
		b.closeUpTo([]atom.Atom{atom.Option}, optBoundary)
	}
	if closesP(a) {
		b.closeUpTo([]atom.Atom{atom.P}, pBoundary)
	}
	if isHeading(a) {
		top := b.t.nodes[b.top()].tag
		if isHeading(top) {
			b.stack = b.stack[:len(b.stack)-1]
		}
	}
}

// readAttrs reads the attributes of the current tag into node idx.
func (b *builder) readAttrs(z *html.Tokenizer, idx int32, hasAttr bool) {
	n := &b.t.nodes[idx]
	var at attrs
	keep := false
	var cid []byte
	for hasAttr {
		var k, v []byte
		k, v, hasAttr = z.TagAttr()
		switch string(k) {
		case "id", "class":
			if len(cid) > 0 {
				cid = append(cid, ' ')
			}
			cid = appendLower(cid, v)
		case "hidden":
			n.flags |= fHidden | fUnseen
		case "aria-hidden":
			if string(v) == "true" {
				n.flags |= fHidden
			}
		case "style":
			if hiddenStyle(v) {
				n.flags |= fHidden | fUnseen
			}
		case "role":
			at.role = strings.ToLower(string(v))
			keep = true
		case "itemprop":
			at.itemprop = string(v)
			keep = true
		case "itemtype":
			at.itemtype = string(v)
			keep = true
		case "href":
			at.href = string(v)
			keep = true
		case "rel":
			at.rel = strings.ToLower(string(v))
			keep = true
		case "name":
			if n.tag == atom.Meta {
				at.name = strings.ToLower(string(v))
				keep = true
			}
		case "property":
			at.property = strings.ToLower(string(v))
			keep = true
		case "content":
			if n.tag == atom.Meta {
				at.content = string(v)
				keep = true
			}
		case "type":
			if n.tag == atom.Script {
				at.typ = strings.ToLower(string(v))
				keep = true
			}
		case "datetime":
			at.datetime = string(v)
			keep = true
		case "lang":
			at.lang = string(v)
			keep = true
		case "charset":
			at.charset = string(v)
			keep = true
		case "http-equiv":
			at.httpEquiv = strings.ToLower(string(v))
			keep = true
		}
	}
	if len(cid) > 0 {
		n.text = string(cid)
	}
	if keep {
		if n.attr >= 0 {
			// <html> seen twice: merge the lang.
			if at.lang != "" {
				b.t.attrs[n.attr].lang = at.lang
			}
			return
		}
		n.attr = int32(len(b.t.attrs))
		b.t.attrs = append(b.t.attrs, at)
	}
}

func appendLower(dst, s []byte) []byte {
	for _, c := range s {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// hiddenStyle reports whether an inline style hides the element.
func hiddenStyle(v []byte) bool {
	if len(v) < 12 {
		return false
	}
	s := bytes.ToLower(v)
	s = bytes.ReplaceAll(s, []byte(" "), nil)
	return bytes.Contains(s, []byte("display:none")) || bytes.Contains(s, []byte("visibility:hidden"))
}

func isSpace(b []byte) bool {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\n', '\r', '\f':
		default:
			return false
		}
	}
	return true
}
