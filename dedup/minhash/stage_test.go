package minhash

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/dedup"
	"github.com/winnow-corpus/winnow/dedup/deduptest"
	"github.com/winnow-corpus/winnow/dedup/exact"
	"github.com/winnow-corpus/winnow/record"
)

func newStage(t *testing.T, cfg Config) *Stage {
	t.Helper()
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNearDuplicates(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	base := words(rng, 400)
	other := words(rng, 400)
	// Half the words of base, half new: Jaccard about 0.02 for 5-grams.
	half := append(append([]string(nil), base[:200]...), words(rng, 200)...)
	texts := []string{
		strings.Join(base, " "),                  // 0
		strings.Join(edit(rng, base, 0.01), " "), // 1: planted, J ≈ 0.9
		strings.Join(other, " "),                 // 2: unrelated
		strings.Join(half, " "),                  // 3: shares a prefix only
		"Too short",                              // 4
		"too SHORT!",                             // 5: same words as 4
		"",                                       // 6
	}
	h, _ := NewHasher(DefaultConfig())
	if j := Jaccard(h.ShingleSet(texts[0]), h.ShingleSet(texts[1])); j < 0.85 || j > 0.95 {
		t.Fatalf("planted pair has Jaccard %.3f, want about 0.9", j)
	}
	if j := Jaccard(h.ShingleSet(texts[0]), h.ShingleSet(texts[3])); j > 0.5 {
		t.Fatalf("prefix pair has Jaccard %.3f, want under 0.5", j)
	}
	s := newStage(t, DefaultConfig())
	defer s.Close()
	recs := deduptest.Records(texts...)
	keep, err := deduptest.Run(s, recs, t.TempDir(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []bool{true, false, true, true, true, false, true}
	for i := range want {
		if keep[i] != want[i] {
			t.Errorf("doc %d: keep = %v, want %v", i, keep[i], want[i])
		}
	}
	if rj := recs[1].Rejection; rj == nil || rj.Stage != Name || rj.Reason != Reason || rj.DuplicateOf != "d0" {
		t.Errorf("planted duplicate: rejection %+v", rj)
	}
	if recs[0].Metadata[dedup.MetaClusterSize] != 2 || recs[2].Metadata[dedup.MetaClusterSize] != 1 {
		t.Errorf("metadata: kept %v, unique %v", recs[0].Metadata, recs[2].Metadata)
	}
}

// TestClusterSizesAddUp: a document kept by the exact stage with two exact
// copies and then by the MinHash stage with one near copy has a cluster of 4,
// also when the size passed through the runner's JSON store as a float64.
func TestClusterSizesAddUp(t *testing.T) {
	base := strings.Repeat("the quick brown fox jumps over the lazy dog near the river bank today ", 20)
	near := strings.Replace(base, "today", "tonight", 1)
	other := strings.Repeat("an entirely different text about gardening and tomatoes in the spring ", 20)
	for _, viaJSON := range []bool{false, true} {
		recs := docs([]string{"a", "b", "c", "d", "e"}, []string{base, base, base, near, other})
		ex, err := exact.New(exact.DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		keep, err := deduptest.Run(ex, recs, t.TempDir(), 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		var rest []*record.Record
		for i, r := range recs {
			if keep[i] {
				if viaJSON {
					r.Metadata[dedup.MetaClusterSize] = float64(r.Metadata[dedup.MetaClusterSize].(int))
				}
				rest = append(rest, r)
			}
		}
		mh := newStage(t, DefaultConfig())
		if _, err := deduptest.Run(mh, rest, t.TempDir(), 2, nil); err != nil {
			t.Fatal(err)
		}
		if got := recs[0].Metadata[dedup.MetaClusterSize]; got != 4 || recs[3].Rejection == nil {
			t.Errorf("viaJSON=%v: cluster size %v, near copy rejection %v", viaJSON, got, recs[3].Rejection)
		}
		if got := recs[4].Metadata[dedup.MetaClusterSize]; got != 1 {
			t.Errorf("viaJSON=%v: singleton size %v", viaJSON, got)
		}
	}
}

// pipelineRun runs the exact stage, then the MinHash stage on what the
// exact stage kept, both with the index in dir, and closes them (committing
// to the index). It returns the rejection of each record (nil: kept).
func pipelineRun(t *testing.T, dir string, recs []*record.Record) []*record.Rejection {
	t.Helper()
	ecfg := exact.DefaultConfig()
	ecfg.IndexDir = dir
	ex, err := exact.New(ecfg)
	if err != nil {
		t.Fatal(err)
	}
	mcfg := DefaultConfig()
	mcfg.IndexDir = dir
	mh := newStage(t, mcfg)
	keep, err := deduptest.Run(ex, recs, t.TempDir(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	var rest []*record.Record
	for i, r := range recs {
		if keep[i] {
			rest = append(rest, r)
		}
	}
	if _, err := deduptest.Run(mh, rest, t.TempDir(), 2, nil); err != nil {
		t.Fatal(err)
	}
	if err := ex.Close(); err != nil {
		t.Fatal(err)
	}
	if err := mh.Close(); err != nil {
		t.Fatal(err)
	}
	out := make([]*record.Rejection, len(recs))
	for i, r := range recs {
		out[i] = r.Rejection
	}
	return out
}

func docs(ids []string, texts []string) []*record.Record {
	recs := make([]*record.Record, len(ids))
	for i := range ids {
		recs[i] = &record.Record{ID: ids[i], Text: texts[i], Source: record.Source{Index: int64(i), Key: uint64(i)}}
	}
	return recs
}

// TestIndexAcrossRuns: run 1 keeps its documents; run 2 removes those
// duplicating run 1's output, exactly or nearly; run 3, over documents
// already kept (and an empty run), removes none.
func TestIndexAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(21, 22))
	a, b, c, d, e := words(rng, 300), words(rng, 300), words(rng, 300), words(rng, 300), words(rng, 300)
	j := func(w []string) string { return strings.Join(w, " ") }

	run1 := pipelineRun(t, dir, docs([]string{"A", "B", "C"}, []string{j(a), j(b), j(c)}))
	for i, rj := range run1 {
		if rj != nil {
			t.Fatalf("run 1 removed doc %d: %+v", i, rj)
		}
	}

	texts2 := []string{j(edit(rng, a, 0.01)), j(b), j(d), j(edit(rng, d, 0.01)), j(e)}
	run2 := pipelineRun(t, dir, docs([]string{"A2", "B2", "D", "D2", "E"}, texts2))
	want2 := []struct{ stage, of string }{
		{Name, "A"},       // near duplicate of run 1's A
		{exact.Name, "B"}, // exact duplicate of run 1's B
		{"", ""},          // new
		{Name, "D"},       // near duplicate within run 2
		{"", ""},          // new
	}
	for i, w := range want2 {
		rj := run2[i]
		switch {
		case w.stage == "" && rj != nil:
			t.Errorf("run 2 doc %d: removed %+v, want kept", i, rj)
		case w.stage != "" && (rj == nil || rj.Stage != w.stage || rj.DuplicateOf != w.of):
			t.Errorf("run 2 doc %d: rejection %+v, want %s of %s", i, rj, w.stage, w.of)
		}
	}

	// Run 3: every document the two runs kept, read again, and nothing new.
	run3 := pipelineRun(t, dir, docs([]string{"A", "B", "C", "D", "E"}, []string{j(a), j(b), j(c), j(d), j(e)}))
	for i, rj := range run3 {
		if rj != nil {
			t.Errorf("run 3 removed doc %d: %+v", i, rj)
		}
	}
	if run4 := pipelineRun(t, dir, nil); len(run4) != 0 {
		t.Errorf("empty run: %v", run4)
	}

	// The index still knows run 2's D: its near duplicate under a new ID goes.
	run5 := pipelineRun(t, dir, docs([]string{"D3"}, []string{j(edit(rng, d, 0.01))}))
	if rj := run5[0]; rj == nil || rj.DuplicateOf != "D" {
		t.Errorf("run 5: rejection %+v, want near duplicate of D", rj)
	}
}

// TestVerify: a candidate pair (sharing band keys) joins a cluster only if
// its estimated Jaccard similarity reaches VerifyThreshold.
func TestVerify(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	base := words(rng, 400)
	texts := []string{
		strings.Join(base, " "),
		strings.Join(edit(rng, base, 0.01), " "), // J ≈ 0.9
		strings.Join(base, " ") + " ",            // the same shingles: J = 1
	}
	h, _ := NewHasher(DefaultConfig())
	if !shareAny(h.Keys(nil, texts[0], ""), h.Keys(nil, texts[1], "")) {
		t.Fatal("planted pair shares no band key: not a useful test")
	}
	for _, tc := range []struct {
		threshold float64
		want      []bool
	}{
		{0, []bool{true, false, false}},   // every candidate accepted
		{0.7, []bool{true, false, false}}, // the default
		{0.99, []bool{true, true, false}}, // only near-identical signatures
	} {
		cfg := DefaultConfig()
		cfg.VerifyThreshold = tc.threshold
		s := newStage(t, cfg)
		keep, err := deduptest.Run(s, deduptest.Records(texts...), t.TempDir(), 2, nil)
		s.Close()
		if err != nil {
			t.Fatal(err)
		}
		for i := range keep {
			if keep[i] != tc.want[i] {
				t.Errorf("threshold %v: keep = %v, want %v", tc.threshold, keep, tc.want)
				break
			}
		}
	}
}

func shareAny(a, b []uint64) bool {
	for i := range min(len(a), len(b)) {
		if a[i] == b[i] {
			return true
		}
	}
	return false
}

func TestEstimateJaccard(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Bands, cfg.Rows = 32, 16
	h, _ := NewHasher(cfg)
	rng := rand.New(rand.NewPCG(41, 42))
	base := words(rng, 1000)
	sketch := func(text string) []byte {
		sk := make([]byte, 512)
		h.KeysSketch(nil, sk, text, "")
		return sk
	}
	a := strings.Join(base, " ")
	for _, p := range []float64{0, 0.02, 0.1, 0.5} {
		b := strings.Join(edit(rng, base, p), " ")
		j := Jaccard(h.ShingleSet(a), h.ShingleSet(b))
		if est := EstimateJaccard(sketch(a), sketch(b)); est < j-0.08 || est > j+0.08 {
			t.Errorf("edit rate %v: estimate %.3f, Jaccard %.3f", p, est, j)
		}
	}
	if EstimateJaccard(nil, nil) != 0 {
		t.Error("empty sketches: want 0")
	}
}
