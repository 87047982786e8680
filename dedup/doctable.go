package dedup

import (
	"cmp"
	"errors"
	"slices"
	"sort"
)

// A DocTable gives the documents of a corpus stage compact numbers (0, 1, 2,
// ... in observe order) so that pairs and union-find nodes take 4 bytes, and
// maps a record's Source.Key back to its number in the decision phase. It
// keeps 8 bytes per document, plus 4 when keys were not observed in
// ascending order.
type DocTable struct {
	keys   []uint64
	sorted bool     // keys ascend strictly
	order  []uint32 // numbers by key, when !sorted (built by Seal)
}

// Add numbers the document with key k.
func (t *DocTable) Add(k uint64) (uint32, error) {
	n := len(t.keys)
	if n == 1<<32-1 {
		return 0, errors.New("dedup: more than 2^32-1 documents in one stage")
	}
	if n == 0 {
		t.sorted = true
	} else if k <= t.keys[n-1] {
		t.sorted = false
	}
	t.keys = append(t.keys, k)
	return uint32(n), nil
}

// Len is the number of documents.
func (t *DocTable) Len() int { return len(t.keys) }

// Key returns the key of document i.
func (t *DocTable) Key(i uint32) uint64 { return t.keys[i] }

// Sorted reports whether keys were added in ascending order, so that
// document numbers follow key order.
func (t *DocTable) Sorted() bool { return t.sorted || len(t.keys) == 0 }

// Less orders documents by key (then number): the corpus order.
func (t *DocTable) Less(a, b uint32) bool {
	if t.keys[a] != t.keys[b] {
		return t.keys[a] < t.keys[b]
	}
	return a < b
}

// Seal ends the adding; call it before Lookup.
func (t *DocTable) Seal() {
	t.keys = slices.Clip(t.keys)
	if t.Sorted() {
		return
	}
	t.order = make([]uint32, len(t.keys))
	for i := range t.order {
		t.order[i] = uint32(i)
	}
	slices.SortStableFunc(t.order, func(a, b uint32) int { return cmp.Compare(t.keys[a], t.keys[b]) })
}

// Lookup returns the number of the document with key k (the first added,
// should a key repeat).
func (t *DocTable) Lookup(k uint64) (uint32, bool) {
	n := len(t.keys)
	if t.Sorted() {
		i := sort.Search(n, func(i int) bool { return t.keys[i] >= k })
		return uint32(i), i < n && t.keys[i] == k
	}
	i := sort.Search(n, func(i int) bool { return t.keys[t.order[i]] >= k })
	if i < n && t.keys[t.order[i]] == k {
		return t.order[i], true
	}
	return 0, false
}
