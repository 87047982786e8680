// Command winnow turns raw web crawls into clean, deduplicated text corpora.
//
// Each subcommand lives in its own file of this folder and adds itself to the
// root command in an init function.
package main

import (
	"fmt"
	"os"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

var rootCmd = &cobra.Command{
	Use:   "winnow",
	Short: "Turn raw web crawls into clean, deduplicated text corpora",
	Long: `winnow reads web crawls (WARC/WET, JSONL, Parquet, text files), extracts and
cleans the text, filters and deduplicates it, and writes a corpus with every
removal accounted for.`,
	SilenceUsage:  true,
	SilenceErrors: true,
}

var cpuProfile string

func init() {
	rootCmd.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile to this file (for go tool pprof)")
	rootCmd.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if cpuProfile == "" {
			return nil
		}
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		return pprof.StartCPUProfile(f)
	}
	rootCmd.PersistentPostRun = func(cmd *cobra.Command, args []string) {
		if cpuProfile != "" {
			pprof.StopCPUProfile()
		}
	}
}

func main() {
	err := rootCmd.Execute()
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "winnow:", err)
		os.Exit(exitCode(err))
	}
}

// exitError carries a process exit code.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	if e, ok := err.(*exitError); ok {
		return e.code
	}
	return 1
}
