package write

import (
	"bufio"

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
