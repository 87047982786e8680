package clean

import "math"

// The second stage reads the first stage's verdicts on the line and the
// lines around it, and how the page scores as a whole: a short line between
// two paragraphs is content, the same line inside a run of menu items is
// not, and a page whose lines all score low keeps its best ones. It sees the
// first-stage features too, so one row is the NumFeatures line features
// followed by these.
var stackNames = []string{
	"p", "p_prev", "p_next", "p_prev2", "p_next2", "p_prev3", "p_next3",
	"p_win2", "p_win5", "p_win12", "p_max3", "p_min1",
	"doc_p_mean", "doc_p_chars", "doc_p_max", "doc_p_q25", "doc_p_q50", "doc_p_q75",
	"doc_p_above", "p_rank",
	"in_region", "log_dist_region", "region_share",
	"log_dist_above_before", "log_dist_above_after", "log_run_above",
}

// NumStack is the number of second-stage features after the line features.
var NumStack = len(stackNames)

// numStack is NumStack as a constant, so that fill writes a line's
// features without a bounds check each.
const numStack = 26

// fill writes a line's numStack columns one statement each: these fail to
// compile when numStack is not 26.
var (
	_ [numStack - 26]struct{}
	_ [26 - numStack]struct{}
)

func init() {
	if numStack != len(stackNames) {
		panic("clean: numStack differs from len(stackNames)")
	}
}

// StackWidth is the length of a second-stage row.
func StackWidth() int { return NumFeatures + NumStack }

// StackFeatureNames returns the names of a second-stage row's features.
func StackFeatureNames() []string {
	return append(FeatureNames(), stackNames...)
}

// stackScratch is reusable memory for stack.
type stackScratch struct {
	cp    []float64        // prefix sums of p
	below [pBins + 1]int32 // below[b]: lines whose p falls in a bin under b
	above []int32
	size  []float64 // 1 + each line's characters
}

// StackFeatures returns the second-stage rows of a page from its
// first-stage rows x (Featurize) and first-stage probabilities p.
func StackFeatures(x []float32, p []float64) []float32 {
	n := len(p)
	w := StackWidth()
	// Each line's size, 1 + its characters, recovered exactly from its
	// log_runes feature (log1p of a count) as a Cleaner counts it.
	size := make([]float64, n)
	for k := range size {
		size[k] = math.Round(math.Exp(float64(x[k*NumFeatures])))
	}
	out := make([]float32, n*w)
	for k := 0; k < n; k++ {
		copy(out[k*w:k*w+NumFeatures], x[k*NumFeatures:(k+1)*NumFeatures])
	}
	var s stackScratch
	s.fill(size, p, out, w)
	return out
}

// fill computes the second-stage features of the n = len(p) lines from
// their sizes (1 + characters) and first-stage probabilities p, and writes
// them into x after each line's first-stage features: rows of width w when
// w > 0, else doc.x's blocks of columns (at).
func (s *stackScratch) fill(size []float64, p []float64, x []float32, w int) {
	n := len(p)
	if n == 0 {
		return
	}
	const cut = 0.5
	s.cp = growF(s.cp, n+1)
	s.cp[0] = 0
	var sum, chars, pchars, top float64
	for k, v := range p {
		s.cp[k+1] = s.cp[k] + v
		sum += v
		r := size[k]
		chars += r
		pchars += r * v
		top = max(top, v)
	}
	// The page's distribution of p, in pBins bins: quantiles and ranks
	// to a bin's precision, without sorting.
	clear(s.below[:])
	for _, v := range p {
		s.below[pBin(v)+1]++
	}
	for b := 1; b <= pBins; b++ {
		s.below[b] += s.below[b-1]
	}
	q := func(f float64) float32 {
		want := int32(math.Ceil(f * float64(n)))
		b := 0
		for b < pBins-1 && s.below[b+1] < want {
			b++
		}
		return (float32(b) + 0.5) / pBins
	}
	nn := float64(n)
	mean := float32(sum / nn)
	pc := float32(pchars / max(chars, 1))
	q25, q50, q75 := q(0.25), q(0.5), q(0.75)
	aboveShare := float32(float64(int32(n)-s.below[pBin(cut)]) / nn)

	// The region of the page with the largest sum of p - cut: where the
	// first stage places the article.
	bestSum, bestLo, bestHi := math.Inf(-1), 0, 0
	run, runLo := 0.0, 0
	for k, v := range p {
		if run <= 0 {
			run, runLo = 0, k
		}
		run += v - cut
		if run > bestSum {
			bestSum, bestLo, bestHi = run, runLo, k+1
		}
	}
	regionShare := float32(float64(bestHi-bestLo) / nn)

	// Lengths of runs of lines above cut, and distances to such lines.
	s.above = growI32(s.above, n)
	for k := n - 1; k >= 0; k-- {
		switch {
		case p[k] < cut:
			s.above[k] = 0
		case k+1 < n:
			s.above[k] = s.above[k+1] + 1
		default:
			s.above[k] = 1
		}
	}
	pAt := func(k int) float32 {
		if k < 0 || k >= n {
			return -1
		}
		return float32(p[k])
	}
	win := func(k, r int) float32 {
		lo, hi := max(k-r, 0), min(k+r+1, n)
		return float32((s.cp[hi] - s.cp[lo]) / float64(hi-lo))
	}
	lastAbove := -1
	nextAbove := -1
	// nextAbove for line k is found by scanning forward lazily.
	runLen := int32(0)
	var r [32]float32
	for k := 0; k < n; k++ {
		r[0] = float32(p[k])
		r[1], r[2], r[3], r[4], r[5], r[6] = pAt(k-1), pAt(k+1), pAt(k-2), pAt(k+2), pAt(k-3), pAt(k+3)
		r[7], r[8], r[9] = win(k, 2), win(k, 5), win(k, 12)
		// The highest p within 3 lines (-1 for lines past the ends,
		// below every p) and the lowest of the two next to it.
		r[10] = max(r[1], r[2], r[3], r[4], r[5], r[6], -1)
		mn := float32(2)
		if k > 0 {
			mn = r[1]
		}
		if k+1 < n {
			mn = min(mn, r[2])
		}
		if mn > 1 {
			mn = -1
		}
		r[11] = mn
		r[12], r[13], r[14] = mean, pc, float32(top)
		r[15], r[16], r[17] = q25, q50, q75
		r[18] = aboveShare
		r[19] = float32(float64(s.below[pBin(p[k])]) / nn)
		switch {
		case k >= bestLo && k < bestHi:
			r[20], r[21] = 1, 0
		case k < bestLo:
			r[20], r[21] = 0, float32(log1p(bestLo-k))
		default:
			r[20], r[21] = 0, float32(log1p(k-bestHi+1))
		}
		r[22] = regionShare
		if nextAbove < k+1 {
			nextAbove = -1
			for j := k + 1; j < n; j++ {
				if p[j] >= cut {
					nextAbove = j
					break
				}
			}
			if nextAbove < 0 {
				nextAbove = n + 1<<20
			}
		}
		if lastAbove < 0 {
			r[23] = 10
		} else {
			r[23] = float32(log1p(k - lastAbove))
		}
		if nextAbove >= n {
			r[24] = 10
		} else {
			r[24] = float32(log1p(nextAbove - k))
		}
		// The run of lines above cut the line belongs to (0 when below).
		if p[k] >= cut {
			if k == 0 || p[k-1] < cut {
				runLen = s.above[k]
			}
			r[25] = float32(log1p(runLen))
			lastAbove = k
		} else {
			r[25] = 0
		}
		if w > 0 {
			copy(x[k*w+numFeatures:(k+1)*w], r[:numStack])
		} else {
			// one statement a column: a loop costs more than the stores
			col := (*[(numStack-1)*lineBlock + 1]float32)(x[at(k, numFeatures):])
			col[0], col[lineBlock], col[2*lineBlock], col[3*lineBlock] = r[0], r[1], r[2], r[3]
			col[4*lineBlock], col[5*lineBlock], col[6*lineBlock], col[7*lineBlock] = r[4], r[5], r[6], r[7]
			col[8*lineBlock], col[9*lineBlock], col[10*lineBlock], col[11*lineBlock] = r[8], r[9], r[10], r[11]
			col[12*lineBlock], col[13*lineBlock], col[14*lineBlock], col[15*lineBlock] = r[12], r[13], r[14], r[15]
			col[16*lineBlock], col[17*lineBlock], col[18*lineBlock], col[19*lineBlock] = r[16], r[17], r[18], r[19]
			col[20*lineBlock], col[21*lineBlock], col[22*lineBlock], col[23*lineBlock] = r[20], r[21], r[22], r[23]
			col[24*lineBlock], col[25*lineBlock] = r[24], r[25]
		}
	}
}

// pBins is the number of bins of the page's distribution of p.
const pBins = 100

// pBin returns the bin of probability v: [b/pBins, (b+1)/pBins).
func pBin(v float64) int {
	return min(max(int(v*pBins), 0), pBins-1)
}

func growI32(s []int32, n int) []int32 {
	if cap(s) < n {
		return make([]int32, n)
	}
	return s[:n]
}
