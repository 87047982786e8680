package clean

import (
	"errors"
	"io/fs"
	"testing"

	"github.com/winnow-corpus/winnow/internal/benchdata"
)

// BenchmarkCleanDev measures the cleaner on the pages of clean-dev, when
// the benchmark data is at ../../shared/bench (winnow bench clean reports
// the same figure beside plain line splitting).
func BenchmarkCleanDev(b *testing.B) {
	pages, err := benchdata.LoadCleanDev("../../shared/bench/clean-dev/docs.jsonl.gz")
	if errors.Is(err, fs.ErrNotExist) {
		b.Skip("clean-dev not found: ../../shared/bench/clean-dev/docs.jsonl.gz")
	}
	if err != nil {
		b.Fatal(err)
	}
	c := newTestCleaner(b)
	total := 0
	for _, p := range pages {
		total += len(p.Text)
	}
	b.SetBytes(int64(total))
	for b.Loop() {
		for _, p := range pages {
			c.Clean(p.Text)
		}
	}
}
