package read

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/parquet-go/parquet-go"
	pqzstd "github.com/parquet-go/parquet-go/compress/zstd"
)

func zst(b []byte) []byte {
	var out bytes.Buffer
	w, _ := zstd.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

func readFile(t *testing.T, name string, data []byte, opt Options) result {
	t.Helper()
	p := writeFile(t, name, data)
	ins, err := Expand([]string{p})
	if err != nil {
		t.Fatal(err)
	}
	if len(ins) != 1 {
		t.Fatalf("Expand gave %v", ins)
	}
	r, err := Open(ins[0], opt)
	if err != nil {
		t.Fatal(err)
	}
	return drain(t, r)
}

func TestJSONL(t *testing.T) {
	lines := `{"id": "doc-1", "text": "First document.", "url": "https://a.example/1", "lang": "en", "score": 0.5}
{"id": 12345678901234567890, "text": "Numeric id.", "metadata": {"source": "cc", "lang": "ignored"}, "lang": "de"}
{"text": "No id here."}

not json at all
{"id": "bad", "text": 42}
{"id": "x", "text": "bad ` + "\xff" + ` byte and \ud800 lone surrogate"}
{"id": "nested", "text": "deep", "extra": {"a": [1, 2.5, {"b": null}]}}
`
	want := []struct {
		id, text, url string
		meta          map[string]any
	}{
		{"doc-1", "First document.", "https://a.example/1", map[string]any{"lang": "en", "score": 0.5}},
		{"12345678901234567890", "Numeric id.", "", map[string]any{"lang": "de", "source": "cc"}},
		{"docs:3", "No id here.", "", nil},
		{"x", "bad \uFFFD byte and \uFFFD lone surrogate", "", nil},
		{"nested", "deep", "", map[string]any{"extra": map[string]any{"a": []any{int64(1), 2.5, map[string]any{"b": nil}}}}},
	}
	badLine := int64(strings.Index(lines, "not json"))
	badText := int64(strings.Index(lines, `{"id": "bad"`))
	for _, tc := range []struct {
		name         string
		data         []byte
		decompressed bool
	}{
		{"docs.jsonl", []byte(lines), false},
		{"docs.jsonl.gz", gz([]byte(lines)), true},
		{"docs.jsonl.zst", zst([]byte(lines)), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := readFile(t, tc.name, tc.data, Options{})
			if res.err != nil {
				t.Fatal(res.err)
			}
			if len(res.recs) != len(want) {
				t.Fatalf("got %d records %v, problems %v", len(res.recs), res.ids(), res.problems)
			}
			for i, w := range want {
				r := res.recs[i]
				if r.ID != w.id || r.Text != w.text || r.URL != w.url || !reflect.DeepEqual(r.Metadata, w.meta) {
					t.Errorf("record %d = %q %q %q %#v", i, r.ID, r.Text, r.URL, r.Metadata)
				}
				if r.Source.Index != int64(i) {
					t.Errorf("record %d index %d", i, r.Source.Index)
				}
			}
			if len(res.problems) != 2 {
				t.Fatalf("problems %v", res.problems)
			}
			for i, off := range []int64{badLine, badText} {
				p := res.problems[i]
				if p.Offset != off || !p.Lost || p.Decompressed != tc.decompressed {
					t.Errorf("problem %d = %+v, want offset %d", i, p, off)
				}
			}
		})
	}
}

func TestJSONLFieldsAndLongLine(t *testing.T) {
	long := strings.Repeat("word ", 3<<20/5) // 3 MB: longer than the read buffer
	data := fmt.Sprintf(`{"doc_id": "a", "content": %q, "link": "u"}`+"\n"+`{"doc_id": 7, "content": "short"}`, long)
	res := readFile(t, "x.jsonl", []byte(data), Options{IDField: "doc_id", TextField: "content", URLField: "link"})
	if len(res.recs) != 2 || res.recs[0].Text != long || res.recs[0].URL != "u" || res.recs[1].ID != "7" || len(res.problems) != 0 {
		t.Fatalf("records %v problems %v", res.ids(), res.problems)
	}
	if off := res.recs[1].Source.Offset; off != int64(strings.IndexByte(data, '\n')+1) {
		t.Errorf("second offset %d", off)
	}
}

// TestJSONLEscapedLongText reads a 2 MB text of short lines (a JSON string
// full of \n escapes), which a streaming decoder takes quadratic time over,
// and big numbers in ids and nested metadata.
func TestJSONLEscapedLongText(t *testing.T) {
	long := strings.Repeat("a short line, \"quoted\".\n", 2<<20/24)
	line, _ := json.Marshal(map[string]any{"id": json.Number("12345678901234567890"), "text": long,
		"metadata": map[string]any{"n": json.Number("9007199254740993")}})
	res := readFile(t, "x.jsonl", append(line, '\n'), Options{})
	if len(res.recs) != 1 || len(res.problems) != 0 {
		t.Fatalf("records %v problems %v", res.ids(), res.problems)
	}
	r := res.recs[0]
	if r.Text != long || r.ID != "12345678901234567890" || r.Metadata["n"] != int64(9007199254740993) {
		t.Errorf("id %q metadata %v text ok %v", r.ID, r.Metadata, r.Text == long)
	}
}

type parquetDoc struct {
	ID    string   `parquet:"id"`
	Text  string   `parquet:"text"`
	URL   string   `parquet:"url,optional"`
	Lang  string   `parquet:"lang"`
	Score float64  `parquet:"score"`
	Count int32    `parquet:"count"`
	Tags  []string `parquet:"tags,list"`
}

func TestParquetRoundTrip(t *testing.T) {
	var docs []parquetDoc
	for i := 0; i < 300; i++ {
		docs = append(docs, parquetDoc{
			ID: fmt.Sprintf("d%03d", i), Text: fmt.Sprintf("Document number %d. \xff", i),
			URL: fmt.Sprintf("https://x.example/%d", i), Lang: "en", Score: float64(i) / 2, Count: int32(i), Tags: []string{"a"},
		})
	}
	for _, tc := range []struct {
		name string
		opts []parquet.WriterOption
	}{
		{"plain", []parquet.WriterOption{parquet.MaxRowsPerRowGroup(100)}},
		{"zstd, small pages", []parquet.WriterOption{parquet.MaxRowsPerRowGroup(120), parquet.Compression(&pqzstd.Codec{}), parquet.PageBufferSize(512)}},
	} {
		t.Run(tc.name, func(t *testing.T) { parquetRoundTrip(t, docs, tc.opts) })
	}
}

func parquetRoundTrip(t *testing.T, docs []parquetDoc, opts []parquet.WriterOption) {
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[parquetDoc](&buf, opts...)
	if _, err := w.Write(docs); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	res := readFile(t, "docs.parquet", buf.Bytes(), Options{})
	if res.err != nil || len(res.problems) != 0 {
		t.Fatalf("err %v problems %v", res.err, res.problems)
	}
	if len(res.recs) != len(docs) {
		t.Fatalf("got %d records", len(res.recs))
	}
	for i, r := range res.recs {
		d := docs[i]
		want := map[string]any{"lang": "en", "score": d.Score, "count": int64(d.Count)}
		if r.ID != d.ID || r.Text != strings.ToValidUTF8(d.Text, "\uFFFD") || r.URL != d.URL || !reflect.DeepEqual(r.Metadata, want) ||
			r.Source.Index != int64(i) || r.Source.Offset != int64(i) {
			t.Fatalf("record %d = %+v", i, r)
		}
	}

	// A file without the text column cannot be read.
	p := writeFile(t, "other.parquet", buf.Bytes())
	if _, err := Open(Input{Path: p, Format: FormatParquet}, Options{TextField: "body"}); err == nil {
		t.Error("want an error for a missing text column")
	}
}

func TestTxtDir(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"b.txt":          "Second file.\n",
		"a.txt":          "First file.",
		"sub/c.txt":      "Third \xff file.",
		"crawl.warc.gz":  string(gz(response("http://a/", "a", "<p>a</p>"))),
		"docs.jsonl":     `{"id":"j","text":"json"}`,
		"README.md":      "ignored",
		".hidden/d.txt":  "ignored",
		"sub/e.jsonl.gz": string(gz([]byte(`{"text":"e"}`))),
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ins, err := Expand([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range ins {
		got = append(got, fmt.Sprintf("%s:%s:%d", strings.TrimPrefix(in.Path, dir), in.Format, len(in.Files)))
	}
	want := []string{":txt:3", "/crawl.warc.gz:warc:0", "/docs.jsonl:jsonl:0", "/sub/e.jsonl.gz:jsonl:0"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Expand = %v, want %v", got, want)
	}
	if ins[0].Size != int64(len(files["a.txt"])+len(files["b.txt"])+len(files["sub/c.txt"])) {
		t.Errorf("txt size %d", ins[0].Size)
	}
	again, _ := Expand([]string{dir, filepath.Join(dir, "docs.jsonl")})
	if !reflect.DeepEqual(again, ins) {
		t.Errorf("Expand is not deterministic or repeats a file: %v", again)
	}

	r, err := Open(ins[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := drain(t, r)
	var docs []string
	for _, rec := range res.recs {
		docs = append(docs, rec.ID+"="+rec.Text)
		if !strings.HasPrefix(rec.Source.File, dir) {
			t.Errorf("source %q", rec.Source.File)
		}
	}
	if want := []string{"a=First file.", "b=Second file.\n", "sub/c=Third \uFFFD file."}; !reflect.DeepEqual(docs, want) {
		t.Errorf("docs %q", docs)
	}
	if len(res.problems) != 1 || res.problems[0].Lost || !strings.HasSuffix(res.problems[0].File, "c.txt") {
		t.Errorf("problems %v", res.problems)
	}

	// An Input made by hand, without its file list, reads the same files.
	r, err = Open(Input{Path: dir, Format: FormatTXT}, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if again := drain(t, r); len(again.recs) != len(res.recs) {
		t.Errorf("hand-made txt input read %d documents", len(again.recs))
	}
}

func TestExpandErrorsAndSniffing(t *testing.T) {
	if _, err := Expand([]string{filepath.Join(t.TempDir(), "missing.warc")}); err == nil {
		t.Error("want an error for a missing file")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		data []byte
		want Format
	}{
		{"crawl.bin", gz(warcinfo()), FormatWARC},
		{"plain.dat", warcinfo(), FormatWARC},
		{"docs.data", []byte(`{"text":"x"}`), FormatJSONL},
		{"docs.zdat", zst([]byte(`{"text":"x"}`)), FormatJSONL},
		{"notes", []byte("just some text\n"), FormatTXT},
		{"blob", []byte{0, 1, 2, 3, 0xff}, ""},
	} {
		p := filepath.Join(dir, tc.name)
		os.WriteFile(p, tc.data, 0o644)
		ins, err := Expand([]string{p})
		if tc.want == "" {
			if err == nil {
				t.Errorf("%s: want an error, got %v", tc.name, ins)
			}
			continue
		}
		if err != nil || len(ins) != 1 || ins[0].Format != tc.want {
			t.Errorf("%s: got %v, %v", tc.name, ins, err)
		}
	}
	ins, err := Expand([]string{"-"})
	if err != nil || len(ins) != 1 || ins[0].Path != "-" || ins[0].Format != "" {
		t.Errorf("stdin: %v %v", ins, err)
	}
	r, err := Open(ins[0], Options{Stdin: strings.NewReader(`{"id":"s","text":"from stdin"}` + "\n")})
	if err != nil {
		t.Fatal(err)
	}
	res := drain(t, r)
	if len(res.recs) != 1 || res.recs[0].Text != "from stdin" || res.recs[0].Source.File != "-" {
		t.Errorf("stdin records %v", res.recs)
	}
}

// TestParquetDamagedFooter checks that damaged files are refused with an
// error, in particular footers whose lengths would make the decoder allocate
// without bound.
func TestParquetDamagedFooter(t *testing.T) {
	file := func(footer []byte, magic string) []byte {
		var b bytes.Buffer
		b.WriteString("PAR1")
		b.Write(footer)
		n := len(footer)
		b.Write([]byte{byte(n), byte(n >> 8), byte(n >> 16), byte(n >> 24)})
		b.WriteString(magic)
		return b.Bytes()
	}
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"list of 2^31 schema elements", file([]byte{0x15, 0x02, 0x19, 0xFC, 0xFF, 0xFF, 0xFF, 0xFF, 0x07}, "PAR1")},
		{"string longer than the footer", file([]byte{0x15, 0x02, 0x58, 0xFF, 0xFF, 0x03}, "PAR1")},
		{"nested too deep", file(bytes.Repeat([]byte{0x1C}, 200), "PAR1")},
		{"truncated", file([]byte{0x15}, "PAR1")},
		{"encrypted footer", file([]byte{0x00}, "PARE")},
		{"too short", []byte("PAR1PAR1")},
	} {
		_, err := newParquetReader("x.parquet", bytes.NewReader(tc.data), int64(len(tc.data)), Options{})
		if err == nil {
			t.Errorf("%s: opened", tc.name)
		}
	}
}

// TestSample reads the sample crawl and documents of testdata/sample, which
// the README's first commands run on.
func TestSample(t *testing.T) {
	ins, err := Expand([]string{"../testdata/sample/crawl.warc.gz", "../testdata/sample/docs.jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := Open(ins[0], Options{})
	if err != nil {
		t.Fatal(err)
	}
	res := drain(t, r)
	if res.err != nil || len(res.problems) != 0 {
		t.Fatalf("err %v problems %v", res.err, res.problems)
	}
	if want := map[string]int64{"warc:warcinfo": 1, "warc:request": 15, "warc:metadata": 15}; !reflect.DeepEqual(res.skipped, want) {
		t.Errorf("skipped %v", res.skipped)
	}
	byURL := map[string]int{}
	for i, rec := range res.recs {
		byURL[rec.URL] = i
	}
	if len(res.recs) != 15 {
		t.Fatalf("%d documents", len(res.recs))
	}
	blog := res.recs[byURL["https://crumbandkettle.example/2026/02/six-months-of-failed-sourdough/"]]
	if !bytes.HasPrefix(blog.HTML, []byte("<!DOCTYPE html>")) || !bytes.HasSuffix(blog.HTML, []byte("</html>\n")) {
		t.Errorf("chunked blog body not decoded: %q...", blog.HTML[:40])
	}
	fr := res.recs[byURL["https://cuisinedudimanche.example/recettes/crepes-de-froment"]]
	if fr.Charset != "windows-1252" || !bytes.Contains(fr.HTML, []byte("\x9cufs")) {
		t.Errorf("French page charset %q", fr.Charset)
	}
	png := res.recs[byURL["https://www.harwickledger.example/assets/logo.png"]]
	if png.ContentType != "image/png" || !bytes.HasPrefix(png.HTML, []byte("\x89PNG")) {
		t.Errorf("PNG record %q %q", png.ContentType, png.HTML[:8])
	}
	if res.recs[byURL["https://www.harwickledger.example/news/local/bus-survey-2019"]].Metadata["http_status"] != 404 {
		t.Error("404 status not recorded")
	}

	r, err = Open(ins[1], Options{})
	if err != nil {
		t.Fatal(err)
	}
	res = drain(t, r)
	if len(res.recs) != 8 || len(res.problems) != 0 || res.recs[3].Metadata["servings"] != int64(4) {
		t.Errorf("docs.jsonl: %d records, problems %v", len(res.recs), res.problems)
	}
}
