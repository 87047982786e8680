// Command train fits the block model of package extract (see
// extract/model.go and extract/MODEL.md) on the benchmark pages of
// ../shared/bench: the WCXB development split and the AEB pages.
//
//	go run ./extract/pagetype/train -cv-only -fold-models /tmp/pt  # page-type models, one per fold
//	go run ./extract/train -pagetype-folds /tmp/pt   # cross-validate, then write extract/block_model.json
//	go run ./extract/train -pagetype-folds /tmp/pt -cv-only   # cross-validate only
//
// Without -pagetype-folds, pages get their types from the built-in
// page-type model, which was trained on these pages: the figures are then
// optimistic, and the model learns from types better than new pages get.
//
// Every block the rules leave after pruning is a training row. A block is
// labelled content when most of its word 3-grams (all its words, for blocks
// of one or two words) occur in the page's reviewed main text. Rows weigh
// their words, divided by the square root of the page's words, so that long
// pages do not drown short ones (both benchmarks average over pages).
//
// Cross-validation is grouped by host: pages of one site are all in the
// same fold, so a site's template never helps score itself. The threshold
// is chosen on the cross-validated predictions, and the scores printed are
// those of the held-out folds, beside the rules alone on the same pages.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/winnow-corpus/winnow/extract"
	"github.com/winnow-corpus/winnow/extract/benchdata"
	"github.com/winnow-corpus/winnow/internal/gbt"
	"github.com/winnow-corpus/winnow/internal/score"
)

// others are the pages the rules decide (see -route).
var others []*page

type page struct {
	set, id, typ, group, truth string
	samples                    []extract.BlockSample
	labels, weights            []float32
	fold                       int
	samplesType                string // the page type the extractor guessed
	ps                         *extract.PageSamples
}

func main() {
	data := flag.String("data", "../shared/bench", "benchmark data directory")
	out := flag.String("out", "extract/block_model.json", "model file to write")
	folds := flag.Int("folds", 5, "cross-validation folds (grouped by host)")
	cvOnly := flag.Bool("cv-only", false, "cross-validate only; write no model")
	trees := flag.Int("trees", 120, "trees per stage")
	depth := flag.Int("depth", 6, "tree depth")
	rate := flag.Float64("rate", 0.12, "learning rate")
	power := flag.Float64("page-power", 0.5, "row weight = words / page words^power")
	labelsOnly := flag.Bool("labels-only", false, "print the score of the labels themselves (the ceiling) and stop")
	dump := flag.String("dump", "", "write each routed page's cross-validated text and scores to FILE (JSON lines)")
	stack := flag.Bool("stack", true, "train the second stage")
	route := flag.String("route", "article,documentation", "page types (as the extractor guesses them) the model decides; the rules decide the others")
	seed := flag.Uint64("seed", 1, "boosting seed (row subsampling), to tell a gain from boosting noise")
	bound := flag.Bool("bound", false, "also print two bounds that use the answers: each routed page at its own best threshold, and each page scored by the better of the rules and the model")
	ptFolds := flag.String("pagetype-folds", "", "guess each page's type with DIR/fold<k>.json, the page-type model trained without its fold k (go run ./extract/pagetype/train -fold-models DIR), rather than the built-in one, which was trained on these pages")
	flag.Parse()
	if !benchdata.Available(*data) {
		fmt.Printf("train: no benchmark data in %s; nothing to do\n", *data)
		return
	}
	ex, err := extract.New(extract.Config{RulesOnly: true})
	if err != nil {
		log.Fatal(err)
	}
	// With -pagetype-folds, one extractor per fold, each guessing page
	// types with the page-type model trained without that fold.
	var foldEx []*extract.Extractor
	for k := 0; *ptFolds != "" && k < *folds; k++ {
		fe, err := extract.New(extract.Config{RulesOnly: true, PageTypeModel: filepath.Join(*ptFolds, fmt.Sprintf("fold%d.json", k))})
		if err != nil {
			log.Fatal(err)
		}
		foldEx = append(foldEx, fe)
	}
	if *ptFolds == "" {
		fmt.Println("train: no -pagetype-folds: page types come from the built-in page-type model, trained on these pages; the figures are optimistic (see extract/PAGETYPE.md)")
	}
	var pages []*page
	routed := map[string]bool{}
	for _, t := range strings.Split(*route, ",") {
		routed[t] = true
	}
	start := time.Now()
	err = benchdata.Each(*data, benchdata.Filter{}, func(p *benchdata.Page) error {
		ex := ex
		if *ptFolds != "" {
			ex = foldEx[gbt.Fold(gbt.HostGroup(p.URL), *folds)]
		}
		ps := ex.Samples(extract.Decode(p.HTML, "", ""), p.URL)
		pt := ps.PageType
		pg := &page{set: p.Set, id: p.ID, typ: p.Type, group: gbt.HostGroup(p.URL), truth: p.Truth,
			samples: ps.Blocks, samplesType: pt, ps: ps}
		pg.fold = gbt.Fold(pg.group, *folds)
		label(pg, *power)
		if routed[pt] {
			pages = append(pages, pg)
		} else {
			others = append(others, pg)
		}
		return nil
	})
	if err != nil {
		log.Fatal(err)
	}
	nf := len(extract.FeatureNames())
	ns := len(extract.StackFeatureNames())
	rows := 0
	for _, p := range pages {
		rows += len(p.samples)
	}
	log.Printf("%d pages, %d blocks, %d features (%.0fs)", len(pages), rows, nf, time.Since(start).Seconds())

	prm := gbt.Params{Trees: *trees, Depth: *depth, Rate: *rate, L2: 1, Subsample: 0.7, Bins: 64, Seed: *seed}
	if *labelsOnly {
		fmt.Printf("rules alone           %s\n", evaluate(pages, nil, 0))
		or := make([][]float64, len(pages))
		for i, p := range pages {
			or[i] = make([]float64, len(p.labels))
			for k, y := range p.labels {
				or[i][k] = float64(y)
			}
		}
		r := evaluate(pages, or, 0.5)
		fmt.Printf("labels (ceiling)      %s\n%s\n", r, r.table(evaluate(pages, nil, 0)))
		return
	}
	// Stage one out of fold: for the pages of fold g, the model fitted on
	// the pages of the other folds, excluding fold skip as well (-1: none).
	stage1OOF := func(skip int) [][]float64 {
		p1 := make([][]float64, len(pages))
		for g := 0; g < *folds; g++ {
			if g == skip {
				continue
			}
			m := gbt.Fit(dataset(pages, nf, func(p *page) bool { return p.fold != g && p.fold != skip }, nil), prm)
			for i, p := range pages {
				if p.fold == g {
					p1[i] = predict(&m, p, nil)
				}
			}
		}
		return p1
	}
	// Cross-validated probabilities of stage one alone (probs1) and of
	// both stages (probs). For held-out fold f, stage two is trained on
	// stage-one scores that are themselves out of fold within the other
	// folds, so no label of fold f reaches its own prediction.
	probs1 := make([][]float64, len(pages))
	probs := make([][]float64, len(pages))
	for f := 0; f < *folds; f++ {
		inner := stage1OOF(f)
		m1 := gbt.Fit(dataset(pages, nf, func(p *page) bool { return p.fold != f }, nil), prm)
		for i, p := range pages {
			if p.fold == f {
				probs1[i] = predict(&m1, p, nil)
			}
		}
		if !*stack {
			copy(probs, probs1)
			continue
		}
		m2 := gbt.Fit(dataset(pages, nf+ns, func(p *page) bool { return p.fold != f }, inner), prm)
		for i, p := range pages {
			if p.fold == f {
				probs[i] = predict(&m2, p, probs1[i])
			}
		}
		log.Printf("fold %d done (%.0fs)", f, time.Since(start).Seconds())
	}
	rules := evaluate(pages, nil, 0)
	fmt.Printf("rules alone           %s\n", rules)
	fmt.Printf("stage one CV (0.5)    %s\n", evaluate(pages, probs1, 0.5))
	best, bestT := -1.0, 0.5
	for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6} {
		r := evaluate(pages, probs, th)
		fmt.Printf("model CV  threshold %.2f %s\n", th, r)
		if v := r.objective(); v > best {
			best, bestT = v, th
		}
	}
	cv := evaluate(pages, probs, bestT)
	// Gain of the model over the rules by guessed page type.
	gain := map[string]float64{}
	cnt := map[string]int{}
	for _, p := range pages {
		k := p.set + p.id
		gain[p.samplesType] += cv.perPage[k] - rules.perPage[k]
		cnt[p.samplesType]++
	}
	for t, g := range gain {
		fmt.Printf("guessed %-14s %4d pages, model - rules: %+.2f page-F1\n", t, cnt[t], g)
	}
	fmt.Printf("chosen threshold %.2f\n", bestT)
	if *bound {
		printBounds(pages, probs, cv, rules)
		perTypeChoice(pages, probs, rules, *folds)
	}
	if *dump != "" {
		writeDump(*dump, pages, probs, bestT, cv, rules)
	}
	fmt.Println(cv.table(rules))
	if *cvOnly {
		return
	}
	m1 := gbt.Fit(dataset(pages, nf, func(*page) bool { return true }, nil), prm)
	var m2 gbt.Ensemble
	if *stack {
		m2 = gbt.Fit(dataset(pages, nf+ns, func(*page) bool { return true }, stage1OOF(-1)), prm)
	}
	// Leaves rounded to 5 decimals keep the file small.
	round := func(m gbt.Ensemble) gbt.Ensemble {
		for _, t := range m.Trees {
			for i, v := range t.Leaves {
				t.Leaves[i] = float32(math.Round(float64(v)*1e5) / 1e5)
			}
		}
		return m
	}
	file := struct {
		Threshold float64           `json:"threshold"`
		Types     []string          `json:"types"`
		Features  []string          `json:"features"`
		Notes     map[string]string `json:"notes"`
		Stage1    gbt.Ensemble      `json:"stage1"`
		Stage2    gbt.Ensemble      `json:"stage2"`
	}{Threshold: bestT, Types: strings.Split(*route, ","), Features: append(extract.FeatureNames(), extract.StackFeatureNames()...), Notes: map[string]string{
		"data":    "WCXB dev split (CC-BY-4.0) and AEB (MIT), ../shared/bench; see extract/MODEL.md",
		"params":  fmt.Sprintf("trees %d depth %d rate %g subsample %g page-power %g", prm.Trees, prm.Depth, prm.Rate, prm.Subsample, *power),
		"cv":      fmt.Sprintf("%d-fold grouped by host: %s (rules alone: %s)", *folds, cv, rules),
		"command": "go run ./extract/train",
	}, Stage1: round(m1), Stage2: round(m2)}
	b, err := json.Marshal(file)
	if err != nil {
		log.Fatal(err)
	}
	if err := os.WriteFile(*out, append(b, '\n'), 0o644); err != nil {
		log.Fatal(err)
	}
	log.Printf("wrote %s (%d bytes)", *out, len(b))
}

// label sets the labels and weights of a page's blocks.
func label(p *page, power float64) {
	truth := lower(score.Words(p.truth))
	uni := make(map[string]bool, len(truth))
	tri := make(map[string]bool, len(truth))
	bi := make(map[string]bool, len(truth))
	for i, w := range truth {
		uni[w] = true
		if i+1 < len(truth) {
			bi[w+" "+truth[i+1]] = true
		}
		if i+2 < len(truth) {
			tri[w+" "+truth[i+1]+" "+truth[i+2]] = true
		}
	}
	words := 0
	toks := make([][]string, len(p.samples))
	for k, s := range p.samples {
		toks[k] = lower(score.Words(s.Text))
		words += len(toks[k])
	}
	norm := math.Pow(float64(max(words, 1)), power)
	p.labels = make([]float32, len(p.samples))
	p.weights = make([]float32, len(p.samples))
	for k, ws := range toks {
		var y bool
		switch len(ws) {
		case 0:
		case 1:
			y = uni[ws[0]]
		case 2:
			y = bi[ws[0]+" "+ws[1]]
		default:
			hit := 0
			for i := 0; i+2 < len(ws); i++ {
				if tri[ws[i]+" "+ws[i+1]+" "+ws[i+2]] {
					hit++
				}
			}
			y = float64(hit) >= 0.5*float64(len(ws)-2)
		}
		if y {
			p.labels[k] = 1
		}
		p.weights[k] = float32(float64(len(ws)+1) / norm)
	}
}

func lower(ws []string) []string {
	for i := range ws {
		ws[i] = strings.ToLower(ws[i])
	}
	return ws
}

// dataset returns the rows of the pages keep accepts: their features and,
// with p1 (first-stage probabilities by page) not nil, the second-stage
// features after them.
func dataset(pages []*page, nf int, keep func(*page) bool, p1 [][]float64) *gbt.Data {
	d := &gbt.Data{F: nf}
	for i, p := range pages {
		if !keep(p) {
			continue
		}
		var sx []float32
		ns := nf - len(extract.FeatureNames())
		if p1 != nil {
			sx = extract.StackFeatures(p.samples, p1[i])
		}
		for k, s := range p.samples {
			if p1 == nil {
				d.Append(s.Features, p.labels[k:k+1], p.weights[k:k+1])
				continue
			}
			row := append(append(make([]float32, 0, nf), s.Features...), sx[k*ns:(k+1)*ns]...)
			d.Append(row, p.labels[k:k+1], p.weights[k:k+1])
		}
	}
	return d
}

type ensemble interface{ Prob([]float32) float64 }

// predict scores a page's blocks with m: a first-stage model when p1 is
// nil, else a second-stage model given the first stage's scores p1.
func predict(m ensemble, p *page, p1 []float64) []float64 {
	out := make([]float64, len(p.samples))
	var sx []float32
	ns := len(extract.StackFeatureNames())
	if p1 != nil {
		sx = extract.StackFeatures(p.samples, p1)
	}
	for k, s := range p.samples {
		if p1 == nil {
			out[k] = m.Prob(s.Features)
			continue
		}
		row := append(append([]float32(nil), s.Features...), sx[k*ns:(k+1)*ns]...)
		out[k] = m.Prob(row)
	}
	return out
}

// result is a set of scores on the pages.
type result struct {
	aeb               score.AEBTotal
	wcxb              float64
	wcxbN             int
	typeF             map[string]float64
	typeN             map[string]int
	perPage           map[string]float64
	wcxbP, wcxbR      float64
	aebP, aebR, aebF1 float64
}

func (r result) String() string {
	return fmt.Sprintf("AEB F1 %.4f  WCXB F1 %.4f (P %.3f R %.3f)", r.aebF1, r.wcxb/float64(r.wcxbN),
		r.wcxbP/float64(r.wcxbN), r.wcxbR/float64(r.wcxbN))
}

// objective is what the threshold maximises: both benchmarks' F1.
func (r result) objective() float64 { return r.aebF1 + r.wcxb/float64(r.wcxbN) }

func (r result) table(base result) string {
	var sb strings.Builder
	types := make([]string, 0, len(r.typeN))
	for t := range r.typeN {
		types = append(types, t)
	}
	sort.Strings(types)
	fmt.Fprintf(&sb, "%-14s %5s %8s %8s\n", "type", "pages", "rules", "model")
	for _, t := range types {
		n := float64(r.typeN[t])
		fmt.Fprintf(&sb, "%-14s %5d %8.3f %8.3f\n", t, r.typeN[t], base.typeF[t]/n, r.typeF[t]/n)
	}
	up, down := 0, 0
	for k, v := range r.perPage {
		switch d := v - base.perPage[k]; {
		case d > 0.01:
			up++
		case d < -0.01:
			down++
		}
	}
	fmt.Fprintf(&sb, "pages up %d, down %d (by more than 0.01 F1)", up, down)
	return sb.String()
}

// evaluate scores the pages keeping the blocks whose probability reaches
// th, or, with probs nil, the blocks the rules keep; the pages of types the
// model does not decide (others) are scored as the rules have them.
func evaluate(pages []*page, probs [][]float64, th float64) result {
	r := result{typeF: map[string]float64{}, typeN: map[string]int{}, perPage: map[string]float64{}}
	for i, p := range append(pages[:len(pages):len(pages)], others...) {
		// The model decides the routed pages, as in Extract.
		var keep []bool
		if probs != nil && i < len(pages) {
			keep = make([]bool, len(p.samples))
			for k := range keep {
				keep[k] = probs[i][k] >= th
			}
		}
		pred := p.ps.Text(keep)
		if p.set == benchdata.AEB {
			tp, fp, fn := score.AEBCounts(pred, p.truth)
			r.aeb.Add(tp, fp, fn)
			var one score.AEBTotal
			one.Add(tp, fp, fn)
			_, _, f := one.PRF()
			r.perPage[p.set+p.id] = f
			continue
		}
		pr, rc, f := score.WordPRF(pred, p.truth)
		r.wcxb += f
		r.wcxbP += pr
		r.wcxbR += rc
		r.wcxbN++
		r.typeF[p.typ] += f
		r.typeN[p.typ]++
		r.perPage[p.set+p.id] = f
	}
	r.aebP, r.aebR, r.aebF1 = r.aeb.PRF()
	return r
}

// writeDump writes, for each routed page, the text the cross-validated
// model keeps and the blocks it drops and adds against the rules.
func writeDump(path string, pages []*page, probs [][]float64, th float64, cv, rules result) {
	f, err := os.Create(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	for i, p := range pages {
		var dropped, added []string
		for k, s := range p.samples {
			keep := probs[i][k] >= th
			if s.Kept && !keep {
				dropped = append(dropped, fmt.Sprintf("%.2f %s", probs[i][k], s.Text))
			}
			if !s.Kept && keep {
				added = append(added, fmt.Sprintf("%.2f %s", probs[i][k], s.Text))
			}
		}
		k := p.set + p.id
		enc.Encode(map[string]any{"set": p.set, "id": p.id, "type": p.typ, "model": cv.perPage[k], "rules": rules.perPage[k],
			"dropped": dropped, "added": added})
	}
}

// printBounds prints what no choice of a threshold or of a router could
// beat with these cross-validated probabilities: every routed page kept at
// the threshold that scores best against its own answers, and every page
// scored by the better of the rules' text and the model's (an oracle
// router). Both read the answers, so they are bounds, not extractors.
func printBounds(pages []*page, probs [][]float64, cv, rules result) {
	best := make([][]float64, len(pages))
	for i, p := range pages {
		bestF, bestK := -1.0, []float64(nil)
		for th := 0.05; th < 1; th += 0.05 {
			keep := make([]bool, len(p.samples))
			k01 := make([]float64, len(p.samples))
			for k := range keep {
				keep[k] = probs[i][k] >= th
				if keep[k] {
					k01[k] = 1
				}
			}
			pred := p.ps.Text(keep)
			var f float64
			if p.set == benchdata.AEB {
				var one score.AEBTotal
				one.Add(score.AEBCounts(pred, p.truth))
				_, _, f = one.PRF()
			} else {
				_, _, f = score.WordPRF(pred, p.truth)
			}
			if f > bestF {
				bestF, bestK = f, k01
			}
		}
		best[i] = bestK
	}
	b := evaluate(pages, best, 0.5)
	fmt.Printf("(bound) best threshold per page  %s\n%s\n", b, b.table(rules))
	sum := map[string]float64{}
	n := map[string]int{}
	var all float64
	var allN int
	for _, p := range append(pages[:len(pages):len(pages)], others...) {
		if p.set == benchdata.AEB {
			continue
		}
		k := p.set + p.id
		f := max(cv.perPage[k], rules.perPage[k])
		sum[p.typ] += f
		n[p.typ]++
		all += f
		allN++
	}
	fmt.Printf("(bound) better of rules and model per page: WCXB F1 %.4f\n", all/float64(allN))
	for _, t := range []string{"article", "documentation", "service", "forum", "listing", "collection", "product"} {
		if n[t] > 0 {
			fmt.Printf("  %-14s %.3f\n", t, sum[t]/float64(n[t]))
		}
	}
}

// perTypeChoice measures a router that picks, for each guessed page type,
// the rules or the model at one of several thresholds, choosing on the
// pages of the other folds (nested, grouped by host as the folds are). It
// prints the WCXB F1 and the mean per-page AEB F1 it gives out of fold.
func perTypeChoice(pages []*page, probs [][]float64, rules result, folds int) {
	ths := []float64{0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7}
	opt := make([]map[string]float64, len(ths)+1) // option 0: the rules
	opt[0] = rules.perPage
	for j, th := range ths {
		opt[j+1] = evaluate(pages, probs, th).perPage
	}
	var nW, nA float64
	for _, p := range pages {
		if p.set == benchdata.AEB {
			nA++
		} else {
			nW++
		}
	}
	w := func(p *page) float64 {
		if p.set == benchdata.AEB {
			return 1 / nA
		}
		return 1 / nW
	}
	var wcxb, aeb float64
	byType := map[string]float64{}
	cntType := map[string]int{}
	for f := 0; f < folds; f++ {
		sum := map[string][]float64{}
		for _, p := range pages {
			if p.fold == f {
				continue
			}
			if sum[p.samplesType] == nil {
				sum[p.samplesType] = make([]float64, len(opt))
			}
			for j := range opt {
				sum[p.samplesType][j] += w(p) * opt[j][p.set+p.id]
			}
		}
		pick := map[string]int{}
		var picks []string
		for t, v := range sum {
			b := 0
			for j := range v {
				if v[j] > v[b] {
					b = j
				}
			}
			pick[t] = b
			name := "rules"
			if b > 0 {
				name = fmt.Sprintf("%.2f", ths[b-1])
			}
			picks = append(picks, t+"="+name)
		}
		sort.Strings(picks)
		fmt.Printf("fold %d picks: %s\n", f, strings.Join(picks, " "))
		for _, p := range pages {
			if p.fold != f {
				continue
			}
			v := opt[pick[p.samplesType]][p.set+p.id]
			if p.set == benchdata.AEB {
				aeb += v
				continue
			}
			wcxb += v
			byType[p.typ] += v
			cntType[p.typ]++
		}
	}
	fmt.Printf("per-type choice, nested CV: WCXB F1 %.4f, AEB mean page F1 %.4f\n", wcxb/nW, aeb/nA)
	for _, t := range []string{"article", "documentation", "service", "forum", "listing", "collection", "product"} {
		if cntType[t] > 0 {
			fmt.Printf("  %-14s %.3f\n", t, byType[t]/float64(cntType[t]))
		}
	}
}
