package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/read"
)

type runFlags struct {
	out          string
	config       string
	format       string
	workers      int
	keepRejected bool
	strict       bool
	quiet        bool
	signals      bool
	index        string
	// stages, when set, replaces the config's stages (winnow dedup).
	stages []string
}

func init() {
	var f runFlags
	cmd := &cobra.Command{
		Use:   "run INPUT... -o OUTDIR",
		Short: "Run a pipeline from crawl files to a written corpus",
		Long: `run reads the inputs, runs the pipeline's stages over every document on all
cores, and writes the kept documents as sharded JSONL.zst (or Parquet) under
OUTDIR/data, the rejected ones (with --keep-rejected) under OUTDIR/rejected
with metadata.reason, and the counts per stage and reason in
OUTDIR/summary.json.

INPUT is any mix of WARC/WET files (plain or gzipped), JSONL files (plain,
.gz, .zst), Parquet files, directories (their .txt files are one document
each; other known files in them are inputs of their own), and - for standard
input.

A run killed at any moment resumes when started again with the same command:
finished shards are skipped and the output ends byte-identical to an
uninterrupted run.`,
		Example: `  winnow run crawl/*.warc.gz -o corpus
  winnow run docs.jsonl.zst --config pipeline.yaml -o corpus --keep-rejected
  winnow config default > pipeline.yaml   # the recommended recipe, to edit
  cat docs.jsonl | winnow run - -o corpus --format parquet`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runPipeline(cmd.Context(), args, f)
		},
	}
	cmd.Flags().BoolVar(&f.signals, "signals", false, "write every statistic the filters compute into metadata, for kept documents too")
	addCommonFlags(cmd, &f)
	rootCmd.AddCommand(cmd)
}

// addCommonFlags adds the flags winnow run and winnow dedup share.
func addCommonFlags(cmd *cobra.Command, f *runFlags) {
	cmd.Flags().StringVarP(&f.out, "output", "o", "", "output directory (required)")
	cmd.Flags().StringVar(&f.config, "config", "", "pipeline config (YAML); default: the recommended recipe")
	cmd.Flags().StringVar(&f.format, "format", "", "output format: jsonl.zst or parquet (overrides output.format)")
	cmd.Flags().IntVar(&f.workers, "workers", 0, "worker goroutines (default: all cores); output does not depend on it")
	cmd.Flags().BoolVar(&f.keepRejected, "keep-rejected", false, "write removed documents to OUTDIR/rejected/ with metadata.reason")
	cmd.Flags().BoolVar(&f.strict, "strict", false, "stop at the first unreadable input record")
	cmd.Flags().BoolVarP(&f.quiet, "quiet", "q", false, "no progress output")
	cmd.Flags().StringVar(&f.index, "index", "", "persistent dedup index: deduplicate against what earlier runs with this index kept, and add this run's documents")
	cmd.MarkFlagRequired("output")
}

// loadConfig reads a config file, or gives the recommended recipe.
func loadConfig(path string) (pipeline.Config, error) {
	if path == "" {
		return pipeline.DefaultConfig(), nil
	}
	return pipeline.LoadConfig(path)
}

func runPipeline(ctx context.Context, args []string, f runFlags) error {
	cfg, err := loadConfig(f.config)
	if err != nil {
		return err
	}
	if f.format != "" {
		cfg.Output.Format = f.format
	}
	if f.stages != nil {
		cfg.Stages = nil
		for _, name := range f.stages {
			cfg.Stages = append(cfg.Stages, pipeline.StageSpec{Name: name, Params: pipeline.DefaultParams(name)})
		}
	}
	if f.signals {
		cfg.SetSignals(true)
	}
	if f.index != "" {
		cfg.Set("index_dir", f.index, false)
	}
	// Dedup stages spill beside the output unless told otherwise.
	tmp := filepath.Join(f.out, pipeline.StateDir, "tmp")
	if err := os.MkdirAll(tmp, 0o755); err != nil {
		return err
	}
	cfg.Set("temp_dir", tmp, true)
	inputs, err := read.Expand(args)
	if err != nil {
		return err
	}
	stages, err := pipeline.BuildStages(cfg.Stages)
	if err != nil {
		return err
	}
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	opt := pipeline.Options{
		Inputs:       inputs,
		OutDir:       f.out,
		Workers:      f.workers,
		KeepRejected: f.keepRejected,
		Strict:       f.strict,
	}
	if !f.quiet {
		opt.Progress, opt.Interval = progressPrinter()
	}
	sum, err := pipeline.Run(ctx, cfg, stages, opt)
	if opt.Progress != nil && term.IsTerminal(int(os.Stderr.Fd())) {
		fmt.Fprintln(os.Stderr) // end the progress bar's line
	}
	if errors.Is(err, pipeline.ErrInterrupted) {
		fmt.Fprintf(os.Stderr, "\nwinnow: interrupted; finished shards are kept. Run the same command again to resume:\n  winnow run %s\n", strings.Join(os.Args[2:], " "))
		return &exitError{code: 130, err: err}
	}
	if err != nil {
		return err
	}
	fmt.Fprint(os.Stderr, sum.String())
	return nil
}

// progressPrinter draws a one-line progress bar on a terminal, and a log
// line every 30 seconds otherwise.
func progressPrinter() (func(pipeline.Progress), time.Duration) {
	tty := term.IsTerminal(int(os.Stderr.Fd()))
	interval := 30 * time.Second
	if tty {
		interval = 500 * time.Millisecond
	}
	return func(p pipeline.Progress) {
		secs := p.Elapsed.Seconds()
		if secs <= 0 {
			return
		}
		line := fmt.Sprintf("%s docs  %.0f docs/s", human(p.Docs), float64(p.Docs)/secs)
		if p.Passes > 1 {
			line = fmt.Sprintf("pass %d/%d  %s", p.Pass, p.Passes, line)
		}
		if p.TotalBytes > 0 {
			line += fmt.Sprintf("  %.1f MB/s", float64(p.Bytes)/1e6/secs)
			frac := float64(p.Bytes) / float64(p.TotalBytes)
			eta := "?"
			if frac > 0 {
				eta = time.Duration(secs * (1 - frac) / frac * float64(time.Second)).Round(time.Second).String()
			}
			line = fmt.Sprintf("%s %3.0f%%  %s  ETA %s", bar(frac, 24), 100*frac, line, eta)
		}
		if tty {
			fmt.Fprintf(os.Stderr, "\r\033[K%s", line)
		} else {
			fmt.Fprintf(os.Stderr, "winnow: %s\n", line)
		}
	}, interval
}

func bar(frac float64, width int) string {
	n := int(frac * float64(width))
	n = max(0, min(width, n))
	return "[" + strings.Repeat("#", n) + strings.Repeat(".", width-n) + "]"
}

func human(n int64) string {
	switch {
	case n >= 1e9:
		return fmt.Sprintf("%.1fG", float64(n)/1e9)
	case n >= 1e6:
		return fmt.Sprintf("%.1fM", float64(n)/1e6)
	case n >= 1e4:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return fmt.Sprint(n)
}
