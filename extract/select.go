package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// fInArticle marks elements inside <article> or <main>; fByline marks
// small elements (and their descendants) whose class names a byline, date
// or other article metadata.
const (
	fInArticle uint32 = 1 << 20
	fByline    uint32 = 1 << 21
	fCaption   uint32 = 1 << 22
	fChrome    uint32 = 1 << 23 // landmark of site chrome, removed unless it holds the page
	fHasMain   uint32 = 1 << 24 // an ancestor of <main> or role=main
)

// prune marks the boilerplate elements of t as removed (see prune.go for the
// rules) on a page of the given type: forums keep their comments,
// product pages drop their reviews.
func prune(t *tree, pageType string) {
	n := len(t.nodes)
	var panels map[int32]bool // read on the pages the model does not decide
	if !modelTypes(pageType) {
		panels = tabPanelHolders(t)
	}
	for i := 1; i < n; i++ {
		nd := &t.nodes[i]
		if nd.attr == -2 {
			continue
		}
		p := &t.nodes[nd.parent]
		if p.flags&fRemoved != 0 {
			nd.flags |= fRemoved
			continue
		}
		nd.flags |= p.flags & fInArticle
		role := ""
		if nd.attr >= 0 {
			role = t.attrs[nd.attr].role
		}
		switch {
		case removeByTag(nd.tag):
			nd.flags |= fRemoved
		case pageType == "service" && role == "tablist" && panelClass(nd.text):
			// An accordion that calls itself a list of tabs holds its
			// panels.
		case role == "tablist" && panels[int32(i)]:
			// A list of tabs holds its tabs, the panels lie beside it:
			// one that wraps a tabpanel is the tabbed content itself
			// (a page's sections, its testimonials), not a menu. On
			// the pages the block model decides it stays chrome: the
			// model was trained so.
		case chromeTag(nd.tag), chromeRole(role), nd.tag == atom.Header && nd.flags&fInArticle == 0:
			nd.flags |= fChrome
		case nd.tag == atom.Main || nd.tag == atom.Article || role == "main" || role == "article":
			nd.flags |= fInArticle
			if nd.tag == atom.Main || role == "main" {
				// Not <article>: comment threads mark each comment so.
				for k := nd.parent; k > 0 && t.nodes[k].flags&fHasMain == 0; k = t.nodes[k].parent {
					t.nodes[k].flags |= fHasMain
				}
			}
		}
	}
	chars := textChars(t)
	saved := make([]uint32, n)
	for i := range saved {
		saved[i] = t.nodes[i].flags
	}
	byClass := pruneMarks(t, pageType, chars, nil)
	if keep := classKept(t, chars, byClass); keep != nil {
		for i := range saved {
			t.nodes[i].flags = saved[i]
		}
		pruneMarks(t, pageType, chars, keep)
	}
}

// classKeepChars is the least text (bytes) of an element that classKept
// keeps.
const classKeepChars = 500

// classKept returns the elements of byClass, those pruneMarks removed by
// their class, that hold (with the others of the same id and class string)
// at least classKeepChars bytes of text and as much text as the rest of
// the page kept (marked true in a slice of len(t.nodes)), or nil when
// there is none. A class that takes most of what pruning leaves
// is a misnomer, not chrome: a grid of products named "skip-to-products" or
// "related-product", an article in a "layout--sidebar-right" wrapper, on
// pages whose headers, menus and footers outweigh the content (so the 40%
// of the page that keeps an element from removal was not reached). chars
// is the text of each element before pruneMarks.
func classKept(t *tree, chars []int32, byClass []int32) []bool {
	// Elements removed by the same class string count together: the
	// sections of a page, each in its grid of cards, can each be small.
	group := make(map[string]int32, len(byClass))
	for _, i := range byClass {
		group[t.nodes[i].text] += chars[i]
	}
	var keep []bool
	var left int32 = -1
	for _, i := range byClass {
		g := group[t.nodes[i].text]
		if g < classKeepChars {
			continue
		}
		if left < 0 {
			left = textChars(t)[0]
		}
		if g >= left {
			if keep == nil {
				keep = make([]bool, len(t.nodes))
			}
			keep[i] = true
		}
	}
	return keep
}

// pruneMarks is the second pass of prune: it marks as removed the elements
// of site chrome, interface and hidden parts, and those whose class names
// boilerplate, except the elements marked in keep (nil: none) for their
// class; it returns the elements it removed by their class. chars is
// textChars(t) after the first pass.
func pruneMarks(t *tree, pageType string, chars []int32, keep []bool) []int32 {
	n := len(t.nodes)
	total := chars[0]
	var byClass []int32
	for i := 1; i < n; i++ {
		nd := &t.nodes[i]
		if nd.attr == -2 {
			continue
		}
		if t.nodes[nd.parent].flags&fRemoved != 0 {
			nd.flags |= fRemoved
			continue
		}
		if nd.flags&fRemoved != 0 {
			continue
		}
		if t.nodes[nd.parent].flags&fByline != 0 || nd.tag == atom.Time ||
			(chars[i] < 400 && nd.text != "" && forEachWord(nd.text, func(w string) bool { return bylineWords[w] })) {
			nd.flags |= fByline
		}
		if t.nodes[nd.parent].flags&fCaption != 0 || nd.tag == atom.Figcaption || nd.tag == atom.Figure ||
			(chars[i] < 600 && nd.text != "" && forEachWord(nd.text, func(w string) bool { return captionWords[w] })) {
			nd.flags |= fCaption
		}
		switch {
		case nd.flags&fChrome != 0 && nd.flags&fHasMain == 0:
			// A landmark holding the <main> is a parsing
			// accident (an <aside> never closed swallows the page, as
			// in a browser) or a mislabelled wrapper, not chrome.
			nd.flags |= fRemoved
		case nd.tag == atom.Button && chars[i] < 40:
			// Buttons are interface ("Add to cart", "Menu"), except the
			// headers of accordions, which hold a question or a title.
			nd.flags |= fRemoved
		case nd.tag == atom.Form && pageType != "forum" && chars[i] < 1000 && chars[i]*10 < total*4:
			// Small forms are interface: search, sign-up, comment and
			// buy boxes. A form wrapping the page (ASP.NET) stays.
			nd.flags |= fRemoved
		case nd.tag == atom.Noscript && chars[i] < 200:
			nd.flags |= fRemoved
		case nd.flags&fHidden != 0 && chars[i] < 100,
			nd.flags&fUnseen != 0 && (pageType == "forum" || pageType == "qa") && chars[i]*10 < total*4:
			// Only small hidden elements go (skip links, screen-reader
			// labels, closed tooltips). Larger hidden parts are mostly
			// content waiting for a script: accordion panels and tabs of
			// product pages, or the whole page behind a fade-in. Threads
			// show their posts: there hidden parts of any size are
			// dialogs and menus (how to install the app, notification
			// settings), unless they hold the page. aria-hidden does not
			// count there: it also marks visible duplicate links.
			nd.flags |= fRemoved
		case nd.text != "" && nd.tag != atom.Body && nd.tag != atom.Main && nd.flags&fHasMain == 0 &&
			chars[i]*10 < total*4 && (keep == nil || !keep[i]) && boilerClass(nd.text, pageType) && !contentClass(nd.text):
			// An element is not removed by its class when it holds the
			// <main> or 40% of the page's text, or when its class also
			// names it the text container (or see classKept).
			nd.flags |= fRemoved
			byClass = append(byClass, int32(i))
			if isHeading(nd.tag) && relatedClass(nd.text) && itemsFollow(t, int32(i)) {
				// The heading of a list of other pages ("You may also
				// like", named so by its class in any language) takes
				// the list with it.
				for k := nd.next; k >= 0; k = t.nodes[k].next {
					t.nodes[k].flags |= fRemoved
				}
			}
		}
	}
	return byClass
}

// minItems is the least number of items that itemsFollow counts as a list.
const minItems = 3

// itemsFollow reports whether the elements that follow node i in its
// parent are mostly items of one tag, at least minItems of them: a list of
// posts or cards, not the paragraphs and sections of a text.
func itemsFollow(t *tree, i int32) bool {
	same, other := 0, 0
	var tag atom.Atom
	for k := t.nodes[i].next; k >= 0; k = t.nodes[k].next {
		nd := &t.nodes[k]
		switch {
		case nd.attr == -2:
			if strings.TrimSpace(nd.text) != "" {
				return false
			}
		case nd.flags&fRemoved != 0:
		case same == 0 || nd.tag == tag:
			tag = nd.tag
			same++
		default:
			other++
		}
	}
	return same >= minItems && other*3 <= same && tag != atom.P
}

// tabPanelHolders returns the elements of role tablist that hold an
// element of role tabpanel (nil when the page has none).
func tabPanelHolders(t *tree) map[int32]bool {
	var holders map[int32]bool
	for i := range t.nodes {
		nd := &t.nodes[i]
		if nd.attr < 0 || t.attrs[nd.attr].role != "tabpanel" {
			continue
		}
		for k := nd.parent; k > 0; k = t.nodes[k].parent {
			if a := t.nodes[k].attr; a >= 0 && t.attrs[a].role == "tablist" {
				if holders == nil {
					holders = make(map[int32]bool)
				}
				holders[k] = true
				break
			}
		}
	}
	return holders
}

// textChars returns, for every node, the bytes of visible text under it
// (text of removed elements not counted).
func textChars(t *tree) []int32 {
	n := len(t.nodes)
	chars := make([]int32, n)
	for i := n - 1; i >= 1; i-- {
		nd := &t.nodes[i]
		if nd.attr == -2 {
			if nd.text != " " {
				chars[i] = int32(len(nd.text))
			}
		} else if nd.flags&fRemoved != 0 {
			continue
		}
		chars[nd.parent] += chars[i]
	}
	return chars
}

// subtreeEnd returns the index one past the last node of i's subtree.
func subtreeEnd(t *tree, i int32) int32 {
	for k := i; k >= 0; k = t.nodes[k].parent {
		if nx := t.nodes[k].next; nx >= 0 {
			return nx
		}
	}
	return int32(len(t.nodes))
}

// Two weightings of blocks are used. Prose weighting suits pages built
// around running text (articles, documentation, most service pages): link
// text counts against a block, and short fragments cost a little, so that
// the best subtree holds the prose and leaves out the menus and link lists
// around it. List weighting suits pages whose content is a list of linked
// items (listings, collections, link aggregators): link text counts for
// half, so the list wins over the little prose around it.
type weighting uint8

const (
	proseWeights weighting = iota
	listWeights
)

// blockWeight is the evidence a block gives that its container is main
// content: positive for content, negative for links and short fragments.
func blockWeight(b *Block, wt weighting) float64 {
	text := float64(b.chars - b.linkChars)
	if wt == listWeights {
		return text + 0.7*float64(b.linkChars) - 3
	}
	return text - 1.5*float64(b.linkChars) - 10
}

// selection is the part of the page chosen as main content.
type selection struct {
	root       int32 // element whose subtree holds the main content
	start, end int   // blocks[start:end] lie inside root
	score      float64
	positive   float64 // sum of positive block weights of the page
	text       int     // bytes of non-link text in blocks[start:end]
	mode       weighting
}

// selectMain chooses the main content of a page of the given type. It
// first selects with prose weights; when that leaves out most of the
// page's text, the page is a list of items (or, on a service page, of
// sections: see serviceMinShare), and it selects again with list weights.
func selectMain(t *tree, blocks []Block, sum []float64, pageType string) selection {
	article := pageType == "article"
	minShare := 0.3
	if pageType == "service" {
		minShare = serviceMinShare
	}
	sel := selectWith(t, blocks, sum, proseWeights)
	total, totalText := 0, 0
	for k := range blocks {
		total += blocks[k].chars
		totalText += blocks[k].chars - blocks[k].linkChars
	}
	selChars := 0
	for k := sel.start; k < sel.end; k++ {
		selChars += blocks[k].chars
	}
	// A page of linked items has little text outside links, so on pages
	// not known to be articles the share counts link text too.
	if float64(sel.text) < 0.3*float64(totalText) || sel.text < 200 ||
		(!article && float64(selChars) < minShare*float64(total)) {
		ls := selectWith(t, blocks, sum, listWeights)
		if ls.end > ls.start {
			return preferMain(t, blocks, sum, ls)
		}
	}
	return preferMain(t, blocks, sum, sel)
}

// preferMain returns sel narrowed to the page's <main> (or role=main)
// when sel.root holds one that weighs at least half as much as sel.root:
// the page marked its content, and what the selection held beside it (a
// second list of "yesterday's top items", a newsletter box, the teasers
// of another section) weighs less. Otherwise it returns sel.
func preferMain(t *tree, blocks []Block, sum []float64, sel selection) selection {
	if t.nodes[sel.root].flags&fHasMain == 0 {
		return sel
	}
	// The sums of the subtrees under sel's weighting (selectMain may
	// have weighed the page otherwise last).
	selectWith(t, blocks, sum, sel.mode)
	end := subtreeEnd(t, sel.root)
	main := int32(-1)
	for i := sel.root + 1; i < end; i++ {
		nd := &t.nodes[i]
		if nd.attr == -2 || nd.flags&fRemoved != 0 {
			continue
		}
		if nd.tag == atom.Main || nd.attr >= 0 && t.attrs[nd.attr].role == "main" {
			if main < 0 || sum[i] > sum[main] {
				main = i
			}
		}
	}
	if main < 0 || sum[main] < 0.5*sum[sel.root] {
		return sel
	}
	out := selection{root: main, score: sum[main], positive: sel.positive, mode: sel.mode, start: len(blocks)}
	mend := subtreeEnd(t, main)
	for k := range blocks {
		if o := blocks[k].owner; o >= main && o < mend {
			out.start = min(out.start, k)
			out.end = k + 1
			out.text += blocks[k].chars - blocks[k].linkChars
		}
	}
	if out.end <= out.start {
		return sel
	}
	return out
}

// selectWith finds the element whose blocks have the largest total weight:
// the smallest subtree that holds the content of the page while leaving out
// what surrounds it. It is the DOM form of the maximum-sum segment used by
// body-text extractors. sum is scratch space of len(t.nodes).
func selectWith(t *tree, blocks []Block, sum []float64, wt weighting) selection {
	n := len(t.nodes)
	clear(sum)
	var pos float64
	for k := range blocks {
		w := blockWeight(&blocks[k], wt)
		if w > 0 {
			pos += w
		}
		sum[blocks[k].owner] += w
	}
	for i := n - 1; i >= 1; i-- {
		if t.nodes[i].attr != -2 {
			sum[t.nodes[i].parent] += sum[i]
		}
	}
	best, bestScore := int32(0), sum[0]
	for i := 1; i < n; i++ {
		nd := &t.nodes[i]
		if nd.attr == -2 || nd.flags&fRemoved != 0 {
			continue
		}
		if sum[i] >= bestScore {
			best, bestScore = int32(i), sum[i]
		}
	}
	sel := selection{root: best, score: bestScore, positive: pos, mode: wt}
	end := subtreeEnd(t, best)
	sel.start = len(blocks)
	for k := range blocks {
		o := blocks[k].owner
		if o >= best && o < end {
			if k < sel.start {
				sel.start = k
			}
			sel.end = k + 1
			sel.text += blocks[k].chars - blocks[k].linkChars
		}
	}
	if sel.start > sel.end {
		sel.start = sel.end
	}
	return sel
}

// cutLinkLists returns chosen, the blocks of sel, without the link lists nested in
// the main content: elements inside sel.root whose blocks weigh less than
// nothing and are mostly link text (a "related stories" list, a tag cloud, a
// share bar whose class gave no hint). sum is scratch space of len(t.nodes).
func cutLinkLists(t *tree, chosen []Block, sel selection, sum []float64, cards bool) []Block {
	if len(chosen) == 0 {
		return chosen
	}
	root, end := sel.root, subtreeEnd(t, sel.root)
	chars := make([]int32, end-root)
	links := make([]int32, end-root)
	for i := root; i < end; i++ {
		sum[i] = 0
	}
	for k := range chosen {
		b := &chosen[k]
		sum[b.owner] += blockWeight(b, sel.mode)
		chars[b.owner-root] += int32(b.chars)
		links[b.owner-root] += int32(b.linkChars)
	}
	// anchors[i-root] counts the links of each subtree not removed (on
	// service pages); kept[i-root] marks the elements of a group of cards.
	var anchors []int32
	var kept []bool
	if cards {
		anchors = make([]int32, end-root)
		kept = make([]bool, end-root)
	}
	for i := end - 1; i > root; i-- {
		nd := &t.nodes[i]
		if nd.attr == -2 {
			continue
		}
		p := nd.parent
		sum[p] += sum[i]
		chars[p-root] += chars[i-root]
		links[p-root] += links[i-root]
		if cards && nd.flags&fRemoved == 0 {
			if nd.tag == atom.A {
				anchors[i-root]++
			}
			anchors[p-root] += anchors[i-root]
		}
	}
	// drop[i-root] marks elements cut with their subtree.
	drop := make([]bool, end-root)
	any := false
	for i := root + 1; i < end; i++ {
		if t.nodes[i].attr == -2 {
			continue
		}
		p := t.nodes[i].parent
		if cards && (kept[p-root] || !drop[p-root] && links[i-root] >= cardLinkChars*anchors[i-root]) {
			// Links this long are cards (a title and its description
			// in one link), not a menu: the group keeps its parts.
			kept[i-root] = true
			continue
		}
		if drop[p-root] || sum[i] < 0 && links[i-root]*3 > chars[i-root]*2 {
			drop[i-root] = true
			any = true
		}
	}
	if !any {
		return chosen
	}
	out := make([]Block, 0, len(chosen))
	for _, b := range chosen {
		if !drop[b.owner-root] {
			out = append(out, b)
		}
	}
	return out
}
