package pipeline

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/read"
	"github.com/winnow-corpus/winnow/record"
	"github.com/winnow-corpus/winnow/write"
)

// Options control one local run. The config (what to do) and the options
// (where and how fast) are kept apart: the output depends on the config and
// the inputs only, never on Workers.
type Options struct {
	Inputs []read.Input
	OutDir string
	// Workers is the number of goroutines running stages; 0 means all cores.
	Workers int
	// KeepRejected writes removed documents to OUTDIR/rejected/.
	KeepRejected bool
	// Strict makes the first input problem fatal.
	Strict bool
	// Open opens an input; nil means read.Open with the config's field names.
	Open func(read.Input) (read.Reader, error)
	// Log receives problems and progress lines; nil means os.Stderr.
	Log io.Writer
	// Progress, if set, is called about every Interval with running totals.
	Progress func(Progress)
	// Interval between Progress calls; 0 means one second.
	Interval time.Duration
}

// Progress is a snapshot of a running job.
type Progress struct {
	// Pass and Passes number the passes over the corpus: one, plus one for
	// each corpus stage (dedup, the template cleaner). Bytes count only in
	// the first pass, which reads the inputs.
	Pass, Passes int
	Docs         int64 // documents finished in this pass by this process (not counting resumed work)
	Bytes        int64 // input bytes consumed, resumed inputs included
	TotalBytes   int64
	Elapsed      time.Duration
}

// ErrInterrupted is returned when the run's context is cancelled. Finished
// shards are kept; the same command resumes.
var ErrInterrupted = errors.New("interrupted")

// Layout of OUTDIR.
const (
	DataDir     = "data"
	RejectedDir = "rejected"
	RemovedDir  = "removed" // the decision log of kept documents
	StateDir    = ".winnow"
	SummaryFile = "summary.json"
)

// batch sizes: a batch is the unit handed to a worker.
const (
	batchRecords = 256
	batchBytes   = 1 << 20
)

// item is one read slot: a document, or a document lost to a read problem.
type item struct {
	rec     *record.Record
	lost    *read.Problem
	inBytes int    // text and HTML bytes as read
	line    []byte // the record's JSON line, encoded by the worker (JSONL output)
}

type batch struct {
	seq      int64 // position among the input's batches
	shard    int
	items    []item
	problems []*read.Problem // located problems seen while reading this batch
	last     bool            // last batch of its shard
	final    bool            // last batch of the input
	// cancelled marks the end of an interrupted input: nothing follows.
	cancelled bool
	skipped   map[string]int64
}

// Run runs stages over the inputs and writes the corpus to opt.OutDir.
//
// Work is split into shards of cfg.Output.ShardRecords input records. Each
// shard's output files and its counts appear under their final names only
// when complete, so a run killed at any moment and started again with the
// same inputs and config skips finished shards and ends with the same bytes.
func Run(ctx context.Context, cfg Config, stages []Stage, opt Options) (*Summary, error) {
	start := time.Now()
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	if opt.Log == nil {
		opt.Log = os.Stderr
	}
	if opt.Open == nil {
		ro := read.Options{IDField: cfg.Input.IDField, TextField: cfg.Input.TextField, URLField: cfg.Input.URLField}
		opt.Open = func(in read.Input) (read.Reader, error) { return read.Open(in, ro) }
	}
	format, err := write.ParseFormat(cfg.Output.Format)
	if err != nil {
		return nil, err
	}
	st, err := openState(opt.OutDir, cfg, opt)
	if err != nil {
		return nil, err
	}
	ok := false
	defer func() {
		if !ok {
			closeStages(stages, false)
		}
	}()
	segs := segments(stages)
	var docs, bytesDone int64
	for j, seg := range segs {
		r := &runner{cfg: cfg, opt: opt, stages: seg, format: format, state: st, seg: j, last: j == len(segs)-1, passes: len(segs)}
		if j == 0 {
			for _, in := range opt.Inputs {
				r.totalBytes += in.Size
			}
		}
		if j > 0 && !st.segmentDone(j, len(opt.Inputs)) {
			// A segment after the first starts with its corpus stage.
			if err := r.observe(ctx, seg[0].(CorpusStage)); err != nil {
				return nil, err
			}
			if err := st.saveStageStats(j, seg[0]); err != nil {
				return nil, err
			}
		}
		if err := r.run(ctx); err != nil {
			return nil, err
		}
		docs += r.docs.Load()
		if j == 0 {
			bytesDone = r.bytesDone.Load()
		}
	}
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = s.Name()
	}
	sum := summarize(names, opt.Inputs, st.allStats(), len(segs)-1)
	for i := range sum.Stages {
		sum.Stages[i].Details = st.stageStats(sum.Stages[i].Name)
	}
	sum.Seconds = time.Since(start).Seconds()
	if sum.Seconds > 0 {
		sum.DocsPerS = float64(docs) / sum.Seconds
		sum.MBPerS = float64(bytesDone) / 1e6 / sum.Seconds
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := write.WriteFileAtomic(filepath.Join(opt.OutDir, SummaryFile), append(b, '\n')); err != nil {
		return nil, err
	}
	ok = true
	if err := closeStages(stages, true); err != nil {
		return nil, err
	}
	// Every segment is done: the records kept between segments, and the
	// corpus stages' work files, are needed no more.
	for _, pattern := range []string{"seg-*", "work-*", "tmp"} {
		dirs, _ := filepath.Glob(filepath.Join(opt.OutDir, StateDir, pattern))
		for _, d := range dirs {
			os.RemoveAll(d)
		}
	}
	return sum, nil
}

// closeStages releases what stages hold. After a good run Close commits
// (a dedup index learns the documents written); after a failed one Abandon
// drops what a stage would have committed.
func closeStages(stages []Stage, good bool) error {
	var first error
	for _, s := range stages {
		if a, ok := s.(abandoner); ok && !good {
			a.Abandon()
			continue
		}
		if c, ok := s.(Closer); ok {
			if err := c.Close(); err != nil && first == nil {
				first = fmt.Errorf("%s: %w", s.Name(), err)
			}
		}
	}
	return first
}

// segments cuts the stage list before each CorpusStage: a segment runs as one
// parallel pass, and a corpus stage first observes everything the previous
// segment kept. A list with no corpus stage is one segment; a list that
// starts with one has an empty first segment, which reads the inputs into the
// intermediate store for it to observe.
func segments(stages []Stage) [][]Stage {
	segs := [][]Stage{nil}
	for _, s := range stages {
		if _, ok := s.(CorpusStage); ok {
			segs = append(segs, nil)
		}
		segs[len(segs)-1] = append(segs[len(segs)-1], s)
	}
	return segs
}

// runner runs one segment of the stages over the whole corpus.
type runner struct {
	cfg    Config
	opt    Options
	stages []Stage
	format write.Format
	state  *state
	// seg numbers the segment; segment 0 reads the inputs, a later one
	// reads what the previous one kept (OUTDIR/.winnow/seg-N).
	seg int
	// last is true for the segment that writes the corpus to OUTDIR/data;
	// the others write the intermediate format for the next.
	last   bool
	passes int // segments in the run

	totalBytes int64
	docs       atomic.Int64 // documents processed by this process
	bytesDone  atomic.Int64 // bytes of inputs finished
	active     sync.Map     // input index -> *feeder, for progress
	problems   atomic.Int64 // input problems met by this process

	failOnce sync.Once
	failErr  error
	cancel   context.CancelFunc
}

// maxLoggedProblems bounds the problems printed as they are met; all are
// counted, and the first ones listed, in summary.json.
const maxLoggedProblems = 100

// logProblem prints a located input problem, up to maxLoggedProblems.
func (r *runner) logProblem(p *read.Problem) {
	switch n := r.problems.Add(1); {
	case n <= maxLoggedProblems:
		fmt.Fprintf(r.opt.Log, "winnow: %v\n", p)
	case n == maxLoggedProblems+1:
		fmt.Fprintf(r.opt.Log, "winnow: more input problems; they are counted in %s\n", SummaryFile)
	}
}

func (r *runner) fail(err error) {
	r.failOnce.Do(func() {
		r.failErr = err
		r.cancel()
	})
}

func (r *runner) run(parent context.Context) error {
	if r.state.segmentDone(r.seg, len(r.opt.Inputs)) {
		return nil
	}
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	r.cancel = cancel

	work := make(chan workItem, r.opt.Workers)
	var workers sync.WaitGroup
	for range r.opt.Workers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			for w := range work {
				r.process(w.b)
				w.done <- w.b
			}
		}()
	}

	concurrent := min(r.opt.Workers, max(1, len(r.opt.Inputs)))
	perInput := max(4, 2*r.opt.Workers/concurrent+2)
	next := make(chan int)
	var inputs sync.WaitGroup
	for range concurrent {
		inputs.Add(1)
		go func() {
			defer inputs.Done()
			for i := range next {
				if err := r.runInput(ctx, i, work, perInput); err != nil {
					r.fail(err)
				}
			}
		}()
	}

	stopProgress := r.startProgress(ctx)
feed:
	for i := range r.opt.Inputs {
		if r.state.inputDone(r.seg, i) {
			r.bytesDone.Add(r.opt.Inputs[i].Size)
			continue
		}
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	inputs.Wait()
	close(work)
	workers.Wait()
	stopProgress()

	if r.failErr != nil {
		return r.failErr
	}
	if parent.Err() != nil {
		return ErrInterrupted
	}
	return nil
}

type workItem struct {
	b    *batch
	done chan<- *batch
}

// process runs the stages over one batch, in place.
func (r *runner) process(b *batch) {
	for i := range b.items {
		it := &b.items[i]
		if it.rec == nil {
			continue
		}
		for _, s := range r.stages {
			if !r.apply(s, it.rec) {
				if it.rec.Rejection == nil {
					it.rec.Reject(s.Name(), "rejected", "")
				}
				break
			}
		}
		r.encode(it)
		r.docs.Add(1)
	}
}

// encode turns a processed record into the line its shard will hold, here in
// the worker so that the writer is left only compression: the corpus layout
// for the last segment's kept documents and every rejected one (JSONL
// output), the record's own JSON form for the next segment.
func (r *runner) encode(it *item) {
	rec := it.rec
	var line []byte
	var err error
	switch {
	case rec.Rejection == nil && !r.last:
		line, err = json.MarshalWithOption(rec, json.DisableHTMLEscape())
	case rec.Rejection != nil && !r.opt.KeepRejected:
		return
	case r.format == write.JSONLZstd:
		line, err = write.MarshalDoc(rec, r.writeOptions(rec.Rejection != nil))
	default:
		return // Parquet: the writer encodes
	}
	if err != nil {
		// Metadata JSON cannot hold (a NaN, say): reject the record rather
		// than stop the run, and encode it again without the metadata.
		rec.Rejection = &record.Rejection{Stage: "write", Reason: "unencodable", Detail: err.Error()}
		rec.Metadata = nil
		if r.opt.KeepRejected && r.format == write.JSONLZstd {
			line, err = write.MarshalDoc(rec, r.writeOptions(true))
		}
		if err != nil || !r.opt.KeepRejected {
			return
		}
	}
	it.line = append(line, '\n')
}

// writeOptions says what goes into a written record's metadata.
func (r *runner) writeOptions(rejected bool) write.Options {
	if rejected {
		return write.Options{Rejected: true, DecisionLog: true}
	}
	return write.Options{DecisionLog: r.cfg.Output.DecisionLog}
}

// apply runs one stage, turning a panic into a rejection: a bug met on one
// odd document must not stop a run over terabytes.
func (r *runner) apply(s Stage, rec *record.Record) (keep bool) {
	defer func() {
		if p := recover(); p != nil {
			rec.Rejection = &record.Rejection{Stage: s.Name(), Reason: "stage_panic", Detail: fmt.Sprint(p)}
			fmt.Fprintf(r.opt.Log, "winnow: stage %s panicked on %s (%s offset %d): %v\n", s.Name(), rec.ID, rec.Source.File, rec.Source.Offset, p)
			keep = false
		}
	}()
	return s.Process(rec)
}

// runInput reads one input, hands its batches to the workers, and writes the
// results in input order.
func (r *runner) runInput(ctx context.Context, idx int, work chan<- workItem, perInput int) error {
	in := r.opt.Inputs[idx]
	f := &feeder{r: r, ctx: ctx, idx: idx, work: work,
		sem:  make(chan struct{}, perInput),
		done: make(chan *batch, perInput+1)}
	writeErr := make(chan error, 1)
	go func() { writeErr <- r.writeInput(idx, f.done, f.sem) }()

	readErr := f.readInput(in)
	if !f.finished {
		f.cancelled(&batch{seq: f.seq})
	}
	if err := <-writeErr; err != nil {
		return err
	}
	if readErr == nil && ctx.Err() == nil {
		r.bytesDone.Add(in.Size)
	}
	return readErr
}

// feeder sends one input's batches on their way: to the workers, or
// straight to the writer for shards a previous run finished. Each batch
// holds a place in sem until the writer has written it, which bounds the
// memory one input can hold whatever the speed of the stages.
type feeder struct {
	r        *runner
	ctx      context.Context
	idx      int
	work     chan<- workItem
	sem      chan struct{}
	done     chan *batch
	seq      int64
	finished bool         // the last batch (final or cancelled) is sent
	consumed atomic.Int64 // input bytes read, for progress
}

// send numbers and sends b; false means the run was cancelled.
func (f *feeder) send(b *batch) bool {
	b.seq = f.seq
	f.seq++
	select {
	case f.sem <- struct{}{}:
	case <-f.ctx.Done():
		f.cancelled(b)
		return false
	}
	if b.final {
		f.finished = true
	}
	if f.r.state.shardDone(f.r.seg, f.idx, b.shard) {
		f.done <- b // already written: the writer only releases its place
		return true
	}
	select {
	case f.work <- workItem{b: b, done: f.done}:
		return true
	case <-f.ctx.Done():
		f.cancelled(b)
		return false
	}
}

// cancelled tells the writer that nothing follows b: it writes what came
// before and drops the unfinished shard. done has room for it: at most
// cap(sem) batches are ever out.
func (f *feeder) cancelled(b *batch) {
	b.items, b.cancelled, b.final = nil, true, false
	f.finished = true
	f.done <- b
}

// readInput reads the input into batches, cut at shard boundaries (every
// ShardRecords read slots), and sends them.
func (f *feeder) readInput(in read.Input) error {
	r := f.r
	perShard := int64(r.cfg.Output.ShardRecords)
	rd, err := r.openInput(f.idx, in)
	if err != nil {
		// The whole input is unreadable: report it and move on, as with any
		// other bad input, unless strict.
		p := &read.Problem{File: in.Path, Err: err}
		if r.opt.Strict {
			return p
		}
		if !r.state.shardDone(r.seg, f.idx, 0) {
			r.logProblem(p)
		}
		f.send(&batch{problems: []*read.Problem{p}, last: true, final: true})
		return nil
	}
	defer rd.Close()
	r.active.Store(f.idx, f)
	defer r.active.Delete(f.idx)

	// Which shard a record belongs to: every ShardRecords read slots for
	// the inputs; the shard it was written to for a later segment's reader.
	sr, _ := rd.(shardedReader)
	var slot int64 // read slots so far: documents and lost documents
	shardOf := func() int {
		if sr != nil {
			return sr.shard()
		}
		return int(slot / perShard)
	}
	var (
		cur         = &batch{}
		curBytes    int
		lastSkipped = map[string]int64{}
	)
	skippedSince := func() map[string]int64 {
		d := map[string]int64{}
		for k, v := range rd.Skipped() {
			if v != lastSkipped[k] {
				d[k] = v - lastSkipped[k]
				lastSkipped[k] = v
			}
		}
		return d
	}
	// closeShards ends the current shard, and any empty ones after it, up
	// to (not including) shard upTo.
	closeShards := func(upTo int) bool {
		for cur.shard < upTo {
			cur.last, cur.skipped = true, skippedSince()
			next := cur.shard + 1
			if !f.send(cur) {
				return false
			}
			cur, curBytes = &batch{shard: next}, 0
		}
		return true
	}
	for f.ctx.Err() == nil {
		rec, err := rd.Next()
		f.consumed.Store(rd.Consumed())
		if err == io.EOF {
			break
		}
		var p *read.Problem
		if err != nil {
			fatal := !errors.As(err, &p)
			if fatal {
				p = &read.Problem{File: in.Path, Offset: rd.Consumed(), Err: fmt.Errorf("%w (rest of input skipped)", err)}
			}
			if r.opt.Strict {
				return p
			}
			if !r.state.shardDone(r.seg, f.idx, shardOf()) {
				r.logProblem(p)
			}
			cur.problems = append(cur.problems, p)
			if fatal {
				break
			}
			if !p.Lost {
				continue
			}
		}
		if !closeShards(shardOf()) {
			return nil
		}
		if rec != nil {
			if r.seg == 0 {
				rec.Source.Key = uint64(f.idx)<<40 | uint64(rec.Source.Index)
				if rec.Source.File == "" {
					rec.Source.File = in.Path
				}
			}
			n := len(rec.Text) + len(rec.HTML)
			curBytes += n
			cur.items = append(cur.items, item{rec: rec, inBytes: n})
		} else {
			cur.items = append(cur.items, item{lost: p})
		}
		slot++
		if len(cur.items) >= batchRecords || curBytes >= batchBytes {
			if !f.send(cur) {
				return nil
			}
			cur, curBytes = &batch{shard: cur.shard}, 0
		}
	}
	if f.ctx.Err() != nil {
		return nil
	}
	// Close every shard through the input's last. For inputs that is the
	// shard the next record would have gone to: when the input ended exactly
	// at a shard boundary it is a shard of its own with no records, which
	// marks the input done.
	lastShard := int(slot / perShard)
	if sr != nil {
		lastShard = sr.shards() - 1
	}
	if !closeShards(lastShard) {
		return nil
	}
	cur.last, cur.final, cur.skipped = true, true, skippedSince()
	f.send(cur)
	return nil
}

// writeInput receives processed batches in any order and writes them in
// input order, committing each shard when its last batch is written. It
// returns after the input's final batch, or a cancelled one.
func (r *runner) writeInput(idx int, done <-chan *batch, sem <-chan struct{}) error {
	pending := map[int64]*batch{}
	var next int64
	var sh *shardWriter
	defer func() {
		if sh != nil {
			sh.abort()
		}
	}()
	var firstErr error
	for {
		b := <-done
		pending[b.seq] = b
		for {
			b, ok := pending[next]
			if !ok {
				break
			}
			delete(pending, next)
			next++
			if b.cancelled {
				return firstErr
			}
			if firstErr == nil && !r.state.shardDone(r.seg, idx, b.shard) {
				if err := r.writeBatch(&sh, idx, b); err != nil {
					firstErr = err
					r.fail(err)
				}
			}
			<-sem
			if b.final {
				return firstErr
			}
		}
	}
}

// writeBatch adds b to the open shard, opening it first if needed, and
// commits the shard on its last batch.
func (r *runner) writeBatch(sh **shardWriter, idx int, b *batch) error {
	if *sh == nil {
		*sh = r.newShardWriter(idx, b.shard)
	} else if (*sh).shard != b.shard {
		return fmt.Errorf("internal error: shard %d of input %d was not closed", (*sh).shard, idx)
	}
	if err := (*sh).add(b); err != nil {
		return err
	}
	if !b.last {
		return nil
	}
	(*sh).stats.Final = b.final
	(*sh).stats.Committed = time.Now().Unix()
	err := (*sh).commit()
	*sh = nil
	return err
}

func (r *runner) startProgress(ctx context.Context) (stop func()) {
	if r.opt.Progress == nil {
		return func() {}
	}
	interval := r.opt.Interval
	if interval <= 0 {
		interval = time.Second
	}
	start := time.Now()
	quit := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	snapshot := func() Progress {
		bytes := r.bytesDone.Load()
		r.active.Range(func(_, v any) bool {
			bytes += v.(*feeder).consumed.Load()
			return true
		})
		return Progress{Pass: r.seg + 1, Passes: r.passes, Docs: r.docs.Load(), Bytes: min(bytes, r.totalBytes), TotalBytes: r.totalBytes, Elapsed: time.Since(start)}
	}
	go func() {
		defer wg.Done()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-t.C:
				r.opt.Progress(snapshot())
			case <-quit:
				r.opt.Progress(snapshot())
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return func() { close(quit); wg.Wait() }
}

// shardWriter writes one shard: its kept documents, its rejected ones, and
// finally its counts, which mark it done.
type shardWriter struct {
	r            *runner
	input, shard int
	kept, rej    write.ShardWriter
	removed      *write.RawShard // the decision log of kept documents
	stats        *shardStats
}

func (r *runner) newShardWriter(input, shard int) *shardWriter {
	return &shardWriter{r: r, input: input, shard: shard, stats: newShardStats(r.seg, input, shard)}
}

// keptPath is where a shard's kept documents go: the corpus for the last
// segment, the intermediate store for the others.
func (r *runner) keptPath(input, shard int) string {
	if r.last {
		return filepath.Join(r.opt.OutDir, DataDir, fmt.Sprintf("part-%05d-%05d%s", input, shard, r.format.Ext()))
	}
	return intermediatePath(r.opt.OutDir, r.seg, input, shard)
}

// rejectedPath names a shard's rejected documents; segments after the first
// add their number, since each segment rejects from the same shard.
func (r *runner) rejectedPath(input, shard int) string {
	name := fmt.Sprintf("part-%05d-%05d", input, shard)
	if r.seg > 0 {
		name += fmt.Sprintf("-%d", r.seg)
	}
	return filepath.Join(r.opt.OutDir, RejectedDir, name+r.format.Ext())
}

func (w *shardWriter) add(b *batch) error {
	st := w.stats
	addMap(st.Skipped, b.skipped)
	for _, p := range b.problems {
		st.Problems++
		if len(st.Listed) < maxListedProblems {
			st.Listed = append(st.Listed, reportOf(p))
		}
	}
	for _, it := range b.items {
		st.Read++
		if it.rec == nil {
			st.Unreadable++
			continue
		}
		rec := it.rec
		st.TextIn += int64(it.inBytes)
		st.addPassEnd(rec, w.r.last)
		if rec.Rejection != nil {
			if !w.r.opt.KeepRejected {
				continue
			}
			if w.rej == nil {
				var err error
				w.rej, err = write.Create(w.r.rejectedPath(w.input, w.shard), w.r.format, w.r.writeOptions(true))
				if err != nil {
					return err
				}
			}
			if err := writeItem(w.rej, it); err != nil {
				return err
			}
			continue
		}
		if w.kept == nil {
			var err error
			format := w.r.format
			if !w.r.last {
				format = write.JSONLZstd
			}
			w.kept, err = write.Create(w.r.keptPath(w.input, w.shard), format, w.r.writeOptions(false))
			if err != nil {
				return err
			}
		}
		if err := writeItem(w.kept, it); err != nil {
			return err
		}
		if err := w.logRemoved(rec); err != nil {
			return err
		}
	}
	return nil
}

// logRemoved writes the lines stages removed from a kept document to the
// shard's decision log, OUTDIR/removed/, when they are not in its metadata
// already (output.decision_log): the corpus stays lean, and the report and the
// inspector can still show every removal.
func (w *shardWriter) logRemoved(rec *record.Record) error {
	if !w.r.last || w.r.cfg.Output.DecisionLog || len(rec.Removed) == 0 {
		return nil
	}
	if w.removed == nil {
		var err error
		w.removed, err = write.CreateRaw(filepath.Join(w.r.opt.OutDir, RemovedDir, fmt.Sprintf("part-%05d-%05d.jsonl.zst", w.input, w.shard)))
		if err != nil {
			return err
		}
	}
	line, err := json.MarshalWithOption(removedEntry{ID: rec.ID, Removed: rec.Removed}, json.DisableHTMLEscape())
	if err != nil {
		return err
	}
	return w.removed.WriteLine(append(line, '\n'))
}

// removedEntry is one line of OUTDIR/removed/: a kept document's id and the
// lines removed from it, in the layout of metadata.removed_lines.
type removedEntry struct {
	ID      string               `json:"id"`
	Removed []record.RemovedLine `json:"removed_lines"`
}

// writeItem writes the line a worker encoded, or the record itself.
func writeItem(sw write.ShardWriter, it item) error {
	if lw, ok := sw.(write.LineWriter); ok && it.line != nil {
		return lw.WriteLine(it.line)
	}
	return sw.Write(it.rec)
}

func (w *shardWriter) writers() []write.ShardWriter {
	var out []write.ShardWriter
	for _, sw := range []write.ShardWriter{w.kept, w.rej} {
		if sw != nil {
			out = append(out, sw)
		}
	}
	if w.removed != nil {
		out = append(out, w.removed)
	}
	return out
}

func (w *shardWriter) commit() error {
	for _, sw := range w.writers() {
		if err := sw.Commit(); err != nil {
			return err
		}
	}
	w.kept, w.rej, w.removed = nil, nil, nil
	return w.r.state.markDone(w.stats)
}

func (w *shardWriter) abort() {
	for _, sw := range w.writers() {
		sw.Abort()
	}
}

// state is the resume state in OUTDIR/.winnow: the run's manifest and one
// counts file per finished shard and segment.
type state struct {
	dir  string
	mu   sync.Mutex
	done map[[3]int]*shardStats // segment, input, shard
	// final[segment, input] is the number of shards of an input once its
	// last one is done.
	final map[[2]int]int
}

// manifest identifies a run: resuming with other inputs or another config
// would mix two corpora, so it is refused.
type manifest struct {
	Config       string   `json:"config"`
	Inputs       []string `json:"inputs"`
	KeepRejected bool     `json:"keep_rejected"`
}

func openState(outDir string, cfg Config, opt Options) (*state, error) {
	dir := filepath.Join(outDir, StateDir)
	if err := os.MkdirAll(filepath.Join(dir, "shards"), 0o755); err != nil {
		return nil, err
	}
	y, err := cfg.MarshalYAML()
	if err != nil {
		return nil, err
	}
	m := manifest{Config: string(y), KeepRejected: opt.KeepRejected}
	for _, in := range opt.Inputs {
		m.Inputs = append(m.Inputs, fmt.Sprintf("%s\t%s\t%d", in.Path, in.Format, in.Size))
	}
	mb, _ := json.MarshalIndent(m, "", "  ")
	mpath := filepath.Join(dir, "run.json")
	if old, err := os.ReadFile(mpath); err == nil {
		if string(old) != string(mb) {
			return nil, fmt.Errorf("%s holds a run with other inputs or another config; use a new output directory, or remove it to start over", outDir)
		}
	} else if err := write.WriteFileAtomic(mpath, mb); err != nil {
		return nil, err
	}
	s := &state{dir: dir, done: map[[3]int]*shardStats{}, final: map[[2]int]int{}}
	entries, err := os.ReadDir(filepath.Join(dir, "shards"))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, "shards", e.Name()))
		if err != nil {
			return nil, err
		}
		var st shardStats
		if err := json.Unmarshal(b, &st); err != nil {
			return nil, fmt.Errorf("resume state %s: %w", e.Name(), err)
		}
		s.record(&st)
	}
	// Unfinished shards of an interrupted run are never read; clear them.
	for _, dir := range []string{DataDir, RejectedDir, RemovedDir, StateDir + "/seg-*"} {
		matches, _ := filepath.Glob(filepath.Join(outDir, dir, "*"+write.TempSuffix))
		for _, m := range matches {
			os.Remove(m)
		}
	}
	return s, nil
}

func (s *state) record(st *shardStats) {
	s.done[[3]int{st.Segment, st.Input, st.Shard}] = st
	if st.Final {
		s.final[[2]int{st.Segment, st.Input}] = st.Shard + 1
	}
}

func (s *state) shardDone(seg, input, shard int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.done[[3]int{seg, input, shard}]
	return ok
}

// shards returns how many shards an input has in a segment, once known.
func (s *state) shards(seg, input int) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.final[[2]int{seg, input}]
	return n, ok
}

// inputDone reports whether every shard of an input is written.
func (s *state) inputDone(seg, input int) bool {
	n, ok := s.shards(seg, input)
	if !ok {
		return false
	}
	for i := range n {
		if !s.shardDone(seg, input, i) {
			return false
		}
	}
	return true
}

// segmentDone reports whether a segment has finished every input.
func (s *state) segmentDone(seg, inputs int) bool {
	for i := range inputs {
		if !s.inputDone(seg, i) {
			return false
		}
	}
	return true
}

func (s *state) markDone(st *shardStats) error {
	b, err := json.Marshal(st)
	if err != nil {
		return err
	}
	path := filepath.Join(s.dir, "shards", fmt.Sprintf("%d-%05d-%05d.json", st.Segment, st.Input, st.Shard))
	if err := write.WriteFileAtomic(path, b); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.record(st)
	return nil
}

// saveStageStats keeps what a corpus stage reports of its decisions (its
// Stats method, if it has one: cluster sizes, say) for summary.json, since a
// resumed run that finds the segment done does not run the stage again.
func (s *state) saveStageStats(seg int, st Stage) error {
	m := reflect.ValueOf(st).MethodByName("Stats")
	if !m.IsValid() || m.Type().NumIn() != 0 || m.Type().NumOut() != 1 {
		return nil
	}
	b, err := json.Marshal(m.Call(nil)[0].Interface())
	if err != nil {
		return err
	}
	return write.WriteFileAtomic(filepath.Join(s.dir, "stages", fmt.Sprintf("%d-%s.json", seg, st.Name())), b)
}

// stageStats returns the saved stats of a stage, or nil.
func (s *state) stageStats(name string) json.RawMessage {
	matches, _ := filepath.Glob(filepath.Join(s.dir, "stages", "*-"+name+".json"))
	if len(matches) == 0 {
		return nil
	}
	b, err := os.ReadFile(matches[0])
	if err != nil {
		return nil
	}
	return b
}

func (s *state) allStats() []*shardStats {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*shardStats, 0, len(s.done))
	for _, st := range s.done {
		out = append(out, st)
	}
	return out
}
