package extract

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"net/url"
	"strings"
	"sync"

	"golang.org/x/net/html/atom"

	"github.com/winnow-corpus/winnow/internal/gbt"
)

// The page type (Metadata.PageType) is guessed by a small learned model:
// one boosted-tree ensemble per type (one against the rest, see
// internal/gbt), over cheap signals read in one pass over the parsed tree
// before pruning: the words of the URL and its shape, JSON-LD, microdata
// and Open Graph types, counts of elements (forms, tables, code, <time>,
// <article> ...), repeated sibling cards, headings that are links, price
// patterns, shop, forum, documentation, service and listing words in the
// text and in the id and class names, and the hand-written rules of
// pageType (meta.go) as one more signal. The type with the highest
// probability wins;
// when that probability stays below the file's threshold the page is
// "page" (unknown). See PAGETYPE.md for the data, the training command
// (go run ./extract/pagetype/train) and the cross-validated figures.

//go:embed pagetype_model.json
var builtinPageTypeModel []byte

// pageTypeModel is the per-type ensembles and the threshold.
type pageTypeModel struct {
	Types     []string       `json:"types"`
	Features  []string       `json:"features"`
	Threshold float64        `json:"threshold"`
	Models    []gbt.Ensemble `json:"models"`
}

var (
	ptOnce  sync.Once
	ptModel *pageTypeModel
	ptErr   error
)

// loadPageTypeModel parses a page-type model file; a file without models
// gives nil (the rules guess alone).
func loadPageTypeModel(b []byte) (*pageTypeModel, error) {
	var m pageTypeModel
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("extract: page-type model: %w", err)
	}
	if len(m.Models) == 0 {
		return nil, nil
	}
	if len(m.Features) != numPTFeatures {
		return nil, fmt.Errorf("extract: page-type model has %d features, the code %d", len(m.Features), numPTFeatures)
	}
	if len(m.Types) != len(m.Models) {
		return nil, fmt.Errorf("extract: page-type model: %d types, %d models", len(m.Types), len(m.Models))
	}
	for i := range m.Models {
		if err := m.Models[i].Check(numPTFeatures, maxTreeDepth); err != nil {
			return nil, fmt.Errorf("extract: page-type model %s: %w", m.Types[i], err)
		}
	}
	return &m, nil
}

// builtinPageType returns the embedded page-type model, parsed once.
func builtinPageType() (*pageTypeModel, error) {
	ptOnce.Do(func() { ptModel, ptErr = loadPageTypeModel(builtinPageTypeModel) })
	return ptModel, ptErr
}

// classify returns the most probable type and its probability.
func (m *pageTypeModel) classify(x []float32) (string, float64) {
	best, bp := "page", -1.0
	for i := range m.Models {
		if p := m.Models[i].Prob(x); p > bp {
			best, bp = m.Types[i], p
		}
	}
	return best, bp
}

// guess returns the type of a page of features x: the most probable type,
// or "page" when the model is unsure.
func (m *pageTypeModel) guess(x []float32) string {
	typ, p := m.classify(x)
	if p < m.Threshold {
		return "page"
	}
	return typ
}

// guessPageType returns the page type of the page in t: the model's guess,
// "page" when it is unsure, or the rules' guess when there is no model.
func guessPageType(t *tree, m *Metadata, pageURL string, pm *pageTypeModel) string {
	rule := pageType(m, pageURL)
	if pm == nil {
		return rule
	}
	return pm.guess(pageTypeFeatures(t, m, pageURL, rule))
}

// PageTypeSample is what the page-type model reads of a page, for training
// it (extract/pagetype/train).
type PageTypeSample struct {
	Features []float32
	Rule     string // the hand-written rules' guess (pageType in meta.go)
	Guess    string // the shipped model's guess (Metadata.PageType)
}

// PageTypeSample parses a page (UTF-8, as for Extract) and returns the
// page-type model's features.
func (e *Extractor) PageTypeSample(page []byte, pageURL string) PageTypeSample {
	if len(page) > e.cfg.MaxInputBytes {
		page = page[:e.cfg.MaxInputBytes]
	}
	t := parse(page, e.cfg.MaxNodes)
	// Without a model readMeta gives the rules' type and computes no
	// features; they are computed once, here, and the model reads them.
	m := readMeta(t, pageURL, nil)
	s := PageTypeSample{Rule: m.PageType, Guess: m.PageType}
	s.Features = pageTypeFeatures(t, &m, pageURL, s.Rule)
	if e.pageTypes != nil {
		s.Guess = e.pageTypes.guess(s.Features)
	}
	return s
}

// PageTypeFeatureNames names the page-type model's features, in order.
func PageTypeFeatureNames() []string { return append([]string(nil), ptNames...) }

// PageTypes are the types the page-type model tells apart.
func PageTypes() []string { return append([]string(nil), pageTypes...) }

// Lexicon groups: words of the URL, of the visible text and of id and
// class names that hint at one kind of page.
const (
	gForum = iota
	gDoc
	gProduct
	gCollection
	gArticle
	gService
	gListing
	gCart
	gPrice
	gReview
	gCard
	gPaging
	numGroups
)

var groupNames = [numGroups]string{"forum", "doc", "product", "collection", "article", "service", "listing",
	"cart", "price", "review", "card", "paging"}

// urlWords are the words of URL paths (split at every non-letter,
// non-digit) by group.
var urlWords = lexicon(map[int]string{
	gForum:      "forum forums thread threads topic topics t questions question discuss discussion discussions community comments r viewtopic showthread showtopic board boards answers posts",
	gDoc:        "docs doc documentation api apis reference manual manuals guide guides wiki developer developers learn tutorial tutorials help kb knowledge support faq sdk latest stable howto handbook",
	gProduct:    "product products p dp item items buy sku pd",
	gCollection: "collections collection category categories c shop store catalog catalogue department brands brand sale range",
	gArticle:    "blog blogs news article articles post story stories magazine press opinion recipe recipes review reviews",
	gService:    "services service solutions solution pricing about contact features company hire consulting agency plans industries",
	gListing:    "tag tags search page archive archives list lists events jobs directory results author authors index all browse latest",
})

// textWords are the words (and word pairs) of the visible text by group.
var textWords = lexicon(map[int]string{
	gForum:   "reply replies quote quoted joined registered member members moderator thread threads topic permalink upvote upvotes downvote votes vote answers answered asked posts poster posted_by originally_posted reply_quote report likes",
	gDoc:     "parameters parameter returns example examples syntax function method methods class install installation configuration api deprecated default argument arguments options usage import tutorial npm pip on_this page_navigation edit_this table_of previous_next",
	gCart:    "cart basket checkout wishlist add_to buy_now in_stock out_of sku qty quantity shipping delivery warranty returns",
	gPrice:   "price prices sale discount msrp vat tax regular_price was save",
	gReview:  "reviews review rating ratings stars write_a",
	gArticle: "min_read published updated share tweet subscribe newsletter author editor reporter comments minutes ago by",
	gService: "contact_us get_a free_consultation schedule appointment services clients solutions team experience call hire professional expert experts industries customers trusted pricing plans demo trial quote learn_more our_services book",
	gListing: "next previous prev older newer results showing sort filter filters read_more load_more view_all archive categories tags page",
})

// classWords are the words of id and class names by group.
var classWords = lexicon(map[int]string{
	gForum:   "post posts message messages comment comments reply replies thread threads topic topics forum bbp bbpress vbulletin phpbb discussion answer answers question vote votes avatar username userinfo postbody postcontent signature quote",
	gProduct: "product products price cart basket sku variant variants swatch swatches quantity qty add buy stock woocommerce shopify checkout addtocart",
	gCard:    "card cards item items grid tile tiles teaser teasers listing list results result loop archive collection category thumbnail thumb excerpt",
	gArticle: "article entry story byline author published date headline blog news share social related",
	gDoc:     "docs doc documentation toc sidebar highlight hljs syntax code codehilite language markdown api admonition note warning sphinx rst docusaurus breadcrumb breadcrumbs version mdx",
	gService: "hero cta testimonial testimonials service services feature features pricing plan plans contact team clients banner",
	gPaging:  "pagination pager paging page numbers next prev previous more filter filters facet facets sort sorting",
	gReview:  "rating ratings stars review reviews",
})

// lexicon turns groups of space-separated words (pairs joined by "_") into
// a lookup from word (pairs: "w1 w2") to group bits.
func lexicon(groups map[int]string) map[string]uint16 {
	m := map[string]uint16{}
	for g, s := range groups {
		for _, w := range strings.Fields(s) {
			m[strings.ReplaceAll(w, "_", " ")] |= 1 << g
		}
	}
	return m
}

// JSON-LD and microdata type flags.
var ldFlags = []struct {
	name  string
	types []string
}{
	{"article", []string{"article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle", "scholarlyarticle", "socialmediaposting", "liveblogposting"}},
	{"techarticle", []string{"techarticle", "apireference", "howto", "softwaresourcecode"}},
	{"product", []string{"product", "productgroup", "individualproduct", "productmodel", "car", "vehicle"}},
	{"offer", []string{"offer", "aggregateoffer", "pricespecification"}},
	{"rating", []string{"aggregaterating", "review", "rating"}},
	{"forum", []string{"discussionforumposting", "qapage", "question", "answer", "comment"}},
	{"collection", []string{"collectionpage", "offercatalog", "itemlist", "searchresultspage"}},
	{"service", []string{"service", "professionalservice", "localbusiness", "organization", "corporation", "homeandconstructionbusiness", "legalservice", "medicalbusiness", "financialservice", "faqpage", "contactpage", "aboutpage"}},
	{"webpage", []string{"webpage"}},
	{"breadcrumb", []string{"breadcrumblist"}},
	{"event", []string{"event", "jobposting", "course", "recipe", "softwareapplication"}},
	{"person", []string{"person", "profilepage"}},
}

var microFlags = []struct{ name, sub string }{
	{"product", "/product"}, {"offer", "offer"}, {"comment", "/comment"}, {"forum", "discussionforumposting"},
	{"question", "/question"}, {"answer", "/answer"}, {"article", "article"}, {"blog", "blogposting"},
	{"list", "list"}, {"breadcrumb", "breadcrumb"}, {"rating", "rating"}, {"person", "/person"},
}

// Element counts.
var countTags = [...]atom.Atom{atom.P, atom.H1, atom.H2, atom.H3, atom.H4, atom.Li, atom.Ul, atom.Ol, atom.Table, atom.Tr,
	atom.Pre, atom.Code, atom.Form, atom.Input, atom.Button, atom.Select, atom.Textarea, atom.Img, atom.Article,
	atom.Main, atom.Time, atom.Blockquote, atom.Aside, atom.Nav, atom.Section, atom.Iframe, atom.Dl, atom.Figure,
	atom.Header, atom.Footer, atom.Label, atom.Video, atom.Svg}

var hostPrefixes = []string{"docs.", "developer.", "forum.", "forums.", "community.", "shop.", "store.", "blog.",
	"support.", "help.", "learn.", "news.", "discuss."}

var urlExts = []string{".html", ".htm", ".php", ".aspx", ".asp", ".jsp"}

// ptNames names the features; the offsets below index them.
var ptNames []string

var (
	ptRule, ptURL, ptHost, ptExt, ptLD, ptMicro, ptOG, ptCount, ptText, ptTextRate, ptClass, ptShape int
	numPTFeatures                                                                                    int
)

// Shape features, after the counts.
const (
	sDepth = iota
	sLastLen
	sLastHyphens
	sPathDigits
	sLongNumber
	sQuery
	sQueryPage
	sSlash
	sHome
	sYear
	sNodes
	sWords
	sLinks
	sLinkWordShare
	sPWordShare
	sPAvgWords
	sPMaxWords
	sHeadingLinks
	sMaxRun
	sRuns4
	sRunItems
	sPrices
	sTimes
	sH1Words
	sTitleWords
	sBreadcrumb
	numShape
)

var shapeNames = [numShape]string{"url_depth", "url_last_len", "url_last_hyphens", "url_digits", "url_long_number",
	"url_query", "url_query_page", "url_slash", "url_home", "url_year", "nodes", "words", "links", "link_word_share",
	"p_word_share", "p_avg_words", "p_max_words", "heading_links", "max_sibling_run", "runs4", "run_items", "prices",
	"time_datetime", "h1_words", "title_words", "breadcrumb_links"}

func init() {
	add := func(prefix string, names ...string) int {
		at := len(ptNames)
		for _, n := range names {
			ptNames = append(ptNames, prefix+n)
		}
		return at
	}
	ptRule = add("rule_", append(append([]string(nil), pageTypes...), "page")...)
	ptURL = add("url_", groupNames[:]...)
	ptHost = add("host_", hostPrefixes...)
	ptExt = add("ext_", urlExts...)
	var ld, mi []string
	for _, f := range ldFlags {
		ld = append(ld, f.name)
	}
	for _, f := range microFlags {
		mi = append(mi, f.name)
	}
	ptLD = add("ld_", ld...)
	ptMicro = add("micro_", mi...)
	ptOG = add("og_", "article", "product", "website", "other")
	var tags []string
	for _, a := range countTags {
		tags = append(tags, a.String())
	}
	ptCount = add("count_", tags...)
	ptText = add("text_", groupNames[:]...)
	ptTextRate = add("textrate_", groupNames[:]...)
	ptClass = add("class_", groupNames[:]...)
	ptShape = add("", shapeNames[:]...)
	numPTFeatures = len(ptNames)
	for w := range textWords {
		if f, _, pair := strings.Cut(w, " "); pair {
			lexShape[len(f)][f[0]-'a'] |= 2
		} else {
			lexShape[len(w)][w[0]-'a'] |= 1
		}
	}
}

// maxLexWord is the length of the longest word of the lexicons.
const maxLexWord = 24

// lexShape[len][first letter] has bit 0 set when a word of the text
// lexicon has that length and first letter, bit 1 when the first word of
// one of its pairs has: most words need no lookup.
var lexShape [maxLexWord + 1][26]uint8

// countIndex maps each tag of countTags to its index there.
var countIndex = func() map[atom.Atom]int {
	m := make(map[atom.Atom]int, len(countTags))
	for i, a := range countTags {
		m[a] = i
	}
	return m
}()

func logCount(n int) float32 { return float32(math.Log1p(float64(n))) }

// pageTypeFeatures reads the page-type model's features of the page in t
// (before pruning) with its metadata m and the rules' guess rule.
func pageTypeFeatures(t *tree, m *Metadata, pageURL, rule string) []float32 {
	x := make([]float32, numPTFeatures)
	// The rules' guess.
	ri := len(pageTypes)
	for i, p := range pageTypes {
		if p == rule {
			ri = i
		}
	}
	x[ptRule+ri] = 1

	// URL.
	u, _ := url.Parse(pageURL)
	if u == nil {
		u = &url.URL{}
	}
	host := strings.ToLower(u.Hostname())
	for i, h := range hostPrefixes {
		if strings.HasPrefix(host, h) || strings.HasPrefix(host, "www."+h) {
			x[ptHost+i] = 1
		}
	}
	path := strings.ToLower(u.EscapedPath())
	segs := strings.FieldsFunc(path, func(r rune) bool { return r == '/' })
	x[ptShape+sDepth] = float32(len(segs))
	if len(segs) == 0 {
		x[ptShape+sHome] = 1
	} else {
		last := segs[len(segs)-1]
		x[ptShape+sLastLen] = float32(len(last))
		x[ptShape+sLastHyphens] = float32(strings.Count(last, "-") + strings.Count(last, "_"))
		for i, e := range urlExts {
			if strings.HasSuffix(last, e) {
				x[ptExt+i] = 1
			}
		}
	}
	if strings.HasSuffix(path, "/") {
		x[ptShape+sSlash] = 1
	}
	run, longest, digits := 0, 0, 0
	for i := 0; i < len(path); i++ {
		if c := path[i]; c >= '0' && c <= '9' {
			digits++
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	x[ptShape+sPathDigits] = float32(digits)
	x[ptShape+sLongNumber] = float32(longest)
	if u.RawQuery != "" {
		x[ptShape+sQuery] = 1
		for k := range u.Query() {
			switch strings.ToLower(k) {
			case "page", "p", "pg", "q", "s", "query", "search", "sort", "start", "offset":
				x[ptShape+sQueryPage] = 1
			}
		}
	}
	for _, w := range strings.FieldsFunc(path+" "+strings.ToLower(u.RawQuery), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	}) {
		if len(w) == 4 && (strings.HasPrefix(w, "19") || strings.HasPrefix(w, "20")) && w[2] >= '0' && w[2] <= '9' && w[3] >= '0' && w[3] <= '9' {
			x[ptShape+sYear] = 1
		}
		for g := 0; g < numGroups; g++ {
			if urlWords[w]&(1<<g) != 0 {
				x[ptURL+g]++
			}
		}
	}

	// Structured data.
	for _, ty := range m.ldTypes {
		for i, f := range ldFlags {
			for _, s := range f.types {
				if ty == s {
					x[ptLD+i] = 1
				}
			}
		}
	}
	switch {
	case m.ogType == "":
	case strings.Contains(m.ogType, "article"):
		x[ptOG] = 1
	case strings.Contains(m.ogType, "product"):
		x[ptOG+1] = 1
	case m.ogType == "website":
		x[ptOG+2] = 1
	default:
		x[ptOG+3] = 1
	}
	x[ptShape+sH1Words] = float32(len(strings.Fields(m.h1)))
	x[ptShape+sTitleWords] = float32(len(strings.Fields(m.Title)))

	// One pass over the tree.
	var counts [len(countTags)]int
	var words, linkWords, pWords, pCount, pMax, links, headingLinks, times, prices, breadcrumb int
	var textHits, classHits [numGroups]int
	var buf [40]byte
	lastPara, paraWords := int32(-1), 0
	lastCls, lastBits, lastCrumb := "", uint16(0), false
	for i := range t.nodes {
		n := &t.nodes[i]
		if n.attr == -2 {
			par := &t.nodes[n.parent]
			switch par.tag {
			case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Textarea, atom.Title, atom.Select, atom.Option:
				continue
			}
			// Words, lowercased ASCII, and pairs of words, looked up
			// without allocating.
			s := n.text
			prices += countPrices(s)
			nw := 0
			prevLen := 0
			para, inLink := int32(-1), par.flags&fLink != 0
			for a, d := n.parent, 0; a >= 0 && d < 4; a, d = t.nodes[a].parent, d+1 {
				if t.nodes[a].tag == atom.P {
					para = a
					break
				}
			}
			for k := 0; k < len(s); {
				for k < len(s) && !isWordByte(s[k]) {
					k++
				}
				st := k
				for k < len(s) && isWordByte(s[k]) {
					k++
				}
				if k == st {
					break
				}
				nw++
				w := s[st:k]
				if len(w) > 18 {
					prevLen = 0
					continue
				}
				// buf holds the previous word, a space, then this word.
				cur := prevLen + 1
				if prevLen == 0 {
					cur = 0
				} else {
					buf[prevLen] = ' '
				}
				for j := 0; j < len(w); j++ {
					c := w[j]
					if c >= 'A' && c <= 'Z' {
						c += 'a' - 'A'
					}
					buf[cur+j] = c
				}
				var shape uint8
				if f := buf[cur]; f >= 'a' && f <= 'z' {
					shape = lexShape[len(w)][f-'a']
				}
				if shape&1 != 0 {
					if g, ok := textWords[string(buf[cur:cur+len(w)])]; ok {
						addBits(&textHits, g)
					}
				}
				if prevLen > 0 {
					if g, ok := textWords[string(buf[:cur+len(w)])]; ok {
						addBits(&textHits, g)
					}
				}
				prevLen = 0
				if shape&2 != 0 {
					copy(buf[:], buf[cur:cur+len(w)])
					prevLen = len(w)
				}
			}
			words += nw
			if inLink {
				linkWords += nw
			}
			if para >= 0 {
				pWords += nw
				if para != lastPara {
					paraWords, lastPara = 0, para
				}
				paraWords += nw
				pMax = max(pMax, paraWords)
			}
			continue
		}
		if n.attr >= 0 {
			a := &t.attrs[n.attr]
			if a.itemtype != "" {
				it := strings.ToLower(a.itemtype)
				for j, f := range microFlags {
					if strings.Contains(it, f.sub) {
						x[ptMicro+j] = 1
					}
				}
			}
			if n.tag == atom.Time && a.datetime != "" {
				times++
			}
		}
		if k, ok := countIndex[n.tag]; ok {
			counts[k]++
		}
		switch n.tag {
		case atom.P:
			pCount++
		case atom.A:
			links++
			for a, d := n.parent, 0; a >= 0 && d < 3; a, d = t.nodes[a].parent, d+1 {
				if isHeading(t.nodes[a].tag) {
					headingLinks++
					break
				}
			}
		}
		if n.text != "" {
			// Siblings often share their classes: the last answer
			// stands.
			if n.text != lastCls {
				lastCls, lastBits, lastCrumb = n.text, classBits(n.text), strings.Contains(n.text, "breadcrumb")
			}
			addBits(&classHits, lastBits)
			if lastCrumb {
				breadcrumb++
			}
		}
		// Runs of siblings of the same tag and class.
		if n.first >= 0 {
			k, start := 0, int32(-1)
			endRun := func() {
				if k >= 4 {
					x[ptShape+sRuns4]++
					x[ptShape+sRunItems] += float32(k)
				}
			}
			for c := n.first; c >= 0; c = t.nodes[c].next {
				cn := &t.nodes[c]
				if cn.attr == -2 {
					continue
				}
				if start >= 0 && cn.tag == t.nodes[start].tag && cn.name == t.nodes[start].name && cn.text == t.nodes[start].text {
					k++
				} else {
					endRun()
					k, start = 1, c
				}
				x[ptShape+sMaxRun] = max(x[ptShape+sMaxRun], float32(k))
			}
			endRun()
		}
	}
	for k := range countTags {
		x[ptCount+k] = logCount(counts[k])
	}
	for g := 0; g < numGroups; g++ {
		x[ptText+g] = logCount(textHits[g])
		x[ptTextRate+g] = float32(1000 * float64(textHits[g]) / float64(max(words, 1)))
		x[ptClass+g] = logCount(classHits[g])
	}
	x[ptShape+sNodes] = logCount(len(t.nodes))
	x[ptShape+sWords] = logCount(words)
	x[ptShape+sLinks] = logCount(links)
	x[ptShape+sLinkWordShare] = float32(linkWords) / float32(max(words, 1))
	x[ptShape+sPWordShare] = float32(pWords) / float32(max(words, 1))
	x[ptShape+sPAvgWords] = float32(pWords) / float32(max(pCount, 1))
	x[ptShape+sPMaxWords] = float32(pMax)
	x[ptShape+sHeadingLinks] = logCount(headingLinks)
	x[ptShape+sRunItems] = logCount(int(x[ptShape+sRunItems]))
	x[ptShape+sPrices] = logCount(prices)
	x[ptShape+sTimes] = logCount(times)
	x[ptShape+sBreadcrumb] = logCount(breadcrumb)
	return x
}

// classBits returns the groups of the words of an id and class string.
func classBits(c string) uint16 {
	var seen uint16
	forEachWord(c, func(w string) bool {
		seen |= classWords[w]
		return false
	})
	return seen
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func addBits(h *[numGroups]int, bits uint16) {
	for g := 0; g < numGroups; g++ {
		if bits&(1<<g) != 0 {
			h[g]++
		}
	}
}

// countPrices counts amounts next to a currency sign in s: "$19", "€ 5",
// "19,99 €", "£1,200".
func countPrices(s string) int {
	if strings.IndexByte(s, '$') < 0 && strings.IndexByte(s, 0xC2) < 0 && strings.IndexByte(s, 0xE2) < 0 {
		return 0
	}
	n := 0
	for j := 0; j < len(s); j++ {
		size := 0
		switch c := s[j]; {
		case c == '$':
			size = 1
		case c == 0xC2 && j+1 < len(s) && (s[j+1] == 0xA3 || s[j+1] == 0xA5): // £ ¥
			size = 2
		case c == 0xE2 && j+2 < len(s) && s[j+1] == 0x82 && (s[j+2] == 0xAC || s[j+2] == 0xB9): // € ₹
			size = 3
		default:
			continue
		}
		after := strings.TrimLeft(s[j+size:], " \u00a0")
		before := strings.TrimRight(s[:j], " \u00a0")
		if after != "" && after[0] >= '0' && after[0] <= '9' ||
			before != "" && before[len(before)-1] >= '0' && before[len(before)-1] <= '9' {
			n++
		}
		j += size - 1
	}
	return n
}
