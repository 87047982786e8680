package winnowbeam

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"

	"github.com/winnow-corpus/winnow/dedup/lines"
	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/read"
)

func TestMain(m *testing.M) {
	flag.Parse()
	beam.Init()
	os.Exit(m.Run())
}

const sample = "../testdata/sample"

// withDuplicates writes, beside the sample crawl, a JSONL input holding
// exact and near copies of the sample's JSONL documents (one word changed,
// case changed), so that both dedup stages have clusters to find.
func withDuplicates(t testing.TB) []string {
	f, err := os.Open(filepath.Join(sample, "docs.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out strings.Builder
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	for i := 0; sc.Scan(); i++ {
		var d map[string]any
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		text, _ := d["text"].(string)
		variants := []string{
			text,                                     // exact copy
			strings.ToUpper(text),                    // exact after normalization
			strings.Replace(text, " the ", " a ", 1), // near copy
		}
		for j, v := range variants {
			if i%3 == j%3 || j == 2 {
				b, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("copy-%d-%d", i, j), "url": d["url"], "text": v})
				out.Write(append(b, '\n'))
			}
		}
	}
	dir := t.TempDir()
	extra := filepath.Join(dir, "copies.jsonl")
	if err := os.WriteFile(extra, []byte(out.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return []string{sample, extra}
}

// doc is what the test compares of a written document.
type doc struct {
	ID, Text, Reason, DuplicateOf string
	ClusterSize                   float64
	Meta                          string // all the metadata, keys sorted
}

// readDocs reads every shard of OUT/dir, keyed by document ID.
func readDocs(t testing.TB, out, dir string) map[string]doc {
	files, err := filepath.Glob(filepath.Join(out, dir, "*.jsonl.zst"))
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]doc{}
	for _, name := range files {
		f, err := os.Open(name)
		if err != nil {
			t.Fatal(err)
		}
		zr, err := zstd.NewReader(f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(zr)
		zr.Close()
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, line := range strings.Split(strings.TrimSuffix(string(b), "\n"), "\n") {
			if line == "" {
				continue
			}
			var d struct {
				ID       string         `json:"id"`
				Text     string         `json:"text"`
				Metadata map[string]any `json:"metadata"`
			}
			if err := json.Unmarshal([]byte(line), &d); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if _, dup := docs[d.ID]; dup {
				t.Errorf("%s: document %s written twice", dir, d.ID)
			}
			reason, _ := d.Metadata["reason"].(string)
			of, _ := d.Metadata["duplicate_of"].(string)
			size, _ := d.Metadata["dup_cluster_size"].(float64)
			meta, _ := json.Marshal(d.Metadata)
			docs[d.ID] = doc{ID: d.ID, Text: d.Text, Reason: reason, DuplicateOf: of, ClusterSize: size, Meta: string(meta)}
		}
	}
	return docs
}

func runLocal(t testing.TB, cfg pipeline.Config, args []string, out string) {
	inputs, err := read.Expand(args)
	if err != nil {
		t.Fatal(err)
	}
	stages, err := pipeline.BuildStages(cfg.Stages)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pipeline.Run(context.Background(), cfg, stages, pipeline.Options{Inputs: inputs, OutDir: out, KeepRejected: true, Log: io.Discard}); err != nil {
		t.Fatal(err)
	}
}

func runPrism(t testing.TB, cfg pipeline.Config, args []string, out string) {
	runPrismRounds(t, cfg, args, out, 0)
}

func runPrismRounds(t testing.TB, cfg pipeline.Config, args []string, out string, rounds int) {
	ctx := context.Background()
	p, err := NewPipeline(ctx, cfg, Options{Inputs: args, Output: out, KeepRejected: true, ComponentRounds: rounds})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := prism.Execute(ctx, p); err != nil {
		t.Fatal(err)
	}
}

// TestSameAsLocalRunner runs the recommended config (with line_dedup added,
// and the template counts mergeable) on Prism and with pipeline.Run over the
// sample crawl plus planted duplicates and a generated site, and requires
// the same kept documents with the same texts, metadata (removed lines
// included) and cluster sizes, the same removed documents with the same
// reasons and kept duplicates, and the same summary.json counts.
func TestSameAsLocalRunner(t *testing.T) {
	args := append(withDuplicates(t), sitePages(t, 12))
	cfg := corpusConfig(t)
	local, onBeam := t.TempDir(), t.TempDir()
	runLocal(t, cfg, args, local)
	runPrism(t, cfg, args, onBeam)
	// Without component rounds every cluster goes through the check, and
	// those it does not finish through the single-worker pass.
	noRounds := t.TempDir()
	runPrismRounds(t, cfg, args, noRounds, -1)

	for _, pair := range [][3]string{{pipeline.DataDir, local, onBeam}, {pipeline.RejectedDir, local, onBeam}, {pipeline.DataDir, local, noRounds}} {
		dir := pair[0]
		want, got := readDocs(t, pair[1], dir), readDocs(t, pair[2], dir)
		if len(want) == 0 {
			t.Fatalf("the local runner wrote nothing to %s", dir)
		}
		for id, w := range want {
			g, ok := got[id]
			switch {
			case !ok:
				t.Errorf("%s: %s (%s) missing on Beam", dir, id, w.Reason)
			case g != w:
				t.Errorf("%s: %s differs:\n beam  %+v\n local %+v", dir, id, short(g), short(w))
			}
		}
		for id, g := range got {
			if _, ok := want[id]; !ok {
				t.Errorf("%s: %s (%s) only on Beam", dir, id, g.Reason)
			}
		}
	}
	compareSummaries(t, local, onBeam)
	// The planted copies and the site must have exercised the corpus stages.
	reasons := map[string]int{}
	for _, d := range readDocs(t, local, pipeline.RejectedDir) {
		reasons[d.Reason]++
	}
	for _, r := range []string{"exact_duplicate", "near_duplicate"} {
		if reasons[r] == 0 {
			t.Errorf("no document removed as %s (reasons: %v): the test does not exercise the stage", r, reasons)
		}
	}
	lineReasons := removedReasons(t, local)
	for _, r := range []string{"template", lines.ReasonLine} {
		if lineReasons[r] == 0 {
			t.Errorf("no line removed as %s (reasons: %v): the test does not exercise the stage", r, lineReasons)
		}
	}
	t.Logf("documents removed: %v; lines removed: %v", reasons, lineReasons)
}

func short(d doc) doc {
	if len(d.Meta) > 300 {
		d.Meta = d.Meta[:300] + "…"
	}
	if len(d.Text) > 60 {
		d.Text = d.Text[:60] + "…"
	}
	return d
}

// TestListInputsOrder checks that inputs are numbered in the local runner's
// order, which the dedup stages' corpus order depends on.
func TestListInputsOrder(t *testing.T) {
	ins, err := ListInputs(context.Background(), []string{sample})
	if err != nil {
		t.Fatal(err)
	}
	want, err := read.Expand([]string{sample})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != len(want) {
		t.Fatalf("%d inputs, want %d", len(ins), len(want))
	}
	for i := range ins {
		if ins[i].Path != want[i].Path || ins[i].Number != i {
			t.Errorf("input %d: %s #%d, want %s #%d", i, ins[i].Path, ins[i].Number, want[i].Path, i)
		}
	}
	if _, err := ListInputs(context.Background(), []string{"-"}); err == nil {
		t.Error("standard input accepted")
	}
}

// TestComponents checks the union-find on edges that arrive out of order
// and chain through several groups: every member's root is the smallest
// key, with its ID and the cluster size.
func TestComponents(t *testing.T) {
	tests := []struct {
		name  string
		edges []Edge
		want  map[uint64]Decision
	}{
		{"none", nil, map[uint64]Decision{}},
		{"pair", []Edge{{A: 5, B: 9, AID: "e", BID: "i"}},
			map[uint64]Decision{5: {5, "e", 2}, 9: {5, "e", 2}}},
		{"chain joined late", []Edge{{A: 7, B: 8, AID: "g", BID: "h"}, {A: 3, B: 4, AID: "c", BID: "d"}, {A: 4, B: 8, AID: "d", BID: "h"}},
			map[uint64]Decision{3: {3, "c", 4}, 4: {3, "c", 4}, 7: {3, "c", 4}, 8: {3, "c", 4}}},
		{"two clusters", []Edge{{A: 1, B: 2, AID: "a", BID: "b"}, {A: 10, B: 11, AID: "j", BID: "k"}, {A: 10, B: 12, AID: "j", BID: "l"}},
			map[uint64]Decision{1: {1, "a", 2}, 2: {1, "a", 2}, 10: {10, "j", 3}, 11: {10, "j", 3}, 12: {10, "j", 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			i := 0
			iter := func(e *Edge) bool {
				if i == len(tt.edges) {
					return false
				}
				*e = tt.edges[i]
				i++
				return true
			}
			got := map[uint64]Decision{}
			components(0, iter, func(k uint64, d Decision) { got[k] = d })
			if fmt.Sprint(sortedDecisions(got)) != fmt.Sprint(sortedDecisions(tt.want)) {
				t.Errorf("got %v, want %v", sortedDecisions(got), sortedDecisions(tt.want))
			}
		})
	}
}

func sortedDecisions(m map[uint64]Decision) []string {
	var s []string
	for k, d := range m {
		s = append(s, fmt.Sprintf("%d:%+v", k, d))
	}
	sort.Strings(s)
	return s
}

// BenchmarkPrismVsLocal runs the recommended config over the same input on
// Prism and with the local runner, and reports both throughputs and their
// ratio (overhead-x: local docs/s over Prism docs/s), and the same in
// documents per CPU-second (cpu-overhead-x: Prism's CPU time over the local
// runner's). The input is the
// sample crawl with planted duplicates, or the files and globs in
// $WINNOW_BEAM_BENCH_INPUT (space-separated) when set.
func BenchmarkPrismVsLocal(b *testing.B) {
	var args []string
	if env := os.Getenv("WINNOW_BEAM_BENCH_INPUT"); env != "" {
		args = strings.Fields(env)
	} else {
		args = withDuplicates(b)
	}
	ins, err := read.Expand(args)
	if err != nil {
		b.Fatal(err)
	}
	docs := 0
	for _, in := range ins {
		r, err := read.Open(in, read.Options{})
		if err != nil {
			b.Fatal(err)
		}
		for {
			_, err := r.Next()
			if err == io.EOF {
				break
			}
			if err == nil {
				docs++
			}
		}
		r.Close()
	}
	cfg := pipeline.DefaultConfig()
	var localT, beamT, localCPU, beamCPU time.Duration
	for b.Loop() {
		start, cpu := time.Now(), cpuTime()
		runLocal(b, cfg, args, b.TempDir())
		localT += time.Since(start)
		localCPU += cpuTime() - cpu
		start, cpu = time.Now(), cpuTime()
		runPrism(b, cfg, args, b.TempDir())
		beamT += time.Since(start)
		beamCPU += cpuTime() - cpu
	}
	localRate := float64(docs*b.N) / localT.Seconds()
	beamRate := float64(docs*b.N) / beamT.Seconds()
	b.ReportMetric(float64(docs), "docs")
	b.ReportMetric(localRate, "local-docs/s")
	b.ReportMetric(beamRate, "prism-docs/s")
	b.ReportMetric(localRate/beamRate, "overhead-x")
	b.ReportMetric(float64(docs*b.N)/localCPU.Seconds(), "local-docs/cpu-s")
	b.ReportMetric(float64(docs*b.N)/beamCPU.Seconds(), "prism-docs/cpu-s")
	b.ReportMetric(beamCPU.Seconds()/localCPU.Seconds(), "cpu-overhead-x")
}

// cpuTime is the CPU time (user and system) the process has used: the local
// runner and Prism with its in-process workers both run in it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestPlan checks how a config is cut into Beam steps: per-document runs,
// clustering stages and line_dedup as shuffles, clean with its template
// counts, and a
// persistent dedup index refused.
func TestPlan(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		want    string
		wantErr string
	}{
		{"per-document only", "stages: [extract, langid, gopher_quality, pii]", "[0,4)", ""},
		{"dedup in the middle", "stages: [extract, exact_dedup, minhash_dedup, pii]", "[0,1) shuffle[1,2) shuffle[2,3) [3,4)", ""},
		{"corpus stage first", "stages: [url_dedup, clean, line_dedup, c4]", "shuffle[0,1) template[1,2) lines[2,3) [3,4)", ""},
		{"no stages", "stages: []", "", ""},
		{"index refused", "stages: [{minhash_dedup: {index_dir: /tmp/idx}}]", "", "index_dir is not supported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := pipeline.ParseConfig([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			plan, _, err := planOf(cfg)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range plan {
				kind := [...]string{documentStep: "", clusterStep: "shuffle", templateStep: "template", linesStep: "lines", oneWorkerStep: "one-worker"}[s.kind]
				got = append(got, fmt.Sprintf("%s[%d,%d)", kind, s.from, s.to))
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("plan %q, want %q", g, tt.want)
			}
		})
	}
}
