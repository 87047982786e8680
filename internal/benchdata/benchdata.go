// Package benchdata loads the benchmark data of ../shared/bench for winnow's
// benchmarks, and measures the CPU time they report against. Unit tests never
// use it: the data is for benchmarks and tuning only.
package benchdata

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"syscall"
	"time"
)

// CleanDevPage is one page of clean-dev (clean-dev/docs.jsonl.gz): the
// crawl-style text with every visible block on its own line, a 0/1 label per
// line (1 for main content), and the reviewed main content.
type CleanDevPage struct {
	ID          string `json:"id"`
	URL         string `json:"url"`
	PageType    string `json:"page_type"`
	Text        string `json:"text"`
	Labels      []int  `json:"labels"`
	MainContent string `json:"main_content"`
}

// LoadCleanDev reads clean-dev's docs.jsonl.gz.
func LoadCleanDev(path string) ([]CleanDevPage, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	z, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var pages []CleanDevPage
	dec := json.NewDecoder(bufio.NewReader(z))
	for {
		var p CleanDevPage
		if err := dec.Decode(&p); err == io.EOF {
			return pages, nil
		} else if err != nil {
			return nil, fmt.Errorf("%s: page %d: %w", path, len(pages)+1, err)
		}
		pages = append(pages, p)
	}
}

// CPUTime is the process's user plus system CPU time so far. Benchmarks on
// a shared machine report per CPU-second, which other load disturbs less
// than wall time.
func CPUTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
