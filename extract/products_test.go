package extract

import (
	"slices"
	"strings"
	"testing"
)

func TestOfferLines(t *testing.T) {
	tests := []struct {
		line  string
		offer bool
	}{
		{"Current price is $179.00", true},
		{"Original price was: $169.95.Current price is: $101.97.", true},
		{"From $1099 or $91.58/mo. for 12 mo.**", true},
		{"Free shipping on all orders over $100", true},
		{"Standard $8.80, Express $12", true},
		{"€49.99 VAT included", true},
		{"Regular price €19,99 -20%", true},
		{"The kettle holds 1.7 litres and costs $40", false},
		{"Free shipping on all orders", false},
		{"Get it for $185.25 with Auto-Replenish", false},
		{"All orders over $100 ship free, and our team packs every one of them by hand in the workshop", false},
	}
	for _, tc := range tests {
		if got := isOfferLine(tc.line); got != tc.offer {
			t.Errorf("isOfferLine(%q) = %v", tc.line, got)
		}
	}
}

func TestProductOffersAndShopSections(t *testing.T) {
	const (
		desc1 = "These open-back headphones use planar magnetic drivers with an ultra-thin diaphragm, which keeps distortion low at every volume."
		desc2 = "The headband is light and the ear pads are deep, so they stay comfortable through a long evening of listening."
	)
	var grid strings.Builder
	for _, n := range []string{"Closed-back studio headphones in walnut", "Wireless earbuds with a charging case", "Headphone stand in brushed aluminium", "Replacement velour ear pads"} {
		grid.WriteString(`<div class="tile"><a href="/products/x">` + n + `</a><p>Made for long sessions at the desk and on the road.</p></div>`)
	}
	body := `<main><h1>Open-back headphones</h1><p>` + desc1 + `</p><p>` + desc2 + `</p>` +
		`<p>Free shipping on all orders over $75</p>` +
		`<section><h2>How about these?</h2>` + grid.String() + `</section></main>`
	tests := []struct {
		name, url  string
		kept, gone []string
	}{
		{"a product page drops the offer and the shop's other goods", "https://shop.example.com/products/open-back-headphones",
			[]string{desc1, desc2}, []string{"orders over $75", "How about these", "Closed-back studio", "Replacement velour"}},
		{"an article keeps them", "https://news.example.com/2024/open-back-headphones",
			[]string{desc1, desc2, "How about these", "Closed-back studio"}, nil},
	}
	e := rulesOnly(t)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			head := `<title>Open-back headphones</title>`
			if strings.Contains(tc.url, "news.") {
				head += `<meta property="og:type" content="article">`
			}
			res, _ := e.Extract([]byte(page(head, body)), tc.url)
			keptGone(t, res, tc.kept, tc.gone)
		})
	}
}

func TestShopLines(t *testing.T) {
	const desc = "These open-back headphones use planar magnetic drivers with an ultra-thin diaphragm, which keeps distortion low at every volume."
	var grid strings.Builder
	for _, n := range []string{"Closed-back studio headphones", "Wireless earbuds", "Headphone stand", "Velour ear pads", "Headphone amplifier"} {
		grid.WriteString(`<div class="tile"><a href="/products/x">` + n + `</a><p>Quick shop</p><p>Add to wishlist</p></div>`)
	}
	html := page(`<title>Headphones</title>`, `<main><h1>Headphones</h1><p>`+desc+`</p>`+grid.String()+`</main>`)
	e := rulesOnly(t)
	res, _ := e.Extract([]byte(html), "https://shop.example.com/collections/headphones")
	if res.PageType != "collection" {
		t.Fatalf("page type %s", res.PageType)
	}
	keptGone(t, res, []string{desc, "Closed-back studio headphones", "Headphone amplifier"}, []string{"Quick shop", "Add to wishlist"})
}

func TestProductDescriptionFromJSONLD(t *testing.T) {
	const (
		desc1 = "These merino socks are knitted with a cushioned sole and a ribbed arch band, so they stay in place through a long day on your feet."
		desc2 = "A seamless toe keeps the bump off your toes, and the heel is reinforced where most socks wear through first."
	)
	ld := `<script type="application/ld+json">{"@context":"https://schema.org","@type":"Product","name":"Merino crew socks",` +
		`"description":"<p>` + desc1 + `</p><p>` + desc2 + ` &amp; more.</p>"}</script>`
	// The page shows options and a sign-up box; a script fills in the
	// description when a drawer opens.
	shown := `<main><h1>Merino crew socks</h1><p class="price">$18</p><p>Size: M</p><p>Colour: Heather grey</p>` +
		`<div class="drawer-slot" data-src="/api/description"></div></main>` +
		`<div class="signup"><p>Get 10% off your first order when you join our list of sock lovers and receive our weekly letters.</p></div>`
	e := rulesOnly(t)
	res, _ := e.Extract([]byte(page(`<title>Merino crew socks</title>`+ld, shown)), "https://shop.example.com/products/merino-crew-socks")
	if res.PageType != "product" {
		t.Fatalf("page type %s", res.PageType)
	}
	keptGone(t, res, []string{desc1, desc2 + " & more."}, []string{"<p>"})
	if !strings.HasPrefix(res.Text, "Merino crew socks\n\n"+desc1) {
		t.Errorf("the description does not follow the product's name:\n%s", res.Text)
	}
	// A page that shows the description keeps its own text, once.
	res, _ = e.Extract([]byte(page(`<title>Merino crew socks</title>`+ld,
		`<main><h1>Merino crew socks</h1><p class="price">$18</p><div class="product-description"><p>`+desc1+`</p><p>`+desc2+`</p></div></main>`)),
		"https://shop.example.com/products/merino-crew-socks")
	if n := strings.Count(res.Text, desc1); n != 1 {
		t.Errorf("the description is there %d times:\n%s", n, res.Text)
	}
}

func TestProductName(t *testing.T) {
	const desc = "A cast-iron kettle that holds a litre and a half, with an enamelled inside that keeps the water free of any taste of metal."
	body := `<main><h1>Cast-iron kettle</h1><p>` + desc + `</p></main>`
	e := rulesOnly(t)
	tests := []struct {
		name, url, head string
		named           bool
	}{
		{"a product page keeps its name", "https://shop.example.com/products/cast-iron-kettle", ``, true},
		{"an article drops its headline", "https://news.example.com/2024/cast-iron-kettle", `<meta property="og:type" content="article">`, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, _ := e.Extract([]byte(page(`<title>Cast-iron kettle</title>`+tc.head, body)), tc.url)
			if got := strings.HasPrefix(res.Text, "Cast-iron kettle\n\n"+desc); got != tc.named {
				t.Errorf("page type %s: name kept %v:\n%s", res.PageType, got, res.Text)
			}
		})
	}
	// With IncludeTitle, the name is not printed twice.
	withTitle, err := New(Config{RulesOnly: true, IncludeTitle: true})
	if err != nil {
		t.Fatal(err)
	}
	res, _ := withTitle.Extract([]byte(page(`<title>Cast-iron kettle</title>`, body)), tests[0].url)
	if n := strings.Count(res.Text, "Cast-iron kettle"); n != 1 {
		t.Errorf("the name is there %d times:\n%s", n, res.Text)
	}
}

func TestScreenReaderText(t *testing.T) {
	var grid strings.Builder
	for _, n := range []string{"Dark roast coffee", "Medium roast coffee", "Espresso roast coffee", "Decaf coffee"} {
		grid.WriteString(`<li class="grid__item"><div class="card"><h3 class="card__heading"><a href="/products/x">` + n + `</a></h3>` +
			`<div class="price"><span class="visually-hidden visually-hidden--inline">Regular price</span> <span>$19.99</span>` +
			`<span class="sr-only">Unit price</span></div></div></li>`)
	}
	const intro = "Our coffee is roasted in small batches every week and shipped within two days, so every bag arrives fresh at your door."
	html := page(`<title>Coffee</title>`, `<main><h1>Coffee</h1><p>`+intro+
		` <a href="/about">Read our story<span class="screen-reader-text"> about how we roast</span></a></p><ul class="grid">`+grid.String()+`</ul></main>`)
	e := rulesOnly(t)
	res, _ := e.Extract([]byte(html), "https://shop.example.com/collections/coffee")
	keptGone(t, res, []string{intro, "Dark roast coffee", "Decaf coffee", "$19.99"}, []string{"Regular price", "Unit price", "about how we roast"})
}

func TestDescBlocks(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"plain text", []string{"plain text"}},
		{"<p>One &amp; two</p><p>Three<br>four</p>", []string{"One & two", "Three", "four"}},
		{"<b>Bold</b> and <span class=\"x\">span</span>", []string{"Bold and span"}},
		{"sizes < 10 cm", []string{"sizes < 10 cm"}},
		{"<b>Fit</b>\nSlim fit - <i>light</i>", []string{"Fit", "Slim fit - light"}},
	}
	for _, tc := range tests {
		var got []string
		for _, b := range descBlocks(tc.in) {
			got = append(got, b.Text)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("descBlocks(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
