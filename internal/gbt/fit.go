package gbt

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
)

// Params are the boosting settings.
type Params struct {
	Trees     int     // number of trees
	Depth     int     // levels per tree (leaves = 2^Depth)
	Rate      float64 // learning rate (shrinkage)
	L2        float64 // λ, the L2 penalty on leaf values
	Subsample float64 // share of rows each tree sees
	Bins      int     // at most this many bins per feature (≤ 256)
	Seed      uint64
}

// Data is a training set: n rows of F features, row-major, with 0/1 labels
// and positive weights.
type Data struct {
	F int
	X []float32
	Y []float32
	W []float32
}

// Rows returns the number of rows.
func (d *Data) Rows() int { return len(d.Y) }

// Append adds the rows of x (row-major, d.F columns) with their labels and
// weights.
func (d *Data) Append(x []float32, y, w []float32) {
	d.X = append(d.X, x...)
	d.Y = append(d.Y, y...)
	d.W = append(d.W, w...)
}

// Fit trains an ensemble on d.
func Fit(d *Data, p Params) Ensemble {
	n, F := d.Rows(), d.F
	if n == 0 {
		return Ensemble{}
	}
	cuts := make([][]float32, F)
	bins := make([][]uint8, F)
	for f := 0; f < F; f++ {
		cuts[f] = quantileCuts(d, f, p.Bins)
		col := make([]uint8, n)
		for i := 0; i < n; i++ {
			col[i] = binOf(cuts[f], d.X[i*F+f])
		}
		bins[f] = col
	}
	var sw, sy float64
	for i := 0; i < n; i++ {
		sw += float64(d.W[i])
		sy += float64(d.W[i] * d.Y[i])
	}
	prior := math.Min(math.Max(sy/sw, 1e-6), 1-1e-6)
	e := Ensemble{Bias: math.Log(prior / (1 - prior))}
	score := make([]float64, n)
	for i := range score {
		score[i] = e.Bias
	}
	g := make([]float64, n)
	h := make([]float64, n)
	leaf := make([]int, n)
	rng := rand.New(rand.NewPCG(p.Seed, 7))
	rows := make([]int, 0, n)
	others := make([]int, 0, n)
	rest := make([]int, 0, n)
	nb := p.Bins
	for t := 0; t < p.Trees; t++ {
		for i := 0; i < n; i++ {
			pr := 1 / (1 + math.Exp(-score[i]))
			w := float64(d.W[i])
			g[i] = w * (pr - float64(d.Y[i]))
			h[i] = w * math.Max(pr*(1-pr), 1e-6)
		}
		rows = rows[:0]
		for i := 0; i < n; i++ {
			if rng.Float64() < p.Subsample {
				rows = append(rows, i)
				leaf[i] = 0
			}
		}
		tree := Tree{}
		hist := histograms(bins, rows, leaf, g, h, 0, nb)
		for l := 0; l < p.Depth; l++ {
			leaves := 1 << l
			bf, bb := bestSplit(hist, cuts, leaves, nb, p.L2)
			if bf < 0 {
				break
			}
			tree.Features = append(tree.Features, bf)
			tree.Thresholds = append(tree.Thresholds, cuts[bf][bb])
			col := bins[bf]
			right, left := others[:0], rest[:0]
			for _, i := range rows {
				if int(col[i]) > bb {
					leaf[i] |= 1 << l
					right = append(right, i)
				} else {
					left = append(left, i)
				}
			}
			others, rest = right, left
			if l+1 == p.Depth {
				break
			}
			// Histograms of the next level: sum the smaller side, get the
			// other by subtraction from the parent's.
			small, smallRight := left, false
			if len(right) < len(left) {
				small, smallRight = right, true
			}
			hs := histograms(bins, small, leaf, g, h, l, nb)
			next := make([]float64, 2*len(hist))
			for f := 0; f < F; f++ {
				for lf := 0; lf < leaves; lf++ {
					par := hist[(f*leaves+lf)*nb*2 : (f*leaves+lf+1)*nb*2]
					sm := hs[(f*leaves+lf)*nb*2 : (f*leaves+lf+1)*nb*2]
					rl, ll := lf|leaves, lf
					if !smallRight {
						rl, ll = ll, rl
					}
					// rl receives the small side, ll the rest.
					dst := next[(f*2*leaves+rl)*nb*2 : (f*2*leaves+rl+1)*nb*2]
					copy(dst, sm)
					dst = next[(f*2*leaves+ll)*nb*2 : (f*2*leaves+ll+1)*nb*2]
					for k := range dst {
						dst[k] = par[k] - sm[k]
					}
				}
			}
			hist = next
		}
		if len(tree.Features) == 0 {
			break
		}
		L := 1 << len(tree.Features)
		G := make([]float64, L)
		H := make([]float64, L)
		for _, i := range rows {
			G[leaf[i]] += g[i]
			H[leaf[i]] += h[i]
		}
		tree.Leaves = make([]float32, L)
		for k := range L {
			tree.Leaves[k] = float32(-G[k] / (H[k] + p.L2) * p.Rate)
		}
		for i := 0; i < n; i++ {
			idx := 0
			for l, f := range tree.Features {
				if d.X[i*F+f] > tree.Thresholds[l] {
					idx |= 1 << l
				}
			}
			score[i] += float64(tree.Leaves[idx])
		}
		e.Trees = append(e.Trees, tree)
	}
	return e
}

// histograms sums the gradients and Hessians of rows by feature, leaf and
// bin, reading a row's leaf from the low `bits` bits of leaf[i]: gradient at
// 2*((f*leaves+leaf)*nb+bin), Hessian right after it. Features are split
// between two goroutines.
func histograms(bins [][]uint8, rows []int, leaf []int, g, h []float64, bits, nb int) []float64 {
	F := len(bins)
	leaves := 1 << bits
	mask := leaves - 1
	hist := make([]float64, 2*F*leaves*nb)
	var wg sync.WaitGroup
	const workers = 2
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for f := w; f < F; f += workers {
				col := bins[f]
				base := f * leaves * nb
				for _, i := range rows {
					k := 2 * (base + (leaf[i]&mask)*nb + int(col[i]))
					hist[k] += g[i]
					hist[k+1] += h[i]
				}
			}
		}(w)
	}
	wg.Wait()
	return hist
}

// bestSplit returns the feature and cut that most reduce the loss summed
// over all leaves, or -1 when no split helps.
func bestSplit(hist []float64, cuts [][]float32, leaves, nb int, l2 float64) (bf, bb int) {
	bf, best := -1, 1e-9
	gain := make([]float64, nb)
	for f := range cuts {
		nc := len(cuts[f])
		clear(gain)
		for lf := 0; lf < leaves; lf++ {
			hs := hist[(f*leaves+lf)*nb*2 : (f*leaves+lf+1)*nb*2]
			var gt, ht float64
			for k := 0; k <= nc; k++ {
				gt += hs[2*k]
				ht += hs[2*k+1]
			}
			var gl, hl float64
			for b := 0; b < nc; b++ {
				gl += hs[2*b]
				hl += hs[2*b+1]
				gr, hr := gt-gl, ht-hl
				gain[b] += gl*gl/(hl+l2) + gr*gr/(hr+l2) - gt*gt/(ht+l2)
			}
		}
		for b := 0; b < nc; b++ {
			if gain[b] > best {
				bf, bb, best = f, b, gain[b]
			}
		}
	}
	return bf, bb
}

// quantileCuts returns up to bins-1 increasing cut points of feature f. A
// value v falls in bin b = the number of cuts below v, so "bin > b" is the
// same question as "v > cuts[b]".
func quantileCuts(d *Data, f, bins int) []float32 {
	n := d.Rows()
	step := max(n/100000, 1)
	vals := make([]float32, 0, n/step+1)
	for i := 0; i < n; i += step {
		vals = append(vals, d.X[i*d.F+f])
	}
	slices.Sort(vals)
	var cuts []float32
	for b := 1; b < bins; b++ {
		v := vals[b*len(vals)/bins]
		if len(cuts) == 0 || v > cuts[len(cuts)-1] {
			cuts = append(cuts, v)
		}
	}
	// A cut at the maximum separates nothing.
	if len(cuts) > 0 && cuts[len(cuts)-1] >= vals[len(vals)-1] {
		cuts = cuts[:len(cuts)-1]
	}
	return cuts
}

func binOf(cuts []float32, v float32) uint8 {
	b, _ := slices.BinarySearch(cuts, v)
	// BinarySearch finds the first cut >= v: v <= cuts[b], v > cuts[b-1].
	return uint8(b)
}
