package read

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/winnow-corpus/winnow/record"
)

// The WARC reader is written for this package rather than taken from gowarc:
// it needs the compressed offset of every gzip member (to locate records and
// problems the way CDX indexes do), it must resynchronise after a corrupt
// member without losing the good members around it, and it must run close to
// the speed of plain decompression (gowarc parses and validates every header
// field and every HTTP block into maps, which costs more than we need).
//
// Layout of a WARC file: records, each a version line ("WARC/1.0"), header
// fields ("Name: value"), a blank line, Content-Length bytes of block, and
// "\r\n\r\n". Gzipped WARCs compress each record as its own gzip member
// (Common Crawl) or the whole file as one stream; both are read here.
//
// Record types become documents as follows:
//
//	response   (application/http) record.HTML = HTTP body, ContentType and
//	           Charset from the HTTP Content-Type header
//	resource   (text/html or XHTML) record.HTML = block
//	conversion (WET) record.Text = block
//
// Every other record (warcinfo, request, metadata, revisit, responses that are
// not HTTP such as dns: lookups, resources that are not HTML) is skipped and
// counted in Skipped under "warc:<type>" ("warc:response-non-http",
// "warc:resource-non-html" for the last two).

// gzipMembers reads a file made of gzip members, one member at a time: Read
// returns io.EOF at the end of each member, after the member's checksum has
// been verified, and next starts the following one.
type gzipMembers struct {
	src    io.Reader
	seeker io.Seeker // non-nil when src can be rewound for resynchronising
	cr     countingReader
	br     *bufio.Reader
	gz     *gzip.Reader
	base   int64 // file offset at which cr started counting
	start  int64 // file offset of the current member
	high   int64 // highest offset consumed, for progress
	in     bool  // inside a member
	failed error // the current member's error, until abandon
}

// gzError is a decompression error in the member that starts at off.
type gzError struct {
	off int64
	err error
}

func (e *gzError) Error() string { return fmt.Sprintf("gzip member at offset %d: %v", e.off, e.err) }
func (e *gzError) Unwrap() error { return e.err }

func newGzipMembers(src io.Reader, seeker io.Seeker) *gzipMembers {
	g := &gzipMembers{src: src, seeker: seeker}
	g.cr.r = src
	g.br = bufio.NewReaderSize(&g.cr, 256<<10)
	g.gz = new(gzip.Reader)
	return g
}

// pos is the file offset of the next compressed byte to decode.
func (g *gzipMembers) pos() int64 { return g.base + g.cr.n - int64(g.br.Buffered()) }

func (g *gzipMembers) consumed() int64 {
	if p := g.base + g.cr.n; p > g.high {
		g.high = p
	}
	return g.high
}

func (g *gzipMembers) Read(p []byte) (int, error) {
	if g.failed != nil {
		return 0, g.failed
	}
	if !g.in {
		return 0, io.EOF
	}
	n, err := g.gz.Read(p)
	if err == io.EOF {
		g.in = false
		return n, io.EOF
	}
	if err != nil {
		g.in = false
		g.failed = &gzError{off: g.start, err: err}
		return n, g.failed
	}
	return n, nil
}

// seekTo rewinds or advances the compressed stream to file offset off.
func (g *gzipMembers) seekTo(off int64) error {
	g.consumed()
	if _, err := g.seeker.Seek(off, io.SeekStart); err != nil {
		return err
	}
	g.base, g.cr.n = off, 0
	g.br.Reset(&g.cr)
	return nil
}

// abandon gives up the current, corrupt member. When the file can be
// rewound, scanning for the next member restarts just after the corrupt
// member's first byte, so that a member the decoder ran into while decoding
// a damaged one (a member cut short runs on into the next) is still found.
func (g *gzipMembers) abandon() error {
	g.in, g.failed = false, nil
	if g.seeker == nil {
		return nil
	}
	return g.seekTo(g.start + 1)
}

var gzipMagic = []byte{0x1f, 0x8b, 0x08}

// next starts the member at the current position. If the bytes there are not
// a valid gzip member, it scans forward to the next offset where one starts
// and returns a problem describing what it skipped (a nil problem when it
// skipped nothing). err is io.EOF at the end of the file, or an I/O error.
func (g *gzipMembers) next(file string) (skipped *Problem, err error) {
	g.in = false
	from := g.pos()
	var why error
	for {
		head, perr := g.br.Peek(3)
		if len(head) < 3 {
			if perr == nil || perr == io.EOF || perr == io.ErrUnexpectedEOF {
				if rest := len(head); rest > 0 || g.pos() > from {
					g.br.Discard(rest)
					return g.skipProblem(file, from, why), io.EOF
				}
				return nil, io.EOF
			}
			return nil, perr
		}
		if bytes.Equal(head, gzipMagic) {
			at := g.pos()
			rerr := g.gz.Reset(g.br)
			if rerr == nil {
				g.gz.Multistream(false)
				g.start, g.in = at, true
				if at > from {
					return g.skipProblem(file, from, why), nil
				}
				return nil, nil
			}
			if why == nil {
				why = rerr
			}
			if g.seeker != nil {
				if err := g.seekTo(at + 1); err != nil {
					return nil, err
				}
			} else if g.pos() == at {
				g.br.Discard(1)
			}
			continue
		}
		// Skip to the next candidate first byte within what is buffered.
		buf, _ := g.br.Peek(g.br.Buffered())
		i := bytes.IndexByte(buf[1:], gzipMagic[0])
		if i < 0 {
			g.br.Discard(len(buf))
		} else {
			g.br.Discard(i + 1)
		}
	}
}

func (g *gzipMembers) skipProblem(file string, from int64, why error) *Problem {
	n := g.pos() - from
	err := fmt.Errorf("skipped %d bytes that are not a gzip member", n)
	if why != nil {
		err = fmt.Errorf("skipped %d bytes that are not a valid gzip member: %w", n, why)
	}
	return &Problem{File: file, Offset: from, Err: err}
}

// warcReader reads WARC and WET files, plain or gzipped.
type warcReader struct {
	file   string
	closer io.Closer
	gzm    *gzipMembers // nil for a plain file
	plain  *countingReader
	dr     *bufio.Reader // the WARC bytes (decompressed)
	dpos   int64         // WARC bytes consumed; the file offset for a plain file
	mstart int64         // dpos at which the current gzip member began

	// span allows a read to continue into the next gzip member. It is off
	// while reading a record that began at a member's start: in a file of
	// one member per record, a member ending early means the record is
	// truncated, and the next member holds the next record.
	span bool
	// resync is set after a problem, until the next good record: bytes
	// skipped while looking for the next record are then not reported again.
	resync bool
	// memberHadRecord: a WARC version line was seen in the current member.
	memberHadRecord bool

	index   int64
	skipped map[string]int64
	out     outbox
	done    bool
	err     error // fatal
	hbuf    []byte
}

func newWARCReader(file string, src io.Reader, closer io.Closer, _ Options) *warcReader {
	w := &warcReader{file: file, closer: closer, skipped: make(map[string]int64), span: true}
	var seeker io.Seeker
	if s, ok := src.(io.Seeker); ok && file != "-" {
		seeker = s
	}
	// Peek at the first bytes to choose between gzip and plain.
	pb := bufio.NewReaderSize(src, 64<<10)
	head, _ := pb.Peek(2)
	if isGzip(head) {
		if seeker != nil {
			w.gzm = newGzipMembers(src, seeker) // re-read from 0; pb is dropped
			if _, err := seeker.Seek(0, io.SeekStart); err != nil {
				w.err = err
			}
		} else {
			w.gzm = newGzipMembers(pb, nil)
		}
		w.dr = bufio.NewReaderSize(w.gzm, 256<<10)
		return w
	}
	w.plain = &countingReader{r: pb}
	w.dr = bufio.NewReaderSize(w.plain, 256<<10)
	return w
}

func (w *warcReader) Consumed() int64 {
	if w.gzm != nil {
		return w.gzm.consumed()
	}
	return w.plain.n
}

func (w *warcReader) Skipped() map[string]int64 { return w.skipped }

func (w *warcReader) Close() error {
	if w.closer != nil {
		return w.closer.Close()
	}
	return nil
}

func (w *warcReader) Next() (*record.Record, error) {
	for {
		if !w.out.empty() {
			return w.out.pop()
		}
		if w.err != nil {
			return nil, w.err
		}
		if w.done {
			return nil, io.EOF
		}
		w.step()
	}
}

// problem queues a problem found at the current place in the input.
func (w *warcReader) problem(off int64, lost bool, err error) {
	w.out.problem(&Problem{File: w.file, Offset: off, Lost: lost, Err: err})
	w.resync = true
}

// nextMember moves to the next gzip member; io.EOF at the end of the file.
func (w *warcReader) nextMember() error {
	p, err := w.gzm.next(w.file)
	if p != nil && !w.resync {
		w.out.problem(p)
	}
	if err != nil {
		return err
	}
	w.dr.Reset(w.gzm)
	w.mstart = w.dpos
	w.memberHadRecord = false
	return nil
}

// more is called when the WARC bytes report io.EOF. For a gzipped file it
// moves to the next member if spanning is allowed, returning nil if there
// is more to read.
func (w *warcReader) more() error {
	if w.gzm == nil || !w.span {
		return io.EOF
	}
	return w.nextMember()
}

// readLine returns the next line, or its first part when it is longer than
// the buffer (complete is false then, and also for a last line without
// newline). The slice is valid until the next read.
func (w *warcReader) readLine() (line []byte, complete bool, err error) {
	for {
		line, err = w.dr.ReadSlice('\n')
		w.dpos += int64(len(line))
		switch {
		case err == nil:
			return line, true, nil
		case err == bufio.ErrBufferFull:
			return line, false, nil
		case len(line) > 0:
			return line, false, nil // the error comes back on the next call
		case err == io.EOF:
			if err = w.more(); err != nil {
				return nil, false, err
			}
		default:
			return nil, false, err
		}
	}
}

// consume reads n bytes into buf, or skips them when buf is nil, going on
// into the next gzip member where spanning is allowed.
func (w *warcReader) consume(buf []byte, n int64) error {
	var got int64
	for got < n {
		var d int
		var err error
		if buf != nil {
			d, err = w.dr.Read(buf[got:])
		} else {
			d, err = w.dr.Discard(int(min(n-got, 1<<30)))
		}
		got += int64(d)
		w.dpos += int64(d)
		if err == io.EOF {
			err = w.more()
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// readBlock reads a block of n bytes. Memory grows with the bytes actually
// read, so that a damaged record claiming a huge length costs little.
func (w *warcReader) readBlock(n int64) ([]byte, error) {
	const step = 4 << 20
	if n <= step {
		b := make([]byte, n)
		return b, w.consume(b, n)
	}
	b := make([]byte, 0, step)
	for int64(len(b)) < n {
		k := min(n-int64(len(b)), int64(max(len(b), step)))
		b = slices.Grow(b, int(k))
		if err := w.consume(b[len(b):len(b)+int(k)], k); err != nil {
			return nil, err
		}
		b = b[:len(b)+int(k)]
	}
	return b, nil
}

// failure handles an error from reading the WARC bytes at a record starting
// at off: a corrupt gzip member is reported and skipped, the end of the
// input means the record was truncated, anything else is fatal.
func (w *warcReader) failure(off int64, lost bool, what string, err error) {
	var ge *gzError
	switch {
	case errors.As(err, &ge):
		if !w.resync || w.memberHadRecord {
			w.out.problem(&Problem{File: w.file, Offset: ge.off, Lost: lost, Err: fmt.Errorf("corrupt gzip member: %w", ge.err)})
		}
		w.resync = true
		if aerr := w.gzm.abandon(); aerr != nil {
			w.err = aerr
		}
		w.dr.Reset(w.gzm)
		w.span = true
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		w.problem(off, lost, fmt.Errorf("truncated record: end of %s inside %s", w.unit(), what))
		w.span = true
		if w.gzm == nil {
			w.done = true
		}
	default:
		w.err = err
	}
}

func (w *warcReader) unit() string {
	if w.gzm != nil && !w.span {
		return "gzip member"
	}
	return "file"
}

// warcHeader holds the header fields a record is read by.
type warcHeader struct {
	typ, id, uri, date, contentType, truncated, lang string
	length                                           int64 // -1 when missing
	badLength                                        bool
}

var (
	hType        = []byte("WARC-Type")
	hID          = []byte("WARC-Record-ID")
	hURI         = []byte("WARC-Target-URI")
	hDate        = []byte("WARC-Date")
	hCType       = []byte("Content-Type")
	hLength      = []byte("Content-Length")
	hTruncated   = []byte("WARC-Truncated")
	hLang        = []byte("WARC-Identified-Content-Language")
	warcVersion  = []byte("WARC/")
	errNoVersion = errors.New("no WARC record found")
)

// step reads one record (or skips one non-document record) and queues what
// it found.
func (w *warcReader) step() {
	// 1. Find the version line that starts the next record.
	var (
		start, junkStart int64 = 0, -1
		memberOff        int64
		atMemberStart    bool
		junk             int64
		lineStart        = true
	)
	w.span = true
	for {
		if w.gzm != nil {
			// At the end of a member, start the next before reading on, so
			// that a record beginning a member is known as such.
			if _, err := w.dr.Peek(1); err == io.EOF {
				if err = w.nextMember(); err == io.EOF {
					w.finish(junk, junkStart)
					return
				} else if err != nil {
					w.failure(w.dpos, true, "header", err)
					return
				}
				continue
			}
		}
		at := w.dpos
		off := at
		if w.gzm != nil {
			off = w.gzm.start
		}
		first := w.gzm != nil && at == w.mstart
		line, complete, err := w.readLine()
		if err != nil {
			if err == io.EOF {
				w.finish(junk, junkStart)
				return
			}
			w.failure(off, true, "gzip data", err)
			if w.err != nil {
				return
			}
			junk, junkStart = 0, -1
			lineStart = true
			continue
		}
		if lineStart && bytes.HasPrefix(line, warcVersion) && complete {
			start, memberOff, atMemberStart = at, off, first
			break
		}
		if lineStart && len(bytes.TrimRight(line, "\r\n")) == 0 {
			continue
		}
		if junkStart < 0 {
			junkStart = off
		}
		junk += int64(len(line))
		lineStart = complete
	}
	w.memberHadRecord = true
	if junk > 0 && !w.resync {
		w.out.problem(&Problem{File: w.file, Offset: junkStart, Err: fmt.Errorf("skipped %d bytes that are not a WARC record", junk)})
	}
	recOff := start
	if w.gzm != nil {
		recOff = memberOff
	}
	// A record that begins a gzip member must end in it.
	w.span = !atMemberStart

	// 2. Header fields, up to the blank line.
	h := warcHeader{length: -1}
	size := 0
	w.hbuf = w.hbuf[:0]
	for {
		line, complete, err := w.readLine()
		if err != nil {
			w.failure(recOff, h.typ == "" || isDocType(h.typ), "header", err)
			return
		}
		size += len(line)
		if size > maxHeaderBytes {
			w.problem(recOff, true, errors.New("WARC header larger than 1 MB"))
			return
		}
		if !complete {
			w.hbuf = append(w.hbuf, line...)
			continue
		}
		if len(w.hbuf) > 0 {
			w.hbuf = append(w.hbuf, line...)
			line = w.hbuf
		}
		t := bytes.TrimRight(line, "\r\n")
		w.hbuf = w.hbuf[:0]
		if len(t) == 0 {
			break
		}
		h.field(t)
	}

	// 3. The block.
	isDoc := isDocType(h.typ)
	switch {
	case h.typ == "":
		w.problem(recOff, true, errors.New("record without WARC-Type"))
		return
	case h.length < 0 || h.badLength:
		w.problem(recOff, isDoc, errors.New("record without a valid Content-Length"))
		return
	}
	if !isDoc || h.length > maxDocBytes {
		if err := w.consume(nil, h.length); err != nil {
			w.failure(recOff, isDoc, "block", err)
			return
		}
		if isDoc {
			w.problem(recOff, true, fmt.Errorf("record of %d bytes is larger than the limit of %d", h.length, maxDocBytes))
			return
		}
		if !w.endOfRecord(recOff, false) {
			return
		}
		w.skip(h.typ)
		w.resync = false
		return
	}
	block, err := w.readBlock(h.length)
	if err != nil {
		w.failure(recOff, true, "block", err)
		return
	}
	if w.span || w.gzm == nil {
		// Not confined to a gzip member: a wrong Content-Length may have
		// swallowed the records after this one. If the block does not end
		// where a record should, and a record starts inside it, this one
		// was truncated and the rest is read again as what follows.
		if !w.properEnd() {
			if i := nestedRecord(block); i >= 0 {
				w.pushBack(block[i:])
				w.problem(recOff, true, errors.New("truncated record: the next record starts inside its Content-Length"))
				w.resync = false
				return
			}
		}
	}
	if !w.endOfRecord(recOff, true) {
		return
	}
	w.resync = false
	w.emit(&h, block, recOff)
}

// endOfRecord reads the blank lines that end a record and, for a record in
// its own gzip member, the member's end, which verifies its checksum. It
// reports false if the record turned out to be corrupt.
func (w *warcReader) endOfRecord(off int64, lost bool) bool {
	w.span = false
	for i := 0; i < 5; i++ {
		b, err := w.dr.Peek(1)
		if err == io.EOF {
			return true
		}
		if err != nil {
			w.failure(off, lost, "record", err)
			return false
		}
		if i == 4 || (b[0] != '\r' && b[0] != '\n') {
			return true
		}
		w.dr.Discard(1)
		w.dpos++
	}
	return true
}

// properEnd reports whether the bytes after a block look like the end of a
// record: the blank lines and the next record, or the end of the input.
func (w *warcReader) properEnd() bool {
	b, _ := w.dr.Peek(9)
	t := bytes.TrimLeft(b, "\r\n")
	return len(t) == 0 || (len(b)-len(t) >= 2 && bytes.HasPrefix(warcVersion, t[:min(len(t), len(warcVersion))]))
}

// nestedRecord returns the offset of the first WARC version line in block
// ("WARC/1.0" or "WARC/1.1" and a line end, not necessarily at a line start:
// a truncated record is directly followed by the next), or -1.
func nestedRecord(block []byte) int {
	for off := 0; ; {
		i := bytes.Index(block[off:], []byte("WARC/1."))
		if i < 0 {
			return -1
		}
		i += off
		rest := block[i+len("WARC/1."):]
		if len(rest) >= 2 && (rest[0] == '0' || rest[0] == '1') && (rest[1] == '\r' || rest[1] == '\n') {
			return i
		}
		off = i + 1
	}
}

// pushBack puts b in front of the bytes still to be read.
func (w *warcReader) pushBack(b []byte) {
	w.dr = bufio.NewReaderSize(io.MultiReader(bytes.NewReader(b), w.dr), 64<<10)
	w.dpos -= int64(len(b))
}

// finish ends the file, reporting trailing bytes that were not records.
func (w *warcReader) finish(junk, at int64) {
	if junk > 0 && !w.resync {
		w.out.problem(&Problem{File: w.file, Offset: at, Err: fmt.Errorf("skipped %d bytes that are not a WARC record", junk)})
	}
	w.done = true
}

func isDocType(t string) bool {
	return t == "response" || t == "resource" || t == "conversion"
}

// skip counts a record passed over on purpose.
func (w *warcReader) skip(typ string) {
	k := strings.ToLower(typ)
	if len(k) > 24 || strings.IndexFunc(k, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r == '-') }) >= 0 {
		k = "other"
	}
	w.skipped["warc:"+k]++
}

// field records one "Name: value" header line if it is one we use.
func (h *warcHeader) field(line []byte) {
	i := bytes.IndexByte(line, ':')
	if i <= 0 {
		return
	}
	name := bytes.TrimSpace(line[:i])
	val := bytes.TrimSpace(line[i+1:])
	switch {
	case bytes.EqualFold(name, hType):
		h.typ = strings.ToLower(string(val))
	case bytes.EqualFold(name, hLength):
		n, err := strconv.ParseInt(string(val), 10, 64)
		if err != nil || n < 0 {
			h.badLength = true
		}
		h.length = n
	case bytes.EqualFold(name, hID):
		h.id = validString(string(val))
	case bytes.EqualFold(name, hURI):
		h.uri = validString(strings.TrimSuffix(strings.TrimPrefix(string(val), "<"), ">"))
	case bytes.EqualFold(name, hDate):
		h.date = validString(string(val))
	case bytes.EqualFold(name, hCType):
		h.contentType = validString(string(val))
	case bytes.EqualFold(name, hTruncated):
		h.truncated = validString(string(val))
	case bytes.EqualFold(name, hLang):
		h.lang = validString(string(val))
	}
}

// emit turns a document record's block into a Record.
func (w *warcReader) emit(h *warcHeader, block []byte, off int64) {
	r := &record.Record{ID: h.id, URL: h.uri}
	if r.ID == "" {
		r.ID = fmt.Sprintf("%s:%d", stem(w.file), off)
	}
	var later *Problem
	mediaType, _ := parseContentType(h.contentType)
	switch h.typ {
	case "response":
		if !strings.HasPrefix(mediaType, "application/http") && !(mediaType == "" && bytes.HasPrefix(block, []byte("HTTP/"))) {
			w.skipped["warc:response-non-http"]++
			return
		}
		resp, err := parseHTTPResponse(block)
		if err != nil {
			w.problem(off, true, err)
			return
		}
		r.HTML = resp.body
		r.ContentType, r.Charset = resp.mediaType, resp.charset
		r.SetMeta("http_status", resp.status)
		if r.ContentType != "" {
			r.SetMeta("content_type", r.ContentType)
		}
		if resp.truncated {
			r.SetMeta("payload_truncated", true)
		}
		if resp.problem != nil {
			later = &Problem{File: w.file, Offset: off, Err: resp.problem}
		}
	case "resource":
		if mediaType != "text/html" && mediaType != "application/xhtml+xml" {
			w.skipped["warc:resource-non-html"]++
			return
		}
		_, r.Charset = parseContentType(h.contentType)
		r.HTML, r.ContentType = block, mediaType
		r.SetMeta("content_type", mediaType)
	case "conversion":
		r.Text, _ = validText(block)
		if mediaType != "" {
			r.SetMeta("content_type", mediaType)
		}
		if h.lang != "" {
			r.SetMeta("warc_identified_language", h.lang)
		}
	}
	if h.date != "" {
		r.SetMeta("warc_date", h.date)
	}
	if h.truncated != "" {
		r.SetMeta("warc_truncated", h.truncated)
	}
	r.Source = record.Source{File: w.file, Offset: off, Index: w.index}
	w.index++
	w.out.rec(r)
	if later != nil {
		w.out.problem(later)
	}
}
