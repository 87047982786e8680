package winnowbeam

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"slices"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"

	"github.com/winnow-corpus/winnow/dedup"
	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/record"
)

// Member is one document in a group: its corpus position, its ID (for
// duplicate_of) and, for MinHash with verification, its signature sketch.
type Member struct {
	Key    uint64
	ID     string
	Sketch []byte
}

// Edge says that documents A and B are in one cluster.
type Edge struct {
	A, B     uint64
	AID, BID string
}

// Decision is a clustered document's fate: the cluster's first document
// (Root, by Source.Key) is kept, every other member is a duplicate of it.
type Decision struct {
	Root   uint64
	RootID string
	Size   int
}

// clusterStage runs dedup stage idx of the config as keyed shuffles:
// keys per document -> group by key -> candidate edges -> connected
// components (distributedComponents, with rounds of large-star and
// small-star) -> join the decisions back to the documents by Source.Key.
func clusterStage(s beam.Scope, job jobConfig, idx int, recs beam.PCollection, rounds int) (kept, rejected beam.PCollection) {
	pairs := beam.ParDo(s.Scope("keys"), &keysFn{Job: job, Stage: idx}, recs)
	edges := beam.ParDo(s.Scope("edges"), &edgesFn{Job: job, Stage: idx}, beam.GroupByKey(s, pairs))
	decisions := distributedComponents(s.Scope("components"), edges, rounds)
	keyed := beam.ParDo(s.Scope("by-key"), byKey, recs)
	joined := beam.CoGroupByKey(s, keyed, decisions)
	return beam.ParDo2(s.Scope("filter"), &filterFn{Job: job, Stage: idx}, joined)
}

// clusterSpecOf rebuilds the stage's key function on a worker.
func (j jobConfig) clusterSpec(idx int) (clusterSpec, error) {
	cfg, err := j.config()
	if err != nil {
		return clusterSpec{}, err
	}
	if idx < 0 || idx >= len(cfg.Stages) {
		return clusterSpec{}, fmt.Errorf("winnow-beam: stage %d out of range", idx)
	}
	cs, ok, err := clusterKeys(cfg.Stages[idx])
	if err == nil && !ok {
		err = fmt.Errorf("winnow-beam: stage %s is not a clustering stage", cfg.Stages[idx].Name)
	}
	return cs, err
}

// keysFn emits (group key, member) for each group key of a document: the
// pairs the local Clusterer sorts.
type keysFn struct {
	Job   jobConfig `json:"job"`
	Stage int

	cs   clusterSpec
	keys []uint64
}

func (f *keysFn) Setup() error {
	var err error
	f.cs, err = f.Job.clusterSpec(f.Stage)
	return err
}

func (f *keysFn) ProcessElement(ctx context.Context, b []byte, emit func(uint64, Member)) error {
	rec, err := unmarshalRecord(b)
	if err != nil {
		return err
	}
	var sketch []byte
	if f.cs.sketchBytes > 0 {
		sketch = make([]byte, f.cs.sketchBytes)
	}
	f.keys = f.cs.keys(f.keys[:0], sketch, rec.Text, rec.URL)
	m := Member{Key: rec.Source.Key, ID: rec.ID, Sketch: sketch}
	for _, k := range f.keys {
		emit(k, m)
	}
	return nil
}

// edgesFn turns one group into the edges the local Clusterer would unite:
// members in corpus order; without a similarity test every member joins
// the first; with one, each member joins the first of the (at most
// dedup.MaxCompare) earlier members whose sketch is similar to its own.
type edgesFn struct {
	Job   jobConfig `json:"job"`
	Stage int

	similar func(a, b []byte) bool
}

func (f *edgesFn) Setup() error {
	cs, err := f.Job.clusterSpec(f.Stage)
	f.similar = cs.similar
	return err
}

func (f *edgesFn) ProcessElement(_ uint64, members func(*Member) bool, emit func(Edge)) {
	var ms []Member
	var m Member
	for members(&m) {
		ms = append(ms, m)
		m = Member{}
	}
	if len(ms) < 2 {
		return
	}
	slices.SortStableFunc(ms, func(a, b Member) int { return cmp.Compare(a.Key, b.Key) })
	for j := 1; j < len(ms); j++ {
		if f.similar == nil {
			emit(Edge{A: ms[0].Key, B: ms[j].Key, AID: ms[0].ID, BID: ms[j].ID})
			continue
		}
		for k := range min(j, dedup.MaxCompare) {
			if similar(f.similar, ms[k].Sketch, ms[j].Sketch) {
				emit(Edge{A: ms[k].Key, B: ms[j].Key, AID: ms[k].ID, BID: ms[j].ID})
				break
			}
		}
	}
}

// similar is the Clusterer's test: a missing sketch counts as similar.
func similar(fn func(a, b []byte) bool, a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 {
		return true
	}
	return fn(a, b)
}

// components finds the connected components of edges on one worker with a
// union-find whose root is the smallest Source.Key, and emits a Decision
// for every document in a cluster. distributedComponents leaves it only the
// edges of the clusters its rounds did not finish (usually none); it holds
// about 100 bytes per document of those.
func components(_ int, edges func(*Edge) bool, emit func(uint64, Decision)) {
	parent := map[uint64]uint64{}
	ids := map[uint64]string{}
	var find func(x uint64) uint64
	find = func(x uint64) uint64 {
		for {
			p, ok := parent[x]
			if !ok || p == x {
				return x
			}
			if gp, ok := parent[p]; ok && gp != p {
				parent[x] = gp // path halving
			}
			x = p
		}
	}
	var e Edge
	for edges(&e) {
		ids[e.A], ids[e.B] = e.AID, e.BID
		if _, ok := parent[e.A]; !ok {
			parent[e.A] = e.A
		}
		if _, ok := parent[e.B]; !ok {
			parent[e.B] = e.B
		}
		ra, rb := find(e.A), find(e.B)
		if ra == rb {
			continue
		}
		if rb < ra {
			ra, rb = rb, ra
		}
		parent[rb] = ra
	}
	size := map[uint64]int{}
	for x := range parent {
		size[find(x)]++
	}
	for x := range parent {
		r := find(x)
		emit(x, Decision{Root: r, RootID: ids[r], Size: size[r]})
	}
}

// byKey keys a record by its Source.Key for the join with the decisions.
func byKey(b []byte, emit func(uint64, []byte)) error {
	k, err := sourceKey(b)
	if err != nil {
		return err
	}
	emit(k, b)
	return nil
}

// filterFn applies a document's Decision as the Clusterer's Process does:
// the cluster's first document is kept with the cluster's ID (its own
// Source.Key) and size in its metadata, the others are rejected as
// duplicates of it. A document without a Decision has no duplicates: it is
// kept as a cluster of 1.
type filterFn struct {
	Job   jobConfig `json:"job"`
	Stage int

	name, reason string
}

func (f *filterFn) Setup() error {
	cs, err := f.Job.clusterSpec(f.Stage)
	f.name, f.reason = cs.name, cs.reason
	return err
}

func (f *filterFn) ProcessElement(key uint64, recs func(*[]byte) bool, decisions func(*Decision) bool, kept, rejected func([]byte)) error {
	d := Decision{Root: key, Size: 1} // a document without duplicates
	decisions(&d)
	var b []byte
	for recs(&b) {
		rec, err := unmarshalRecord(b)
		if err != nil {
			return err
		}
		keep := d.Root == key
		if keep {
			dedup.MarkKept(rec, key, d.Size)
		} else {
			rec.Rejection = &record.Rejection{Stage: f.name, Reason: f.reason,
				Detail: fmt.Sprintf("cluster of %d", d.Size), DuplicateOf: d.RootID}
		}
		if err := emitRecord(rec, keep, kept, rejected); err != nil {
			return err
		}
	}
	return nil
}

// singleWorkerStage runs corpus stage idx as the local runner does, on one
// worker: every record reaching it is grouped under one key, observed in
// corpus order, and processed after Prepare. It serves corpus stages that
// have no distributed form (none of the registered ones).
func singleWorkerStage(s beam.Scope, job jobConfig, idx int, recs beam.PCollection) (kept, rejected beam.PCollection) {
	all := beam.GroupByKey(s, beam.AddFixedKey(s, recs))
	return beam.ParDo2(s.Scope("observe-process"), &corpusFn{Job: job, Stage: idx}, all)
}

type corpusFn struct {
	Job   jobConfig `json:"job"`
	Stage int
}

func (f *corpusFn) ProcessElement(ctx context.Context, _ int, values func(*[]byte) bool, kept, rejected func([]byte)) error {
	recs, err := sortedRecords(values)
	if err != nil {
		return err
	}
	stages, err := f.Job.stages(f.Stage, f.Stage+1)
	if err != nil {
		return err
	}
	defer closeAll(stages)
	cs, ok := stages[0].(pipeline.CorpusStage)
	if !ok {
		return fmt.Errorf("winnow-beam: stage %s is not a corpus stage", stages[0].Name())
	}
	for _, r := range recs {
		if err := cs.Observe(r); err != nil {
			return fmt.Errorf("%s: %w", cs.Name(), err)
		}
	}
	work, err := os.MkdirTemp("", "winnow-beam-"+cs.Name()+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	if err := cs.Prepare(work); err != nil {
		return fmt.Errorf("%s: %w", cs.Name(), err)
	}
	log.Infof(ctx, "winnow-beam: %s observed %d documents on one worker", cs.Name(), len(recs))
	for _, r := range recs {
		if err := emitRecord(r, apply(ctx, cs, r), kept, rejected); err != nil {
			return err
		}
	}
	return nil
}
