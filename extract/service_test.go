package extract

import (
	"strings"
	"testing"
)

func TestServiceSections(t *testing.T) {
	// A service page: an introduction, then cards of offers whose titles
	// and "Find out more" are links.
	card := func(title, text string) string {
		return `<li class="card"><h3><a href="/services/x">` + title + `</a></h3><p>` + text +
			`</p><a href="/services/x">Find out more</a></li>`
	}
	html := `<html><body><main><section class="hero"><h1>Plumbing for homes and businesses</h1>
<p>` + para1 + `</p><p>` + para2 + `</p></section>
<section><h2>What we do</h2><ul class="cards">` +
		card("Drain cleaning and unblocking", "Blocked sinks, toilets and drains cleared the same day.") +
		card("Boiler installation and repair", "New boilers fitted and old ones serviced every year.") +
		card("Leak detection without digging", "We find hidden leaks with acoustic and thermal tools.") +
		card("Bathroom fitting from start to end", "Tiling, plumbing and fittings done by one team.") +
		card("Emergency call-outs at night", "An engineer at your door within two hours, any night.") +
		card("Landlord gas safety checks", "The yearly certificate, with a reminder when it is due.") +
		`</ul></section></main></body></html>`
	tests := []struct {
		name     string
		pageType string // selectMain's: serviceMinShare applies to "service"
		cards    bool   // the cards are in the selection
	}{
		{"service page keeps its cards", "service", true},
		{"rule off: prose weighting keeps the introduction alone", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tr := parse([]byte(html), 1<<20)
			prune(tr, "service")
			blocks := linearize(tr)
			sum := make([]float64, len(tr.nodes))
			sel := selectMain(tr, blocks, sum, tc.pageType)
			text := renderText(blocks[sel.start:sel.end])
			if !strings.Contains(text, para1) {
				t.Fatalf("introduction lost:\n%s", text)
			}
			if got := strings.Contains(text, "Blocked sinks"); got != tc.cards {
				t.Errorf("cards kept = %v, want %v; text:\n%s", got, tc.cards, text)
			}
		})
	}
}

func TestPanelClass(t *testing.T) {
	const answer = "Classes take place on Thursdays between eleven and one, with a recording for those who miss one."
	html := `<html><body><main><h1>Certification</h1><p>` + para1 + `</p><h2>FAQ</h2>
<ul class="accordion-items"><li class="accordion-item"><p><button>When are the classes?</button></p>
<div class="accordion-item__dropdown"><p>` + answer + `</p></div></li></ul>
<div class="faq-drawer"><p>` + para2 + `</p></div>
<div class="accordion" role="tablist"><div role="tab"><button>Who can apply?</button></div>
<div class="panel-collapse collapse" role="tabpanel"><p>` + para3 + `</p></div></div></main></body></html>`
	tests := []struct {
		pageType string
		keep     bool
	}{
		{"service", true},
		{"article", false}, // the rule off: "dropdown" and "drawer" name chrome, and so does role=tablist
	}
	for _, tc := range tests {
		t.Run(tc.pageType, func(t *testing.T) {
			tr := parse([]byte(html), 1<<20)
			prune(tr, tc.pageType)
			text := renderText(linearize(tr))
			got := strings.Contains(text, answer) && strings.Contains(text, para2) && strings.Contains(text, para3)
			if got != tc.keep {
				t.Errorf("panels kept = %v, want %v; text:\n%s", got, tc.keep, text)
			}
		})
	}
}

func TestServiceCallToAction(t *testing.T) {
	const offer = "Ready for a boiler that lasts? Our engineers fit, test and service it, with ten years of cover."
	html := `<html><body><main><h1>Boilers</h1><p>` + para1 + `</p>
<section class="cta-block"><h2>Book a visit</h2><p>` + offer + `</p></section>
<div class="cta newsletter"><p>Subscribe to our newsletter for monthly tips and offers from the team.</p></div></main></body></html>`
	tests := []struct {
		pageType string
		keep     bool
	}{
		{"service", true},
		{"article", false}, // the rule off: "cta" names chrome
	}
	for _, tc := range tests {
		t.Run(tc.pageType, func(t *testing.T) {
			tr := parse([]byte(html), 1<<20)
			prune(tr, tc.pageType)
			text := renderText(linearize(tr))
			if got := strings.Contains(text, offer); got != tc.keep {
				t.Errorf("call to action kept = %v, want %v; text:\n%s", got, tc.keep, text)
			}
			if strings.Contains(text, "Subscribe") {
				t.Errorf("newsletter box kept:\n%s", text)
			}
		})
	}
}

func TestServiceBylines(t *testing.T) {
	html := `<html><body><main><h1>Inference</h1><p>` + para1 + `</p>
<ul class="tabs"><li><div class="card-meta"><p>Serverless inference</p><p>Run open models on demand, priced per token.</p></div></li>
<li><div class="card-meta"><p>Batch inference</p><p>Process large jobs at half the price.</p></div></li></ul>
<p>Updated March 3, 2026</p></main></body></html>`
	tr := parse([]byte(html), 1<<20)
	prune(tr, "service")
	blocks := linearize(tr)
	for _, byClass := range []bool{false, true} {
		text := renderText(dropBylines(tr, blocks, false, byClass))
		if got := strings.Contains(text, "Run open models on demand"); got == byClass {
			t.Errorf("byClass = %v: the section's text kept = %v:\n%s", byClass, got, text)
		}
		if strings.Contains(text, "March 3") || !strings.Contains(text, para1) {
			t.Errorf("byClass = %v: date kept or text lost:\n%s", byClass, text)
		}
	}
}

func TestTablistHoldingPanels(t *testing.T) {
	const panel = "A permit is required before any construction, repair or restoration that costs more than a thousand dollars."
	html := `<html><body><main><h1>Building department</h1>
<div class="widget tabbed" role="tablist"><ul><li role="tab">Information</li><li role="tab">Permits</li></ul>
<div class="tab-panel showing" role="tabpanel"><p>` + para1 + `</p><p>` + panel + `</p></div></div>
<div role="tablist"><a role="tab" href="/a">Overview of the services</a><a role="tab" href="/b">Pricing of the plans</a></div>
</main></body></html>`
	for _, tc := range []struct {
		pageType string
		keep     bool
	}{{"service", true}, {"listing", true}, {"", true}, {"article", false}} { // article: the block model decides
		t.Run(tc.pageType, func(t *testing.T) {
			tr := parse([]byte(html), 1<<20)
			prune(tr, tc.pageType)
			text := renderText(linearize(tr))
			if got := strings.Contains(text, panel) && strings.Contains(text, para1); got != tc.keep {
				t.Errorf("tab panels kept = %v, want %v:\n%s", got, tc.keep, text)
			}
			if strings.Contains(text, "Pricing of the plans") {
				t.Errorf("a list of tabs without panels kept:\n%s", text)
			}
		})
	}
}

func TestServiceLinkCards(t *testing.T) {
	// Feature cards each wrapped whole in a link, and a short list of
	// links inside the same content.
	card := func(title, text string) string {
		return `<li><a href="/features/x"><h3>` + title + `</h3><span>` + text + `</span></a></li>`
	}
	const more = "<p>Answer customers by email, chat, phone and social messages from one place, with the whole history of each one in view.</p>" +
		"<p>Replies suggested from past answers save agents time, and routing sends each question to the person best placed to answer it.</p>"
	html := `<html><body><main><h1>Customer service software</h1><p>` + para1 + `</p><p>` + para2 + `</p><p>` + para3 + `</p>` + more + `
<ul class="features">` +
		card("Ticketing", "Track, organise and solve every request in one shared inbox.") +
		card("Analytics and reporting", "See how the team performs with dashboards built in.") +
		card("Workforce management", "Forecast the load and plan the shifts that cover it.") +
		`</ul><ul class="more"><li><a href="/a">Pricing</a></li><li><a href="/b">Demo</a></li><li><a href="/c">Partners</a></li><li><a href="/d">Careers</a></li></ul>
</main></body></html>`
	for _, cards := range []bool{true, false} {
		tr := parse([]byte(html), 1<<20)
		prune(tr, "service")
		blocks := linearize(tr)
		sum := make([]float64, len(tr.nodes))
		sel := selectWith(tr, blocks, sum, proseWeights)
		text := renderText(cutLinkLists(tr, blocks[sel.start:sel.end], sel, sum, cards))
		if !strings.Contains(text, para3) {
			t.Fatalf("introduction lost:\n%s", text)
		}
		if got := strings.Contains(text, "Workforce management"); got != cards {
			t.Errorf("cards=%v: link cards kept = %v; text:\n%s", cards, got, text)
		}
		if strings.Contains(text, "Partners") {
			t.Errorf("cards=%v: list of short links kept:\n%s", cards, text)
		}
	}
}
