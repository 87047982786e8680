// Package reporttest writes a small, known output directory of `winnow run`
// for the tests of the report and the inspector.
package reporttest

import (
	"os"
	"path/filepath"
	"testing"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
)

// Doc is one document line of a shard.
type Doc struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	URL      string         `json:"url,omitempty"`
	Metadata map[string]any `json:"metadata,omitempty"`
}

// Kept and Rejected are the documents WriteOutDir writes. Kept[0] has two
// lines removed by c4 (a decision log); Rejected[1] is an exact duplicate of
// Kept[1]; Rejected[0] was too short.
var (
	Kept = []Doc{
		{ID: "k0", URL: "https://news.example/a", Text: "First kept line.\nSecond kept line.", Metadata: map[string]any{
			"language": "en", "tokens_cl100k": 8,
			"removed_lines": []any{
				map[string]any{"stage": "c4", "line": 1, "text": "Accept all cookies", "reason": "c4_policy"},
				map[string]any{"stage": "c4", "line": 3, "text": "Share this", "reason": "c4_min_words"},
			}}},
		{ID: "k1", URL: "https://blog.example/post", Text: "Ein Text auf Deutsch über Brücken.", Metadata: map[string]any{"language": "de", "dup_cluster_size": 2}},
		{ID: "k2", URL: "https://news.example/b", Text: "Another English document about the harbour.", Metadata: map[string]any{"language": "en"}},
	}
	Rejected = []Doc{
		{ID: "r0", URL: "https://spam.example/x", Text: "Buy now", Metadata: map[string]any{"language": "en",
			"reason": "gopher_min_words", "rejected_by": "gopher_quality", "reason_detail": "2 words < 50"}},
		{ID: "r1", URL: "https://mirror.example/post", Text: "Ein Text auf Deutsch über Brücken.", Metadata: map[string]any{"language": "de",
			"reason": "exact_duplicate", "rejected_by": "exact_dedup", "duplicate_of": "k1"}},
	}
)

// Summary is the summary.json WriteOutDir writes, consistent with the docs.
const Summary = `{"inputs":1,"read":5,"written":3,"rejected":2,"unreadable":0,"reconciled":true,
"rejected_by_reason":{"gopher_min_words":1,"exact_duplicate":1},
"stages":[{"name":"c4","in":5,"kept":5,"rejected":{},"lines_removed":{"c4_policy":1,"c4_min_words":1}},
{"name":"gopher_quality","in":5,"kept":4,"rejected":{"gopher_min_words":1}},
{"name":"exact_dedup","in":4,"kept":3,"rejected":{"exact_duplicate":1}},
{"name":"tokens","in":3,"kept":3,"rejected":{}}],
"bytes":{"input_files":1000,"text_in":300,"text_out":120},
"counters":{"tokens_cl100k/en":20,"tokens_cl100k/de":9,"tokens_o200k/en":19,"tokens_o200k/de":8},
"timeline":[{"seconds":0,"docs":2,"bytes":100},{"seconds":3,"docs":5,"bytes":300}],
"seconds":3.5,"docs_per_second":1.4,"input_mb_per_second":0.0001}`

// WriteOutDir writes summary.json, data/part-00000-00000.jsonl.zst (Kept) and
// rejected/part-00000-00000.jsonl.zst (Rejected) under a new temporary
// directory and returns it.
func WriteOutDir(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "summary.json"), []byte(Summary), 0o644); err != nil {
		t.Fatal(err)
	}
	WriteShard(t, filepath.Join(dir, "data", "part-00000-00000.jsonl.zst"), Kept)
	WriteShard(t, filepath.Join(dir, "rejected", "part-00000-00000.jsonl.zst"), Rejected)
	return dir
}

// WriteShard writes docs as a zstd-compressed JSONL shard.
func WriteShard(t testing.TB, path string, docs []Doc) {
	t.Helper()
	var body []byte
	for _, d := range docs {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		body = append(append(body, b...), '\n')
	}
	WriteZst(t, path, string(body))
}

// WriteZst writes body zstd-compressed to path, making its directory.
func WriteZst(t testing.TB, path, body string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw, err := zstd.NewWriter(f)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write([]byte(body)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// WriteParquetShard writes docs as `winnow run` does with output.format
// parquet (metadata as a JSON string column).
func WriteParquetShard(t testing.TB, path string, docs []Doc) {
	t.Helper()
	type row struct {
		ID       string `parquet:"id"`
		Text     string `parquet:"text"`
		URL      string `parquet:"url"`
		Metadata string `parquet:"metadata"`
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := parquet.NewGenericWriter[row](f, parquet.Compression(&parquet.Zstd))
	for _, d := range docs {
		meta, err := json.Marshal(d.Metadata)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]row{{ID: d.ID, Text: d.Text, URL: d.URL, Metadata: string(meta)}}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
