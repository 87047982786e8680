package winnowbeam

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"testing"
)

// gbk groups keyed edges as GroupByKey does, in a random order.
func gbk[V any](rng *rand.Rand, kvs map[uint64][]V) map[uint64]func(*V) bool {
	out := map[uint64]func(*V) bool{}
	for k, vs := range kvs {
		vs := append([]V(nil), vs...)
		rng.Shuffle(len(vs), func(i, j int) { vs[i], vs[j] = vs[j], vs[i] })
		i := 0
		out[k] = func(v *V) bool {
			if i == len(vs) {
				return false
			}
			*v = vs[i]
			i++
			return true
		}
	}
	return out
}

// simulateComponents runs distributedComponents' steps in memory, as a
// runner would, and returns the decisions and how many edges reached the
// single-worker pass.
func simulateComponents(rng *rand.Rand, edges []Edge, rounds int) (map[uint64]Decision, int) {
	keyed := func(es []Edge, key func(Edge, func(uint64, Edge))) map[uint64][]Edge {
		m := map[uint64][]Edge{}
		for _, e := range es {
			key(e, func(k uint64, e Edge) { m[k] = append(m[k], e) })
		}
		return m
	}
	for range rounds {
		var next []Edge
		for u, it := range gbk(rng, keyed(edges, bothEnds)) {
			largeStar(u, it, func(e Edge) { next = append(next, e) })
		}
		edges, next = next, nil
		for u, it := range gbk(rng, keyed(edges, largerEnd)) {
			smallStar(u, it, func(e Edge) { next = append(next, e) })
		}
		edges = next
	}
	reports := map[uint64][]Report{}
	for u, it := range gbk(rng, keyed(edges, bothEnds)) {
		checkNode(u, it, func(k uint64, r Report) { reports[k] = append(reports[k], r) })
	}
	got := map[uint64]Decision{}
	var rest []Edge
	for p, it := range gbk(rng, reports) {
		stars(p, it, func(k uint64, d Decision) {
			if _, dup := got[k]; dup {
				panic(fmt.Sprintf("two decisions for %d", k))
			}
			got[k] = d
		}, func(e Edge) { rest = append(rest, e) })
	}
	i := 0
	components(0, func(e *Edge) bool {
		if i == len(rest) {
			return false
		}
		*e = rest[i]
		i++
		return true
	}, func(k uint64, d Decision) {
		if _, dup := got[k]; dup {
			panic(fmt.Sprintf("two decisions for %d", k))
		}
		got[k] = d
	})
	return got, len(rest)
}

// The distributed components equal the single-worker union-find's on
// random graphs (chains, stars, loops, self-loops, repeated edges) for any
// number of rounds, and enough rounds leave nothing to the last pass.
func TestDistributedComponents(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	leftover := map[int]int{}
	for trial := range 300 {
		n := 2 + rng.IntN(60)
		var edges []Edge
		for range rng.IntN(2 * n) {
			a, b := uint64(rng.IntN(n))*7+3, uint64(rng.IntN(n))*7+3
			if rng.IntN(3) > 0 && b < a {
				a, b = b, a // edges come smaller end first, mostly
			}
			edges = append(edges, Edge{A: a, B: b, AID: fmt.Sprint("d", a), BID: fmt.Sprint("d", b)})
		}
		i := 0
		want := map[uint64]Decision{}
		components(0, func(e *Edge) bool {
			if i == len(edges) {
				return false
			}
			*e = edges[i]
			i++
			return true
		}, func(k uint64, d Decision) { want[k] = d })
		// A self-loop alone is no cluster (a cluster of 1, as without a
		// decision).
		maps.DeleteFunc(want, func(_ uint64, d Decision) bool { return d.Size == 1 })
		for _, rounds := range []int{0, 1, 2, DefaultComponentRounds, 8} {
			got, rest := simulateComponents(rng, edges, rounds)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("trial %d, %d rounds: edges %v\ngot  %v\nwant %v", trial, rounds, edges, sortedDecisions(got), sortedDecisions(want))
			}
			leftover[rounds] += rest
		}
	}
	t.Logf("edges left to the single-worker pass, by rounds: %v", leftover)
	if leftover[8] != 0 {
		t.Errorf("%d edges left after 8 rounds", leftover[8])
	}
}
