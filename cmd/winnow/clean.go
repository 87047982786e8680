package main

import (
	"bufio"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/record"
)

func init() {
	var (
		outDir     string
		explain    bool
		threshold  float64
		model      string
		noTemplate bool
	)
	cmd := &cobra.Command{
		Use:   "clean FILE|DIR|- ...",
		Short: "Drop the boilerplate lines from already-extracted text",
		Long: `clean removes the furniture of web pages from their text — menus, cookie
banners, newsletter forms, share prompts, copyright lines, related links — and
keeps the content lines byte for byte, with their blank-line paragraph breaks.

With one input it prints the cleaned text. With -o OUTDIR it writes one cleaned
file per input file under the same relative name (a directory is read
recursively). "-" reads standard input.

When there are several input files, clean reads them twice: first it counts
how many files hold each line (a site's template repeats, its articles do not),
then it cleans each file, also dropping lines found in many of them
(reason "template"; --no-template turns this off).

--explain prints every line with KEEP or DROP, the reason category and the
model's content probability, instead of the cleaned text.`,
		Example: `  winnow clean page.txt
  winnow clean --explain page.txt
  winnow clean crawl-text/ -o cleaned/
  zcat page.txt.gz | winnow clean -`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := clean.DefaultConfig()
			cfg.Threshold = threshold
			cfg.Model = model
			c, err := clean.New(cfg)
			if err != nil {
				return err
			}
			inputs, err := cleanInputs(args)
			if err != nil {
				return err
			}
			if len(inputs) > 1 && outDir == "" && !explain {
				return fmt.Errorf("%d input files: pass -o OUTDIR to write them, or --explain", len(inputs))
			}
			var corpus *clean.CorpusCleaner
			if len(inputs) > 1 && !noTemplate {
				if corpus, err = clean.NewCorpusWith(c, cfg.Template); err != nil {
					return err
				}
			}
			return runClean(cmd.OutOrStdout(), cmd.InOrStdin(), c, corpus, inputs, outDir, explain)
		},
	}
	cmd.Flags().StringVarP(&outDir, "out", "o", "", "write one cleaned file per input under `OUTDIR`")
	cmd.Flags().BoolVar(&explain, "explain", false, "print every line with keep/drop, reason and score")
	cmd.Flags().Float64Var(&threshold, "threshold", 0, "content probability below which lines are dropped (0: the model's)")
	cmd.Flags().StringVar(&model, "model", "", "model `FILE` (default: the built-in model)")
	cmd.Flags().BoolVar(&noTemplate, "no-template", false, "do not drop lines repeated across the input files")
	rootCmd.AddCommand(cmd)
}

// cleanInput is one file to clean: its path ("-" for standard input) and
// the name of its output relative to OUTDIR.
type cleanInput struct {
	path, rel string
}

// cleanInputs expands the arguments: a directory stands for every regular
// file below it, in sorted order.
func cleanInputs(args []string) ([]cleanInput, error) {
	var out []cleanInput
	for _, a := range args {
		if a == "-" {
			out = append(out, cleanInput{path: "-", rel: "stdin.txt"})
			continue
		}
		st, err := os.Stat(a)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, cleanInput{path: a, rel: filepath.Base(a)})
			continue
		}
		var files []cleanInput
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.Type().IsRegular() {
				rel, err := filepath.Rel(a, p)
				if err != nil {
					return err
				}
				files = append(files, cleanInput{path: p, rel: rel})
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		sort.Slice(files, func(i, j int) bool { return files[i].rel < files[j].rel })
		out = append(out, files...)
	}
	return out, nil
}

func readInput(in cleanInput, stdin io.Reader, stdinText *string) (string, error) {
	if in.path == "-" {
		if *stdinText == "" {
			b, err := io.ReadAll(stdin)
			if err != nil {
				return "", err
			}
			*stdinText = string(b)
		}
		return *stdinText, nil
	}
	b, err := os.ReadFile(in.path)
	return string(b), err
}

func runClean(w io.Writer, stdin io.Reader, c *clean.Cleaner, corpus *clean.CorpusCleaner, inputs []cleanInput, outDir string, explain bool) error {
	var stdinText string
	if corpus != nil {
		// First pass: count the lines of every file.
		for _, in := range inputs {
			text, err := readInput(in, stdin, &stdinText)
			if err != nil {
				return err
			}
			if err := corpus.Observe(&record.Record{ID: in.rel, Text: text}); err != nil {
				return err
			}
		}
		if err := corpus.Prepare(""); err != nil {
			return err
		}
	}
	process := func(r *record.Record) {
		if corpus != nil {
			corpus.Process(r)
		} else {
			c.Process(r)
		}
	}
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	if explain {
		for _, in := range inputs {
			text, err := readInput(in, stdin, &stdinText)
			if err != nil {
				return err
			}
			if len(inputs) > 1 {
				fmt.Fprintf(bw, "==> %s <==\n", in.path)
			}
			r := &record.Record{ID: in.rel, Text: text}
			process(r)
			writeExplain(bw, c, text, r.Removed)
		}
		return nil
	}
	if outDir == "" {
		text, err := readInput(inputs[0], stdin, &stdinText)
		if err != nil {
			return err
		}
		r := &record.Record{ID: inputs[0].rel, Text: text}
		process(r)
		_, err = bw.WriteString(r.Text)
		return err
	}
	if anyStdin(inputs) {
		if _, err := readInput(cleanInput{path: "-"}, stdin, &stdinText); err != nil {
			return err
		}
	}
	// Clean the files on all cores; each writes its own output.
	jobs := make(chan cleanInput)
	errs := make(chan error, len(inputs))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for in := range jobs {
				errs <- cleanFile(in, stdinText, outDir, process)
			}
		}()
	}
	for _, in := range inputs {
		jobs <- in
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func anyStdin(inputs []cleanInput) bool {
	for _, in := range inputs {
		if in.path == "-" {
			return true
		}
	}
	return false
}

func cleanFile(in cleanInput, stdinText, outDir string, process func(*record.Record)) error {
	text := stdinText
	if in.path != "-" {
		b, err := os.ReadFile(in.path)
		if err != nil {
			return err
		}
		text = string(b)
	}
	r := &record.Record{ID: in.rel, Text: text}
	process(r)
	dst := filepath.Join(outDir, in.rel)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	return os.WriteFile(dst, []byte(r.Text), 0o644)
}

// writeExplain prints every line of text with its verdict. removed holds the
// lines the stage dropped (with reason and score); the scores of kept lines
// come from c.
func writeExplain(w io.Writer, c *clean.Cleaner, text string, removed []record.RemovedLine) {
	dropped := make(map[int]record.RemovedLine, len(removed))
	for _, rl := range removed {
		dropped[rl.Line] = rl
	}
	for _, d := range c.Lines(text) {
		switch rl, ok := dropped[d.Line]; {
		case d.Blank:
			fmt.Fprintf(w, "%5d                                     |\n", d.Line+1)
		case ok:
			fmt.Fprintf(w, "%5d DROP %.2f %-24s | %s\n", d.Line+1, rl.Score, label(rl.Reason), d.Text)
		default:
			fmt.Fprintf(w, "%5d keep %.2f %-24s | %s\n", d.Line+1, d.Score, "", d.Text)
		}
	}
}

// label turns a reason code into the category name --explain prints.
func label(code string) string {
	for c := clean.Content; c <= clean.Other; c++ {
		if c.String() == code {
			return c.Label()
		}
	}
	return strings.ReplaceAll(code, "_", " ")
}
