package quality

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestConfigYAML decodes a pipeline's YAML over the defaults, as the config
// registry does, and checks that the keys reach the stages.
func TestConfigYAML(t *testing.T) {
	g := DefaultGopherQualityConfig()
	if err := yaml.Unmarshal([]byte("min_words: 10\nstop_words: {it: [il, di, che]}\nsignals: true\n"), &g); err != nil {
		t.Fatal(err)
	}
	if g.MinWords != 10 || !g.Signals || len(g.StopWords["it"]) != 3 || g.MaxWords != 100_000 {
		t.Errorf("gopher_quality config %+v", g)
	}
	rep := DefaultGopherRepetitionConfig()
	if err := yaml.Unmarshal([]byte("max_dup_ngram_char_frac: {5: 0.5}\nmax_top_ngram_char_frac: {2: 0.3}\n"), &rep); err != nil {
		t.Fatal(err)
	}
	// YAML maps merge into the defaults: other sizes keep their thresholds.
	if rep.MaxDupNGramCharFrac[5] != 0.5 || rep.MaxDupNGramCharFrac[6] != 0.14 || rep.MaxTopNGramCharFrac[2] != 0.3 {
		t.Errorf("gopher_repetition config %+v", rep)
	}
	c4 := DefaultC4Config()
	if err := yaml.Unmarshal([]byte("variant: tfds\nterminal_punct: false\n"), &c4); err != nil {
		t.Fatal(err)
	}
	c := must(NewC4(c4))
	if c.minWords != 5 || c.minSentences != 3 || c4.TerminalPunct || !c4.Policy {
		t.Errorf("c4 config %+v gives %d words, %d sentences", c4, c.minWords, c.minSentences)
	}
	fw := DefaultFineWebConfig()
	if err := yaml.Unmarshal([]byte("max_dup_char_frac: 0.1\n"), &fw); err != nil {
		t.Fatal(err)
	}
	if fw.MaxDupCharFrac != 0.1 || fw.MaxNewlineWordRatio != 0.3 {
		t.Errorf("fineweb_quality config %+v", fw)
	}
}

func TestConstructorsRejectBadConfig(t *testing.T) {
	q := DefaultGopherQualityConfig()
	q.MinWords, q.MaxWords = 10, 5
	if _, err := NewGopherQuality(q); err == nil {
		t.Error("NewGopherQuality accepted min_words > max_words")
	}
	r := DefaultGopherRepetitionConfig()
	r.MaxDupNGramCharFrac = map[int]float64{0: 0.1}
	if _, err := NewGopherRepetition(r); err == nil {
		t.Error("NewGopherRepetition accepted a 0-gram")
	}
	c := DefaultC4Config()
	c.Variant = "mc4"
	if _, err := NewC4(c); err == nil {
		t.Error("NewC4 accepted an unknown variant")
	}
}
