package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/clean/train"
	"github.com/winnow-corpus/winnow/internal/benchdata"
	"github.com/winnow-corpus/winnow/internal/score"
)

func init() {
	var (
		data       string
		folds      int
		writeModel string
		prm        = train.DefaultParams()
	)
	cmd := &cobra.Command{
		Use: "clean",
		Example: `  winnow bench clean                       # ../shared/bench/clean-dev, 5-fold CV
  winnow bench clean --data /data/bench --cv 10
  winnow bench clean --write-model clean/model.json   # retrain the built-in model`,
		Short: "Score the line cleaner on clean-dev and measure its throughput",
		Long: `bench clean scores line cleaners on ../shared/bench/clean-dev (1,337 pages of
crawl-style text with line labels): keep every line, C4's line rules, and
winnow's model. For each it prints the WCXB word metric (mean F1, precision,
recall over pages) and the character-weighted line precision and recall, on
all pages and on the non-English ones.

The built-in model was trained on these very pages, so its row is in-sample.
The honest figure is the cross-validated one (--cv K, default 5): models are
trained on K-1 folds of pages, grouped by host, and score the remaining fold.
--write-model FILE then trains the model on all pages, with the threshold
chosen by cross-validation, and writes it (this is how clean/model.json is
made).

Throughput is measured on one core over the same text, beside plain line
splitting of it as the reference.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return benchClean(cmd.OutOrStdout(), data, folds, writeModel, prm)
		},
	}
	cmd.Flags().StringVar(&data, "data", filepath.Join("..", "shared", "bench"), "benchmark data directory")
	cmd.Flags().IntVar(&folds, "cv", 5, "cross-validation folds (0: skip)")
	cmd.Flags().StringVar(&writeModel, "write-model", "", "train on all pages and write the model to `FILE`")
	cmd.Flags().IntVar(&prm.Trees, "trees", prm.Trees, "trees of the models trained")
	cmd.Flags().IntVar(&prm.Depth, "depth", prm.Depth, "depth of their trees")
	cmd.Flags().Float64Var(&prm.Rate, "rate", prm.Rate, "their learning rate")
	cmd.Flags().Float64Var(&prm.PagePower, "page-power", prm.PagePower, "line weight = characters / page characters^`P`")
	benchCmd.AddCommand(cmd)
}

// devPage is one page of clean-dev, with whether its content is not English.
type devPage struct {
	benchdata.CleanDevPage
	nonEnglish bool
}

func loadCleanDev(path string) ([]*devPage, error) {
	raw, err := benchdata.LoadCleanDev(path)
	if err != nil {
		return nil, err
	}
	pages := make([]*devPage, len(raw))
	for i, p := range raw {
		pages[i] = &devPage{CleanDevPage: p, nonEnglish: nonEnglish(p.MainContent)}
	}
	return pages, nil
}

// Stop words of English and of the other languages clean-dev holds pages
// in; a page is non-English when another language's words clearly
// outnumber English ones in its reviewed text.
var (
	stopEnglish = strings.Fields("the and of to is in that for with this are was you on it")
	stopOthers  = [][]string{
		strings.Fields("le la les des et est un une du pour dans que qui sur pas avec"),
		strings.Fields("der die das und ist nicht ein eine mit den von zu auf sich dem"),
		strings.Fields("el la los las de que y en es por para con una del como"),
		strings.Fields("il di che e la per un una non sono del della con gli le"),
		strings.Fields("o a os de que e do da em para com uma não por dos"),
		strings.Fields("de het een en van is dat op te zijn met voor niet"),
	}
	wordRE = regexp.MustCompile(`\w+`)
)

func nonEnglish(text string) bool {
	count := func(words []string, list []string) int {
		n := 0
		for _, w := range words {
			for _, s := range list {
				if w == s {
					n++
					break
				}
			}
		}
		return n
	}
	words := wordRE.FindAllString(strings.ToLower(text), -1)
	en := count(words, stopEnglish)
	for _, l := range stopOthers {
		if o := count(words, l); o >= 10 && o > 2*en {
			return true
		}
	}
	return false
}

// cleanScore accumulates the clean-dev metrics over pages.
type cleanScore struct {
	pages          int
	p, r, f        float64 // sums of per-page word scores
	keptTrue, kept float64 // characters of kept content lines, of kept lines
	labelled       float64 // characters of content lines
}

// add scores one page from the keep flags of its lines.
func (s *cleanScore) add(pg *devPage, keep []bool) {
	lines := strings.Split(pg.Text, "\n")
	var kept []string
	for i, l := range lines {
		n := float64(utf8.RuneCountInString(l))
		lab := i < len(pg.Labels) && pg.Labels[i] == 1
		if lab {
			s.labelled += n
		}
		if keep[i] {
			kept = append(kept, l)
			s.kept += n
			if lab {
				s.keptTrue += n
			}
		}
	}
	p, r, f := score.WordPRF(strings.Join(kept, "\n"), pg.MainContent)
	s.pages++
	s.p += p
	s.r += r
	s.f += f
}

func (s *cleanScore) row(name string) string {
	if s.pages == 0 {
		return fmt.Sprintf("%-34s %5d  (no pages)", name, 0)
	}
	n := float64(s.pages)
	lp, lr := 1.0, 1.0
	if s.kept > 0 {
		lp = s.keptTrue / s.kept
	}
	if s.labelled > 0 {
		lr = s.keptTrue / s.labelled
	}
	return fmt.Sprintf("%-34s %5d  %.3f  %.3f  %.3f  %.3f  %.3f", name, s.pages, s.f/n, s.p/n, s.r/n, lp, lr)
}

func (s *cleanScore) wordF1() float64 { return s.f / float64(max(s.pages, 1)) }
func (s *cleanScore) lineP() float64  { return s.keptTrue / max(s.kept, 1) }
func (s *cleanScore) lineR() float64  { return s.keptTrue / max(s.labelled, 1) }

// scoreAll scores a keep function over all pages and the non-English ones.
func scoreAll(pages []*devPage, keep func(i int) []bool) (all, foreign cleanScore) {
	for i, pg := range pages {
		k := keep(i)
		all.add(pg, k)
		if pg.nonEnglish {
			foreign.add(pg, k)
		}
	}
	return
}

// c4Keep applies C4's line rules: terminal punctuation, at least 3 words,
// no "javascript".
func c4Keep(text string) []bool {
	lines := strings.Split(text, "\n")
	keep := make([]bool, len(lines))
	for i, l := range lines {
		t := strings.TrimSpace(l)
		end := strings.HasSuffix(t, ".") || strings.HasSuffix(t, "?") || strings.HasSuffix(t, "!") || strings.HasSuffix(t, `"`)
		keep[i] = end && !strings.HasSuffix(t, "...") && len(strings.Fields(t)) >= 3 &&
			!strings.Contains(strings.ToLower(t), "javascript")
	}
	return keep
}

// keepAt turns the decisions on a page's lines (for their forced flags) and
// out-of-fold probabilities of its non-blank lines into keep flags at
// threshold t and lead threshold lead, as a Cleaner would.
func keepAt(dec []clean.Decision, p []float64, t, lead, rel float64) []bool {
	var forced []bool
	for _, d := range dec {
		if !d.Blank {
			forced = append(forced, d.Forced)
		}
	}
	kept := make([]bool, len(p))
	clean.Select(p, forced, t, lead, rel, kept)
	keep := make([]bool, len(dec))
	k := 0
	for i, d := range dec {
		if !d.Blank {
			keep[i] = kept[k]
			k++
		}
	}
	return keep
}

func benchClean(w io.Writer, data string, folds int, writeModel string, prm train.Params) error {
	path := filepath.Join(data, "clean-dev", "docs.jsonl.gz")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(w, "bench clean: skipped: %s not found (pass --data DIR, the folder holding clean-dev/)\n", path)
		return nil
	}
	pages, err := loadCleanDev(path)
	if err != nil {
		return err
	}
	foreign := 0
	for _, p := range pages {
		if p.nonEnglish {
			foreign++
		}
	}
	c, err := clean.New(clean.DefaultConfig())
	if err != nil {
		return err
	}
	dec := make([][]clean.Decision, len(pages))
	for i, p := range pages {
		dec[i] = c.Lines(p.Text)
	}
	fmt.Fprintf(w, "clean-dev: %d pages (%d non-English)\n\n", len(pages), foreign)
	fmt.Fprintf(w, "%-34s %5s  %-5s  %-5s  %-5s  %-5s  %-5s\n", "cleaner", "pages", "F1", "P", "R", "lineP", "lineR")
	report := func(name string, keep func(i int) []bool) (cleanScore, cleanScore) {
		a, f := scoreAll(pages, keep)
		fmt.Fprintln(w, a.row(name))
		fmt.Fprintln(w, f.row("  non-English"))
		return a, f
	}
	report("keep every line", func(i int) []bool {
		k := make([]bool, len(dec[i]))
		for j := range k {
			k[j] = true
		}
		return k
	})
	report("C4 line rules", func(i int) []bool { return c4Keep(pages[i].Text) })
	th, lead := c.Threshold()
	report(fmt.Sprintf("winnow built-in (in-sample) t=%.2f/%.2f", th, lead), func(i int) []bool {
		k := make([]bool, len(dec[i]))
		for j, d := range dec[i] {
			k[j] = d.Keep
		}
		return k
	})

	if folds > 0 {
		tp := make([]*train.Page, len(pages))
		for i, p := range pages {
			tp[i] = &train.Page{Text: p.Text, Labels: p.Labels, Group: train.HostGroup(p.URL)}
		}
		start := time.Now()
		oof, err := train.CrossValidate(tp, folds, prm, func(s string) {
			fmt.Fprintf(os.Stderr, "  %s (%s)\n", s, time.Since(start).Round(time.Second))
		})
		if err != nil {
			return err
		}
		// The thresholds with the best word F1 among those giving line
		// precision and recall of at least 0.9 (or the best F1 if none
		// does): first the main threshold, then the lead threshold below it.
		bestT, bestL, bestR, bestF, bestOK := 0.5, 0.5, 0.0, -1.0, false
		try := func(t, l, r float64) {
			a, _ := scoreAll(pages, func(i int) []bool { return keepAt(dec[i], oof[i], t, l, r) })
			ok := a.lineP() >= 0.9 && a.lineR() >= 0.9
			if ok && !bestOK || ok == bestOK && a.wordF1() > bestF {
				bestT, bestL, bestR, bestF, bestOK = t, l, r, a.wordF1(), ok
			}
		}
		for t := 0.20; t <= 0.801; t += 0.05 {
			try(t, t, 0)
		}
		t0 := bestT
		for l := t0 - 0.05; l >= 0.049; l -= 0.05 {
			try(t0, l, 0)
		}
		t0, l0 := bestT, bestL
		for _, r := range []float64{0.5, 0.7, 0.8, 0.9} {
			try(t0, l0, r)
		}
		report(fmt.Sprintf("winnow %d-fold CV t=0.50/0.50", folds), func(i int) []bool { return keepAt(dec[i], oof[i], 0.5, 0.5, 0) })
		cvAll, _ := report(fmt.Sprintf("winnow %d-fold CV t=%.2f/%.2f/%.1f", folds, bestT, bestL, bestR), func(i int) []bool {
			return keepAt(dec[i], oof[i], bestT, bestL, bestR)
		})
		byType := map[string]*cleanScore{}
		var types []string
		for i, p := range pages {
			s := byType[p.PageType]
			if s == nil {
				s = &cleanScore{}
				byType[p.PageType] = s
				types = append(types, p.PageType)
			}
			s.add(p, keepAt(dec[i], oof[i], bestT, bestL, bestR))
		}
		for _, t := range types {
			fmt.Fprintln(w, byType[t].row("  "+t))
		}
		fmt.Fprintf(os.Stderr, "  cross-validation took %s\n", time.Since(start).Round(time.Second))
		if writeModel != "" {
			m := train.FitModel(tp, prm, bestT, bestL, bestR)
			m.Notes = map[string]string{
				"data":    "../shared/bench/clean-dev (derived from WCXB dev split, Murrough Foley 2026, CC-BY-4.0)",
				"licence": "model weights derived from CC-BY-4.0 data: attribute WCXB",
				"trainer": "winnow bench clean --write-model (package clean/train)",
				"params":  fmt.Sprintf("%+v", prm),
				"cv":      fmt.Sprintf("%d-fold by host, F1 P R lineP lineR: %s", folds, strings.Join(strings.Fields(cvAll.row("x"))[2:], " ")),
			}
			if err := clean.SaveModel(m, writeModel); err != nil {
				return err
			}
			fmt.Fprintf(w, "model written to %s (threshold %.2f, lead %.2f, relative %.1f)\n", writeModel, bestT, bestL, bestR)
		}
	} else if writeModel != "" {
		return errors.New("--write-model needs cross-validation (--cv K) to choose the thresholds")
	}

	// Throughput on one core, beside plain line splitting of the same text.
	var total int
	for _, p := range pages {
		total += len(p.Text)
	}
	// The machine may be shared: besides wall-clock speed, report speed per
	// CPU second the process used (GOMAXPROCS 1, so that is one core).
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	measure := func(fn func(string)) (wall, cpu float64) {
		runtime.GC()
		c0 := cpuSeconds()
		start := time.Now()
		for _, p := range pages {
			fn(p.Text)
		}
		mb := float64(total) / 1e6
		return mb / time.Since(start).Seconds(), mb / max(cpuSeconds()-c0, 1e-3)
	}
	lines := 0
	splitWall, splitCPU := measure(func(s string) {
		for l := range strings.SplitSeq(s, "\n") {
			lines += len(l) & 1
		}
	})
	out := 0
	cleanWall, cleanCPU := measure(func(s string) { out += len(c.Clean(s)) })
	fmt.Fprintf(w, "\nthroughput on %.1f MB, 1 core, per CPU second (wall clock):\n", float64(total)/1e6)
	fmt.Fprintf(w, "  clean                 %7.1f MB/s (%.1f)\n", cleanCPU, cleanWall)
	fmt.Fprintf(w, "  plain line splitting  %7.1f MB/s (%.1f)  reference\n", splitCPU, splitWall)
	fmt.Fprintf(w, "  ratio                 %7.4f\n", cleanCPU/splitCPU)
	return nil
}

// cpuSeconds returns the user and system CPU time the process has used.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}
