package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/clean/train"
	"github.com/winnow-corpus/winnow/internal/benchdata"
	"github.com/winnow-corpus/winnow/internal/gbt"
	"github.com/winnow-corpus/winnow/internal/score"
	"github.com/winnow-corpus/winnow/record"
)

func init() {
	var (
		data       string
		folds      int
		writeModel string
		dump       string
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
The second stage (--stage2-trees) learns from out-of-fold first-stage
probabilities of its training pages, nested inside each fold. The row
"(bound) best threshold per page" is not a cleaner: it keeps each page's
lines at or above the one threshold that scores best against that page's
answers, a bound for any cleaner that thresholds these probabilities page
by page. The rows by page type show it beside, with the ceiling: keeping
exactly the labelled lines.
--write-model FILE then trains the model on all pages, with the thresholds
chosen by cross-validation, and writes it (this is how clean/model.json is
made); --pages FILE writes each page's cross-validated scores.

Throughput is measured on one core over the same text, beside plain line
splitting of it as the reference (with the model just written, if any).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return benchClean(cmd.OutOrStdout(), data, folds, writeModel, dump, prm)
		},
	}
	cmd.Flags().StringVar(&data, "data", filepath.Join("..", "shared", "bench"), "benchmark data directory")
	cmd.Flags().IntVar(&folds, "cv", 5, "cross-validation folds (0: skip)")
	cmd.Flags().StringVar(&writeModel, "write-model", "", "train on all pages and write the model to `FILE`")
	cmd.Flags().StringVar(&dump, "pages", "", "write each page's cross-validated scores to `FILE` (TSV: id, type, URL, F1, P, R, lineP, lineR)")
	cmd.Flags().IntVar(&prm.Trees, "trees", prm.Trees, "trees of the models trained")
	cmd.Flags().IntVar(&prm.Depth, "depth", prm.Depth, "depth of their trees")
	cmd.Flags().Float64Var(&prm.Rate, "rate", prm.Rate, "their learning rate")
	cmd.Flags().IntVar(&prm.Stage2Trees, "stage2-trees", prm.Stage2Trees, "trees of the second stage (0: one stage)")
	cmd.Flags().IntVar(&prm.Stage2Depth, "stage2-depth", prm.Stage2Depth, "depth of the second stage's trees")
	cmd.Flags().Float64Var(&prm.PagePower, "page-power", prm.PagePower, "line weight = characters / page characters^`P`")
	cmd.Flags().Uint64Var(&prm.Seed, "seed", prm.Seed, "seed of the boosting's row sampling")
	cmd.Flags().BoolVar(&prm.Lexicon, "lexicon", prm.Lexicon, "learn word weights (the lex_* features); false leaves them 0")
	benchCmd.AddCommand(cmd)
}

// devPage is one page of clean-dev, with whether its content is not English.
type devPage struct {
	benchdata.CleanDevPage
	nonEnglish    bool
	titleRepeated bool // clean.TitleRepeated
}

func loadCleanDev(path string) ([]*devPage, error) {
	raw, err := benchdata.LoadCleanDev(path)
	if err != nil {
		return nil, err
	}
	pages := make([]*devPage, len(raw))
	for i, p := range raw {
		pages[i] = &devPage{CleanDevPage: p, nonEnglish: nonEnglish(p.MainContent), titleRepeated: clean.TitleRepeated(p.Text)}
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

// labelledKeep keeps exactly the lines labelled content.
func labelledKeep(p *devPage) []bool {
	keep := make([]bool, strings.Count(p.Text, "\n")+1)
	for i := range keep {
		keep[i] = i < len(p.Labels) && p.Labels[i] == 1
	}
	return keep
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

// decoding is how a page's probabilities become keep flags: the
// thresholds of a Model.
type decoding struct {
	t, lead, rel, expected float64
	title                  bool
}

func (dc decoding) String() string {
	s := fmt.Sprintf("t=%.2f/%.2f/%.1f/%.2f", dc.t, dc.lead, dc.rel, dc.expected)
	if dc.title {
		s += "/T"
	}
	return s
}

// keepAt turns the decisions on a page's lines (for their forced flags and
// sizes) and out-of-fold probabilities of its non-blank lines into keep
// flags with decoding dc, as a Cleaner would.
func keepAt(pg *devPage, dec []clean.Decision, p []float64, dc decoding) []bool {
	var forced []bool
	var size []float64
	for _, d := range dec {
		if !d.Blank {
			forced = append(forced, d.Forced)
			size = append(size, float64(utf8.RuneCountInString(d.Text)))
		}
	}
	t, lead := clean.PageThreshold(p, size, dc.t, dc.lead, dc.expected)
	kept := make([]bool, len(p))
	clean.Select(p, forced, t, lead, dc.rel, kept)
	if dc.title {
		clean.TitleHeading(kept, forced, pg.titleRepeated)
	}
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

// withTemplate returns the decisions dec with Forced set on the lines the
// cross-page template signal drops, the pages counted by host as a corpus
// run counts them (clean.CorpusCleaner around c, default settings; only
// its counts are used, so c's model may be stale).
func withTemplate(c *clean.Cleaner, pages []*devPage, dec [][]clean.Decision) ([][]clean.Decision, error) {
	tc := clean.DefaultTemplateConfig()
	cc, err := clean.NewCorpusWith(c, tc)
	if err != nil {
		return nil, err
	}
	for _, p := range pages {
		cc.Observe(&record.Record{ID: p.ID, URL: p.URL, Text: p.Text})
	}
	out := make([][]clean.Decision, len(dec))
	for i, p := range pages {
		out[i] = slices.Clone(dec[i])
		for j := range out[i] {
			d := &out[i][j]
			if d.Blank || d.Forced {
				continue
			}
			n, docs := cc.HostShare(p.URL, d.Text)
			d.Forced = n >= tc.MinDocs && float64(n) >= tc.MinShare*float64(docs)
		}
	}
	return out, nil
}

// pageBestThresholds returns, for each page, the threshold (a multiple of
// 0.02, lead threshold the same, no relative threshold) whose kept lines
// score the best word F1 against the page's reviewed text: a bound on
// decoding the probabilities p, for it reads the answers.
func pageBestThresholds(pages []*devPage, dec [][]clean.Decision, p [][]float64) []float64 {
	out := make([]float64, len(pages))
	for i, pg := range pages {
		bestF := -1.0
		for k := 1; k < 50; k++ {
			t := float64(k) / 50
			var s cleanScore
			s.add(pg, keepAt(pg, dec[i], p[i], decoding{t: t, lead: t}))
			if s.f > bestF {
				bestF, out[i] = s.f, t
			}
		}
	}
	return out
}

// bestDecoding returns the decoding of the probabilities p of the pages'
// non-blank lines with the best word F1 among those giving line precision
// and recall of at least 0.9 (or the best F1 if none does): first the main
// threshold, then the lead threshold below it, then the relative threshold,
// then the weight of each page's expected-F1 threshold, then the title
// rule (clean.TitleHeading).
func bestDecoding(pages []*devPage, dec [][]clean.Decision, p [][]float64) decoding {
	best, bestF, bestOK := decoding{t: 0.5, lead: 0.5}, -1.0, false
	// slack is how much word F1 a decoding may lose and still win.
	tryOr := func(dc decoding, slack float64) {
		a, _ := scoreAll(pages, func(i int) []bool { return keepAt(pages[i], dec[i], p[i], dc) })
		ok := a.lineP() >= 0.9 && a.lineR() >= 0.9
		if ok && !bestOK || ok == bestOK && a.wordF1() > bestF-slack {
			best, bestF, bestOK = dc, a.wordF1(), ok
		}
	}
	try := func(dc decoding) { tryOr(dc, 0) }
	for t := 0.20; t <= 0.801; t += 0.05 {
		try(decoding{t: t, lead: t})
	}
	b0 := best
	for l := b0.t - 0.05; l >= 0.049; l -= 0.05 {
		try(decoding{t: b0.t, lead: l})
	}
	b0 = best
	for _, r := range []float64{0.5, 0.7, 0.8, 0.9} {
		try(decoding{t: b0.t, lead: b0.lead, rel: r})
	}
	b0 = best
	for _, e := range []float64{0.25, 0.5, 0.75, 1} {
		try(decoding{t: b0.t, lead: b0.lead, rel: b0.rel, expected: e})
		try(decoding{t: b0.t, lead: b0.lead, expected: e})
	}
	// The title rule stays unless it lowers the score by 0.001 or more:
	// it is for texts whose first line is the article's only heading, as
	// in WET records, and clean-dev has few of those (a page's title comes
	// first and the page repeats it as its heading).
	b0 = best
	b0.title = true
	tryOr(b0, 0.001)
	return best
}

func benchClean(w io.Writer, data string, folds int, writeModel, dump string, prm train.Params) error {
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
	// A built-in model made for other features (while they are being
	// changed) cannot score; the rules and the cross-validated rows still
	// work with an empty model, and --write-model makes a new one.
	c, err := clean.New(clean.DefaultConfig())
	stale := err != nil
	if stale {
		fmt.Fprintf(w, "built-in model not usable (%v): no in-sample row\n", err)
		c, err = clean.NewWithModel(clean.DefaultConfig(), &clean.Model{Features: clean.FeatureNames(), Threshold: 0.5})
	}
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
	if !stale {
		report(fmt.Sprintf("winnow built-in (in-sample) t=%.2f/%.2f", th, lead), func(i int) []bool {
			k := make([]bool, len(dec[i]))
			for j, d := range dec[i] {
				k[j] = d.Keep
			}
			return k
		})
	}

	if folds > 0 {
		tp := make([]*train.Page, len(pages))
		for i, p := range pages {
			tp[i] = &train.Page{Text: p.Text, Labels: p.Labels, Group: gbt.HostGroup(p.URL)}
		}
		start := time.Now()
		cv, err := train.CrossValidate(tp, folds, prm, func(s string) {
			fmt.Fprintf(os.Stderr, "  %s (%s)\n", s, time.Since(start).Round(time.Second))
		})
		if err != nil {
			return err
		}
		oof := cv.Final
		if prm.Stage2Trees > 0 {
			report(fmt.Sprintf("winnow %d-fold CV stage 1 t=0.50/0.50", folds), func(i int) []bool { return keepAt(pages[i], dec[i], cv.Stage1[i], decoding{t: 0.5, lead: 0.5}) })
		}
		best := bestDecoding(pages, dec, oof)
		if prm.Stage2Trees > 0 {
			b1 := bestDecoding(pages, dec, cv.Stage1)
			report(fmt.Sprintf("winnow %d-fold CV stage 1 %s", folds, b1), func(i int) []bool { return keepAt(pages[i], dec[i], cv.Stage1[i], b1) })
		}
		report(fmt.Sprintf("winnow %d-fold CV t=0.50/0.50", folds), func(i int) []bool { return keepAt(pages[i], dec[i], oof[i], decoding{t: 0.5, lead: 0.5}) })
		if !best.title {
			// The title rule (clean.TitleHeading) beside: it matters on
			// texts whose first line is the article's only heading, rare
			// in clean-dev.
			bt := best
			bt.title = true
			report(fmt.Sprintf("winnow %d-fold CV %s", folds, bt), func(i int) []bool { return keepAt(pages[i], dec[i], oof[i], bt) })
		}
		cvAll, _ := report(fmt.Sprintf("winnow %d-fold CV %s", folds, best), func(i int) []bool {
			return keepAt(pages[i], dec[i], oof[i], best)
		})
		// The cross-page template signal, as `winnow clean DIR` and the
		// pipeline run it: lines that at least 3 pages (and 10%) of the
		// same host hold are dropped. It acts on the hosts of which
		// clean-dev holds several pages.
		decT, err := withTemplate(c, pages, dec)
		if err != nil {
			return err
		}
		report(fmt.Sprintf("winnow %d-fold CV + template", folds), func(i int) []bool {
			return keepAt(pages[i], decT[i], oof[i], best)
		})
		// Not a cleaner: the same probabilities with each page's best
		// threshold, chosen by its labels. No one threshold per page
		// scores above it: beyond it, the lines of a page must be
		// ordered better, not cut better.
		oracle := pageBestThresholds(pages, dec, oof)
		report("  (bound) best threshold per page", func(i int) []bool {
			return keepAt(pages[i], dec[i], oof[i], decoding{t: oracle[i], lead: oracle[i]})
		})
		if dump != "" {
			var b strings.Builder
			for i, p := range pages {
				var sc cleanScore
				sc.add(p, keepAt(pages[i], dec[i], oof[i], best))
				fmt.Fprintf(&b, "%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\n", p.ID, p.PageType, p.URL, sc.f, sc.p, sc.r, sc.lineP(), sc.lineR())
			}
			if err := os.WriteFile(dump, []byte(b.String()), 0o644); err != nil {
				return err
			}
		}
		// By page type, beside the bound (each page's best threshold) and
		// the ceiling: keeping exactly the labelled lines.
		byType := map[string]*[3]cleanScore{}
		var types []string
		for i, p := range pages {
			s := byType[p.PageType]
			if s == nil {
				s = &[3]cleanScore{}
				byType[p.PageType] = s
				types = append(types, p.PageType)
			}
			s[0].add(p, keepAt(pages[i], dec[i], oof[i], best))
			s[1].add(p, labelledKeep(p))
			s[2].add(p, keepAt(pages[i], dec[i], oof[i], decoding{t: oracle[i], lead: oracle[i]}))
		}
		for _, t := range types {
			fmt.Fprintf(w, "%s   (bound %.3f, ceiling %.3f)\n", byType[t][0].row("  "+t), byType[t][2].wordF1(), byType[t][1].wordF1())
		}
		fmt.Fprintf(os.Stderr, "  cross-validation took %s\n", time.Since(start).Round(time.Second))
		if writeModel != "" {
			m := train.FitModel(prm, cv, best.t, best.lead, best.rel)
			m.Expected = best.expected
			m.TitleHeading = best.title
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
			fmt.Fprintf(w, "model written to %s (decoding %s)\n", writeModel, best)
			// Measure the throughput of the model just written.
			cfg := clean.DefaultConfig()
			cfg.Model = writeModel
			if c, err = clean.New(cfg); err != nil {
				return err
			}
			stale = false
		}
	} else if writeModel != "" {
		return errors.New("--write-model needs cross-validation (--cv K) to choose the thresholds")
	}

	// Throughput on one core, beside plain line splitting of the same text.
	if stale {
		fmt.Fprintln(w, "\nthroughput: no usable model (retrain with --write-model)")
		return nil
	}
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
