package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/internal/benchdata"
	"github.com/winnow-corpus/winnow/quality"
	"github.com/winnow-corpus/winnow/record"
)

// datatrove's throughput on the same kind of corpus (20,000 crawl-style
// documents of about 16 KB, on this machine class), in documents per
// CPU-second: the published reference of the speed target.
const (
	datatroveChainDocsPerCPUSecond  = 55
	datatroveGopherDocsPerCPUSecond = 82
	filtersTargetRatio              = 50
)

func init() {
	var (
		data string
		docs int
	)
	cmd := &cobra.Command{
		Use: "filters",
		Example: `  winnow bench filters
  winnow bench filters --data /data/bench`,
		Short: "Measure the quality filters' throughput in documents per CPU-second",
		Long: `bench filters runs FineWeb's filter chain (Gopher repetition, Gopher quality,
C4 without the terminal-punctuation rule, FineWeb) over the texts of
../shared/bench/clean-dev cycled to --docs documents (20,000 by default), each
copy with a small edit (one space doubled), on one goroutine. It reports
documents and MB per CPU-second (user + system time of the process), for the
chain with and without signals and for Gopher quality alone, against
datatrove's figures on the same kind of corpus (55 and 82 documents per
CPU-second; the target is 50 times as many), and against a reference measured
in the same run: splitting every document into lines and white-space words.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return benchFilters(cmd.OutOrStdout(), data, docs)
		},
	}
	cmd.Flags().StringVar(&data, "data", filepath.Join("..", "shared", "bench"), "benchmark data directory")
	cmd.Flags().IntVar(&docs, "docs", 20_000, "documents to run through the filters")
	benchCmd.AddCommand(cmd)
}

func benchFilters(w io.Writer, data string, n int) error {
	path := filepath.Join(data, "clean-dev", "docs.jsonl.gz")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(w, "bench filters: skipped: %s not found (pass --data DIR, the folder holding clean-dev/)\n", path)
		return nil
	}
	if n < 1 {
		return errors.New("bench filters: --docs must be positive")
	}
	pages, err := loadCleanDev(path)
	if err != nil {
		return err
	}
	if len(pages) == 0 {
		return fmt.Errorf("bench filters: %s holds no pages", path)
	}
	texts := make([]string, len(pages))
	for i, p := range pages {
		texts[i] = p.Text
	}
	corpus := cycleTexts(texts, n)
	total := 0
	for _, t := range corpus {
		total += len(t)
	}
	mb := float64(total) / 1e6
	fmt.Fprintf(w, "corpus: %d documents (clean-dev's %d texts cycled, one space doubled per copy), %.1f MB, mean %.1f KB\n\n",
		len(corpus), len(texts), mb, float64(total)/float64(len(corpus))/1e3)

	gopher, err := quality.NewGopherQuality(quality.DefaultGopherQualityConfig())
	if err != nil {
		return err
	}
	runs := []struct {
		name      string
		filters   []quality.Filter
		datatrove float64
	}{
		{"reference: split lines and words", nil, 0},
		{"FineWeb chain", quality.FineWebChain(false), datatroveChainDocsPerCPUSecond},
		{"FineWeb chain, signals on", quality.FineWebChain(true), datatroveChainDocsPerCPUSecond},
		{"Gopher quality alone", []quality.Filter{gopher}, datatroveGopherDocsPerCPUSecond},
	}
	fmt.Fprintf(w, "%-34s %11s %9s %8s %15s %7s\n", "run", "docs/CPU-s", "MB/CPU-s", "vs ref", "vs datatrove", "kept")
	var refRate float64
	var chainReasons map[string]int
	for _, run := range runs {
		reasons := map[string]int{}
		kept := 0
		cpu := benchdata.CPUTime()
		for _, text := range corpus {
			if run.filters == nil {
				// The reference: the least any line-and-word filter must do.
				kept += len(strings.Split(text, "\n")) + len(strings.Fields(text))
				continue
			}
			r := record.Record{Text: text}
			ok := true
			for _, f := range run.filters {
				if ok = f.Process(&r); !ok {
					reasons[r.Rejection.Reason]++
					break
				}
			}
			if ok {
				kept++
			}
		}
		secs := (benchdata.CPUTime() - cpu).Seconds()
		if secs <= 0 {
			secs = 1e-9
		}
		rate := float64(len(corpus)) / secs
		if run.filters == nil {
			refRate = rate
			fmt.Fprintf(w, "%-34s %11.0f %9.1f %8s %15s %7s\n", run.name, rate, mb/secs, "1", "", "")
			continue
		}
		if chainReasons == nil {
			chainReasons = reasons
		}
		vs := fmt.Sprintf("%.1fx (%.0f)", rate/run.datatrove, run.datatrove)
		fmt.Fprintf(w, "%-34s %11.0f %9.1f %8.3f %15s %7d\n", run.name, rate, mb/secs, rate/refRate, vs, kept)
	}
	fmt.Fprintf(w, "\ntarget: %dx datatrove, %d documents per CPU-second for the chain\n",
		filtersTargetRatio, filtersTargetRatio*datatroveChainDocsPerCPUSecond)
	fmt.Fprintf(w, "rejections by the FineWeb chain:\n")
	type count struct {
		reason string
		n      int
	}
	var counts []count
	for r, c := range chainReasons {
		counts = append(counts, count{r, c})
	}
	sort.Slice(counts, func(i, j int) bool {
		if counts[i].n != counts[j].n {
			return counts[i].n > counts[j].n
		}
		return counts[i].reason < counts[j].reason
	})
	for _, c := range counts {
		fmt.Fprintf(w, "  %-28s %6d\n", c.reason, c.n)
	}
	return nil
}

// cycleTexts repeats texts to n documents. Copy k of a text has its k-th
// space doubled, a small edit, so that no two documents are equal.
func cycleTexts(texts []string, n int) []string {
	out := make([]string, n)
	for i := range out {
		t := texts[i%len(texts)]
		k := i / len(texts)
		for j, spaces := 0, 0; j < len(t) && k > 0; j++ {
			if t[j] != ' ' {
				continue
			}
			if spaces++; spaces == k {
				t = t[:j] + " " + t[j:]
				break
			}
		}
		out[i] = t
	}
	return out
}
