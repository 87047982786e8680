package quality

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

// oddInputs are texts no stage may panic on.
var oddInputs = []string{
	"", " ", "\n", "\n\n\n", "\r\n\r\n", "\x00\x01\x02", "\xff\xfe\xfd", "a\xffb\xfe c",
	strings.Repeat("x", 1<<20), strings.Repeat("\n", 10_000), strings.Repeat("...", 1000),
	strings.Repeat("#", 5000), strings.Repeat("- \n", 1000), strings.Repeat("[", 1000) + strings.Repeat("]", 1000),
	strings.Repeat("我", 3000), strings.Repeat("ไ", 3000), strings.Repeat("a ", 200_000),
	strings.Repeat("{[(", 3000), "\u2028\u2029\u0085", strings.Repeat("\u200b", 100),
}

func allStages(signals bool) []Filter {
	c4 := DefaultC4Config()
	c4.Signals = signals
	c4.BadWords = []string{"bad", "two words"}
	return append(FineWebChain(signals), must(NewC4(c4)))
}

func TestStagesNeverPanic(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	inputs := append([]string{}, oddInputs...)
	for range 200 {
		b := make([]byte, rng.IntN(3000))
		for i := range b {
			b[i] = byte(rng.UintN(256))
		}
		inputs = append(inputs, string(b))
	}
	for _, signals := range []bool{false, true} {
		for _, st := range allStages(signals) {
			for _, in := range inputs {
				r := &record.Record{Text: in}
				keep := st.Process(r)
				if keep != (r.Rejection == nil) {
					t.Fatalf("%s: Process returned %v with rejection %+v", st.Name(), keep, r.Rejection)
				}
			}
		}
	}
}

// randomDoc builds a document with repeated words, lines and paragraphs,
// so that every repetition rule is near its threshold now and then.
func randomDoc(rng *rand.Rand) string {
	vocab := strings.Fields("the of and a to in is was it that with for on as by at an be this from or have are not one new")
	vocab = vocab[:2+rng.IntN(len(vocab)-2)] // small vocabularies repeat 2-grams
	var lines []string
	for range 5 + rng.IntN(60) {
		if len(lines) > 0 && rng.IntN(8) == 0 {
			lines = append(lines, lines[rng.IntN(len(lines))]) // a repeated line
			continue
		}
		var ws []string
		for range 1 + rng.IntN(25) {
			if len(ws) > 6 && rng.IntN(10) == 0 {
				k := 2 + rng.IntN(5)
				ws = append(ws, ws[len(ws)-k:]...) // a repeated phrase
				continue
			}
			ws = append(ws, vocab[rng.IntN(len(vocab))]+strings.Repeat("x", rng.IntN(3)))
		}
		line := strings.Join(ws, " ")
		if rng.IntN(3) > 0 {
			line += "."
		}
		lines = append(lines, line)
		if rng.IntN(5) == 0 {
			lines = append(lines, "")
		}
	}
	return strings.Join(lines, "\n")
}

// TestSignalsDoNotChangeDecisions checks that computing every statistic
// (signals on) gives the same decisions as stopping early and skipping the
// scans a bound rules out (signals off).
func TestSignalsDoNotChangeDecisions(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	quiet, loud := allStages(false), allStages(true)
	rejected := map[string]int{}
	for range 1200 {
		doc := randomDoc(rng)
		for k := range quiet {
			a, b := &record.Record{Text: doc}, &record.Record{Text: doc}
			ka, kb := quiet[k].Process(a), loud[k].Process(b)
			if ka != kb || a.Text != b.Text || (!ka && a.Rejection.Reason != b.Rejection.Reason) {
				t.Fatalf("%s on %q: signals off %v %+v, on %v %+v", quiet[k].Name(), doc, ka, a.Rejection, kb, b.Rejection)
			}
			if !ka {
				rejected[a.Rejection.Reason]++
			}
		}
	}
	// The documents must exercise the n-gram rules, or the test proves little.
	for _, reason := range []string{"gopher_top_2gram", "gopher_top_3gram", "gopher_dup_5gram", "gopher_dup_6gram", ReasonGopherDupLineFrac} {
		if rejected[reason] == 0 {
			t.Errorf("no document was rejected for %s: %v", reason, rejected)
		}
	}
}

func TestTokenCache(t *testing.T) {
	a := strings.Repeat("alpha beta, ", 200)
	p := getTokens(a)
	n := len(*p)
	putTokens(a, p)
	q := getTokens(a)
	if q != p {
		t.Error("the tokens of the same text were not handed on")
	}
	putTokens(a, q)
	b := strings.Clone(a) // the same bytes in other memory
	r := getTokens(b)
	if r == q {
		t.Error("the tokens of one string were handed to another")
	}
	if len(*r) != n {
		t.Errorf("%d tokens, want %d", len(*r), n)
	}
	putTokens(b, r)
}

// TestHashStringUsesEveryByte changes each byte of strings of every length
// of the fast paths and checks that the hash changes.
func TestHashStringUsesEveryByte(t *testing.T) {
	seen := map[uint64]string{}
	for n := 0; n <= 20; n++ {
		base := []byte(strings.Repeat("a", n))
		variants := []string{string(base)}
		for i := range base {
			v := append([]byte(nil), base...)
			v[i] = 'b'
			variants = append(variants, string(v))
		}
		for _, v := range variants {
			h := hashString(v)
			if other, ok := seen[h]; ok && other != v {
				t.Fatalf("hashString(%q) == hashString(%q)", v, other)
			}
			seen[h] = v
			if hashString(strings.Clone(v)) != h {
				t.Fatalf("hashString(%q) depends on the string's memory", v)
			}
		}
	}
}
