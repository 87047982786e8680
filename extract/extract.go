// Package extract finds the main content of an HTML page and returns it as
// text, Markdown or structured data.
//
// An Extractor works in one pass over the page and a few passes over a
// compact tree:
//
//  1. Parse: the bytes are tokenized by golang.org/x/net/html and built into
//     a small tree (see tree.go) with bounded depth and size. <noscript> is
//     parsed as markup, as a browser with scripting off would.
//  2. Metadata: title, author, date, site name, canonical URL and language
//     come from JSON-LD, <meta> tags and the markup (see meta.go).
//  3. Prune: scripts, forms, hidden elements, navigation, footers, cookie
//     banners, share bars and the like are removed by tag, role, and the
//     words of their id and class (see prune.go).
//  4. Select: the rest of the page is cut into text blocks (paragraphs,
//     headings, list items, table rows); each block is weighted by its length
//     and link density, and the element whose blocks weigh most is the main
//     content (see select.go).
//  5. Revise: on article and documentation pages a small learned model
//     (two stages of boosted trees, see model.go and MODEL.md) revisits
//     every block left after pruning, reading the rules' decision beside
//     the block's text, markup and surroundings, and decides which are
//     content; Config.RulesOnly leaves the rules' choice.
//  6. Render: the chosen blocks become text or Markdown.
//
// The package depends only on record/ and libraries, so the same stage runs
// in winnow's local runner and elsewhere. An Extractor is safe for
// concurrent use.
package extract

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"github.com/winnow-corpus/winnow/record"
)

// Config configures an Extractor. The zero value of a field means its
// default (see DefaultConfig).
type Config struct {
	// MaxInputBytes caps the bytes of HTML read per page; the rest is cut
	// and the result marked truncated ("input_bytes"). It bounds time and
	// memory per page: a 50 MB page costs no more than a MaxInputBytes one.
	MaxInputBytes int `yaml:"max_input_bytes"`
	// MaxNodes caps the elements and text nodes kept per page ("node_limit").
	MaxNodes int `yaml:"max_nodes"`
	// IncludeTitle puts the page title first in the text. Off by default:
	// the title is returned as metadata, and corpora and benchmarks keep
	// it apart from the body.
	IncludeTitle bool `yaml:"include_title"`
	// UseJSONLD lets an article's JSON-LD articleBody replace the extracted
	// text when the markup yields much less of it.
	UseJSONLD *bool `yaml:"use_json_ld"`
	// MinChars is the least text (in bytes) a page must yield; a stage
	// rejects pages with less as "extract_empty".
	MinChars int `yaml:"min_chars"`
	// RulesOnly turns the block model off: the rules alone choose the
	// blocks (see model.go).
	RulesOnly bool `yaml:"rules_only"`
	// PageTypeModel is the path of a page-type model file, as
	// `go run ./extract/pagetype/train` writes them, to guess page types
	// with instead of the built-in model (see PAGETYPE.md); a file
	// without models leaves the guess to the rules.
	PageTypeModel string `yaml:"page_type_model"`
}

// DefaultConfig returns the default configuration.
func DefaultConfig() Config {
	on := true
	return Config{
		MaxInputBytes: 8 << 20,
		MaxNodes:      1 << 20,
		UseJSONLD:     &on,
		MinChars:      1,
	}
}

// Extractor extracts main content from HTML pages.
type Extractor struct {
	cfg       Config
	model     *blockModel
	pageTypes *pageTypeModel // nil: the rules guess
}

// New returns an Extractor for cfg. Zero fields take their defaults.
func New(cfg Config) (*Extractor, error) {
	def := DefaultConfig()
	if cfg.MaxInputBytes == 0 {
		cfg.MaxInputBytes = def.MaxInputBytes
	}
	if cfg.MaxNodes == 0 {
		cfg.MaxNodes = def.MaxNodes
	}
	if cfg.UseJSONLD == nil {
		cfg.UseJSONLD = def.UseJSONLD
	}
	if cfg.MinChars == 0 {
		cfg.MinChars = def.MinChars
	}
	if cfg.MaxInputBytes < 0 || cfg.MaxNodes < 0 || cfg.MinChars < 0 {
		return nil, fmt.Errorf("extract: max_input_bytes, max_nodes and min_chars must not be negative")
	}
	e := &Extractor{cfg: cfg}
	var err error
	if cfg.PageTypeModel != "" {
		b, rerr := os.ReadFile(cfg.PageTypeModel)
		if rerr != nil {
			return nil, fmt.Errorf("extract: page-type model: %w", rerr)
		}
		e.pageTypes, err = loadPageTypeModel(b)
	} else {
		e.pageTypes, err = builtinPageType()
	}
	if err != nil {
		return nil, err
	}
	if !cfg.RulesOnly {
		m, err := loadModel(builtinModel)
		if err != nil {
			return nil, err
		}
		e.model = m
	}
	return e, nil
}

// Name returns the stage name, "extract".
func (e *Extractor) Name() string { return "extract" }

// Result is the main content of a page and what the page says about itself.
type Result struct {
	Metadata
	// Text is the main content as plain text: blocks separated by a blank
	// line, list items and table rows on their own lines.
	Text string `json:"text"`
	// Blocks are the paragraphs, headings, list items, table rows, code
	// blocks and quotations of the main content, in order.
	Blocks []Block `json:"-"`
	// Confidence in [0,1] estimates how clearly one part of the page stood
	// out as main content.
	Confidence float64 `json:"extract_confidence"`
	// Truncated says why the page was only partly read ("input_bytes",
	// "node_limit", "depth_limit"), or is empty.
	Truncated string `json:"extract_truncated,omitempty"`
}

// Markdown renders the main content as Markdown.
func (r *Result) Markdown() string { return renderMarkdown(r.Blocks) }

// Extract returns the main content of an HTML page, which must already be
// UTF-8 (see Decode). pageURL, if known, resolves the canonical URL and
// helps guess the page type. It never panics; the error is reserved for
// input it cannot read at all (it is nil today for any bytes).
func (e *Extractor) Extract(page []byte, pageURL string) (Result, error) {
	st := e.run(page, pageURL)
	res := st.res
	chosen := st.chosen
	if e.model != nil && slices.Contains(e.model.Types, res.PageType) {
		chosen = st.modelChoice(e.model.keep(st))
	}
	chosen = st.finish(chosen)
	text := renderText(chosen)
	if *e.cfg.UseJSONLD && len(res.articleBody) > 200 && len(res.articleBody) > 2*len(text) {
		chosen = paragraphs(res.articleBody)
		text = renderText(chosen)
	}
	if e.cfg.IncludeTitle && res.Title != "" && !(res.PageType == "product" && titleHeading(chosen, res.Title) >= 0) {
		// (A product page keeps its heading naming the title.)
		chosen = append([]Block{{Kind: Heading, Level: 1, Text: res.Title}}, chosen...)
		text = renderText(chosen)
	}
	res.Blocks = chosen
	res.Text = text
	if st.sel.positive > 0 && st.sel.score > 0 {
		res.Confidence = min(1, st.sel.score/st.sel.positive)
	}
	return res, nil
}

// state is what the rules make of a page: its tree, every block left
// after pruning, the selection and the blocks the rules keep (chosen, in
// document order). The block model reads it.
type state struct {
	res    Result
	t      *tree
	blocks []Block
	sel    selection
	chosen []Block
	dek    int32 // index of the title's subheading among blocks, -1 if none
	// attrib holds the indices of the blocks naming a post's author or
	// date (see attributions), which the filters of polish keep.
	attrib map[int32]bool
}

// run parses the page and applies the rules: metadata, pruning, selection
// of the main subtree and the filters of its blocks.
func (e *Extractor) run(page []byte, pageURL string) *state {
	var res Result
	if len(page) > e.cfg.MaxInputBytes {
		page = page[:e.cfg.MaxInputBytes]
		res.Truncated = "input_bytes"
	}
	t := parse(page, e.cfg.MaxNodes)
	if res.Truncated == "" {
		res.Truncated = t.truncated
	}
	res.Metadata = readMeta(t, pageURL, e.pageTypes)
	pruneType := res.PageType
	if pruneType == "forum" && (slices.Contains(res.ldTypes, "qapage") || hasItemType(t, "/QAPage")) {
		// Q&A sites: the question and its answers are the content,
		// the comments under them are not.
		pruneType = "qa"
	}
	prune(t, pruneType)
	blocks := linearize(t)
	sum := make([]float64, len(t.nodes))
	sel := selectMain(t, blocks, sum, res.PageType)
	chosen := blocks[sel.start:sel.end]
	if res.PageType == "article" || res.PageType == "product" {
		chosen = dropCards(t, chosen, sel.root, hostOf(pageURL, res.CanonicalURL))
	}
	if sel.mode == proseWeights && res.PageType != "listing" {
		// On a listing, the lists of links in the content are its
		// items (headlines, with a teaser between them).
		chosen = cutLinkLists(t, chosen, sel, sum, res.PageType == "service")
	}
	if sel.mode == proseWeights && res.PageType != "forum" {
		chosen = dropBylines(t, chosen, res.PageType == "article", res.PageType != "service")
	}
	if otherSectionTypes[res.PageType] {
		chosen = dropOtherSections(t, chosen, sel.root, res.PageType == "product")
	}
	var attrib map[int32]bool
	switch res.PageType {
	case "product":
		chosen = keepNamed(t, chosen, isDescription)
	case "article":
		chosen = keepNamed(t, chosen, contentClass)
	case "forum":
		// The names are links, which cutLinkLists took.
		all := blocks[sel.start:sel.end]
		attrib = attributions(t, all, isPostBody)
		chosen = withBlocks(keepNamed(t, chosen, isPostBody), all, attrib)
	}
	st := &state{res: res, t: t, blocks: blocks, sel: sel, dek: -1, attrib: attrib}
	if res.PageType == "article" {
		st.dek = findDek(blocks, res.Title)
	}
	st.chosen = st.polish(chosen)
	return st
}

// polish applies to the chosen blocks the filters that hold whatever chose
// them: the title (except on product pages), repeats, copies and
// interface lines go.
func (st *state) polish(chosen []Block) []Block {
	if st.res.PageType != "product" {
		// A product page's heading is the product's name, which
		// reviewers keep with its description.
		chosen = dropTitle(chosen, st.res.Title)
	}
	all := chosen
	prose := st.sel.mode == proseWeights
	switch st.res.PageType {
	case "forum":
		// Before dropRepeats, which would leave the first copy.
		chosen = dropChrome(chosen, 2)
		chosen = dropThreadChrome(chosen)
	case "product":
		// Labels and badges of option lists and comparison tables
		// ("Yes", "Form factor", "New"); a product's text repeats a
		// line twice (two plans of one offer), not three times.
		chosen = dropChrome(chosen, 3)
	case "listing":
		// What every item of a listing prints beside its own text
		// ("Promoted", "Rate this book", "Fast apply", "Add to
		// list"); the items' short lines (a category, an author)
		// recur less often.
		chosen = dropChrome(chosen, 5)
	}
	switch st.res.PageType {
	case "product", "service", "forum", "page", "listing":
		// Pages built from widgets repeat whole sections for other
		// screen sizes (on listings, the teasers of the first items);
		// articles, documentation and collections repeat short lines
		// as content (a meal plan, an API response, a price).
		chosen = dropRepeats(chosen, prose)
	default:
		chosen = dropRepeats(chosen, false)
	}
	if st.res.PageType != "forum" {
		chosen = dropCopies(chosen)
	}
	if st.res.PageType == "article" {
		chosen = dropCredits(chosen)
	}
	chosen = dropNoise(chosen, prose, st.res.PageType == "forum", st.res.PageType == "product")
	if st.res.PageType == "product" || st.res.PageType == "collection" {
		chosen = dropShopLines(chosen)
	}
	return withBlocks(chosen, all, st.attrib)
}

// dropTitle removes a heading at the top of the content that repeats the
// page title: the title is metadata, not body text.
func dropTitle(blocks []Block, title string) []Block {
	k := titleHeading(blocks, title)
	if k < 0 {
		return blocks
	}
	out := make([]Block, 0, len(blocks)-1)
	out = append(out, blocks[:k]...)
	return append(out, blocks[k+1:]...)
}

// titleHeading returns the index of the heading among the first blocks
// that names the page whose title is title, or -1.
func titleHeading(blocks []Block, title string) int {
	if title == "" {
		return -1
	}
	lt := strings.ToLower(title)
	for k := 0; k < len(blocks) && k < 8; k++ {
		b := blocks[k]
		if b.Kind == Heading && b.Level <= 2 && namesTitle(b.Text, lt) {
			return k
		}
	}
	return -1
}

// namesTitle reports whether a heading's text h names the page whose
// lowercased title is lt.
func namesTitle(h, lt string) bool {
	h = strings.ToLower(h)
	return h == lt || len(h) >= 8 && (strings.Contains(lt, h) || strings.Contains(h, lt))
}

// findDek returns the index of an article's dek among its blocks, or -1:
// the heading right after the first heading naming the title, when it is
// a sentence (the summary newspapers print under the headline) rather
// than the name of a section.
func findDek(blocks []Block, title string) int32 {
	if title == "" {
		return -1
	}
	lt := strings.ToLower(title)
	for k := range blocks {
		b := &blocks[k]
		if b.Kind != Heading || b.Level > 2 || !namesTitle(b.Text, lt) {
			continue
		}
		if k+1 < len(blocks) && isDek(&blocks[k+1]) {
			return blocks[k+1].idx
		}
		return -1
	}
	return -1
}

// isDek reports whether b could be a dek: a heading below the first
// level, long as a sentence, without links.
func isDek(b *Block) bool {
	return b.Kind == Heading && b.Level >= 2 && b.chars >= 60 && b.linkChars == 0
}

// finish removes from the chosen blocks, whatever chose them, the
// article's dek (see findDek): the title is metadata and its summary goes
// with it; on a product page it adds the JSON-LD description the text
// lacks (see withProductDesc). It runs after the block model, whose
// inputs are the rules' choice before it.
func (st *state) finish(chosen []Block) []Block {
	if st.res.PageType == "product" {
		chosen = withProductDesc(chosen, st.res.productDesc, st.res.Title)
	}
	if st.dek < 0 {
		return chosen
	}
	for k := range chosen {
		if chosen[k].idx == st.dek && chosen[k].Kind == Heading {
			out := make([]Block, 0, len(chosen)-1)
			out = append(out, chosen[:k]...)
			return append(out, chosen[k+1:]...)
		}
	}
	return chosen
}

// Product descriptions in structured data. Shops built on scripts often
// render the description only on demand (a drawer, a modal, a tab filled
// in by a script) while their JSON-LD Product carries it; the rules then
// choose what the page shows instead (options, delivery terms, a sign-up
// box). When most words of the JSON-LD description are missing from the
// chosen text, the description is put first, after the product's name. A
// description whose words the text holds (the page shows it, or a version
// of it) changes nothing.
const (
	descMinWords = 15  // the least words of a description that is used
	descMaxShare = 0.5 // share of its distinct words the text may hold
)

// withProductDesc returns chosen with the product description desc (from
// JSON-LD, possibly HTML) first, after the heading naming the page's
// title if there is one, when chosen lacks most of its words (see above),
// else chosen.
func withProductDesc(chosen []Block, desc, title string) []Block {
	if desc == "" {
		return chosen
	}
	paras := descBlocks(desc)
	words := map[string]bool{}
	n := 0
	for _, b := range paras {
		forEachWord(strings.ToLower(b.Text), func(w string) bool {
			words[w] = true
			return false
		})
		n += len(strings.Fields(b.Text))
	}
	if n < descMinWords || len(words) == 0 {
		return chosen
	}
	held := 0
	for _, b := range chosen {
		forEachWord(strings.ToLower(b.Text), func(w string) bool {
			if words[w] {
				held++
				delete(words, w)
			}
			return false
		})
	}
	if float64(held) >= descMaxShare*float64(held+len(words)) {
		return chosen
	}
	at := titleHeading(chosen, title) + 1
	out := make([]Block, 0, len(chosen)+8)
	out = append(out, chosen[:at]...)
	out = append(out, paras...)
	return append(out, chosen[at:]...)
}

// descBlocks returns the paragraphs of a JSON-LD description, which may
// hold markup: its line breaks are paragraph breaks, as shops write them,
// and each line with markup is read by the page's own parser, each block of
// it (a paragraph, a list item) a paragraph.
func descBlocks(desc string) []Block {
	var out []Block
	for _, line := range strings.Split(desc, "\n") {
		if !strings.ContainsAny(line, "<&") {
			out = append(out, paragraphs(line)...)
			continue
		}
		// A tree has at most a node a byte, and the root.
		for _, b := range linearize(parse([]byte(line), len(line)+1)) {
			out = append(out, paragraphs(b.Text)...)
		}
	}
	return out
}

// dropBylines removes from prose the blocks that are about the text rather
// than part of it: dates, with byClass the short blocks that a class names a
// byline or metadata (see bylineWords), and in articles image captions and
// credits. Service pages have no byline: there those class words mark the
// labels and descriptions of sections ("card-meta"), which stay.
func dropBylines(t *tree, blocks []Block, article, byClass bool) []Block {
	return without(blocks, func(b *Block) bool {
		f := t.nodes[b.owner].flags
		return byClass && f&fByline != 0 && b.chars < 120 || article && f&fCaption != 0 || isDateLine(b.Text)
	})
}

// without returns the blocks for which drop is false, in order, in a new
// slice: blocks is often a window of the page's blocks, which stay as
// they are.
func without(blocks []Block, drop func(b *Block) bool) []Block {
	out := blocks[:0:0]
	for k := range blocks {
		if !drop(&blocks[k]) {
			out = append(out, blocks[k])
		}
	}
	return out
}

// creditLabels open or close the credit of an image ("Photo: Jane Doe,
// AP", "A plague doctor (Image: GETTY)").
var creditLabels = []string{"Image", "Images", "Photo", "Photos", "Picture", "Pictures", "Credit", "Credits", "Photograph", "Photo credit"}

// maxCreditChars is the longest block dropCredits looks at.
const maxCreditChars = 300

// isCreditLine reports whether s is an image's caption or credit: a short
// line that opens with a capitalised credit label and a colon, or that
// ends with a label, a colon and a source in parentheses.
func isCreditLine(s string) bool {
	if len(s) > maxCreditChars {
		return false
	}
	for _, l := range creditLabels {
		if rest, ok := strings.CutPrefix(s, l+":"); ok && len(rest) < 100 {
			return true
		}
	}
	if !strings.HasSuffix(s, ")") {
		return false
	}
	open := strings.LastIndexByte(s, '(')
	if open < 0 || len(s)-open > 80 {
		return false
	}
	in := s[open+1:]
	for _, l := range creditLabels {
		if len(in) > len(l) && strings.EqualFold(in[:len(l)], l) && strings.HasPrefix(strings.TrimLeft(in[len(l):], " "), ":") {
			return true
		}
	}
	return false
}

// dropCredits removes from an article the captions and credits of its
// images that no class named (see isCreditLine). Code stays.
func dropCredits(blocks []Block) []Block {
	return without(blocks, func(b *Block) bool { return (b.Kind == Paragraph || b.Kind == Quote) && isCreditLine(b.Text) })
}

// dropRepeats removes text the page already showed. A paragraph, heading
// or quotation of 40 bytes or more that appeared before goes alone: pages
// repeat a caption, a teaser or a pull quote. Shorter blocks, list items
// and table rows go only in a run of at least two consecutive repeats of
// 30 bytes or more together: a section repeated for another screen size
// (a product's options and badges, a slider's slides). A single repeated
// list item or row stays, as content repeats them (a meal plan, a
// schedule).
func dropRepeats(blocks []Block, runs bool) []Block {
	seen := make(map[string]bool, len(blocks))
	repeat := make([]bool, len(blocks))
	for k, b := range blocks {
		repeat[k] = seen[b.Text] && (runs && b.Kind != ListItem && b.Kind != TableRow ||
			len(b.Text) >= 40 && (b.Kind == Paragraph || b.Kind == Heading || b.Kind == Quote))
		seen[b.Text] = true
	}
	out := blocks[:0:0]
	for k := 0; k < len(blocks); {
		b := blocks[k]
		if !repeat[k] {
			out = append(out, b)
			k++
			continue
		}
		// A run of repeats blocks[k:j].
		j, chars := k, 0
		for j < len(blocks) && repeat[j] {
			chars += blocks[j].chars
			j++
		}
		run := j-k >= 2 && chars >= 30
		for ; k < j; k++ {
			b := blocks[k]
			long := len(b.Text) >= 40 && (b.Kind == Paragraph || b.Kind == Heading || b.Kind == Quote)
			if !run && !long {
				out = append(out, b)
			}
		}
	}
	return out
}

// dropNoise removes blocks that are never content on any kind of page:
// bare URLs, interface lines such as "Read more", lines of counters and user statistics (in prose and forums;
// in a list of items a rating or count belongs to the item), and in prose the lines holding only prices (in a list of
// products the price belongs to the item; on a product page it is the
// shop's offer, not the product's text, whatever the mode).
func dropNoise(blocks []Block, prose, forum, product bool) []Block {
	return without(blocks, func(b *Block) bool {
		s := b.Text
		return b.Kind != Code && (isURLLine(s) || isMarkupLine(s) || isBoilerLine(s) ||
			(prose || forum) && isStatLine(s, forum) || prose && isPriceLine(s) || product && isOfferLine(s))
	})
}

// shopLines are whole blocks of a shop's interface beside its goods,
// compared lowercased and without surrounding punctuation (see
// isBoilerLine); other pages rarely print them.
var shopLines = map[string]bool{
	"quick shop": true, "quick view": true, "quick add": true, "add to wishlist": true, "add to wish list": true,
	"in stock": true, "featured products": true, "load more": true, "view details": true,
	"filters": true, "add to compare": true,
}

// dropShopLines removes from a product or collection page the lines of
// its shop's interface (see shopLines).
func dropShopLines(blocks []Block) []Block {
	return without(blocks, func(b *Block) bool { return len(b.Text) <= 60 && shopLines[lineKey(b.Text)] })
}

// offerWords are, beside priceWords, the words of a shop's offer on a
// product page: the price, instalments, delivery and its terms ("Current
// price is $179.00", "From $1099 or $91.58/mo. for 12 mo.", "Free
// shipping on orders over $75").
var offerWords = map[string]bool{
	"is": true, "mo": true, "month": true, "for": true, "just": true, "payments": true, "payment": true,
	"included": true, "with": true, "free": true, "shipping": true, "delivery": true, "standard": true,
	"express": true, "orders": true, "order": true, "over": true, "on": true, "all": true, "of": true,
	"more": true, "domestic": true, "the": true, "a": true, "in": true, "value": true, "comparable": true,
}

// isOfferLine reports whether a short block holds only a shop's offer:
// amounts and prices with the words of price lines and offers.
func isOfferLine(s string) bool {
	if len(s) > 80 || !strings.ContainsAny(s, "$€£¥₹") || !strings.ContainsAny(s, "0123456789") {
		return false
	}
	return !forEachWord(strings.ToLower(s), func(w string) bool {
		return !(w[0] >= '0' && w[0] <= '9') && !priceWords[w] && !offerWords[w]
	})
}

// isMarkupLine reports whether a block is HTML source shown as text: a
// tag with quoted attributes (the <img> of a tracking pixel in a
// <noscript> the page escaped). Names in angle brackets ("<title> and
// <content>", "<The Palace>") are text.
func isMarkupLine(s string) bool {
	if len(s) < 8 || s[0] != '<' {
		return false
	}
	k := 1
	for k < len(s) && (s[k] >= 'a' && s[k] <= 'z' || s[k] >= '0' && s[k] <= '9') {
		k++
	}
	return k > 1 && k < len(s) && s[k] == ' ' && (strings.Contains(s, `="`) || strings.Contains(s, `='`)) &&
		strings.Contains(s, ">")
}

// paragraphs splits plain text into paragraph blocks on line breaks.
func paragraphs(s string) []Block {
	var out []Block
	for _, line := range strings.Split(s, "\n") {
		if line = collapse(line); line != "" {
			out = append(out, Block{Kind: Paragraph, Text: line, chars: len(line)})
		}
	}
	return out
}

// Decode converts an HTML payload to UTF-8. The encoding is taken from
// contentType's charset parameter or hint (an HTTP header charset), then from
// a byte-order mark or <meta charset> in the first 1024 bytes, then guessed;
// see golang.org/x/net/html/charset.DetermineEncoding. Invalid bytes become
// U+FFFD.
func Decode(page []byte, contentType, hint string) []byte {
	if hint != "" && !strings.Contains(strings.ToLower(contentType), "charset=") {
		contentType = "text/html; charset=" + hint
	}
	// Valid UTF-8 with multi-byte sequences is almost never another
	// encoding by chance, while declared charsets are often wrong (a page
	// re-saved as UTF-8 keeps its old <meta charset>): trust the bytes.
	if utf8.Valid(page) {
		return page
	}
	enc, name, _ := charset.DetermineEncoding(page, contentType)
	if name == "utf-8" || enc == nil {
		return bytes.ToValidUTF8(page, []byte("\uFFFD"))
	}
	out, err := enc.NewDecoder().Bytes(page)
	if err != nil {
		return bytes.ToValidUTF8(page, []byte("\uFFFD"))
	}
	return out
}

// LooksLikeHTML reports whether a payload is HTML, from its content type or,
// when that is missing or generic, from its first bytes.
func LooksLikeHTML(page []byte, contentType string) bool {
	ct := strings.ToLower(contentType)
	switch {
	case strings.Contains(ct, "html"):
		return true
	case ct != "" && !strings.HasPrefix(ct, "text/plain") && !strings.Contains(ct, "octet-stream") &&
		!strings.Contains(ct, "unknown"):
		return false
	}
	head := page[:min(len(page), 1024)]
	head = bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	lower := bytes.ToLower(head)
	for _, sig := range []string{"<!doctype html", "<html", "<head", "<body", "<meta", "<title", "<div", "<p>", "<!--"} {
		if bytes.Contains(lower, []byte(sig)) {
			return true
		}
	}
	return false
}

// Process extracts the main content of a record holding HTML: it decodes
// r.HTML, sets r.Text and the metadata keys title, author, date, site_name,
// canonical_url, lang_hint, page_type and extract_confidence (and
// extract_truncated when the page was cut), and clears r.HTML. Records
// without HTML pass through unchanged. It rejects payloads that are not HTML
// ("extract_not_html") and pages that yield no text ("extract_empty").
func (e *Extractor) Process(r *record.Record) bool {
	if r.HTML == nil {
		return true
	}
	if !LooksLikeHTML(r.HTML, r.ContentType) {
		ct := r.ContentType
		r.HTML = nil
		return r.Reject("extract", "extract_not_html", "content type "+quoteOr(ct, "unknown"))
	}
	page := Decode(r.HTML, r.ContentType, r.Charset)
	res, err := e.Extract(page, r.URL)
	r.HTML = nil
	if err != nil {
		return r.Reject("extract", "extract_error", err.Error())
	}
	setMeta := func(k, v string) {
		if v != "" {
			r.SetMeta(k, v)
		}
	}
	setMeta("title", res.Title)
	setMeta("author", res.Author)
	setMeta("date", res.Date)
	setMeta("site_name", res.SiteName)
	setMeta("canonical_url", res.CanonicalURL)
	setMeta("lang_hint", res.LangHint)
	setMeta("page_type", res.PageType)
	setMeta("extract_truncated", res.Truncated)
	r.SetMeta(record.MetaExtractConfidence, res.Confidence)
	if len(res.Text) < e.cfg.MinChars {
		return r.Reject("extract", "extract_empty", fmt.Sprintf("%d bytes of text", len(res.Text)))
	}
	r.Text = res.Text
	return true
}

func quoteOr(s, def string) string {
	if s == "" {
		return def
	}
	return fmt.Sprintf("%q", s)
}

// hostOf returns the lowercased host of the first parsable absolute URL
// among urls, or "".
func hostOf(urls ...string) string {
	for _, s := range urls {
		if u, err := url.Parse(s); err == nil && u.Host != "" {
			return strings.ToLower(u.Hostname())
		}
	}
	return ""
}

// Copies. Some pages carry their text twice: once as paragraphs and once
// run together in one block (a hidden copy for a script, a print version, a
// summary that is the whole text). dropCopies recognises the copy by its
// word 5-grams: a long block whose 5-grams nearly all appeared before,
// spread over several earlier blocks, repeats the page whatever its block
// boundaries.
// A paragraph that repeats one earlier paragraph with a change (the terms
// of one offer, then of the next) is not a copy.
const (
	copyMinWords  = 60  // blocks shorter than this are never copies
	copyShare     = 0.8 // share of a block's 5-grams seen before that makes it a copy
	copyOneSource = 0.6 // a block matching one earlier block more than this is a variant
	copyGram      = 5
)

// dropCopies removes the blocks that repeat earlier text of blocks (see
// above). Quotations stay: a reply quotes the post it answers.
func dropCopies(blocks []Block) []Block {
	seen := make(map[uint64]int32) // 5-gram -> index in out of its first block
	per := make(map[int32]int)     // 5-grams of the block seen, by source
	var grams []uint64
	out := blocks[:0:0]
	for _, b := range blocks {
		grams = wordGrams(grams[:0], b.Text)
		if len(grams)+copyGram-1 >= copyMinWords && b.Kind != Quote && b.Kind != Code {
			clear(per)
			n, top := 0, 0
			for _, g := range grams {
				if src, ok := seen[g]; ok {
					n++
					per[src]++
					top = max(top, per[src])
				}
			}
			if float64(n) >= copyShare*float64(len(grams)) && float64(top) < copyOneSource*float64(len(grams)) {
				continue
			}
		}
		for _, g := range grams {
			if _, ok := seen[g]; !ok {
				seen[g] = int32(len(out))
			}
		}
		out = append(out, b)
	}
	return out
}

// wordGrams appends to dst a hash of every run of copyGram consecutive
// words of s, where a word is a run of letters and digits (compared
// byte-wise, so case matters) and anything else separates words.
func wordGrams(dst []uint64, s string) []uint64 {
	var ring [copyGram]uint64
	n := 0
	h := uint64(14695981039346656037)
	inWord := false
	flush := func() {
		ring[n%copyGram] = h
		n++
		if n >= copyGram {
			var g uint64
			for k := n - copyGram; k < n; k++ {
				g = g*1099511628211 ^ ring[k%copyGram]
			}
			dst = append(dst, g)
		}
		h = 14695981039346656037
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		word := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c >= 0x80
		if word {
			h = (h ^ uint64(c)) * 1099511628211
			inWord = true
		} else if inWord {
			flush()
			inWord = false
		}
	}
	if inWord {
		flush()
	}
	return dst
}

// hasItemType reports whether an element of t declares a microdata
// itemtype ending in suffix ("/QAPage").
func hasItemType(t *tree, suffix string) bool {
	for i := range t.attrs {
		if strings.HasSuffix(t.attrs[i].itemtype, suffix) {
			return true
		}
	}
	return false
}

// shopPhrases open, on a product page, the sections showing the shop's
// other goods: variants, accessories, other sellers. Matched in short
// lowercased headings.
var shopPhrases = []string{"how about these", "consider these", "variations of", "often viewed",
	"accessories for", "other sellers", "other items", "more brands", "more inspiration"}

// otherSectionTypes are the page types whose sections about other pages
// (see dropOtherSections) go.
var otherSectionTypes = map[string]bool{"product": true, "service": true}

// dropOtherSections removes the sections about other pages: a heading, or
// a short line standing as one, that names related or recommended items
// ("You may also like", "People who viewed this item also viewed", "More
// from ..."), with the element it opens: the largest element below root
// whose first chosen block it is. On a product page the shop's own
// phrases for its other goods open such sections too (see shopPhrases),
// questions among them ("How about these?").
func dropOtherSections(t *tree, blocks []Block, root int32, product bool) []Block {
	var drop []int32 // roots of the sections dropped, in order
	var ends []int32
	first := make(map[int32]bool) // elements whose first chosen block is known
	for k := range blocks {
		b := &blocks[k]
		// Mark the ancestors of b whose subtree starts with b.
		starts := b.owner
		for a := b.owner; a > root && a >= 0; a = t.nodes[a].parent {
			if first[a] {
				break
			}
			first[a] = true
			starts = a
		}
		if sectionHead(b) && (!strings.HasSuffix(b.Text, "?") && hasPhrase(b.Text, otherPhrases) ||
			product && hasPhrase(b.Text, shopPhrases)) {
			drop = append(drop, starts)
			ends = append(ends, subtreeEnd(t, starts))
		}
	}
	if len(drop) == 0 {
		return blocks
	}
	out := blocks[:0:0]
	for _, b := range blocks {
		in := false
		for j, d := range drop {
			if b.owner >= d && b.owner < ends[j] {
				in = true
				break
			}
		}
		if !in {
			out = append(out, b)
		}
	}
	return out
}

// Named containers. Around the text a page shows blocks the rules do not
// tell from it: on a product page the shop's interface around the
// product's own description (option pickers, delivery and return terms,
// badges, promotions, tooltips explaining the specifications, bundles);
// on an article or a thread the standfirst boxes, author cards, calls to
// action and notes between the text and the comments. Many sites name the
// text's container: shop engines the description ("description",
// "product__description", "woocommerce-Tabs-panel--description", "desc"),
// publishing and forum engines the body ("entry-content", "post-body",
// "article-body", "message-body", see contentNames and postNames). When
// the blocks inside such containers hold a good part of the text the rules
// chose, they are the content and the rest goes; a smaller one is a
// teaser's or a card's.
const (
	namedMinShare = 0.3 // share of the chosen text the named containers must hold
	namedMinChars = 200 // and bytes of text
)

// descWords are the id and class words of a product description's
// container.
var descWords = map[string]bool{"description": true, "desc": true, "productdescription": true}

// isDescription reports whether the id/class string cid names a product
// description's container.
func isDescription(cid string) bool {
	return forEachWord(cid, func(w string) bool { return descWords[w] })
}

// postNames name the container of a post's text in forum engines
// (XenForo, vBulletin, Invision's "ipsType_richText" and "ipsRichText"
// and others), besides contentNames.
var postNames = []string{"message-body", "message-content", "messagecontent", "post-message", "post_message", "postmessage", "richtext"}

// isPostBody reports whether the id/class string cid names the container
// of a post's text.
func isPostBody(cid string) bool {
	return contentClass(cid) || containsAny(cid, postNames...)
}

// keepNamed returns the blocks of blocks that lie inside elements whose
// id/class string named accepts, when those hold enough of the text (see
// above), else blocks unchanged.
func keepNamed(t *tree, blocks []Block, named func(cid string) bool) []Block {
	if len(blocks) == 0 {
		return blocks
	}
	// state[i] is 1 when node i is or lies inside a named container, 2
	// when not, 0 while unknown; only the ancestors of the blocks are
	// looked at, each once.
	state := make([]int8, len(t.nodes))
	var path []int32
	in := make([]bool, len(blocks))
	total, inside := 0, 0
	for k, b := range blocks {
		path = path[:0]
		a := b.owner
		for a > 0 && state[a] == 0 {
			if nd := &t.nodes[a]; nd.text != "" && named(nd.text) {
				state[a] = 1
				break
			}
			path = append(path, a)
			a = t.nodes[a].parent
		}
		v := int8(2)
		if a > 0 && state[a] == 1 {
			v = 1
		}
		for _, p := range path {
			state[p] = v
		}
		total += b.chars
		if v == 1 {
			in[k] = true
			inside += b.chars
		}
	}
	if inside < namedMinChars || float64(inside) < namedMinShare*float64(total) || inside == total {
		return blocks
	}
	out := make([]Block, 0, len(blocks))
	for k, b := range blocks {
		if in[k] {
			out = append(out, b)
		}
	}
	return out
}

// maxChromeChars is the longest line of chrome (see dropChrome).
const maxChromeChars = 60

// dropChrome removes the short lines (up to maxChromeChars bytes) that
// recur at least times times word for word, every copy of them: on a forum
// what is printed beside every post (rank titles, join dates, "Quote", a
// member's signature line) rather than what was posted. Quotations and
// code stay.
func dropChrome(blocks []Block, times int) []Block {
	count := make(map[string]int, len(blocks))
	for _, b := range blocks {
		if len(b.Text) <= maxChromeChars && b.Kind != Quote && b.Kind != Code {
			count[b.Text]++
		}
	}
	return without(blocks, func(b *Block) bool {
		return count[b.Text] >= times && len(b.Text) <= maxChromeChars && b.Kind != Quote && b.Kind != Code
	})
}
