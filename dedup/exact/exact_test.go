package exact

import (
	"testing"

	"github.com/winnow-corpus/winnow/dedup"
	"github.com/winnow-corpus/winnow/dedup/deduptest"
)

// TestBoundary shows where two texts stop being exact duplicates under the
// default normalization (case and white space folded, nothing else).
func TestBoundary(t *testing.T) {
	tests := []struct {
		a, b string
		dup  bool
	}{
		{"Hello world", "Hello world", true},
		{"Hello world", "hello   WORLD", true},
		{"Hello world", " Hello\n\tworld \n", true},
		{"Hello world", "Helloworld", false},
		{"Hello world", "Hello world.", false},
		{"Hello world", "Hello world 2", false},
		{"Hello world", "Hello wörld", false},
		{"x\xffy", "x\xffy", true},
		{"", "", false},         // empty texts are not duplicates
		{" \n\t", "", false},    // nor are blank ones
		{"\x00", "\x00", false}, // a control character is white space
	}
	for _, tt := range tests {
		s, err := New(DefaultConfig())
		if err != nil {
			t.Fatal(err)
		}
		recs := deduptest.Records(tt.a, tt.b)
		keep, err := deduptest.Run(s, recs, t.TempDir(), 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		if !keep[0] {
			t.Errorf("%q: first record removed", tt.a)
		}
		if gotDup := !keep[1]; gotDup != tt.dup {
			t.Errorf("%q vs %q: duplicate = %v, want %v", tt.a, tt.b, gotDup, tt.dup)
			continue
		}
		if tt.dup {
			rj := recs[1].Rejection
			if rj.Stage != Name || rj.Reason != Reason || rj.DuplicateOf != "d0" {
				t.Errorf("%q: rejection %+v", tt.b, rj)
			}
			if recs[0].Metadata[dedup.MetaClusterSize] != 2 {
				t.Errorf("%q: kept metadata %v", tt.a, recs[0].Metadata)
			}
		}
	}
}

func TestNormalizationOption(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Normalization = dedup.FullNormalization
	s, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	keep, err := deduptest.Run(s, deduptest.Records("Hello, world! 2023", "hello world 1999", "hello there"), t.TempDir(), 1, nil)
	if err != nil {
		t.Fatal(err)
	}
	if keep[0] != true || keep[1] != false || keep[2] != true {
		t.Errorf("full normalization: keep = %v, want [true false true]", keep)
	}
}
