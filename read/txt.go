package read

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/winnow-corpus/winnow/record"
)

// txtReader reads a list of text files, one document per file. The ID of a
// document is its file's path relative to the input directory, without the
// extension ("notes" for dir/notes.txt, "2024/notes" for dir/2024/notes.txt).
// Text is the file's content as it is, except that invalid UTF-8 is replaced
// by U+FFFD, which is reported as a Problem with Lost false.
type txtReader struct {
	root     string // the input's path: a directory, or the single file
	files    []string
	next     int
	consumed int64
	index    int64
	out      outbox
	stream   io.Reader // standard input: one document
}

func newTxtReader(root string, files []string, _ Options) *txtReader {
	return &txtReader{root: root, files: files}
}

// newTxtStreamReader reads a whole stream as one document.
func newTxtStreamReader(name string, r io.Reader, _ Options) *txtReader {
	return &txtReader{root: name, files: []string{name}, stream: r}
}

func (t *txtReader) Consumed() int64           { return t.consumed }
func (t *txtReader) Skipped() map[string]int64 { return nil }
func (t *txtReader) Close() error              { return nil }

func (t *txtReader) Next() (*record.Record, error) {
	for {
		if !t.out.empty() {
			return t.out.pop()
		}
		if t.next >= len(t.files) {
			return nil, io.EOF
		}
		path := t.files[t.next]
		t.next++
		if err := t.read(path); err != nil {
			return nil, err
		}
	}
}

// read loads one file. Only errors that end the whole input are returned.
func (t *txtReader) read(path string) error {
	var src io.Reader = t.stream
	if src == nil {
		f, err := os.Open(path)
		if err != nil {
			t.out.problem(&Problem{File: path, Lost: true, Err: err})
			return nil
		}
		defer f.Close()
		src = f
	}
	b, err := io.ReadAll(io.LimitReader(src, maxDocBytes+1))
	t.consumed += int64(len(b))
	if err != nil {
		t.out.problem(&Problem{File: path, Lost: true, Err: err})
		return nil
	}
	if len(b) > maxDocBytes {
		t.out.problem(&Problem{File: path, Lost: true, Err: fmt.Errorf("file larger than %d bytes", maxDocBytes)})
		return nil
	}
	text, replaced := validText(b)
	r := &record.Record{ID: t.id(path), Text: text}
	r.Source = record.Source{File: path, Index: t.index}
	t.index++
	t.out.rec(r)
	if replaced {
		t.out.problem(&Problem{File: path, Err: errors.New("invalid UTF-8 replaced by U+FFFD")})
	}
	return nil
}

// id is path relative to the input directory, without its extension, with
// forward slashes.
func (t *txtReader) id(path string) string {
	if path == "-" {
		return "stdin"
	}
	rel := filepath.Base(path)
	if r, err := filepath.Rel(t.root, path); err == nil && r != "." && !strings.HasPrefix(r, "..") {
		rel = r
	}
	rel = filepath.ToSlash(rel)
	return validString(strings.TrimSuffix(rel, filepath.Ext(rel)))
}
