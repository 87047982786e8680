package dedup

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"
	"github.com/cockroachdb/pebble/v2/objstorage/objstorageprovider"
	"github.com/cockroachdb/pebble/v2/sstable"
	"github.com/cockroachdb/pebble/v2/vfs"
)

// An Index is the persistent memory of earlier runs: for every group key
// (exact text hash, MinHash band key, URL hash) of every document an earlier
// run kept, the document that owns it. A dedup stage given an index treats
// those documents as members of the corpus that come before all new ones, so
// a new document sharing a key with one of them is removed as its duplicate,
// and the documents the run keeps are added to the index when the stage is
// closed.
//
// The index is a Pebble key-value store with Bloom filters on every level
// (most lookups are for keys that are absent). A run's new keys are written
// in sorted order into one SST file and ingested in bulk, never through the
// write-ahead log. Keys are a namespace (see IndexNamespace) followed by the
// big-endian group key, so each stage kind and configuration has its own key
// range and band keys of different MinHash settings never meet.
//
// Stages of one process that name the same directory share one Index (Pebble
// allows one opener per directory); it is closed with its last user.
type Index struct {
	dir  string
	db   *pebble.DB
	opts *pebble.Options
	refs int
}

// IndexRef names a document kept by an earlier run.
type IndexRef struct {
	Run uint64 // the run that kept it (its start time in Unix nanoseconds)
	Key uint64 // its record.Source.Key in that run
	ID  string // its record ID, reported as duplicate_of
	// Sketch is its sketch (see ClusterConfig.SketchBytes), if any.
	Sketch []byte
}

// before reports whether r comes before o in the order earlier runs are kept:
// older runs first, then corpus order.
func (r IndexRef) before(o IndexRef) bool {
	if r.Run != o.Run {
		return r.Run < o.Run
	}
	return r.Key < o.Key
}

var (
	indexMu   sync.Mutex
	indexOpen = map[string]*Index{}
)

// OpenIndex opens (creating it if needed) the index in dir, or returns the
// one this process already has open there. Every OpenIndex needs a Close.
func OpenIndex(dir string) (*Index, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	indexMu.Lock()
	defer indexMu.Unlock()
	if x := indexOpen[abs]; x != nil {
		x.refs++
		return x, nil
	}
	opts := &pebble.Options{Logger: quietLogger{}}
	for i := range opts.Levels {
		opts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	opts.EnsureDefaults()
	db, err := pebble.Open(abs, opts)
	if err != nil {
		return nil, fmt.Errorf("open dedup index: %w", err)
	}
	x := &Index{dir: abs, db: db, opts: opts, refs: 1}
	indexOpen[abs] = x
	return x, nil
}

// Close releases this user's hold; the store closes with its last user.
func (x *Index) Close() error {
	indexMu.Lock()
	defer indexMu.Unlock()
	x.refs--
	if x.refs > 0 {
		return nil
	}
	delete(indexOpen, x.dir)
	return x.db.Close()
}

// IndexNamespace returns the key prefix of one stage kind (a letter such as
// 'e', 'm', 'u') and a fingerprint of the settings its keys depend on.
func IndexNamespace(kind byte, fingerprint uint64) []byte {
	ns := make([]byte, 9)
	ns[0] = kind
	binary.BigEndian.PutUint64(ns[1:], fingerprint)
	return ns
}

func indexKey(dst, ns []byte, group uint64) []byte {
	dst = append(dst[:0], ns...)
	return binary.BigEndian.AppendUint64(dst, group)
}

// docKey is the key of a kept document's ID: 'D', the namespace, the run and
// the document's key. Group entries point at it, so an ID is stored once
// however many band keys a document has.
func docKey(dst, ns []byte, run, key uint64) []byte {
	dst = append(append(dst[:0], 'D'), ns...)
	dst = binary.BigEndian.AppendUint64(dst, run)
	return binary.BigEndian.AppendUint64(dst, key)
}

// Lookup returns the earlier document holding group in namespace ns.
func (x *Index) Lookup(ns []byte, group uint64) (IndexRef, bool, error) {
	var kb [40]byte
	v, err := x.get(indexKey(kb[:0], ns, group))
	if v == nil || err != nil {
		return IndexRef{}, false, err
	}
	if len(v) != 16 {
		return IndexRef{}, false, fmt.Errorf("dedup index: value of %d bytes under group %x", len(v), group)
	}
	ref := IndexRef{Run: binary.BigEndian.Uint64(v[:8]), Key: binary.BigEndian.Uint64(v[8:])}
	doc, err := x.get(docKey(kb[:0], ns, ref.Run, ref.Key))
	if err != nil {
		return IndexRef{}, false, err
	}
	l, n := binary.Uvarint(doc)
	if n <= 0 || uint64(len(doc)-n) < l {
		return IndexRef{}, false, fmt.Errorf("dedup index: bad document entry for group %x", group)
	}
	if l > 0 {
		ref.Sketch = doc[n : n+int(l)]
	}
	ref.ID = string(doc[n+int(l):])
	return ref, true, nil
}

// get returns a copy of the value under key, or nil when there is none.
func (x *Index) get(key []byte) ([]byte, error) {
	v, closer, err := x.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return append([]byte{}, v...), nil
}

// An IndexBatch writes new entries of one namespace into an SST file ready
// for ingestion. Entries must be added in ascending key order: either
// documents (AddDoc, by ascending run and key) or groups (AddGroup, by
// ascending group), not both in one batch.
type IndexBatch struct {
	ns    []byte
	path  string
	w     *sstable.Writer
	count int64
	key   []byte
	last  []byte
	val   []byte
}

// NewBatch starts an SST file at path for entries of namespace ns.
func (x *Index) NewBatch(ns []byte, path string) (*IndexBatch, error) {
	f, err := vfs.Default.Create(path, vfs.WriteCategoryUnspecified)
	if err != nil {
		return nil, err
	}
	wo := x.opts.MakeWriterOptions(0, x.db.TableFormat())
	return &IndexBatch{ns: ns, path: path, w: sstable.NewWriter(objstorageprovider.NewFileWritable(f), wo)}, nil
}

// AddDoc records the ID and sketch of a kept document.
func (b *IndexBatch) AddDoc(ref IndexRef) error {
	b.key = docKey(b.key, b.ns, ref.Run, ref.Key)
	b.val = binary.AppendUvarint(b.val[:0], uint64(len(ref.Sketch)))
	b.val = append(append(b.val, ref.Sketch...), ref.ID...)
	return b.set(b.val)
}

// AddGroup records that group belongs to the kept document ref (whose ID
// AddDoc records in another batch).
func (b *IndexBatch) AddGroup(group uint64, ref IndexRef) error {
	b.key = indexKey(b.key, b.ns, group)
	b.val = binary.BigEndian.AppendUint64(b.val[:0], ref.Run)
	b.val = binary.BigEndian.AppendUint64(b.val, ref.Key)
	return b.set(b.val)
}

// set writes b.key -> val; a repeat of the last key is ignored.
func (b *IndexBatch) set(val []byte) error {
	if b.count > 0 {
		switch c := bytes.Compare(b.key, b.last); {
		case c == 0:
			return nil
		case c < 0:
			return fmt.Errorf("dedup index: key %x added after %x", b.key, b.last)
		}
	}
	if err := b.w.Set(b.key, val); err != nil {
		return err
	}
	b.last = append(b.last[:0], b.key...)
	b.count++
	return nil
}

// Len is the number of entries added.
func (b *IndexBatch) Len() int64 { return b.count }

// Finish closes the SST file. It returns the path to ingest, or "" (and
// removes the file) when the batch is empty.
func (b *IndexBatch) Finish() (string, error) {
	if err := b.w.Close(); err != nil {
		return "", err
	}
	if b.count == 0 {
		return "", os.Remove(b.path)
	}
	return b.path, nil
}

// Ingest adds finished batch files to the index in one atomic step.
func (x *Index) Ingest(paths ...string) error {
	if len(paths) == 0 {
		return nil
	}
	return x.db.Ingest(context.Background(), paths)
}

type quietLogger struct{}

func (quietLogger) Infof(string, ...any)      {}
func (quietLogger) Errorf(f string, a ...any) { fmt.Fprintf(os.Stderr, "dedup index: "+f+"\n", a...) }
func (quietLogger) Fatalf(f string, a ...any) { panic(fmt.Sprintf("dedup index: "+f, a...)) }
