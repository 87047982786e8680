package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/dedup/dedupbench"
	"github.com/winnow-corpus/winnow/dedup/minhash"
)

func init() {
	var (
		data                  string
		variants, docs, scale int
		memMB, bands, rows    int
		minJ, verify          float64
		accuracy              bool
	)
	cmd := &cobra.Command{
		Use: "dedup",
		Example: `  winnow bench dedup
  winnow bench dedup --docs 20000 --scale 2000000 --mem-mb 256`,
		Short: "Score near-duplicate detection on planted duplicates and measure dedup speed and scale",
		Long: `bench dedup builds a corpus from the reviewed main contents of clean-dev
(../shared/bench/clean-dev/docs.jsonl.gz, or --data DIR), plants --variants
edited copies of every page at target Jaccard similarities drawn uniformly
from [--min-jaccard, 1], runs the MinHash stage, and prints for each band of
true (exactly computed) Jaccard similarity the share of planted pairs caught,
beside the theoretical LSH curve 1-(1-J^r)^b, with the issue's targets.

It then measures throughput, in documents per CPU-second of the whole MinHash
dedup, on --docs crawl-style documents (clean-dev's full page texts, about
16 KB each, with planted copies), beside text normalization in the same run.

--scale N runs the clustering steps (pairs, external sort under --mem-mb,
union-find, filter) over N synthetic documents and reports docs/s per step,
the peak RSS, and the time for a billion documents on 1, 10, 100 machines.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg := minhash.DefaultConfig()
			cfg.Bands, cfg.Rows, cfg.VerifyThreshold = bands, rows, verify
			if !accuracy {
				variants = -1
			}
			return benchDedup(cmd.OutOrStdout(), data, cfg, variants, minJ, docs, scale, memMB)
		},
	}
	f := cmd.Flags()
	f.StringVar(&data, "data", filepath.Join("..", "shared", "bench"), "benchmark data directory")
	f.BoolVar(&accuracy, "accuracy", true, "run the accuracy benchmark")
	f.IntVar(&variants, "variants", 2, "near duplicates planted per page")
	f.Float64Var(&minJ, "min-jaccard", 0.4, "lowest target Jaccard similarity of a planted copy")
	f.IntVar(&docs, "docs", 4000, "documents in the throughput corpus (0: skip)")
	f.IntVar(&scale, "scale", 0, "synthetic documents for the scale benchmark (0: skip; the issue's figure is 2000000)")
	f.IntVar(&memMB, "mem-mb", 256, "memory cap for the pairs in the scale benchmark, in MB")
	f.IntVar(&bands, "bands", 14, "LSH bands")
	f.IntVar(&rows, "rows", 8, "rows per band")
	f.Float64Var(&verify, "verify", minhash.DefaultConfig().VerifyThreshold, "estimated Jaccard a candidate pair must reach (0: accept every band collision, as datatrove)")
	benchCmd.AddCommand(cmd)
}

// benchDedup runs the benchmarks; variants < 0 skips the accuracy one.
func benchDedup(w io.Writer, data string, cfg minhash.Config, variants int, minJ float64, docs, scale, memMB int) error {
	tmp, err := os.MkdirTemp("", "winnow-bench-dedup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	cfg.TempDir = tmp

	var sigPerCPU float64
	path := filepath.Join(data, "clean-dev", "docs.jsonl.gz")
	pages, err := dedupbench.LoadPages(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(w, "bench dedup: %s is missing: skipping the accuracy and throughput benchmarks\n", path)
	case err != nil:
		return err
	case variants >= 0:
		var main []string
		for _, p := range pages {
			main = append(main, p.MainContent)
		}
		fmt.Fprintf(w, "== accuracy: %d clean-dev main contents + %d planted copies each\n", len(main), variants)
		corpus := dedupbench.BuildCorpus(main, variants, minJ, cfg.ShingleSize, 1)
		rep, err := dedupbench.Accuracy(corpus, cfg, tmp)
		if err != nil {
			return err
		}
		rep.Print(w)
	}
	if err == nil && docs > 0 {
		var texts []string
		for _, p := range pages {
			texts = append(texts, p.Text)
		}
		per := max(0, (docs+len(texts)-1)/len(texts)-1)
		corpus := dedupbench.BuildCorpus(texts, per, 0.5, cfg.ShingleSize, 2)
		corpus = corpus[:min(docs, len(corpus))]
		fmt.Fprintf(w, "\n== throughput: %d crawl-style documents, GOMAXPROCS %d\n", len(corpus), runtime.GOMAXPROCS(0))
		tr, err := dedupbench.Throughput(corpus, cfg, tmp)
		if err != nil {
			return err
		}
		tr.Print(w)
		sigPerCPU = float64(tr.Docs) / tr.Steps[0].CPU.Seconds()
	}
	if scale > 0 {
		fmt.Fprintf(w, "\n== scale\n")
		sr, err := dedupbench.Scale(scale, memMB, tmp, tmp)
		if err != nil {
			return err
		}
		sr.Print(w, sigPerCPU, runtime.NumCPU())
	}
	return nil
}
