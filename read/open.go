package read

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zstd"
)

// Format names an input format.
type Format string

// The input formats winnow reads.
const (
	// FormatWARC is WARC or WET, plain or gzipped (one member per record, as
	// Common Crawl publishes them, or one member for the whole file).
	FormatWARC Format = "warc"
	// FormatJSONL is one JSON object per line, plain, gzip or zstd.
	FormatJSONL Format = "jsonl"
	// FormatParquet is an Apache Parquet file with one document per row.
	FormatParquet Format = "parquet"
	// FormatTXT is a set of plain text files, one document each.
	FormatTXT Format = "txt"
)

// Options configure how inputs are read.
type Options struct {
	IDField, TextField, URLField string    // JSONL/Parquet field names; "" means "id","text","url"
	Stdin                        io.Reader // read for the input "-"; nil means os.Stdin
}

func (o Options) fields() (id, text, url string) {
	id, text, url = o.IDField, o.TextField, o.URLField
	if id == "" {
		id = "id"
	}
	if text == "" {
		text = "text"
	}
	if url == "" {
		url = "url"
	}
	return id, text, url
}

// Input is one unit of input: a file, standard input, or a directory's text
// files taken together.
type Input struct {
	Path   string   // as given; "-" for standard input; a directory for a txt input
	Format Format   // "" for standard input: Open detects it from the first bytes
	Size   int64    // bytes on disk (sum of Files for txt dirs); 0 if unknown
	Files  []string // txt inputs: the .txt files, sorted
}

// Expand turns command-line arguments into inputs, deterministically: files
// are taken as they are; a directory is walked in lexical order, and all its
// .txt files together form ONE txt input (listed first, under the directory's
// path) while every WARC/WET/JSONL/Parquet file in it is its own input; "-"
// is standard input, whose format Open detects. Other files found in a
// directory (indexes, READMEs) are ignored, as are names starting with ".".
// An argument that does not exist but contains glob characters is expanded as
// a glob. The same path given twice is read once.
//
// The format of a named file comes from its extension (.warc, .warc.gz, .wet,
// .wet.gz; .jsonl, .json, .ndjson, each also with .gz or .zst; .parquet;
// .txt) and, failing that, from its first bytes. ARC files are not read.
func Expand(args []string) ([]Input, error) {
	var out []Input
	seen := make(map[string]bool)
	add := func(in Input) {
		key := in.Path
		if key != "-" {
			key = filepath.Clean(key)
		}
		if seen[key] {
			return
		}
		seen[key] = true
		out = append(out, in)
	}
	for _, arg := range args {
		if arg == "-" {
			add(Input{Path: "-"})
			continue
		}
		st, err := os.Stat(arg)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && strings.ContainsAny(arg, "*?[") {
				matches, gerr := filepath.Glob(arg)
				if gerr != nil {
					return nil, fmt.Errorf("read: bad pattern %q: %w", arg, gerr)
				}
				if len(matches) == 0 {
					return nil, fmt.Errorf("read: %s: no file matches", arg)
				}
				sub, err := Expand(matches)
				if err != nil {
					return nil, err
				}
				for _, in := range sub {
					add(in)
				}
				continue
			}
			return nil, fmt.Errorf("read: %w", err)
		}
		if !st.IsDir() {
			f, err := formatOfFile(arg)
			if err != nil {
				return nil, err
			}
			in := Input{Path: arg, Format: f, Size: st.Size()}
			if f == FormatTXT {
				in.Files = []string{arg}
			}
			add(in)
			continue
		}
		ins, err := expandDir(arg)
		if err != nil {
			return nil, err
		}
		for _, in := range ins {
			add(in)
		}
	}
	return out, nil
}

// expandDir walks dir in lexical order.
func expandDir(dir string) ([]Input, error) {
	txt := Input{Path: dir, Format: FormatTXT}
	var others []Input
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if path != dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		f := formatOfName(path)
		if f == "" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if f == FormatTXT {
			txt.Files = append(txt.Files, path)
			txt.Size += info.Size()
			return nil
		}
		others = append(others, Input{Path: path, Format: f, Size: info.Size()})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	var out []Input
	if len(txt.Files) > 0 {
		sort.Strings(txt.Files) // WalkDir is lexical per directory; make the whole list sorted
		out = append(out, txt)
	}
	return append(out, others...), nil
}

// formatOfName gives the format an extension implies, or "".
func formatOfName(name string) Format {
	n := strings.ToLower(filepath.Base(name))
	for _, c := range []string{".gz", ".zst", ".zstd"} {
		if strings.HasSuffix(n, c) {
			inner := strings.TrimSuffix(n, c)
			switch {
			case c == ".gz" && (strings.HasSuffix(inner, ".warc") || strings.HasSuffix(inner, ".wet")):
				return FormatWARC
			case strings.HasSuffix(inner, ".jsonl") || strings.HasSuffix(inner, ".json") || strings.HasSuffix(inner, ".ndjson"):
				return FormatJSONL
			}
			return ""
		}
	}
	switch filepath.Ext(n) {
	case ".warc", ".wet":
		return FormatWARC
	case ".jsonl", ".json", ".ndjson":
		return FormatJSONL
	case ".parquet":
		return FormatParquet
	case ".txt":
		return FormatTXT
	}
	return ""
}

// formatOfFile names the format of a file given by name on the command line:
// by extension, else by content.
func formatOfFile(path string) (Format, error) {
	if f := formatOfName(path); f != "" {
		return f, nil
	}
	fh, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("read: %w", err)
	}
	defer fh.Close()
	head := make([]byte, 512)
	n, _ := io.ReadFull(fh, head)
	f := sniff(head[:n])
	if f == "" {
		return "", fmt.Errorf("read: %s: unknown input format (want .warc[.gz], .wet[.gz], .jsonl[.gz|.zst], .parquet, .txt)", path)
	}
	return f, nil
}

// sniff recognises a format from the first bytes of an input, or returns "".
// Gzip and zstd streams are looked into.
func sniff(head []byte) Format {
	switch {
	case bytes.HasPrefix(head, []byte("PAR1")):
		return FormatParquet
	case isGzip(head):
		zr, err := gzip.NewReader(bytes.NewReader(head))
		if err != nil {
			return ""
		}
		inner := make([]byte, 64)
		n, _ := io.ReadFull(zr, inner)
		return sniffPlain(inner[:n])
	case isZstd(head):
		zr, err := zstd.NewReader(bytes.NewReader(head), zstd.WithDecoderConcurrency(1))
		if err != nil {
			return ""
		}
		defer zr.Close()
		inner := make([]byte, 64)
		n, _ := io.ReadFull(zr, inner)
		if f := sniffPlain(inner[:n]); f == FormatJSONL {
			return f
		}
		return ""
	}
	return sniffPlain(head)
}

func sniffPlain(head []byte) Format {
	t := bytes.TrimLeft(head, " \t\r\n\ufeff")
	switch {
	case bytes.HasPrefix(t, []byte("WARC/")):
		return FormatWARC
	case bytes.HasPrefix(t, []byte("{")):
		return FormatJSONL
	case len(head) > 0 && looksText(head):
		return FormatTXT
	}
	return ""
}

// looksText reports whether b has no NUL bytes and few control characters.
func looksText(b []byte) bool {
	ctl := 0
	for _, c := range b {
		if c == 0 {
			return false
		}
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' {
			ctl++
		}
	}
	return ctl*20 < len(b)
}

func isGzip(b []byte) bool { return len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b }
func isZstd(b []byte) bool {
	return len(b) >= 4 && b[0] == 0x28 && b[1] == 0xb5 && b[2] == 0x2f && b[3] == 0xfd
}

// Open returns a reader for in. A txt input is read file by file; standard
// input ("-") is read from opt.Stdin and its format detected from its first
// bytes when in.Format is empty (Parquet cannot be read from standard input:
// it needs random access).
func Open(in Input, opt Options) (Reader, error) {
	if in.Path == "-" {
		var src io.Reader = os.Stdin
		if opt.Stdin != nil {
			src = opt.Stdin
		}
		br := bufio.NewReaderSize(src, 64<<10)
		format := in.Format
		if format == "" {
			head, _ := br.Peek(512)
			format = sniff(head)
			if format == "" {
				if len(head) == 0 {
					format = FormatJSONL // empty input: no documents either way
				} else {
					return nil, errors.New("read: standard input: unknown input format")
				}
			}
		}
		switch format {
		case FormatWARC:
			return newWARCReader("-", br, nil, opt), nil
		case FormatJSONL:
			return newJSONLReader("-", br, nil, opt)
		case FormatTXT:
			return newTxtStreamReader("-", br, opt), nil
		}
		return nil, fmt.Errorf("read: standard input: format %q cannot be read from a stream", format)
	}
	format := in.Format
	if format == "" {
		f, err := formatOfFile(in.Path)
		if err != nil {
			return nil, err
		}
		format = f
	}
	switch format {
	case FormatTXT:
		files := in.Files
		if len(files) == 0 {
			files = []string{in.Path}
			if st, err := os.Stat(in.Path); err == nil && st.IsDir() {
				ins, err := expandDir(in.Path)
				if err != nil {
					return nil, err
				}
				files = nil
				if len(ins) > 0 && ins[0].Format == FormatTXT {
					files = ins[0].Files
				}
			}
		}
		return newTxtReader(in.Path, files, opt), nil
	case FormatParquet:
		return openParquet(in.Path, opt)
	case FormatWARC, FormatJSONL:
		f, err := os.Open(in.Path)
		if err != nil {
			return nil, fmt.Errorf("read: %w", err)
		}
		if format == FormatWARC {
			return newWARCReader(in.Path, f, f, opt), nil
		}
		r, err := newJSONLReader(in.Path, f, f, opt)
		if err != nil {
			f.Close()
			return nil, err
		}
		return r, nil
	}
	return nil, fmt.Errorf("read: %s: unknown format %q", in.Path, format)
}
