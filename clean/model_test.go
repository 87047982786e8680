package clean

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestTreeWalk checks block's walk of depth-6 trees against blockAny, the
// plain walk, on the built-in model's two stages and on random ensembles,
// over feature values that often equal a threshold exactly.
func TestTreeWalk(t *testing.T) {
	m, err := BuiltinModel()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(3, 4))
	ensembles := []*Ensemble{&m.Trees, m.Stage2}
	for range 5 {
		e := &Ensemble{Bias: rng.NormFloat64()}
		for range 20 {
			var tr Tree
			for range 6 {
				tr.Features = append(tr.Features, rng.IntN(rowWidth))
				tr.Thresholds = append(tr.Thresholds, float32(rng.NormFloat64()))
			}
			for range 64 {
				tr.Leaves = append(tr.Leaves, float32(rng.NormFloat64()))
			}
			e.Trees = append(e.Trees, tr)
		}
		ensembles = append(ensembles, e)
	}
	blk := make([]float32, lineBlock*rowWidth)
	for i, e := range ensembles {
		fe := flatten(e)
		if fe.depth != 6 {
			t.Fatalf("ensemble %d: depth %d, not 6", i, fe.depth)
		}
		for round := range 50 {
			for j := range blk {
				switch rng.IntN(4) {
				case 0: // a threshold of the ensemble, exactly
					blk[j] = fe.thr[rng.IntN(len(fe.thr))]
				case 1:
					blk[j] = float32(rng.NormFloat64())
				case 2:
					blk[j] = float32(rng.IntN(5)) - 1
				default:
					blk[j] = float32(math.Copysign(0, rng.NormFloat64()))
				}
			}
			lines := []int{lineBlock, 1, 7, 33}[round%4]
			fast, plain := make([]float32, lines), make([]float32, lines)
			fe.block(blk, fast)
			fe.blockAny(blk, plain)
			for k := range fast {
				if math.Float32bits(fast[k]) != math.Float32bits(plain[k]) {
					t.Fatalf("ensemble %d, line %d of %d: block %v, blockAny %v", i, k, lines, fast[k], plain[k])
				}
			}
		}
	}
}
