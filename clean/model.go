package clean

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"

	"github.com/winnow-corpus/winnow/internal/gbt"
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
	// Stage2, when present, rescores every line from its features and
	// the first stage's probabilities of the lines around it and of the
	// whole page (StackFeatureNames lists them; Stage2Features records
	// them). Threshold, Lead and Relative then apply to its probabilities.
	Stage2         *Ensemble `json:"stage2,omitempty"`
	Stage2Features []string  `json:"stage2_features,omitempty"`
	// Threshold is the probability below which a line is dropped.
	Threshold float64 `json:"threshold"`
	// Lead is the lower threshold for a line right before a kept line:
	// headings and lead-ins look less like content than the paragraphs
	// they introduce.
	Lead float64 `json:"lead"`
	// Relative, when above 0, lowers the threshold of a page whose best
	// line scores below it to Relative times that best score (see Select).
	Relative float64 `json:"relative,omitempty"`
	// Expected, when above 0, moves each page's threshold towards the one
	// that maximizes the page's expected F1 given its probabilities, by
	// this share (see PageThreshold).
	Expected float64 `json:"expected,omitempty"`
	// TitleHeading keeps the first line (a page's title) before a kept
	// second line when no later line repeats the title (TitleHeading).
	TitleHeading bool `json:"title_heading,omitempty"`
	// Lexicon holds the learned word weights of the lex_* features
	// (lexicon.go): 1<<LexiconBits bytes, or none, and then those
	// features are 0.
	Lexicon []byte `json:"lexicon,omitempty"`
	// Notes records how the model was made: data source and its licence,
	// parameters, cross-validated scores.
	Notes map[string]string `json:"notes,omitempty"`
}

// An Ensemble is the model kind of package internal/gbt: a sum of oblivious
// decision trees passed through the logistic function.
type Ensemble = gbt.Ensemble

// A Tree is one oblivious decision tree of an Ensemble.
type Tree = gbt.Tree

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

// probs sets out[k] to the content probability of line k of x, which holds
// the lines' features in blocks of lineBlock lines, column by column within
// a block (doc.x). For each block it walks tree by tree: each tree's
// questions stay in registers while it reads its few columns of the block
// front to back.
//
// The comparisons are written so that the compiler turns them into
// conditional moves: a branch on "x > threshold" is taken at random for
// half the lines, and a mispredicted branch per tree level would cost more
// than all the rest of the walk.
func (fe *flatEnsemble) probs(x []float32, out []float64) {
	var acc [lineBlock]float32
	for lo := 0; lo < len(out); lo += lineBlock {
		m := min(lineBlock, len(out)-lo)
		blk := x[lo*rowWidth : lo*rowWidth+lineBlock*rowWidth]
		for k := range acc[:m] {
			acc[k] = fe.bias
		}
		fe.block(blk, acc[:m])
		for k, s := range acc[:m] {
			out[lo+k] = gbt.Sigmoid(float64(s))
		}
	}
}

// block adds the trees' leaves for the m = len(acc) lines of one block.
func (fe *flatEnsemble) block(blk []float32, acc []float32) {
	m := len(acc)
	feats, thr, leaves := fe.feats, fe.thr, fe.leaves
	col := func(f uint16) []float32 { return blk[int(f)*lineBlock : int(f)*lineBlock+m] }
	if fe.depth == 6 {
		for len(feats) >= 6 && len(thr) >= 6 && len(leaves) >= 64 {
			c0, c1, c2, c3, c4, c5 := col(feats[0]), col(feats[1]), col(feats[2]), col(feats[3]), col(feats[4]), col(feats[5])
			t0, t1, t2, t3, t4, t5 := thr[0], thr[1], thr[2], thr[3], thr[4], thr[5]
			tree6(acc, c0, c1, c2, c3, c4, c5, t0, t1, t2, t3, t4, t5, (*[64]float32)(leaves))
			feats, thr, leaves = feats[6:], thr[6:], leaves[64:]
		}
		return
	}
	fe.blockAny(blk, acc)
}

// blockAny is block for trees of any depth, the plain way: block's walk of
// depth-6 trees must give the same sums to the bit.
func (fe *flatEnsemble) blockAny(blk []float32, acc []float32) {
	feats, thr, leaves := fe.feats, fe.thr, fe.leaves
	d, nl := fe.depth, 1<<fe.depth
	for len(feats) >= d && len(thr) >= d && len(leaves) >= nl {
		for k := range acc {
			idx := 0
			for l := 0; l < d; l++ {
				idx |= gt(blk[int(feats[l])*lineBlock+k], thr[l]) << l
			}
			acc[k] += leaves[idx&(nl-1)]
		}
		feats, thr, leaves = feats[d:], thr[d:], leaves[nl:]
	}
}

// tree6 adds to o[k] the leaf of lv that line k reaches in a tree of depth
// 6 whose level l asks whether cl[k] > tl. It is a function of its own so
// that its loop has the registers to itself.
func tree6(o, c0, c1, c2, c3, c4, c5 []float32, t0, t1, t2, t3, t4, t5 float32, lv *[64]float32) {
	o = o[:len(c0)]
	c1, c2, c3, c4, c5 = c1[:len(c0)], c2[:len(c0)], c3[:len(c0)], c4[:len(c0)], c5[:len(c0)]
	for k, v := range c0 {
		// the bits of the levels, the last level's highest, by
		// doublings and additions in a byte: one LEA a level, and no
		// widening of each SETcc result
		idx := gt8(c5[k], t5)
		idx = idx*2 + gt8(c4[k], t4)
		idx = idx*2 + gt8(c3[k], t3)
		idx = idx*2 + gt8(c2[k], t2)
		idx = idx*2 + gt8(c1[k], t1)
		idx = idx*2 + gt8(v, t0)
		o[k] += lv[idx&63]
	}
}

// gt8 is gt in a byte.
func gt8(a, b float32) uint8 {
	var r uint8
	if a > b {
		r = 1
	}
	return r
}

// gt returns 1 if a > b, else 0, without a branch.
func gt(a, b float32) int {
	r := 0
	if a > b {
		r = 1
	}
	return r
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
	if len(m.Lexicon) != 0 && len(m.Lexicon) != 1<<LexiconBits {
		return fmt.Errorf("model's lexicon has %d bytes, not %d", len(m.Lexicon), 1<<LexiconBits)
	}
	if err := m.Trees.Check(NumFeatures, maxDepth); err != nil {
		return err
	}
	if m.Stage2 == nil {
		return nil
	}
	names := StackFeatureNames()
	if !slices.Equal(m.Stage2Features, names) {
		return fmt.Errorf("model's second-stage features differ from this build's: retrain it")
	}
	if err := m.Stage2.Check(len(names), maxDepth); err != nil {
		return fmt.Errorf("stage 2: %w", err)
	}
	return nil
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
