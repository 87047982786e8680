package quality

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
	"sync"
	"unsafe"
)

// hashSeed keys the string hashes of one process. Duplicate detection
// compares 64-bit hashes, not strings: two different lines or n-grams of one
// document collide with probability about n²/2⁶⁴, far below one in a corpus.
var hashSeed = maphash.MakeSeed()

// hashString hashes s. Strings of up to 7 bytes, most words, are packed
// with their length into an integer and mixed, much faster than a call to
// maphash; the packing is one-to-one and mix a bijection, so that two of
// them never collide. Strings of 8 to 16 bytes are read as two overlapping
// 8-byte words, which together hold every byte, and mixed.
func hashString(s string) uint64 {
	switch n := len(s); {
	case n > 16:
		return maphash.String(hashSeed, s)
	case n >= 8:
		lo := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s), 8))
		hi := binary.LittleEndian.Uint64(unsafe.Slice(unsafe.StringData(s[n-8:]), 8))
		return mix(mix(lo^shortSalt^uint64(n)*0x9E3779B97F4A7C15) ^ hi)
	}
	p := uint64(len(s)) << 56
	for i := 0; i < len(s); i++ {
		p |= uint64(s[i]) << (8 * i)
	}
	return mix(p ^ shortSalt)
}

// shortSalt keys the hashes of short strings to the process, like hashSeed.
var shortSalt = maphash.Comparable(hashSeed, 0)

// mix is the murmur3 finalizer, a bijection on 64-bit integers that spreads
// every input bit over the output.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// counter is an open-addressing hash table from 64-bit keys to a count and
// the index of the key's first occurrence. It is much faster than a Go map
// for the many small tables the repetition rules build, and is reused
// between documents. Keys must be hashes already: their low bits pick the
// slot.
type counter struct {
	slots []slot
	mask  uint64
	// The most frequent key so far: its count and first occurrence.
	topCount, topFirst int32
}

type slot struct {
	key   uint64 // 0 marks an empty slot
	count int32
	first int32
}

var counterPool = sync.Pool{New: func() any { return new(counter) }}

// reset empties the table and sizes it for up to n keys.
func (c *counter) reset(n int) {
	size := 16
	for size < n+n/2 { // a load of at most 2/3
		size <<= 1
	}
	if cap(c.slots) >= size {
		c.slots = c.slots[:size]
		clear(c.slots)
	} else {
		c.slots = make([]slot, size)
	}
	c.mask = uint64(size - 1)
	c.topCount, c.topFirst = 0, -1
}

// add counts key, first seen at index at, and returns its count so far and
// where it was first seen. The table must have been reset for at least as
// many keys as are added.
func (c *counter) add(key uint64, at int) (count, first int32) {
	if key == 0 {
		key = 1
	}
	for i := key & c.mask; ; i = (i + 1) & c.mask {
		s := &c.slots[i]
		if s.key == key {
			s.count++
			if s.count > c.topCount || (s.count == c.topCount && s.first < c.topFirst) {
				c.topCount, c.topFirst = s.count, s.first
			}
			return s.count, s.first
		}
		if s.key == 0 {
			*s = slot{key: key, count: 1, first: int32(at)}
			if c.topCount == 0 {
				c.topCount, c.topFirst = 1, int32(at)
			}
			return 1, int32(at)
		}
	}
}

// top returns the highest count and, among the keys that have it, the first
// occurrence that came earliest (as Python's Counter.most_common(1) does).
func (c *counter) top() (count int32, first int32) { return c.topCount, c.topFirst }

// combine extends the hash of a sequence by one more element hash. The order
// of elements matters: combine(combine(s, a), b) != combine(combine(s, b), a).
// The result is as well mixed as x, a maphash value.
func combine(h, x uint64) uint64 {
	return bits.RotateLeft64(h*0x9E3779B97F4A7C15, 23) ^ x
}
