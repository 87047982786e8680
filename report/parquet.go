package report

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	json "github.com/goccy/go-json"
	"github.com/parquet-go/parquet-go"
)

// parquetRow is a document as `winnow run` writes it with output.format
// parquet: metadata is a JSON object in a string column.
type parquetRow struct {
	ID       string `parquet:"id"`
	Text     string `parquet:"text"`
	URL      string `parquet:"url"`
	Metadata string `parquet:"metadata"`
}

func isParquet(path string) bool { return strings.HasSuffix(path, ".parquet") }

func (r *parquetRow) doc() *Doc {
	d := &Doc{ID: r.ID, Text: r.Text, URL: r.URL}
	if r.Metadata != "" {
		json.Unmarshal([]byte(r.Metadata), &d.Metadata)
	}
	return d
}

type parquetShard struct {
	path string
	f    *os.File
	r    *parquet.GenericReader[parquetRow]
	next int64 // the row Read returns next
	rows []parquetRow
}

func openParquet(path string) (ps *parquetShard, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	pf, err := parquet.OpenFile(f, st.Size())
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	// The reader panics on a schema it cannot map to parquetRow.
	defer func() {
		if p := recover(); p != nil {
			f.Close()
			ps, err = nil, fmt.Errorf("%s: %v", path, p)
		}
	}()
	return &parquetShard{path: path, f: f, r: parquet.NewGenericReader[parquetRow](pf), rows: make([]parquetRow, 64)}, nil
}

func (ps *parquetShard) read(row int64) (*Doc, error) {
	if row < 0 || row >= ps.r.NumRows() {
		return nil, fmt.Errorf("%s: no row %d", ps.path, row)
	}
	if row != ps.next {
		if err := ps.r.SeekToRow(row); err != nil {
			return nil, fmt.Errorf("%s: row %d: %w", ps.path, row, err)
		}
		ps.next = row
	}
	n, err := ps.r.Read(ps.rows[:1])
	if n == 1 {
		ps.next++
		return ps.rows[0].doc(), nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	return nil, fmt.Errorf("%s: row %d: %w", ps.path, row, err)
}

func (ps *parquetShard) close() error {
	ps.r.Close()
	return ps.f.Close()
}

func scanParquet(path string, fn func(d *Doc, off int64, n int) error) error {
	ps, err := openParquet(path)
	if err != nil {
		return err
	}
	defer ps.close()
	var row int64
	for {
		n, err := ps.r.Read(ps.rows)
		for i := 0; i < n; i++ {
			if ferr := fn(ps.rows[i].doc(), row, 0); ferr != nil {
				return ferr
			}
			row++
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: row %d: %w", path, row, err)
		}
	}
}
