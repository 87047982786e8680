package minhash

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

// word spells n in letters, so that digit normalization leaves it intact.
func word(n int) string {
	b := []byte{'q'}
	for ; n > 0; n /= 26 {
		b = append(b, byte('a'+n%26))
	}
	return string(b)
}

// words returns n pseudo-random words from a 5,000-word vocabulary.
func words(rng *rand.Rand, n int) []string {
	w := make([]string, n)
	for i := range w {
		w[i] = word(rng.IntN(5000))
	}
	return w
}

// edit replaces each word with probability p by a word from outside the
// vocabulary.
func edit(rng *rand.Rand, w []string, p float64) []string {
	out := append([]string(nil), w...)
	for i := range out {
		if rng.Float64() < p {
			out[i] = word(5000 + rng.IntN(1e9))
		}
	}
	return out
}

func TestShingles(t *testing.T) {
	h, err := NewHasher(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"  \n\t ", 0},
		{"!!! ...", 0},
		{"one", 1},
		{"one two three four", 1},
		{"one two three four five", 1},
		{"one two three four five six", 2},
		{"One, two; THREE four five six seven.", 3},
		{"\xff\xfe bad bytes \x00 here", 1},
	}
	for _, tt := range tests {
		if got := len(h.Shingles(nil, tt.text)); got != tt.want {
			t.Errorf("Shingles(%q): %d shingles, want %d", tt.text, got, tt.want)
		}
	}
	// Normalization makes case, punctuation and digits irrelevant.
	a := h.ShingleSet("The year 2023 was good, they said: very good indeed!")
	b := h.ShingleSet("the YEAR 1999 was good they said very good indeed")
	if Jaccard(a, b) != 1 {
		t.Errorf("normalized variants: Jaccard %v, want 1", Jaccard(a, b))
	}
}

func TestCharShingles(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Shingle, cfg.ShingleSize = "char", 3
	h, err := NewHasher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want int
	}{
		{"", 0}, {"ab", 1}, {"abc", 1}, {"abcd", 2}, {"héllo", 3},
	}
	for _, tt := range tests {
		if got := len(h.Shingles(nil, tt.text)); got != tt.want {
			t.Errorf("char Shingles(%q): %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, mod := range []func(*Config){
		func(c *Config) { c.Shingle = "line" },
		func(c *Config) { c.ShingleSize = 0 },
		func(c *Config) { c.Bands = 0 },
		func(c *Config) { c.Rows = -1 },
	} {
		cfg := DefaultConfig()
		mod(&cfg)
		if _, err := NewHasher(cfg); err == nil {
			t.Errorf("NewHasher(%+v): no error", cfg)
		}
	}
}

// TestHashIsModularArithmetic checks the folded 128-bit arithmetic against
// math/big-free reference arithmetic: (a·x + b) mod p via bits.Div64.
func TestHashIsModularArithmetic(t *testing.T) {
	h, err := NewHasher(Config{Shingle: "word", ShingleSize: 1, Bands: 4, Rows: 4, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		x := rng.Uint64()
		sig := make([]uint64, 16)
		h.SignatureOf(sig, []uint64{x})
		xm := x % MersennePrime
		for i := range sig {
			hi, lo := bits.Mul64(h.a[i], xm)
			lo, carry := bits.Add64(lo, h.b[i], 0)
			hi += carry
			_, want := bits.Div64(hi, lo, MersennePrime)
			if sig[i] != want {
				t.Fatalf("x=%d i=%d: got %d, want %d", x, i, sig[i], want)
			}
		}
	}
}

// TestSignatureEstimatesJaccard checks that the share of equal signature
// values tracks the true Jaccard similarity.
func TestSignatureEstimatesJaccard(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Bands, cfg.Rows = 32, 16 // 512 hashes: standard error ≤ 0.022
	h, err := NewHasher(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	base := words(rng, 2000)
	for _, p := range []float64{0, 0.01, 0.03, 0.08, 0.2} {
		a := strings.Join(base, " ")
		b := strings.Join(edit(rng, base, p), " ")
		j := Jaccard(h.ShingleSet(a), h.ShingleSet(b))
		sa, sb := h.Signature(a), h.Signature(b)
		eq := 0
		for i := range sa {
			if sa[i] == sb[i] {
				eq++
			}
		}
		est := float64(eq) / float64(len(sa))
		if math.Abs(est-j) > 0.08 {
			t.Errorf("edit rate %v: estimate %.3f, Jaccard %.3f", p, est, j)
		}
	}
}

func TestBandKeys(t *testing.T) {
	h, err := NewHasher(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	text := strings.Join(words(rng, 500), " ")
	k1 := h.Keys(nil, text, "")
	k2 := h.Keys(nil, "  "+strings.ToUpper(text)+"!", "")
	if len(k1) != 14 {
		t.Fatalf("%d band keys, want 14", len(k1))
	}
	for i := range k1 {
		if k1[i] != k2[i] {
			t.Errorf("band %d differs between normalized-equal texts", i)
		}
	}
	other := h.Keys(nil, strings.Join(words(rng, 500), " "), "")
	for i := range k1 {
		if k1[i] == other[i] {
			t.Errorf("band %d equal for unrelated texts", i)
		}
	}
	if got := h.Keys(nil, "", ""); len(got) != 0 {
		t.Errorf("empty text: %d keys, want none", len(got))
	}
}

func TestProbability(t *testing.T) {
	// The figures FineWeb publishes for 14×8.
	tests := []struct{ j, want float64 }{{0.7, 0.56}, {0.75, 0.77}, {0.8, 0.92}, {0.85, 0.99}}
	for _, tt := range tests {
		if got := Probability(tt.j, 14, 8); math.Abs(got-tt.want) > 0.006 {
			t.Errorf("Probability(%v) = %.3f, want %.2f", tt.j, got, tt.want)
		}
	}
}

func TestJaccard(t *testing.T) {
	tests := []struct {
		a, b []uint64
		want float64
	}{
		{nil, nil, 0},
		{[]uint64{1}, nil, 0},
		{[]uint64{1, 2}, []uint64{1, 2}, 1},
		{[]uint64{1, 2, 3}, []uint64{2, 3, 4}, 0.5},
	}
	for _, tt := range tests {
		if got := Jaccard(tt.a, tt.b); got != tt.want {
			t.Errorf("Jaccard(%v, %v) = %v, want %v", tt.a, tt.b, got, tt.want)
		}
	}
}

// BenchmarkKeys measures band keys of a 16 KB text (about 2,700 words).
func BenchmarkKeys(b *testing.B) {
	h, err := NewHasher(DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	text := strings.Join(words(rand.New(rand.NewPCG(7, 8)), 2700), " ")
	b.SetBytes(int64(len(text)))
	var keys []uint64
	for b.Loop() {
		keys = h.Keys(keys[:0], text, "")
	}
}

// TestMinHash2 checks the (assembly) two-function kernel against Go.
func TestMinHash2(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	for _, n := range []int{0, 1, 2, 7, 1000} {
		xs := make([]uint64, n)
		for i := range xs {
			xs[i] = (rng.Uint64() % MersennePrime) << 3
		}
		if n == 7 {
			xs[0], xs[1] = 0, (MersennePrime-1)<<3 // the extremes
		}
		for range 20 {
			a0, b0 := 1+rng.Uint64N(MersennePrime-1), rng.Uint64N(MersennePrime)
			a1, b1 := 1+rng.Uint64N(MersennePrime-1), rng.Uint64N(MersennePrime)
			g0, g1 := minHash2(xs, a0, b0, a1, b1)
			w0, w1 := minHash2Go(xs, a0, b0, a1, b1)
			if g0 != w0 || g1 != w1 {
				t.Fatalf("n=%d: minHash2 = %d, %d; Go gives %d, %d", n, g0, g1, w0, w1)
			}
		}
	}
}
