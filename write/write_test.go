package write

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"

	"github.com/winnow-corpus/winnow/record"
)

func sampleRecords() []*record.Record {
	return []*record.Record{
		{ID: "a", URL: "https://example.com/a", Text: "Hello <b>world</b>\n", Metadata: map[string]any{"z": 1, "a": "x", "m": []string{"q"}}},
		{ID: "b", Text: "no url, no metadata"},
		{ID: "c", Text: "rejected", Rejection: &record.Rejection{Stage: "exact_dedup", Reason: "exact_duplicate", DuplicateOf: "a"},
			Removed: []record.RemovedLine{{Stage: "clean", Line: 3, Text: "Accept cookies", Reason: "cookie"}}},
	}
}

func TestJSONLShard(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "part-0.jsonl.zst")
	w, err := Create(path, JSONLZstd, Options{Rejected: true, DecisionLog: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range sampleRecords() {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("final file exists before Commit: %v", err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Fatalf("temporary file left after Commit")
	}
	f, _ := os.Open(path)
	defer f.Close()
	zr, _ := zstd.NewReader(f)
	defer zr.Close()
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines", len(lines))
	}
	want0 := `{"id":"a","text":"Hello <b>world</b>\n","url":"https://example.com/a","metadata":{"a":"x","m":["q"],"z":1}}`
	if lines[0] != want0 {
		t.Errorf("line 0 = %s\nwant     %s", lines[0], want0)
	}
	var d Doc
	if err := json.Unmarshal([]byte(lines[2]), &d); err != nil {
		t.Fatal(err)
	}
	if d.Metadata["reason"] != "exact_duplicate" || d.Metadata["duplicate_of"] != "a" || d.Metadata["rejected_by"] != "exact_dedup" || d.Metadata["removed_lines"] == nil {
		t.Errorf("rejected metadata = %v", d.Metadata)
	}
}

func TestAbortLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []Format{JSONLZstd, Parquet} {
		path := filepath.Join(dir, "x"+f.Ext())
		w, err := Create(path, f, Options{})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(sampleRecords()[0])
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("left %d files", len(entries))
	}
}

func TestParquetShard(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.parquet")
	w, err := Create(path, Parquet, Options{})
	if err != nil {
		t.Fatal(err)
	}
	recs := sampleRecords()
	for _, r := range recs {
		if err := w.Write(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	rows, err := parquet.ReadFile[parquetRow](path)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(recs) {
		t.Fatalf("%d rows", len(rows))
	}
	for i, row := range rows {
		if row.ID != recs[i].ID || row.Text != recs[i].Text || row.URL != recs[i].URL {
			t.Errorf("row %d = %+v", i, row)
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(row.Metadata), &m); err != nil {
			t.Errorf("row %d metadata %q: %v", i, row.Metadata, err)
		}
	}
}

func TestDeterministicBytes(t *testing.T) {
	write := func() []byte {
		path := filepath.Join(t.TempDir(), "d.jsonl.zst")
		w, _ := Create(path, JSONLZstd, Options{})
		for i := range 2000 {
			w.Write(&record.Record{ID: fmt.Sprint(i), Text: strings.Repeat("word ", i%50), Metadata: map[string]any{"k": i, "b": true, "a": "s"}})
		}
		w.Commit()
		b, _ := os.ReadFile(path)
		return b
	}
	if !bytes.Equal(write(), write()) {
		t.Error("two writes of the same records differ")
	}
}

func TestParseFormat(t *testing.T) {
	for _, s := range []string{"jsonl.zst", "parquet"} {
		if _, err := ParseFormat(s); err != nil {
			t.Error(err)
		}
	}
	if _, err := ParseFormat("csv"); err == nil {
		t.Error("csv accepted")
	}
}

// BenchmarkJSONLZstd measures shard writing in MB/s of JSON written, beside
// the reference of compressing the same bytes with the same zstd encoder
// alone (ratio_vs_zstd: how much encoding costs on top of compression).
func BenchmarkJSONLZstd(b *testing.B) {
	var recs []*record.Record
	var raw bytes.Buffer
	for i := range 2000 {
		r := &record.Record{ID: fmt.Sprintf("doc-%d", i), URL: fmt.Sprintf("https://example.com/%d", i),
			Text:     strings.Repeat(fmt.Sprintf("The %d quick brown foxes jump over the lazy dog. ", i), 20+i%40),
			Metadata: map[string]any{"language": "en", "language_score": 0.93, "warc_date": "2024-01-01T00:00:00Z"}}
		recs = append(recs, r)
		line, _ := MarshalDoc(r, Options{})
		raw.Write(append(line, '\n'))
	}
	dir := b.TempDir()
	var zstdNS float64
	b.Run("zstd-only", func(b *testing.B) {
		b.SetBytes(int64(raw.Len()))
		for range b.N {
			zw, _ := zstd.NewWriter(io.Discard, zstd.WithEncoderConcurrency(1))
			zw.Write(raw.Bytes())
			zw.Close()
		}
		zstdNS = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("shard", func(b *testing.B) {
		b.SetBytes(int64(raw.Len()))
		for i := range b.N {
			w, err := Create(filepath.Join(dir, fmt.Sprintf("s%d.jsonl.zst", i)), JSONLZstd, Options{})
			if err != nil {
				b.Fatal(err)
			}
			for _, r := range recs {
				w.Write(r)
			}
			if err := w.Commit(); err != nil {
				b.Fatal(err)
			}
		}
		if zstdNS > 0 {
			b.ReportMetric(zstdNS/(float64(b.Elapsed().Nanoseconds())/float64(b.N)), "speed_vs_zstd_only")
		}
	})
}
