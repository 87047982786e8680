package winnowbeam

import (
	"github.com/apache/beam/sdks/v2/go/pkg/beam"
)

// DefaultComponentRounds is how many rounds of large-star and small-star
// (Kiveris et al., "Connected Components in MapReduce and Beyond", 2014)
// run over the duplicate edges before the final pass. Duplicate clusters
// are mostly stars around their first member already (each group's later
// members join its first), so a round or two turn nearly every cluster
// into a star around its smallest Source.Key.
const DefaultComponentRounds = 4

// Report is what a node tells the smaller end of each of its edges, or
// itself, in the convergence check.
type Report struct {
	Node       uint64
	ID         string
	Self       bool // the node's report to itself: it has larger neighbours
	Leaf       bool // the node's only neighbour is the receiver, a smaller node
	HasSmaller bool // (Self) the node has a smaller neighbour
}

// distributedComponents labels every document on an edge with its
// cluster's first document (smallest Source.Key), its ID and the cluster's
// size, as the local Clusterer's union-find does, with keyed shuffles:
//
//  1. rounds of large-star then small-star, each a GroupByKey of the edges
//     by node: they keep the components and shrink their diameter, and
//     make each a star around its smallest node in O(log² n) rounds;
//  2. a check (two GroupByKeys) that finds the components that are such
//     stars already: a centre with no smaller neighbour whose neighbours
//     all have it as their only neighbour. Their decisions are final;
//  3. the edges of the other components (none, when the rounds sufficed)
//     meet on one worker for the union-find of components().
//
// The result is exact whatever the number of rounds; the rounds only
// decide how many edges the last, single-worker step sees.
func distributedComponents(s beam.Scope, edges beam.PCollection, rounds int) beam.PCollection {
	for i := 0; i < rounds; i++ {
		large := beam.GroupByKey(s, beam.ParDo(s.Scope("large-star-key"), bothEnds, edges))
		edges = beam.ParDo(s.Scope("large-star"), largeStar, large)
		small := beam.GroupByKey(s, beam.ParDo(s.Scope("small-star-key"), largerEnd, edges))
		edges = beam.ParDo(s.Scope("small-star"), smallStar, small)
	}
	byNode := beam.GroupByKey(s, beam.ParDo(s.Scope("check-key"), bothEnds, edges))
	reports := beam.GroupByKey(s, beam.ParDo(s.Scope("check"), checkNode, byNode))
	done, rest := beam.ParDo2(s.Scope("stars"), stars, reports)
	last := beam.ParDo(s.Scope("components"), components, beam.GroupByKey(s, beam.AddFixedKey(s, rest)))
	return beam.Flatten(s, done, last)
}

// bothEnds keys an edge by each of its ends; a loop is dropped.
func bothEnds(e Edge, emit func(uint64, Edge)) {
	if e.A == e.B {
		return
	}
	emit(e.A, e)
	emit(e.B, e)
}

// largerEnd keys an edge by its larger end.
func largerEnd(e Edge, emit func(uint64, Edge)) {
	if e.A == e.B {
		return
	}
	emit(max(e.A, e.B), e)
}

// node is one end of an edge.
type node struct {
	key uint64
	id  string
}

// neighbours returns u (with its ID), its distinct neighbours, and the
// smallest node of its neighbourhood, u included.
func neighbours(u uint64, edges func(*Edge) bool) (self node, ns map[uint64]string, least node) {
	self.key = u
	ns = map[uint64]string{}
	var e Edge
	for edges(&e) {
		if e.A == u {
			self.id, ns[e.B] = e.AID, e.BID
		} else {
			self.id, ns[e.A] = e.BID, e.AID
		}
		e = Edge{}
	}
	least = self
	for k, id := range ns {
		if k < least.key {
			least = node{k, id}
		}
	}
	return self, ns, least
}

// edge returns the edge between a and b, smaller end first.
func edge(a, b node) Edge {
	if b.key < a.key {
		a, b = b, a
	}
	return Edge{A: a.key, B: b.key, AID: a.id, BID: b.id}
}

// largeStar joins every larger neighbour of u to the smallest node of u's
// neighbourhood (u included).
func largeStar(u uint64, edges func(*Edge) bool, emit func(Edge)) {
	_, ns, m := neighbours(u, edges)
	for k, id := range ns {
		if k > u {
			emit(edge(m, node{k, id}))
		}
	}
}

// smallStar joins u and its smaller neighbours (all of its neighbours:
// edges are keyed by their larger end) to the smallest of them.
func smallStar(u uint64, edges func(*Edge) bool, emit func(Edge)) {
	self, ns, m := neighbours(u, edges)
	if m.key != u {
		emit(edge(m, self))
	}
	for k, id := range ns {
		if k != m.key {
			emit(edge(m, node{k, id}))
		}
	}
}

// checkNode reports u to each of its smaller neighbours (whether u is a
// leaf: its only neighbour is that one), and, if it has larger neighbours,
// to itself (whether it has a smaller one).
func checkNode(u uint64, edges func(*Edge) bool, emit func(uint64, Report)) {
	self, ns, _ := neighbours(u, edges)
	uID := self.id
	smaller, larger := 0, 0
	for k := range ns {
		if k < u {
			smaller++
		} else {
			larger++
		}
	}
	leaf := smaller == 1 && larger == 0
	for k := range ns {
		if k < u {
			emit(k, Report{Node: u, ID: uID, Leaf: leaf})
		}
	}
	if larger > 0 {
		emit(u, Report{Node: u, ID: uID, Self: true, HasSmaller: smaller > 0})
	}
}

// stars decides a whole component when p is the centre of a star that is
// the component (p has no smaller neighbour and all its neighbours are
// leaves): p is the cluster's first document. Otherwise it passes p's edges
// to larger neighbours on to the final pass; every edge of a component that
// is not such a star reaches it that way.
func stars(p uint64, reports func(*Report) bool, decisions func(uint64, Decision), rest func(Edge)) {
	var self Report
	var children []Report
	star := true
	var r Report
	for reports(&r) {
		if r.Self {
			self = r
			star = star && !r.HasSmaller
		} else {
			children = append(children, r)
			star = star && r.Leaf
		}
		r = Report{}
	}
	if len(children) == 0 {
		return
	}
	if star {
		d := Decision{Root: p, RootID: self.ID, Size: 1 + len(children)}
		decisions(p, d)
		for _, c := range children {
			decisions(c.Node, d)
		}
		return
	}
	for _, c := range children {
		rest(Edge{A: p, B: c.Node, AID: self.ID, BID: c.ID})
	}
}
