package report_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/report"
	"github.com/winnow-corpus/winnow/report/reporttest"
)

func TestGather(t *testing.T) {
	s, err := report.Gather(reporttest.WriteOutDir(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name      string
		got, want int64
	}{
		{"kept", s.Kept, 3},
		{"rejected", s.Rejected, 2},
		{"en kept", s.LangKept["en"], 2},
		{"de rejected", s.LangRejected["de"], 1},
		{"news.example kept", s.HostKept["news.example"], 2},
		{"mirror.example removed", s.HostRejected["mirror.example"], 1},
		{"clusters of 2", s.ClusterSizes[2], 1}, // k1 and its duplicate r1
		{"clusters of 1", s.ClusterSizes[1], 3},
		{"cl100k en", s.Tokens["cl100k"]["en"], 20},
		{"o200k de", s.Tokens["o200k"]["de"], 8},
		{"docs under 100 chars before", s.LenBefore[0], 5},
		{"docs under 100 chars after", s.LenAfter[0], 3},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %d, want %d", tt.name, tt.got, tt.want)
		}
	}
	if len(s.Problems) != 0 {
		t.Errorf("problems: %v", s.Problems)
	}
}

func TestRenderSelfContained(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	file, _, err := report.WriteFile(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	if file != filepath.Join(dir, "report.html") {
		t.Errorf("file %s", file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	page := string(b)
	for _, want := range []string{
		"Removal funnel", "Removed by stage and reason", "Document length before and after", "Languages",
		"Duplicate cluster sizes", "Top hosts", "Throughput", "Tokens per language",
		"gopher_quality: gopher_min_words", "exact_dedup: exact_duplicate", "c4: c4_policy",
		"<th>cl100k</th>", "<th>29</th>", "<th>27</th>", // token totals
		"tokens kept (cl100k / o200k)</th><td>29 / 27</td>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	// No network: nothing is loaded from elsewhere.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=\s*"(https?:)?//`).FindString(page); m != "" {
		t.Errorf("report loads %s", m)
	}
	// Every chart has marks and axis labels.
	charts := regexp.MustCompile(`(?s)<svg class="chart".*?</svg>`).FindAllString(page, -1)
	if len(charts) != 8 {
		t.Fatalf("%d charts, want 8", len(charts))
	}
	for _, c := range charts {
		if !strings.Contains(c, `class="bar"`) || strings.Count(c, `class="axis-label"`) != 2 || !strings.Contains(c, `class="chart-title"`) {
			t.Errorf("chart without marks, title or axis labels: %.120s", c)
		}
	}
}

func TestHostileOutDir(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	// A corrupt shard and a line that is not JSON must be reported, not fatal.
	os.WriteFile(filepath.Join(dir, "data", "part-00009-00000.jsonl.zst"), []byte("not zstd at all"), 0o644)
	reporttest.WriteShard(t, filepath.Join(dir, "rejected", "part-00009-00000.jsonl.zst"), nil)
	s, err := report.Gather(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kept != 3 || len(s.Problems) != 1 {
		t.Errorf("kept %d, problems %v", s.Kept, s.Problems)
	}
	var buf bytes.Buffer
	if err := report.Render(&buf, s); err != nil {
		t.Fatal(err)
	}
	if _, err := report.Gather(t.TempDir()); err == nil {
		t.Error("Gather of a directory without summary.json succeeded")
	}
}

func TestHostAndStrings(t *testing.T) {
	tests := []struct{ url, want string }{
		{"https://News.Example:8080/a?b", "news.example"},
		{"", ""},
		{"::not a url", ""},
		{"http://[::1]/", "::1"},
	}
	for _, tt := range tests {
		if got := report.Host(tt.url); got != tt.want {
			t.Errorf("Host(%q) = %q, want %q", tt.url, got, tt.want)
		}
	}
}

func TestParquetShards(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	os.Remove(filepath.Join(dir, "data", "part-00000-00000.jsonl.zst"))
	p := filepath.Join(dir, "data", "part-00000-00000.parquet")
	reporttest.WriteParquetShard(t, p, reporttest.Kept)
	s, err := report.Gather(dir)
	if err != nil {
		t.Fatal(err)
	}
	if s.Kept != 3 || s.LangKept["en"] != 2 || s.HostKept["news.example"] != 2 || len(s.Problems) != 0 {
		t.Errorf("kept %d, languages %v, hosts %v, problems %v", s.Kept, s.LangKept, s.HostKept, s.Problems)
	}
	// Rows are read in any order.
	sr, err := report.OpenShard(p)
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	for _, row := range []int64{2, 0, 1, 2} {
		d, err := sr.ReadAt(row, 0)
		if err != nil || d.ID != reporttest.Kept[row].ID || len(d.Removed()) != map[int64]int{0: 2}[row] {
			t.Errorf("row %d: %+v, %v", row, d, err)
		}
	}
	if _, err := sr.ReadAt(3, 0); err == nil {
		t.Error("read row 3 of 3")
	}
	os.WriteFile(filepath.Join(dir, "data", "part-00001-00000.parquet"), []byte("PAR1 not parquet"), 0o644)
	if s, err := report.Gather(dir); err != nil || len(s.Problems) != 1 {
		t.Errorf("corrupt parquet shard: %v, %v", err, s.Problems)
	}
}

func TestShardReaderOrder(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	p := filepath.Join(dir, "data", "part-00000-00000.jsonl.zst")
	type loc struct {
		off int64
		n   int
	}
	var locs []loc
	if err := report.ScanShard(p, func(_ *report.Doc, off int64, n int) error {
		locs = append(locs, loc{off, n})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	sr, err := report.OpenShard(p)
	if err != nil {
		t.Fatal(err)
	}
	defer sr.Close()
	for _, i := range []int{1, 2, 0, 2, 2} { // forwards, back, repeated
		d, err := sr.ReadAt(locs[i].off, locs[i].n)
		if err != nil || d.ID != reporttest.Kept[i].ID {
			t.Errorf("doc %d: %v %v", i, d, err)
		}
	}
	if _, err := sr.ReadAt(locs[2].off+1, locs[2].n); err == nil {
		t.Error("read a document at a wrong offset")
	}
	if d, err := sr.ReadAt(locs[0].off, locs[0].n); err != nil || d.ID != "k0" {
		t.Errorf("after an error: %v %v", d, err)
	}
}
