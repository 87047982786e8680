package inspect_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/winnow-corpus/winnow/inspect"
	"github.com/winnow-corpus/winnow/report/reporttest"
)

// BenchmarkMillion measures the inspector on a synthetic run of
// $WINNOW_INSPECT_DOCS documents (default 1,000,000) in shards of 50,000:
// building the index once, then opening it, filtering, searching and
// reading one document, as the metrics build-s, open-ms, filter-ms,
// search-ms, doc-ms, plus the heap in use after opening (heap-MB) and
// index bytes per document. Run it alone: go test -run X -bench Million
// -benchtime 1x ./inspect
func BenchmarkMillion(b *testing.B) {
	n := 1_000_000
	if s := os.Getenv("WINNOW_INSPECT_DOCS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	dir := b.TempDir()
	os.WriteFile(filepath.Join(dir, "summary.json"), []byte(reporttest.Summary), 0o644)
	const per = 50_000
	langs := []string{"en", "de", "fr", "es", "ja"}
	for s := 0; s*per < n; s++ {
		var docs []reporttest.Doc
		for i := s * per; i < min(n, (s+1)*per); i++ {
			docs = append(docs, reporttest.Doc{ID: fmt.Sprintf("doc-%07d", i), URL: fmt.Sprintf("https://site%d.example/p/%d", i%5000, i),
				Text:     fmt.Sprintf("Document %d of the synthetic run.\nIt has a second line about topic %d.", i, i%997),
				Metadata: map[string]any{"language": langs[i%len(langs)], "title": fmt.Sprintf("Page %d", i)}})
		}
		kind := "data"
		if s%4 == 3 {
			kind = "rejected"
			for i := range docs {
				docs[i].Metadata["reason"] = "gopher_min_words"
			}
		}
		reporttest.WriteShard(b, filepath.Join(dir, kind, fmt.Sprintf("part-%05d-00000.jsonl.zst", s)), docs)
	}
	for b.Loop() {
		os.RemoveAll(filepath.Join(dir, inspect.IndexDir))
		t0 := time.Now()
		if _, _, err := inspect.Open(dir); err != nil {
			b.Fatal(err)
		}
		build := time.Since(t0)
		runtime.GC()
		var m0, m1 runtime.MemStats
		runtime.ReadMemStats(&m0)
		t0 = time.Now()
		ix, rebuilt, err := inspect.Open(dir)
		if err != nil || rebuilt {
			b.Fatal("reopen rebuilt the index", err)
		}
		open := time.Since(t0)
		runtime.GC()
		runtime.ReadMemStats(&m1)
		t0 = time.Now()
		hits, _, err := ix.Query(inspect.Filter{Language: "ja", Status: "removed"}, 1000, inspect.PageSize)
		if err != nil || len(hits) != inspect.PageSize {
			b.Fatal("filter", len(hits), err)
		}
		filter := time.Since(t0)
		t0 = time.Now()
		hits, _, err = ix.Query(inspect.Filter{Text: "topic 996."}, 0, inspect.PageSize)
		if err != nil || len(hits) != inspect.PageSize {
			b.Fatal("search", len(hits), err)
		}
		search := time.Since(t0)
		t0 = time.Now()
		if d, _, err := ix.Doc(ix.Meta.Docs - 1); err != nil || d.ID == "" {
			b.Fatal(err)
		}
		doc := time.Since(t0)
		st, _ := os.Stat(filepath.Join(dir, inspect.IndexDir, "docs.bin"))
		lab, _ := os.Stat(filepath.Join(dir, inspect.IndexDir, "labels.bin"))
		b.ReportMetric(build.Seconds(), "build-s")
		b.ReportMetric(float64(open.Microseconds())/1000, "open-ms")
		b.ReportMetric(float64(filter.Microseconds())/1000, "filter-ms")
		b.ReportMetric(float64(search.Microseconds())/1000, "search-ms")
		b.ReportMetric(float64(doc.Microseconds())/1000, "doc-ms")
		b.ReportMetric(float64(int64(m1.HeapInuse)-int64(m0.HeapInuse))/1e6, "heap-MB")
		b.ReportMetric(float64(st.Size()+lab.Size())/float64(ix.Meta.Docs), "index-B/doc")
	}
}
