package dedupbench

import (
	"fmt"
	"io"
	"runtime"

	"github.com/winnow-corpus/winnow/dedup/minhash"
)

// A JBand is a range [Lo, Hi) of true Jaccard similarity and what became of
// the planted pairs in it.
type JBand struct {
	Lo, Hi float64
	Pairs  int
	// Caught counts pairs whose two documents ended in one cluster (so that
	// one was removed as a duplicate of the kept one); Collided counts pairs
	// that share a band key directly (the pure LSH event, without chains).
	Caught, Collided int
	// Theory is the mean over the band's pairs of 1−(1−J^r)^b.
	Theory float64
}

// AccuracyReport is the outcome of Accuracy.
type AccuracyReport struct {
	Config    minhash.Config
	Docs      int
	Removed   int
	Bands     []JBand
	AtLeast85 JBand // all pairs with J ≥ 0.85
	// BadRemovals counts removed documents whose kept document has a
	// Jaccard similarity under 0.6 with them (chained into a cluster
	// without a close kept near duplicate).
	BadRemovals int
	// CrossFamily counts removed documents kept in favour of a document
	// planted from another page (natural near duplicates among the pages).
	CrossFamily int
}

// bandEdges are the lower edges of the reported Jaccard bands.
var bandEdges = []float64{0, 0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0000001}

// Accuracy runs the MinHash stage over docs and scores it against the exact
// Jaccard similarity of every pair of documents planted from one page, and
// of every removed document with the document kept in its place.
func Accuracy(docs []Doc, cfg minhash.Config, workDir string) (*AccuracyReport, error) {
	recs := Records(docs)
	keep, stage, err := runStage(cfg, recs, workDir, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	defer stage.Close()
	h := stage.Hasher
	byID := make(map[string]int, len(docs))
	for i, d := range docs {
		byID[d.ID] = i
	}
	// cluster[i] is the kept document standing for document i.
	cluster := make([]int, len(docs))
	rep := &AccuracyReport{Config: cfg, Docs: len(docs)}
	sets := make([][]uint64, len(docs))
	keys := make([][]uint64, len(docs))
	for i, d := range docs {
		sets[i] = h.ShingleSet(d.Text)
		keys[i] = h.Keys(nil, d.Text, "")
		cluster[i] = i
		if !keep[i] {
			rep.Removed++
			k, ok := byID[recs[i].Rejection.DuplicateOf]
			if !ok {
				return nil, fmt.Errorf("doc %s: duplicate of unknown %q", d.ID, recs[i].Rejection.DuplicateOf)
			}
			cluster[i] = k
		}
	}
	for i := range docs {
		if k := cluster[i]; k != i {
			if minhash.Jaccard(sets[i], sets[k]) < 0.6 {
				rep.BadRemovals++
			}
			if docs[k].Family != docs[i].Family {
				rep.CrossFamily++
			}
		}
	}
	for i := range len(bandEdges) - 1 {
		rep.Bands = append(rep.Bands, JBand{Lo: bandEdges[i], Hi: bandEdges[i+1]})
	}
	rep.AtLeast85 = JBand{Lo: 0.85, Hi: bandEdges[len(bandEdges)-1]}
	families := map[int][]int{}
	for i, d := range docs {
		families[d.Family] = append(families[d.Family], i)
	}
	for _, members := range families {
		for x := 0; x < len(members); x++ {
			for y := x + 1; y < len(members); y++ {
				a, b := members[x], members[y]
				if len(sets[a]) == 0 || len(sets[b]) == 0 {
					continue
				}
				j := minhash.Jaccard(sets[a], sets[b])
				caught := cluster[a] == cluster[b]
				collided := shareKey(keys[a], keys[b])
				p := minhash.Probability(j, cfg.Bands, cfg.Rows)
				for bi := range rep.Bands {
					if j >= rep.Bands[bi].Lo && j < rep.Bands[bi].Hi {
						rep.Bands[bi].add(caught, collided, p)
					}
				}
				if j >= 0.85 {
					rep.AtLeast85.add(caught, collided, p)
				}
			}
		}
	}
	return rep, nil
}

func (b *JBand) add(caught, collided bool, p float64) {
	b.Pairs++
	if caught {
		b.Caught++
	}
	if collided {
		b.Collided++
	}
	b.Theory += p
}

// shareKey reports whether two documents' band keys agree in some band.
func shareKey(a, b []uint64) bool {
	for i := range min(len(a), len(b)) {
		if a[i] == b[i] {
			return true
		}
	}
	return false
}

func pct(n, d int) string {
	if d == 0 {
		return "     -"
	}
	return fmt.Sprintf("%5.1f%%", 100*float64(n)/float64(d))
}

// Print writes the report as a table, with the targets.
func (r *AccuracyReport) Print(w io.Writer) {
	c := r.Config
	fmt.Fprintf(w, "MinHash LSH: %s %d-grams, %d bands x %d rows, seed %d, verify threshold %.2f; %d documents, %d removed\n",
		c.Shingle, c.ShingleSize, c.Bands, c.Rows, c.Seed, c.VerifyThreshold, r.Docs, r.Removed)
	fmt.Fprintf(w, "%-12s %7s %8s %9s %8s\n", "Jaccard", "pairs", "caught", "collided", "theory")
	row := func(label string, b JBand) {
		theory := "     -"
		if b.Pairs > 0 {
			theory = fmt.Sprintf("%5.1f%%", 100*b.Theory/float64(b.Pairs))
		}
		fmt.Fprintf(w, "%-12s %7d %8s %9s %8s\n", label, b.Pairs, pct(b.Caught, b.Pairs), pct(b.Collided, b.Pairs), theory)
	}
	for _, b := range r.Bands {
		row(fmt.Sprintf("[%.2f,%.2f)", b.Lo, min(b.Hi, 1)), b)
	}
	row(">= 0.85", r.AtLeast85)
	fmt.Fprintln(w, "caught: both in one cluster (chains included); collided: a shared band key; theory: mean 1-(1-J^r)^b")
	b8085 := r.Bands[5]
	check := func(ok bool) string {
		if ok {
			return "met"
		}
		return "MISSED"
	}
	fmt.Fprintf(w, "target >= 99%% caught at J >= 0.85: %s (%s)\n", pct(r.AtLeast85.Caught, r.AtLeast85.Pairs),
		check(r.AtLeast85.Pairs > 0 && 100*r.AtLeast85.Caught >= 99*r.AtLeast85.Pairs))
	fmt.Fprintf(w, "target >= 90%% caught at J 0.80-0.85: %s (%s)\n", pct(b8085.Caught, b8085.Pairs),
		check(b8085.Pairs > 0 && 10*b8085.Caught >= 9*b8085.Pairs))
	fmt.Fprintf(w, "target <= 0.5%% of documents removed without a kept near duplicate at J >= 0.6: %s (%d of %d; %s)\n",
		pct(r.BadRemovals, r.Docs), r.BadRemovals, r.Docs, check(200*r.BadRemovals <= r.Docs))
	fmt.Fprintf(w, "removed in favour of a document from another page (natural near duplicates): %d\n", r.CrossFamily)
}
