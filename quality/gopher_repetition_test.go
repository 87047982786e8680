package quality

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// withRepeats returns unique paragraphs (or lines) of ten words with copies
// of "zz" between the first ones, joined by sep: copies-1 of the pieces are
// repeats.
func withRepeats(sep string, unique, copies int) string {
	w := &words{}
	var parts []string
	for i := range unique {
		parts = append(parts, strings.Join(w.list(10), " "))
		if i < copies {
			parts = append(parts, "zz")
		}
	}
	return strings.Join(parts, sep)
}

// withLongRepeat returns three unique pieces of a, b and c bytes and a piece
// of d letters twice, joined by sep.
func withLongRepeat(t *testing.T, sep string, a, b, c, d int) string {
	w := &words{}
	long := strings.Repeat("y", d)
	return strings.Join([]string{w.padTo(t, a), w.padTo(t, b), w.padTo(t, c), long, long}, sep)
}

// withNGrams returns a text of exactly total bytes holding runs distinct
// n-grams of four-letter words, each twice, apart from one another.
func withNGrams(t *testing.T, n, runs, total int) string {
	w := &words{}
	var parts []string
	for range runs {
		run := strings.Join(w.list(n), " ")
		parts = append(parts, w.interleave(run, 2)...)
	}
	return w.padTo(t, total, parts...)
}

func TestGopherRepetitionBoundaries(t *testing.T) {
	g := must(NewGopherRepetition(DefaultGopherRepetitionConfig()))
	type tc struct {
		name string
		text string
		want string
	}
	tests := []tc{
		// 3 of 10 paragraphs repeat an earlier one: 0.3 passes.
		{"3 of 10 paragraphs repeated pass", withRepeats("\n\n", 6, 4), ""},
		{"4 of 12 paragraphs repeated fail", withRepeats("\n\n", 7, 5), ReasonGopherDupParaFrac},
		{"3 of 10 lines repeated pass", withRepeats("\n", 6, 4), ""},
		{"4 of 12 lines repeated fail", withRepeats("\n", 7, 5), ReasonGopherDupLineFrac},
		// 100 of 500 characters in the repeated paragraph: 0.2 passes.
		{"paragraph characters 0.2 pass", withLongRepeat(t, "\n\n", 100, 100, 92, 100), ""},
		{"paragraph characters 0.201 fail", withLongRepeat(t, "\n\n", 100, 100, 92, 101), ReasonGopherDupParaCharFrac},
		{"line characters 0.2 pass", withLongRepeat(t, "\n", 100, 100, 96, 100), ""},
		{"line characters 0.201 fail", withLongRepeat(t, "\n", 100, 100, 96, 101), ReasonGopherDupLineCharFrac},
		// "ab cd" (5 characters) 4 times in 100 characters: 0.2 passes.
		{"top 2-gram 0.2 pass", (&words{}).padTo(t, 100, (&words{n: 100}).interleave("ab cd", 4)...), ""},
		{"top 2-gram 0.202 fail", (&words{}).padTo(t, 99, (&words{n: 100}).interleave("ab cd", 4)...), "gopher_top_2gram"},
		{"top 3-gram 0.18 pass", (&words{}).padTo(t, 400, (&words{n: 100}).interleave("ab cd ef", 9)...), ""},
		{"top 3-gram 0.1805 fail", (&words{}).padTo(t, 399, (&words{n: 100}).interleave("ab cd ef", 9)...), "gopher_top_3gram"},
		{"top 4-gram 0.16 pass", (&words{}).padTo(t, 1100, (&words{n: 100}).interleave("ab cd ef gh", 16)...), ""},
		{"top 4-gram 0.1601 fail", (&words{}).padTo(t, 1099, (&words{n: 100}).interleave("ab cd ef gh", 16)...), "gopher_top_4gram"},
	}
	// Repeated n-grams: runs × n words × 4 letters over the total is exactly
	// the threshold.
	for _, d := range []struct{ n, runs, total int }{
		{5, 3, 400}, {6, 7, 1200}, {7, 13, 2800}, {8, 3, 800}, {9, 11, 3600}, {10, 1, 400},
	} {
		tests = append(tests,
			tc{fmt.Sprintf("duplicated %d-grams at threshold pass", d.n), withNGrams(t, d.n, d.runs, d.total), ""},
			tc{fmt.Sprintf("duplicated %d-grams above threshold fail", d.n), withNGrams(t, d.n, d.runs, d.total-1), fmt.Sprintf("gopher_dup_%dgram", d.n)})
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectReason(t, g, tt.text, tt.want) })
	}
}

// TestGopherRepetitionCounting checks the statistics against values worked
// out by hand from datatrove's definitions.
func TestGopherRepetitionCounting(t *testing.T) {
	cfg := GopherRepetitionConfig{
		MaxDupParaFrac: 1, MaxDupParaCharFrac: 1, MaxDupLineFrac: 1, MaxDupLineCharFrac: 1,
		MaxTopNGramCharFrac: map[int]float64{2: 1},
		MaxDupNGramCharFrac: map[int]float64{2: 1, 3: 1},
		Signals:             true,
	}
	g := must(NewGopherRepetition(cfg))
	tests := []struct {
		text string
		want map[string]float64
	}{
		// Seven "aa": the 2-gram scan hits at 1, 3 and 5 (moving on by 2
		// after each), covering 3 × 4 of 20 characters.
		{"aa aa aa aa aa aa aa", map[string]float64{"q_rep_dup_2gram_char_frac": 12.0 / 20, "q_rep_top_2gram_char_frac": 6 * 5.0 / 20}},
		// 3-grams: "aa aa aa" hits at 1 and 4 → 2 × 6 of 20 characters.
		{"aa aa aa aa aa aa aa", map[string]float64{"q_rep_dup_3gram_char_frac": 12.0 / 20}},
		// Among 2-grams seen once each, the first is the most frequent.
		{"abcd e f", map[string]float64{"q_rep_top_2gram_char_frac": 6.0 / 8}},
		// Lines: "a" twice of 4 lines (split at runs of newlines), 1 of 8
		// characters.
		{"a\nb\n\na\nc", map[string]float64{SignalRepDupLineFrac: 0.25, SignalRepDupLineCharFrac: 1.0 / 8, SignalRepDupParaFrac: 0}},
		// Paragraphs of the trimmed text, "x", "x ", " x", "x": one repeat
		// of 4; its 1 character over the 16 of the whole text.
		{"\n x\n\nx \n\n x\n\nx \n", map[string]float64{SignalRepDupParaFrac: 0.25, SignalRepDupParaCharFrac: 1.0 / 16}},
	}
	for _, tt := range tests {
		_, r := reasonOf(t, g, tt.text, nil)
		for k, want := range tt.want {
			if got := r.Metadata[k]; got != want {
				t.Errorf("%q: %s = %v, want %v", tt.text, k, got, want)
			}
		}
	}
}

// naiveNGramFracs computes the n-gram statistics as datatrove's code reads,
// with strings and maps, over the same tokens.
func naiveNGramFracs(text string, n int) (top, dup float64) {
	var words []string
	for _, t := range tokenize(text, nil) {
		words = append(words, text[t.start:t.end])
	}
	chars := float64(utf8.RuneCountInString(text))
	if len(words) < n || chars == 0 {
		return 0, 0
	}
	var grams []string
	for i := 0; i+n <= len(words); i++ {
		grams = append(grams, strings.Join(words[i:i+n], " "))
	}
	counts := map[string]int{}
	best, bestCount := "", 0
	for _, g := range grams {
		counts[g]++
	}
	for _, g := range grams { // first of the most frequent, in order
		if counts[g] > bestCount {
			best, bestCount = g, counts[g]
		}
	}
	seen := map[string]bool{}
	covered := 0
	for i := 0; i < len(grams); {
		if seen[grams[i]] {
			covered += utf8.RuneCountInString(strings.ReplaceAll(grams[i], " ", ""))
			i += n
		} else {
			seen[grams[i]] = true
			i++
		}
	}
	return float64(utf8.RuneCountInString(best)*bestCount) / chars, float64(covered) / chars
}

// TestNGramStatisticsMatchNaive compares the n-gram signals with a direct
// transcription of datatrove's functions on random repetitive documents.
func TestNGramStatisticsMatchNaive(t *testing.T) {
	cfg := GopherRepetitionConfig{MaxDupParaFrac: -1, MaxDupParaCharFrac: -1, MaxDupLineFrac: -1, MaxDupLineCharFrac: -1,
		MaxTopNGramCharFrac: map[int]float64{}, MaxDupNGramCharFrac: map[int]float64{}, Signals: true}
	for n := 1; n <= 10; n++ {
		cfg.MaxTopNGramCharFrac[n] = 1
		cfg.MaxDupNGramCharFrac[n] = 1
	}
	g := must(NewGopherRepetition(cfg))
	rng := rand.New(rand.NewPCG(5, 6))
	for range 300 {
		doc := randomDoc(rng)
		_, r := reasonOf(t, g, doc, nil)
		for n := 1; n <= 10; n++ {
			top, dup := naiveNGramFracs(doc, n)
			gotTop, _ := r.Metadata[fmt.Sprintf("q_rep_top_%dgram_char_frac", n)].(float64)
			gotDup, _ := r.Metadata[fmt.Sprintf("q_rep_dup_%dgram_char_frac", n)].(float64)
			if gotTop != top || gotDup != dup {
				t.Fatalf("n=%d: top %v dup %v, naive %v %v, on %q", n, gotTop, gotDup, top, dup, doc)
			}
		}
	}
}
