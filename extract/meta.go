package extract

import (
	"encoding/json"
	"net/url"
	"strings"

	"golang.org/x/net/html/atom"
)

// Metadata is what a page says about itself, from (in order of trust)
// JSON-LD structured data, Open Graph and other <meta> tags, and the markup.
type Metadata struct {
	Title        string `json:"title,omitempty"`
	Author       string `json:"author,omitempty"`
	Date         string `json:"date,omitempty"`
	SiteName     string `json:"site_name,omitempty"`
	CanonicalURL string `json:"canonical_url,omitempty"`
	LangHint     string `json:"lang_hint,omitempty"`
	// PageType is one of article, forum, product, collection, listing,
	// documentation, service, as the page-type model guesses it (see
	// pagetype.go and PAGETYPE.md), or "page" when it is unsure.
	PageType string `json:"page_type,omitempty"`

	ldTypes     []string // JSON-LD @type values, lowercased
	articleBody string   // longest JSON-LD articleBody/text of an article-like item
	productDesc string   // longest JSON-LD description of a Product (may hold markup)
	ogType      string
	h1          string
}

// readMeta collects metadata from the head and body of t; pm guesses the
// page type (nil: the rules).
func readMeta(t *tree, pageURL string, pm *pageTypeModel) Metadata {
	var m Metadata
	var docTitle, ogTitle, metaAuthor, metaDate, ogSite, ogURL, canonical string
	for i := range t.nodes {
		n := &t.nodes[i]
		if n.attr == -2 {
			continue
		}
		switch n.tag {
		case atom.Html:
			if n.attr >= 0 && m.LangHint == "" {
				m.LangHint = strings.TrimSpace(t.attrs[n.attr].lang)
			}
		case atom.Title:
			if docTitle == "" && t.nodes[n.parent].tag != atom.Svg {
				docTitle = collapse(textOf(t, int32(i)))
			}
		case atom.H1:
			if m.h1 == "" {
				m.h1 = collapse(textOf(t, int32(i)))
			}
		case atom.Meta:
			if n.attr < 0 {
				continue
			}
			a := &t.attrs[n.attr]
			key := a.property
			if key == "" {
				key = a.name
			}
			c := strings.TrimSpace(a.content)
			if c == "" {
				continue
			}
			switch key {
			case "og:title", "twitter:title":
				setOnce(&ogTitle, c)
			case "author", "article:author", "dc.creator", "parsely-author", "sailthru.author":
				if !strings.HasPrefix(c, "http") {
					setOnce(&metaAuthor, c)
				}
			case "article:published_time", "datepublished", "date", "dc.date", "dc.date.issued",
				"parsely-pub-date", "sailthru.date", "publish-date", "pubdate", "og:published_time":
				setOnce(&metaDate, c)
			case "og:site_name", "application-name":
				setOnce(&ogSite, c)
			case "og:url":
				setOnce(&ogURL, c)
			case "og:type":
				setOnce(&m.ogType, strings.ToLower(c))
			}
			if m.LangHint == "" && a.httpEquiv == "content-language" {
				m.LangHint = c
			}
		case atom.Link:
			if n.attr >= 0 && canonical == "" && hasWord(t.attrs[n.attr].rel, "canonical") {
				canonical = strings.TrimSpace(t.attrs[n.attr].href)
			}
		case atom.Time:
			if metaDate == "" && n.attr >= 0 && t.attrs[n.attr].datetime != "" {
				metaDate = strings.TrimSpace(t.attrs[n.attr].datetime)
			}
		case atom.Script:
			if n.attr >= 0 && strings.Contains(t.attrs[n.attr].typ, "ld+json") && n.first >= 0 {
				readJSONLD(&m, t.nodes[n.first].text)
			}
		}
	}
	setOnce(&m.Title, ogTitle)
	setOnce(&m.Title, docTitle)
	setOnce(&m.Title, m.h1)
	setOnce(&m.Author, metaAuthor)
	setOnce(&m.Date, metaDate)
	setOnce(&m.SiteName, ogSite)
	setOnce(&m.CanonicalURL, resolve(pageURL, canonical))
	setOnce(&m.CanonicalURL, resolve(pageURL, ogURL))
	m.PageType = guessPageType(t, &m, pageURL, pm)
	return m
}

func setOnce(dst *string, v string) {
	if *dst == "" {
		*dst = strings.TrimSpace(v)
	}
}

func hasWord(s, w string) bool {
	for _, f := range strings.Fields(s) {
		if f == w {
			return true
		}
	}
	return false
}

func resolve(base, ref string) string {
	if ref == "" {
		return ""
	}
	r, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	if b, err := url.Parse(base); err == nil && base != "" {
		return b.ResolveReference(r).String()
	}
	return r.String()
}

// textOf returns the text under element i, without recursion.
func textOf(t *tree, i int32) string {
	var sb strings.Builder
	end := t.nodes[i].next
	if end < 0 {
		// The subtree ends where the next node outside it begins.
		for p := t.nodes[i].parent; p >= 0 && end < 0; p = t.nodes[p].parent {
			end = t.nodes[p].next
		}
		if end < 0 {
			end = int32(len(t.nodes))
		}
	}
	for k := i + 1; k < end && sb.Len() < 4096; k++ {
		if t.nodes[k].attr == -2 {
			sb.WriteString(t.nodes[k].text)
		}
	}
	return sb.String()
}

// collapse trims s and replaces runs of whitespace by one space.
func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }

// readJSONLD reads one JSON-LD script.
func readJSONLD(m *Metadata, src string) {
	if len(src) > 4<<20 {
		return
	}
	var v any
	if json.Unmarshal([]byte(strings.TrimSpace(src)), &v) != nil {
		return
	}
	// Walk the value with an explicit stack: JSON-LD may nest @graph arrays
	// and items, and hostile input may nest deeply.
	stack := []any{v}
	for steps := 0; len(stack) > 0 && steps < 10000; steps++ {
		x := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch x := x.(type) {
		case []any:
			stack = append(stack, x...)
		case map[string]any:
			var types []string
			switch ty := x["@type"].(type) {
			case string:
				types = append(types, strings.ToLower(ty))
			case []any:
				for _, e := range ty {
					if s, ok := e.(string); ok {
						types = append(types, strings.ToLower(s))
					}
				}
			}
			m.ldTypes = append(m.ldTypes, types...)
			articleLike := false
			for _, ty := range types {
				if strings.Contains(ty, "article") || strings.Contains(ty, "posting") || ty == "report" || ty == "review" || ty == "howto" || ty == "recipe" {
					articleLike = true
				}
			}
			if articleLike {
				if b, ok := x["articleBody"].(string); ok && len(b) > len(m.articleBody) {
					m.articleBody = b
				}
				if h, ok := x["headline"].(string); ok {
					setOnce(&m.Title, h)
				}
				setOnce(&m.Author, ldName(x["author"]))
				if d, ok := x["datePublished"].(string); ok {
					setOnce(&m.Date, d)
				}
				if p, ok := x["publisher"].(map[string]any); ok {
					setOnce(&m.SiteName, ldName(p))
				}
			}
			for _, ty := range types {
				if ty == "website" {
					if n, ok := x["name"].(string); ok {
						setOnce(&m.SiteName, n)
					}
				}
			}
			for _, ty := range types {
				if ty == "product" {
					if d, ok := x["description"].(string); ok && len(d) > len(m.productDesc) {
						m.productDesc = d
					}
				}
			}
			if g, ok := x["@graph"]; ok {
				stack = append(stack, g)
			}
			if me, ok := x["mainEntity"]; ok {
				stack = append(stack, me)
			}
		}
	}
}

// ldName returns the name of a JSON-LD person or organization given as a
// string, an object or a list of them.
func ldName(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any:
		if n, ok := v["name"].(string); ok {
			return n
		}
	case []any:
		var names []string
		for _, e := range v {
			if _, isList := e.([]any); isList || len(names) >= 5 {
				continue
			}
			if n := ldName(e); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}

// pageType guesses the kind of page from structured data and the URL: the
// hand-written rules, now one input of the page-type model (pagetype.go),
// and the guess when there is no model.
func pageType(m *Metadata, pageURL string) string {
	has := func(s ...string) bool {
		for _, ty := range m.ldTypes {
			for _, x := range s {
				if ty == x {
					return true
				}
			}
		}
		return false
	}
	u := strings.ToLower(pageURL)
	switch {
	case has("discussionforumposting", "qapage") ||
		containsAny(u, "/forum", "forum.", "/forums/", "/thread", "/t/", "/topic", "/questions/", "community.", "discuss", "/discussion", "/r/", "/comments/") ||
		// The scripts of forum engines: vBulletin, phpBB, Invision, SMF.
		containsAny(u, "showthread.php", "viewtopic.php", "showtopic", "index.php?topic=", "/boards/"):
		return "forum"
	case containsAny(u, "/docs/", "/doc/", "/documentation", "docs.", "/api/", "/reference/", "/manual/", "/guide/", "developer.", "/wiki/"):
		// Before articles: documentation generators and wikis mark
		// every page as an article in og:type or JSON-LD.
		return "documentation"
	case containsAny(u, "/product/", "/products/"):
		// Shop engines (WooCommerce among them) mark product pages
		// og:type article.
		return "product"
	case has("newsarticle", "article", "blogposting", "reportagenewsarticle", "techarticle") || m.ogType == "article":
		// Before products: reviews of a product describe it in JSON-LD.
		return "article"
	case containsAny(u, "/collections/", "/collection/", "/category/", "/categories/", "/c/") ||
		has("collectionpage", "offercatalog") && !containsAny(u, "/product/", "/products/", "/p/", "/dp/"):
		return "collection"
	case has("product") || strings.Contains(m.ogType, "product") || containsAny(u, "/product/", "/products/", "/p/", "/dp/", "/item/"):
		return "product"
	case has("itemlist") || containsAny(u, "/shop/"):
		return "collection"
	case has("recipe", "review") || containsAny(u, "/blog/", "/news/", "/article", "/20"):
		return "article"
	case has("service", "professionalservice", "localbusiness", "organization") || containsAny(u, "/services/", "/service/", "/solutions/", "/pricing", "/about"):
		return "service"
	case containsAny(u, "/tag/", "/tags/", "/search", "/page/", "/archive", "/list"):
		return "listing"
	}
	return "page"
}

func containsAny(s string, subs ...string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}
