package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/internal/benchdata"
	"github.com/winnow-corpus/winnow/langid"
	"github.com/winnow-corpus/winnow/langid/mancorpus"
)

func init() {
	var (
		data, model, man string
		perLang          int
	)
	cmd := &cobra.Command{
		Use: "langid",
		Example: `  winnow bench langid                     # fallback, and lid.176 if fetched
  winnow bench langid --model ~/.cache/winnow/lid.176.ftz --per-lang 100`,
		Short: "Language-ID accuracy per language (fastText vs fallback) and docs/s",
		Long: `bench langid measures language identification two ways.

Accuracy: on paragraphs of Debian's translated manual pages (--man, default
/usr/share/man; install manpages, manpages-de, -fr, -es, -ja, -zh, -ru, ...),
up to --per-lang per language, each taken as one line; a paragraph's language
is that of its page's directory, and paragraphs left untranslated (found
verbatim in the English page) are dropped. It prints the share of lines whose
top language is right, per language, for the fastText model and for the
embedded whatlanggo fallback.

Speed: documents per CPU-second and MB per CPU-second of one goroutine
running each detector over the clean-dev texts of --data (crawl-style pages,
about 16 KB each), or the manual pages as whole documents if clean-dev is
absent: fastText on the stage's bounded sample and on whole texts, and the
fallback. The reference, measured in the same run on the same documents, is
Debian's fastText command (fasttext predict-prob, whole texts, one per line),
with the share of documents on which both give the same language.

--model defaults to $WINNOW_LID_MODEL or ~/.cache/winnow/lid.176.ftz (see
scripts/fetch-lid-model.sh); without a model only the fallback is measured.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return benchLangid(cmd.OutOrStdout(), data, model, man, perLang)
		},
	}
	cmd.Flags().StringVar(&data, "data", filepath.Join("..", "shared", "bench"), "benchmark data directory (for clean-dev)")
	cmd.Flags().StringVar(&model, "model", "", "fastText model (default: $WINNOW_LID_MODEL or ~/.cache/winnow/lid.176.ftz)")
	cmd.Flags().StringVar(&man, "man", "/usr/share/man", "root of the installed manual pages")
	cmd.Flags().IntVar(&perLang, "per-lang", 300, "paragraphs per language")
	benchCmd.AddCommand(cmd)
}

func benchLangid(w io.Writer, data, model, man string, perLang int) error {
	if model == "" {
		model = langid.DefaultModelPath()
		if _, err := os.Stat(model); err != nil {
			fmt.Fprintf(w, "no fastText model at %s (run scripts/fetch-lid-model.sh): measuring the fallback only\n", model)
			model = ""
		}
	}
	dets := []langid.Detector{}
	if model != "" {
		d, err := langid.NewDetector(model)
		if err != nil {
			return err
		}
		dets = append(dets, d)
	}
	dets = append(dets, langid.NewFallback())

	samples, err := mancorpus.Load(man, mancorpus.Options{PerLang: perLang})
	if err != nil {
		return err
	}
	if len(samples) == 0 {
		fmt.Fprintf(w, "no manual pages under %s (apt-get install manpages manpages-de manpages-fr ...): accuracy skipped\n", man)
	} else {
		var preds []predictor
		for _, d := range dets {
			preds = append(preds, detectorPredictor(d))
		}
		if bin, err := exec.LookPath("fasttext"); err == nil && model != "" {
			preds = append(preds, predictor{"Debian fasttext", func(ss []mancorpus.Sample) []string {
				texts := make([]string, len(ss))
				for i, s := range ss {
					texts[i] = s.Text
				}
				langs, _, err := fasttextCLI(bin, model, texts)
				if err != nil {
					fmt.Fprintln(w, err)
					return make([]string, len(ss))
				}
				return langs
			}})
		}
		accuracyTable(w, man, samples, preds)
	}

	docs, source := cleanDevTexts(data)
	if len(docs) == 0 {
		docs, source = manDocs(samples), "manual pages as whole documents"
	}
	if len(docs) == 0 {
		fmt.Fprintln(w, "no documents for the speed test")
		return nil
	}
	return speedTable(w, source, docs, dets, model)
}

// predictor labels every sample; name heads its column.
type predictor struct {
	name  string
	langs func([]mancorpus.Sample) []string
}

func detectorPredictor(d langid.Detector) predictor {
	return predictor{d.Name(), func(ss []mancorpus.Sample) []string {
		out := make([]string, len(ss))
		for i, s := range ss {
			out[i] = d.Detect(s.Text).Lang
		}
		return out
	}}
}

// fasttextCLI runs Debian's `fasttext predict-prob model file 1` over texts,
// one per line, and returns the top label of each (without "__label__") and
// the command's CPU time.
func fasttextCLI(bin, model string, texts []string) ([]string, time.Duration, error) {
	tmp, err := os.CreateTemp("", "winnow-langid-*.txt")
	if err != nil {
		return nil, 0, err
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriter(tmp)
	nl := strings.NewReplacer("\n", " ", "\r", " ")
	for _, t := range texts {
		// One text per line; fastText splits words on the same bytes.
		bw.WriteString(nl.Replace(t))
		bw.WriteByte('\n')
	}
	if err := bw.Flush(); err != nil {
		return nil, 0, err
	}
	tmp.Close()
	c := exec.Command(bin, "predict-prob", model, tmp.Name(), "1")
	out, err := c.Output()
	if err != nil {
		return nil, 0, fmt.Errorf("fasttext predict-prob: %w", err)
	}
	lines := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
	if len(lines) != len(texts) {
		return nil, 0, fmt.Errorf("fasttext predict-prob gave %d lines for %d texts", len(lines), len(texts))
	}
	for i, l := range lines {
		l, _, _ = strings.Cut(l, " ")
		lines[i] = strings.TrimPrefix(l, "__label__")
	}
	ps := c.ProcessState
	return lines, ps.UserTime() + ps.SystemTime(), nil
}

func accuracyTable(w io.Writer, man string, samples []mancorpus.Sample, preds []predictor) {
	got := make([][]string, len(preds))
	for i, p := range preds {
		got[i] = p.langs(samples)
	}
	type tally struct{ n, ok []int }
	per := map[string]*tally{}
	var langs []string
	for _, s := range samples {
		t := per[s.Lang]
		if t == nil {
			t = &tally{ok: make([]int, len(preds))}
			t.n = []int{0}
			per[s.Lang] = t
			langs = append(langs, s.Lang)
		}
		t.n[0]++
	}
	for i := range preds {
		for j, s := range samples {
			if got[i][j] == s.Lang {
				per[s.Lang].ok[i]++
			}
		}
	}
	sort.Strings(langs)
	fmt.Fprintf(w, "language ID accuracy: %d paragraphs of Debian's manual pages (%s), %d languages\n", len(samples), man, len(langs))
	fmt.Fprintf(w, "%-6s %6s", "lang", "lines")
	for _, p := range preds {
		fmt.Fprintf(w, " %22s", p.name)
	}
	fmt.Fprintln(w)
	total := 0
	okAll := make([]int, len(preds))
	macro := make([]float64, len(preds))
	for _, l := range langs {
		t := per[l]
		fmt.Fprintf(w, "%-6s %6d", l, t.n[0])
		for i := range preds {
			acc := float64(t.ok[i]) / float64(t.n[0])
			fmt.Fprintf(w, " %22.3f", acc)
			okAll[i] += t.ok[i]
			macro[i] += acc
		}
		total += t.n[0]
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "%-6s %6d", "all", total)
	for i := range preds {
		fmt.Fprintf(w, " %22.3f", float64(okAll[i])/float64(total))
	}
	fmt.Fprintf(w, "\n%-6s %6s", "macro", "")
	for i := range preds {
		fmt.Fprintf(w, " %22.3f", macro[i]/float64(len(langs)))
	}
	fmt.Fprintln(w)
}

// cleanDevTexts reads the texts of clean-dev, if present.
func cleanDevTexts(data string) ([]string, string) {
	path := filepath.Join(data, "clean-dev", "docs.jsonl.gz")
	f, err := os.Open(path)
	if err != nil {
		return nil, ""
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, ""
	}
	var docs []string
	dec := json.NewDecoder(bufio.NewReader(z))
	for {
		var d struct {
			Text string `json:"text"`
		}
		if err := dec.Decode(&d); err != nil {
			break
		}
		docs = append(docs, d.Text)
	}
	return docs, "clean-dev texts (" + path + ")"
}

// manDocs joins the sampled paragraphs of each manual page into a document.
func manDocs(samples []mancorpus.Sample) []string {
	var docs []string
	last := ""
	for _, s := range samples {
		if s.File != last {
			docs = append(docs, "")
			last = s.File
		}
		docs[len(docs)-1] += s.Text + "\n"
	}
	return docs
}

func speedTable(w io.Writer, source string, docs []string, dets []langid.Detector, model string) error {
	var bytes int
	for _, d := range docs {
		bytes += len(d)
	}
	mb := float64(bytes) / 1e6
	fmt.Fprintf(w, "\nspeed: %d documents, %.1f MB, from %s; one goroutine, CPU time\n", len(docs), mb, source)
	fmt.Fprintf(w, "%-50s %10s %9s  %s\n", "detector", "docs/CPU-s", "MB/CPU-s", "kept at 0.65, top languages")
	row := func(name string, cpu time.Duration, results []langid.Result) float64 {
		s := cpu.Seconds()
		fmt.Fprintf(w, "%-50s %10.0f %9.2f  %s\n", name, float64(len(docs))/s, mb/s, summarize(results))
		return float64(len(docs)) / s
	}
	sample := langid.DefaultConfig().SampleBytes
	var whole []string
	var goWhole float64
	for _, d := range dets {
		results := make([]langid.Result, len(docs))
		start := benchdata.CPUTime()
		for i, doc := range docs {
			results[i] = d.Detect(langid.Sample(doc, sample))
		}
		name := fmt.Sprintf("%s (stage, %d-byte sample)", d.Name(), sample)
		if _, ok := d.(langid.Fallback); ok {
			name = d.Name() + " (stage, three 1 KB windows)"
		}
		row(name, benchdata.CPUTime()-start, results)
		if ft, ok := d.(*langid.FastText); ok {
			whole = make([]string, len(docs))
			start := benchdata.CPUTime()
			for i, doc := range docs {
				p := ft.Model().Predict(doc, 1, 0)
				if len(p) > 0 {
					whole[i] = p[0].Label
					results[i] = langid.Result{Lang: p[0].Lang(), Score: p[0].Prob}
				}
			}
			goWhole = row(d.Name()+" (whole text)", benchdata.CPUTime()-start, results)
		}
	}
	if model == "" {
		return nil
	}
	bin, err := exec.LookPath("fasttext")
	if err != nil {
		fmt.Fprintln(w, "reference skipped: Debian's fasttext command is not installed (apt-get install -y fasttext)")
		return nil
	}
	ref, cpu, err := fasttextCLI(bin, model, docs)
	if err != nil {
		return err
	}
	refRate := row("reference: Debian fasttext predict-prob (whole)", cpu, nil)
	same := 0
	for i, l := range ref {
		if "__label__"+l == whole[i] {
			same++
		}
	}
	fmt.Fprintf(w, "winnow whole-text speed / reference: %.2f×; same language as the reference on %d of %d documents\n",
		goWhole/refRate, same, len(docs))
	return nil
}

// summarize gives the share of results at or above the default threshold
// and the most frequent languages.
func summarize(results []langid.Result) string {
	if len(results) == 0 {
		return ""
	}
	kept := 0
	count := map[string]int{}
	for _, r := range results {
		if r.Score >= langid.DefaultConfig().Threshold {
			kept++
		}
		count[r.Lang]++
	}
	langs := make([]string, 0, len(count))
	for l := range count {
		langs = append(langs, l)
	}
	sort.Slice(langs, func(i, j int) bool {
		if count[langs[i]] != count[langs[j]] {
			return count[langs[i]] > count[langs[j]]
		}
		return langs[i] < langs[j]
	})
	var b strings.Builder
	fmt.Fprintf(&b, "%5.1f%% ", 100*float64(kept)/float64(len(results)))
	for i, l := range langs[:min(5, len(langs))] {
		if i > 0 {
			b.WriteByte(' ')
		}
		fmt.Fprintf(&b, "%s:%d", l, count[l])
	}
	return b.String()
}
