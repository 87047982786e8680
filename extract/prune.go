package extract

import (
	"strings"

	"golang.org/x/net/html/atom"
)

// Pruning removes the parts of a page that are never main content before any
// scoring happens. It works in two passes:
//
//  1. By tag: scripts, styles, form controls, embedded media; then the
//     landmark elements and roles of site chrome (nav, aside, footer,
//     role=navigation, banner, contentinfo, ...) and small hidden elements
//     (hidden, aria-hidden="true", display:none).
//  2. By the words of an element's id and class: "cookie", "newsletter",
//     "share", "related", "breadcrumb", "sidebar" and so on. Class names lie
//     more often than tags (a wrapper of the whole page may be called
//     "page sidebar-left"), so an element that holds 40% of the page's
//     text is never removed by its class, nor a landmark that holds the
//     <main> by its tag, nor an element that would take with it as much
//     text as the pruning leaves (see classKept).

// removeByTag reports whether an element is dropped with its subtree
// whatever its content.
func removeByTag(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Template, atom.Svg, atom.Math, atom.Canvas, atom.Iframe,
		atom.Object, atom.Embed, atom.Select, atom.Option, atom.Input, atom.Textarea,
		atom.Head, atom.Title, atom.Meta, atom.Link,
		atom.Noembed, atom.Noframes, atom.Audio, atom.Video, atom.Map, atom.Dialog, atom.Label,
		atom.Datalist, atom.Img, atom.Picture, atom.Source:
		return true
	}
	return false
}

// chromeTag reports whether an element is a landmark of site chrome.
func chromeTag(a atom.Atom) bool {
	switch a {
	case atom.Nav, atom.Aside, atom.Footer, atom.Menu:
		return true
	}
	return false
}

// chromeRole reports whether an ARIA role marks site chrome.
func chromeRole(role string) bool {
	switch role {
	case "navigation", "banner", "contentinfo", "complementary", "search", "dialog",
		"alertdialog", "menu", "menubar", "tooltip", "toolbar", "tablist":
		return true
	}
	return false
}

// Class and id words. A word is a maximal run of ASCII letters and digits
// in the lowercased id and class attributes, so "site-header__nav" has the
// words site, header and nav, and "cookieBanner" has the word cookiebanner.
//
// boilerWords must equal a whole word; boilerStems may occur anywhere in a
// word, and are long and specific enough not to hit ordinary words.
var boilerWords = map[string]bool{
	"nav": true, "navbar": true, "navigation": true, "menu": true, "menus": true, "submenu": true,
	"footer": true, "sidebar": true, "share": true, "sharing": true, "shares": true, "social": true,
	"related": true, "breadcrumb": true, "breadcrumbs": true, "crumbs": true, "ad": true, "ads": true,
	"advert": true, "advertisement": true, "promo": true, "promotion": true, "newsletter": true,
	"subscribe": true, "subscription": true, "popup": true, "modal": true, "overlay": true,
	"cookie": true, "cookies": true, "consent": true, "gdpr": true, "banner": false, "widget": false,
	"widgets": false, "toolbar": true, "login": true, "signin": true, "signup": true, "search": false, "searchform": true,
	"searchbox": true, "skip": true, "pagination": true, "pager": true, "print": true, "tags": true,
	"tagcloud": true, "taglist": true, "sponsored": true, "sponsor": true, "outbrain": true,
	"taboola": true, "disqus": true, "comments": true, "comment": true, "respond": true,
	"masthead": true, "offcanvas": true, "drawer": true, "dropdown": true, "megamenu": true,
	"hamburger": true, "recommended": true, "recommendations": true, "trending": true,
	"popular": true, "announcement": true, "notice": false, "paywall": true, "byline": false,
	"sronly": true, "visuallyhidden": true, "lightbox": true,
	"toc": false, "more": false, "upsell": true, "crosssell": true, "newsletters": true,
	"follow": true, "author": false, "bio": false, "meta": false, "postmeta": false,
	"cta": true, "rating": false, "reviews": false, "cart": true, "minicart": true,
	"wishlist": true, "filters": true, "filter": true, "facets": true, "sort": true,
	"copyright": true, "legal": false, "topbar": true, "utility": true, "langselect": true,
	"language": false, "flyout": true, "tooltip": true, "sticky": false,
}

var boilerStems = []string{
	"cookie", "consent", "newsletter", "breadcrumb", "sidebar", "navbar", "navigation",
	"social", "advert", "sponsor", "popup", "gdpr", "disqus", "outbrain", "taboola",
	"sharebar", "sharing", "socialshare", "relatedpost", "relatedarticle", "related-",
	"megamenu", "skiplink", "screenreader", "sronly", "visuallyhidden", "subscribe",
}

// readerStems name text for screen readers only (Bootstrap's sr-only and
// visually-hidden, WordPress's screen-reader-text): labels the page does
// not show, such as "Regular price" before every price of a shop's grid.
// They are pruned on the pages the rules decide; on articles and
// documentation the block model, trained with them, decides.
var readerStems = []string{"screen-reader", "sr-only", "visually-hidden"}

// modelTypes reports whether the shipped block model decides pages of
// pageType (the "types" of block_model.json, which TestModelTypes checks).
// Rules added after the model was trained apply on the other pages only
// when they would change its inputs on these.
func modelTypes(pageType string) bool {
	return pageType == "article" || pageType == "documentation"
}

// commentWords are dropped except on forum pages, where the "comments" are
// the content.
// signatureWords name the signature a forum prints under every post of a
// member: not part of what was posted.
var signatureWords = map[string]bool{"signature": true, "signatures": true, "signaturecontainer": true, "sig": true, "usersig": true}

var commentWords = map[string]bool{"comments": true, "comment": true, "respond": true, "disqus": true, "replies": true}

// bylineWords mark article metadata: who wrote it and when. Articles drop
// it; forums and listings keep it (a post's author and date are part of a
// thread).
var bylineWords = map[string]bool{
	"byline": true, "author": true, "authors": true, "date": true, "dateline": true,
	"timestamp": true, "published": true, "pubdate": true, "meta": true, "postmeta": true,
	"entrymeta": true, "articlemeta": true, "posted": true, "time": true, "updated": true,
	"credit": true, "credits": true, "attribution": true, "readtime": true, "reading": true,
}

// captionWords mark image captions and credits, which articles drop.
var captionWords = map[string]bool{
	"caption": true, "captions": true, "figcaption": true, "credit": true, "credits": true,
	"photocredit": true, "imagecaption": true, "wpcaptiontext": true, "gallery": true,
}

// boilerLines are whole blocks that are interface text, not content,
// compared lowercased and without surrounding punctuation.
var boilerLines = map[string]bool{
	"advertisement": true, "advert": true, "anzeige": true, "publicidad": true, "publicité": true,
	"close": true, "caption": true, "read more": true, "continue reading": true, "learn more": true,
	"comments": true, "share": true, "share this": true, "share this article": true, "tweet": true,
	"print": true, "email": true, "skip to content": true, "skip to main content": true,
	"back to top": true, "loading": true, "sponsored": true, "sponsored content": true,
	"related": true, "related articles": true, "related stories": true, "more stories": true,
	"recommended": true, "you may also like": true, "show more": true, "see more": true,
	"view all": true, "continue reading the main story": true, "click to expand": true, "quote": true, "report": true,
	"reply": true, "share post": true, "contact us": true, "sign up": true, "subscribe": true, "sign in": true,
	"register": true, "login": true, "log in": true, "book now": true, "get started": true, "get started today": true,
	"ask question": true, "discussion about this post": true, "ready for more": true, "submit correction": true,
	"out of stock": true, "code: select all": true, "select all": true, "report inappropriate content": true,
	"explore related questions": true, "author": true, "original poster": true, "quote reply": true, "multi-quote": true, "add to cart": true, "add to bag": true, "buy now": true, "shop now": true, "permalink": true, "add a comment": true, "log in to reply": true, "toggle navigation": true, "menu": true,
	"table of contents": true, "tags": true, "related posts": true, "apply now": true, "download": true,
	"jump to content": true, "skip to search results": true, "frequently bought together": true,
	"unit price per": true, "post your answer": true, "post your answer discard": true,
	"see similar questions with these tags": true, "not open for further replies": true,
	"oops! something went wrong while submitting the form": true,
	"price": true, "regular price": true, "sale price": true, "unit price": true, "new arrival": true,
	"status": true, "member": true, "posts": true, "image": true, "latest news": true, "continue": true,
	"help": true, "embed": true, "award winner": true,
}

// lineKey is how whole-line lists (boilerLines, shopLines, threadLines)
// are looked up: lowercased, without surrounding spaces and punctuation.
func lineKey(s string) string { return strings.ToLower(strings.Trim(s, " .:!…>»|-–—·•()[]")) }

// isBoilerLine reports whether a whole block is interface text: one of
// boilerLines, a reading time ("5 min read"), a result count ("Loaded 24
// results") or a sort control ("Sort: Best Match").
func isBoilerLine(s string) bool {
	if len(s) > 60 {
		return false
	}
	s = lineKey(s)
	if boilerLines[s] || strings.HasPrefix(s, "sort by") || strings.HasPrefix(s, "sort:") {
		return true
	}
	// Figures followed by fixed words: "5 min read", "loaded 24 results".
	f := strings.Fields(s)
	if len(f) == 3 && f[0] != "" && f[0][0] >= '0' && f[0][0] <= '9' && f[2] == "read" &&
		(f[1] == "min" || f[1] == "mins" || f[1] == "minute" || f[1] == "minutes") {
		return true
	}
	return len(f) == 3 && f[0] == "loaded" && f[1] != "" && f[1][0] >= '0' && f[1][0] <= '9' && f[2] == "results"
}

// dateWords are the words of a date or time line ("Updated 5:27 am CST,
// Wednesday, November 20, 2019").
var dateWords = map[string]bool{
	"jan": true, "feb": true, "mar": true, "apr": true, "may": true, "jun": true, "jul": true,
	"aug": true, "sep": true, "sept": true, "oct": true, "nov": true, "dec": true,
	"january": true, "february": true, "march": true, "april": true, "june": true, "july": true,
	"august": true, "september": true, "october": true, "november": true, "december": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true,
	"saturday": true, "sunday": true, "am": true, "pm": true, "updated": true, "published": true,
	"posted": true, "on": true, "at": true, "est": true, "edt": true, "cst": true, "cdt": true,
	"pst": true, "pdt": true, "gmt": true, "utc": true, "bst": true, "cet": true, "t": true, "z": true,
	"last": true, "modified": true, "date": true, "th": true, "st": true, "nd": true, "rd": true,
}

// priceWords are the words of a price line ("Regular price €19,99 -20%").
var priceWords = map[string]bool{
	"price": true, "prices": true, "regular": true, "sale": true, "was": true, "now": true,
	"from": true, "off": true, "save": true, "usd": true, "eur": true, "gbp": true, "aud": true,
	"cad": true, "unit": true, "per": true, "each": true, "original": true, "current": true,
	"lowest": true, "last": true, "list": true, "rrp": true, "msrp": true, "incl": true,
	"vat": true, "tax": true, "to": true, "or": true, "only": true, "starting": true, "at": true,
}

// isPriceLine reports whether a short block holds only prices.
func isPriceLine(s string) bool {
	if len(s) > 60 {
		return false
	}
	money := false
	for _, c := range s {
		switch c {
		case '$', '€', '£', '¥', '₹', '%':
			money = true
		}
	}
	if !money {
		return false
	}
	return !forEachWord(strings.ToLower(s), func(w string) bool {
		return !(w[0] >= '0' && w[0] <= '9') && !priceWords[w]
	})
}

// statWords are the words of the user statistics beside forum posts
// ("Joined: Mar 2019", "Posts: 1,204", "Reaction score: 31") and of
// counters ("12 replies", "3.4k views").
var statWords = map[string]bool{
	"joined": true, "join": true, "posts": true, "post": true, "messages": true, "member": true,
	"members": true, "reaction": true, "reactions": true, "score": true, "points": true, "point": true,
	"location": true, "offline": true, "online": true, "badges": true, "badge": true, "gold": true,
	"silver": true, "bronze": true, "reply": true, "replies": true, "views": true, "view": true,
	"likes": true, "like": true, "received": true, "trophy": true, "registered": true, "age": true,
	"senior": true, "junior": true, "new": true, "moderator": true, "administrator": true, "admin": true,
	"staff": true, "original": true, "poster": true, "votes": true, "vote": true, "k": true, "m": true,
	"answers": true, "answer": true, "comments": true, "comment": true, "thanks": true, "rep": true,
	"reputation": true, "level": true, "rank": true, "since": true, "ago": true, "minutes": true,
	"hours": true, "days": true, "weeks": true, "months": true, "years": true, "year": true,
	"month": true, "day": true, "hour": true, "minute": true, "edited": true, "asked": true,
	"answered": true, "commented": true, "modified": true, "x": true,
}

// isStatLine reports whether a short block holds only numbers, counters
// and dates: a vote count, "Posts: 1,204 · Joined 2019", "answered Feb 3 at
// 9:12". A line of figures alone ("42") counts too, and on forums a short
// line of such words without figures ("Senior Member", "Offline").
func isStatLine(s string, forum bool) bool {
	if len(s) > 60 {
		return false
	}
	if !forEachWord(strings.ToLower(s), func(w string) bool {
		if w[0] >= '0' && w[0] <= '9' {
			return false
		}
		w = strings.TrimRight(w, "0123456789") // "badges14"
		return !statWords[w] && !dateWords[w]
	}) {
		return strings.IndexFunc(s, func(r rune) bool { return r >= '0' && r <= '9' || r == ':' }) >= 0 ||
			forum && len(s) < 30
	}
	return false
}

// isURLLine reports whether a block is a bare URL.
func isURLLine(s string) bool {
	return (strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "//")) &&
		!strings.ContainsAny(s, " \t\n")
}

// isDateLine reports whether a short block holds only a date or time (or
// figures alone).
func isDateLine(s string) bool {
	if len(s) > 80 {
		return false
	}
	digits := false
	ok := !forEachWord(strings.ToLower(s), func(w string) bool {
		if w[0] >= '0' && w[0] <= '9' {
			digits = true
			// 2019, 20th, 08t13
			return false
		}
		return !dateWords[w]
	})
	return ok && digits
}

// forEachWord calls fn for each word of s (see boilerWords) until fn
// returns true, and reports whether it did.
func forEachWord(s string, fn func(w string) bool) bool {
	start := -1
	for i := 0; i <= len(s); i++ {
		alnum := i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= '0' && s[i] <= '9')
		if alnum {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			if fn(s[start:i]) {
				return true
			}
			start = -1
		}
	}
	return false
}

// reviewWords mark customer reviews and ratings, which a product page's
// reviewed content leaves out.
var reviewWords = map[string]bool{
	"review": true, "reviews": true, "rating": true, "ratings": true, "yotpo": true, "okendo": true,
	"bazaarvoice": true, "bv": true, "stamped": true, "judgeme": true, "trustpilot": true, "testimonials": true,
	"recently": true, "viewed": true, "similar": true, "carousel": true,
}

// relatedNames are the id and class names of the sections about other
// pages: related or recommended posts.
var relatedNames = []string{"related", "recommend", "more-stories", "morestories", "read-next", "readnext", "you-may-like"}

// relatedClass reports whether cid names a section about other pages.
func relatedClass(cid string) bool {
	return containsAny(cid, relatedNames...)
}

// contentNames are class and id names of the main text container; an
// element named so is not removed by another word of its class
// ("article-body pagination-first").
var contentNames = []string{"article-body", "articlebody", "article-content", "article__body", "article-text",
	"post-body", "postbody", "post-content", "entry-content", "story-body", "storybody", "main-content",
	"maincontent", "content-body", "body-text", "bodytext", "article__content", "post__content", "rich-text"}

// contentClass reports whether cid names a main text container.
func contentClass(cid string) bool {
	for _, n := range contentNames {
		if strings.Contains(cid, n) {
			return true
		}
	}
	return false
}

// layoutNames are class names of page layouts that mention a sidebar
// beside the content; they are blanked before matching.
var layoutNames = strings.NewReplacer("with-sidebar", "", "has-sidebar", "", "w-sidebar", "",
	"no-sidebar", "", "sidebar-wrap", "", "content-sidebar", "", "sidebar-layout", "",
	"withsidebar", "", "hassidebar", "")

// panelNames name the accordions of questions and answers ("faq-item",
// "accordion-item__dropdown"): on service pages their panels are content
// waiting for a click, whatever other word their class holds ("dropdown",
// "drawer", "popup").
var panelNames = []string{"accordion", "faq"}

// panelClass reports whether cid names an accordion or a list of questions.
func panelClass(cid string) bool {
	return containsAny(cid, panelNames...)
}

// boilerClass reports whether the id/class string cid names site chrome on
// a page of the given type.
func boilerClass(cid string, pageType string) bool {
	if cid == "" {
		return false
	}
	forum, product := pageType == "forum", pageType == "product"
	service := pageType == "service"
	if service && panelClass(cid) {
		return false
	}
	if strings.Contains(cid, "sidebar") {
		cid = layoutNames.Replace(cid)
	}
	// An embedded post of a social network (a tweet quoted in the text)
	// is content, unlike the share bar the word social names elsewhere.
	embedded := strings.Contains(cid, "embed")
	if forEachWord(cid, func(w string) bool {
		if forum && commentWords[w] || embedded && w == "social" {
			return false
		}
		if service && w == "cta" {
			// A service page's calls to action carry its offer
			// ("Ready to start? Our team designs ...").
			return false
		}
		return boilerWords[w] || product && reviewWords[w] || forum && signatureWords[w]
	}) {
		return true
	}
	for _, st := range boilerStems {
		if strings.Contains(cid, st) {
			if (forum || embedded) && st == "social" {
				continue
			}
			return true
		}
	}
	return !modelTypes(pageType) && containsAny(cid, readerStems...)
}
