package extract

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// ptFeature returns the named page-type feature of a page.
func ptFeature(t *testing.T, x []float32, name string) float32 {
	t.Helper()
	for i, n := range ptNames {
		if n == name {
			return x[i]
		}
	}
	t.Fatalf("no feature %q", name)
	return 0
}

func ptFeatures(html, pageURL string) []float32 {
	tr := parse([]byte(html), 1<<20)
	m := readMeta(tr, pageURL, nil)
	return pageTypeFeatures(tr, &m, pageURL, pageType(&m, pageURL))
}

func TestPageTypeFeatures(t *testing.T) {
	shop := page(`<title>Kettle</title><script type="application/ld+json">[{"@type":"Product","name":"Kettle"},{"@type":"Offer","price":"19.99"}]</script>`,
		`<h1>Stainless steel kettle</h1><div class="product-price">$19.99</div><p>Was 24,50 €, now less.</p>`+
			`<form><input name="qty"><button class="add-to-cart">Add to cart</button></form>`+
			`<ul><li class="thumb">a</li><li class="thumb">b</li><li class="thumb">c</li><li class="thumb">d</li><li class="thumb">e</li></ul>`)
	x := ptFeatures(shop, "https://shop.example.com/products/kettle-1234567?variant=2")
	for _, tc := range []struct {
		name string
		want float32
	}{
		{"url_depth", 2},
		{"url_last_hyphens", 1},
		{"url_long_number", 7},
		{"url_query", 1},
		{"url_query_page", 0},
		{"url_product", 1},
		{"host_shop.", 1},
		{"ld_product", 1},
		{"ld_offer", 1},
		{"ld_article", 0},
		{"rule_product", 1},
		{"max_sibling_run", 5},
		{"runs4", 1},
		{"prices", logCount(2)},
		{"text_cart", logCount(2)}, // "cart" and "add to"
		{"h1_words", 3},
		{"count_form", logCount(1)},
		{"count_button", logCount(1)},
	} {
		if got := ptFeature(t, x, tc.name); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, got, tc.want)
		}
	}
	if ptFeature(t, x, "class_product") == 0 {
		t.Errorf("class_product = 0: product-price and add-to-cart are product classes")
	}

	list := page(`<title>News</title>`, `<h2><a href="/a">One</a></h2><h2><a href="/b">Two</a></h2><h3><span><a href="/c">Three</a></span></h3>`+
		`<nav class="pagination"><a href="?page=2">Next</a></nav>`)
	x = ptFeatures(list, "https://example.com/tag/news?page=1")
	for _, tc := range []struct {
		name string
		want float32
	}{
		{"heading_links", logCount(3)},
		{"url_listing", 2}, // tag, page
		{"url_query_page", 1},
		{"url_home", 0},
	} {
		if got := ptFeature(t, x, tc.name); got != tc.want {
			t.Errorf("listing: %s = %v, want %v", tc.name, got, tc.want)
		}
	}
	if got := ptFeature(t, ptFeatures(list, "https://example.com/"), "url_home"); got != 1 {
		t.Errorf("url_home of the root = %v, want 1", got)
	}
}

func TestCountPrices(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"$19.99", 1},
		{"From $ 5 to $10", 2},
		{"19,99 €", 1},
		{"£1,200 or ¥300", 2},
		{"costs $$ and € signs alone", 0},
		{"", 0},
	} {
		if got := countPrices(tc.s); got != tc.want {
			t.Errorf("countPrices(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestPageTypeModelFile(t *testing.T) {
	if m, err := loadPageTypeModel([]byte(`{}`)); m != nil || err != nil {
		t.Errorf("empty file: %v, %v; want no model and no error", m, err)
	}
	if _, err := loadPageTypeModel([]byte(`{"types":["article"],"features":["a"],"models":[{"bias":0,"trees":[]}]}`)); err == nil {
		t.Errorf("a file with the wrong features loads")
	}
	if _, err := loadPageTypeModel([]byte(`not json`)); err == nil {
		t.Errorf("a broken file loads")
	}
	m, err := loadPageTypeModel(builtinPageTypeModel)
	if err != nil || m == nil {
		t.Fatalf("built-in model: %v, %v", m, err)
	}

	// Config.PageTypeModel: a file without models leaves the guess to the
	// rules, "page" where nothing tells; a broken file is refused.
	html := page(`<title>Prices</title>`, `<p>Plans from $5 a month. Contact us for a quote.</p>`)
	dir := t.TempDir()
	for name, body := range map[string]string{"empty.json": `{}`, "broken.json": `not json`} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	e, err := New(Config{PageTypeModel: filepath.Join(dir, "empty.json")})
	if err != nil {
		t.Fatal(err)
	}
	res, err := e.Extract([]byte(html), "https://example.com/x")
	if err != nil {
		t.Fatal(err)
	}
	if res.PageType != "page" {
		t.Errorf("rules alone: page type %q, want page", res.PageType)
	}
	for _, name := range []string{"broken.json", "missing.json"} {
		if _, err := New(Config{PageTypeModel: filepath.Join(dir, name)}); err == nil {
			t.Errorf("New took the page-type model %s", name)
		}
	}
}

// The built-in model on pages whose type nobody would doubt.
func TestGuessPageType(t *testing.T) {
	builtin, err := builtinPageType()
	if err != nil || builtin == nil {
		t.Fatalf("built-in model: %v, %v", builtin, err)
	}
	post := func(user, body string) string {
		return `<div class="post message"><div class="userinfo"><a class="username" href="/members/` + user + `">` + user +
			`</a><div>Joined: Oct 2011</div><div>Posts: 1,024</div></div><div class="postbody"><p>` + body +
			`</p></div><a class="reply">Reply</a> <a class="quote">Quote</a></div>`
	}
	forum := page(`<title>Which bread flour? | Baking Forum</title>`,
		`<h1>Which bread flour?</h1>`+
			post("alice", "I have been baking with a strong white flour from the mill down the road and want to try others.")+
			post("bob", "A flour with more protein gives a chewier crumb; try one of twelve or thirteen percent.")+
			post("carol", "I mix a little rye into the white flour, which gives the loaf more taste without making it dense.")+
			post("dave", "Thanks all, I ordered a bag of each and will report back after the weekend bake.")+
			`<form class="quick-reply"><textarea name="message"></textarea><button>Post reply</button></form>`)

	product := page(`<title>Stainless steel kettle 1.7 l – Example Shop</title><meta property="og:type" content="product">`+
		`<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Stainless steel kettle","sku":"K-17",`+
		`"offers":{"@type":"Offer","price":"39.99","priceCurrency":"USD","availability":"https://schema.org/InStock"},`+
		`"aggregateRating":{"@type":"AggregateRating","ratingValue":"4.6","reviewCount":"212"}}</script>`,
		`<nav class="breadcrumb"><a href="/">Home</a> / <a href="/kitchen">Kitchen</a> / <a href="/kitchen/kettles">Kettles</a></nav>`+
			`<div class="product"><h1 class="product-title">Stainless steel kettle 1.7 l</h1><div class="price">$39.99</div>`+
			`<p>In stock. Free shipping on orders over $50.</p>`+
			`<form class="cart"><label>Quantity</label><input name="qty" value="1"><button class="add-to-cart">Add to cart</button></form>`+
			`<div class="description"><p>Boils 1.7 litres in under four minutes and switches itself off.</p></div>`+
			`<div class="reviews"><h2>Customer reviews</h2><div class="rating">4.6 out of 5 stars</div></div></div>`)

	var cards strings.Builder
	for i, title := range []string{"Dam opens its gates after a week of rain", "Schools stay closed on Monday",
		"Which roads are still closed", "How to help the families", "The river is back within its banks",
		"Farmers count the cost", "Insurers brace for claims", "A town cleans up"} {
		n := string(rune('a' + i))
		cards.WriteString(`<article class="post-card"><h2 class="entry-title"><a href="/2024/03/` + n + `-story">` + title +
			`</a></h2><time datetime="2024-03-0` + string(rune('1'+i)) + `">March 2024</time><p class="excerpt">A short teaser of the story.</p>` +
			`<a class="read-more" href="/2024/03/` + n + `-story">Read more</a></article>`)
	}
	listing := page(`<title>Flood – Tag – The Valley News</title>`,
		`<h1>Stories tagged flood</h1><div class="posts-grid">`+cards.String()+`</div>`+
			`<nav class="pagination"><a href="/tag/flood/page/2/">Older posts</a> <a href="/tag/flood/page/2/">Next</a></nav>`)

	article := page(`<title>The dam opens its gates</title><meta property="og:type" content="article">`+
		`<script type="application/ld+json">{"@type":"NewsArticle","headline":"The dam opens its gates","datePublished":"2024-03-04","author":{"@type":"Person","name":"Ann Reporter"}}</script>`,
		`<article><h1>The dam opens its gates</h1><p class="byline">By Ann Reporter, 4 March 2024 · 3 min read</p>`+
			`<p>`+para1+`</p><p>`+para2+`</p><p>`+para3+`</p></article>`)

	for _, tc := range []struct {
		name, html, url, want string
	}{
		{"forum thread", forum, "https://bakers.example.com/threads/which-bread-flour.12345/", "forum"},
		{"product page", product, "https://shop.example.com/kettles/stainless-steel-kettle-17", "product"},
		{"listing of article links", listing, "https://valleynews.example.com/tag/flood/", "listing"},
		{"news article", article, "https://valleynews.example.com/2024/03/04/dam-opens-its-gates", "article"},
	} {
		tr := parse([]byte(tc.html), 1<<20)
		m := readMeta(tr, tc.url, builtin)
		if m.PageType != tc.want {
			typ, p := builtin.classify(pageTypeFeatures(tr, &m, tc.url, pageType(&m, tc.url)))
			t.Errorf("%s: page type %q, want %q (model: %s %.2f)", tc.name, m.PageType, tc.want, typ, p)
		}
	}
}
