package dedup

// A UnionFind partitions nodes 0..n-1 into disjoint sets: the "connected
// components" step. Its root rule is the dedup kept rule: the root of a set
// is always its least node under Less, so after all unions Find(x) names the
// member to keep. Nodes take 4 bytes each (plus whatever Less looks at), so
// a billion-node forest fits in 4 GB.
//
// Finds halve paths as they go; with the root fixed by Less instead of by
// rank, a sequence of m operations costs O(m log n) at worst and close to
// linear on dedup's shallow, star-shaped clusters. Not safe for concurrent
// use.
type UnionFind struct {
	parent []uint32
	// Less orders nodes; the least node of a set is its root. Nil means
	// numeric order of the node numbers.
	Less func(a, b uint32) bool
}

// NewUnionFind returns n singleton sets.
func NewUnionFind(n int) *UnionFind {
	u := &UnionFind{parent: make([]uint32, n)}
	for i := range u.parent {
		u.parent[i] = uint32(i)
	}
	return u
}

// Len is the number of nodes.
func (u *UnionFind) Len() int { return len(u.parent) }

// Add adds a singleton node and returns its number.
func (u *UnionFind) Add() uint32 {
	x := uint32(len(u.parent))
	u.parent = append(u.parent, x)
	return x
}

// Find returns the root of x's set.
func (u *UnionFind) Find(x uint32) uint32 {
	p := u.parent
	for p[x] != x {
		p[x] = p[p[x]]
		x = p[x]
	}
	return x
}

// Union merges the sets of a and b and returns the root of the merged set.
func (u *UnionFind) Union(a, b uint32) uint32 {
	ra, rb := u.Find(a), u.Find(b)
	if ra == rb {
		return ra
	}
	if u.less(rb, ra) {
		ra, rb = rb, ra
	}
	u.parent[rb] = ra
	return ra
}

func (u *UnionFind) less(a, b uint32) bool {
	if u.Less != nil {
		return u.Less(a, b)
	}
	return a < b
}
