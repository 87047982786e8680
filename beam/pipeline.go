// Package winnowbeam runs a winnow pipeline config on Apache Beam, so that
// the same stages that `winnow run` applies on one machine run on Flink,
// Spark or Google Dataflow (through Beam's portable runners), or in process
// on Prism.
//
// The Beam pipeline has the shape of the local runner (package pipeline):
//
//	inputs ─ read ─ stages ─┬─ corpus stage ─ stages ─ … ─ write shards
//	                        └─ rejected ───────────────── write rejected/
//
// The per-document stages are the very values pipeline.BuildStages makes,
// built once per worker from the config's YAML and called in a DoFn. The
// stage list is cut before each corpus stage (a stage that must see the whole
// corpus first, pipeline.CorpusStage), as the local runner cuts it into
// passes. Every corpus stage runs on all workers:
//
//   - exact_dedup, minhash_dedup and url_dedup: the group keys of each
//     document (exact: the hash of its normalized text; MinHash: its band
//     keys; URL: its normalized URL), computed by the stages' own exported
//     key functions, are grouped by key (GroupByKey); each group yields the
//     candidate edges the local Clusterer unites (the first member with each
//     later one, or, with MinHash verification, each later member with the
//     first earlier one whose signature sketch is similar enough); the
//     connected components of the edges are found by rounds of large-star
//     and small-star (distributedComponents), and the decisions are joined
//     back to the documents by Source.Key (CoGroupByKey). In each cluster
//     the document first in corpus order is kept, exactly as in the local
//     runner.
//   - clean (the template cleaner): each bundle counts its documents' lines
//     per host into mergeable count-min sketches (clean.TemplateCounts), a
//     global combine adds them up, and the sum is a side input to the
//     parallel cleaning. The template counts are made mergeable
//     (template.mergeable), the setting under which a local run decides the
//     same.
//   - line_dedup: each document's distinct line hashes are grouped by hash;
//     every holder of a line but the first in corpus order is told so, and
//     lines.Stage.Remove applies that to the document after a join.
//   - any other corpus stage runs as it does locally, on one worker: all
//     records reaching it are grouped under one key, observed in corpus
//     order, prepared, and processed.
//
// OUTPUT/summary.json adds up tallies made where documents are read and
// where they end (pipeline.Tally), with the local runner's counts.
//
// Records travel between transforms in their JSON form (record.Record's
// tags), as between the local runner's passes. The output is sharded
// JSONL.zst (or Parquet) of write.MarshalDoc lines, like the local runner's:
// shard names follow the same part-IIIII-SSSSS pattern (input number, shard
// of output.shard_records input records), and the documents and texts kept
// are the same.
package winnowbeam

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/dedup/exact"
	"github.com/winnow-corpus/winnow/dedup/lines"
	"github.com/winnow-corpus/winnow/dedup/minhash"
	"github.com/winnow-corpus/winnow/dedup/urls"
	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/read"
	"github.com/winnow-corpus/winnow/write"
)

// Options say what one Beam job does besides its config.
type Options struct {
	// Inputs are file paths, directories or globs; a path with a scheme
	// (gs://, s3://) is listed and read through Beam's filesystem registry.
	Inputs []string
	// Output is the output directory: a local path or a filesystem URL.
	Output string
	// KeepRejected writes removed documents to OUTPUT/rejected/.
	KeepRejected bool
	// ComponentRounds is how many rounds of large-star and small-star run
	// over the duplicate edges before the single-worker pass over the
	// clusters they did not finish (see distributedComponents): 0 means
	// DefaultComponentRounds, a negative number none.
	ComponentRounds int
}

// Build adds the pipeline for cfg to s. The inputs are listed now, at
// construction time, so that every document gets the same Source.Key (input
// number << 40 | index in its input) as in the local runner, whose corpus
// order the dedup stages follow.
func Build(ctx context.Context, s beam.Scope, cfg pipeline.Config, opt Options) error {
	if opt.Output == "" {
		return fmt.Errorf("winnow-beam: no output directory")
	}
	if _, err := write.ParseFormat(cfg.Output.Format); err != nil {
		return err
	}
	inputs, err := ListInputs(ctx, opt.Inputs)
	if err != nil {
		return err
	}
	if len(inputs) == 0 {
		return fmt.Errorf("winnow-beam: no input files in %s", strings.Join(opt.Inputs, " "))
	}
	cfg = mergeableTemplates(cfg)
	yml, err := cfg.MarshalYAML()
	if err != nil {
		return err
	}
	plan, names, err := planOf(cfg)
	if err != nil {
		return err
	}
	job := jobConfig{Config: string(yml)}

	descs := make([]string, len(inputs))
	for i, in := range inputs {
		descs[i] = in.encode()
	}
	recs, readTallies := beam.ParDo2(s.Scope("read"), &readFn{Job: job}, beam.CreateList(s, descs))
	rounds := opt.ComponentRounds
	if rounds == 0 {
		rounds = DefaultComponentRounds
	}

	var rejected []beam.PCollection
	for _, step := range plan {
		var kept, rej beam.PCollection
		scope := s.Scope(cfg.Stages[step.from].Name)
		switch step.kind {
		case clusterStep:
			kept, rej = clusterStage(scope, job, step.from, recs, rounds)
		case templateStep:
			kept, rej = templateStage(scope, job, step.from, recs)
		case linesStep:
			kept, rej = linesStage(scope, job, step.from, recs)
		case oneWorkerStep:
			kept, rej = singleWorkerStage(scope, job, step.from, recs)
		default:
			kept, rej = beam.ParDo2(s.Scope(fmt.Sprintf("stages-%d-%d", step.from, step.to)),
				&stagesFn{Job: job, From: step.from, To: step.to}, recs)
		}
		recs = kept
		rejected = append(rejected, rej)
	}
	writeShards(s.Scope("write"), job, opt.Output, pipeline.DataDir, false, cfg.Output.DecisionLog, recs)
	if opt.KeepRejected && len(rejected) > 0 {
		all := beam.Flatten(s, rejected...)
		writeShards(s.Scope("write-rejected"), job, opt.Output, pipeline.RejectedDir, true, true, all)
	}
	writeSummary(s.Scope("summary"), opt.Output, names, inputs, readTallies, recs, rejected)
	return nil
}

// mergeableTemplates returns cfg with the template counts of its clean
// stages mergeable (clean.TemplateConfig.Mergeable): on Beam they are
// counted per bundle and added up, which conservative updates do not allow.
// A local run with mergeable: true keeps the same documents and lines.
func mergeableTemplates(cfg pipeline.Config) pipeline.Config {
	stages := slices.Clone(cfg.Stages)
	for i, st := range stages {
		if p, ok := st.Params.(*clean.Config); ok && !p.Template.Mergeable {
			c := *p
			c.Template.Mergeable = true
			stages[i].Params = &c
		}
	}
	cfg.Stages = stages
	return cfg
}

// A step is a run of per-document stages [from, to), or one corpus stage
// (to = from+1).
type step struct {
	from, to int
	kind     stepKind
}

type stepKind int

const (
	documentStep  stepKind = iota // per-document stages
	clusterStep                   // a dedup.Clusterer stage, as keyed shuffles
	templateStep                  // clean: mergeable counts, side input
	linesStep                     // line_dedup, as keyed shuffles
	oneWorkerStep                 // any other corpus stage, on one worker
)

// planOf cuts the stage list into steps, building the stages once to learn
// which are corpus stages and their names (for summary.json), and to fail
// early on a bad config.
func planOf(cfg pipeline.Config) (plan []step, names []string, err error) {
	for _, spec := range cfg.Stages {
		// Refuse an index before BuildStages opens it.
		if _, _, err := clusterKeys(spec); err != nil {
			return nil, nil, err
		}
	}
	stages, err := pipeline.BuildStages(cfg.Stages)
	if err != nil {
		return nil, nil, err
	}
	defer closeAll(stages)
	for i, st := range stages {
		names = append(names, st.Name())
		if _, ok := st.(pipeline.CorpusStage); ok {
			_, cluster, err := clusterKeys(cfg.Stages[i])
			if err != nil {
				return nil, nil, err
			}
			kind := oneWorkerStep
			switch st.(type) {
			case *clean.CorpusCleaner:
				kind = templateStep
			case *lines.Stage:
				kind = linesStep
			}
			if cluster {
				kind = clusterStep
			}
			plan = append(plan, step{from: i, to: i + 1, kind: kind})
			continue
		}
		if n := len(plan); n > 0 && plan[n-1].kind == documentStep {
			plan[n-1].to = i + 1
			continue
		}
		plan = append(plan, step{from: i, to: i + 1})
	}
	return plan, names, nil
}

// ListInputs expands input arguments into numbered inputs in the local
// runner's order: local arguments through read.Expand, URLs (gs://, s3://)
// through the Beam filesystem's List, sorted. Local inputs come first, in
// the order read.Expand gives them, then remote ones.
func ListInputs(ctx context.Context, args []string) ([]Input, error) {
	var local, remote []string
	for _, a := range args {
		if strings.Contains(a, "://") {
			remote = append(remote, a)
		} else {
			local = append(local, a)
		}
	}
	var out []Input
	if len(local) > 0 {
		ins, err := read.Expand(local)
		if err != nil {
			return nil, err
		}
		for _, in := range ins {
			if in.Path == "-" {
				return nil, fmt.Errorf("winnow-beam: standard input cannot be read on Beam")
			}
			out = append(out, Input{Input: in})
		}
	}
	seen := map[string]bool{}
	for _, glob := range remote {
		fs, err := filesystem.New(ctx, glob)
		if err != nil {
			return nil, err
		}
		names, err := fs.List(ctx, glob)
		fs.Close()
		if err != nil {
			return nil, fmt.Errorf("listing %s: %w", glob, err)
		}
		if len(names) == 0 {
			return nil, fmt.Errorf("winnow-beam: %s matches no files", glob)
		}
		sort.Strings(names)
		for _, n := range names {
			if !seen[n] {
				seen[n] = true
				out = append(out, Input{Input: read.Input{Path: n}, Remote: true})
			}
		}
	}
	for i := range out {
		out[i].Number = i
	}
	return out, nil
}

// clusterKeys returns the key function of a dedup stage that runs as keyed
// shuffles, and whether spec is one. A persistent index (index_dir) needs one
// process to own it, so it is refused on Beam.
func clusterKeys(spec pipeline.StageSpec) (clusterSpec, bool, error) {
	var cs clusterSpec
	switch p := spec.Params.(type) {
	case *exact.Config:
		if p.IndexDir != "" {
			return cs, false, errIndex(spec.Name)
		}
		n := p.Normalization
		cs = clusterSpec{name: exact.Name, reason: exact.Reason,
			keys: func(dst []uint64, _ []byte, text, _ string) []uint64 {
				if h, ok := exact.Hash(n, text); ok {
					dst = append(dst, h)
				}
				return dst
			}}
	case *minhash.Config:
		if p.IndexDir != "" {
			return cs, false, errIndex(spec.Name)
		}
		h, err := minhash.NewHasher(*p)
		if err != nil {
			return cs, false, err
		}
		cs = clusterSpec{name: minhash.Name, reason: minhash.Reason, keys: h.KeysSketch}
		if p.VerifyThreshold > 0 {
			cs.sketchBytes, cs.similar = p.Bands*p.Rows, h.Similar
		}
	case *urls.Config:
		if p.IndexDir != "" {
			return cs, false, errIndex(spec.Name)
		}
		cs = clusterSpec{name: urls.Name, reason: urls.Reason, keys: urls.Keys}
	default:
		return cs, false, nil
	}
	return cs, true, nil
}

func errIndex(stage string) error {
	return fmt.Errorf("%s: index_dir is not supported on Beam (a persistent index needs one process); run without it", stage)
}

// clusterSpec is what the Beam transforms need of a dedup.Clusterer stage:
// the same key function, sketch size and similarity test.
type clusterSpec struct {
	name, reason string
	keys         func(dst []uint64, sketch []byte, text, url string) []uint64
	sketchBytes  int
	similar      func(a, b []byte) bool
}
