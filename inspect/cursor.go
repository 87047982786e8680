package inspect

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	json "github.com/goccy/go-json"
	"github.com/klauspost/compress/zstd"

	"github.com/winnow-corpus/winnow/report"
)

// shardCursor reads documents of one shard front to back without starting
// the decompression over for each.
type shardCursor struct {
	shard uint32
	f     *os.File
	zr    *zstd.Decoder
	br    *bufio.Reader
	off   int64 // decompressed bytes consumed
}

func (ix *Index) openCursor(shard uint32) (*shardCursor, error) {
	if int(shard) >= len(ix.Meta.Shards) {
		return nil, fmt.Errorf("bad shard %d", shard)
	}
	f, err := os.Open(filepath.Join(ix.OutDir, ix.Meta.Shards[shard].Path))
	if err != nil {
		return nil, err
	}
	zr, err := zstd.NewReader(f, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxWindow(1<<27))
	if err != nil {
		f.Close()
		return nil, err
	}
	return &shardCursor{shard: shard, f: f, zr: zr, br: bufio.NewReaderSize(zr, 1<<16)}, nil
}

// readAt decodes the document of length n at offset off, which must not lie
// behind the cursor.
func (c *shardCursor) readAt(off int64, n int) (*report.Doc, error) {
	if off < c.off {
		return nil, fmt.Errorf("cursor at %d is past %d", c.off, off)
	}
	if _, err := io.CopyN(io.Discard, c.br, off-c.off); err != nil {
		return nil, err
	}
	buf := make([]byte, n)
	if _, err := io.ReadFull(c.br, buf); err != nil {
		return nil, err
	}
	c.off = off + int64(n)
	var d report.Doc
	if err := json.Unmarshal(buf, &d); err != nil {
		return nil, err
	}
	return &d, nil
}

func (c *shardCursor) close() {
	c.zr.Close()
	c.f.Close()
}
