package lines

import (
	"reflect"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/dedup/deduptest"
)

func TestRepeatedLines(t *testing.T) {
	body := "Second article, unique: " + strings.Repeat("z", 300)
	tests := []struct {
		text        string
		keep        bool
		wantText    string
		removedRows []int
	}{
		// 0 holds the first occurrences and stays as it is.
		{"Home | About\nFirst article body.\nCopyright 2023", true, "Home | About\nFirst article body.\nCopyright 2023", nil},
		// The menu (in any case and punctuation, twice) and the copyright line
		// (equal once digits map to 0) go.
		{"HOME about\n" + body + "\nCopyright 2024\nhome | about", true, body, []int{0, 2, 3}},
		// Left with 300 characters: kept; with 299: rejected.
		{"Home | About\n" + strings.Repeat("x", 300), true, strings.Repeat("x", 300), []int{0}},
		{"Home | About\n" + strings.Repeat("y", 299), false, strings.Repeat("y", 299), []int{0}},
		// Short but unchanged: left to the quality filters.
		{"short and untouched", true, "short and untouched", nil},
		{"", true, "", nil},
		// A line repeated within one document keeps its first occurrence.
		{"Repeat me\n\nRepeat me!", false, "Repeat me\n", []int{2}},
		// Lines empty after normalization are never removed.
		{"---\n---", true, "---\n---", nil},
	}
	texts := make([]string, len(tests))
	for i, tt := range tests {
		texts[i] = tt.text
	}
	s, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	recs := deduptest.Records(texts...)
	keep, err := deduptest.Run(s, recs, t.TempDir(), 3, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, tt := range tests {
		r := recs[i]
		if keep[i] != tt.keep {
			t.Errorf("doc %d: keep = %v, want %v (rejection %+v)", i, keep[i], tt.keep, r.Rejection)
		}
		if !tt.keep && (r.Rejection == nil || r.Rejection.Reason != ReasonShort) {
			t.Errorf("doc %d: rejection %+v, want %s", i, r.Rejection, ReasonShort)
		}
		if r.Text != tt.wantText {
			t.Errorf("doc %d: text %q, want %q", i, r.Text, tt.wantText)
		}
		var rows []int
		for _, rl := range r.Removed {
			if rl.Stage != Name || rl.Reason != ReasonLine {
				t.Errorf("doc %d: removed line %+v", i, rl)
			}
			rows = append(rows, rl.Line)
		}
		if !reflect.DeepEqual(rows, tt.removedRows) {
			t.Errorf("doc %d: removed lines %v, want %v", i, rows, tt.removedRows)
		}
	}
	if st := s.Stats(); st.Documents != int64(len(tests)) || st.LinesRemoved != 6 || st.Rejected != 2 {
		t.Errorf("stats %+v", st)
	}
}

// TestSpillAndOrder: a tiny memory cap and records observed out of key
// order give the same result: the first occurrence in key order is kept.
func TestSpillAndOrder(t *testing.T) {
	cfg := DefaultConfig()
	cfg.MinChars = 0
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	s.cfg.MemoryMB = 0 // below the sorter's floor: 1 KiB, 64 pairs per run
	defer s.Close()
	var texts []string
	for range 100 {
		texts = append(texts, "menu\nfooter")
	}
	recs := deduptest.Records(texts...)
	recs[0].Source.Key = 1000 // observed first, but last in corpus order
	if _, err := deduptest.Run(s, recs, t.TempDir(), 4, nil); err != nil {
		t.Fatal(err)
	}
	for i, r := range recs {
		want := ""
		if i == 1 {
			want = "menu\nfooter"
		}
		if r.Text != want {
			t.Errorf("doc %d: text %q, want %q", i, r.Text, want)
		}
	}
}

// Remove, told which lines first occur in an earlier document (found here
// by grouping DocLines, as winnow-beam does), decides as Process.
func TestRemoveAsProcess(t *testing.T) {
	texts := []string{
		"Home | About\nFirst article body.\nCopyright 2023",
		"HOME about\nSecond article, unique: " + strings.Repeat("z", 300) + "\nCopyright 2024\nhome | about",
		"Repeat me\n\nRepeat me!\nFirst article body",
		"Home | About\n" + strings.Repeat("y", 299),
		"---\n---\nlone line",
	}
	s, err := New(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	want := deduptest.Records(texts...)
	keepWant, err := deduptest.Run(s, want, t.TempDir(), 2, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := deduptest.Records(texts...)
	first := map[uint64]uint64{} // line -> smallest Source.Key holding it
	for _, r := range got {
		for _, h := range DocLines(r.Text) {
			if k, ok := first[h]; !ok || r.Source.Key < k {
				first[h] = r.Source.Key
			}
		}
	}
	fresh, _ := New(DefaultConfig())
	for i, r := range got {
		keep := fresh.Remove(r, func(h uint64) bool { return first[h] != r.Source.Key })
		if keep != keepWant[i] || r.Text != want[i].Text || !reflect.DeepEqual(r.Removed, want[i].Removed) || !reflect.DeepEqual(r.Rejection, want[i].Rejection) {
			t.Errorf("doc %d: Remove gave keep %v %q %+v, Process %v %q %+v", i, keep, r.Text, r.Removed, keepWant[i], want[i].Text, want[i].Removed)
		}
	}
}
