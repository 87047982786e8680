// Package write writes records as corpus shards.
//
// A shard is written under a temporary name and appears under its final name
// only when complete: Commit flushes, fsyncs and renames it, so a reader (or a
// resumed run) never sees half a file. Two formats follow the Hugging Face
// datasets conventions and load as they are with load_dataset("json", ...) or
// load_dataset("parquet", ...):
//
//   - JSONL.zst (the default): one JSON object a line, {"id", "text", "url",
//     "metadata"}, metadata keys in sorted order.
//   - Parquet: columns id, text, url and metadata (the metadata object
//     JSON-encoded as a string, since its keys vary from document to document).
//
// Output bytes depend only on the records written, never on timing, so that a
// run gives byte-identical shards whatever its worker count.
package write

import (
	"fmt"
	"os"
	"path/filepath"

	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/record"
)

// Format names an output format.
type Format string

const (
	JSONLZstd Format = "jsonl.zst"
	Parquet   Format = "parquet"
)

// Ext returns the file name extension of the format, with its dot.
func (f Format) Ext() string { return "." + string(f) }

// ParseFormat checks a format name from a config or flag.
func ParseFormat(s string) (Format, error) {
	switch Format(s) {
	case JSONLZstd, Parquet:
		return Format(s), nil
	}
	return "", fmt.Errorf("unknown output format %q (want %q or %q)", s, JSONLZstd, Parquet)
}

// A ShardWriter writes records to one shard file.
type ShardWriter interface {
	Write(r *record.Record) error
	// Commit completes the shard and moves it to its final name.
	Commit() error
	// Abort removes the unfinished shard.
	Abort() error
}

// A LineWriter takes records already encoded by MarshalDoc (with a final
// newline), so that encoding can run in parallel ahead of the writer.
type LineWriter interface {
	WriteLine(line []byte) error
}

// Options control what a writer puts in a record's metadata.
type Options struct {
	// Rejected adds the rejection ("reason", "rejected_by", "reason_detail",
	// "duplicate_of") to the metadata: for the rejected/ shards.
	Rejected bool
	// DecisionLog adds the lines stages removed as metadata "removed_lines".
	DecisionLog bool
}

// Create opens a shard writer for path (its final name) in the given format.
// The directory is created if needed.
func Create(path string, f Format, opt Options) (ShardWriter, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	af, err := newAtomicFile(path)
	if err != nil {
		return nil, err
	}
	switch f {
	case JSONLZstd:
		return newJSONLWriter(af, opt)
	case Parquet:
		return newParquetWriter(af, opt), nil
	}
	af.abort()
	return nil, fmt.Errorf("unknown output format %q", f)
}

// Doc is the written form of a record, in the Hugging Face datasets layout.
type Doc struct {
	ID       string         `json:"id"`
	Text     string         `json:"text"`
	URL      string         `json:"url,omitempty"`
	Metadata map[string]any `json:"metadata"`
}

// docOf builds the written form of r.
func docOf(r *record.Record, opt Options) Doc {
	meta := make(map[string]any, len(r.Metadata)+4)
	for k, v := range r.Metadata {
		meta[k] = v
	}
	if opt.Rejected && r.Rejection != nil {
		meta["reason"] = r.Rejection.Reason
		meta["rejected_by"] = r.Rejection.Stage
		if r.Rejection.Detail != "" {
			meta["reason_detail"] = r.Rejection.Detail
		}
		if r.Rejection.DuplicateOf != "" {
			meta["duplicate_of"] = r.Rejection.DuplicateOf
		}
	}
	if opt.DecisionLog && len(r.Removed) > 0 {
		meta["removed_lines"] = r.Removed
	}
	return Doc{ID: r.ID, Text: r.Text, URL: r.URL, Metadata: meta}
}

// MarshalDoc encodes the written form of r as one JSON line, without the
// newline. Map keys come out sorted, so the bytes are deterministic.
func MarshalDoc(r *record.Record, opt Options) ([]byte, error) {
	b, err := json.MarshalWithOption(docOf(r, opt), json.DisableHTMLEscape())
	if err != nil {
		return nil, fmt.Errorf("record %q: %w", r.ID, err)
	}
	return b, nil
}

// atomicFile is a file written under a temporary name beside its final path.
type atomicFile struct {
	*os.File
	final string
}

func newAtomicFile(final string) (*atomicFile, error) {
	f, err := os.Create(final + TempSuffix)
	if err != nil {
		return nil, err
	}
	return &atomicFile{File: f, final: final}, nil
}

// commit fsyncs, closes and renames the file to its final name, then fsyncs
// the directory so that the rename itself survives a crash.
func (a *atomicFile) commit() error {
	if err := a.Sync(); err != nil {
		a.abort()
		return err
	}
	if err := a.Close(); err != nil {
		os.Remove(a.Name())
		return err
	}
	if err := os.Rename(a.Name(), a.final); err != nil {
		return err
	}
	return SyncDir(filepath.Dir(a.final))
}

func (a *atomicFile) abort() error {
	a.Close()
	return os.Remove(a.Name())
}

// SyncDir fsyncs a directory, making renames in it durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// WriteFileAtomic writes data to path through a temporary file, fsync and
// rename: path holds either its old content or all of data, never a part.
func WriteFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	af, err := newAtomicFile(path)
	if err != nil {
		return err
	}
	if _, err := af.Write(data); err != nil {
		af.abort()
		return err
	}
	return af.commit()
}

// TempSuffix ends the name of a file still being written; a file with it is
// an unfinished shard, which a resumed run removes.
const TempSuffix = ".tmp"
