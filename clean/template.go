package clean

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/winnow-corpus/winnow/record"
)

// TemplateConfig configures the cross-document template signal: a site's
// furniture (menus, footers, sidebars) repeats on its pages, its articles do
// not.
type TemplateConfig struct {
	// MinDocs is the least number of documents of one host that must hold
	// a line before it can count as template.
	MinDocs int `yaml:"min_docs"`
	// MinShare is the least share of the host's documents that must hold
	// the line.
	MinShare float64 `yaml:"min_share"`
	// SketchBits sets the memory of the counts: 4 rows of 2^SketchBits
	// 32-bit counters for the lines and as many for the hosts (the default,
	// 20, takes 32 MiB whatever the size of the corpus).
	SketchBits int `yaml:"sketch_bits"`
	// Mergeable counts with plain count-min updates instead of
	// conservative ones. Plain counts do not depend on the order of the
	// documents, so counts of parts of a corpus add up to the counts of the
	// whole (TemplateCounts.Merge): winnow-beam counts this way on many
	// workers, and a local run with mergeable: true decides as it does.
	// Conservative updates overcount less when the sketch is crowded.
	Mergeable bool `yaml:"mergeable"`
}

// DefaultTemplateConfig returns the template settings `winnow clean DIR`
// uses.
func DefaultTemplateConfig() TemplateConfig {
	return TemplateConfig{MinDocs: 3, MinShare: 0.1, SketchBits: 20}
}

// A CorpusCleaner is a Cleaner that also drops a site's template lines. It
// sees the corpus twice (the pipeline's CorpusStage shape):
//
//  1. Observe, for every record in turn, counts how many documents of the
//     record's host hold each normalized line (lowercased, digits as 0,
//     punctuation and spacing dropped). Hosts come from the record's URL;
//     records without one form one group for the whole run. The counts live
//     in count-min sketches of fixed size, so memory stays bounded however
//     many documents and hosts there are; a sketch can only overcount, and
//     conservative updates keep that rare at the default size.
//  2. Prepare ends the counting; Process then cleans each record as the
//     Cleaner does, and also drops (reason "template") every line held by at
//     least MinDocs documents and MinShare of the documents of its host.
type CorpusCleaner struct {
	*Cleaner
	tcfg   TemplateConfig
	counts *TemplateCounts
}

// NewCorpus returns a CorpusCleaner for cfg (cfg.Template sets the template
// signal).
func NewCorpus(cfg Config) (*CorpusCleaner, error) {
	c, err := New(cfg)
	if err != nil {
		return nil, err
	}
	return NewCorpusWith(c, cfg.Template)
}

// NewCorpusWith adds the template signal to an existing Cleaner.
func NewCorpusWith(c *Cleaner, t TemplateConfig) (*CorpusCleaner, error) {
	if t.MinDocs < 2 {
		return nil, fmt.Errorf("clean: template min_docs %d must be at least 2", t.MinDocs)
	}
	if t.MinShare < 0 || t.MinShare > 1 {
		return nil, fmt.Errorf("clean: template min_share %v outside [0, 1]", t.MinShare)
	}
	counts, err := NewTemplateCounts(t)
	if err != nil {
		return nil, err
	}
	return &CorpusCleaner{Cleaner: c, tcfg: t, counts: counts}, nil
}

// Observe counts the lines of r for its host. It must be called from one
// goroutine at a time.
func (c *CorpusCleaner) Observe(r *record.Record) error {
	c.counts.Observe(r)
	return nil
}

// Prepare ends the counting phase. The counts stay in memory; workDir is
// not used.
func (c *CorpusCleaner) Prepare(workDir string) error { return nil }

// Process cleans r, dropping its host's template lines too.
func (c *CorpusCleaner) Process(r *record.Record) bool {
	hk := hostKey(r.URL)
	docs := float64(c.counts.hosts.count(hk))
	return c.process(r, func(norm uint64) bool {
		n := c.counts.lines.count(lineKey(hk, norm))
		return int(n) >= c.tcfg.MinDocs && float64(n) >= c.tcfg.MinShare*docs
	})
}

// HostShare returns how many observed documents of the host of rawURL hold
// line, and how many documents of that host were observed.
func (c *CorpusCleaner) HostShare(rawURL, line string) (withLine, docs int) {
	var st lineStats
	scanLine(line, &st, nil, nil, nil, nil)
	hk := hostKey(rawURL)
	return int(c.counts.lines.count(lineKey(hk, st.norm))), int(c.counts.hosts.count(hk))
}

// hostKey hashes the host of rawURL, lowercased and without "www.". An
// empty or unparsable URL gives the key of the one group of URL-less
// documents.
func hostKey(rawURL string) uint64 {
	host := ""
	if rawURL != "" {
		if u, err := url.Parse(rawURL); err == nil {
			host = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		}
	}
	return wordHash(host)
}

func lineKey(host, norm uint64) uint64 { return mix(host*0x9e3779b97f4a7c15 ^ norm) }

// sketch is a count-min sketch with conservative update (or, plain, with
// plain update): 4 rows of counters, each row indexed by a different part of
// a 64-bit key's hash. A count is the minimum over the rows, never less than
// the truth.
type sketch struct {
	rows  [4][]uint32
	mask  uint64
	plain bool
}

func newSketch(bits int) *sketch {
	s := &sketch{mask: 1<<bits - 1}
	for i := range s.rows {
		s.rows[i] = make([]uint32, 1<<bits)
	}
	return s
}

func (s *sketch) slots(key uint64) [4]uint64 {
	h1 := mix(key)
	h2 := mix(h1 ^ 0x5851f42d4c957f2d)
	return [4]uint64{h1 & s.mask, (h1 >> 32) & s.mask, h2 & s.mask, (h2 >> 32) & s.mask}
}

func (s *sketch) count(key uint64) uint32 {
	sl := s.slots(key)
	m := s.rows[0][sl[0]]
	for i := 1; i < 4; i++ {
		m = min(m, s.rows[i][sl[i]])
	}
	return m
}

func (s *sketch) add(key uint64) {
	sl := s.slots(key)
	if s.plain {
		for i := range s.rows {
			if s.rows[i][sl[i]] != ^uint32(0) {
				s.rows[i][sl[i]]++
			}
		}
		return
	}
	m := s.rows[0][sl[0]]
	for i := 1; i < 4; i++ {
		m = min(m, s.rows[i][sl[i]])
	}
	if m == ^uint32(0) {
		return
	}
	for i := 0; i < 4; i++ {
		if s.rows[i][sl[i]] == m {
			s.rows[i][sl[i]] = m + 1
		}
	}
}
