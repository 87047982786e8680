// Package gbt is winnow's learned-model kind: gradient-boosted oblivious
// decision trees on the logistic loss (the same kind of model as CatBoost's
// default), small enough to score a line or a block in well under a
// microsecond. The line cleaner (package clean) and the HTML extractor's
// block model (package extract) both ship an Ensemble as JSON and train it
// with Fit.
//
// Training follows the usual histogram method. Each feature is cut into at
// most Params.Bins bins at quantiles of its values; each tree then grows
// level by level, and at every level the one question (feature > threshold)
// that most reduces the second-order estimate of the loss, summed over all
// the tree's current leaves, is asked of every leaf. A leaf's value is the
// Newton step -G/(H+λ) of the gradients G and Hessians H of its rows, shrunk
// by the learning rate. Each tree sees a random subsample of the rows.
package gbt

import (
	"fmt"
	"math"
)

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
func (e *Ensemble) Prob(x []float32) float64 { return Sigmoid(e.Score(x)) }

// Sigmoid is the logistic function, from log-odds to probability.
func Sigmoid(s float64) float64 { return 1 / (1 + math.Exp(-s)) }

// Check reports a malformed ensemble: a bias that is not a number, a tree
// deeper than maxDepth or whose questions and leaves do not match in number,
// or a question about a feature outside [0, features). An ensemble that
// passes Check can be scored on vectors of that length without going out of
// bounds.
func (e *Ensemble) Check(features, maxDepth int) error {
	if math.IsNaN(e.Bias) || math.IsInf(e.Bias, 0) {
		return fmt.Errorf("bias %v", e.Bias)
	}
	for i, t := range e.Trees {
		if len(t.Thresholds) != len(t.Features) || len(t.Features) > maxDepth || len(t.Leaves) != 1<<len(t.Features) {
			return fmt.Errorf("tree %d: malformed", i)
		}
		for _, f := range t.Features {
			if f < 0 || f >= features {
				return fmt.Errorf("tree %d: feature %d out of range", i, f)
			}
		}
	}
	return nil
}
