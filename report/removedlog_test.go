package report_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/winnow-corpus/winnow/report"
	"github.com/winnow-corpus/winnow/report/reporttest"
)

// ReadDocAt attaches a kept document's removed lines from the shard's
// decision log, and sees a rewritten log rather than a cached copy.
func TestReadDocAtDecisionLog(t *testing.T) {
	dir := t.TempDir()
	shard := filepath.Join(dir, "data", "part-00000-00000.jsonl.zst")
	line := `{"id":"a","text":"kept"}` + "\n"
	reporttest.WriteZst(t, shard, line)
	logPath := report.RemovedLogPath(shard)
	removedOf := func() int {
		t.Helper()
		d, err := report.ReadDocAt(shard, 0, len(line))
		if err != nil {
			t.Fatal(err)
		}
		lines, _ := d.Metadata["removed_lines"].([]any)
		return len(lines)
	}
	if n := removedOf(); n != 0 {
		t.Fatalf("no log: %d removed lines, want 0", n)
	}
	reporttest.WriteZst(t, logPath, `{"id":"a","removed_lines":[{"stage":"c4","line":1,"text":"x"}]}`+"\n")
	for range 2 { // the second read comes from the cache
		if n := removedOf(); n != 1 {
			t.Fatalf("one logged line: %d removed lines", n)
		}
	}
	reporttest.WriteZst(t, logPath, `{"id":"a","removed_lines":[{"stage":"c4","line":1,"text":"x"},{"stage":"c4","line":2,"text":"yy"}]}`+"\n")
	if n := removedOf(); n != 2 {
		t.Fatalf("rewritten log: %d removed lines, want 2", n)
	}
	if err := os.Remove(logPath); err != nil {
		t.Fatal(err)
	}
	if n := removedOf(); n != 0 {
		t.Fatalf("log removed: %d removed lines, want 0", n)
	}
}
