package main

import (
	"github.com/spf13/cobra"
)

func init() {
	var f runFlags
	var lines, urls, noNear bool
	cmd := &cobra.Command{
		Use:   "dedup INPUT... -o OUTDIR",
		Short: "Remove exact and near-duplicate documents (MinHash LSH), optionally against earlier runs",
		Long: `dedup keeps one document of each duplicate cluster: the first in corpus order
(input files in sorted order, records in file order). Kept members of a
cluster get metadata dup_cluster_id and dup_cluster_size; removed ones go to
OUTDIR/rejected/ (with --keep-rejected) with metadata.reason
(exact_duplicate, near_duplicate, url_duplicate) and metadata.duplicate_of.

Inputs and output layout are those of "winnow run". The stages are
exact_dedup and minhash_dedup (FineWeb's settings: word 5-grams, 14 bands x 8
rows), with --urls and --lines adding url_dedup and line_dedup (cc_net). Use
"winnow run --config" with those stages for other parameters.

With --index DIR, documents are also compared with everything earlier runs
with the same index kept, and this run's kept documents are added to it.`,
		Example: `  winnow dedup corpus/data/*.jsonl.zst -o deduped --keep-rejected
  winnow dedup crawl-2024/*.jsonl.zst -o out-2024 --index dedup-index
  winnow dedup crawl-2025/*.jsonl.zst -o out-2025 --index dedup-index   # also against 2024's output`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if urls {
				f.stages = append(f.stages, "url_dedup")
			}
			f.stages = append(f.stages, "exact_dedup")
			if !noNear {
				f.stages = append(f.stages, "minhash_dedup")
			}
			if lines {
				f.stages = append(f.stages, "line_dedup")
			}
			return runPipeline(cmd.Context(), args, f)
		},
	}
	addCommonFlags(cmd, &f)
	cmd.Flags().BoolVar(&urls, "urls", false, "also keep one document per normalized URL")
	cmd.Flags().BoolVar(&lines, "lines", false, "also drop lines repeated across the corpus (cc_net)")
	cmd.Flags().BoolVar(&noNear, "exact-only", false, "exact duplicates only, no MinHash")
	rootCmd.AddCommand(cmd)
}
