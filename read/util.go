package read

import (
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/winnow-corpus/winnow/record"
)

// Size limits. A document larger than these is reported as lost rather than
// risking the memory of a run: real web pages are far smaller.
const (
	// maxDocBytes bounds one WARC record block, one JSONL line and one text
	// file held in memory.
	maxDocBytes = 256 << 20
	// maxHeaderBytes bounds the WARC header block of one record.
	maxHeaderBytes = 1 << 20
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// outbox holds what Next returns next: a record and the problems found while
// reading it come out one per call, in order.
type outbox struct {
	recs  []*record.Record
	probs []*Problem
	order []bool // true: next is a record; false: a problem
}

func (o *outbox) rec(r *record.Record) {
	o.recs = append(o.recs, r)
	o.order = append(o.order, true)
}

func (o *outbox) problem(p *Problem) {
	o.probs = append(o.probs, p)
	o.order = append(o.order, false)
}

func (o *outbox) empty() bool { return len(o.order) == 0 }

// pop returns the oldest entry; call only when !empty.
func (o *outbox) pop() (*record.Record, error) {
	isRec := o.order[0]
	o.order = o.order[1:]
	if isRec {
		r := o.recs[0]
		o.recs[0] = nil
		o.recs = o.recs[1:]
		return r, nil
	}
	p := o.probs[0]
	o.probs[0] = nil
	o.probs = o.probs[1:]
	return nil, p
}

// validText returns b as a string, with every invalid UTF-8 sequence replaced
// by U+FFFD, and whether it had to replace anything.
func validText(b []byte) (string, bool) {
	if utf8.Valid(b) {
		return string(b), false
	}
	return strings.ToValidUTF8(string(b), "\uFFFD"), true
}

// validString is validText for strings.
func validString(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// stem is a file's base name without its extensions (".jsonl.gz" and all).
func stem(path string) string {
	if path == "-" {
		return "stdin"
	}
	b := filepath.Base(path)
	if i := strings.IndexByte(b, '.'); i > 0 {
		return b[:i]
	}
	return b
}
