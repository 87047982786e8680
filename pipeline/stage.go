// Package pipeline assembles stages into a pipeline and runs it.
//
// A pipeline is a list of stages read top to bottom, as in its YAML config:
//
//	stages:
//	  - extract: {}
//	  - clean: {}
//	  - gopher_quality: {min_words: 50}
//
// Each stage is a plain function over one record (the Stage interface). It
// knows nothing of files, workers or resume state, so the same stages run in
// the local runner (Run) and on Apache Beam.
package pipeline

import "github.com/winnow-corpus/winnow/record"

// A Stage looks at one record and keeps it, possibly changed, or rejects it.
//
// Process returns true to keep r. To reject it, a stage returns
// r.Reject(name, reason, detail), which records a stable reason code.
// Process must be safe to call from many goroutines at once and must not
// panic on any input; the runner still recovers a panic and rejects the record
// with reason "stage_panic" so that one bad document cannot stop a run.
type Stage interface {
	Name() string
	Process(r *record.Record) bool
}

// StageFunc adapts a function to the Stage interface.
type StageFunc struct {
	StageName string
	Fn        func(r *record.Record) bool
}

func (s StageFunc) Name() string                  { return s.StageName }
func (s StageFunc) Process(r *record.Record) bool { return s.Fn(r) }

// A CorpusStage needs to see the whole corpus before it can decide on one
// record: deduplication, or removing a site's template lines. The runner
// calls it in two phases:
//
//  1. Observe is called once for every record that reached the stage, in the
//     corpus order (input files in sorted order, records in file order), from a
//     single goroutine. The stage gathers what it needs, in bounded memory
//     (spilling to disk under its own directory if it must).
//  2. After the last Observe, Prepare is called once; then Process (from the
//     Stage interface) is called for the same records, from many goroutines,
//     and decides on each.
//
// Records are identified across the two phases by Key, which the runner sets
// to the same value in both phases. A Beam runner maps Observe/Prepare to a
// grouping (a keyed shuffle) and Process to a join.
type CorpusStage interface {
	Stage
	Observe(r *record.Record) error
	Prepare(workDir string) error
}

// A Closer is a stage holding resources past the run (a dedup index, spill
// files). The runner calls Close once the output is safely written, and
// Abandon, if the stage has it, when the run fails or is interrupted, so that
// an index never learns of documents that were not written.
type Closer interface {
	Close() error
}

type abandoner interface {
	Abandon()
}
