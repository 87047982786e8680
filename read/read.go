// Package read turns input files into a stream of records.
//
// One file per format: warc.go (WARC and WET, gzipped or plain), jsonl.go
// (plain, .gz, .zst), parquet.go, txt.go (a directory of .txt files, one
// document each). Open picks the format from the file name and its first bytes.
//
// Bad input is normal on the web. A reader never panics on it: a record it
// cannot read becomes a *Problem error from Next, located by file and byte
// offset, and the reader goes on with the next record it can find.
package read

import (
	"fmt"

	"github.com/winnow-corpus/winnow/record"
)

// Reader yields the documents of one input, in the order they stand in it.
type Reader interface {
	// Next returns the next document. At the end it returns io.EOF. An error
	// of type *Problem is not fatal: it reports one place in the input that
	// could not be read (and, if Problem.Lost, one document lost there); call
	// Next again to go on. Any other error is fatal for this input.
	Next() (*record.Record, error)
	// Consumed is how many bytes of the input file (as stored, compressed or
	// not) the reader has consumed so far; used for progress and ETA.
	Consumed() int64
	// Skipped counts records that are not documents and were passed over on
	// purpose, by kind (for WARC: "warc:request", "warc:metadata", ...).
	Skipped() map[string]int64
	Close() error
}

// Problem is a located, non-fatal read error.
type Problem struct {
	File string
	// Offset is the byte offset in the file, or in the decompressed stream
	// when Decompressed. For gzipped WARC it is the offset of the gzip member
	// (compressed); for Parquet, which has no byte position per row, it is
	// the row number.
	Offset int64
	// Decompressed is true when Offset counts bytes of the decompressed stream.
	Decompressed bool
	// Lost is true when a document was lost at this place (it counts as
	// "unreadable"); false when only something else was skipped.
	Lost bool
	Err  error
}

func (p *Problem) Error() string {
	where := "offset"
	if p.Decompressed {
		where = "decompressed offset"
	}
	return fmt.Sprintf("%s: %s %d: %v", p.File, where, p.Offset, p.Err)
}

func (p *Problem) Unwrap() error { return p.Err }
