package read

import (
	"bufio"
	"bytes"
	stdjson "encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
	"github.com/winnow-corpus/winnow/record"
)

// jsonlReader reads one JSON object per line, from a plain, gzip or zstd
// file. Offsets (Source.Offset, Problem.Offset) count bytes of the
// decompressed text: a line in a compressed file has no byte position of its
// own.
type jsonlReader struct {
	file, stem       string
	idF, textF, urlF string
	closer           io.Closer
	cr               *countingReader // bytes of the file
	br               *bufio.Reader   // the JSON text
	zr               *zstd.Decoder
	compressed       bool
	off, line, index int64
	buf              []byte
	out              outbox
	done             bool
	skipped          map[string]int64
}

func newJSONLReader(file string, src io.Reader, closer io.Closer, opt Options) (*jsonlReader, error) {
	j := &jsonlReader{file: file, stem: stem(file), closer: closer, skipped: map[string]int64{}}
	j.idF, j.textF, j.urlF = opt.fields()
	j.cr = &countingReader{r: src}
	pb := bufio.NewReaderSize(j.cr, 64<<10)
	head, _ := pb.Peek(4)
	var text io.Reader = pb
	switch {
	case isGzip(head):
		zr, err := gzip.NewReader(pb) // multistream: concatenated members read as one
		if err != nil {
			return nil, fmt.Errorf("read: %s: %w", file, err)
		}
		text, j.compressed = zr, true
	case isZstd(head):
		zr, err := zstd.NewReader(pb, zstd.WithDecoderConcurrency(1))
		if err != nil {
			return nil, fmt.Errorf("read: %s: %w", file, err)
		}
		text, j.zr, j.compressed = zr, zr, true
	}
	j.br = bufio.NewReaderSize(text, 1<<20)
	return j, nil
}

func (j *jsonlReader) Consumed() int64           { return j.cr.n }
func (j *jsonlReader) Skipped() map[string]int64 { return j.skipped }

func (j *jsonlReader) Close() error {
	if j.zr != nil {
		j.zr.Close()
	}
	if j.closer != nil {
		return j.closer.Close()
	}
	return nil
}

func (j *jsonlReader) problem(off int64, lost bool, err error) {
	j.out.problem(&Problem{File: j.file, Offset: off, Decompressed: j.compressed, Lost: lost, Err: err})
}

func (j *jsonlReader) Next() (*record.Record, error) {
	for {
		if !j.out.empty() {
			return j.out.pop()
		}
		if j.done {
			return nil, io.EOF
		}
		j.step()
	}
}

// step reads one line.
func (j *jsonlReader) step() {
	start := j.off
	j.buf = j.buf[:0]
	tooLong := false
	for {
		chunk, err := j.br.ReadSlice('\n')
		j.off += int64(len(chunk))
		if !tooLong {
			if len(j.buf)+len(chunk) > maxDocBytes {
				tooLong, j.buf = true, j.buf[:0]
			} else {
				j.buf = append(j.buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil && err != io.EOF {
			// The decompressor failed: what follows cannot be found.
			j.problem(j.off, true, fmt.Errorf("cannot read on: %w", err))
			j.done = true
			return
		}
		if err == io.EOF {
			j.done = true
			if len(chunk) == 0 && len(j.buf) == 0 && !tooLong {
				return
			}
		}
		break
	}
	j.line++
	if tooLong {
		j.problem(start, true, fmt.Errorf("line %d is longer than %d bytes", j.line, maxDocBytes))
		return
	}
	line := bytes.TrimSpace(j.buf)
	if len(line) == 0 {
		return
	}
	r, err := j.parse(line)
	if err != nil {
		j.problem(start, true, fmt.Errorf("line %d: %w", j.line, err))
		return
	}
	r.Source = record.Source{File: j.file, Offset: start, Index: j.index}
	j.index++
	j.out.rec(r)
}

// decodeValue decodes one top-level field. Numbers stay json.Number, so
// that an id such as 12345678901234567890 keeps its digits; objects and
// arrays (metadata, small) go through encoding/json, whose UseNumber does
// the same for the numbers inside them.
func decodeValue(v json.RawMessage) (any, error) {
	v = bytes.TrimSpace(v)
	if len(v) == 0 {
		return nil, errors.New("empty value")
	}
	switch c := v[0]; {
	case c == '-' || c >= '0' && c <= '9':
		return json.Number(v), nil
	case c == '{' || c == '[':
		dec := stdjson.NewDecoder(bytes.NewReader(v))
		dec.UseNumber()
		var out any
		err := dec.Decode(&out)
		return out, err
	}
	var out any
	err := json.Unmarshal(v, &out)
	return out, err
}

// parse turns one JSON object into a record.
func (j *jsonlReader) parse(line []byte) (r *record.Record, err error) {
	defer func() {
		if p := recover(); p != nil { // the decoder must not take the run down
			r, err = nil, fmt.Errorf("JSON decoder failed: %v", p)
		}
	}()
	if line[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	// Unmarshal, not a streaming Decoder: goccy's stream decoder takes time
	// quadratic in the length of a string with escapes (46 s for one 5 MB
	// text of short lines), and a line is in memory already.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(line, &raw); err != nil {
		return nil, fmt.Errorf("invalid JSON: %w", err)
	}
	obj := make(map[string]any, len(raw))
	for k, v := range raw {
		val, err := decodeValue(v)
		if err != nil {
			return nil, fmt.Errorf("invalid JSON in field %q: %w", k, err)
		}
		obj[k] = val
	}
	r = &record.Record{}
	text, ok := obj[j.textF]
	if !ok {
		return nil, fmt.Errorf("no %q field", j.textF)
	}
	s, ok := text.(string)
	if !ok {
		return nil, fmt.Errorf("field %q is %s, not a string", j.textF, jsonKind(text))
	}
	r.Text = validString(s)
	switch id := obj[j.idF].(type) {
	case string:
		r.ID = validString(id)
	case json.Number:
		r.ID = id.String()
	case bool:
		r.ID = strconv.FormatBool(id)
	}
	if r.ID == "" {
		r.ID = fmt.Sprintf("%s:%d", j.stem, j.line)
	}
	if u, ok := obj[j.urlF].(string); ok {
		r.URL = validString(u)
	}
	for k, v := range obj {
		if k == j.textF || k == j.idF || k == j.urlF {
			continue
		}
		if _, ok := v.(map[string]any); ok && k == "metadata" {
			continue // merged below, after the top-level fields
		}
		r.SetMeta(validString(k), normalize(v, 0))
	}
	if m, ok := obj["metadata"].(map[string]any); ok && j.textF != "metadata" && j.idF != "metadata" && j.urlF != "metadata" {
		for k, v := range m {
			k = validString(k)
			if _, taken := r.Metadata[k]; !taken {
				r.SetMeta(k, normalize(v, 0))
			}
		}
	}
	return r, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// normalize turns decoded JSON into plain Go values stages can use: numbers
// become int64 when they are integers that fit, else float64; strings are
// made valid UTF-8.
func normalize(v any, depth int) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return i
		}
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			return f
		}
		return string(x)
	case string:
		return validString(x)
	case []any:
		if depth > 100 {
			return nil
		}
		for i := range x {
			x[i] = normalize(x[i], depth+1)
		}
		return x
	case map[string]any:
		if depth > 100 {
			return nil
		}
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[validString(k)] = normalize(e, depth+1)
		}
		return out
	}
	return v
}
