package read

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/parquet-go/parquet-go"
	"github.com/winnow-corpus/winnow/record"
)

// parquetReader reads one document per row of a Parquet file, a row group at
// a time and a few rows at a time within it, so memory stays bounded by the
// page buffers, not the file. Parquet rows have no byte position: Offset in
// Source and Problem is the row number in the file.
//
// The id, text and url columns are found by name among the top-level
// columns. Every other top-level scalar column goes into Metadata; nested,
// repeated and list columns are left out.
type parquetReader struct {
	file   string
	f      *os.File
	pf     *parquet.File
	size   int64
	groups []parquet.RowGroup
	group  int
	rows   parquet.Rows
	buf    []parquet.Row
	n, i   int // rows in buf, next row in buf
	row    int64
	index  int64
	total  int64
	cols   []parquetCol // by leaf column index
	textC  int
	out    outbox
	done   bool
	err    error
}

// parquetCol says what to do with one leaf column.
type parquetCol struct {
	role string // "id", "text", "url", "meta" or "" (ignored)
	name string
}

func openParquet(path string, opt Options) (r Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("read: %s: not a readable Parquet file: %v", path, p)
		}
	}()
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read: %w", err)
	}
	pr, err := newParquetReader(path, f, st.Size(), opt)
	if err != nil {
		f.Close()
		return nil, err
	}
	pr.f = f
	return pr, nil
}

func newParquetReader(file string, ra io.ReaderAt, size int64, opt Options) (*parquetReader, error) {
	pf, err := parquet.OpenFile(ra, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(256<<10))
	if err != nil {
		return nil, fmt.Errorf("read: %s: %w", file, err)
	}
	idF, textF, urlF := opt.fields()
	p := &parquetReader{file: file, pf: pf, size: size, groups: pf.RowGroups(), total: pf.NumRows(), textC: -1}
	nleaves := len(pf.Schema().Columns())
	p.cols = make([]parquetCol, nleaves)
	for _, c := range pf.Root().Columns() {
		if !c.Leaf() || c.Repeated() || c.Index() < 0 || c.Index() >= nleaves {
			continue
		}
		role := "meta"
		switch c.Name() {
		case textF:
			role = "text"
			if c.Type().Kind() != parquet.ByteArray {
				return nil, fmt.Errorf("read: %s: column %q is %s, not a string", file, textF, c.Type())
			}
			p.textC = c.Index()
		case idF:
			role = "id"
		case urlF:
			role = "url"
		}
		p.cols[c.Index()] = parquetCol{role: role, name: c.Name()}
	}
	if p.textC < 0 {
		return nil, fmt.Errorf("read: %s: no top-level column %q", file, textF)
	}
	p.buf = make([]parquet.Row, 64)
	return p, nil
}

func (p *parquetReader) Consumed() int64 {
	if p.total == 0 {
		return 0
	}
	return int64(float64(p.size) * float64(p.row) / float64(p.total))
}

func (p *parquetReader) Skipped() map[string]int64 { return nil }

func (p *parquetReader) Close() error {
	if p.rows != nil {
		p.rows.Close()
	}
	if p.f != nil {
		return p.f.Close()
	}
	return nil
}

func (p *parquetReader) Next() (r *record.Record, err error) {
	defer func() {
		if v := recover(); v != nil {
			p.err = fmt.Errorf("read: %s: row %d: Parquet decoder failed: %v", p.file, p.row, v)
			r, err = nil, p.err
		}
	}()
	for {
		if !p.out.empty() {
			return p.out.pop()
		}
		if p.err != nil {
			return nil, p.err
		}
		if p.done {
			return nil, io.EOF
		}
		if p.i < p.n {
			p.convert(p.buf[p.i])
			p.i++
			p.row++
			continue
		}
		if err := p.fill(); err != nil {
			p.err = fmt.Errorf("read: %s: row %d: %w", p.file, p.row, err)
		}
	}
}

// fill reads the next batch of rows, moving to the next row group as needed.
func (p *parquetReader) fill() error {
	for {
		if p.rows == nil {
			if p.group >= len(p.groups) {
				p.done = true
				return nil
			}
			p.rows = p.groups[p.group].Rows()
			p.group++
		}
		n, err := p.rows.ReadRows(p.buf)
		p.n, p.i = n, 0
		if err == io.EOF || (err == nil && n == 0) {
			p.rows.Close()
			p.rows = nil
			if n > 0 {
				return nil
			}
			continue
		}
		return err
	}
}

// convert turns one row into a record, or a problem if it has no text.
func (p *parquetReader) convert(row parquet.Row) {
	r := &record.Record{}
	hasText := false
	for _, v := range row {
		c := v.Column()
		if c < 0 || c >= len(p.cols) || p.cols[c].role == "" || v.IsNull() {
			continue
		}
		switch p.cols[c].role {
		case "text":
			r.Text, hasText = validString(string(v.ByteArray())), true
		case "id":
			if s, ok := parquetScalar(v).(string); ok {
				r.ID = s
			} else if x := parquetScalar(v); x != nil {
				r.ID = fmt.Sprint(x)
			}
		case "url":
			if s, ok := parquetScalar(v).(string); ok {
				r.URL = s
			}
		case "meta":
			if x := parquetScalar(v); x != nil {
				r.SetMeta(p.cols[c].name, x)
			}
		}
	}
	if !hasText {
		p.out.problem(&Problem{File: p.file, Offset: p.row, Lost: true, Err: errors.New("row without text")})
		return
	}
	if r.ID == "" {
		r.ID = fmt.Sprintf("%s:%d", stem(p.file), p.row)
	}
	r.Source = record.Source{File: p.file, Offset: p.row, Index: p.index}
	p.index++
	p.out.rec(r)
}

// parquetScalar converts a value to a plain Go value: string, int64,
// float64, bool; nil for kinds that have no natural one.
func parquetScalar(v parquet.Value) any {
	switch v.Kind() {
	case parquet.Boolean:
		return v.Boolean()
	case parquet.Int32:
		return int64(v.Int32())
	case parquet.Int64:
		return v.Int64()
	case parquet.Float:
		return float64(v.Float())
	case parquet.Double:
		return v.Double()
	case parquet.ByteArray, parquet.FixedLenByteArray:
		return validString(string(v.ByteArray()))
	}
	return nil
}
