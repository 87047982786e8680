// Package deduptest drives corpus stages the way the runner does, for tests
// and benchmarks: Observe every record in corpus order, Prepare, then
// Process from several goroutines in any order.
package deduptest

import (
	"math/rand/v2"
	"strconv"
	"sync"

	"github.com/winnow-corpus/winnow/record"
)

// A Stage is a corpus stage (pipeline.CorpusStage without the dependency).
type Stage interface {
	Observe(r *record.Record) error
	Prepare(workDir string) error
	Process(r *record.Record) bool
}

// Records returns records with the given texts, with IDs "d0", "d1", ...
// and Source.Key equal to the position.
func Records(texts ...string) []*record.Record {
	recs := make([]*record.Record, len(texts))
	for i, t := range texts {
		recs[i] = &record.Record{ID: ID(i), Text: t, Source: record.Source{Index: int64(i), Key: uint64(i)}}
	}
	return recs
}

// ID is the ID Records gives to the i-th record.
func ID(i int) string { return "d" + strconv.Itoa(i) }

// Run observes recs in order, prepares s in workDir, and processes recs
// from workers goroutines, in an order shuffled by rng (nil: in order). It
// returns the keep decision of each record, by position.
func Run(s Stage, recs []*record.Record, workDir string, workers int, rng *rand.Rand) ([]bool, error) {
	for _, r := range recs {
		if err := s.Observe(r); err != nil {
			return nil, err
		}
	}
	if err := s.Prepare(workDir); err != nil {
		return nil, err
	}
	order := make([]int, len(recs))
	for i := range order {
		order[i] = i
	}
	if rng != nil {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	keep := make([]bool, len(recs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range max(workers, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				keep[i] = s.Process(recs[i])
			}
		}()
	}
	for _, i := range order {
		work <- i
	}
	close(work)
	wg.Wait()
	return keep, nil
}
