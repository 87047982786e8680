package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// Teaser cards. Around an article or a product, pages show lists of other
// pages: "more stories", "related articles", "people also viewed". Each item
// of such a list is a card: a linked headline (the title of the other page)
// with a little unlinked text beside it (a teaser sentence, an author and
// date, a price). The cards are siblings of one tag under one parent, and
// when the list's class gave no hint it survives pruning and, nested in the
// main content's container, is selected with it.
//
// A card list is recognised by its structure alone: at least three sibling
// elements of the same tag, each small, each holding a block that is almost
// all link text (the headline) and some text outside links. A list of bare
// links is not a card list (cutLinkLists weighs those), nor are the
// paragraphs and sections of the text, which do not begin with links.

const (
	minCards     = 3   // sibling cards that make a card list
	maxCardChars = 700 // bytes of text a card holds at most
)

// dropCards returns blocks without the card lists nested in the subtree of
// root whose links lead to host's own site. A run of cards is dropped only
// when it follows at least twice its own text of prose outside cards: cards
// that open a page, or that make most of it, are the content (a listing, a
// listicle, a grid of products).
func dropCards(t *tree, blocks []Block, root int32, host string) []Block {
	if len(blocks) == 0 {
		return blocks
	}
	end := subtreeEnd(t, root)
	size := int(end - root)
	chars := make([]int32, size)
	plain := make([]int32, size) // text outside links
	heads := make([]int32, size) // linked headline blocks
	inner := make([]int32, size) // links to the page's own site
	for k := range blocks {
		b := &blocks[k]
		if b.owner < root || b.owner >= end {
			continue
		}
		o := b.owner - root
		chars[o] += int32(b.chars)
		plain[o] += int32(b.chars - b.linkChars)
		if b.chars >= 15 && b.chars <= 250 && b.linkChars*10 >= b.chars*9 {
			heads[o]++
		}
	}
	for i := end - 1; i > root; i-- {
		nd := &t.nodes[i]
		if nd.attr == -2 {
			continue
		}
		if nd.tag == atom.A && nd.attr >= 0 && sameSite(t.attrs[nd.attr].href, host) {
			inner[i-root]++
		}
		p := nd.parent - root
		inner[p] += inner[i-root]
		chars[p] += chars[i-root]
		plain[p] += plain[i-root]
		heads[p] += heads[i-root]
	}
	isCard := func(i int32) bool {
		o := i - root
		return heads[o] == 1 && inner[o] > 0 && plain[o] > 0 && chars[o] <= maxCardChars
	}
	// drop marks the cards removed with their subtrees.
	drop := make([]bool, size)
	// before[i-root] is the unlinked text of the blocks owned by elements
	// that precede element i in the document (within root), outside
	// cards: rows of a grid of cards do not count for the next row.
	inCard := make([]bool, size)
	for i := root + 1; i < end; i++ {
		if t.nodes[i].attr != -2 {
			inCard[i-root] = inCard[t.nodes[i].parent-root] || isCard(i)
		}
	}
	before := make([]int32, size+1)
	for k := range blocks {
		if b := &blocks[k]; b.owner >= root && b.owner < end && !inCard[b.owner-root] {
			before[b.owner-root+1] += int32(b.chars - b.linkChars)
		}
	}
	for i := 1; i <= size; i++ {
		before[i] += before[i-1]
	}
	groups := make(map[string][]int32) // cards among a parent's children, by tag
	dropped := 0
	for p := root; p < end; p++ {
		nd := &t.nodes[p]
		if nd.attr == -2 || nd.first < 0 || drop[p-root] {
			continue
		}
		for k, g := range groups {
			groups[k] = g[:0]
		}
		for c := nd.first; c >= 0; c = t.nodes[c].next {
			if cn := &t.nodes[c]; cn.attr != -2 && isCard(c) {
				key := cn.tag.String() + cn.name
				groups[key] = append(groups[key], c)
			}
		}
		for _, g := range groups {
			// Teasers follow the text they go with. Cards that do not
			// come after twice the unlinked text they hold are a list
			// the page is about (a listicle, a gallery); the run of
			// cards that ends the group and does is dropped.
			var tail int32
			for _, c := range g {
				tail += chars[c-root]
			}
			for j, c := range g {
				if len(g)-j < minCards {
					break
				}
				if before[c-root] >= 2*tail {
					for _, c := range g[j:] {
						drop[c-root] = true
						dropped += int(chars[c-root])
					}
					break
				}
				tail -= chars[c-root]
			}
		}
	}
	if dropped == 0 {
		return blocks
	}
	// Propagate to descendants.
	for i := root + 1; i < end; i++ {
		if !drop[i-root] && t.nodes[i].attr != -2 && drop[t.nodes[i].parent-root] {
			drop[i-root] = true
		}
	}
	out := make([]Block, 0, len(blocks))
	for _, b := range blocks {
		if b.owner >= root && b.owner < end && drop[b.owner-root] {
			continue
		}
		out = append(out, b)
	}
	return out
}

// sameSite reports whether href leads to a page of host (the page's own
// host, "" when unknown): relative links do, and absolute ones whose host
// is host or shares its registrable part ("www." and other subdomains
// aside).
func sameSite(href, host string) bool {
	if href == "" || strings.HasPrefix(href, "#") || strings.HasPrefix(href, "javascript:") ||
		strings.HasPrefix(href, "mailto:") || strings.HasPrefix(href, "tel:") {
		return false
	}
	var h string
	switch {
	case strings.HasPrefix(href, "//"):
		h = href[2:]
	case strings.HasPrefix(href, "http://"):
		h = href[7:]
	case strings.HasPrefix(href, "https://"):
		h = href[8:]
	default:
		return true // relative
	}
	if host == "" {
		return true
	}
	if k := strings.IndexAny(h, "/?#:"); k >= 0 {
		h = h[:k]
	}
	return siteOf(strings.ToLower(h)) == siteOf(host)
}

// siteOf returns the last two labels of a host name ("news.example.com" ->
// "example.com"), or three when the second-level label is short
// ("www.bbc.co.uk" -> "bbc.co.uk").
func siteOf(h string) string {
	labels := strings.Split(h, ".")
	n := 2
	if len(labels) >= 3 && len(labels[len(labels)-2]) <= 3 && len(labels[len(labels)-1]) == 2 {
		n = 3
	}
	if len(labels) <= n {
		return h
	}
	return strings.Join(labels[len(labels)-n:], ".")
}
