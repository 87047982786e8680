// Command train fits the page-type model of package extract (see
// extract/pagetype.go and extract/PAGETYPE.md) on the benchmark pages of
// ../shared/bench: the WCXB development split, whose metadata gives each
// page's type, and the AEB pages, all articles.
//
//	go run ./extract/pagetype/train             # cross-validate, then write extract/pagetype_model.json
//	go run ./extract/pagetype/train -cv-only    # cross-validate only
//
// One ensemble of boosted trees per type learns that type against the rest.
// Cross-validation is grouped by host: the pages of one site are all in the
// same fold, so a site's template never helps classify itself. The figures
// printed are those of the held-out folds, beside the hand-written rules'
// guess on the same pages.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/winnow-corpus/winnow/extract"
	"github.com/winnow-corpus/winnow/extract/benchdata"
	"github.com/winnow-corpus/winnow/internal/gbt"
)

type page struct {
	set, id, typ, group string
	x                   []float32
	rule, guess         string
	fold                int
}

func main() {
	data := flag.String("data", "../shared/bench", "benchmark data directory")
	out := flag.String("out", "extract/pagetype_model.json", "model file to write")
	folds := flag.Int("folds", 5, "cross-validation folds (grouped by host)")
	cvOnly := flag.Bool("cv-only", false, "cross-validate only; write no model")
	trees := flag.Int("trees", 150, "trees per type")
	depth := flag.Int("depth", 4, "tree depth")
	rate := flag.Float64("rate", 0.08, "learning rate")
	threshold := flag.Float64("threshold", 0, "below this probability of the best type the page is \"page\" (unknown)")
	balance := flag.Float64("balance", 0.5, "row weight = (pages of the type)^-balance, scaled to mean 1")
	foldDir := flag.String("fold-models", "", "also write to DIR, for each fold k, the model trained without fold k (fold<k>.json), for go run ./extract/train -pagetype-folds DIR")
	flag.Parse()
	if !benchdata.Available(*data) {
		fmt.Printf("train: no benchmark data in %s; nothing to do\n", *data)
		return
	}
	ex, err := extract.New(extract.Config{RulesOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	types := extract.PageTypes()
	nf := len(extract.PageTypeFeatureNames())
	var pages []*page
	start := time.Now()
	err = benchdata.Each(*data, benchdata.Filter{}, func(p *benchdata.Page) error {
		s := ex.PageTypeSample(extract.Decode(p.HTML, "", ""), p.URL)
		pg := &page{set: p.Set, id: p.ID, typ: p.Type, group: gbt.HostGroup(p.URL), x: s.Features, rule: s.Rule, guess: s.Guess}
		pg.fold = gbt.Fold(pg.group, *folds)
		pages = append(pages, pg)
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("%d pages, %d features (%.0fs)", len(pages), nf, time.Since(start).Seconds())

	count := map[string]int{}
	for _, p := range pages {
		count[p.typ]++
	}
	weight := func(p *page) float32 { return float32(math.Pow(float64(count[p.typ]), -*balance)) }
	var wsum float64
	for _, p := range pages {
		wsum += float64(weight(p))
	}
	wscale := float32(float64(len(pages)) / wsum)
	prm := gbt.Params{Trees: *trees, Depth: *depth, Rate: *rate, L2: 1, Subsample: 0.8, Bins: 64, Seed: 1}
	fit := func(keep func(*page) bool) []gbt.Ensemble {
		ms := make([]gbt.Ensemble, len(types))
		for c, ty := range types {
			d := &gbt.Data{F: nf}
			for _, p := range pages {
				if !keep(p) {
					continue
				}
				y := float32(0)
				if p.typ == ty {
					y = 1
				}
				d.Append(p.x, []float32{y}, []float32{weight(p) * wscale})
			}
			ms[c] = gbt.Fit(d, prm)
		}
		return ms
	}
	best := make([]string, len(pages))
	bestP := make([]float64, len(pages))
	for f := 0; f < *folds; f++ {
		ms := fit(func(p *page) bool { return p.fold != f })
		if *foldDir != "" {
			writeModel(filepath.Join(*foldDir, fmt.Sprintf("fold%d.json", f)), ms, *threshold, prm, *balance, nil)
		}
		for i, p := range pages {
			if p.fold != f {
				continue
			}
			best[i], bestP[i] = "page", -1
			for c := range ms {
				if pr := ms[c].Prob(p.x); pr > bestP[i] {
					best[i], bestP[i] = types[c], pr
				}
			}
		}
	}
	rule := make([]string, len(pages))
	shipped := make([]string, len(pages))
	cv := make([]string, len(pages))
	for i, p := range pages {
		rule[i], shipped[i] = p.rule, p.guess
		cv[i] = best[i]
		if bestP[i] < *threshold {
			cv[i] = "page"
		}
	}
	report("rules (pageType)", pages, rule, types)
	report("shipped model (in-sample if trained on these pages)", pages, shipped, types)
	report(fmt.Sprintf("model, %d-fold CV grouped by host, threshold %.2f", *folds, *threshold), pages, cv, types)
	fmt.Println("coverage and accuracy of the CV guess by threshold (WCXB+AEB; below it: \"page\")")
	for _, th := range []float64{0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7} {
		n, right, wrong := 0, 0, 0
		for i, p := range pages {
			if bestP[i] < th {
				continue
			}
			n++
			if best[i] == p.typ {
				right++
			} else {
				wrong++
			}
		}
		fmt.Printf("  %.1f: guessed %4d of %d (%.1f%%), right %.1f%% of guesses, wrong guesses %d\n", th, n, len(pages),
			100*float64(n)/float64(len(pages)), 100*float64(right)/float64(max(n, 1)), wrong)
	}
	if *cvOnly {
		return
	}
	ms := fit(func(*page) bool { return true })
	writeModel(*out, ms, *threshold, prm, *balance, map[string]string{
		"cv": fmt.Sprintf("%d-fold grouped by host: accuracy %s", *folds, accuracy(pages, cv))})
}

// writeModel writes a model file.
func writeModel(path string, ms []gbt.Ensemble, threshold float64, prm gbt.Params, balance float64, notes map[string]string) {
	for _, m := range ms {
		for _, t := range m.Trees {
			for i, v := range t.Leaves {
				t.Leaves[i] = float32(math.Round(float64(v)*1e4) / 1e4)
			}
		}
	}
	file := struct {
		Threshold float64           `json:"threshold"`
		Types     []string          `json:"types"`
		Features  []string          `json:"features"`
		Notes     map[string]string `json:"notes"`
		Models    []gbt.Ensemble    `json:"models"`
	}{Threshold: threshold, Types: extract.PageTypes(), Features: extract.PageTypeFeatureNames(), Notes: map[string]string{
		"data":    "WCXB dev split (CC-BY-4.0) and AEB (MIT), ../shared/bench; see extract/PAGETYPE.md",
		"params":  fmt.Sprintf("one-vs-rest, trees %d depth %d rate %g subsample %g balance %g", prm.Trees, prm.Depth, prm.Rate, prm.Subsample, balance),
		"command": "go run ./extract/pagetype/train",
	}, Models: ms}
	for k, v := range notes {
		file.Notes[k] = v
	}
	b, err := json.Marshal(file)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", path, len(b))
}

func accuracy(pages []*page, guess []string) string {
	var w, wn, a, an int
	for i, p := range pages {
		if p.set == benchdata.AEB {
			an++
			if guess[i] == p.typ {
				a++
			}
			continue
		}
		wn++
		if guess[i] == p.typ {
			w++
		}
	}
	return fmt.Sprintf("WCXB %.3f (%d/%d), AEB %.3f (%d/%d)", float64(w)/float64(max(wn, 1)), w, wn,
		float64(a)/float64(max(an, 1)), a, an)
}

// report prints the accuracy, the confusion matrix (rows: true type,
// columns: guess) and per-type recall and precision on WCXB.
func report(name string, pages []*page, guess []string, types []string) {
	fmt.Printf("== %s: accuracy %s\n", name, accuracy(pages, guess))
	cols := append(slices.Clone(types), "page")
	conf := map[[2]string]int{}
	for i, p := range pages {
		if p.set == benchdata.WCXB {
			conf[[2]string{p.typ, guess[i]}]++
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "%-14s", "WCXB true\\guess")
	for _, c := range cols {
		fmt.Fprintf(&sb, "%6.5s", c)
	}
	fmt.Fprintf(&sb, " %7s %7s\n", "recall", "precis.")
	for _, r := range types {
		fmt.Fprintf(&sb, "%-15s", r)
		n, guessed := 0, 0
		for _, c := range cols {
			fmt.Fprintf(&sb, "%6d", conf[[2]string{r, c}])
			n += conf[[2]string{r, c}]
		}
		for _, r2 := range types {
			guessed += conf[[2]string{r2, r}]
		}
		fmt.Fprintf(&sb, " %7.3f %7.3f\n", float64(conf[[2]string{r, r}])/float64(max(n, 1)),
			float64(conf[[2]string{r, r}])/float64(max(guessed, 1)))
	}
	fmt.Print(sb.String())
}
