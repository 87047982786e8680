package report

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"
)

// Doc is one written document as `winnow run` writes it to OUTDIR/data and
// OUTDIR/rejected: one JSON object per line of a zstd-compressed shard.
type Doc struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	URL      string         `json:"url"`
	Metadata map[string]any `json:"metadata"`
}

// RemovedLine is one entry of a document's "removed_lines" metadata (kept
// documents carry it when the run's output.decision_log is on; rejected ones
// always do).
type RemovedLine struct {
	Stage  string  `json:"stage"`
	Line   int     `json:"line"`
	Text   string  `json:"text"`
	Reason string  `json:"reason"`
	Score  float64 `json:"score"`
}

// Str returns the string metadata value key, or "".
func (d *Doc) Str(key string) string {
	s, _ := d.Metadata[key].(string)
	return s
}

// Int returns the numeric metadata value key, or 0.
func (d *Doc) Int(key string) int64 {
	switch v := d.Metadata[key].(type) {
	case float64:
		return int64(v)
	case int64:
		return v
	case int:
		return int64(v)
	case json.Number:
		n, _ := v.Int64()
		return n
	}
	return 0
}

// Removed decodes the document's "removed_lines" metadata; malformed
// entries are skipped.
func (d *Doc) Removed() []RemovedLine {
	raw, ok := d.Metadata["removed_lines"].([]any)
	if !ok {
		return nil
	}
	out := make([]RemovedLine, 0, len(raw))
	for _, e := range raw {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		var rl RemovedLine
		rl.Stage, _ = m["stage"].(string)
		rl.Text, _ = m["text"].(string)
		rl.Reason, _ = m["reason"].(string)
		if f, ok := m["line"].(float64); ok {
			rl.Line = int(f)
		}
		rl.Score, _ = m["score"].(float64)
		out = append(out, rl)
	}
	return out
}

// Host returns the lower-cased host name of a document's URL, or "" when it
// has none.
func Host(rawURL string) string {
	if rawURL == "" {
		return ""
	}
	u, err := url.Parse(rawURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

// Shards lists the shards (.jsonl.zst or .parquet) of a run's output
// directory, each list sorted by name: kept documents (OUTDIR/data) and
// rejected ones (OUTDIR/rejected).
func Shards(outDir string) (kept, rejected []string, err error) {
	list := func(sub string) ([]string, error) {
		var out []string
		for _, pat := range []string{"*.jsonl.zst", "*.parquet"} {
			m, err := filepath.Glob(filepath.Join(outDir, sub, pat))
			if err != nil {
				return nil, err
			}
			out = append(out, m...)
		}
		sort.Strings(out)
		return out, nil
	}
	if kept, err = list("data"); err != nil {
		return nil, nil, err
	}
	rejected, err = list("rejected")
	return kept, rejected, err
}

// maxLine bounds one document line; longer lines are reported as errors
// instead of being held in memory.
const maxLine = 1 << 30

// ScanShard calls fn for every document of a shard, in order, with the
// document's location (see ReadDocAt): in a JSONL shard, the byte offset and
// length of its line in the decompressed stream; in a Parquet shard, its row
// number and 0. A line that is not a JSON document is skipped; the first such
// problem is returned after the scan, with its offset. An error from fn stops
// the scan and is returned.
func ScanShard(path string, fn func(d *Doc, off int64, n int) error) error {
	if isParquet(path) {
		return scanParquet(path, fn)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
	if err != nil {
		return err
	}
	defer zr.Close()
	br := bufio.NewReaderSize(zr, 1<<16)
	var off int64
	var firstBad error
	for {
		line, err := readLine(br)
		if len(line) > 0 {
			n := len(line)
			body := bytes.TrimRight(line, "\r\n")
			if len(bytes.TrimSpace(body)) > 0 {
				var d Doc
				if jerr := json.Unmarshal(body, &d); jerr != nil {
					if firstBad == nil {
						firstBad = fmt.Errorf("%s: offset %d: %v", path, off, jerr)
					}
				} else if ferr := fn(&d, off, len(body)); ferr != nil {
					return ferr
				}
			}
			off += int64(n)
		}
		if err == io.EOF {
			return firstBad
		}
		if err != nil {
			return fmt.Errorf("%s: offset %d: %w", path, off, err)
		}
	}
}

func readLine(br *bufio.Reader) ([]byte, error) {
	var buf []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if buf == nil && err == nil {
			return chunk, nil
		}
		buf = append(buf, chunk...)
		if len(buf) > maxLine {
			return nil, fmt.Errorf("line longer than %d bytes", maxLine)
		}
		if err != bufio.ErrBufferFull {
			return buf, err
		}
	}
}

// ReadDocAt reads the document at a location ScanShard reported. Prefer a
// ShardReader for several documents of one shard.
func ReadDocAt(path string, off int64, n int) (*Doc, error) {
	sr, err := OpenShard(path)
	if err != nil {
		return nil, err
	}
	defer sr.Close()
	d, err := sr.ReadAt(off, n)
	if err == nil && filepath.Base(filepath.Dir(path)) == "data" {
		// A kept document: its removed lines may be in the decision log.
		log, lerr := removedLogs.load(path)
		if lerr != nil {
			return d, lerr
		}
		attachRemoved(d, log)
	}
	return d, err
}

// A ShardReader reads documents of one shard at the locations ScanShard
// reported. JSONL shards are single zstd streams: reading decompresses up to
// the document, so documents are read fastest in increasing order (going
// back starts the stream over). Shards are bounded in size by the run's
// output.shard_records.
type ShardReader struct {
	path string
	f    *os.File
	zr   *zstd.Decoder
	br   *bufio.Reader
	pos  int64 // decompressed bytes consumed
	pq   *parquetShard
}

// OpenShard opens a shard for reading.
func OpenShard(path string) (*ShardReader, error) {
	sr := &ShardReader{path: path}
	if isParquet(path) {
		pq, err := openParquet(path)
		if err != nil {
			return nil, err
		}
		sr.pq = pq
		return sr, nil
	}
	return sr, sr.restart()
}

func (sr *ShardReader) restart() error {
	sr.Close()
	f, err := os.Open(sr.path)
	if err != nil {
		return err
	}
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
	if err != nil {
		f.Close()
		return err
	}
	sr.f, sr.zr, sr.br, sr.pos = f, zr, bufio.NewReaderSize(zr, 1<<16), 0
	return nil
}

// ReadAt reads the document at off (byte offset, or row of a Parquet
// shard) of length n (0 for Parquet).
func (sr *ShardReader) ReadAt(off int64, n int) (*Doc, error) {
	if sr.pq != nil {
		return sr.pq.read(off)
	}
	if off < 0 || n < 0 || n > maxLine {
		return nil, fmt.Errorf("%s: bad document location %d+%d", sr.path, off, n)
	}
	if off < sr.pos {
		if err := sr.restart(); err != nil {
			return nil, err
		}
	}
	if _, err := io.CopyN(io.Discard, sr.br, off-sr.pos); err != nil {
		sr.pos = math.MaxInt64 // start over next time
		return nil, fmt.Errorf("%s: seeking to %d: %w", sr.path, off, err)
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(sr.br, buf); err != nil {
		sr.pos = math.MaxInt64
		return nil, fmt.Errorf("%s: reading %d bytes at %d: %w", sr.path, n, off, err)
	}
	sr.pos = off + int64(n)
	var d Doc
	if err := json.Unmarshal(buf, &d); err != nil {
		return nil, fmt.Errorf("%s: offset %d: %w", sr.path, off, err)
	}
	return &d, nil
}

// Close releases the shard.
func (sr *ShardReader) Close() error {
	if sr.pq != nil {
		return sr.pq.close()
	}
	if sr.zr != nil {
		sr.zr.Close()
		sr.zr = nil
	}
	if sr.f != nil {
		err := sr.f.Close()
		sr.f = nil
		return err
	}
	return nil
}
