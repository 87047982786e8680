package dedup

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
)

// A Pair ties a group key (a MinHash band key, a text hash, a URL hash, a line
// hash) to a document, named by its compact index (see Clusterer). Documents
// that share a group key are candidates for one cluster.
type Pair struct {
	Group uint64
	Doc   uint32
}

// pairSize is the size of a Pair in memory; on disk a pair takes 12 bytes.
const (
	pairSize     = 16
	pairDiskSize = 12
)

func comparePairs(a, b Pair) int {
	if c := cmp.Compare(a.Group, b.Group); c != 0 {
		return c
	}
	return cmp.Compare(a.Doc, b.Doc)
}

// A Sorter is an external sort of pairs by (Group, Doc), the "group by band
// key" step. It holds at most about memBytes of pairs in memory; when the
// buffer is full it sorts it and writes it to a run file under its
// directory. Merge then streams all runs in order with a k-way merge, so a
// corpus of any size is grouped in bounded memory and one sequential pass over
// disk (12 bytes per pair).
//
// Add and AddBatch are safe for concurrent use; Merge must be called after the
// last Add.
type Sorter struct {
	dir    string
	maxBuf int

	mu    sync.Mutex
	buf   []Pair
	runs  []string
	count int64
}

// NewSorter returns a sorter spilling under dir (created when needed) once
// its buffer holds memBytes of pairs. memBytes below 1 KiB is raised to 1 KiB.
func NewSorter(dir string, memBytes int64) *Sorter {
	maxBuf := int(max(memBytes, 1024) / pairSize)
	return &Sorter{dir: dir, maxBuf: maxBuf}
}

// Add adds one pair.
func (s *Sorter) Add(p Pair) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addLocked(p)
}

// AddBatch adds pairs.
func (s *Sorter) AddBatch(ps []Pair) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range ps {
		if err := s.addLocked(p); err != nil {
			return err
		}
	}
	return nil
}

func (s *Sorter) addLocked(p Pair) error {
	if len(s.buf) >= s.maxBuf {
		if err := s.spill(); err != nil {
			return err
		}
	}
	if len(s.buf) == cap(s.buf) {
		// Grow by doubling, but never past the cap (append could overshoot
		// it by a quarter).
		nb := make([]Pair, len(s.buf), min(max(2*cap(s.buf), 1<<12), s.maxBuf))
		copy(nb, s.buf)
		s.buf = nb
	}
	s.buf = append(s.buf, p)
	s.count++
	return nil
}

// Len is the number of pairs added.
func (s *Sorter) Len() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.count
}

// Runs is the number of run files spilled so far.
func (s *Sorter) Runs() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.runs)
}

// spill sorts the buffer and writes it as a new run file.
func (s *Sorter) spill() (err error) {
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		return err
	}
	slices.SortFunc(s.buf, comparePairs)
	name := filepath.Join(s.dir, fmt.Sprintf("run-%06d.pairs", len(s.runs)))
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := bufio.NewWriterSize(f, 1<<20)
	var rec [pairDiskSize]byte
	for _, p := range s.buf {
		binary.LittleEndian.PutUint64(rec[:8], p.Group)
		binary.LittleEndian.PutUint32(rec[8:], p.Doc)
		if _, err := w.Write(rec[:]); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	s.runs = append(s.runs, name)
	s.buf = s.buf[:0]
	return nil
}

// Merge returns an iterator over every pair added, in (Group, Doc) order.
// When pairs were spilled, the in-memory rest is spilled too, so that Merge
// may be called again for a second pass. Close the iterator when done.
func (s *Sorter) Merge() (*PairIter, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.runs) > 0 && len(s.buf) > 0 {
		if err := s.spill(); err != nil {
			return nil, err
		}
	}
	it := &PairIter{}
	if len(s.runs) == 0 {
		slices.SortFunc(s.buf, comparePairs)
		it.mem = s.buf
		return it, nil
	}
	for _, name := range s.runs {
		f, err := os.Open(name)
		if err != nil {
			it.Close()
			return nil, err
		}
		r := &runReader{f: f, r: bufio.NewReaderSize(f, 256<<10)}
		it.files = append(it.files, f)
		if r.next() {
			it.h = append(it.h, r)
		} else if r.err != nil {
			it.Close()
			return nil, r.err
		}
	}
	heap.Init(&it.h)
	return it, nil
}

// Remove deletes the sorter's run files and drops its buffer.
func (s *Sorter) Remove() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for _, name := range s.runs {
		if err := os.Remove(name); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	s.runs, s.buf = nil, nil
	return errors.Join(errs...)
}

// A PairIter streams sorted pairs, from memory or by merging run files.
type PairIter struct {
	mem   []Pair
	h     runHeap
	files []*os.File
	err   error
}

// Next returns the next pair, or false at the end or on an error (see Err).
func (it *PairIter) Next() (Pair, bool) {
	if it.files == nil {
		if len(it.mem) == 0 {
			return Pair{}, false
		}
		p := it.mem[0]
		it.mem = it.mem[1:]
		return p, true
	}
	if len(it.h) == 0 || it.err != nil {
		return Pair{}, false
	}
	r := it.h[0]
	p := r.cur
	if r.next() {
		heap.Fix(&it.h, 0)
	} else {
		if r.err != nil {
			it.err = r.err
		}
		heap.Pop(&it.h)
	}
	return p, true
}

// Err is the first read error met, if any.
func (it *PairIter) Err() error { return it.err }

// Close closes the run files.
func (it *PairIter) Close() error {
	var errs []error
	for _, f := range it.files {
		errs = append(errs, f.Close())
	}
	it.files, it.h, it.mem = nil, nil, nil
	return errors.Join(errs...)
}

type runReader struct {
	f   *os.File
	r   *bufio.Reader
	cur Pair
	err error
}

func (r *runReader) next() bool {
	var rec [pairDiskSize]byte
	if _, err := io.ReadFull(r.r, rec[:]); err != nil {
		if err != io.EOF {
			r.err = fmt.Errorf("%s: %w", r.f.Name(), err)
		}
		return false
	}
	r.cur = Pair{Group: binary.LittleEndian.Uint64(rec[:8]), Doc: binary.LittleEndian.Uint32(rec[8:])}
	return true
}

type runHeap []*runReader

func (h runHeap) Len() int           { return len(h) }
func (h runHeap) Less(i, j int) bool { return comparePairs(h[i].cur, h[j].cur) < 0 }
func (h runHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)        { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	r := old[len(old)-1]
	*h = old[:len(old)-1]
	return r
}
