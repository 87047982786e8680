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

func openParquet(path string, opt Options) (Reader, error) {
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

func newParquetReader(file string, ra io.ReaderAt, size int64, opt Options) (_ *parquetReader, err error) {
	defer func() {
		if p := recover(); p != nil { // a damaged footer must not take the run down
			err = fmt.Errorf("read: %s: not a readable Parquet file: %v", file, p)
		}
	}()
	if err := checkFooter(ra, size); err != nil {
		return nil, fmt.Errorf("read: %s: not a readable Parquet file: %w", file, err)
	}
	pf, err := parquet.OpenFile(ra, size, parquet.SkipPageIndex(true), parquet.SkipBloomFilters(true), parquet.ReadBufferSize(256<<10))
	if err != nil {
		return nil, fmt.Errorf("read: %s: %w", file, err)
	}
	if err := checkLayout(pf, ra, size); err != nil {
		return nil, fmt.Errorf("read: %s: not a readable Parquet file: %w", file, err)
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

// checkFooter guards the Parquet decoder against a damaged or hostile footer.
// The footer is a Thrift compact-protocol struct in which every list, map and
// string carries its length; the decoder allocates what the length says
// before reading, so a 20-byte file claiming a list of a billion elements
// would exhaust memory (not a recoverable panic). checkFooter walks the
// encoding without building anything and refuses any length larger than the
// bytes that remain.
func checkFooter(ra io.ReaderAt, size int64) error {
	if size < 12 {
		return errors.New("too short for a Parquet file")
	}
	var tail [8]byte
	if _, err := ra.ReadAt(tail[:], size-8); err != nil {
		return err
	}
	if string(tail[4:]) != "PAR1" {
		return errors.New("no Parquet footer (encrypted or damaged file)")
	}
	n := int64(tail[0]) | int64(tail[1])<<8 | int64(tail[2])<<16 | int64(tail[3])<<24
	if n <= 0 || n > size-12 || n > maxDocBytes {
		return fmt.Errorf("footer length %d does not fit the file", n)
	}
	footer := make([]byte, n)
	if _, err := ra.ReadAt(footer, size-8-n); err != nil {
		return err
	}
	w := thriftWalker{b: footer}
	if err := w.structure(0); err != nil {
		return fmt.Errorf("damaged footer: %w", err)
	}
	return nil
}

// thriftWalker steps through Thrift compact-protocol data.
type thriftWalker struct {
	b []byte
	i int
	// short: the data ended (or a length pointed) past the end of b, so a
	// longer b might walk.
	short bool
	// top holds the values of the outermost struct's integer fields 1 to 7.
	top [8]int64
}

var errThrift = errors.New("bad Thrift encoding")

func (t *thriftWalker) byte() (byte, error) {
	if t.i >= len(t.b) {
		t.short = true
		return 0, errThrift
	}
	t.i++
	return t.b[t.i-1], nil
}

func (t *thriftWalker) varint() (uint64, error) {
	var v uint64
	for shift := 0; shift < 64; shift += 7 {
		c, err := t.byte()
		if err != nil {
			return 0, err
		}
		v |= uint64(c&0x7f) << shift
		if c < 0x80 {
			return v, nil
		}
	}
	return 0, errThrift
}

// length reads a length and checks that at least per*length bytes remain.
func (t *thriftWalker) length(per int) (int, error) {
	v, err := t.varint()
	if err != nil {
		return 0, err
	}
	if v > uint64(len(t.b)-t.i)/uint64(per) {
		t.short = true
		return 0, errThrift
	}
	return int(v), nil
}

func (t *thriftWalker) structure(depth int) error {
	if depth > 64 {
		return errThrift
	}
	id := int64(0)
	for {
		h, err := t.byte()
		if err != nil {
			return err
		}
		if h == 0 {
			return nil // stop field
		}
		if h>>4 == 0 { // long form: the field id follows, zigzag encoded
			v, err := t.varint()
			if err != nil {
				return err
			}
			id = int64(v>>1) ^ -int64(v&1)
		} else {
			id += int64(h >> 4)
		}
		typ := h & 0x0f
		if depth == 0 && typ >= 4 && typ <= 6 && id > 0 && id < int64(len(t.top)) {
			v, err := t.varint()
			if err != nil {
				return err
			}
			t.top[id] = int64(v>>1) ^ -int64(v&1)
			continue
		}
		if typ != 1 && typ != 2 { // booleans carry their value in the type
			if err := t.value(typ, depth); err != nil {
				return err
			}
		}
	}
}

func (t *thriftWalker) value(typ byte, depth int) error {
	switch typ {
	case 1, 2, 3: // a boolean inside a list, or a byte: one byte
		_, err := t.byte()
		return err
	case 4, 5, 6: // i16, i32, i64
		_, err := t.varint()
		return err
	case 7: // double
		if len(t.b)-t.i < 8 {
			return errThrift
		}
		t.i += 8
		return nil
	case 8: // binary
		n, err := t.length(1)
		if err != nil {
			return err
		}
		t.i += n
		return nil
	case 9, 10: // list, set
		h, err := t.byte()
		if err != nil {
			return err
		}
		n := int(h >> 4)
		if n == 15 {
			if n, err = t.length(1); err != nil {
				return err
			}
		}
		if n > len(t.b)-t.i {
			return errThrift
		}
		for ; n > 0; n-- {
			if err := t.value(h&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 11: // map
		n, err := t.length(2)
		if err != nil || n == 0 {
			return err
		}
		kv, err := t.byte()
		if err != nil {
			return err
		}
		for ; n > 0; n-- {
			if err := t.value(kv>>4, depth+1); err != nil {
				return err
			}
			if err := t.value(kv&0x0f, depth+1); err != nil {
				return err
			}
		}
		return nil
	case 12:
		return t.structure(depth + 1)
	}
	return errThrift
}

// checkLayout refuses files whose footer describes column chunks that cannot
// be where it says (outside the file, negative sizes or counts, a chunk count
// that does not match the schema). The decoder trusts these numbers.
func checkLayout(pf *parquet.File, ra io.ReaderAt, size int64) error {
	md := pf.Metadata()
	leaves := len(pf.Schema().Columns())
	if md.NumRows < 0 {
		return errors.New("negative row count")
	}
	for g, rg := range md.RowGroups {
		if rg.NumRows < 0 || len(rg.Columns) != leaves {
			return fmt.Errorf("row group %d does not match the schema", g)
		}
		for c, cc := range rg.Columns {
			m := cc.MetaData
			start := m.DataPageOffset
			if m.DictionaryPageOffset > 0 && m.DictionaryPageOffset < start {
				start = m.DictionaryPageOffset
			}
			if cc.FilePath != "" || m.NumValues < 0 || m.TotalCompressedSize < 0 || m.TotalUncompressedSize < 0 ||
				start < 4 || m.TotalCompressedSize > size || start+m.TotalCompressedSize > size-8 {
				return fmt.Errorf("row group %d column %d lies outside the file", g, c)
			}
			if err := checkPages(ra, start, start+m.TotalCompressedSize); err != nil {
				return fmt.Errorf("row group %d column %d: %w", g, c, err)
			}
		}
	}
	return nil
}

// checkPages walks the page headers of the column chunk in [start, end), as
// checkFooter walks the footer: each header must be well formed within the
// chunk, and the sizes it gives must fit in the chunk and in memory.
func checkPages(ra io.ReaderAt, start, end int64) error {
	for off := start; off < end; {
		var w thriftWalker
		for window := int64(4 << 10); ; window *= 4 {
			n := min(window, end-off)
			w = thriftWalker{b: make([]byte, n)}
			if _, err := ra.ReadAt(w.b, off); err != nil && err != io.EOF {
				return err
			}
			err := w.structure(0)
			if err == nil {
				break
			}
			if !w.short || n == end-off || window >= 16<<20 {
				return fmt.Errorf("damaged page header at offset %d", off)
			}
		}
		// PageHeader: 2 uncompressed_page_size, 3 compressed_page_size.
		unc, comp := w.top[2], w.top[3]
		if comp < 0 || comp > end-off-int64(w.i) || unc < 0 || unc > maxDocBytes {
			return fmt.Errorf("page at offset %d has impossible sizes", off)
		}
		off += int64(w.i) + comp
	}
	return nil
}
