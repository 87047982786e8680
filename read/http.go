package read

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/andybalholm/brotli"
	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
)

// maxPayloadBytes bounds an HTTP body after decoding its Content-Encoding, so
// that a small compressed "bomb" cannot take the memory of a run.
const maxPayloadBytes = 64 << 20

// httpResponse is the part of an HTTP response a document needs.
type httpResponse struct {
	status    int
	mediaType string // lower case, without parameters
	charset   string // lower case
	body      []byte
	truncated bool  // the body was cut at maxPayloadBytes
	problem   error // a non-fatal problem decoding the body
}

// parseHTTPResponse splits an HTTP response as a WARC response record holds
// it into status, headers and body. The body is de-chunked when the response
// says Transfer-Encoding: chunked, and decoded when it says Content-Encoding
// gzip, deflate, br or zstd. Crawlers differ here: Common Crawl stores bodies
// already decoded (and renames the headers X-Crawler-...), others store the
// bytes as sent. A body that does not decode but looks like markup already is
// taken as it is; one that is neither is kept raw with a problem noted.
func parseHTTPResponse(block []byte) (httpResponse, error) {
	var resp httpResponse
	if !bytes.HasPrefix(block, []byte("HTTP/")) {
		return resp, errors.New("response record does not hold an HTTP response")
	}
	head, body := block, []byte(nil)
	if i := bytes.Index(block, []byte("\r\n\r\n")); i >= 0 {
		head, body = block[:i], block[i+4:]
	} else if i := bytes.Index(block, []byte("\n\n")); i >= 0 {
		head, body = block[:i], block[i+2:]
	}
	lines := bytes.Split(head, []byte("\n"))
	status := bytes.Fields(lines[0])
	if len(status) >= 2 {
		if n, err := strconv.Atoi(string(status[1])); err == nil && n >= 0 && n < 1000 {
			resp.status = n
		}
	}
	if resp.status == 0 {
		return resp, fmt.Errorf("bad HTTP status line %q", truncateForError(lines[0]))
	}
	var contentType, transfer, encoding string
	for _, l := range lines[1:] {
		i := bytes.IndexByte(l, ':')
		if i <= 0 {
			continue
		}
		name := bytes.TrimSpace(l[:i])
		val := string(bytes.TrimSpace(l[i+1:]))
		switch {
		case bytes.EqualFold(name, []byte("Content-Type")):
			if contentType == "" {
				contentType = val
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			transfer = strings.ToLower(val)
		case bytes.EqualFold(name, []byte("Content-Encoding")):
			encoding = strings.ToLower(val)
		}
	}
	resp.mediaType, resp.charset = parseContentType(contentType)
	resp.mediaType = validString(resp.mediaType)
	resp.charset = validString(resp.charset)

	if strings.Contains(transfer, "chunked") {
		if out, err := dechunk(body); err == nil || len(out) > 0 {
			body = out
		}
	}
	body, resp.truncated, resp.problem = decodeContent(body, encoding)
	resp.body = body
	return resp, nil
}

func truncateForError(b []byte) string {
	if len(b) > 60 {
		b = b[:60]
	}
	return validString(string(b))
}

// parseContentType returns the media type and charset parameter of a
// Content-Type value, lower-cased. It is lenient: real headers carry stray
// spaces, quotes, duplicate parameters and missing values.
func parseContentType(v string) (mediaType, charset string) {
	parts := strings.Split(v, ";")
	mediaType = strings.ToLower(strings.TrimSpace(parts[0]))
	for _, p := range parts[1:] {
		k, val, ok := strings.Cut(p, "=")
		if !ok || !strings.EqualFold(strings.TrimSpace(k), "charset") {
			continue
		}
		val = strings.Trim(strings.TrimSpace(val), `"'`)
		if charset == "" {
			charset = strings.ToLower(strings.TrimSpace(val))
		}
	}
	return mediaType, charset
}

var errChunk = errors.New("malformed chunked body")

// dechunk decodes an HTTP/1.1 chunked body. On malformed or truncated input it
// returns what it decoded so far with an error.
func dechunk(b []byte) ([]byte, error) {
	out := make([]byte, 0, len(b))
	for {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return out, errChunk
		}
		line := b[:i]
		if j := bytes.IndexByte(line, ';'); j >= 0 {
			line = line[:j] // chunk extensions
		}
		size, err := strconv.ParseUint(string(bytes.TrimSpace(line)), 16, 62)
		if err != nil {
			return out, errChunk
		}
		b = b[i+1:]
		if size == 0 {
			return out, nil // trailer fields, if any, are not needed
		}
		if size > uint64(len(b)) {
			return append(out, b...), errChunk
		}
		out = append(out, b[:size]...)
		b = b[size:]
		if bytes.HasPrefix(b, []byte("\r\n")) {
			b = b[2:]
		} else if bytes.HasPrefix(b, []byte("\n")) {
			b = b[1:]
		}
	}
}

var zstdDecoder = sync.OnceValues(func() (*zstd.Decoder, error) {
	return zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxPayloadBytes))
})

// decodeContent undoes a Content-Encoding. It returns the body unchanged when
// there is none, or when it cannot be decoded (with a problem, unless the body
// already looks like text).
func decodeContent(body []byte, encoding string) (out []byte, truncated bool, problem error) {
	encoding = strings.TrimSpace(encoding)
	if encoding == "" || encoding == "identity" || encoding == "none" || len(body) == 0 {
		return body, false, nil
	}
	var r io.Reader
	var err error
	switch encoding {
	case "gzip", "x-gzip":
		if !isGzip(body) {
			return body, false, unlessText(body, encoding)
		}
		var zr *gzip.Reader
		zr, err = gzip.NewReader(bytes.NewReader(body))
		r = zr
	case "deflate":
		// "deflate" means zlib, but servers often send raw deflate.
		if zr, zerr := zlib.NewReader(bytes.NewReader(body)); zerr == nil {
			r = zr
		} else {
			r = flate.NewReader(bytes.NewReader(body))
		}
	case "br":
		r = brotli.NewReader(bytes.NewReader(body))
	case "zstd":
		var d *zstd.Decoder
		if d, err = zstdDecoder(); err == nil {
			var dec []byte
			dec, err = d.DecodeAll(body, nil)
			if err == nil {
				return dec, false, nil
			}
		}
	default:
		return body, false, unlessText(body, encoding)
	}
	if err != nil {
		return body, false, unlessText(body, encoding)
	}
	dec, err := io.ReadAll(io.LimitReader(r, maxPayloadBytes+1))
	if len(dec) > maxPayloadBytes {
		return dec[:maxPayloadBytes], true, fmt.Errorf("body larger than %d bytes after Content-Encoding %s: cut", maxPayloadBytes, encoding)
	}
	if err != nil && (err != io.ErrUnexpectedEOF || len(dec) == 0) {
		return body, false, unlessText(body, encoding)
	}
	return dec, false, nil // a cut body (WARC-Truncated) decodes as far as it goes
}

// unlessText returns a problem for a body that could not be decoded, or nil
// when the body already looks like markup or text (the crawler decoded it
// and kept the header).
func unlessText(body []byte, encoding string) error {
	t := bytes.TrimLeft(body, " \t\r\n\ufeff")
	if len(t) > 0 && (t[0] == '<' || looksText(t[:min(len(t), 512)])) {
		return nil
	}
	return fmt.Errorf("cannot decode Content-Encoding %q; body kept as stored", truncateForError([]byte(encoding)))
}
