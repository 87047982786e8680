// Package minhash removes near-duplicate documents with MinHash and
// locality-sensitive hashing (LSH), as FineWeb's datatrove pipeline does.
//
// The steps, each exported so that a distributed runner can run them apart:
//
//  1. Shingles: the normalized text is cut into overlapping shingles (by
//     default word 5-grams), each hashed to 64 bits (the words' hashes, see
//     dedup.Normalization.WordHashes, combined in order; character shingles
//     with xxh3). Repeated shingles count once.
//  2. Signature: for each of Bands×Rows hash functions h_i(x) = (a_i·x + b_i)
//     mod (2^61−1), the minimum over the shingles. Two documents agree on one
//     signature value with probability equal to the Jaccard similarity J of
//     their shingle sets.
//  3. Band keys: the signature is cut into Bands bands of Rows values; each
//     band hashes to one 64-bit key. Two documents share at least one band key
//     with probability 1−(1−J^Rows)^Bands: with 14×8, 0.56 at J=0.7, 0.92 at
//     0.8, 0.99 at 0.85 (see Probability).
//  4. Group by band key and connected components (package dedup's Sorter
//     and UnionFind), then the filter keeps one document per cluster.
//     Candidate pairs are first confirmed by the Jaccard similarity their
//     signatures estimate (Config.VerifyThreshold), which datatrove does not
//     do: it stops LSH false positives and the chains they make.
//
// The random coefficients come from a SplitMix64 stream seeded by
// Config.Seed, so signatures are reproducible across runs and machines with
// the same seed (they do not reproduce datatrove's numpy-drawn values).
// Unlike datatrove's numpy code, whose a·x overflows 64 bits before the
// modulo, the product is taken in full 128 bits, so h_i is a true
// universal hash.
package minhash

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/zeebo/xxh3"

	"github.com/winnow-corpus/winnow/dedup"
)

// Name and Reason are the stage name and the rejection reason.
const (
	Name   = "minhash_dedup"
	Reason = "near_duplicate"
)

// MersennePrime is 2^61−1, the modulus of the hash functions.
const MersennePrime = 1<<61 - 1

// Config configures near-duplicate detection.
type Config struct {
	// Shingle is "word" (n consecutive words) or "char" (n consecutive
	// characters of the normalized text, spaces included).
	Shingle string `yaml:"shingle"`
	// ShingleSize is n. A text shorter than n makes one shingle of all of it.
	ShingleSize int `yaml:"shingle_size"`
	// Bands and Rows shape the LSH: Bands×Rows hash functions, grouped in
	// Bands bands of Rows each.
	Bands int `yaml:"bands"`
	Rows  int `yaml:"rows"`
	// Seed draws the hash functions. Runs that share an index must share it.
	Seed uint64 `yaml:"seed"`
	// VerifyThreshold, when positive, confirms every candidate pair (two
	// documents sharing a band key) before it joins a cluster: the Jaccard
	// similarity estimated from their signatures (see Similar) must reach
	// it. This stops most LSH false positives (at J = 0.5–0.6, one pair in
	// ten shares a band key) and chains through them, at the cost of
	// Bands×Rows bytes of disk per document. 0 accepts every candidate, as
	// datatrove does.
	VerifyThreshold float64 `yaml:"verify_threshold"`
	// Normalization is applied before shingling.
	Normalization dedup.Normalization `yaml:"normalization"`
	// Common holds memory_mb, temp_dir, index_dir and workers. Runs that
	// share an index must share every setting above.
	dedup.Common `yaml:",inline"`
}

// DefaultConfig is FineWeb's setting, word 5-grams of fully normalized text
// and 14 bands × 8 rows, with candidate pairs confirmed at an estimated
// Jaccard similarity of 0.7 (see `winnow bench dedup`: with it no planted
// pair under 0.6 is removed, and the pairs above 0.8 are caught as often).
func DefaultConfig() Config {
	return Config{
		Shingle:         "word",
		ShingleSize:     5,
		Bands:           14,
		Rows:            8,
		Seed:            1,
		Normalization:   dedup.FullNormalization,
		VerifyThreshold: 0.7,
		Common:          dedup.Common{MemoryMB: 256},
	}
}

// A Hasher computes shingles, signatures and band keys. Safe for
// concurrent use.
type Hasher struct {
	cfg  Config
	a, b []uint64
	pool sync.Pool // *scratch, for Keys
	bufs sync.Pool // *[]uint64, for SignatureOf
}

type scratch struct {
	shingles []uint64
	sig      []uint64
	table    []uint64 // open-addressing set for distinct
}

// distinct removes repeated values from xs in place, keeping first
// occurrences in order. A minimum over a multiset equals the minimum over
// its set, so repeated shingles (menus, footers, refrains) need hashing only
// once; finding them with a hash set costs a few nanoseconds each, against
// about 150 for the Bands×Rows hash functions.
func (sc *scratch) distinct(xs []uint64) []uint64 {
	size := 1
	for size < 2*len(xs) {
		size <<= 1
	}
	if cap(sc.table) < size {
		sc.table = make([]uint64, size)
	}
	t := sc.table[:size]
	clear(t)
	mask := uint64(size - 1)
	out := xs[:0]
	zero := false // 0 marks an empty slot, so it is tracked apart
	for _, x := range xs {
		if x == 0 {
			if !zero {
				zero = true
				out = append(out, x)
			}
			continue
		}
		for i := (x * 0x9e3779b97f4a7c15) >> 32 & mask; ; i = (i + 1) & mask {
			if t[i] == x {
				break
			}
			if t[i] == 0 {
				t[i] = x
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// NewHasher checks cfg and draws its hash functions.
func NewHasher(cfg Config) (*Hasher, error) {
	switch {
	case cfg.Shingle != "word" && cfg.Shingle != "char":
		return nil, fmt.Errorf("minhash: shingle %q: want \"word\" or \"char\"", cfg.Shingle)
	case cfg.ShingleSize < 1:
		return nil, fmt.Errorf("minhash: shingle_size %d: want at least 1", cfg.ShingleSize)
	case cfg.Bands < 1 || cfg.Rows < 1 || cfg.Bands*cfg.Rows > 1<<16:
		return nil, fmt.Errorf("minhash: %d bands × %d rows: want positive counts, at most 65536 hashes", cfg.Bands, cfg.Rows)
	}
	k := cfg.Bands * cfg.Rows
	h := &Hasher{cfg: cfg, a: make([]uint64, k), b: make([]uint64, k)}
	state := cfg.Seed
	for i := range k {
		for h.a[i] == 0 { // a in [1, p)
			h.a[i] = splitmix(&state) % MersennePrime
		}
		h.b[i] = splitmix(&state) % MersennePrime
	}
	return h, nil
}

// splitmix advances a SplitMix64 stream.
func splitmix(state *uint64) uint64 {
	*state += 0x9e3779b97f4a7c15
	z := *state
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// Config returns the hasher's configuration.
func (h *Hasher) Config() Config { return h.cfg }

// Shingles appends the hashes of text's shingles to dst, after
// normalization, in text order (repeats included). An empty text has none.
func (h *Hasher) Shingles(dst []uint64, text string) []uint64 {
	n := h.cfg.ShingleSize
	if h.cfg.Shingle == "char" {
		s := h.cfg.Normalization.Normalize(text)
		if s == "" {
			return dst
		}
		if utf8.RuneCountInString(s) <= n {
			return append(dst, xxh3.HashString(s))
		}
		// bounds holds the byte offset of every rune, then len(s).
		bounds := make([]int, 0, len(s)+1)
		for i := range s {
			bounds = append(bounds, i)
		}
		bounds = append(bounds, len(s))
		for i := 0; i+n < len(bounds); i++ {
			dst = append(dst, xxh3.HashString(s[bounds[i]:bounds[i+n]]))
		}
		return dst
	}
	// Word shingles: each word of the normalized text is hashed once, in the
	// same pass that normalizes it, and a shingle's hash combines the hashes
	// of its n words in order (an order-sensitive multiply-rotate chain).
	// A text of fewer than n words makes one shingle of all its words.
	bp, _ := h.bufs.Get().(*[]uint64)
	if bp == nil {
		bp = new([]uint64)
	}
	defer h.bufs.Put(bp)
	words := h.cfg.Normalization.WordHashes((*bp)[:0], text)
	*bp = words
	if len(words) == 0 {
		return dst
	}
	k := min(n, len(words))
	for i := 0; i+k <= len(words); i++ {
		x := uint64(k)
		for _, w := range words[i : i+k] {
			x = (bits.RotateLeft64(x, 27) ^ w) * 0x9e3779b97f4a7c15
		}
		dst = append(dst, x^x>>31)
	}
	return dst
}

// SignatureOf fills sig (of length at most Bands×Rows) with the MinHash
// signature of a shingle multiset: sig[i] = min over shingles x of
// (a_i·x + b_i) mod p, with x first reduced mod p. With no shingles every
// value is MersennePrime, which no hash reaches.
func (h *Hasher) SignatureOf(sig, shingles []uint64) {
	bp, _ := h.bufs.Get().(*[]uint64)
	if bp == nil {
		bp = new([]uint64)
	}
	defer h.bufs.Put(bp)
	// Each shingle is reduced mod p and shifted left by 3 once, for all hash
	// functions (see hashP).
	xs := (*bp)[:0]
	for _, x := range shingles {
		x = x&MersennePrime + x>>61
		if x >= MersennePrime {
			x -= MersennePrime
		}
		xs = append(xs, x<<3)
	}
	*bp = xs
	// Two hash functions at a time over all shingles: their coefficients and
	// running minima stay in registers, each shingle is loaded once for both,
	// the two products are independent (the CPU overlaps them), and the
	// shingles (8 bytes each) stay in the L1 cache.
	a, b := h.a[:len(sig)], h.b[:len(sig)]
	i := 0
	for ; i+1 < len(sig); i += 2 {
		sig[i], sig[i+1] = minHash2(xs, a[i], b[i], a[i+1], b[i+1])
	}
	if i < len(sig) {
		m := uint64(MersennePrime)
		for _, x8 := range xs {
			m = min(m, hashP(a[i], x8, b[i]))
		}
		sig[i] = m
	}
}

// minHash2Go is minHash2 in Go.
func minHash2Go(xs []uint64, a0, b0, a1, b1 uint64) (m0, m1 uint64) {
	m0, m1 = MersennePrime, MersennePrime
	for _, x8 := range xs {
		m0 = min(m0, hashP(a0, x8, b0))
		m1 = min(m1, hashP(a1, x8, b1))
	}
	return m0, m1
}

// hashP returns (a·x + b) mod p for a, x, b < p, given x8 = x·8. The 122-bit
// product a·x8 = hi·2^64 + lo has hi = ⌊a·x / 2^61⌋ and lo/8 = a·x mod 2^61,
// and 2^61 ≡ 1 (mod p), so a·x ≡ hi + lo/8. With b the sum stays under 2^63;
// one more fold and one conditional subtraction finish the reduction.
func hashP(a, x8, b uint64) uint64 {
	hi, lo := bits.Mul64(a, x8)
	v := hi + lo>>3 + b
	v = v&MersennePrime + v>>61
	if v >= MersennePrime {
		v -= MersennePrime
	}
	return v
}

// Signature returns the MinHash signature of text.
func (h *Hasher) Signature(text string) []uint64 {
	sig := make([]uint64, h.cfg.Bands*h.cfg.Rows)
	h.SignatureOf(sig, h.Shingles(nil, text))
	return sig
}

// BandKeys appends one key per band of sig to dst. Band i's key hashes its
// Rows values with seed i, so equal values in different bands give
// different keys.
func (h *Hasher) BandKeys(dst, sig []uint64) []uint64 {
	rows := h.cfg.Rows
	buf := make([]byte, 8*rows)
	for band := 0; band < h.cfg.Bands && (band+1)*rows <= len(sig); band++ {
		for j, v := range sig[band*rows : (band+1)*rows] {
			binary.LittleEndian.PutUint64(buf[8*j:], v)
		}
		dst = append(dst, xxh3.HashSeed(buf, uint64(band)))
	}
	return dst
}

// Keys appends the band keys of text to dst; none for a text without words.
func (h *Hasher) Keys(dst []uint64, text, _ string) []uint64 {
	return h.KeysSketch(dst, nil, text, "")
}

// KeysSketch is the stage's dedup.KeyFunc: Keys, and it fills sketch with
// the low byte of each signature value (a b-bit MinHash with b = 8; see
// Similar).
func (h *Hasher) KeysSketch(dst []uint64, sketch []byte, text, _ string) []uint64 {
	sc, _ := h.pool.Get().(*scratch)
	if sc == nil {
		sc = &scratch{sig: make([]uint64, h.cfg.Bands*h.cfg.Rows)}
	}
	defer h.pool.Put(sc)
	sc.shingles = h.Shingles(sc.shingles[:0], text)
	if len(sc.shingles) == 0 {
		return dst
	}
	sc.shingles = sc.distinct(sc.shingles)
	h.SignatureOf(sc.sig, sc.shingles)
	for i := range min(len(sketch), len(sc.sig)) {
		sketch[i] = byte(sc.sig[i])
	}
	return h.BandKeys(dst, sc.sig)
}

// EstimateJaccard estimates the Jaccard similarity of two documents from
// their sketches (the low byte of each signature value): two values agree
// with probability J, and two bytes of different values agree by chance with
// probability 1/256, so J ≈ (agreeing share − 1/256) / (1 − 1/256). The
// standard error is about √(J(1−J)/k) for k = len(a) hash functions: 0.04
// at J = 0.7 with 112.
func EstimateJaccard(a, b []byte) float64 {
	n := min(len(a), len(b))
	if n == 0 {
		return 0
	}
	eq := 0
	for i := range n {
		if a[i] == b[i] {
			eq++
		}
	}
	return max(0, (float64(eq)/float64(n)-1.0/256)/(1-1.0/256))
}

// Similar reports whether two sketches estimate a Jaccard similarity of at
// least the configured VerifyThreshold.
func (h *Hasher) Similar(a, b []byte) bool {
	return EstimateJaccard(a, b) >= h.cfg.VerifyThreshold
}

// fingerprint identifies the settings band keys depend on.
func (h *Hasher) fingerprint() uint64 {
	c := h.cfg
	return xxh3.HashString(fmt.Sprintf("minhash/%s/%d/%d/%d/%d/%+v", c.Shingle, c.ShingleSize, c.Bands, c.Rows, c.Seed, c.Normalization))
}

// Probability is the chance that two documents of Jaccard similarity j
// share a band key: 1−(1−j^rows)^bands.
func Probability(j float64, bands, rows int) float64 {
	return 1 - math.Pow(1-math.Pow(j, float64(rows)), float64(bands))
}

// ShingleSet returns the sorted distinct shingle hashes of text, for exact
// Jaccard similarity.
func (h *Hasher) ShingleSet(text string) []uint64 {
	s := h.Shingles(nil, text)
	slices.Sort(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// Jaccard is |a∩b| / |a∪b| of two sorted sets; 0 when both are empty.
func Jaccard(a, b []uint64) float64 {
	inter, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			inter++
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	union := len(a) + len(b) - inter
	if union == 0 {
		return 0
	}
	return float64(inter) / float64(union)
}

// A Stage is the near-duplicate corpus stage.
type Stage struct {
	*dedup.Clusterer
	Hasher *Hasher
}

// New returns the stage for cfg, opening cfg.IndexDir if set.
func New(cfg Config) (*Stage, error) {
	h, err := NewHasher(cfg)
	if err != nil {
		return nil, err
	}
	cc := dedup.ClusterConfig{Name: Name, Reason: Reason, Keys: h.KeysSketch}
	if cfg.VerifyThreshold > 0 {
		cc.SketchBytes, cc.Similar = cfg.Bands*cfg.Rows, h.Similar
	}
	c, err := dedup.NewStage(cc, cfg.Common, 'm', h.fingerprint())
	if err != nil {
		return nil, err
	}
	return &Stage{Clusterer: c, Hasher: h}, nil
}
