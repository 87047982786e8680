package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"

	"github.com/winnow-corpus/winnow/read"
	"github.com/winnow-corpus/winnow/record"
)

// fakeReader yields n documents; every badEvery-th slot is a lost document.
type fakeReader struct {
	name     string
	n, i     int
	badEvery int
}

func (f *fakeReader) Next() (*record.Record, error) {
	if f.i >= f.n {
		return nil, io.EOF
	}
	i := f.i
	f.i++
	if f.badEvery > 0 && i%f.badEvery == f.badEvery-1 {
		return nil, &read.Problem{File: f.name, Offset: int64(i * 100), Lost: true, Err: errors.New("bad record")}
	}
	return &record.Record{
		ID:     fmt.Sprintf("%s-%d", f.name, i),
		URL:    fmt.Sprintf("https://example.com/%s/%d", f.name, i),
		Text:   strings.Repeat(fmt.Sprintf("line %d of %s\n", i, f.name), 1+i%5),
		Source: record.Source{File: f.name, Offset: int64(i * 100), Index: int64(i)},
	}, nil
}
func (f *fakeReader) Consumed() int64 { return int64(f.i * 100) }
func (f *fakeReader) Skipped() map[string]int64 {
	return map[string]int64{"warc:request": int64(f.i / 2)}
}
func (f *fakeReader) Close() error { return nil }

func fakeInputs(sizes ...int) ([]read.Input, func(read.Input) (read.Reader, error)) {
	var ins []read.Input
	for i, n := range sizes {
		ins = append(ins, read.Input{Path: fmt.Sprintf("in%d-%d", i, n), Format: "jsonl", Size: int64(n * 100)})
	}
	open := func(in read.Input) (read.Reader, error) {
		var n int
		fmt.Sscanf(in.Path[strings.Index(in.Path, "-")+1:], "%d", &n)
		return &fakeReader{name: in.Path, n: n, badEvery: 97}, nil
	}
	return ins, open
}

// testStages rejects every 7th document, drops a line from others, and
// panics on one document.
func testStages(slow time.Duration) []Stage {
	return []Stage{
		StageFunc{StageName: "sevens", Fn: func(r *record.Record) bool {
			if slow > 0 {
				time.Sleep(slow)
			}
			if strings.HasSuffix(r.ID, "7") {
				return r.Reject("sevens", "ends_in_seven", "")
			}
			return true
		}},
		StageFunc{StageName: "trim", Fn: func(r *record.Record) bool {
			if strings.HasSuffix(r.ID, "-13") {
				panic("unlucky")
			}
			if i := strings.IndexByte(r.Text, '\n'); i >= 0 && i+1 < len(r.Text) {
				r.Removed = append(r.Removed, record.RemovedLine{Stage: "trim", Text: r.Text[:i], Reason: "first_line"})
				r.Text = r.Text[i+1:]
			}
			r.SetMeta("chars", len(r.Text))
			return true
		}},
	}
}

func testConfig(shard int) Config {
	c := Config{Input: InputConfig{IDField: "id", TextField: "text", URLField: "url"},
		Output: OutputConfig{Format: "jsonl.zst", ShardRecords: shard}}
	return c
}

// tree reads every file under dir except the resume state and summary
// timing, for byte comparison.
func tree(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if strings.HasPrefix(rel, StateDir) || rel == SummaryFile {
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[rel] = b
		return nil
	})
	return out
}

func readDocs(t *testing.T, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := zstd.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	var docs []map[string]any
	for _, line := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var d map[string]any
		if err := json.Unmarshal(line, &d); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		docs = append(docs, d)
	}
	return docs
}

func runFake(t *testing.T, dir string, workers, shard int, sizes ...int) *Summary {
	t.Helper()
	ins, open := fakeInputs(sizes...)
	sum, err := Run(context.Background(), testConfig(shard), testStages(0),
		Options{Inputs: ins, OutDir: dir, Workers: workers, KeepRejected: true, Open: open, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestRunDeterministicWhateverTheWorkers(t *testing.T) {
	sizes := []int{2500, 10, 0, 777}
	a, b := t.TempDir(), t.TempDir()
	sa := runFake(t, a, 1, 300, sizes...)
	sb := runFake(t, b, 7, 300, sizes...)
	ta, tb := tree(t, a), tree(t, b)
	if len(ta) == 0 || len(ta) != len(tb) {
		t.Fatalf("file counts differ: %d vs %d", len(ta), len(tb))
	}
	for name, content := range ta {
		if !bytes.Equal(content, tb[name]) {
			t.Errorf("%s differs between 1 and 7 workers", name)
		}
	}
	untimed(sa)
	untimed(sb)
	ja, _ := json.Marshal(sa)
	jb, _ := json.Marshal(sb)
	if !bytes.Equal(ja, jb) {
		t.Errorf("summaries differ:\n%s\n%s", ja, jb)
	}
}

func TestRunCountsReconcile(t *testing.T) {
	dir := t.TempDir()
	sum := runFake(t, dir, 3, 100, 1000, 250)
	if !sum.Reconciled || sum.Read != sum.Written+sum.Rejected+sum.Unreadable {
		t.Fatalf("counts do not reconcile: %+v", sum)
	}
	if sum.Read != 1250 {
		t.Errorf("read %d, want 1250", sum.Read)
	}
	// 1000 docs: lost at 96, 193, ... = 10; 250 docs: 2.
	if sum.Unreadable != 12 {
		t.Errorf("unreadable %d, want 12", sum.Unreadable)
	}
	if sum.RejectedByReason["stage_panic"] != 2 {
		t.Errorf("stage_panic %d, want 2 (one -13 per input)", sum.RejectedByReason["stage_panic"])
	}
	if sum.Problems != 12 || len(sum.FirstProblems) != 12 || sum.FirstProblems[0].File == "" {
		t.Errorf("problems %d listed %d: %+v", sum.Problems, len(sum.FirstProblems), sum.FirstProblems)
	}
	if sum.Skipped["warc:request"] != 500+125 {
		t.Errorf("skipped %v", sum.Skipped)
	}
	// The funnel: stage "sevens" sees every readable document.
	if sum.Stages[0].In != sum.Read-sum.Unreadable || sum.Stages[1].In != sum.Stages[0].Kept {
		t.Errorf("funnel %+v", sum.Stages)
	}
	// What the files hold matches the counts.
	var written, rejected int
	files, _ := filepath.Glob(filepath.Join(dir, DataDir, "*.jsonl.zst"))
	for _, f := range files {
		for _, d := range readDocs(t, f) {
			written++
			if d["id"] == "" || d["metadata"] == nil {
				t.Fatalf("bad doc %v", d)
			}
		}
	}
	files, _ = filepath.Glob(filepath.Join(dir, RejectedDir, "*.jsonl.zst"))
	for _, f := range files {
		for _, d := range readDocs(t, f) {
			rejected++
			if d["metadata"].(map[string]any)["reason"] == nil {
				t.Fatalf("rejected doc without reason: %v", d)
			}
		}
	}
	if int64(written) != sum.Written || int64(rejected) != sum.Rejected {
		t.Errorf("files hold %d written, %d rejected; summary says %d, %d", written, rejected, sum.Written, sum.Rejected)
	}
}

func TestRunWithNoStages(t *testing.T) {
	ins, open := fakeInputs(300)
	sum, err := Run(context.Background(), testConfig(100), nil, Options{Inputs: ins, OutDir: t.TempDir(), Open: open, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Written != 300-3 || sum.Unreadable != 3 || !sum.Reconciled {
		t.Errorf("%+v", sum)
	}
}

func TestRunRefusesAnotherConfigInSameDir(t *testing.T) {
	dir := t.TempDir()
	runFake(t, dir, 2, 100, 50)
	ins, open := fakeInputs(50)
	_, err := Run(context.Background(), testConfig(99), testStages(0), Options{Inputs: ins, OutDir: dir, Open: open, Log: io.Discard})
	if err == nil || !strings.Contains(err.Error(), "another config") {
		t.Fatalf("err = %v, want a refusal", err)
	}
}

func TestRunInterruptedThenResumed(t *testing.T) {
	ins, open := fakeInputs(900, 300)
	var n atomic.Int64
	var cancel context.CancelFunc = func() {}
	// The same stages in both runs; the first run is cancelled from inside.
	stages := append([]Stage{StageFunc{StageName: "stopper", Fn: func(r *record.Record) bool {
		if n.Add(1) == 400 {
			cancel()
		}
		return true
	}}}, testStages(0)...)
	run := func(ctx context.Context, dir string, workers int) error {
		_, err := Run(ctx, testConfig(100), stages, Options{Inputs: ins, OutDir: dir, Workers: workers,
			KeepRejected: true, Open: open, Log: io.Discard, Progress: func(Progress) {}, Interval: time.Millisecond})
		return err
	}
	want := t.TempDir()
	if err := run(context.Background(), want, 2); err != nil {
		t.Fatal(err)
	}
	n.Store(0)
	dir := t.TempDir()
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	cancel = stop
	if err := run(ctx, dir, 2); !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if shards, _ := filepath.Glob(filepath.Join(dir, StateDir, "shards", "*.json")); len(shards) == 0 || len(shards) >= 14 {
		t.Errorf("%d shards done at the interruption; want some but not all", len(shards))
	}
	if err := run(context.Background(), dir, 3); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, want, dir)
}

func compareTrees(t *testing.T, want, got string) {
	t.Helper()
	tw, tg := tree(t, want), tree(t, got)
	if len(tw) != len(tg) {
		t.Errorf("%d files, want %d", len(tg), len(tw))
	}
	for name, content := range tw {
		if !bytes.Equal(content, tg[name]) {
			t.Errorf("%s differs from the uninterrupted run", name)
		}
	}
	sw, _ := os.ReadFile(filepath.Join(want, SummaryFile))
	sg, _ := os.ReadFile(filepath.Join(got, SummaryFile))
	var a, b Summary
	json.Unmarshal(sw, &a)
	json.Unmarshal(sg, &b)
	untimed(&a)
	untimed(&b)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	if !bytes.Equal(ja, jb) {
		t.Errorf("summary differs after resume:\n%s\n%s", jb, ja)
	}
}

// TestRunKilledAndResumed kills a run with SIGKILL at several moments and
// checks that starting it again ends with the uninterrupted run's bytes.
func TestRunKilledAndResumed(t *testing.T) {
	if os.Getenv("WINNOW_TEST_CHILD") != "" {
		t.Skip("child")
	}
	want := t.TempDir()
	runFake(t, want, 2, 50, 600, 150)
	// Kill before any shard is done, then after 1, 5 and 11 of the 17.
	for _, after := range []int{0, 1, 5, 11} {
		dir := t.TempDir()
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildRun$")
		cmd.Env = append(os.Environ(), "WINNOW_TEST_CHILD="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		shards := func() int {
			m, _ := filepath.Glob(filepath.Join(dir, StateDir, "shards", "*.json"))
			return len(m)
		}
		deadline := time.Now().Add(20 * time.Second)
		for shards() < after && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(3 * time.Millisecond) // land inside the next shard
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
		t.Logf("killed with %d shards done", shards())
		ins, open := fakeInputs(600, 150)
		if _, err := Run(context.Background(), testConfig(50), testStages(0), Options{Inputs: ins, OutDir: dir, Workers: 2, KeepRejected: true, Open: open, Log: io.Discard}); err != nil {
			t.Fatal(err)
		}
		compareTrees(t, want, dir)
	}
}

// TestChildRun is the process TestRunKilledAndResumed kills: a slow run.
func TestChildRun(t *testing.T) {
	dir := os.Getenv("WINNOW_TEST_CHILD")
	if dir == "" {
		t.Skip("run by TestRunKilledAndResumed")
	}
	ins, open := fakeInputs(600, 150)
	Run(context.Background(), testConfig(50), testStages(500*time.Microsecond), Options{Inputs: ins, OutDir: dir, Workers: 2, KeepRejected: true, Open: open, Log: io.Discard})
}

// untimed clears the summary's timing fields, the only ones that may differ
// between two runs of the same input and config.
func untimed(s *Summary) {
	s.Seconds, s.DocsPerS, s.MBPerS, s.Timeline = 0, 0, 0, nil
}
