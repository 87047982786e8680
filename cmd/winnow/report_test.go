package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/inspect"
)

// TestReportAndInspectSample runs the sample crawl, then `winnow report` on
// its output, and opens the inspector's index over it.
func TestReportAndInspectSample(t *testing.T) {
	dir := t.TempDir()
	f := runFlags{out: dir, workers: 1, keepRejected: true, quiet: true}
	if err := runPipeline(context.Background(), []string{filepath.Join("..", "..", "testdata", "sample")}, f); err != nil {
		t.Fatal(err)
	}
	sum := readSummary(t, dir)
	var out bytes.Buffer
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&out)
	rootCmd.SetArgs([]string{"report", dir, "-o", filepath.Join(dir, "r.html")})
	defer rootCmd.SetArgs(nil)
	if err := rootCmd.Execute(); err != nil {
		t.Fatal(err, out.String())
	}
	page, err := os.ReadFile(filepath.Join(dir, "r.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "Removal funnel") || strings.Count(string(page), `<svg class="chart"`) < 7 {
		t.Errorf("report without its charts (%d bytes)", len(page))
	}
	ix, _, err := inspect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Meta.Docs != sum.Written+sum.Rejected {
		t.Errorf("indexed %d documents, the run wrote %d and rejected %d", ix.Meta.Docs, sum.Written, sum.Rejected)
	}
}
