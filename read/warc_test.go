package read

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/gzip"
	"github.com/winnow-corpus/winnow/record"
)

// warcRec builds one WARC record.
func warcRec(typ, uri, id, contentType string, block []byte, extra ...string) []byte {
	var b bytes.Buffer
	b.WriteString("WARC/1.0\r\n")
	fmt.Fprintf(&b, "WARC-Type: %s\r\n", typ)
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	b.WriteString("WARC-Date: 2026-01-02T03:04:05Z\r\n")
	fmt.Fprintf(&b, "WARC-Record-ID: <urn:uuid:%s>\r\n", id)
	if contentType != "" {
		fmt.Fprintf(&b, "Content-Type: %s\r\n", contentType)
	}
	for _, e := range extra {
		b.WriteString(e + "\r\n")
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// httpResp builds an HTTP response block.
func httpResp(headers string, body []byte) []byte {
	return append([]byte("HTTP/1.1 200 OK\r\n"+headers+"\r\n"), body...)
}

func response(uri, id, html string) []byte {
	return warcRec("response", uri, id, "application/http; msgtype=response",
		httpResp("Content-Type: text/html; charset=UTF-8\r\n", []byte(html)))
}

func request(uri, id string) []byte {
	return warcRec("request", uri, id, "application/http; msgtype=request",
		[]byte("GET / HTTP/1.1\r\nHost: example.org\r\n\r\n"))
}

func warcinfo() []byte {
	return warcRec("warcinfo", "", "info", "application/warc-fields", []byte("software: winnow-test\r\n"))
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// members gzips every record on its own and returns the file and the offset
// of every member.
func members(recs ...[]byte) ([]byte, []int64) {
	var out []byte
	var offs []int64
	for _, r := range recs {
		offs = append(offs, int64(len(out)))
		out = append(out, gz(r)...)
	}
	return out, offs
}

// result is everything a reader gave.
type result struct {
	recs     []*record.Record
	problems []*Problem
	skipped  map[string]int64
	err      error
}

func (r result) ids() []string {
	var s []string
	for _, x := range r.recs {
		s = append(s, x.ID)
	}
	return s
}

// drain reads r to the end, failing the test if it does not end.
func drain(t testing.TB, r Reader) result {
	t.Helper()
	var res result
	for i := 0; ; i++ {
		if i > 100000 {
			t.Fatal("reader does not terminate")
		}
		rec, err := r.Next()
		if err == io.EOF {
			break
		}
		var p *Problem
		if errors.As(err, &p) {
			res.problems = append(res.problems, p)
			continue
		}
		if err != nil {
			res.err = err
			break
		}
		res.recs = append(res.recs, rec)
	}
	res.skipped = r.Skipped()
	r.Close()
	return res
}

// writeFile writes data to a file in a temporary directory.
func writeFile(t testing.TB, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readWARC(t *testing.T, name string, data []byte) result {
	t.Helper()
	p := writeFile(t, name, data)
	r, err := Open(Input{Path: p, Format: FormatWARC}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return drain(t, r)
}

func TestWARCPlainAndGzip(t *testing.T) {
	recs := [][]byte{
		warcinfo(),
		request("http://a.example/", "req-a"),
		response("http://a.example/", "a", "<html><body><p>Page A</p></body></html>"),
		warcRec("metadata", "http://a.example/", "meta-a", "application/warc-fields", []byte("fetchTimeMs: 12\r\n")),
		request("http://b.example/", "req-b"),
		response("http://b.example/", "b", "<html><body><p>Page B</p></body></html>"),
		warcRec("revisit", "http://b.example/", "rev-b", "application/http", []byte("HTTP/1.1 304 Not Modified\r\n\r\n")),
	}
	plain := bytes.Join(recs, nil)
	plainOffs := []int64{}
	off := 0
	for _, r := range recs {
		plainOffs = append(plainOffs, int64(off))
		off += len(r)
	}
	gzFile, gzOffs := members(recs...)

	for _, tc := range []struct {
		name string
		data []byte
		offs []int64
	}{
		{"test.warc", plain, plainOffs},
		{"test.warc.gz", gzFile, gzOffs},
		{"whole.warc.gz", gz(plain), nil}, // one member for the whole file
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readWARC(t, tc.name, tc.data)
			if res.err != nil || len(res.problems) > 0 {
				t.Fatalf("err %v, problems %v", res.err, res.problems)
			}
			if got := strings.Join(res.ids(), ","); got != "<urn:uuid:a>,<urn:uuid:b>" {
				t.Fatalf("ids = %s", got)
			}
			a := res.recs[0]
			if string(a.HTML) != "<html><body><p>Page A</p></body></html>" || a.URL != "http://a.example/" ||
				a.ContentType != "text/html" || a.Charset != "utf-8" || a.Metadata["warc_date"] != "2026-01-02T03:04:05Z" ||
				a.Metadata["http_status"] != 200 || a.Metadata["content_type"] != "text/html" {
				t.Errorf("record a = %+v", a)
			}
			for i, r := range res.recs {
				if r.Source.Index != int64(i) || r.Source.File == "" {
					t.Errorf("record %d source %+v", i, r.Source)
				}
			}
			if tc.offs != nil {
				if res.recs[0].Source.Offset != tc.offs[2] || res.recs[1].Source.Offset != tc.offs[5] {
					t.Errorf("offsets %d %d, want %d %d", res.recs[0].Source.Offset, res.recs[1].Source.Offset, tc.offs[2], tc.offs[5])
				}
			}
			want := map[string]int64{"warc:warcinfo": 1, "warc:request": 2, "warc:metadata": 1, "warc:revisit": 1}
			if fmt.Sprint(res.skipped) != fmt.Sprint(want) {
				t.Errorf("skipped = %v, want %v", res.skipped, want)
			}
		})
	}
}

// corrupt flips bytes in the middle of a gzip member's deflate data.
func corruptMiddle(m []byte) []byte {
	m = bytes.Clone(m)
	for i := len(m) / 2; i < len(m)/2+8 && i < len(m)-8; i++ {
		m[i] ^= 0x5a
	}
	return m
}

func TestWARCGzipDamage(t *testing.T) {
	html := func(s string) string {
		return "<html><body><article><p>" + strings.Repeat(s+" is a page with some words. ", 40) + "</p></article></body></html>"
	}
	a, b, c := response("http://a/", "a", html("alpha")), response("http://b/", "b", html("bravo")), response("http://c/", "c", html("charlie"))
	ga, gb, gc := gz(a), gz(b), gz(c)
	req := gz(request("http://b/", "req-b"))

	badCRC := bytes.Clone(gb)
	badCRC[len(badCRC)-6] ^= 0xff // inside the CRC-32 of the trailer

	cut := response("http://b/", "b", html("bravo"))
	cut = cut[:len(cut)-300] // the member ends 300 bytes early

	type want struct {
		ids     string
		offset  int64 // of the one problem
		lost    bool
		problem bool
	}
	for _, tc := range []struct {
		name string
		data []byte
		want want
	}{
		{"corrupt deflate data", cat(ga, corruptMiddle(gb), gc), want{"a,c", int64(len(ga)), true, true}},
		{"bad checksum", cat(ga, badCRC, gc), want{"a,c", int64(len(ga)), true, true}},
		{"member cut short", cat(ga, gb[:len(gb)/2], gc), want{"a,c", int64(len(ga)), true, true}},
		{"record truncated in its member", cat(ga, gz(cut), gc), want{"a,c", int64(len(ga)), true, true}},
		{"garbage between members", cat(ga, []byte("garbage!"), gb, gc), want{"a,b,c", int64(len(ga)), false, true}},
		{"corrupt request member", cat(ga, corruptMiddle(req), gc), want{"a,c", int64(len(ga)), false, true}},
		{"truncated last record", cat(ga, gb, gc[:len(gc)-40]), want{"a,b", int64(len(ga) + len(gb)), true, true}},
		{"clean", cat(ga, gb, gc), want{"a,b,c", 0, false, false}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readWARC(t, "x.warc.gz", tc.data)
			if res.err != nil {
				t.Fatal(res.err)
			}
			var ids []string
			for _, r := range res.recs {
				ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(r.ID, "<urn:uuid:"), ">"))
				if !bytes.Contains(r.HTML, []byte("is a page with some words")) {
					t.Errorf("record %s has a damaged body", r.ID)
				}
			}
			if got := strings.Join(ids, ","); got != tc.want.ids {
				t.Errorf("records %s, want %s", got, tc.want.ids)
			}
			if !tc.want.problem {
				if len(res.problems) > 0 {
					t.Errorf("unexpected problems %v", res.problems)
				}
				return
			}
			if len(res.problems) != 1 {
				t.Fatalf("want one problem, got %v", res.problems)
			}
			p := res.problems[0]
			if p.Offset != tc.want.offset || p.Lost != tc.want.lost || p.Decompressed {
				t.Errorf("problem %+v (%v), want offset %d lost %v", p, p, tc.want.offset, tc.want.lost)
			}
		})
	}
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestWARCPlainDamage(t *testing.T) {
	a := response("http://a/", "a", "<p>alpha</p>")
	b := response("http://b/", "b", "<p>bravo</p>")
	for _, tc := range []struct {
		name     string
		data     []byte
		ids      string
		problems int
		lost     int
	}{
		{"truncated last record", cat(a, b[:len(b)-20]), "a", 1, 1},
		{"truncated header", cat(a, b[:30]), "a", 1, 1},
		{"truncated record in the middle", cat(a[:len(a)-30], b, a), "b,a", 1, 1},
		{"truncated record in the middle before a short one", cat(a[:len(a)-30], warcinfo(), b), "b", 1, 1},
		{"junk before first record", cat([]byte("junk line\r\n"), a, b), "a,b", 1, 0},
		{"no content length", cat(bytes.Replace(a, []byte("Content-Length"), []byte("Content-Lxngth"), 1), b), "b", 1, 1},
		{"huge content length", cat(a, []byte("WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 200000000\r\n\r\nxx")), "a", 1, 1},
		{"no records at all", []byte("hello\x00world"), "", 1, 0},
		{"empty", nil, "", 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readWARC(t, "x.warc", tc.data)
			if res.err != nil {
				t.Fatal(res.err)
			}
			var ids []string
			for _, r := range res.recs {
				ids = append(ids, strings.TrimSuffix(strings.TrimPrefix(r.ID, "<urn:uuid:"), ">"))
			}
			if got := strings.Join(ids, ","); got != tc.ids {
				t.Errorf("records %q, want %q", got, tc.ids)
			}
			lost := 0
			for _, p := range res.problems {
				if p.Lost {
					lost++
				}
			}
			if len(res.problems) != tc.problems || lost != tc.lost {
				t.Errorf("problems %v, want %d (%d lost)", res.problems, tc.problems, tc.lost)
			}
		})
	}
}

func TestWARCPayloads(t *testing.T) {
	page := "<html><body><p>Grüße aus Köln</p></body></html>"
	var gzBody bytes.Buffer
	zw := gzip.NewWriter(&gzBody)
	zw.Write([]byte(page))
	zw.Close()
	var brBody bytes.Buffer
	bw := brotli.NewWriter(&brBody)
	bw.Write([]byte(page))
	bw.Close()
	chunked := fmt.Sprintf("%x\r\n%s\r\n%x\r\n%s\r\n0\r\n\r\n", 26, page[:26], len(page)-26, page[26:])
	for _, tc := range []struct {
		name     string
		rec      []byte
		wantHTML string
		wantText string
		ctype    string
		charset  string
		skipped  string
	}{
		{"chunked", warcRec("response", "http://x/", "1", "application/http; msgtype=response",
			httpResp("Content-Type: text/html; charset=\"ISO-8859-1\"\r\nTransfer-Encoding: chunked\r\n", []byte(chunked))),
			page, "", "text/html", "iso-8859-1", ""},
		{"gzip content-encoding", warcRec("response", "http://x/", "1", "application/http; msgtype=response",
			httpResp("Content-Type: text/html\r\nContent-Encoding: gzip\r\n", gzBody.Bytes())),
			page, "", "text/html", "", ""},
		{"br content-encoding", warcRec("response", "http://x/", "1", "application/http; msgtype=response",
			httpResp("Content-Type: text/html\r\nContent-Encoding: br\r\n", brBody.Bytes())),
			page, "", "text/html", "", ""},
		{"gzip header but already decoded", warcRec("response", "http://x/", "1", "application/http; msgtype=response",
			httpResp("Content-Type: text/html\r\nContent-Encoding: gzip\r\n", []byte(page))),
			page, "", "text/html", "", ""},
		{"wet conversion", warcRec("conversion", "http://x/", "1", "text/plain", []byte("Title\nSome text.\xff"),
			"WARC-Identified-Content-Language: deu,eng"), "", "Title\nSome text.\uFFFD", "", "", ""},
		{"html resource", warcRec("resource", "file:///x.html", "1", "text/html; charset=utf-8", []byte(page)),
			page, "", "text/html", "utf-8", ""},
		{"image resource", warcRec("resource", "file:///x.png", "1", "image/png", []byte("\x89PNG\r\n")),
			"", "", "", "", "warc:resource-non-html"},
		{"dns response", warcRec("response", "dns:example.org", "1", "text/dns", []byte("20260101 example.org. 3600 IN A 1.2.3.4")),
			"", "", "", "", "warc:response-non-http"},
		{"binary body", warcRec("response", "http://x/a.png", "1", "application/http; msgtype=response",
			httpResp("Content-Type: image/png\r\n", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"))),
			"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "", "image/png", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readWARC(t, "x.warc", tc.rec)
			if res.err != nil || len(res.problems) > 0 {
				t.Fatalf("err %v problems %v", res.err, res.problems)
			}
			if tc.skipped != "" {
				if len(res.recs) != 0 || res.skipped[tc.skipped] != 1 {
					t.Fatalf("want skipped %s, got %v and %d records", tc.skipped, res.skipped, len(res.recs))
				}
				return
			}
			if len(res.recs) != 1 {
				t.Fatalf("got %d records", len(res.recs))
			}
			r := res.recs[0]
			if string(r.HTML) != tc.wantHTML || r.Text != tc.wantText || r.ContentType != tc.ctype || r.Charset != tc.charset {
				t.Errorf("got HTML %q Text %q type %q charset %q", r.HTML, r.Text, r.ContentType, r.Charset)
			}
			if tc.name == "wet conversion" && r.Metadata["warc_identified_language"] != "deu,eng" {
				t.Errorf("metadata %v", r.Metadata)
			}
		})
	}
}

func TestDechunk(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\n\r\n", "hello world", true},
		{"5\nhello\n0\n", "hello", true},
		{"A\r\n0123456789\r\n0\r\n", "0123456789", true},
		{"5\r\nhel", "hel", false},
		{"<html>", "", false},
		{"", "", false},
	} {
		got, err := dechunk([]byte(tc.in))
		if string(got) != tc.want || (err == nil) != tc.ok {
			t.Errorf("dechunk(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestParseContentType(t *testing.T) {
	for _, tc := range []struct{ in, mt, cs string }{
		{"text/html; charset=UTF-8", "text/html", "utf-8"},
		{"Text/HTML;charset='windows-1252'", "text/html", "windows-1252"},
		{"text/html; charset=\"utf-8\"; charset=latin1", "text/html", "utf-8"},
		{"text/html;;", "text/html", ""},
		{"", "", ""},
	} {
		mt, cs := parseContentType(tc.in)
		if mt != tc.mt || cs != tc.cs {
			t.Errorf("parseContentType(%q) = %q, %q", tc.in, mt, cs)
		}
	}
}

// TestWARCStdin reads a gzipped WARC from a stream that cannot seek.
func TestWARCStdin(t *testing.T) {
	a, b, c := response("http://a/", "a", "<p>a</p>"), response("http://b/", "b", "<p>b</p>"), response("http://c/", "c", "<p>c</p>")
	data := cat(gz(a), corruptMiddle(gz(b)), gz(c))
	r, err := Open(Input{Path: "-"}, Options{Stdin: bytes.NewReader(data)})
	if err != nil {
		t.Fatal(err)
	}
	res := drain(t, r)
	if len(res.recs) < 2 || res.recs[0].ID != "<urn:uuid:a>" || res.recs[len(res.recs)-1].ID != "<urn:uuid:c>" {
		t.Errorf("records %v problems %v", res.ids(), res.problems)
	}
}

// TestWARCUndecodableBody: a body that claims a Content-Encoding it does not
// have is kept as stored, and a Problem that loses nothing follows the record.
func TestWARCUndecodableBody(t *testing.T) {
	rec := warcRec("response", "http://x/", "1", "application/http; msgtype=response",
		httpResp("Content-Type: text/html\r\nContent-Encoding: gzip\r\n", []byte("\x1f\x8b\x08\x00garbage\x00\x01\x02")))
	res := readWARC(t, "x.warc", rec)
	if len(res.recs) != 1 || len(res.problems) != 1 || res.problems[0].Lost {
		t.Fatalf("records %d, problems %v", len(res.recs), res.problems)
	}
	if !bytes.HasPrefix(res.recs[0].HTML, []byte("\x1f\x8b")) {
		t.Errorf("body %q", res.recs[0].HTML)
	}
}
