package main

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	json "github.com/goccy/go-json"
	"github.com/spf13/cobra"
)

func init() {
	var sizes, config string
	var workers int
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Peak memory and throughput of `winnow run` as the input grows",
		Long: `bench run generates JSONL corpora of the given sizes (synthetic documents from
1 KB to 100 KB, with a 5 MB one every 2,000), runs "winnow run" on each in a child
process, and prints input MB, seconds, MB/s, CPU-seconds and peak RSS. The
runner streams with bounded queues, so peak RSS should stay flat as the input
grows: the last column is the peak RSS relative to the smallest input's.`,
		Example: `  winnow bench run                          # 100MB, 500MB, 2GB with no stages
  winnow bench run --sizes 100MB,1GB --config pipeline.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return benchRun(cmd.Context(), sizes, config, workers)
		},
	}
	cmd.Flags().StringVar(&sizes, "sizes", "100MB,500MB,2GB", "input sizes to generate")
	cmd.Flags().StringVar(&config, "config", "", "pipeline config for the runs (default: no stages, the runner and writer alone)")
	cmd.Flags().IntVar(&workers, "workers", 0, "workers for the runs (default: all cores)")
	benchCmd.AddCommand(cmd)
}

func parseSize(s string) (int64, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		m      int64
	}{{"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSuffix(s, u.suffix), u.m
			break
		}
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("bad size %q", s)
	}
	return int64(f * float64(mult)), nil
}

// genCorpus writes size bytes of synthetic JSONL documents to path.
func genCorpus(path string, size int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	rng := rand.New(rand.NewPCG(1, 2))
	vocab := strings.Fields("the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were her she there been one all we their has would when if so no will can more other time people said years about new first could into after")
	var written int64
	var sb strings.Builder
	for i := 0; written < size; i++ {
		n := 1000 + rng.IntN(100_000)
		if i%2000 == 500 { // a few 5 MB documents, the first one early
			n = 5 << 20
		}
		sb.Reset()
		for sb.Len() < n {
			for range 8 + rng.IntN(12) {
				sb.WriteString(vocab[rng.IntN(len(vocab))])
				sb.WriteByte(' ')
			}
			sb.WriteString("end.\n")
		}
		line, err := json.Marshal(map[string]any{"id": fmt.Sprintf("doc-%d", i), "url": fmt.Sprintf("https://example.com/%d", i), "text": sb.String()})
		if err != nil {
			return err
		}
		w.Write(line)
		w.WriteByte('\n')
		written += int64(len(line) + 1)
	}
	return w.Flush()
}

func benchRun(ctx context.Context, sizeList, config string, workers int) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "winnow-bench-run-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if config == "" {
		config = filepath.Join(tmp, "none.yaml")
		if err := os.WriteFile(config, []byte("stages: []\n"), 0o644); err != nil {
			return err
		}
	}
	fmt.Printf("%-10s %8s %8s %9s %10s %12s %8s\n", "input", "docs", "seconds", "MB/s", "CPU-s", "peak RSS MB", "vs first")
	var firstRSS float64
	for _, s := range strings.Split(sizeList, ",") {
		size, err := parseSize(s)
		if err != nil {
			return err
		}
		in := filepath.Join(tmp, "in.jsonl")
		if err := genCorpus(in, size); err != nil {
			return err
		}
		out := filepath.Join(tmp, "out")
		os.RemoveAll(out)
		args := []string{"run", in, "-o", out, "-q", "--config", config}
		if workers > 0 {
			args = append(args, "--workers", strconv.Itoa(workers))
		}
		c := exec.CommandContext(ctx, exe, args...)
		var stderr strings.Builder
		c.Stderr = &stderr
		start := time.Now()
		if err := c.Run(); err != nil {
			return fmt.Errorf("winnow run on %s: %w\n%s", s, err, stderr.String())
		}
		secs := time.Since(start).Seconds()
		ru := c.ProcessState.SysUsage().(*syscall.Rusage)
		rss := float64(ru.Maxrss) / 1024 // KB -> MB
		cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano()).Seconds()
		if firstRSS == 0 {
			firstRSS = rss
		}
		var sum struct {
			Read int64 `json:"read"`
		}
		if b, err := os.ReadFile(filepath.Join(out, "summary.json")); err == nil {
			json.Unmarshal(b, &sum)
		}
		fmt.Printf("%-10s %8d %8.1f %9.1f %10.1f %12.0f %8.2f\n", s, sum.Read, secs, float64(size)/1e6/secs, cpu, rss, rss/firstRSS)
		os.Remove(in)
		os.RemoveAll(out)
	}
	return nil
}
