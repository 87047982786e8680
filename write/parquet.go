package write

import (
	json "github.com/goccy/go-json"
	"github.com/parquet-go/parquet-go"

	"github.com/winnow-corpus/winnow/record"
)

// parquetRow is the Parquet schema of a written document.
type parquetRow struct {
	ID       string `parquet:"id"`
	Text     string `parquet:"text"`
	URL      string `parquet:"url"`
	Metadata string `parquet:"metadata"` // a JSON object
}

type parquetWriter struct {
	f   *atomicFile
	pw  *parquet.GenericWriter[parquetRow]
	opt Options
	row []parquetRow
}

func newParquetWriter(f *atomicFile, opt Options) *parquetWriter {
	pw := parquet.NewGenericWriter[parquetRow](f, parquet.Compression(&parquet.Zstd))
	return &parquetWriter{f: f, pw: pw, opt: opt, row: make([]parquetRow, 1)}
}

func (w *parquetWriter) Write(r *record.Record) error {
	d := docOf(r, w.opt)
	meta, err := json.MarshalWithOption(d.Metadata, json.DisableHTMLEscape())
	if err != nil {
		return err
	}
	w.row[0] = parquetRow{ID: d.ID, Text: d.Text, URL: d.URL, Metadata: string(meta)}
	_, err = w.pw.Write(w.row)
	return err
}

func (w *parquetWriter) Commit() error {
	if err := w.pw.Close(); err != nil {
		w.f.abort()
		return err
	}
	return w.f.commit()
}

func (w *parquetWriter) Abort() error {
	w.pw.Close()
	return w.f.abort()
}
