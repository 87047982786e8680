package pipeline

import (
	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/dedup/exact"
	"github.com/winnow-corpus/winnow/dedup/lines"
	"github.com/winnow-corpus/winnow/dedup/minhash"
	"github.com/winnow-corpus/winnow/dedup/urls"
	"github.com/winnow-corpus/winnow/extract"
	"github.com/winnow-corpus/winnow/langid"
	"github.com/winnow-corpus/winnow/pii"
	"github.com/winnow-corpus/winnow/quality"
	"github.com/winnow-corpus/winnow/record"
	"github.com/winnow-corpus/winnow/tokens"
)

// The stages a config can name. Each stage's package knows nothing of this
// list: it exports a Config, its defaults and a constructor.
func init() {
	register("extract", "HTML (WARC response records) -> main text and metadata; passes text records through",
		extract.DefaultConfig, extract.New)
	register("langid", "language code and confidence into metadata; keep-list and thresholds per language",
		langid.DefaultConfig, langid.New)
	register("clean", "drops boilerplate lines (learned line model, except on text extract took from HTML; phrase rules; lines a host repeats across its pages)",
		clean.DefaultConfig, clean.NewCorpus)
	register("clean_lines", "drops boilerplate lines, each document on its own (no cross-page template signal: one pass)",
		clean.DefaultConfig, clean.New)
	register("gopher_repetition", "Gopher repetition rules: duplicate lines, paragraphs and n-grams",
		quality.DefaultGopherRepetitionConfig, quality.NewGopherRepetition)
	register("gopher_quality", "Gopher quality rules: word counts and lengths, symbols, bullets, stop words",
		quality.DefaultGopherQualityConfig, quality.NewGopherQuality)
	register("c4", "C4 rules: drops lines (javascript, policy, short, no end mark) and documents (lorem ipsum, {, few sentences)",
		quality.DefaultC4Config, quality.NewC4)
	register("fineweb_quality", "FineWeb rules: end-punctuation share, short lines, duplicated lines, newlines per word",
		quality.DefaultFineWebConfig, quality.NewFineWeb)
	register("exact_dedup", "exact duplicates (hash of normalized text): the first in corpus order is kept",
		exact.DefaultConfig, exact.New)
	register("minhash_dedup", "near duplicates by MinHash LSH (word 5-grams, 14 bands x 8 rows)",
		minhash.DefaultConfig, minhash.New)
	register("url_dedup", "one document per normalized URL",
		urls.DefaultConfig, urls.New)
	register("line_dedup", "lines repeated across the corpus (cc_net); drops documents left too short",
		lines.DefaultConfig, lines.New)
	register("tokens", "token counts (cl100k, o200k) per document; summary.json counters per vocabulary and language",
		tokens.DefaultConfig, tokens.New)
	register("pii", "emails, public IP addresses and phone numbers -> typed placeholders; counts in summary.json",
		pii.DefaultConfig, newPII)
}

// piiStage adds the redactor's counts, which it leaves in metadata, to the
// record's Counts, which the runner sums into summary.json.
type piiStage struct{ *pii.Redactor }

func newPII(c pii.Config) (piiStage, error) {
	r, err := pii.New(c)
	return piiStage{r}, err
}

func (p piiStage) Process(r *record.Record) bool {
	keep := p.Redactor.Process(r)
	for _, k := range []string{pii.MetaEmails, pii.MetaIPs, pii.MetaPhones} {
		if n := asInt(r.Metadata[k]); n > 0 {
			r.Count(k, n)
		}
	}
	return keep
}

// recommendedStages is `winnow config default`: FineWeb's order, with
// winnow's extraction and line cleaning.
func recommendedStages() []StageSpec {
	var specs []StageSpec
	add := func(name string, edit func(p any)) {
		p := registry[name].defaults()
		if edit != nil {
			edit(p)
		}
		specs = append(specs, StageSpec{Name: name, Params: p})
	}
	add("extract", nil)
	add("langid", nil)
	add("clean", nil)
	add("gopher_repetition", nil)
	add("gopher_quality", nil)
	// FineWeb runs C4's rules without the terminal punctuation line rule.
	add("c4", func(p any) { p.(*quality.C4Config).TerminalPunct = false })
	add("fineweb_quality", nil)
	add("exact_dedup", nil)
	add("minhash_dedup", nil)
	add("pii", nil)
	add("tokens", nil)
	return specs
}
