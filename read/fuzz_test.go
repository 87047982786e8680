package read

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// fuzzDrain reads everything a reader gives and checks the invariants every
// reader keeps on any input: Next ends, texts are valid UTF-8, indexes count
// up from 0.
func fuzzDrain(t *testing.T, r Reader, err error) {
	if err != nil {
		return // refusing an input is fine; panicking or hanging is not
	}
	defer r.Close()
	var index int64
	for i := 0; ; i++ {
		if i > 1<<20 {
			t.Fatal("Next does not terminate")
		}
		rec, err := r.Next()
		if err == io.EOF {
			return
		}
		var p *Problem
		if errors.As(err, &p) {
			continue
		}
		if err != nil {
			return
		}
		if !utf8.ValidString(rec.Text) || !utf8.ValidString(rec.ID) || !utf8.ValidString(rec.URL) {
			t.Fatalf("invalid UTF-8 in record %q", rec.ID)
		}
		if rec.Source.Index != index {
			t.Fatalf("index %d, want %d", rec.Source.Index, index)
		}
		index++
	}
}

func FuzzWARC(f *testing.F) {
	a := response("http://a/", "a", "<p>alpha</p>")
	b := warcRec("response", "http://b/", "b", "application/http; msgtype=response",
		httpResp("Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n", []byte("5\r\nhello\r\n0\r\n\r\n")))
	c := warcRec("conversion", "http://c/", "c", "text/plain", []byte("text"))
	f.Add(cat(warcinfo(), a, b, c))
	f.Add(cat(gz(a), gz(request("http://a/", "r")), gz(c)))
	f.Add(gz(cat(a, b)))
	f.Add([]byte("WARC/1.0\r\nContent-Length: 99999999999\r\nWARC-Type: response\r\n\r\nxx"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, seekable := range []bool{true, false} {
			var src io.Reader = bytes.NewReader(data)
			if !seekable {
				src = io.MultiReader(src) // hides Seek
			}
			fuzzDrain(t, newWARCReader("fuzz.warc", src, nil, Options{}), nil)
		}
	})
}

func FuzzJSONL(f *testing.F) {
	f.Add([]byte(`{"id": 1, "text": "a", "metadata": {"x": [1, {"y": 2}]}}` + "\n" + `{"text": "b\u00e9"}`))
	f.Add(gz([]byte(`{"id": "a", "text": "x"}`)))
	f.Add(zst([]byte(`{"id": "a", "text": "x"}`)))
	f.Add([]byte("{\"text\": \"\xff\"}\n[1,2]\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := newJSONLReader("fuzz.jsonl", bytes.NewReader(data), nil, Options{})
		fuzzDrain(t, r, err)
	})
}

func FuzzParquet(f *testing.F) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[parquetDoc](&buf)
	w.Write([]parquetDoc{{ID: "a", Text: "one", Lang: "en"}, {ID: "b", Text: "two", Tags: []string{"x"}}})
	w.Close()
	f.Add(buf.Bytes())
	f.Add([]byte("PAR1\x00\x00\x00\x00PAR1"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := newParquetReader("fuzz.parquet", bytes.NewReader(data), int64(len(data)), Options{})
		if err != nil {
			return
		}
		fuzzDrain(t, r, nil)
	})
}

func FuzzHTTP(f *testing.F) {
	f.Add([]byte("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"))
	f.Add(httpResp("Content-Encoding: gzip\r\n", gz([]byte("<p>x</p>"))))
	f.Add(httpResp("Content-Encoding: br\r\n", []byte{0x1b, 0x03, 0x00}))
	f.Add(httpResp("Content-Encoding: deflate\r\n", []byte{0x78, 0x9c, 0x03, 0x00}))
	f.Fuzz(func(t *testing.T, data []byte) {
		resp, err := parseHTTPResponse(data)
		if err == nil && (!utf8.ValidString(resp.mediaType) || !utf8.ValidString(resp.charset)) {
			t.Fatal("invalid UTF-8 in content type")
		}
	})
}

// FuzzStdin feeds standard input: the format is sniffed from the first bytes
// (WARC, JSONL, gzip or zstd of either, or plain text read as one document).
func FuzzStdin(f *testing.F) {
	f.Add([]byte("plain text \xff document"))
	f.Add(gz([]byte(`{"text": "x"}`)))
	f.Add(warcinfo())
	f.Add([]byte{0x28, 0xb5, 0x2f, 0xfd, 0x00})
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Open(Input{Path: "-"}, Options{Stdin: bytes.NewReader(data)})
		fuzzDrain(t, r, err)
	})
}
