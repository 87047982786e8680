package extract

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"golang.org/x/net/html/atom"

	"github.com/winnow-corpus/winnow/internal/gbt"
)

// The block model. The rules (pruning, selection, filters) decide well which
// part of a page is the text on pages built around one text; on pages built
// from many small parts (products, lists, forum threads, service pages) they
// keep too much or too little. The block model revisits every block left
// after pruning and decides, from the rules' own decision and from what the
// block and its surroundings look like, whether the block is content.
//
// It is a small ensemble of gradient-boosted oblivious trees (package
// internal/gbt, the model kind of package clean too), trained by `go run ./extract/train` on the WCXB
// development split and the AEB pages (see MODEL.md): a block is labelled
// content when its words appear in the reviewed main text.

//go:embed block_model.json
var builtinModel []byte

// blockModel is the trained classifier and its threshold.
type blockModel struct {
	Stage1    gbt.Ensemble `json:"stage1"`
	Stage2    gbt.Ensemble `json:"stage2"`
	Threshold float64      `json:"threshold"`
	// Types are the page types (as the metadata guesses them) the model
	// decides; on others the rules do.
	Types    []string `json:"types"`
	Features []string `json:"features"`
}

// loadModel parses a model file; a file without trees gives nil (no model).
func loadModel(b []byte) (*blockModel, error) {
	var m blockModel
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("extract: block model: %w", err)
	}
	if len(m.Stage1.Trees) == 0 {
		return nil, nil
	}
	if len(m.Features) != numFeatures+numStack {
		return nil, fmt.Errorf("extract: block model has %d features, the code %d", len(m.Features), numFeatures+numStack)
	}
	if err := m.Stage1.Check(numFeatures, maxTreeDepth); err != nil {
		return nil, fmt.Errorf("extract: block model: stage 1: %w", err)
	}
	if err := m.Stage2.Check(numFeatures+numStack, maxTreeDepth); err != nil {
		return nil, fmt.Errorf("extract: block model: stage 2: %w", err)
	}
	return &m, nil
}

// maxTreeDepth bounds the depth of the model's trees (2^depth leaves).
const maxTreeDepth = 12

// minModelBlocks is the fewest blocks a page needs for the model to
// decide: the model learned on real pages, and a page of a few blocks is
// as unlike them as it is easy for the rules.
const minModelBlocks = 8

// maxModelBlocks bounds the model's memory per page (its features take
// about 500 bytes a block): larger pages, far beyond any real article, are
// left to the rules.
const maxModelBlocks = 20000

// modelSized reports whether a page of nb blocks is one the model decides.
func modelSized(nb int) bool { return nb >= minModelBlocks && nb <= maxModelBlocks }

// keepEmbeddedLists returns keep with the lists inside kept text kept: a
// run of list items without links that the rules keep, between two blocks
// the model keeps, is part of the text (the steps or items a paragraph
// introduces), whatever the model thought of its short lines.
func keepEmbeddedLists(st *state, keep []bool) []bool {
	if len(keep) != len(st.blocks) {
		return keep
	}
	rules := st.chosenMask()
	var out []bool
	for i := 1; i < len(st.blocks); {
		j := i
		for j < len(st.blocks) && st.blocks[j].Kind == ListItem && st.blocks[j].linkChars == 0 && rules[j] {
			j++
		}
		if j > i && j < len(st.blocks) && keep[i-1] && keep[j] {
			if out == nil {
				out = append([]bool(nil), keep...)
			}
			for k := i; k < j; k++ {
				out[k] = true
			}
		}
		i = j + 1
	}
	if out == nil {
		return keep
	}
	return out
}

// chosenMask returns, for each block of the page, whether the rules' choice
// (st.chosen) keeps it unchanged.
func (st *state) chosenMask() []bool {
	mask := make([]bool, len(st.blocks))
	for _, b := range st.chosen {
		if int(b.idx) < len(mask) && st.blocks[b.idx].Text == b.Text {
			mask[b.idx] = true
		}
	}
	return mask
}

// pageTypes are the page types of the one-hot features, "page" (and any
// other) last.
var pageTypes = []string{"article", "forum", "product", "collection", "listing", "documentation", "service"}

// keep returns, for each block of the page, whether the model keeps it;
// nil when the page is too small for the model to decide.
func (m *blockModel) keep(st *state) []bool {
	if !modelSized(len(st.blocks)) {
		return nil
	}
	x, ctx := blockFeatures(st)
	nb := len(st.blocks)
	p := make([]float64, nb)
	for k := range nb {
		p[k] = m.Stage1.Prob(x[k*numFeatures : (k+1)*numFeatures])
	}
	if len(m.Stage2.Trees) > 0 {
		sx := stackFeatures(ctx, p)
		row := make([]float32, numFeatures+numStack)
		for k := range nb {
			copy(row, x[k*numFeatures:(k+1)*numFeatures])
			copy(row[numFeatures:], sx[k*numStack:(k+1)*numStack])
			p[k] = m.Stage2.Prob(row)
		}
	}
	keep := make([]bool, nb)
	for k := range nb {
		keep[k] = p[k] >= m.Threshold
	}
	return keep
}

// modelChoice returns the blocks of keep (see blockModel.keep), polished
// as the rules' choice is, and without date lines outside forums. When
// keep is nil or keeps nothing, the rules' choice stands.
func (st *state) modelChoice(keep []bool) []Block {
	keep = keepEmbeddedLists(st, keep)
	var out []Block
	for k, b := range st.blocks {
		if k < len(keep) && keep[k] && (st.res.PageType == "forum" || !isDateLine(b.Text)) {
			out = append(out, b)
		}
	}
	if len(out) == 0 {
		return st.chosen
	}
	return st.polish(out)
}

// Feature names, in the order of the vector blockFeatures fills.
var featureNames = []string{
	// the rules' decision
	"kept", "in_root", "list_mode", "root_share", "kept_share", "confidence", "dist_kept", "window_kept",
	"prev_kept", "next_kept",
	// page
	"type_article", "type_forum", "type_product", "type_collection", "type_listing", "type_documentation",
	"type_service", "type_page", "log_blocks", "log_page_chars",
	// the block's text
	"log_chars", "log_words", "link_ratio", "end_punct", "punct_density", "digit_ratio", "cap_ratio",
	"boiler_line", "stat_line", "date_line", "price_line", "url_line", "seen_before", "repeats",
	"title_match", "kind", "heading_level", "soft",
	// position
	"pos_blocks", "pos_chars",
	// the owner element and its ancestors
	"tag", "depth", "in_article", "byline", "caption", "hidden",
	"rep_owner", "rep_parent", "rep_max", "rep_level",
	"log_parent_chars", "parent_link_ratio", "parent_blocks", "log_gp_chars", "gp_link_ratio", "up3_share",
	// neighbours
	"log_prev_chars", "log_next_chars", "prev_link_ratio", "next_link_ratio", "prev_heading", "next_heading",
	// the section: the nearest heading before the block
	"sect_dist", "sect_other", "sect_comments", "sect_kept", "other_phrase", "comment_phrase",
}

// otherPhrases open sections about other pages: related items, other
// products, more stories. Matched in short lowercased headings.
var otherPhrases = []string{"related", "also like", "also viewed", "also bought", "also purchased", "similar",
	"recommend", "recently viewed", "more from", "you might", "you may", "complete the look", "customers who",
	"people who", "other items", "popular", "trending", "more stories", "read next", "more articles",
	"more posts", "latest", "explore more", "discover more", "shop the", "follow us", "newsletter",
	"subscribe", "more like this", "best sellers", "bestsellers", "top picks", "frequently bought",
	"other products", "more products", "up next", "further reading", "see also", "in this section",
	"editor's picks", "most read", "don't miss", "sponsored", "around the web", "partner content"}

// commentPhrases open sections of comments and reviews.
var commentPhrases = []string{"comment", "reviews", "leave a reply", "reply", "responses", "discussion",
	"what people say", "testimonials", "ratings", "write a review", "customer review", "q&a", "questions"}

func hasPhrase(s string, list []string) bool {
	if len(s) > 80 {
		return false
	}
	s = strings.ToLower(s)
	for _, p := range list {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// sectionHead reports whether a block heads a section: a heading, or a
// short line of unlinked text without final punctuation.
func sectionHead(b *Block) bool {
	if b.Kind == Heading {
		return true
	}
	if b.chars > 60 || b.linkChars*2 > b.chars || b.Kind == ListItem || b.Kind == TableRow {
		return false
	}
	end := b.Text[len(b.Text)-1]
	return end != '.' && end != ',' && end != ';'
}

// classGroupNames name the groups of id/class words; each gives two
// features, the owner element or its two nearest ancestors ("near_") and
// any ancestor ("anc_").
var classGroupNames = []string{
	"nav", "footer", "header", "side", "comment", "share", "related", "modal", "content", "product",
	"card", "title", "meta", "review", "ad", "tags", "pager", "hidden", "message", "media", "spec",
	"search", "docs", "user",
}

var numFeatures = len(featureNames) + 2*len(classGroupNames)

func init() {
	for _, g := range classGroupNames {
		featureNames = append(featureNames, "near_"+g)
	}
	for _, g := range classGroupNames {
		featureNames = append(featureNames, "anc_"+g)
	}
}

// FeatureNames returns the names of the block model's features, in order.
func FeatureNames() []string { return append([]string(nil), featureNames...) }

// classGroupWords maps whole id/class words to their group (index in
// classGroupNames).
var classGroupWords = map[string]int{}

// classGroupStems are matched inside longer words.
var classGroupStems = []struct {
	stem  string
	group int
}{
	{"navigation", 0}, {"breadcrumb", 0}, {"menu", 0}, {"footer", 1}, {"header", 2}, {"sidebar", 3},
	{"widget", 3}, {"comment", 4}, {"reply", 4}, {"social", 5}, {"share", 5}, {"related", 6},
	{"recommend", 6}, {"cookie", 7}, {"consent", 7}, {"newsletter", 7}, {"modal", 7}, {"popup", 7},
	{"content", 8}, {"article", 8}, {"product", 9}, {"price", 9}, {"card", 10}, {"item", 10},
	{"title", 11}, {"heading", 11}, {"author", 12}, {"byline", 12}, {"review", 13}, {"rating", 13},
	{"advert", 14}, {"sponsor", 14}, {"promo", 14}, {"pagination", 16}, {"message", 18}, {"caption", 19},
	{"gallery", 19}, {"carousel", 19}, {"slider", 19}, {"spec", 20}, {"description", 8}, {"search", 21},
	{"filter", 21}, {"avatar", 23}, {"user", 23}, {"profile", 23},
}

func init() {
	groups := [][]string{
		{"nav", "navbar", "navigation", "menu", "menus", "submenu", "megamenu", "dropdown", "breadcrumb", "breadcrumbs", "crumbs", "skip", "toolbar", "topbar"},
		{"footer", "copyright", "legal", "bottom", "foot"},
		{"header", "masthead", "banner", "hero", "head", "top"},
		{"sidebar", "aside", "side", "rail", "widget", "widgets", "secondary"},
		{"comment", "comments", "reply", "replies", "respond", "discussion", "disqus", "answer", "answers"},
		{"share", "sharing", "social", "follow", "facebook", "twitter"},
		{"related", "recommended", "recommendations", "trending", "popular", "more", "also", "similar", "upsell", "crosssell", "recently", "viewed"},
		{"cookie", "cookies", "consent", "gdpr", "popup", "modal", "overlay", "newsletter", "subscribe", "signup", "login", "dialog", "notice", "alert"},
		{"content", "article", "post", "entry", "body", "main", "story", "text", "prose", "richtext", "rte", "markdown", "description", "desc", "copy"},
		{"product", "price", "cart", "buy", "sku", "variant", "add", "purchase", "offer", "shop", "stock"},
		{"card", "item", "tile", "grid", "teaser", "listing", "list", "results", "result", "collection", "row", "col", "cell", "items", "cards"},
		{"title", "heading", "headline", "name", "h1", "h2", "h3"},
		{"author", "byline", "date", "time", "meta", "published", "posted", "timestamp", "credit", "info"},
		{"review", "reviews", "rating", "ratings", "stars", "testimonial", "testimonials"},
		{"ad", "ads", "advert", "advertisement", "sponsor", "sponsored", "promo", "promotion", "cta"},
		{"tags", "tag", "category", "categories", "topics", "taxonomy", "label", "badge", "badges"},
		{"pagination", "pager", "next", "prev", "previous", "load", "pages"},
		{"hidden", "sr", "sronly", "visuallyhidden", "screenreader", "hide", "collapse", "collapsed", "tab", "tabs", "accordion", "panel"},
		{"message", "msg", "postbody", "forum", "topic", "quote", "signature", "bbcode", "thread"},
		{"caption", "figure", "figcaption", "gallery", "image", "img", "photo", "media", "video", "slider", "carousel", "slide", "thumb", "thumbnail"},
		{"spec", "specs", "specification", "specifications", "details", "detail", "feature", "features", "attributes", "summary", "faq"},
		{"search", "filter", "filters", "facet", "facets", "sort", "refine"},
		{"toc", "contents", "sidenav", "docs", "doc", "documentation", "api", "code", "highlight", "syntax"},
		{"avatar", "user", "username", "profile", "member", "poster", "userinfo"},
	}
	for g, ws := range groups {
		for _, w := range ws {
			classGroupWords[w] = g
		}
	}
}

// classMask returns the groups of the words of an id/class string.
func classMask(cid string) uint32 {
	var m uint32
	forEachWord(cid, func(w string) bool {
		if g, ok := classGroupWords[w]; ok {
			m |= 1 << g
			return false
		}
		if len(w) > 5 {
			for _, s := range classGroupStems {
				if strings.Contains(w, s.stem) {
					m |= 1 << s.group
				}
			}
		}
		return false
	})
	return m
}

// tagCode maps a block's owner tag to a small number.
func tagCode(a atom.Atom) float32 {
	switch a {
	case atom.P:
		return 1
	case atom.Div:
		return 2
	case atom.Li:
		return 3
	case atom.Tr:
		return 4
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return 5
	case atom.Section, atom.Article, atom.Main:
		return 6
	case atom.Dd, atom.Dt:
		return 7
	case atom.Blockquote:
		return 8
	case atom.Pre:
		return 9
	case atom.Td, atom.Th, atom.Table:
		return 10
	case atom.Header, atom.Footer, atom.Nav, atom.Aside:
		return 11
	case atom.Figure, atom.Figcaption:
		return 12
	case atom.Body, atom.Html:
		return 13
	}
	return 0
}

func log1p(v int) float32 { return float32(math.Log1p(float64(max(v, 0)))) }

func ratio32(a, b int) float32 {
	if b <= 0 {
		return 0
	}
	return float32(a) / float32(b)
}

// blockFeatures returns the feature vectors of all blocks of st, row-major
// (numFeatures per block).
func blockFeatures(st *state) ([]float32, []blockCtx) {
	t, blocks, sel := st.t, st.blocks, st.sel
	nb := len(blocks)
	n := len(t.nodes)
	x := make([]float32, nb*numFeatures)
	ctx := make([]blockCtx, nb)

	// Per node: class groups of the node, of its ancestors, depth, and
	// how many siblings share its tag and class.
	own := make([]uint32, n)
	anc := make([]uint32, n)
	depth := make([]int32, n)
	rep := make([]int32, n)
	hidden := make([]bool, n)
	cache := make(map[string]uint32)
	for i := 1; i < n; i++ {
		nd := &t.nodes[i]
		if nd.attr == -2 {
			continue
		}
		if nd.text != "" {
			m, ok := cache[nd.text]
			if !ok {
				m = classMask(nd.text)
				cache[nd.text] = m
			}
			own[i] = m
		}
		p := nd.parent
		anc[i] = anc[p] | own[i]
		depth[i] = depth[p] + 1
		hidden[i] = hidden[p] || nd.flags&fHidden != 0
	}
	sigCount := make(map[uint64]int32)
	sig := func(i int32) uint64 {
		nd := &t.nodes[i]
		h := uint64(nd.tag)*1099511628211 ^ 14695981039346656037
		for k := 0; k < len(nd.name); k++ {
			h = (h ^ uint64(nd.name[k])) * 1099511628211
		}
		for k := 0; k < len(nd.text); k++ {
			c := nd.text[k]
			if c >= '0' && c <= '9' {
				continue // item-1, item-2
			}
			h = (h ^ uint64(c)) * 1099511628211
		}
		return h
	}
	for i := 0; i < n; i++ {
		nd := &t.nodes[i]
		if nd.attr == -2 || nd.first < 0 || nd.flags&fRemoved != 0 {
			continue
		}
		clear(sigCount)
		for c := nd.first; c >= 0; c = t.nodes[c].next {
			if t.nodes[c].attr != -2 && t.nodes[c].flags&fRemoved == 0 {
				sigCount[sig(c)]++
			}
		}
		for c := nd.first; c >= 0; c = t.nodes[c].next {
			if t.nodes[c].attr != -2 && t.nodes[c].flags&fRemoved == 0 {
				rep[c] = sigCount[sig(c)]
			}
		}
	}
	// Text, link text and blocks under each node.
	nChars := make([]int32, n)
	nLinks := make([]int32, n)
	nBlocks := make([]int32, n)
	total := 0
	for k := range blocks {
		b := &blocks[k]
		nChars[b.owner] += int32(b.chars)
		nLinks[b.owner] += int32(b.linkChars)
		nBlocks[b.owner]++
		total += b.chars
	}
	for i := n - 1; i >= 1; i-- {
		if t.nodes[i].attr == -2 {
			continue
		}
		p := t.nodes[i].parent
		nChars[p] += nChars[i]
		nLinks[p] += nLinks[i]
		nBlocks[p] += nBlocks[i]
	}

	kept := st.chosenMask()
	keptChars := 0
	for k, b := range blocks {
		if kept[k] {
			keptChars += b.chars
		}
	}
	// Distance in blocks to the nearest kept block.
	dist := make([]int, nb)
	last := -1 << 20
	for k := 0; k < nb; k++ {
		if kept[k] {
			last = k
		}
		dist[k] = k - last
	}
	last = 1 << 20
	for k := nb - 1; k >= 0; k-- {
		if kept[k] {
			last = k
		}
		dist[k] = min(dist[k], last-k)
	}
	keptPrefix := make([]int, nb+1)
	for k := range nb {
		keptPrefix[k+1] = keptPrefix[k]
		if kept[k] {
			keptPrefix[k+1]++
		}
	}
	rootEnd := subtreeEnd(t, sel.root)
	seen := make(map[string]int, nb)
	count := make(map[string]int, nb)
	for k := range blocks {
		count[blocks[k].Text]++
	}
	title := strings.ToLower(st.res.Title)
	conf := float32(0)
	if sel.positive > 0 && sel.score > 0 {
		conf = float32(min(1, sel.score/sel.positive))
	}
	var typ [8]float32
	if i := slices.Index(pageTypes, st.res.PageType); i >= 0 {
		typ[i] = 1
	} else {
		typ[7] = 1
	}
	before := 0
	head, headOther, headComments := -1, false, false
	base := len(featureNames) - 2*len(classGroupNames)
	for k := range blocks {
		b := &blocks[k]
		f := x[k*numFeatures : (k+1)*numFeatures]
		o := b.owner
		nd := &t.nodes[o]
		p := nd.parent
		if p < 0 {
			p = o
		}
		gp := t.nodes[p].parent
		if gp < 0 {
			gp = p
		}
		up3 := gp
		if q := t.nodes[gp].parent; q >= 0 {
			up3 = q
		}
		i := 0
		put := func(v float32) { f[i] = v; i++ }
		b2f := func(v bool) float32 {
			if v {
				return 1
			}
			return 0
		}
		// the rules' decision
		put(b2f(kept[k]))
		put(b2f(o >= sel.root && o < rootEnd))
		put(b2f(sel.mode == listWeights))
		put(ratio32(int(nChars[sel.root]), total))
		put(ratio32(keptChars, total))
		put(conf)
		put(float32(min(dist[k], 50)))
		lo, hi := max(0, k-5), min(nb, k+6)
		put(ratio32(keptPrefix[hi]-keptPrefix[lo], hi-lo))
		put(b2f(k > 0 && kept[k-1]))
		put(b2f(k+1 < nb && kept[k+1]))
		// page
		for _, v := range typ {
			put(v)
		}
		put(log1p(nb))
		put(log1p(total))
		// text
		words, punct, digits, caps, letters := 0, 0, 0, 0, 0
		inWord := false
		for j := 0; j < len(b.Text); j++ {
			c := b.Text[j]
			alnum := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
			if alnum && !inWord {
				words++
				if c >= 'A' && c <= 'Z' {
					caps++
				}
			}
			inWord = alnum
			switch {
			case c >= '0' && c <= '9':
				digits++
			case c == '.' || c == ',' || c == '!' || c == '?' || c == ';' || c == ':':
				punct++
			}
			if alnum {
				letters++
			}
		}
		put(log1p(b.chars))
		put(log1p(words))
		put(ratio32(b.linkChars, b.chars))
		end := b.Text[len(b.Text)-1]
		put(b2f(end == '.' || end == '!' || end == '?' || end == ':' || end == '"'))
		put(ratio32(punct, words))
		put(ratio32(digits, letters))
		put(ratio32(caps, words))
		put(b2f(isBoilerLine(b.Text)))
		put(b2f(isStatLine(b.Text, false)))
		put(b2f(isDateLine(b.Text)))
		put(b2f(isPriceLine(b.Text)))
		put(b2f(isURLLine(b.Text)))
		put(float32(min(seen[b.Text], 10)))
		seen[b.Text]++
		put(float32(min(count[b.Text], 20)))
		match := false
		if title != "" && (len(b.Text) < 300 || len(title) >= 300) {
			lt := strings.ToLower(b.Text)
			match = lt == title || len(lt) >= 8 && len(lt) < 300 && (strings.Contains(title, lt) || strings.Contains(lt, title))
		}
		put(b2f(match))
		put(float32(b.Kind))
		put(float32(b.Level))
		put(b2f(b.Soft))
		// position
		put(ratio32(k, nb))
		put(ratio32(before, total))
		before += b.chars
		// owner
		put(tagCode(nd.tag))
		put(float32(min(depth[o], 100)))
		put(b2f(nd.flags&fInArticle != 0))
		put(b2f(nd.flags&fByline != 0))
		put(b2f(nd.flags&fCaption != 0))
		put(b2f(hidden[o]))
		put(float32(min(rep[o], 50)))
		put(float32(min(rep[p], 50)))
		rm, rl := int32(0), 0
		for a, l := o, 0; a > 0 && l < 6; a, l = t.nodes[a].parent, l+1 {
			if rep[a] > rm {
				rm, rl = rep[a], l
			}
		}
		put(float32(min(rm, 50)))
		put(float32(rl))
		put(log1p(int(nChars[p])))
		put(ratio32(int(nLinks[p]), int(nChars[p])))
		put(float32(min(nBlocks[p], 100)))
		put(log1p(int(nChars[gp])))
		put(ratio32(int(nLinks[gp]), int(nChars[gp])))
		put(ratio32(int(nChars[up3]), total))
		// neighbours
		if k > 0 {
			q := &blocks[k-1]
			f[i], f[i+2], f[i+4] = log1p(q.chars), ratio32(q.linkChars, q.chars), b2f(q.Kind == Heading)
		}
		if k+1 < nb {
			q := &blocks[k+1]
			f[i+1], f[i+3], f[i+5] = log1p(q.chars), ratio32(q.linkChars, q.chars), b2f(q.Kind == Heading)
		}
		i += 6
		// section
		if head >= 0 {
			put(float32(min(k-head, 50)))
			put(b2f(headOther))
			put(b2f(headComments))
			put(b2f(kept[head]))
		} else {
			put(50)
			put(0)
			put(0)
			put(0)
		}
		other, comm := hasPhrase(b.Text, otherPhrases), hasPhrase(b.Text, commentPhrases)
		put(b2f(other))
		put(b2f(comm))
		ctx[k] = blockCtx{groups: [3]int32{p, gp, up3}, chars: int32(b.chars), head: int32(head)}
		if b.Kind == Heading || sectionHead(b) && (other || comm) {
			head, headOther, headComments = k, other, comm
		}
		if i != base {
			panic("extract: feature count")
		}
		near := own[o] | own[p] | own[gp]
		for g := range classGroupNames {
			f[base+g] = b2f(near&(1<<g) != 0)
			f[base+len(classGroupNames)+g] = b2f(anc[o]&(1<<g) != 0)
		}
	}
	return x, ctx
}

// blockCtx is where a block sits, for the second stage: its parent,
// grandparent and great-grandparent elements, its size and the index of
// the heading of its section (-1 if none).
type blockCtx struct {
	groups [3]int32
	chars  int32
	head   int32
}

// Stacking. The first stage scores each block alone; the second reads,
// beside the same features, the first stage's scores around the block:
// in windows of neighbouring blocks, in the block's parent and ancestors,
// on the whole page and for the heading of its section. A related-items
// list inside a good container and a lone good paragraph among menus are
// what it learns to tell.
var stackNames = []string{"p1", "p1_win1", "p1_win3", "p1_win10", "p1_parent", "p1_gp", "p1_up3",
	"p1_page_max", "p1_page_mean", "p1_page_share", "p1_head", "p1_prev_max", "p1_next_max"}

var numStack = len(stackNames)

// stackFeatures returns the second-stage features of the blocks (numStack
// per block) from their first-stage probabilities p.
func stackFeatures(ctx []blockCtx, p []float64) []float32 {
	nb := len(ctx)
	out := make([]float32, nb*numStack)
	if nb == 0 {
		return out
	}
	// Prefix sums of p*chars and chars for windows.
	pc := make([]float64, nb+1)
	cc := make([]float64, nb+1)
	var pmax, pmean, share, tot float64
	for k := range nb {
		c := float64(ctx[k].chars)
		pc[k+1] = pc[k] + p[k]*c
		cc[k+1] = cc[k] + c
		pmax = max(pmax, p[k])
		tot += c
		if p[k] >= 0.5 {
			share += c
		}
	}
	if tot > 0 {
		pmean, share = pc[nb]/tot, share/tot
	}
	win := func(k, r int) float32 {
		lo, hi := max(0, k-r), min(nb, k+r+1)
		if cc[hi]-cc[lo] == 0 {
			return 0
		}
		return float32((pc[hi] - pc[lo]) / (cc[hi] - cc[lo]))
	}
	type acc struct{ pc, c float64 }
	var groups [3]map[int32]acc
	for g := range groups {
		groups[g] = make(map[int32]acc)
		for k := range nb {
			a := groups[g][ctx[k].groups[g]]
			a.pc += p[k] * float64(ctx[k].chars)
			a.c += float64(ctx[k].chars)
			groups[g][ctx[k].groups[g]] = a
		}
	}
	for k := range nb {
		f := out[k*numStack : (k+1)*numStack]
		f[0] = float32(p[k])
		f[1], f[2], f[3] = win(k, 1), win(k, 3), win(k, 10)
		for g := range groups {
			if a := groups[g][ctx[k].groups[g]]; a.c > 0 {
				f[4+g] = float32(a.pc / a.c)
			}
		}
		f[7], f[8], f[9] = float32(pmax), float32(pmean), float32(share)
		f[10] = -1
		if h := ctx[k].head; h >= 0 {
			f[10] = float32(p[h])
		}
		for j := max(0, k-3); j < k; j++ {
			f[11] = max(f[11], float32(p[j]))
		}
		for j := k + 1; j < min(nb, k+4); j++ {
			f[12] = max(f[12], float32(p[j]))
		}
	}
	return out
}

// StackFeatures returns the second-stage features (see StackFeatureNames)
// of a page's samples given their first-stage probabilities.
func StackFeatures(samples []BlockSample, p []float64) []float32 {
	ctx := make([]blockCtx, len(samples))
	for k := range samples {
		ctx[k] = samples[k].ctx
	}
	return stackFeatures(ctx, p)
}

// StackFeatureNames returns the names of the second-stage features that
// follow FeatureNames in the second stage's input.
func StackFeatureNames() []string { return append([]string(nil), stackNames...) }

// BlockSample is one block of a page as the block model sees it: its text,
// its features (see FeatureNames) and whether the rules keep it. Samples
// are for training the model (extract/train).
type BlockSample struct {
	Text     string
	Kind     Kind
	Soft     bool
	Kept     bool
	Features []float32
	ctx      blockCtx
}

// PageSamples are the blocks of a page as the block model sees them.
type PageSamples struct {
	Blocks   []BlockSample
	PageType string // as the metadata guesses it
	st       *state
}

// Samples runs the rules on a page (UTF-8, as for Extract) and returns
// every block left after pruning with its features.
func (e *Extractor) Samples(page []byte, pageURL string) *PageSamples {
	st := e.run(page, pageURL)
	x, ctx := blockFeatures(st)
	out := make([]BlockSample, len(st.blocks))
	for k, b := range st.blocks {
		out[k] = BlockSample{Text: b.Text, Kind: b.Kind, Soft: b.Soft, Kept: x[k*numFeatures] == 1,
			Features: x[k*numFeatures : (k+1)*numFeatures : (k+1)*numFeatures], ctx: ctx[k]}
	}
	return &PageSamples{Blocks: out, PageType: st.res.PageType, st: st}
}

// Text returns the text Extract gives when the model keeps the blocks of
// keep (one flag per block; nil: the rules decide).
func (ps *PageSamples) Text(keep []bool) string {
	if keep == nil || !modelSized(len(ps.Blocks)) {
		return renderText(ps.st.finish(ps.st.chosen))
	}
	return renderText(ps.st.finish(ps.st.modelChoice(keep)))
}
