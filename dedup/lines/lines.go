// Package lines removes lines repeated across the corpus, as cc_net does:
// navigation, cookie notices and footers that a site repeats on every page.
//
// Every line is normalized (dedup.NormalizeLine: lower case, digits to 0,
// punctuation and non-printing characters removed) and hashed to 64 bits.
// The first occurrence of each normalized line in corpus order (smallest
// Source.Key, then line number) is kept; every later occurrence, in another
// document or the same one, is removed and logged in Record.Removed. A
// document that lost lines and is left with fewer than MinChars characters is
// rejected. (cc_net drops every document under 300 characters after this
// step; here a document the stage did not change is left for the quality
// filters to judge.) Lines that are empty after normalization are never
// removed.
//
// Memory: Observe spills one (line hash, document) pair per line to sorted
// runs on disk; Prepare keeps in memory only the lines that occur more than
// once (16 bytes each) and 8 bytes per document. Observe hashes lines in the
// caller's goroutine (a few µs per KB); Process hashes them again, in
// parallel.
package lines

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"unicode/utf8"

	"github.com/zeebo/xxh3"

	"github.com/winnow-corpus/winnow/dedup"
	"github.com/winnow-corpus/winnow/record"
)

// Name is the stage name; ReasonLine marks removed lines and ReasonShort
// rejected documents.
const (
	Name        = "line_dedup"
	ReasonLine  = "duplicate_line"
	ReasonShort = "line_dedup_too_short"
)

// Config configures line deduplication.
type Config struct {
	// MinChars is the least number of characters (code points) a document
	// that lost lines must keep.
	MinChars int `yaml:"min_chars"`
	// MemoryMB caps the (line hash, document) pairs held in memory before
	// they spill to sorted runs on disk.
	MemoryMB int `yaml:"memory_mb"`
	// TempDir is where pairs spill; "" means the system's temporary
	// directory.
	TempDir string `yaml:"temp_dir"`
}

// DefaultConfig is cc_net's setting.
func DefaultConfig() Config {
	return Config{MinChars: 300, MemoryMB: 256}
}

// Stage is the repeated-line corpus stage.
type Stage struct {
	cfg    Config
	docs   dedup.DocTable
	dir    string
	sorter *dedup.Sorter
	// repeated lists the lines seen more than once, by hash, each with the
	// document holding its first occurrence.
	repeated []repeatedLine
	prepared bool

	linesRemoved, docsRejected atomic.Int64
}

type repeatedLine struct {
	hash  uint64
	first uint32
}

// New returns the stage for cfg.
func New(cfg Config) (*Stage, error) {
	if cfg.MinChars < 0 || cfg.MemoryMB < 0 {
		return nil, fmt.Errorf("line_dedup: negative min_chars %d or memory_mb %d", cfg.MinChars, cfg.MemoryMB)
	}
	if cfg.MemoryMB == 0 {
		cfg.MemoryMB = 256
	}
	return &Stage{cfg: cfg}, nil
}

// Name returns "line_dedup".
func (s *Stage) Name() string { return Name }

// lineHashes calls f with the hash of every line of text that is not empty
// after normalization, and its line number.
func lineHashes(text string, f func(line int, h uint64, raw string)) {
	for i := 0; text != ""; i++ {
		raw, rest, _ := strings.Cut(text, "\n")
		text = rest
		if n := dedup.NormalizeLine(raw); n != "" {
			f(i, xxh3.HashString(n), raw)
		}
	}
}

// Observe records r's lines. Call it once per record, in corpus order, from
// one goroutine, before Prepare.
func (s *Stage) Observe(r *record.Record) error {
	if s.prepared {
		return errors.New("line_dedup: Observe after Prepare")
	}
	if s.sorter == nil {
		dir, err := os.MkdirTemp(s.cfg.TempDir, "winnow-line_dedup-")
		if err != nil {
			return err
		}
		s.dir = dir
		s.sorter = dedup.NewSorter(filepath.Join(dir, "pairs"), int64(s.cfg.MemoryMB)<<20)
	}
	idx, err := s.docs.Add(r.Source.Key)
	if err != nil {
		return err
	}
	lineHashes(r.Text, func(_ int, h uint64, _ string) {
		if err == nil {
			err = s.sorter.Add(dedup.Pair{Group: h, Doc: idx})
		}
	})
	return err
}

// Prepare finds the repeated lines and where each first occurs. workDir is
// not used: the spilled runs live under Config.TempDir and are removed here.
func (s *Stage) Prepare(workDir string) error {
	if s.prepared {
		return errors.New("line_dedup: Prepare called twice")
	}
	s.prepared = true
	s.docs.Seal()
	if s.sorter == nil {
		return nil
	}
	defer os.RemoveAll(s.dir)
	it, err := s.sorter.Merge()
	if err != nil {
		return err
	}
	defer it.Close()
	var cur repeatedLine
	count := 0
	flush := func() {
		if count > 1 {
			s.repeated = append(s.repeated, cur)
		}
	}
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if count > 0 && p.Group == cur.hash {
			count++
			if s.docs.Less(p.Doc, cur.first) {
				cur.first = p.Doc
			}
			continue
		}
		flush()
		cur, count = repeatedLine{hash: p.Group, first: p.Doc}, 1
	}
	flush()
	if err := it.Err(); err != nil {
		return err
	}
	return s.sorter.Remove()
}

// firstDoc returns the document of a repeated line's first occurrence.
func (s *Stage) firstDoc(h uint64) (uint32, bool) {
	i := sort.Search(len(s.repeated), func(i int) bool { return s.repeated[i].hash >= h })
	if i < len(s.repeated) && s.repeated[i].hash == h {
		return s.repeated[i].first, true
	}
	return 0, false
}

// Process removes r's repeated lines that are not their first occurrence
// and rejects r if what is left is too short. A record that was not observed
// is kept unchanged. Safe for concurrent use after Prepare.
func (s *Stage) Process(r *record.Record) bool {
	if !s.prepared {
		return true
	}
	idx, ok := s.docs.Lookup(r.Source.Key)
	if !ok || len(s.repeated) == 0 {
		return true
	}
	return s.Remove(r, func(h uint64) bool {
		first, ok := s.firstDoc(h)
		return ok && first != idx
	})
}

// DocLines returns the distinct hashes of text's lines that are not empty
// after normalization, sorted: the keys under which a distributed runner
// groups documents to find each line's first document (the smallest
// Source.Key holding it).
func DocLines(text string) []uint64 {
	var hs []uint64
	lineHashes(text, func(_ int, h uint64, _ string) { hs = append(hs, h) })
	slices.Sort(hs)
	return slices.Compact(hs)
}

// Remove is Process's decision once it is known which lines of r occur
// first in an earlier document (earlier reports them by hash): it removes
// those lines, and every repeat within r of a line, logs them in r.Removed,
// and rejects r if what is left has fewer than MinChars characters. It
// needs no Observe or Prepare, so a runner that found the earlier lines by
// itself (winnow-beam, with keyed shuffles on DocLines) decides as the
// stage does. Safe for concurrent use.
func (s *Stage) Remove(r *record.Record, earlier func(h uint64) bool) bool {
	drop := map[int]bool{}
	var seen map[uint64]bool // lines of r met so far
	lineHashes(r.Text, func(line int, h uint64, raw string) {
		if !earlier(h) && !seen[h] {
			if seen == nil {
				seen = map[uint64]bool{}
			}
			seen[h] = true
			return
		}
		drop[line] = true
		r.Removed = append(r.Removed, record.RemovedLine{Stage: Name, Line: line, Text: raw, Reason: ReasonLine})
	})
	if len(drop) == 0 {
		return true
	}
	s.linesRemoved.Add(int64(len(drop)))
	kept := make([]string, 0, strings.Count(r.Text, "\n")+1-len(drop))
	for i, l := range strings.Split(r.Text, "\n") {
		if !drop[i] {
			kept = append(kept, l)
		}
	}
	r.Text = strings.Join(kept, "\n")
	if n := utf8.RuneCountInString(r.Text); n < s.cfg.MinChars {
		s.docsRejected.Add(1)
		return r.Reject(Name, ReasonShort, fmt.Sprintf("%d characters left, minimum %d", n, s.cfg.MinChars))
	}
	return true
}

// Stats are the stage's counts, for summary.json.
type Stats struct {
	Documents     int64 `json:"documents"`
	RepeatedLines int64 `json:"repeated_lines"` // distinct lines seen more than once
	LinesRemoved  int64 `json:"lines_removed"`
	Rejected      int64 `json:"rejected"`
}

// Stats returns the counts so far; complete once every Process returned.
func (s *Stage) Stats() Stats {
	return Stats{
		Documents:     int64(s.docs.Len()),
		RepeatedLines: int64(len(s.repeated)),
		LinesRemoved:  s.linesRemoved.Load(),
		Rejected:      s.docsRejected.Load(),
	}
}

// Close removes the stage's temporary files.
func (s *Stage) Close() error {
	if s.dir == "" {
		return nil
	}
	err := os.RemoveAll(s.dir)
	s.dir = ""
	return err
}
