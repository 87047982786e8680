package minhash

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/dedup/deduptest"
	"github.com/winnow-corpus/winnow/dedup/exact"
	"github.com/winnow-corpus/winnow/dedup/lines"
	"github.com/winnow-corpus/winnow/dedup/urls"
)

// TestBadInput runs every dedup stage over hostile documents: binary bytes,
// invalid UTF-8, a 1 MB line, only separators. None may panic, and each
// document must be decided.
func TestBadInput(t *testing.T) {
	rng := rand.New(rand.NewPCG(61, 62))
	binary := make([]byte, 64<<10)
	for i := range binary {
		binary[i] = byte(rng.Uint32())
	}
	texts := []string{
		string(binary),
		string(binary),
		"\xff\xfe\xfd" + strings.Repeat("\x80", 1000),
		strings.Repeat("word ", 200_000), // 1 MB on one line
		strings.Repeat("\n", 10000),
		strings.Repeat("!?.,;", 1000),
		"\x00\x00\x00",
		"",
	}
	stages := map[string]func() (deduptest.Stage, func() error){
		"minhash": func() (deduptest.Stage, func() error) {
			cfg := DefaultConfig()
			cfg.Shingle = "char" // the slow path for long texts too
			s := newStage(t, cfg)
			return s, s.Close
		},
		"minhash words": func() (deduptest.Stage, func() error) { s := newStage(t, DefaultConfig()); return s, s.Close },
		"exact": func() (deduptest.Stage, func() error) {
			s, err := exact.New(exact.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			return s, s.Close
		},
		"urls": func() (deduptest.Stage, func() error) {
			s, err := urls.New(urls.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			return s, s.Close
		},
		"lines": func() (deduptest.Stage, func() error) {
			s, err := lines.New(lines.DefaultConfig())
			if err != nil {
				t.Fatal(err)
			}
			return s, s.Close
		},
	}
	for name, mk := range stages {
		s, closeFn := mk()
		rs := deduptest.Records(texts...)
		for i, r := range rs {
			r.URL = texts[i][:min(len(texts[i]), 200)]
		}
		keep, err := deduptest.Run(s, rs, t.TempDir(), 4, rng)
		if err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if err := closeFn(); err != nil {
			t.Errorf("%s: close: %v", name, err)
		}
		if name == "exact" && (keep[1] || rs[1].Rejection.DuplicateOf != "d0") {
			t.Errorf("exact: the repeated binary document was kept")
		}
	}
}
