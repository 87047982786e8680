package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/report"
)

func init() {
	var out string
	cmd := &cobra.Command{
		Use:   "report OUTDIR",
		Short: "Write an HTML report with charts of what a run kept and removed",
		Long: `report reads the output directory of "winnow run" (summary.json and the data/
and rejected/ shards) and writes one self-contained HTML page, OUTDIR/report.html
by default: the removal funnel by stage and reason, document lengths before and
after, languages, duplicate cluster sizes, top hosts kept and removed,
throughput over the run and tokens per language (when the tokens stage ran).

The charts are inline SVG: the page needs no network and no script to view.
Removed documents appear in the language and host charts only when the run
had --keep-rejected.`,
		Example: `  winnow run crawl/ -o out/ --keep-rejected && winnow report out/
  winnow report out/ -o /tmp/run.html`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file, s, err := report.WriteFile(args[0], out)
			if err != nil {
				return err
			}
			for _, p := range s.Problems {
				fmt.Fprintln(cmd.ErrOrStderr(), "winnow report: skipped:", p)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d kept and %d removed documents read\n", file, s.Kept, s.Rejected)
			return nil
		},
	}
	cmd.Flags().StringVarP(&out, "output", "o", "", "write the report to this file (default OUTDIR/report.html)")
	rootCmd.AddCommand(cmd)
}
