package winnowbeam

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sync"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/log"
	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/read"
	"github.com/winnow-corpus/winnow/record"
)

// jobConfig carries the pipeline config to the workers as YAML text (DoFn
// fields must serialize); each worker parses it once.
type jobConfig struct {
	Config string `json:"config"`
}

var configs sync.Map // YAML text -> *parsedConfig

type parsedConfig struct {
	once sync.Once
	cfg  pipeline.Config
	err  error
}

// config parses the job's config, once per worker process.
func (j jobConfig) config() (pipeline.Config, error) {
	v, _ := configs.LoadOrStore(j.Config, &parsedConfig{})
	p := v.(*parsedConfig)
	p.once.Do(func() { p.cfg, p.err = pipeline.ParseConfig([]byte(j.Config)) })
	return p.cfg, p.err
}

// stages builds stages [from, to) of the config.
func (j jobConfig) stages(from, to int) ([]pipeline.Stage, error) {
	cfg, err := j.config()
	if err != nil {
		return nil, err
	}
	if from < 0 || to > len(cfg.Stages) || from > to {
		return nil, fmt.Errorf("winnow-beam: stages [%d, %d) out of range", from, to)
	}
	return pipeline.BuildStages(cfg.Stages[from:to])
}

// Input is one numbered input of a job: the number orders it in the corpus
// (Source.Key's high bits).
type Input struct {
	read.Input
	Number int  `json:"number"`
	Remote bool `json:"remote"` // read through the Beam filesystem
}

func (in Input) encode() string {
	b, _ := json.Marshal(in)
	return string(b)
}

// readFn opens each input and emits its documents as record JSON, numbered
// as the local runner numbers them, and, once the input is read, its tally
// (documents read, lost, skipped; problems) for summary.json. A document
// lost to a read problem is counted as unreadable and skipped, as in a
// non-strict local run; an input that cannot be opened is one problem.
type readFn struct {
	Job jobConfig `json:"job"`
}

func (f *readFn) ProcessElement(ctx context.Context, desc string, emit func([]byte), tally func(*pipeline.Tally)) error {
	var in Input
	if err := json.Unmarshal([]byte(desc), &in); err != nil {
		return err
	}
	cfg, err := f.Job.config()
	if err != nil {
		return err
	}
	t := &pipeline.Tally{}
	defer func() { tally(t) }()
	problem := func(p *read.Problem) {
		log.Warnf(ctx, "winnow-beam: %v", p)
		t.AddProblem(p)
	}
	src := in.Input
	if in.Remote {
		tmp, err := fetch(ctx, in.Path)
		if tmp != "" {
			defer os.RemoveAll(filepath.Dir(tmp))
		}
		if err != nil {
			return err
		}
		src = read.Input{Path: tmp}
	}
	rd, err := read.Open(src, read.Options{IDField: cfg.Input.IDField, TextField: cfg.Input.TextField, URLField: cfg.Input.URLField})
	if err != nil {
		problem(&read.Problem{File: in.Path, Err: err})
		return nil
	}
	defer rd.Close()
	defer func() { t.AddSkipped(rd.Skipped()) }()
	for {
		rec, err := rd.Next()
		if err == io.EOF {
			return nil
		}
		var p *read.Problem
		if errors.As(err, &p) {
			problem(p)
			continue
		}
		if err != nil {
			problem(&read.Problem{File: in.Path, Offset: rd.Consumed(), Err: fmt.Errorf("%w (rest of input skipped)", err)})
			return nil
		}
		rec.Source.Key = uint64(in.Number)<<40 | uint64(rec.Source.Index)
		if in.Remote || rec.Source.File == "" {
			rec.Source.File = in.Path
		}
		t.AddRead(rec)
		b, err := marshalRecord(rec)
		if err != nil {
			return err
		}
		emit(b)
	}
}

// fetch copies a remote file to a local temporary file of the same base
// name (the reader detects the format from it), for readers that need a
// file (Parquet needs random access).
func fetch(ctx context.Context, name string) (string, error) {
	fs, err := filesystem.New(ctx, name)
	if err != nil {
		return "", err
	}
	defer fs.Close()
	r, err := fs.OpenRead(ctx, name)
	if err != nil {
		return "", err
	}
	defer r.Close()
	dir, err := os.MkdirTemp("", "winnow-beam-")
	if err != nil {
		return "", err
	}
	tmp := filepath.Join(dir, path.Base(name))
	w, err := os.Create(tmp)
	if err != nil {
		return tmp, err
	}
	if _, err := io.Copy(w, r); err != nil {
		w.Close()
		return tmp, fmt.Errorf("fetching %s: %w", name, err)
	}
	return tmp, w.Close()
}

func marshalRecord(r *record.Record) ([]byte, error) {
	return json.MarshalWithOption(r, json.DisableHTMLEscape())
}

func unmarshalRecord(b []byte) (*record.Record, error) {
	r := new(record.Record)
	if err := json.Unmarshal(b, r); err != nil {
		return nil, fmt.Errorf("winnow-beam: bad record: %w", err)
	}
	return r, nil
}

// sortedRecords decodes grouped records and sorts them into corpus order
// (by Source.Key), which GroupByKey does not keep.
func sortedRecords(values func(*[]byte) bool) ([]*record.Record, error) {
	var recs []*record.Record
	var b []byte
	for values(&b) {
		r, err := unmarshalRecord(b)
		if err != nil {
			return nil, err
		}
		recs = append(recs, r)
	}
	slices.SortStableFunc(recs, func(a, b *record.Record) int { return cmp.Compare(a.Source.Key, b.Source.Key) })
	return recs, nil
}

// stagesFn runs per-document stages [From, To) of the config, built once per
// worker process with pipeline.BuildStages and shared by the DoFn's
// instances (a runner makes one per bundle thread; stages are safe for
// concurrent use, and the clean and langid models are large): kept records
// go to the first output, rejected ones to the second.
type stagesFn struct {
	Job      jobConfig `json:"job"`
	From, To int

	stages []pipeline.Stage
}

var shared sync.Map // stagesKey -> *builtStages

type stagesKey struct {
	config   string
	from, to int
}

type builtStages struct {
	once   sync.Once
	stages []pipeline.Stage
	err    error
}

func (f *stagesFn) Setup() error {
	v, _ := shared.LoadOrStore(stagesKey{f.Job.Config, f.From, f.To}, &builtStages{})
	b := v.(*builtStages)
	b.once.Do(func() { b.stages, b.err = f.Job.stages(f.From, f.To) })
	f.stages = b.stages
	return b.err
}

func (f *stagesFn) ProcessElement(ctx context.Context, b []byte, kept, rejected func([]byte)) error {
	rec, err := unmarshalRecord(b)
	if err != nil {
		return err
	}
	keep := true
	for _, s := range f.stages {
		if !apply(ctx, s, rec) {
			keep = false
			break
		}
	}
	return emitRecord(rec, keep, kept, rejected)
}

// apply runs one stage, turning a panic into the rejection the local runner
// records ("stage_panic"), and a rejection without a reason into "rejected".
func apply(ctx context.Context, s pipeline.Stage, rec *record.Record) (keep bool) {
	defer func() {
		if p := recover(); p != nil {
			rec.Rejection = &record.Rejection{Stage: s.Name(), Reason: "stage_panic", Detail: fmt.Sprint(p)}
			log.Errorf(ctx, "winnow-beam: stage %s panicked on %s (%s offset %d): %v", s.Name(), rec.ID, rec.Source.File, rec.Source.Offset, p)
			keep = false
		}
	}()
	keep = s.Process(rec)
	if !keep && rec.Rejection == nil {
		rec.Reject(s.Name(), "rejected", "")
	}
	return keep
}

func emitRecord(rec *record.Record, keep bool, kept, rejected func([]byte)) error {
	b, err := marshalRecord(rec)
	if err != nil {
		// Metadata JSON cannot hold (a NaN, say): reject the record, as the
		// local runner does, rather than fail the bundle.
		rec.Rejection = &record.Rejection{Stage: "write", Reason: "unencodable", Detail: err.Error()}
		rec.Metadata = nil
		if b, err = marshalRecord(rec); err != nil {
			return err
		}
		keep = false
	}
	if keep {
		kept(b)
	} else {
		rejected(b)
	}
	return nil
}

type closer interface{ Close() error }

func closeAll(stages []pipeline.Stage) {
	for _, s := range stages {
		if c, ok := s.(closer); ok {
			c.Close()
		}
	}
}
