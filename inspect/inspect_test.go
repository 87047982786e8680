package inspect_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/inspect"
	"github.com/winnow-corpus/winnow/report"
	"github.com/winnow-corpus/winnow/report/reporttest"
)

func TestReconstruct(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		removed []report.RemovedLine
		want    string // lines, removed ones as -text
	}{
		{"nothing removed", "a\nb", nil, "a|b"},
		{"one stage", "a\nc", []report.RemovedLine{{Stage: "c4", Line: 1, Text: "B"}, {Stage: "c4", Line: 3, Text: "D"}},
			"a|-B|c|-D"},
		// clean saw "x a y b"; it removed x (0) and y (2), leaving "a b"; then
		// c4 saw "a b" and removed b (1), leaving "a".
		{"two stages", "a", []report.RemovedLine{{Stage: "clean", Line: 0, Text: "x"}, {Stage: "clean", Line: 2, Text: "y"},
			{Stage: "c4", Line: 1, Text: "b"}}, "-x|a|-y|-b"},
		{"out of range", "a", []report.RemovedLine{{Stage: "extract", Line: 99, Text: "z"}, {Stage: "extract", Line: -4, Text: "w"}},
			"-w|a|-z"},
		{"all removed", "", []report.RemovedLine{{Stage: "c4", Line: 0, Text: "p"}, {Stage: "c4", Line: 1, Text: "q"}}, "-p|-q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, l := range inspect.Reconstruct(tt.text, tt.removed) {
				if l.Removed {
					got = append(got, "-"+l.Text)
				} else {
					got = append(got, l.Text)
				}
			}
			if s := strings.Join(got, "|"); s != tt.want {
				t.Errorf("got %s, want %s", s, tt.want)
			}
		})
	}
}

func openFixture(t *testing.T) (*inspect.Index, string) {
	t.Helper()
	dir := reporttest.WriteOutDir(t)
	ix, rebuilt, err := inspect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if !rebuilt {
		t.Error("first Open did not build the index")
	}
	return ix, dir
}

func TestQuery(t *testing.T) {
	ix, _ := openFixture(t)
	if ix.Meta.Docs != 5 {
		t.Fatalf("%d docs indexed, want 5", ix.Meta.Docs)
	}
	tests := []struct {
		name string
		f    inspect.Filter
		want string // ids in order
	}{
		{"all", inspect.Filter{}, "k0 k1 k2 r0 r1"},
		{"kept", inspect.Filter{Status: "kept"}, "k0 k1 k2"},
		{"removed", inspect.Filter{Status: "removed"}, "r0 r1"},
		{"reason", inspect.Filter{Reason: "exact_duplicate"}, "r1"},
		{"unknown reason", inspect.Filter{Reason: "nope"}, ""},
		{"language", inspect.Filter{Language: "de"}, "k1 r1"},
		{"host", inspect.Filter{Host: "news.example"}, "k0 k2"},
		{"parent host", inspect.Filter{Host: "example"}, "k0 k1 k2 r0 r1"},
		{"text", inspect.Filter{Text: "HARBOUR"}, "k2"},
		{"text across shards", inspect.Filter{Text: "brücken"}, "k1 r1"},
		{"text and status", inspect.Filter{Text: "brücken", Status: "removed"}, "r1"},
		{"no text match", inspect.Filter{Text: "zebra"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hits, more, err := ix.Query(tt.f, 0, 10)
			if err != nil {
				t.Fatal(err)
			}
			var ids []string
			for _, h := range hits {
				ids = append(ids, h.ID)
			}
			if got := strings.Join(ids, " "); got != tt.want || more {
				t.Errorf("got %q (more %v), want %q", got, more, tt.want)
			}
		})
	}
	hits, more, _ := ix.Query(inspect.Filter{}, 1, 2)
	if len(hits) != 2 || hits[0].ID != "k1" || !more {
		t.Errorf("page 2 of 2: %+v more %v", hits, more)
	}
	if _, _, err := ix.Query(inspect.Filter{Status: "bogus"}, 0, 1); err == nil {
		t.Error("bad status accepted")
	}
}

func TestDocAndCluster(t *testing.T) {
	ix, _ := openFixture(t)
	d, e, err := ix.Doc(1)
	if err != nil || d.ID != "k1" || e.Reason != 0 {
		t.Fatalf("doc 1 = %v %+v %v", d, e, err)
	}
	members, err := ix.Cluster(1, 4)
	if err != nil || len(members) != 1 || members[0].ID != "r1" {
		t.Errorf("cluster of k1 = %+v, %v", members, err)
	}
	if members, _ := ix.Cluster(0, 4); len(members) != 0 {
		t.Errorf("k0 has duplicates %+v", members)
	}
	if _, _, err := ix.Doc(5); err == nil {
		t.Error("doc 5 of 5 read")
	}
}

func TestReopenAndRebuild(t *testing.T) {
	_, dir := openFixture(t)
	if _, rebuilt, err := inspect.Open(dir); err != nil || rebuilt {
		t.Fatalf("reopen: rebuilt %v, %v", rebuilt, err)
	}
	reporttest.WriteShard(t, filepath.Join(dir, "data", "part-00001-00000.jsonl.zst"), []reporttest.Doc{{ID: "k9", Text: "new"}})
	ix, rebuilt, err := inspect.Open(dir)
	if err != nil || !rebuilt || ix.Meta.Docs != 6 {
		t.Fatalf("after a new shard: rebuilt %v, docs %d, %v", rebuilt, ix.Meta.Docs, err)
	}
	if _, _, err := inspect.Open(t.TempDir()); err == nil {
		t.Error("opened a directory without summary.json")
	}
}

func TestCorruptShard(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	os.WriteFile(filepath.Join(dir, "data", "part-00005-00000.jsonl.zst"), []byte("\x28\xb5\x2f\xfd garbage"), 0o644)
	ix, _, err := inspect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if ix.Meta.Docs != 5 || len(ix.Meta.Problems) != 1 {
		t.Errorf("docs %d, problems %v", ix.Meta.Docs, ix.Meta.Problems)
	}
}

func get(t *testing.T, srv *httptest.Server, path string) (int, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestServer(t *testing.T) {
	ix, _ := openFixture(t)
	srv := httptest.NewServer(inspect.NewServer(ix))
	defer srv.Close()
	tests := []struct {
		path   string
		status int
		want   []string
		not    []string
	}{
		{"/", 200, []string{`href="/doc/0"`, `href="/doc/4"`, "exact_duplicate (1)", "de (2)"}, nil},
		{"/?status=removed", 200, []string{`href="/doc/3"`, `href="/doc/4"`}, []string{`href="/doc/0"`}},
		{"/?q=harbour", 200, []string{`href="/doc/2"`}, []string{`href="/doc/1"`}},
		{"/?q=zebra", 200, []string{"No documents match."}, nil},
		// k0: kept, two lines struck through with their reasons.
		{"/doc/0", 200, []string{`<del class="rm">Accept all cookies</del>`, "c4: c4_policy", "c4: c4_min_words",
			"Second kept line.", "Kept, with 2 lines removed."}, []string{`id="cluster"`}},
		// k1 and its removed duplicate side by side.
		{"/doc/1", 200, []string{`id="cluster"`, `href="/doc/4"`, "exact_duplicate"}, nil},
		{"/doc/4", 200, []string{`id="rejection"`, "exact_dedup", "duplicate of <code>k1</code>", `href="/doc/1"`}, nil},
		{"/doc/3", 200, []string{"gopher_min_words", "2 words &lt; 50"}, nil},
		{"/doc/5", 404, nil, nil},
		{"/doc/-1", 404, nil, nil},
		{"/doc/x", 404, nil, nil},
		{"/nothing", 404, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			status, body := get(t, srv, tt.path)
			if status != tt.status {
				t.Fatalf("status %d, want %d", status, tt.status)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(body, w) {
					t.Errorf("page has %q", w)
				}
			}
		})
	}
}

func TestLoopbackOnly(t *testing.T) {
	ix, _ := openFixture(t)
	h := inspect.NewServer(ix)
	h.LoopbackOnly = true
	tests := []struct {
		host string
		want int
	}{
		{"127.0.0.1:8080", 200},
		{"localhost:8080", 200},
		{"LOCALHOST", 200},
		{"[::1]:8080", 200},
		{"127.0.0.2", 200},
		{"evil.example:8080", 403},
		{"10.0.0.1:8080", 403},
		{"", 403},
	}
	for _, tt := range tests {
		req := httptest.NewRequest("GET", "/", nil)
		req.Host = tt.host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != tt.want {
			t.Errorf("Host %q: %d, want %d", tt.host, rec.Code, tt.want)
		}
	}
}

func TestHugeDocument(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	big := strings.Repeat("line of a huge page\n", 20000)
	reporttest.WriteShard(t, filepath.Join(dir, "data", "part-00001-00000.jsonl.zst"),
		[]reporttest.Doc{{ID: "big", Text: big}, {ID: "big2", Text: big, Metadata: map[string]any{"dup_cluster_id": 7}},
			{ID: "big3", Text: big, Metadata: map[string]any{"duplicate_of": "big2"}}})
	ix, _, err := inspect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(inspect.NewServer(ix))
	defer srv.Close()
	// Kept shards come first: big, big2, big3 are documents 3, 4, 5.
	status, body := get(t, srv, "/doc/4")
	if status != 200 || !strings.Contains(body, "15001 more lines not shown") || len(body) > 2<<20 {
		t.Errorf("status %d, %d bytes", status, len(body))
	}
	if !strings.Contains(body, `href="/doc/5"`) || strings.Count(body, "line of a huge page") > 3*5000+2 {
		t.Error("the document's duplicate not shown beside it")
	}
}

func TestParquetOutput(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	os.Remove(filepath.Join(dir, "rejected", "part-00000-00000.jsonl.zst"))
	reporttest.WriteParquetShard(t, filepath.Join(dir, "rejected", "part-00000-00000.parquet"), reporttest.Rejected)
	ix, _, err := inspect.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	hits, _, err := ix.Query(inspect.Filter{Text: "brücken"}, 0, 10)
	if err != nil || len(hits) != 2 || hits[1].ID != "r1" || hits[1].Reason != "exact_duplicate" {
		t.Fatalf("search over JSONL and Parquet shards: %+v, %v", hits, err)
	}
	d, _, err := ix.Doc(hits[1].N)
	if err != nil || d.Str("duplicate_of") != "k1" {
		t.Errorf("doc %d: %+v, %v", hits[1].N, d, err)
	}
	if members, err := ix.Cluster(1, 4); err != nil || len(members) != 1 || members[0].ID != "r1" {
		t.Errorf("cluster across formats: %+v, %v", members, err)
	}
}

// An output directory the index cannot be written to (here OUTDIR/.winnow
// is a file, which fails for root too) is indexed in the cache directory.
func TestUnwritableOutDir(t *testing.T) {
	dir := reporttest.WriteOutDir(t)
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	if err := os.WriteFile(filepath.Join(dir, ".winnow"), []byte("not a directory"), 0o644); err != nil {
		t.Fatal(err)
	}
	ix, rebuilt, err := inspect.Open(dir)
	if err != nil || !rebuilt || ix.Meta.Docs != 5 {
		t.Fatalf("unwritable outdir: %v rebuilt %v", err, rebuilt)
	}
	if _, rebuilt, err := inspect.Open(dir); err != nil || rebuilt {
		t.Errorf("reopen from the cache directory: rebuilt %v, %v", rebuilt, err)
	}
	if hits, _, err := ix.Query(inspect.Filter{Text: "harbour"}, 0, 5); err != nil || len(hits) != 1 {
		t.Errorf("query: %v %v", hits, err)
	}
}
