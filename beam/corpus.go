package winnowbeam

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/dedup/lines"
	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/record"
)

// sharedStage returns stage idx of the job, built once per worker process
// and shared (its models are large; Process is safe for concurrent use).
func (j jobConfig) sharedStage(idx int) (pipeline.Stage, error) {
	v, _ := shared.LoadOrStore(stagesKey{j.Config, idx, idx + 1}, &builtStages{})
	b := v.(*builtStages)
	b.once.Do(func() { b.stages, b.err = j.stages(idx, idx+1) })
	if b.err != nil {
		return nil, b.err
	}
	return b.stages[0], nil
}

// templateStage runs the template cleaner ("clean") on all workers: each
// bundle counts its documents' lines per host into a mergeable sketch
// (clean.TemplateCounts, plain count-min, so that the sum over bundles is
// the sketch of the whole corpus whatever the split), a global combine adds
// the sketches up, and the sum reaches every worker as a side input, which
// then cleans its records in parallel as the local stage's Process does.
func templateStage(s beam.Scope, job jobConfig, idx int, recs beam.PCollection) (kept, rejected beam.PCollection) {
	counts := beam.Combine(s.Scope("count"), &countLinesFn{Job: job, Stage: idx}, recs)
	return beam.ParDo2(s.Scope("clean"), &templateCleanFn{Job: job, Stage: idx}, recs, beam.SideInput{Input: counts})
}

// templateConfig returns the template settings of clean stage idx.
func (j jobConfig) templateConfig(idx int) (clean.TemplateConfig, error) {
	cfg, err := j.config()
	if err != nil {
		return clean.TemplateConfig{}, err
	}
	if idx < 0 || idx >= len(cfg.Stages) {
		return clean.TemplateConfig{}, fmt.Errorf("winnow-beam: stage %d out of range", idx)
	}
	p, ok := cfg.Stages[idx].Params.(*clean.Config)
	if !ok {
		return clean.TemplateConfig{}, fmt.Errorf("winnow-beam: stage %s is not clean", cfg.Stages[idx].Name)
	}
	return p.Template, nil
}

// textURL is the part of a record's JSON the counting needs.
type textURL struct {
	URL  string `json:"url"`
	Text string `json:"text"`
}

// countLinesFn counts documents' lines per host into clean.TemplateCounts.
type countLinesFn struct {
	Job   jobConfig `json:"job"`
	Stage int

	tcfg clean.TemplateConfig
}

func (f *countLinesFn) Setup() error {
	var err error
	f.tcfg, err = f.Job.templateConfig(f.Stage)
	return err
}

func (f *countLinesFn) CreateAccumulator() (*clean.TemplateCounts, error) {
	return clean.NewTemplateCounts(f.tcfg)
}

func (f *countLinesFn) AddInput(c *clean.TemplateCounts, b []byte) (*clean.TemplateCounts, error) {
	var d textURL
	if err := json.Unmarshal(b, &d); err != nil {
		return nil, fmt.Errorf("winnow-beam: bad record: %w", err)
	}
	c.Observe(&record.Record{URL: d.URL, Text: d.Text})
	return c, nil
}

func (f *countLinesFn) MergeAccumulators(a, b *clean.TemplateCounts) (*clean.TemplateCounts, error) {
	return a, a.Merge(b)
}

func (f *countLinesFn) ExtractOutput(c *clean.TemplateCounts) ([]byte, error) {
	return c.MarshalBinary()
}

func encodeCounts(c *clean.TemplateCounts) ([]byte, error) { return c.MarshalBinary() }

func decodeCounts(b []byte) (*clean.TemplateCounts, error) {
	c := new(clean.TemplateCounts)
	return c, c.UnmarshalBinary(b)
}

// templateCleanFn cleans records with the summed counts (the side input),
// decoded once per DoFn instance: the side input is one value for the
// whole stage.
type templateCleanFn struct {
	Job   jobConfig `json:"job"`
	Stage int

	once sync.Once
	cc   *clean.CorpusCleaner
	err  error
}

func (f *templateCleanFn) cleaner(counts func(*[]byte) bool) (*clean.CorpusCleaner, error) {
	f.once.Do(func() {
		st, err := f.Job.sharedStage(f.Stage)
		if err != nil {
			f.err = err
			return
		}
		base, ok := st.(*clean.CorpusCleaner)
		if !ok {
			f.err = fmt.Errorf("winnow-beam: stage %s is not the template cleaner", st.Name())
			return
		}
		var b []byte
		if !counts(&b) {
			f.err = fmt.Errorf("winnow-beam: %s: no template counts", st.Name())
			return
		}
		c, err := decodeCounts(b)
		if err != nil {
			f.err = err
			return
		}
		f.cc, f.err = base.WithCounts(c)
	})
	return f.cc, f.err
}

func (f *templateCleanFn) ProcessElement(ctx context.Context, b []byte, counts func(*[]byte) bool, kept, rejected func([]byte)) error {
	cc, err := f.cleaner(counts)
	if err != nil {
		return err
	}
	rec, err := unmarshalRecord(b)
	if err != nil {
		return err
	}
	return emitRecord(rec, apply(ctx, cc, rec), kept, rejected)
}

// linesStage runs line_dedup as keyed shuffles: each document's distinct
// line hashes (lines.DocLines) are grouped by hash; in each group the
// document first in corpus order (smallest Source.Key) holds the line's
// first occurrence, and every other document is told that the line
// occurred earlier; those decisions are joined back to the documents by
// Source.Key, and lines.Stage.Remove applies them as the local stage does.
func linesStage(s beam.Scope, job jobConfig, idx int, recs beam.PCollection) (kept, rejected beam.PCollection) {
	pairs := beam.ParDo(s.Scope("lines"), docLines, recs)
	later := beam.ParDo(s.Scope("later"), laterHolders, beam.GroupByKey(s, pairs))
	keyed := beam.ParDo(s.Scope("by-key"), byKey, recs)
	joined := beam.CoGroupByKey(s, keyed, later)
	return beam.ParDo2(s.Scope("remove"), &removeLinesFn{Job: job, Stage: idx}, joined)
}

// keyText is the part of a record's JSON docLines needs.
type keyText struct {
	Source struct {
		Key uint64 `json:"key"`
	} `json:"source"`
	Text string `json:"text"`
}

// docLines emits (line hash, Source.Key) for each distinct line of a
// document.
func docLines(b []byte, emit func(uint64, uint64)) error {
	var d keyText
	if err := json.Unmarshal(b, &d); err != nil {
		return fmt.Errorf("winnow-beam: bad record: %w", err)
	}
	for _, h := range lines.DocLines(d.Text) {
		emit(h, d.Source.Key)
	}
	return nil
}

// laterHolders emits (Source.Key, line hash) for every document holding
// the line but the first in corpus order. It holds the group's keys (8
// bytes a document) in memory.
func laterHolders(h uint64, keys func(*uint64) bool, emit func(uint64, uint64)) {
	var ks []uint64
	var k uint64
	for keys(&k) {
		ks = append(ks, k)
	}
	if len(ks) < 2 {
		return
	}
	first := slices.Min(ks)
	for _, k := range ks {
		if k != first {
			emit(k, h)
		}
	}
}

// removeLinesFn applies the joined decisions to a document.
type removeLinesFn struct {
	Job   jobConfig `json:"job"`
	Stage int

	st *lines.Stage
}

func (f *removeLinesFn) Setup() error {
	st, err := f.Job.sharedStage(f.Stage)
	if err != nil {
		return err
	}
	var ok bool
	if f.st, ok = st.(*lines.Stage); !ok {
		return fmt.Errorf("winnow-beam: stage %s is not line_dedup", st.Name())
	}
	return nil
}

func (f *removeLinesFn) ProcessElement(ctx context.Context, _ uint64, recs func(*[]byte) bool, later func(*uint64) bool, kept, rejected func([]byte)) error {
	earlier := map[uint64]bool{}
	var h uint64
	for later(&h) {
		earlier[h] = true
	}
	stage := pipeline.StageFunc{StageName: lines.Name, Fn: func(r *record.Record) bool {
		return f.st.Remove(r, func(h uint64) bool { return earlier[h] })
	}}
	var b []byte
	for recs(&b) {
		rec, err := unmarshalRecord(b)
		if err != nil {
			return err
		}
		if err := emitRecord(rec, apply(ctx, stage, rec), kept, rejected); err != nil {
			return err
		}
	}
	return nil
}
