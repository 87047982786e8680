package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/net/html"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/extract"
	"github.com/winnow-corpus/winnow/extract/benchdata"
	"github.com/winnow-corpus/winnow/internal/score"
	"github.com/winnow-corpus/winnow/record"
)

// `winnow bench extract` scores the extractor on the two public extraction
// benchmarks (AEB and WCXB dev, see ../shared/bench/README.md for the metric
// definitions, implemented in internal/score) and times it on one goroutine
// against a reference measured in the same run: parsing the same pages with
// golang.org/x/net/html and nothing else.
//
// With --compare it also runs go-trafilatura v1.12.2 (default options, and
// with its fallback extractors on) on the same pages. go-trafilatura lives in
// a separate module, bench/trafilatura, so it never enters winnow's go.mod:
// the command runs `go run .` in that folder, which writes every page's
// prediction and its total timings as JSON; the scores are then computed here,
// with the same code as winnow's. The go-trafilatura process runs first and
// alone, then winnow and the parse reference run interleaved page by page, so
// that machine noise hits both alike.

var benchExtractFlags struct {
	data        string
	sets        []string
	types       []string
	ids         []string
	limit       int
	compare     bool
	compareJSON string
	saveCompare string
	dump        string
	worst       int
	rulesOnly   bool
	clean       bool
	cleanModel  bool
}

var benchExtractCmd = &cobra.Command{
	Use: "extract",
	Example: `  winnow bench extract
  winnow bench extract --set wcxb --type product --worst 10
  winnow bench extract --compare          # beside go-trafilatura (bench/trafilatura, go run)`,
	Short: "Score and time HTML extraction on AEB and WCXB dev (optionally beside go-trafilatura)",
	Long: `extract runs the extractor over the AEB (181 pages) and WCXB dev (1,358 pages)
benchmarks and prints, per benchmark, F1/precision/recall as the benchmarks
define them (AEB: 4-word shingles, averaged per page; WCXB: bag of words, mean
per page, per page type, and the with/without snippet rates), and the speed in
pages/s on one goroutine beside parsing alone with golang.org/x/net/html.

--compare also runs go-trafilatura v1.12.2, default and with fallbacks, from the
separate module bench/trafilatura (needs the Go toolchain; the first run
downloads its modules), and prints its scores and speed in the same tables.

The built-in block model (extract/block_model.json) was trained on these dev
pages, so winnow's rows are partly in-sample; --rules-only turns it off. The
cross-validated figures (5 folds grouped by host) come from
go run ./extract/pagetype/train -cv-only -fold-models /tmp/pt &&
go run ./extract/train -pagetype-folds /tmp/pt -cv-only.`,
	Args: cobra.NoArgs,
	RunE: runBenchExtract,
}

func init() {
	f := benchExtractCmd.Flags()
	f.StringVar(&benchExtractFlags.data, "data", "../shared/bench", "benchmark data directory")
	f.StringSliceVar(&benchExtractFlags.sets, "set", nil, "benchmarks to run: aeb, wcxb (default both)")
	f.StringSliceVar(&benchExtractFlags.types, "type", nil, "WCXB page types to run (default all)")
	f.StringSliceVar(&benchExtractFlags.ids, "id", nil, "page ids to run (default all)")
	f.IntVar(&benchExtractFlags.limit, "limit", 0, "at most N pages per benchmark (0: all)")
	f.BoolVar(&benchExtractFlags.compare, "compare", false, "also run go-trafilatura (go run in bench/trafilatura)")
	f.StringVar(&benchExtractFlags.compareJSON, "compare-json", "", "read go-trafilatura's output from FILE instead of running it (its timings are then from another run)")
	f.StringVar(&benchExtractFlags.saveCompare, "save-compare", "", "with --compare, also save go-trafilatura's output to FILE")
	f.StringVar(&benchExtractFlags.dump, "dump", "", "write each page's prediction and scores to FILE (JSON lines)")
	f.IntVar(&benchExtractFlags.worst, "worst", 0, "list the N WCXB pages with the lowest F1")
	f.BoolVar(&benchExtractFlags.rulesOnly, "rules-only", false, "turn the block model off (extract's rules_only): the rules alone, as on pages the model never saw")
	f.BoolVar(&benchExtractFlags.clean, "clean", false, "also score winnow's text after the clean stage, as the default recipe runs it on extracted records (phrase rules only; the template signal needs a corpus)")
	f.BoolVar(&benchExtractFlags.cleanModel, "clean-model", false, "with --clean, run the line model on the extracted text too (the clean stage's model_on_extracted)")
	benchCmd.AddCommand(benchExtractCmd)
}

// trafOutput is what bench/trafilatura writes.
type trafOutput struct {
	Tool            string  `json:"tool"`
	Pages           int     `json:"pages"`
	Bytes           int64   `json:"bytes"`
	DefaultSeconds  float64 `json:"default_seconds"`
	FallbackSeconds float64 `json:"fallback_seconds"`
	Results         []struct {
		Set      string `json:"set"`
		ID       string `json:"id"`
		Default  string `json:"default"`
		Fallback string `json:"fallback"`
	} `json:"results"`
}

// tally accumulates one tool's scores.
type tally struct {
	aeb                  score.AEBTotal
	aebPages, aebExact   int
	wPages               int
	wP, wR, wF           float64
	withFound, withTotal int
	woFound, woTotal     int
	typeN                map[string]int
	typeF, typeP, typeR  map[string]float64
}

func newTally() *tally {
	return &tally{typeN: map[string]int{}, typeF: map[string]float64{}, typeP: map[string]float64{}, typeR: map[string]float64{}}
}

// add scores one prediction and returns its page F1 (AEB: from the page's
// shingle counts).
func (t *tally) add(p *benchdata.Page, pred string) (prec, rec, f1 float64) {
	if p.Set == benchdata.AEB {
		tp, fp, fn := score.AEBCounts(pred, p.Truth)
		t.aeb.Add(tp, fp, fn)
		t.aebPages++
		if score.Accuracy(pred, p.Truth) {
			t.aebExact++
		}
		var one score.AEBTotal
		one.Add(tp, fp, fn)
		return one.PRF()
	}
	prec, rec, f1 = score.WordPRF(pred, p.Truth)
	t.wPages++
	t.wP += prec
	t.wR += rec
	t.wF += f1
	t.typeN[p.Type]++
	t.typeF[p.Type] += f1
	t.typeP[p.Type] += prec
	t.typeR[p.Type] += rec
	t.withFound += score.Snippets(pred, p.With)
	t.withTotal += len(p.With)
	t.woFound += score.Snippets(pred, p.Without)
	t.woTotal += len(p.Without)
	return prec, rec, f1
}

type pageScore struct {
	id, typ string
	p, r, f float64
}

func runBenchExtract(cmd *cobra.Command, _ []string) error {
	o := benchExtractFlags
	w := cmd.OutOrStdout()
	if !benchdata.Available(o.data) {
		fmt.Fprintf(w, "bench extract: no benchmark data in %s (want aeb/ and wcxb-dev/); skipping\n", o.data)
		return nil
	}
	data, err := filepath.Abs(o.data)
	if err != nil {
		return err
	}
	filter := benchdata.Filter{Sets: o.sets, Types: o.types, IDs: o.ids, Limit: o.limit}

	var traf *trafOutput
	switch {
	case o.compare:
		fmt.Fprintln(w, "running go-trafilatura (go run in bench/trafilatura) ...")
		if traf, err = runTrafilatura(data, filter, o.saveCompare); err != nil {
			return err
		}
	case o.compareJSON != "":
		b, err := os.ReadFile(o.compareJSON)
		if err != nil {
			return err
		}
		traf = new(trafOutput)
		if err := json.Unmarshal(b, traf); err != nil {
			return fmt.Errorf("%s: %w", o.compareJSON, err)
		}
	}
	trafBy := map[string]int{}
	if traf != nil {
		for i, r := range traf.Results {
			trafBy[r.Set+"/"+r.ID] = i
		}
	}

	cfg := extract.DefaultConfig()
	cfg.RulesOnly = o.rulesOnly
	ex, err := extract.New(cfg)
	if err != nil {
		return err
	}
	var cleaner *clean.Cleaner
	if o.clean || o.cleanModel {
		ccfg := clean.DefaultConfig()
		ccfg.ModelOnExtracted = o.cleanModel
		if cleaner, err = clean.New(ccfg); err != nil {
			return err
		}
	}
	var dump io.Writer
	if o.dump != "" {
		f, err := os.Create(o.dump)
		if err != nil {
			return err
		}
		defer f.Close()
		dump = f
	}
	win, winClean, tDef, tFb := newTally(), newTally(), newTally(), newTally()
	var tParse, tWin time.Duration
	var pages, trafPages int
	var nbytes int64
	var worst []pageScore
	err = benchdata.Each(data, filter, func(p *benchdata.Page) error {
		start := time.Now()
		doc, _ := html.ParseWithOptions(bytes.NewReader(p.HTML), html.ParseOptionEnableScripting(false))
		tParse += time.Since(start)
		_ = doc
		start = time.Now()
		res, _ := ex.Extract(extract.Decode(p.HTML, "", ""), p.URL)
		tWin += time.Since(start)
		pages++
		nbytes += int64(len(p.HTML))
		pr, rc, f1 := win.add(p, res.Text)
		if cleaner != nil {
			// As the clean stage sees an extracted record.
			r := &record.Record{Text: res.Text}
			r.SetMeta(record.MetaExtractConfidence, res.Confidence)
			if !cleaner.Process(r) {
				r.Text = ""
			}
			winClean.add(p, r.Text)
		}
		if p.Set == benchdata.WCXB {
			worst = append(worst, pageScore{p.ID, p.Type, pr, rc, f1})
		}
		if dump != nil {
			b, _ := json.Marshal(map[string]any{"set": p.Set, "id": p.ID, "type": p.Type, "url": p.URL,
				"p": pr, "r": rc, "f1": f1, "page_type": res.PageType, "confidence": res.Confidence, "text": res.Text})
			dump.Write(append(b, '\n'))
		}
		if i, ok := trafBy[p.Set+"/"+p.ID]; ok {
			trafPages++
			tDef.add(p, traf.Results[i].Default)
			tFb.add(p, traf.Results[i].Fallback)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if pages == 0 {
		fmt.Fprintln(w, "bench extract: no pages selected")
		return nil
	}
	tools := []struct {
		name string
		t    *tally
	}{{"winnow", win}}
	if cleaner != nil {
		name := "winnow + clean (rules)"
		if o.cleanModel {
			name = "winnow + clean (model)"
		}
		tools = append(tools, struct {
			name string
			t    *tally
		}{name, winClean})
	}
	if traf != nil && trafPages == pages {
		tools = append(tools, struct {
			name string
			t    *tally
		}{"go-trafilatura", tDef}, struct {
			name string
			t    *tally
		}{"go-trafilatura +fallback", tFb})
	} else if traf != nil {
		fmt.Fprintf(w, "warning: go-trafilatura output covers %d of %d pages; not compared\n", trafPages, pages)
		traf = nil
	}

	if win.aebPages > 0 {
		fmt.Fprintf(w, "\nAEB (%d pages): 4-word shingles, P and R averaged per page\n", win.aebPages)
		fmt.Fprintf(w, "%-26s %6s %6s %6s %6s\n", "tool", "F1", "P", "R", "acc")
		for _, tl := range tools {
			p, r, f := tl.t.aeb.PRF()
			fmt.Fprintf(w, "%-26s %6.3f %6.3f %6.3f %6.3f\n", tl.name, f, p, r, float64(tl.t.aebExact)/float64(tl.t.aebPages))
		}
	}
	if win.wPages > 0 {
		fmt.Fprintf(w, "\nWCXB dev (%d pages): bag of words, mean per page\n", win.wPages)
		fmt.Fprintf(w, "%-26s %6s %6s %6s %7s %8s\n", "tool", "F1", "P", "R", "with", "without")
		for _, tl := range tools {
			t := tl.t
			n := float64(t.wPages)
			fmt.Fprintf(w, "%-26s %6.3f %6.3f %6.3f %7.3f %8.3f\n", tl.name, t.wF/n, t.wP/n, t.wR/n,
				ratio(t.withFound, t.withTotal), ratio(t.woFound, t.woTotal))
		}
		if !o.rulesOnly {
			fmt.Fprintf(w, "(winnow's block model was trained on these pages: in-sample; cross-validated figures: extract/MODEL.md, go run ./extract/train -pagetype-folds DIR -cv-only)\n")
		}
		types := make([]string, 0, len(win.typeN))
		for ty := range win.typeN {
			types = append(types, ty)
		}
		order := []string{"article", "forum", "product", "collection", "listing", "documentation", "service"}
		slices.SortFunc(types, func(a, b string) int { return slices.Index(order, a) - slices.Index(order, b) })
		fmt.Fprintf(w, "\nWCXB dev F1 by page type (winnow P / R)\n%-14s %5s", "type", "pages")
		for _, tl := range tools {
			fmt.Fprintf(w, " %26s", tl.name)
		}
		fmt.Fprintln(w)
		for _, ty := range types {
			n := float64(win.typeN[ty])
			fmt.Fprintf(w, "%-14s %5d", ty, win.typeN[ty])
			for k, tl := range tools {
				if k == 0 {
					fmt.Fprintf(w, " %12.3f (%.3f / %.3f)", tl.t.typeF[ty]/n, tl.t.typeP[ty]/n, tl.t.typeR[ty]/n)
				} else {
					fmt.Fprintf(w, " %26.3f", tl.t.typeF[ty]/n)
				}
			}
			fmt.Fprintln(w)
		}
	}

	mb := float64(nbytes) / 1e6
	fmt.Fprintf(w, "\nSpeed, one goroutine, %d pages, %.1f MB (file reading and gunzip not timed)\n", pages, mb)
	fmt.Fprintf(w, "%-34s %9s %8s %14s\n", "", "pages/s", "MB/s", "winnow is")
	line := func(name string, sec float64) {
		fmt.Fprintf(w, "%-34s %9.1f %8.1f %13.2fx\n", name, float64(pages)/sec, mb/sec, sec/tWin.Seconds())
	}
	line("x/net/html parse only (reference)", tParse.Seconds())
	line("winnow (decode + extract)", tWin.Seconds())
	if traf != nil {
		line("go-trafilatura", traf.DefaultSeconds)
		line("go-trafilatura +fallback", traf.FallbackSeconds)
		if o.compareJSON != "" {
			fmt.Fprintln(w, "(go-trafilatura timings read from", o.compareJSON+", not measured in this run)")
		}
	}
	fmt.Fprintf(w, "winnow costs %.2fx parsing alone\n", tWin.Seconds()/tParse.Seconds())

	if o.worst > 0 && len(worst) > 0 {
		sort.SliceStable(worst, func(i, j int) bool { return worst[i].f < worst[j].f })
		fmt.Fprintf(w, "\nlowest WCXB F1\n")
		for _, s := range worst[:min(o.worst, len(worst))] {
			fmt.Fprintf(w, "%s %-13s F1 %.3f P %.3f R %.3f\n", s.id, s.typ, s.f, s.p, s.r)
		}
	}
	return nil
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// runTrafilatura runs the comparison module on the pages of filter.
func runTrafilatura(data string, f benchdata.Filter, save string) (*trafOutput, error) {
	dir, err := findModuleDir(filepath.Join("bench", "trafilatura"))
	if err != nil {
		return nil, err
	}
	args := []string{"run", ".", "-data", data}
	if len(f.Sets) > 0 {
		args = append(args, "-sets", strings.Join(f.Sets, ","))
	}
	if len(f.Types) > 0 {
		args = append(args, "-types", strings.Join(f.Types, ","))
	}
	if len(f.IDs) > 0 {
		args = append(args, "-ids", strings.Join(f.IDs, ","))
	}
	if f.Limit > 0 {
		args = append(args, "-limit", fmt.Sprint(f.Limit))
	}
	c := exec.Command("go", args...)
	c.Dir = dir
	c.Stderr = os.Stderr
	out, err := c.Output()
	if err != nil {
		return nil, fmt.Errorf("go-trafilatura comparison (%s): %w", dir, err)
	}
	if save != "" {
		if err := os.WriteFile(save, out, 0o644); err != nil {
			return nil, err
		}
	}
	var t trafOutput
	if err := json.Unmarshal(out, &t); err != nil {
		return nil, fmt.Errorf("go-trafilatura comparison output: %w", err)
	}
	return &t, nil
}

// findModuleDir finds rel (a folder holding go.mod) in the working directory
// or one of its parents.
func findModuleDir(rel string) (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, rel)
		if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("%s/go.mod not found in the working directory or its parents; run from the winnow repository", rel)
		}
		dir = parent
	}
}
