package dedup

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/zeebo/xxh3"

	"github.com/winnow-corpus/winnow/dedup/deduptest"
	"github.com/winnow-corpus/winnow/record"
)

// wordKeys makes every word of a text a group key, so that texts sharing a
// word are linked, and chains of such texts form one cluster.
func wordKeys(dst []uint64, _ []byte, text, _ string) []uint64 {
	for _, w := range strings.Fields(text) {
		dst = append(dst, xxh3.HashString(w))
	}
	return dst
}

func newWordClusterer(t *testing.T, memBytes int64, workers int) *Clusterer {
	t.Helper()
	c, err := NewClusterer(ClusterConfig{
		Name: "test_dedup", Reason: "test_duplicate", Keys: wordKeys,
		MemoryBytes: memBytes, TempDir: t.TempDir(), Workers: workers,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// outcome is what Process decided and left on one record.
type outcome struct {
	Keep        bool
	DuplicateOf string
	ClusterID   any
	ClusterSize any
}

func outcomes(recs []*record.Record, keep []bool) []outcome {
	out := make([]outcome, len(recs))
	for i, r := range recs {
		out[i].Keep = keep[i]
		if r.Rejection != nil {
			out[i].DuplicateOf = r.Rejection.DuplicateOf
		}
		out[i].ClusterID = r.Metadata[MetaClusterID]
		out[i].ClusterSize = r.Metadata[MetaClusterSize]
	}
	return out
}

func TestClustersAndKeptRule(t *testing.T) {
	texts := []string{
		"apple banana", // 0: cluster A, kept
		"cherry",       // 1: alone
		"banana date",  // 2: joins A through banana
		"date elder",   // 3: joins A through date (transitive)
		"fig",          // 4: alone
		"fig",          // 5: duplicate of 4
		"",             // 6: no keys, kept
		"",             // 7: no keys, kept
	}
	c := newWordClusterer(t, 1<<20, 2)
	recs := deduptest.Records(texts...)
	keep, err := deduptest.Run(c, recs, t.TempDir(), 3, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	want := []outcome{
		{Keep: true, ClusterID: "0000000000000000", ClusterSize: 3},
		{Keep: true, ClusterID: "0000000000000001", ClusterSize: 1},
		{DuplicateOf: "d0"},
		{DuplicateOf: "d0"},
		{Keep: true, ClusterID: "0000000000000004", ClusterSize: 2},
		{DuplicateOf: "d4"},
		{Keep: true, ClusterID: "0000000000000006", ClusterSize: 1},
		{Keep: true, ClusterID: "0000000000000007", ClusterSize: 1},
	}
	if got := outcomes(recs, keep); !reflect.DeepEqual(got, want) {
		t.Errorf("outcomes:\n got %+v\nwant %+v", got, want)
	}
	for _, i := range []int{2, 3, 5} {
		if rj := recs[i].Rejection; rj == nil || rj.Stage != "test_dedup" || rj.Reason != "test_duplicate" {
			t.Errorf("record %d: rejection %+v", i, rj)
		}
	}
	st := c.Stats()
	if st.Documents != 8 || st.Removed != 3 || st.Clusters != 2 || !reflect.DeepEqual(st.Sizes, map[int]int64{3: 1, 2: 1}) {
		t.Errorf("stats %+v", st)
	}
}

// TestKeptRuleFollowsKeys: the record with the smallest Source.Key is kept,
// whatever the order records were observed in.
func TestKeptRuleFollowsKeys(t *testing.T) {
	recs := deduptest.Records("same", "same", "same")
	recs[0].Source.Key, recs[1].Source.Key, recs[2].Source.Key = 30, 10, 20
	c := newWordClusterer(t, 1<<20, 1)
	keep, err := deduptest.Run(c, recs, t.TempDir(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(keep, []bool{false, true, false}) || recs[0].Rejection.DuplicateOf != "d1" {
		t.Errorf("keep = %v, rejection %+v; want the record with key 10 (d1) kept", keep, recs[0].Rejection)
	}
	// A record never observed is kept untouched.
	stranger := &record.Record{ID: "x", Text: "same", Source: record.Source{Key: 99}}
	if !c.Process(stranger) || stranger.Rejection != nil || stranger.Metadata != nil {
		t.Errorf("unobserved record changed: %+v", stranger)
	}
}

// corpus returns n texts of random words from a small vocabulary, so that
// many share words and clusters chain.
func corpus(n int) []string {
	rng := rand.New(rand.NewPCG(9, 9))
	texts := make([]string, n)
	for i := range texts {
		var b strings.Builder
		for range 1 + rng.IntN(3) {
			fmt.Fprintf(&b, "w%d ", rng.IntN(3*n))
		}
		texts[i] = b.String()
	}
	return texts
}

// TestDeterminism: the same decisions whatever the Process order, the
// number of Process goroutines, the number of key workers, and whether the
// pairs spilled to disk (a 1 KiB cap: 64 pairs per run).
func TestDeterminism(t *testing.T) {
	texts := corpus(600)
	var ref []outcome
	for i, tc := range []struct {
		memBytes          int64
		workers, procs    int
		shuffle, spilling bool
	}{
		{1 << 20, 1, 1, false, false},
		{1 << 20, 4, 8, true, false},
		{1024, 2, 3, true, true},
		{1024, 1, 16, true, true},
	} {
		c := newWordClusterer(t, tc.memBytes, tc.workers)
		recs := deduptest.Records(texts...)
		var rng *rand.Rand
		if tc.shuffle {
			rng = rand.New(rand.NewPCG(uint64(i), 7))
		}
		keep, err := deduptest.Run(c, recs, t.TempDir(), tc.procs, rng)
		if err != nil {
			t.Fatal(err)
		}
		if spilled := c.Stats().SpillRuns > 1; spilled != tc.spilling {
			t.Errorf("case %d: spilled %d runs, want spilling %v", i, c.Stats().SpillRuns, tc.spilling)
		}
		got := outcomes(recs, keep)
		if ref == nil {
			ref = got
			removed := 0
			for _, o := range got {
				if !o.Keep {
					removed++
				}
			}
			if removed < 50 || removed > 550 {
				t.Fatalf("corpus gives %d removals of 600: not a useful test", removed)
			}
			continue
		}
		if !reflect.DeepEqual(got, ref) {
			t.Errorf("case %d: decisions differ from case 0", i)
		}
	}
}

func TestClustererErrors(t *testing.T) {
	if _, err := NewClusterer(ClusterConfig{Name: "x", Reason: "y"}); err == nil {
		t.Error("no key function: no error")
	}
	c := newWordClusterer(t, 1<<20, 1)
	if err := c.Prepare(""); err != nil {
		t.Fatal(err)
	}
	if err := c.Prepare(""); err == nil {
		t.Error("second Prepare: no error")
	}
	if err := c.Observe(&record.Record{}); err == nil {
		t.Error("Observe after Prepare: no error")
	}
}
