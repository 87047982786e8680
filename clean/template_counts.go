package clean

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/winnow-corpus/winnow/record"
)

// TemplateCounts are the counts behind the template signal: per host, how
// many documents were seen and how many hold each normalized line, in two
// count-min sketches. A CorpusCleaner fills its own in Observe; a runner
// that observes the corpus on many workers (winnow-beam) fills one per
// worker with mergeable counts, adds them up with Merge, and hands the sum
// to CorpusCleaner.WithCounts.
type TemplateCounts struct {
	bits      int
	mergeable bool
	lines     *sketch
	hosts     *sketch

	// scratch for Observe
	norms []uint64
	st    lineStats
	spans []span
}

// NewTemplateCounts returns empty counts sized by t.SketchBits, mergeable if
// t.Mergeable.
func NewTemplateCounts(t TemplateConfig) (*TemplateCounts, error) {
	if t.SketchBits < 8 || t.SketchBits > 30 {
		return nil, fmt.Errorf("clean: template sketch_bits %d outside [8, 30]", t.SketchBits)
	}
	return &TemplateCounts{
		bits:      t.SketchBits,
		mergeable: t.Mergeable,
		lines:     newSketchMode(t.SketchBits, t.Mergeable),
		hosts:     newSketchMode(t.SketchBits, t.Mergeable),
	}, nil
}

// Observe counts r: one more document for its host, and one more document
// of the host for each distinct line of r. Not safe for concurrent use.
func (t *TemplateCounts) Observe(r *record.Record) {
	hk := hostKey(r.URL)
	t.hosts.add(hk)
	t.spans = splitLines(r.Text, t.spans)
	t.norms = t.norms[:0]
	for _, s := range t.spans {
		if s.blank {
			continue
		}
		scanLine(r.Text[s.start:s.end], &t.st, nil, nil, nil, nil)
		if t.st.words == 0 {
			continue
		}
		t.norms = append(t.norms, t.st.norm)
	}
	// Count each line once per document.
	slices.Sort(t.norms)
	for i, h := range t.norms {
		if i == 0 || h != t.norms[i-1] {
			t.lines.add(lineKey(hk, h))
		}
	}
}

// Merge adds o's counts to t's: afterwards t holds the counts of the
// documents both observed, exactly as if t had observed them all. Both
// must be mergeable and of the same size.
func (t *TemplateCounts) Merge(o *TemplateCounts) error {
	if !t.mergeable || !o.mergeable {
		return errors.New("clean: only mergeable template counts can be merged")
	}
	if t.bits != o.bits {
		return fmt.Errorf("clean: merging template counts of %d and %d bits", t.bits, o.bits)
	}
	for _, p := range [2][2]*sketch{{t.lines, o.lines}, {t.hosts, o.hosts}} {
		for i := range p[0].rows {
			dst, src := p[0].rows[i], p[1].rows[i]
			for j, v := range src {
				if v != 0 {
					dst[j] = satAdd(dst[j], v)
				}
			}
		}
	}
	return nil
}

// newSketchMode returns a sketch with plain updates if plain, conservative
// ones otherwise.
func newSketchMode(bits int, plain bool) *sketch {
	s := newSketch(bits)
	s.plain = plain
	return s
}

func satAdd(a, b uint32) uint32 {
	if s := a + b; s >= a {
		return s
	}
	return ^uint32(0)
}

const countsMagic = "wtc1"

// MarshalBinary encodes the counts compactly (a row with few non-zero
// counters as gaps and values, the others counter by counter, as varints).
func (t *TemplateCounts) MarshalBinary() ([]byte, error) {
	b := append([]byte(countsMagic), byte(t.bits), 0)
	if t.mergeable {
		b[len(b)-1] = 1
	}
	for _, s := range [2]*sketch{t.lines, t.hosts} {
		for _, row := range s.rows {
			nz := 0
			for _, v := range row {
				if v != 0 {
					nz++
				}
			}
			if nz < len(row)/4 {
				b = append(b, 's')
				b = binary.AppendUvarint(b, uint64(nz))
				last := -1
				for j, v := range row {
					if v != 0 {
						b = binary.AppendUvarint(b, uint64(j-last))
						b = binary.AppendUvarint(b, uint64(v))
						last = j
					}
				}
				continue
			}
			b = append(b, 'd')
			for _, v := range row {
				b = binary.AppendUvarint(b, uint64(v))
			}
		}
	}
	return b, nil
}

// UnmarshalBinary decodes what MarshalBinary encoded, replacing t.
func (t *TemplateCounts) UnmarshalBinary(b []byte) error {
	bad := errors.New("clean: bad template counts encoding")
	if len(b) < len(countsMagic)+2 || string(b[:len(countsMagic)]) != countsMagic {
		return bad
	}
	bits := int(b[len(countsMagic)])
	if bits < 8 || bits > 30 {
		return bad
	}
	mergeable := b[len(countsMagic)+1] == 1
	b = b[len(countsMagic)+2:]
	lines, hosts := newSketchMode(bits, mergeable), newSketchMode(bits, mergeable)
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return 0, false
		}
		b = b[n:]
		return v, true
	}
	for _, s := range [2]*sketch{lines, hosts} {
		for _, row := range s.rows {
			if len(b) == 0 {
				return bad
			}
			mode := b[0]
			b = b[1:]
			switch mode {
			case 's':
				nz, ok := next()
				if !ok || nz > uint64(len(row)) {
					return bad
				}
				j := -1
				for range nz {
					gap, ok1 := next()
					v, ok2 := next()
					j += int(gap)
					if !ok1 || !ok2 || gap == 0 || j >= len(row) || v > uint64(^uint32(0)) {
						return bad
					}
					row[j] = uint32(v)
				}
			case 'd':
				for j := range row {
					v, ok := next()
					if !ok || v > uint64(^uint32(0)) {
						return bad
					}
					row[j] = uint32(v)
				}
			default:
				return bad
			}
		}
	}
	if len(b) != 0 {
		return bad
	}
	*t = TemplateCounts{bits: bits, mergeable: mergeable, lines: lines, hosts: hosts}
	return nil
}

// Counts returns the cleaner's own counts (those Observe fills).
func (c *CorpusCleaner) Counts() *TemplateCounts { return c.counts }

// WithCounts returns a CorpusCleaner that shares c's model and settings and
// decides with counts t (observed elsewhere), ready for Process. t must be
// of c's size and mode, and not change while the cleaner is in use.
func (c *CorpusCleaner) WithCounts(t *TemplateCounts) (*CorpusCleaner, error) {
	if t.bits != c.tcfg.SketchBits || t.mergeable != c.tcfg.Mergeable {
		return nil, fmt.Errorf("clean: template counts of %d bits (mergeable %v) for a cleaner of %d bits (mergeable %v)",
			t.bits, t.mergeable, c.tcfg.SketchBits, c.tcfg.Mergeable)
	}
	return &CorpusCleaner{Cleaner: c.Cleaner, tcfg: c.tcfg, counts: t}, nil
}
