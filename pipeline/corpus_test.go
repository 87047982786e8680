package pipeline

import (
	"context"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

// firstCopy is a small corpus stage: it keeps the first document (in corpus
// order) of each distinct text.
type firstCopy struct {
	mu       sync.Mutex
	first    map[string]record.Record
	observed int
	prepared bool
}

func (f *firstCopy) Name() string { return "first_copy" }

func (f *firstCopy) Observe(r *record.Record) error {
	if f.first == nil {
		f.first = map[string]record.Record{}
	}
	f.observed++
	if _, ok := f.first[r.Text]; !ok {
		f.first[r.Text] = record.Record{ID: r.ID, Source: r.Source}
	}
	return nil
}

func (f *firstCopy) Prepare(dir string) error { f.prepared = true; return nil }

func (f *firstCopy) Process(r *record.Record) bool {
	if !f.prepared {
		panic("Process before Prepare")
	}
	first := f.first[r.Text]
	if first.Source.Key != r.Source.Key {
		r.Rejection = &record.Rejection{Stage: "first_copy", Reason: "exact_duplicate", DuplicateOf: first.ID}
		return false
	}
	r.SetMeta("copies_seen", true)
	return true
}

// dupStages: rewrite the text so that documents N0 and N5 of an input share
// it, dedup, then a last stage.
func dupStages(stop func(n int64)) []Stage {
	var n atomic.Int64
	return []Stage{
		StageFunc{StageName: "normalize", Fn: func(r *record.Record) bool {
			last := r.ID[len(r.ID)-1:]
			if last == "5" {
				last = "0"
			}
			r.Text = "text of " + r.ID[:len(r.ID)-1] + last
			return true
		}},
		&firstCopy{},
		StageFunc{StageName: "after", Fn: func(r *record.Record) bool {
			if stop != nil {
				stop(n.Add(1))
			}
			if strings.HasSuffix(r.ID, "3") {
				return r.Reject("after", "ends_in_three", "")
			}
			return true
		}},
	}
}

func runDup(t *testing.T, ctx context.Context, dir string, workers int, stop func(int64)) (*Summary, error) {
	t.Helper()
	ins, open := fakeInputs(700, 120)
	return Run(ctx, testConfig(100), dupStages(stop), Options{Inputs: ins, OutDir: dir, Workers: workers, KeepRejected: true, Open: open, Log: io.Discard})
}

func TestCorpusStage(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	sa, err := runDup(t, context.Background(), a, 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := runDup(t, context.Background(), b, 5, nil); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, a, b)
	if !sa.Reconciled {
		t.Fatalf("not reconciled: %+v", sa)
	}
	// Documents N0 and N5 share a text: one in ten is a duplicate, less
	// those lost to read problems (fakeReader loses every 97th slot).
	if d := sa.RejectedByReason["exact_duplicate"]; d < 75 || d > 82 {
		t.Errorf("%d duplicates found, want about 82: %+v", d, sa.RejectedByReason)
	}
	names := []string{"normalize", "first_copy", "after"}
	for i, st := range sa.Stages {
		if st.Name != names[i] {
			t.Errorf("stage %d is %s", i, st.Name)
		}
	}
	if sa.Stages[2].In != sa.Stages[1].Kept || sa.Written != sa.Stages[2].Kept {
		t.Errorf("funnel does not chain: %+v", sa.Stages)
	}
	// Every duplicate names a kept document.
	kept := map[string]bool{}
	files, _ := filepath.Glob(filepath.Join(a, DataDir, "*.jsonl.zst"))
	for _, f := range files {
		for _, d := range readDocs(t, f) {
			kept[d["id"].(string)] = true
			if d["metadata"].(map[string]any)["copies_seen"] != true {
				t.Fatalf("kept doc without the corpus stage's metadata: %v", d)
			}
		}
	}
	files, _ = filepath.Glob(filepath.Join(a, RejectedDir, "*-1.jsonl.zst"))
	dups := 0
	for _, f := range files {
		for _, d := range readDocs(t, f) {
			m := d["metadata"].(map[string]any)
			if m["reason"] != "exact_duplicate" {
				continue
			}
			dups++
			of := m["duplicate_of"].(string)
			if !kept[of] && !strings.HasSuffix(of, "3") {
				t.Errorf("%s is a duplicate of %s, which is neither kept nor rejected later", d["id"], of)
			}
		}
	}
	if int64(dups) != sa.RejectedByReason["exact_duplicate"] {
		t.Errorf("rejected files hold %d duplicates, summary %d", dups, sa.RejectedByReason["exact_duplicate"])
	}
}

func TestCorpusStageResumedInSecondSegment(t *testing.T) {
	want := t.TempDir()
	if _, err := runDup(t, context.Background(), want, 2, nil); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	_, err := runDup(t, ctx, dir, 2, func(n int64) {
		if n == 300 {
			cancel()
		}
	})
	if !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	if _, err := runDup(t, context.Background(), dir, 3, nil); err != nil {
		t.Fatal(err)
	}
	compareTrees(t, want, dir)
}

func TestCorpusStageFirst(t *testing.T) {
	ins, open := fakeInputs(250)
	stages := dupStages(nil)
	// normalize is not a corpus stage; put the corpus stage first by
	// deduplicating on the raw text, where every document is distinct.
	sum, err := Run(context.Background(), testConfig(100), []Stage{stages[1], stages[2]},
		Options{Inputs: ins, OutDir: t.TempDir(), Open: open, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if sum.RejectedByReason["exact_duplicate"] != 0 || !sum.Reconciled || sum.Stages[0].In != 250-2 {
		t.Errorf("%+v", sum)
	}
}
