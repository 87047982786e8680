package winnowbeam

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/read"
	"github.com/winnow-corpus/winnow/record"
	"github.com/winnow-corpus/winnow/write"
)

// writeSummary adds up the tallies of reading (documents read, lost,
// skipped; problems) and of where documents end (kept and every rejected
// one) and writes OUTPUT/summary.json, the local runner's Summary but for
// timing and stage details: read = written + rejected + unreadable holds as
// locally.
func writeSummary(s beam.Scope, output string, names []string, inputs []Input, readTallies, kept beam.PCollection, rejected []beam.PCollection) {
	ends := beam.Combine(s.Scope("tally-ends"), &endTallyFn{}, beam.Flatten(s, append([]beam.PCollection{kept}, rejected...)...))
	all := beam.Combine(s.Scope("tally"), &mergeTallyFn{}, beam.Flatten(s, readTallies, ends))
	beam.ParDo0(s.Scope("write-summary"), &summaryFn{Output: output, Names: names, Inputs: inputs}, all)
}

// end is the part of a record's JSON its tally needs.
type end struct {
	Text      string               `json:"text"`
	Counts    map[string]int64     `json:"counts"`
	Removed   []record.RemovedLine `json:"removed"`
	Rejection *record.Rejection    `json:"rejection"`
}

// endTallyFn counts documents where they end.
type endTallyFn struct{}

func (endTallyFn) CreateAccumulator() *pipeline.Tally { return &pipeline.Tally{} }

func (endTallyFn) AddInput(t *pipeline.Tally, b []byte) (*pipeline.Tally, error) {
	var e end
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("winnow-beam: bad record: %w", err)
	}
	t.AddEnd(&record.Record{Text: e.Text, Counts: e.Counts, Removed: e.Removed, Rejection: e.Rejection})
	return t, nil
}

func (endTallyFn) MergeAccumulators(a, b *pipeline.Tally) *pipeline.Tally {
	a.Merge(b)
	return a
}

// mergeTallyFn adds tallies up.
type mergeTallyFn struct{}

func (mergeTallyFn) CreateAccumulator() *pipeline.Tally { return &pipeline.Tally{} }

func (mergeTallyFn) AddInput(t, o *pipeline.Tally) *pipeline.Tally {
	t.Merge(o)
	return t
}

func (mergeTallyFn) MergeAccumulators(a, b *pipeline.Tally) *pipeline.Tally {
	a.Merge(b)
	return a
}

func encodeTally(t *pipeline.Tally) ([]byte, error) { return json.Marshal(t) }

func decodeTally(b []byte) (*pipeline.Tally, error) {
	t := new(pipeline.Tally)
	return t, json.Unmarshal(b, t)
}

// summaryFn writes summary.json from the total tally.
type summaryFn struct {
	Output string
	Names  []string
	Inputs []Input
}

func (f *summaryFn) ProcessElement(ctx context.Context, t *pipeline.Tally) error {
	ins := make([]read.Input, len(f.Inputs))
	for i, in := range f.Inputs {
		ins[i] = in.Input
	}
	b, err := json.MarshalIndent(t.Summary(f.Names, ins), "", "  ")
	if err != nil {
		return err
	}
	b = append(b, '\n')
	if !strings.Contains(f.Output, "://") {
		if err := os.MkdirAll(f.Output, 0o755); err != nil {
			return err
		}
		return write.WriteFileAtomic(filepath.Join(f.Output, pipeline.SummaryFile), b)
	}
	tmp, err := os.MkdirTemp("", "winnow-beam-summary-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	local := filepath.Join(tmp, pipeline.SummaryFile)
	if err := os.WriteFile(local, b, 0o644); err != nil {
		return err
	}
	return upload(ctx, local, strings.TrimSuffix(f.Output, "/")+"/"+pipeline.SummaryFile)
}
