package main

import "github.com/spf13/cobra"

// benchCmd groups the benchmark commands. Each benchmark adds itself as a
// subcommand from its own file (bench_*.go).
var benchCmd = &cobra.Command{
	Use:   "bench",
	Short: "Measure quality and speed on the benchmark data (../shared/bench)",
	Long: `bench runs winnow's benchmarks. Quality benchmarks read the reviewed pages in
../shared/bench (or --data DIR) and skip with a message where they are absent.`,
}

func init() { rootCmd.AddCommand(benchCmd) }
