package gbt

import (
	"math/rand/v2"
	"testing"
)

// The booster learns an interaction no single split can express (a
// checkerboard of two features, with a noise feature beside them).
func TestFitLearnsInteraction(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	make := func(n int) *Data {
		d := &Data{F: 3}
		for i := 0; i < n; i++ {
			a, b, noise := rng.Float32(), rng.Float32(), rng.Float32()
			y := float32(0)
			if (a > 0.5) != (b > 0.3) {
				y = 1
			}
			d.Append([]float32{a, b, noise}, []float32{y}, []float32{1})
		}
		return d
	}
	train, test := make(4000), make(1000)
	e := Fit(train, Params{Trees: 30, Depth: 3, Rate: 0.3, L2: 1, Subsample: 0.8, Bins: 32, Seed: 1})
	right := 0
	for i := 0; i < test.Rows(); i++ {
		p := e.Prob(test.X[i*3 : i*3+3])
		if (p >= 0.5) == (test.Y[i] == 1) {
			right++
		}
	}
	if acc := float64(right) / float64(test.Rows()); acc < 0.95 {
		t.Fatalf("accuracy %.3f on held-out rows, want >= 0.95", acc)
	}
}

func TestQuantileCuts(t *testing.T) {
	tests := []struct {
		vals []float32
		bins int
		want int // number of cuts
	}{
		{[]float32{1, 1, 1, 1}, 8, 0},             // a constant separates nothing
		{[]float32{0, 1, 0, 1, 0, 1}, 8, 1},       // two values, one cut
		{[]float32{0, 1, 2, 3, 4, 5, 6, 7}, 4, 3}, // quartiles
	}
	for _, tt := range tests {
		d := &Data{F: 1}
		for _, v := range tt.vals {
			d.Append([]float32{v}, []float32{0}, []float32{1})
		}
		cuts := quantileCuts(d, 0, tt.bins)
		if len(cuts) != tt.want {
			t.Errorf("%v into %d bins: cuts %v, want %d cuts", tt.vals, tt.bins, cuts, tt.want)
		}
		for _, v := range tt.vals {
			b := binOf(cuts, v)
			for k, c := range cuts {
				if (int(b) > k) != (v > c) {
					t.Errorf("value %v bin %d disagrees with cut %d (%v)", v, b, k, c)
				}
			}
		}
	}
}

func TestFoldAndHost(t *testing.T) {
	if HostGroup("https://www.Example.com/a") != "example.com" || HostGroup("not a url") != "not a url" {
		t.Errorf("HostGroup: %q %q", HostGroup("https://www.Example.com/a"), HostGroup("not a url"))
	}
	seen := map[int]bool{}
	for _, g := range []string{"a.com", "b.com", "c.org", "d.net", "e.io", "f.de", "g.fr", "h.uk"} {
		f := Fold(g, 3)
		if f < 0 || f >= 3 || f != Fold(g, 3) {
			t.Fatalf("Fold(%q) = %d", g, f)
		}
		seen[f] = true
	}
	if len(seen) < 2 {
		t.Errorf("8 groups all fell in one of 3 folds")
	}
}
