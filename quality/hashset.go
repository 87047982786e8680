package quality

import (
	"hash/maphash"
	"math/bits"
	"sync"
)

// hashSeed keys the string hashes of one process. Duplicate detection
// compares 64-bit hashes, not strings: two different lines or n-grams of one
// document collide with probability about n²/2⁶⁴, far below one in a corpus.
var hashSeed = maphash.MakeSeed()

func hashString(s string) uint64 { return maphash.String(hashSeed, s) }

// counter is an open-addressing hash table from 64-bit keys to a count and
// the index of the key's first occurrence. It is much faster than a Go map
// for the many small tables the repetition rules build, and is reused
// between documents through counterPool.
type counter struct {
	keys  []uint64 // 0 marks an empty slot
	count []int32
	first []int32
	mask  uint64
	n     int
}

var counterPool = sync.Pool{New: func() any { return new(counter) }}

// reset empties the table and sizes it for up to n keys.
func (c *counter) reset(n int) {
	size := 16
	for size < 2*n {
		size <<= 1
	}
	if cap(c.keys) >= size {
		c.keys = c.keys[:size]
		c.count = c.count[:size]
		c.first = c.first[:size]
		clear(c.keys)
	} else {
		c.keys = make([]uint64, size)
		c.count = make([]int32, size)
		c.first = make([]int32, size)
	}
	c.mask = uint64(size - 1)
	c.n = 0
}

// add counts key, first seen at index at, and returns its count so far.
// The table must have been reset for at least as many keys as are added.
func (c *counter) add(key uint64, at int) int32 {
	if key == 0 {
		key = 1
	}
	i := mix(key) & c.mask
	for {
		switch c.keys[i] {
		case key:
			c.count[i]++
			return c.count[i]
		case 0:
			c.keys[i] = key
			c.count[i] = 1
			c.first[i] = int32(at)
			c.n++
			return 1
		}
		i = (i + 1) & c.mask
	}
}

// has reports whether key was added.
func (c *counter) has(key uint64) bool {
	if key == 0 {
		key = 1
	}
	i := mix(key) & c.mask
	for {
		switch c.keys[i] {
		case key:
			return true
		case 0:
			return false
		}
		i = (i + 1) & c.mask
	}
}

// top returns the highest count and, among the keys that have it, the first
// occurrence that came earliest (as Python's Counter.most_common(1) does).
func (c *counter) top() (count int32, first int32) {
	first = -1
	for i, k := range c.keys {
		if k == 0 {
			continue
		}
		if c.count[i] > count || (c.count[i] == count && c.first[i] < first) {
			count, first = c.count[i], c.first[i]
		}
	}
	return count, first
}

// mix spreads the bits of a 64-bit key (the murmur3 finalizer), for keys
// built by combine that are not yet well mixed.
func mix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// combine extends the hash of a sequence by one more element hash. The order
// of elements matters: combine(combine(s, a), b) != combine(combine(s, b), a).
func combine(h, x uint64) uint64 {
	return bits.RotateLeft64(h*0x9E3779B97F4A7C15, 23) ^ x
}
