package dedup

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/winnow-corpus/winnow/record"
)

// Metadata keys set on every kept document, so that users can upsample by
// cluster size later, as FineWeb-2 does.
const (
	// MetaClusterID names the cluster: the kept document's Source.Key as 16
	// hex digits, unique within a run.
	MetaClusterID = "dup_cluster_id"
	// MetaClusterSize is the number of this run's documents in the cluster,
	// the kept one included (an int; 1 for a document without duplicates).
	// When several dedup stages run, each adds the members it removed in
	// favour of the document: exact copies, then near copies.
	MetaClusterSize = "dup_cluster_size"
)

// KeyFunc computes the group keys of one document from its text and URL and
// appends them to dst. Documents that share any key end up in one cluster
// (if Similar, when set, confirms them). A document with no keys is never a
// duplicate. When ClusterConfig.SketchBytes > 0 it also fills sketch, a
// small summary of the document for Similar; otherwise sketch is nil. It
// must be safe for concurrent use.
type KeyFunc func(dst []uint64, sketch []byte, text, url string) []uint64

// ClusterConfig sets up a Clusterer.
type ClusterConfig struct {
	// Name is the stage name and Reason the rejection reason of removed
	// documents ("minhash_dedup", "near_duplicate").
	Name, Reason string
	// Keys computes each document's group keys.
	Keys KeyFunc
	// SketchBytes, when positive, is the size of the sketch Keys fills for
	// each document; sketches are kept on disk, 1 file of SketchBytes per
	// document, and read back only for documents that share a key. Similar
	// then decides whether two documents sharing a key are duplicates: a
	// document joins a group's cluster only through a member (among the
	// first MaxCompare of the group) it is similar to.
	SketchBytes int
	Similar     func(a, b []byte) bool
	// MemoryBytes caps the pairs held in memory before they are spilled to
	// sorted run files (default 256 MiB).
	MemoryBytes int64
	// TempDir is where the observe phase spills (in a fresh subdirectory,
	// removed by Close); "" means os.TempDir().
	TempDir string
	// Workers computing keys during Observe; 0 means GOMAXPROCS.
	Workers int
	// Index, if set, is the persistent index of earlier runs, and
	// IndexNamespace this stage's key range in it (see IndexNamespace). The
	// Clusterer takes over the caller's hold on Index: Close or Abandon
	// releases it.
	Index          *Index
	IndexNamespace []byte
}

// A Clusterer is a corpus stage (in the shape of pipeline.CorpusStage) that
// removes every document sharing a group key, directly or through a chain of
// documents, with an earlier document. The exact, MinHash and URL stages are
// Clusterers with different KeyFuncs.
//
// Each step stands on its own so that another runner (Beam) can distribute
// it: keys per document (KeyFunc) -> pairs (group key, document) -> group by
// key (Sorter, an external sort) -> connected components (UnionFind over the
// members of each group) -> filter (Process).
//
// The kept rule: in each cluster the document with the smallest Source.Key,
// the first in corpus order, is kept; documents of earlier runs (from the
// Index) come before all of this run's. Every kept document gets
// MetaClusterID and MetaClusterSize (1 when it has no duplicates; an earlier
// dedup stage's size grows by the members this one removed). Every other member is rejected with Reason and
// Rejection.DuplicateOf set to the kept document's ID. When the first member
// is an earlier run's document, this run's documents in the cluster are all
// removed, except one with that document's ID: the same document read again
// (an earlier output deduplicated once more) is kept, so that rerunning over
// kept documents removes none.
//
// Memory: Observe keeps 8 bytes per document (its Key) plus at most
// MemoryBytes of pairs; Prepare adds 12 bytes per document (union-find
// parent, root and cluster size) and the IDs of kept documents that have
// duplicates. Pairs (12 bytes each), document IDs and sketches spill to disk
// under TempDir. So 10 million documents need about 200 MB besides the pair
// buffer, and a billion about 20 GB: beyond one machine, the grouping runs
// as a keyed shuffle (one Sorter per band-key shard) and only the grouped
// edges (a few per duplicate) meet in one union-find.
type Clusterer struct {
	cfg ClusterConfig
	run uint64 // this run's identity in the index

	// observe phase
	docs   DocTable
	dir    string // spill directory
	sorter *Sorter
	idFile *os.File
	idw    *bufio.Writer
	sketch *os.File // SketchBytes per document, by number
	jobs   chan observeJob
	wg     sync.WaitGroup
	errMu  sync.Mutex
	err    error

	// decision phase, read-only after Prepare
	prepared bool
	root     []uint32 // root per document number; >= docs.Len() is an earlier run's document
	size     []uint32 // documents of this run per root
	rootIDs  map[uint32]string
	// again maps an earlier run's document to the document of this run
	// that is the same one read again (same ID), which is kept.
	again map[uint32]uint32
	ext   []IndexRef // earlier runs' documents, by node number - docs.Len()
	// indexed holds the group keys found in the index (few: they are
	// duplicates), which stageGroups does not write again.
	indexed map[uint64]struct{}
	staged  []string // SST files to ingest on Close
	stats   Stats
}

// Stats summarize a Clusterer's decisions, for summary.json.
type Stats struct {
	Documents int64 `json:"documents"` // documents observed
	Removed   int64 `json:"removed"`   // documents rejected as duplicates
	// RemovedByIndex counts the removed documents whose kept document is in
	// an earlier run.
	RemovedByIndex int64 `json:"removed_by_index"`
	// Clusters counts clusters with at least two members (earlier runs'
	// documents included).
	Clusters int64 `json:"clusters"`
	// Sizes maps a cluster size (this run's documents) to the number of
	// clusters of that size, for sizes of 2 and more.
	Sizes map[int]int64 `json:"cluster_sizes"`
	// Pairs is the number of (group key, document) pairs grouped and
	// SpillRuns the number of sorted runs written to disk.
	Pairs     int64 `json:"pairs"`
	SpillRuns int   `json:"spill_runs"`
}

type observeJob struct {
	idx       uint32
	text, url string
}

// NewClusterer returns a Clusterer for cfg. On error it releases cfg.Index.
func NewClusterer(cfg ClusterConfig) (*Clusterer, error) {
	var err error
	switch {
	case cfg.Name == "" || cfg.Reason == "" || cfg.Keys == nil:
		err = errors.New("dedup: cluster stage needs a name, a reason and a key function")
	case cfg.Index != nil && len(cfg.IndexNamespace) == 0:
		err = errors.New("dedup: an index needs a namespace")
	}
	if err != nil {
		if cfg.Index != nil {
			err = errors.Join(err, cfg.Index.Close())
		}
		return nil, err
	}
	if cfg.MemoryBytes <= 0 {
		cfg.MemoryBytes = 256 << 20
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	return &Clusterer{cfg: cfg, run: uint64(time.Now().UnixNano())}, nil
}

// Name returns the stage name.
func (c *Clusterer) Name() string { return c.cfg.Name }

// Observe queues r for key computation. Call it once per record, in corpus
// order, from one goroutine, before Prepare.
func (c *Clusterer) Observe(r *record.Record) error {
	if c.prepared {
		return errors.New("dedup: Observe after Prepare")
	}
	if err := c.firstErr(); err != nil {
		return err
	}
	if c.jobs == nil {
		if err := c.start(); err != nil {
			return err
		}
	}
	idx, err := c.docs.Add(r.Source.Key)
	if err != nil {
		return err
	}
	var lb [binary.MaxVarintLen64]byte
	if _, err := c.idw.Write(binary.AppendUvarint(lb[:0], uint64(len(r.ID)))); err != nil {
		return err
	}
	if _, err := c.idw.WriteString(r.ID); err != nil {
		return err
	}
	c.jobs <- observeJob{idx: idx, text: r.Text, url: r.URL}
	return nil
}

func (c *Clusterer) start() error {
	dir, err := os.MkdirTemp(c.cfg.TempDir, "winnow-"+c.cfg.Name+"-")
	if err != nil {
		return err
	}
	c.dir = dir
	c.sorter = NewSorter(filepath.Join(dir, "pairs"), c.cfg.MemoryBytes)
	if c.idFile, err = os.Create(filepath.Join(dir, "ids")); err != nil {
		return err
	}
	c.idw = bufio.NewWriterSize(c.idFile, 1<<20)
	if c.cfg.SketchBytes > 0 {
		if c.sketch, err = os.Create(filepath.Join(dir, "sketches")); err != nil {
			return err
		}
	}
	c.jobs = make(chan observeJob, 4*c.cfg.Workers)
	for range c.cfg.Workers {
		c.wg.Add(1)
		go c.worker()
	}
	return nil
}

func (c *Clusterer) worker() {
	defer c.wg.Done()
	var keys []uint64
	var pairs []Pair
	var sketch []byte
	if c.cfg.SketchBytes > 0 {
		sketch = make([]byte, c.cfg.SketchBytes)
	}
	flush := func() {
		if len(pairs) > 0 {
			if err := c.sorter.AddBatch(pairs); err != nil {
				c.setErr(err)
			}
			pairs = pairs[:0]
		}
	}
	for j := range c.jobs {
		keys = c.cfg.Keys(keys[:0], sketch, j.text, j.url)
		if sketch != nil && len(keys) > 0 {
			if _, err := c.sketch.WriteAt(sketch, int64(j.idx)*int64(len(sketch))); err != nil {
				c.setErr(err)
			}
		}
		for _, k := range keys {
			pairs = append(pairs, Pair{Group: k, Doc: j.idx})
		}
		if len(pairs) >= 4096 {
			flush()
		}
	}
	flush()
}

func (c *Clusterer) setErr(err error) {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	if c.err == nil {
		c.err = err
	}
}

func (c *Clusterer) firstErr() error {
	c.errMu.Lock()
	defer c.errMu.Unlock()
	return c.err
}

// Prepare groups the observed pairs, finds the clusters and decides every
// document. workDir holds the index files staged for Close; "" means the
// stage's temporary directory.
func (c *Clusterer) Prepare(workDir string) error {
	if c.prepared {
		return errors.New("dedup: Prepare called twice")
	}
	c.prepared = true
	if c.jobs == nil { // nothing observed
		c.stats.Sizes = map[int]int64{}
		return nil
	}
	close(c.jobs)
	c.wg.Wait()
	if err := c.firstErr(); err != nil {
		return err
	}
	if err := c.idw.Flush(); err != nil {
		return err
	}
	c.docs.Seal()
	n := uint32(c.docs.Len())

	uf := NewUnionFind(int(n))
	uf.Less = func(a, b uint32) bool {
		switch {
		case a >= n && b >= n:
			return c.ext[a-n].before(c.ext[b-n])
		case a >= n || b >= n:
			return a >= n
		}
		return c.docs.Less(a, b)
	}
	if err := c.group(uf); err != nil {
		return err
	}

	c.root = make([]uint32, uf.Len())
	c.size = make([]uint32, uf.Len())
	for i := range c.root {
		c.root[i] = uf.Find(uint32(i))
		if uint32(i) < n {
			c.size[c.root[i]]++
		}
	}
	if err := c.readIDs(workDir); err != nil {
		return err
	}
	c.collectStats(n)
	if c.cfg.Index != nil {
		if err := c.stageGroups(workDir); err != nil {
			return err
		}
	}
	return c.sorter.Remove()
}

// group is the group and connected-components steps: it streams the sorted
// pairs and unites the members of each group, and with an index, each group
// with the earlier document that holds its key.
func (c *Clusterer) group(uf *UnionFind) error {
	it, err := c.sorter.Merge()
	if err != nil {
		return err
	}
	defer it.Close()
	extNode := map[[2]uint64]uint32{}
	c.indexed = map[uint64]struct{}{}
	var cur uint64
	started := false
	// The members of the current group so far, an earlier run's document
	// first if the index has the key, and their sketches (nil: not read).
	var members []uint32
	var sketches [][]byte
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if !started || p.Group != cur {
			started, cur = true, p.Group
			members, sketches = members[:0], sketches[:0]
			if c.cfg.Index != nil {
				ref, found, err := c.cfg.Index.Lookup(c.cfg.IndexNamespace, p.Group)
				if err != nil {
					return err
				}
				if found {
					c.indexed[p.Group] = struct{}{}
					id := [2]uint64{ref.Run, ref.Key}
					node, seen := extNode[id]
					if !seen {
						node = uf.Add()
						extNode[id] = node
						c.ext = append(c.ext, ref)
					}
					members = append(members, node)
					sketches = append(sketches, ref.Sketch)
				}
			}
		}
		var sk []byte
		if len(members) > 0 {
			if c.cfg.Similar == nil {
				uf.Union(members[0], p.Doc)
			} else {
				if sk, err = c.readSketch(p.Doc); err != nil {
					return err
				}
				for k := range min(len(members), MaxCompare) {
					if sketches[k] == nil {
						if sketches[k], err = c.readSketch(members[k]); err != nil {
							return err
						}
					}
					if c.similar(sketches[k], sk) {
						uf.Union(members[k], p.Doc)
						break
					}
				}
			}
		}
		members = append(members, p.Doc)
		sketches = append(sketches, sk)
	}
	c.stats.Pairs = c.sorter.Len()
	c.stats.SpillRuns = c.sorter.Runs()
	return it.Err()
}

// MaxCompare caps the members of a group a new member is compared with.
const MaxCompare = 16

// similar applies Similar; a missing sketch (an index written without
// sketches) counts as similar.
func (c *Clusterer) similar(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	return c.cfg.Similar(a, b)
}

// readSketch reads the sketch of document i.
func (c *Clusterer) readSketch(i uint32) ([]byte, error) {
	b := make([]byte, c.cfg.SketchBytes)
	_, err := c.sketch.ReadAt(b, int64(i)*int64(len(b)))
	return b, err
}

func (c *Clusterer) collectStats(n uint32) {
	c.stats.Documents = int64(n)
	c.stats.Sizes = map[int]int64{}
	for i, r := range c.root {
		if uint32(i) < n && !c.kept(uint32(i)) {
			c.stats.Removed++
			if r >= n {
				c.stats.RemovedByIndex++
			}
		}
		if r == uint32(i) && (c.size[i] > 1 || (r >= n && c.size[i] > 0)) {
			c.stats.Clusters++
			if c.size[i] > 1 {
				c.stats.Sizes[int(c.size[i])]++
			}
		}
	}
}

// readIDs reads back the spilled IDs, keeping those of kept documents that
// have duplicates, and with an index stages the IDs of all kept documents.
func (c *Clusterer) readIDs(workDir string) error {
	n := uint32(c.docs.Len())
	c.rootIDs = map[uint32]string{}
	c.again = map[uint32]uint32{}
	for i := n; i < uint32(len(c.root)); i++ {
		c.rootIDs[i] = c.ext[i-n].ID
	}
	if _, err := c.idFile.Seek(0, io.SeekStart); err != nil {
		return err
	}
	defer func() {
		c.idFile.Close()
		os.Remove(c.idFile.Name())
	}()
	var batch *IndexBatch
	var kept []IndexRef // kept documents, when keys do not ascend
	if c.cfg.Index != nil {
		var err error
		if batch, err = c.cfg.Index.NewBatch(c.cfg.IndexNamespace, c.stagePath(workDir, "docs")); err != nil {
			return err
		}
	}
	br := bufio.NewReaderSize(c.idFile, 1<<20)
	var buf []byte
	var sketches *bufio.Reader
	var sk []byte
	if batch != nil && c.sketch != nil {
		sk = make([]byte, c.cfg.SketchBytes)
		sketches = bufio.NewReaderSize(io.NewSectionReader(c.sketch, 0, int64(n)*int64(len(sk))), 1<<20)
	}
	for i := range n {
		if sketches != nil {
			// Documents without keys have no sketch: the file reads zeros
			// there, or ends early.
			clear(sk)
			io.ReadFull(sketches, sk)
		}
		l, err := binary.ReadUvarint(br)
		if err != nil {
			return fmt.Errorf("dedup: reading back ids: %w", err)
		}
		buf = slices.Grow(buf[:0], int(l))[:l]
		if _, err := io.ReadFull(br, buf); err != nil {
			return fmt.Errorf("dedup: reading back ids: %w", err)
		}
		if r := c.root[i]; r >= n && c.rootIDs[r] == string(buf) {
			// The earlier run's document itself, read again.
			if _, dup := c.again[r]; !dup {
				c.again[r] = i
			}
		}
		if c.root[i] != i {
			continue
		}
		if c.size[i] > 1 {
			c.rootIDs[i] = string(buf)
		}
		if batch == nil {
			continue
		}
		ref := IndexRef{Run: c.run, Key: c.docs.Key(i), ID: string(buf), Sketch: slices.Clone(sk)}
		if !c.docs.Sorted() {
			kept = append(kept, ref)
		} else if err := batch.AddDoc(ref); err != nil {
			return err
		}
	}
	if batch == nil {
		return nil
	}
	sort.Slice(kept, func(a, b int) bool { return kept[a].Key < kept[b].Key })
	for _, ref := range kept {
		if err := batch.AddDoc(ref); err != nil {
			return err
		}
	}
	return c.finishBatch(batch)
}

// stageGroups writes, for every group key of a kept document that the index
// does not have yet, an entry pointing at it. Without Similar all members of
// a group share a root, so at most one of them is kept; with it, the first
// kept member owns the key (AddGroup ignores repeats).
func (c *Clusterer) stageGroups(workDir string) error {
	batch, err := c.cfg.Index.NewBatch(c.cfg.IndexNamespace, c.stagePath(workDir, "groups"))
	if err != nil {
		return err
	}
	it, err := c.sorter.Merge()
	if err != nil {
		return err
	}
	defer it.Close()
	for p, ok := it.Next(); ok; p, ok = it.Next() {
		if _, known := c.indexed[p.Group]; !known && c.root[p.Doc] == p.Doc {
			if err := batch.AddGroup(p.Group, IndexRef{Run: c.run, Key: c.docs.Key(p.Doc)}); err != nil {
				return err
			}
		}
	}
	if err := it.Err(); err != nil {
		return err
	}
	return c.finishBatch(batch)
}

func (c *Clusterer) stagePath(workDir, what string) string {
	if workDir == "" {
		workDir = c.dir
	}
	return filepath.Join(workDir, fmt.Sprintf("%s-index-%s.sst", c.cfg.Name, what))
}

func (c *Clusterer) finishBatch(b *IndexBatch) error {
	path, err := b.Finish()
	if path != "" {
		c.staged = append(c.staged, path)
	}
	return err
}

// Process applies the decision Prepare made for r: it keeps the first
// document of each cluster (adding the cluster metadata) and rejects the
// others. A record that was not observed is kept unchanged. Safe for
// concurrent use after Prepare; the decisions do not depend on the order or
// concurrency of Process calls.
func (c *Clusterer) Process(r *record.Record) bool {
	if !c.prepared {
		return true
	}
	idx, ok := c.docs.Lookup(r.Source.Key)
	if !ok {
		return true
	}
	root := c.root[idx]
	if c.kept(idx) {
		MarkKept(r, c.docs.Key(idx), int(c.size[root]))
		return true
	}
	detail := fmt.Sprintf("cluster of %d", c.size[root])
	if root >= uint32(c.docs.Len()) {
		detail = "kept by an earlier run"
	}
	r.Rejection = &record.Rejection{
		Stage:       c.cfg.Name,
		Reason:      c.cfg.Reason,
		Detail:      detail,
		DuplicateOf: c.rootIDs[root],
	}
	return false
}

// MarkKept sets the cluster metadata of a kept document: MetaClusterID
// from key (its Source.Key) and MetaClusterSize, size (the cluster's
// documents in this run, 1 without duplicates) plus the members an earlier
// dedup stage removed in its favour. Exported for runners that decide the
// clusters themselves (winnow-beam), so that they mark documents alike.
func MarkKept(r *record.Record, key uint64, size int) {
	if prev, ok := clusterSize(r.Metadata[MetaClusterSize]); ok {
		size += prev - 1 // an earlier stage's cluster, and this one's other members
	}
	r.SetMeta(MetaClusterID, fmt.Sprintf("%016x", key))
	r.SetMeta(MetaClusterSize, size)
}

// clusterSize reads a cluster size an earlier stage left in metadata: an int,
// or a float64 once the record has passed through the runner's JSON store.
func clusterSize(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		return int(n), true
	}
	return 0, false
}

// kept reports whether document i is kept: it is the root of its cluster,
// or the earlier run's document at the root read again.
func (c *Clusterer) kept(i uint32) bool {
	r := c.root[i]
	if r == i {
		return true
	}
	again, ok := c.again[r]
	return ok && again == i
}

// Stats returns the counts of Prepare's decisions.
func (c *Clusterer) Stats() Stats { return c.stats }

// Close adds the documents this run kept to the index (when there is one),
// releases the index and removes the stage's temporary files. Call it once
// the run's output is safely written; a run that fails calls Abandon
// instead, so that the index only ever holds documents of complete runs.
func (c *Clusterer) Close() error {
	var err error
	if c.cfg.Index != nil {
		err = c.cfg.Index.Ingest(c.staged...)
		c.staged = nil
	}
	return errors.Join(err, c.Abandon())
}

// Abandon releases the index without adding anything to it and removes the
// stage's temporary files.
func (c *Clusterer) Abandon() error {
	var errs []error
	if c.jobs != nil && !c.prepared {
		close(c.jobs)
		c.wg.Wait()
		c.prepared = true
	}
	if c.cfg.Index != nil {
		errs = append(errs, c.cfg.Index.Close())
		c.cfg.Index = nil
	}
	for _, p := range c.staged {
		errs = append(errs, os.Remove(p))
	}
	c.staged = nil
	if c.dir != "" {
		if c.idFile != nil {
			c.idFile.Close()
		}
		if c.sketch != nil {
			c.sketch.Close()
		}
		errs = append(errs, os.RemoveAll(c.dir))
		c.dir = ""
	}
	return errors.Join(errs...)
}

// Common holds the settings every clustering stage shares. Stage configs
// embed it inline, so its keys sit beside the stage's own.
type Common struct {
	// MemoryMB caps the (group key, document) pairs held in memory before
	// they spill to sorted runs on disk.
	MemoryMB int `yaml:"memory_mb"`
	// TempDir is where pairs spill; "" means the system's temporary
	// directory.
	TempDir string `yaml:"temp_dir"`
	// IndexDir, if set, is a persistent index: a document duplicating one
	// kept by an earlier run with the same index is removed, and the
	// documents this run keeps are added to the index on Close.
	IndexDir string `yaml:"index_dir"`
	// Workers computing keys during Observe; 0 means one per CPU.
	Workers int `yaml:"workers"`
}

// NewStage returns the Clusterer of a stage: cc with the settings of c, and
// the index in c.IndexDir, if set, under namespace (kind, fingerprint), where
// fingerprint identifies the settings the keys depend on.
func NewStage(cc ClusterConfig, c Common, kind byte, fingerprint uint64) (*Clusterer, error) {
	cc.MemoryBytes = int64(c.MemoryMB) << 20
	cc.TempDir = c.TempDir
	cc.Workers = c.Workers
	if c.IndexDir != "" {
		var err error
		if cc.Index, err = OpenIndex(c.IndexDir); err != nil {
			return nil, err
		}
		cc.IndexNamespace = IndexNamespace(kind, fingerprint)
	}
	return NewClusterer(cc)
}
