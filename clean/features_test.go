package clean

import (
	"math"
	"testing"
)

// TestPlaceFeatures checks the features that place a line against the
// page's prose, its runs of alike lines and its copies.
func TestPlaceFeatures(t *testing.T) {
	text := "Best trail shoes\nHome\nAbout\nShare on Facebook\n\n" +
		"These trail shoes held up on every kind of ground we tried them on this year.\n" +
		"Home\nBest trail shoes reviewed"
	lines, x := Featurize(text)
	if len(lines) != 7 {
		t.Fatalf("%d non-blank lines, want 7", len(lines))
	}
	col := map[string]int{}
	for i, f := range FeatureNames() {
		col[f] = i
	}
	get := func(k int, name string) float64 {
		i, ok := col[name]
		if !ok {
			t.Fatalf("no feature %q", name)
		}
		return float64(x[k*NumFeatures+i])
	}
	near := func(a, b float64) bool { return math.Abs(a-b) < 1e-6 }
	for _, c := range []struct {
		k    int
		name string
		want float64
	}{
		{1, "log_dist_prose_before", 10}, // no prose before
		{1, "log_dist_prose_after", math.Log1p(3)},
		{5, "log_dist_prose_before", math.Log1p(1)},
		{5, "log_dist_prose_after", 10},
		{1, "log_short_run", math.Log1p(4)}, // the title, Home, About, Share on Facebook
		{4, "log_short_run", 0},             // not a short line
		{1, "dup_first", 1},                 // the first of two copies
		{5, "dup_first", 0},                 // a later copy
		{2, "dup_first", -1},                // no copy
		{0, "title_cover", -1},              // the title itself
		{6, "title_cover", 1},               // repeats every title word
		{5, "log_marks_since_prose", 0},
	} {
		if got := get(c.k, c.name); !near(got, c.want) {
			t.Errorf("line %d %s = %v, want %v", c.k, c.name, got, c.want)
		}
	}
	// "Share on Facebook" is a mark: the lines after it and before the
	// prose count it.
	if get(4, "log_marks_since_prose") <= 0 || get(1, "log_marks_until_prose") <= 0 {
		t.Errorf("the share line does not count as a mark: since %v, until %v",
			get(4, "log_marks_since_prose"), get(1, "log_marks_until_prose"))
	}
}
