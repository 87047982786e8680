package write

import (
	"bufio"
	"errors"

	"github.com/klauspost/compress/zstd"

	"github.com/winnow-corpus/winnow/record"
)

// jsonlWriter writes zstd-compressed JSON lines.
type jsonlWriter struct {
	f   *atomicFile
	buf *bufio.Writer
	zw  *zstd.Encoder
	opt Options
}

func newJSONLWriter(f *atomicFile, opt Options) (*jsonlWriter, error) {
	buf := bufio.NewWriterSize(f, 1<<20)
	// One encoder goroutine: the runner already uses every core, and a
	// single-threaded encoder gives the same bytes on every machine.
	zw, err := zstd.NewWriter(buf, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(zstd.SpeedDefault))
	if err != nil {
		f.abort()
		return nil, err
	}
	return &jsonlWriter{f: f, buf: buf, zw: zw, opt: opt}, nil
}

func (w *jsonlWriter) Write(r *record.Record) error {
	b, err := MarshalDoc(r, w.opt)
	if err != nil {
		return err
	}
	b = append(b, '\n')
	_, err = w.zw.Write(b)
	return err
}

// WriteLine writes one line encoded by MarshalDoc, newline included.
func (w *jsonlWriter) WriteLine(line []byte) error {
	_, err := w.zw.Write(line)
	return err
}

func (w *jsonlWriter) Commit() error {
	if err := w.zw.Close(); err != nil {
		w.f.abort()
		return err
	}
	if err := w.buf.Flush(); err != nil {
		w.f.abort()
		return err
	}
	return w.f.commit()
}

func (w *jsonlWriter) Abort() error {
	w.zw.Close()
	return w.f.abort()
}

// RawShard is a zstd-compressed shard of lines the caller encodes itself
// (a decision log, say), committed atomically like the others.
type RawShard struct{ w *jsonlWriter }

// CreateRaw opens a raw shard for path (its final name).
func CreateRaw(path string) (*RawShard, error) {
	sw, err := Create(path, JSONLZstd, Options{})
	if err != nil {
		return nil, err
	}
	return &RawShard{w: sw.(*jsonlWriter)}, nil
}

// WriteLine writes one line, newline included.
func (s *RawShard) WriteLine(line []byte) error { return s.w.WriteLine(line) }

// Write is not for raw shards: their lines are encoded by the caller.
func (s *RawShard) Write(*record.Record) error {
	return errors.New("write: a raw shard takes encoded lines only")
}

func (s *RawShard) Commit() error { return s.w.Commit() }
func (s *RawShard) Abort() error  { return s.w.Abort() }
