package clean

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
)

// A Model scores lines: the probability that a line belongs to the page's
// main content. It is an ensemble of gradient-boosted oblivious decision
// trees over a line's own, positional, neighbour and page features.
//
// Models are trained by `winnow bench clean --write-model FILE` (package
// clean/train) and stored as JSON.
type Model struct {
	// Features lists the first-stage feature names the model was trained
	// on; loading fails when they differ from this package's, so a stale
	// model cannot be used with new features by mistake.
	Features []string `json:"features"`
	Trees    Ensemble `json:"trees"`
	// Threshold is the probability below which a line is dropped.
	Threshold float64 `json:"threshold"`
	// Lead is the lower threshold for a line right before a kept line:
	// headings and lead-ins look less like content than the paragraphs
	// they introduce.
	Lead float64 `json:"lead"`
	// Relative, when above 0, lowers the threshold of a page whose best
	// line scores below it to Relative times that best score (see Select).
	Relative float64 `json:"relative,omitempty"`
	// Notes records how the model was made: data source and its licence,
	// parameters, cross-validated scores.
	Notes map[string]string `json:"notes,omitempty"`
}

// An Ensemble is a sum of trees passed through the logistic function.
type Ensemble struct {
	Bias  float64 `json:"bias"`
	Trees []Tree  `json:"trees"`
}

// A Tree is an oblivious decision tree: every node of the same depth asks
// the same question (feature > threshold), so the answers of its levels,
// read as bits, index its leaves directly. Prediction costs one comparison
// per level and no branches to mispredict.
type Tree struct {
	Features   []int     `json:"f"`
	Thresholds []float32 `json:"t"`
	Leaves     []float32 `json:"v"`
}

// Score returns the raw sum (log-odds) of the ensemble for feature vector x.
func (e *Ensemble) Score(x []float32) float64 {
	s := e.Bias
	for i := range e.Trees {
		t := &e.Trees[i]
		idx := 0
		for l, f := range t.Features {
			if x[f] > t.Thresholds[l] {
				idx |= 1 << l
			}
		}
		s += float64(t.Leaves[idx])
	}
	return s
}

// Prob returns the ensemble's probability for x.
func (e *Ensemble) Prob(x []float32) float64 { return sigmoid(e.Score(x)) }

// flatEnsemble is an Ensemble laid out for speed: the questions of all
// trees in one array (maxDepth per tree, unused levels asking an always-false
// question) and the leaves in another, so scoring a line walks two arrays
// front to back with no pointers to follow.
type flatEnsemble struct {
	bias   float32
	depth  int
	feats  []uint16
	thr    []float32
	leaves []float32
}

const maxDepth = 8

func flatten(e *Ensemble) *flatEnsemble {
	depth := 0
	for _, t := range e.Trees {
		depth = max(depth, len(t.Features))
	}
	fe := &flatEnsemble{bias: float32(e.Bias), depth: depth}
	for _, t := range e.Trees {
		for l := 0; l < depth; l++ {
			if l < len(t.Features) {
				fe.feats = append(fe.feats, uint16(t.Features[l]))
				fe.thr = append(fe.thr, t.Thresholds[l])
			} else {
				// +Inf: x > thr never holds, the bit stays 0 and the
				// leaves of the shallower tree are repeated below.
				fe.feats = append(fe.feats, 0)
				fe.thr = append(fe.thr, float32(math.Inf(1)))
			}
		}
		for k := 0; k < 1<<depth; k++ {
			fe.leaves = append(fe.leaves, t.Leaves[k&(len(t.Leaves)-1)])
		}
	}
	return fe
}

// prob returns the content probability of feature vector x.
//
// The comparisons are written so that the compiler turns them into
// conditional moves: a branch on "x > threshold" is taken at random for
// half the lines, and a mispredicted branch per tree level would cost more
// than all the rest of the walk.
func (fe *flatEnsemble) prob(x []float32) float64 {
	s := fe.bias
	d := fe.depth
	nl := 1 << d
	feats, thr, leaves := fe.feats, fe.thr, fe.leaves
	if d == 6 {
		for len(feats) >= 6 && len(thr) >= 6 && len(leaves) >= 64 {
			idx := gt(x[feats[0]], thr[0]) | gt(x[feats[1]], thr[1])<<1 |
				gt(x[feats[2]], thr[2])<<2 | gt(x[feats[3]], thr[3])<<3 |
				gt(x[feats[4]], thr[4])<<4 | gt(x[feats[5]], thr[5])<<5
			s += leaves[idx&63]
			feats, thr, leaves = feats[6:], thr[6:], leaves[64:]
		}
		return sigmoid(float64(s))
	}
	for len(feats) >= d && len(thr) >= d && len(leaves) >= nl {
		idx := 0
		for l := 0; l < d; l++ {
			idx |= gt(x[feats[l]], thr[l]) << l
		}
		s += leaves[idx&(nl-1)]
		feats, thr, leaves = feats[d:], thr[d:], leaves[nl:]
	}
	return sigmoid(float64(s))
}

// probs sets out[k] to the content probability of row k of x (rows of
// width w). It walks tree by tree rather than line by line, so that each
// tree's questions stay in registers while it is asked of every line.
func (fe *flatEnsemble) probs(x []float32, w int, out []float64) {
	n := len(out)
	if fe.depth != 6 || n == 0 || len(x) < n*w {
		for k := range out {
			out[k] = fe.prob(x[k*w : (k+1)*w])
		}
		return
	}
	for k := range out {
		out[k] = float64(fe.bias)
	}
	feats, thr, leaves := fe.feats, fe.thr, fe.leaves
	for len(feats) >= 6 && len(thr) >= 6 && len(leaves) >= 64 {
		f0, f1, f2, f3, f4, f5 := int(feats[0]), int(feats[1]), int(feats[2]), int(feats[3]), int(feats[4]), int(feats[5])
		t0, t1, t2, t3, t4, t5 := thr[0], thr[1], thr[2], thr[3], thr[4], thr[5]
		lv := leaves[:64]
		for k := range out {
			row := x[k*w : k*w+w]
			idx := gt(row[f0], t0) | gt(row[f1], t1)<<1 | gt(row[f2], t2)<<2 |
				gt(row[f3], t3)<<3 | gt(row[f4], t4)<<4 | gt(row[f5], t5)<<5
			out[k] += float64(lv[idx&63])
		}
		feats, thr, leaves = feats[6:], thr[6:], leaves[64:]
	}
	for k := range out {
		out[k] = sigmoid(out[k])
	}
}

// gt returns 1 if a > b, else 0, without a branch.
func gt(a, b float32) int {
	r := 0
	if a > b {
		r = 1
	}
	return r
}

func sigmoid(s float64) float64 { return 1 / (1 + math.Exp(-s)) }

// check validates an ensemble over vectors of n features.
func (e *Ensemble) check(n int) error {
	if math.IsNaN(e.Bias) || math.IsInf(e.Bias, 0) {
		return fmt.Errorf("bias %v", e.Bias)
	}
	for i, t := range e.Trees {
		if len(t.Thresholds) != len(t.Features) || len(t.Leaves) != 1<<len(t.Features) || len(t.Features) > maxDepth {
			return fmt.Errorf("tree %d: malformed", i)
		}
		for _, f := range t.Features {
			if f < 0 || f >= n {
				return fmt.Errorf("tree %d: feature %d out of range", i, f)
			}
		}
	}
	return nil
}

// Check validates the model against this package's features.
func (m *Model) Check() error {
	if len(m.Features) != NumFeatures {
		return fmt.Errorf("model has %d features, this build %d: retrain it", len(m.Features), NumFeatures)
	}
	for i, f := range m.Features {
		if f != featureNames[i] {
			return fmt.Errorf("model feature %d is %q, this build's %q: retrain it", i, f, featureNames[i])
		}
	}
	return m.Trees.check(NumFeatures)
}

// LoadModel reads a model written by SaveModel.
func LoadModel(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseModel(b)
}

func parseModel(b []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("clean model: %w", err)
	}
	if err := m.Check(); err != nil {
		return nil, fmt.Errorf("clean model: %w", err)
	}
	return &m, nil
}

// SaveModel writes m as JSON.
func SaveModel(m *Model, path string) error {
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

//go:embed model.json
var builtinModelJSON []byte

// BuiltinModel returns the model shipped with winnow (clean/model.json),
// trained on clean-dev (derived from WCXB, CC-BY-4.0).
func BuiltinModel() (*Model, error) { return parseModel(builtinModelJSON) }
