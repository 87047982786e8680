package pipeline

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"

	"github.com/winnow-corpus/winnow/read"
	"github.com/winnow-corpus/winnow/record"
)

// Between segments the kept records wait in OUTDIR/.winnow/seg-N, one
// zstd-compressed file of record JSON (record.Record's own form) per shard,
// so that a corpus stage never makes earlier stages run twice.

func intermediatePath(outDir string, seg, input, shard int) string {
	return filepath.Join(outDir, StateDir, fmt.Sprintf("seg-%d", seg), fmt.Sprintf("part-%05d-%05d.jsonl.zst", input, shard))
}

// shardedReader is a reader whose records already belong to shards.
type shardedReader interface {
	read.Reader
	shard() int  // the shard of the record Next returned last
	shards() int // how many shards the input has
}

// openInput opens input idx for this segment: the input itself for the
// first segment, what the previous segment kept for the others.
func (r *runner) openInput(idx int, in read.Input) (read.Reader, error) {
	if r.seg == 0 {
		return r.opt.Open(in)
	}
	n, ok := r.state.shards(r.seg-1, idx)
	if !ok {
		return nil, fmt.Errorf("internal error: segment %d of %s is not finished", r.seg-1, in.Path)
	}
	return &intermediateReader{outDir: r.opt.OutDir, seg: r.seg - 1, input: idx, n: n, cur: -1}, nil
}

// intermediateReader reads one input's shards of a segment, in order.
type intermediateReader struct {
	outDir        string
	seg, input, n int
	cur           int // shard being read
	f             *os.File
	zr            *zstd.Decoder
	br            *bufio.Reader
	line          int
}

func (ir *intermediateReader) Next() (*record.Record, error) {
	for {
		if ir.br == nil {
			if ir.cur+1 >= ir.n {
				return nil, io.EOF
			}
			ir.cur++
			if err := ir.open(); err != nil {
				return nil, err
			}
			continue
		}
		b, err := ir.br.ReadBytes('\n')
		if len(b) > 0 {
			ir.line++
			var rec record.Record
			if err := json.Unmarshal(b, &rec); err != nil {
				return nil, fmt.Errorf("%s line %d: %w", ir.f.Name(), ir.line, err)
			}
			return &rec, nil
		}
		if err == io.EOF {
			ir.closeShard()
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", ir.f.Name(), err)
		}
	}
}

// open opens the current shard's file; a shard with no kept records has none.
func (ir *intermediateReader) open() error {
	f, err := os.Open(intermediatePath(ir.outDir, ir.seg, ir.input, ir.cur))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1))
	if err != nil {
		f.Close()
		return err
	}
	ir.f, ir.zr, ir.br, ir.line = f, zr, bufio.NewReaderSize(zr, 1<<20), 0
	return nil
}

func (ir *intermediateReader) closeShard() {
	if ir.zr != nil {
		ir.zr.Close()
	}
	if ir.f != nil {
		ir.f.Close()
	}
	ir.f, ir.zr, ir.br = nil, nil, nil
}

func (ir *intermediateReader) shard() int                { return ir.cur }
func (ir *intermediateReader) shards() int               { return ir.n }
func (ir *intermediateReader) Consumed() int64           { return 0 }
func (ir *intermediateReader) Skipped() map[string]int64 { return nil }
func (ir *intermediateReader) Close() error              { ir.closeShard(); return nil }

// observe shows a corpus stage everything the previous segment kept, in
// corpus order, then lets it prepare its decisions.
func (r *runner) observe(ctx context.Context, cs CorpusStage) error {
	for i, in := range r.opt.Inputs {
		rd, err := r.openInput(i, in)
		if err != nil {
			return err
		}
		for {
			if ctx.Err() != nil {
				rd.Close()
				return ErrInterrupted
			}
			rec, err := rd.Next()
			if err == io.EOF {
				break
			}
			if err == nil {
				err = cs.Observe(rec)
			}
			if err != nil {
				rd.Close()
				return fmt.Errorf("%s: %w", cs.Name(), err)
			}
		}
		rd.Close()
	}
	work := filepath.Join(r.opt.OutDir, StateDir, fmt.Sprintf("work-%d", r.seg))
	if err := os.MkdirAll(work, 0o755); err != nil {
		return err
	}
	return cs.Prepare(work)
}
