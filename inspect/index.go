// Package inspect serves a local web page for browsing what a run of
// `winnow run` kept and removed (`winnow inspect OUTDIR`): filter documents
// by reason, language, host or text; open one to see its original text with
// the removed lines struck through and their reasons beside the kept output,
// and, for duplicates, the members of its cluster side by side.
//
// # The index
//
// The first time an output directory is inspected, one pass over its shards
// writes an index under OUTDIR/.winnow/inspect/ (or, when OUTDIR is
// read-only, under the user's cache directory):
//
//   - docs.bin: one fixed-size record (recordSize bytes, little-endian) per
//     document, in shard order (kept shards first, then rejected ones): the
//     shard, the document's offset and length in the decompressed shard (its
//     row for a Parquet shard),
//     language, reason, host, length in characters, a hash naming its
//     duplicate cluster, and where its label (id and first words) lies in
//     labels.bin.
//   - labels.bin: the labels, back to back.
//   - meta.json: the shards (with size and modification time, so that a
//     changed directory is indexed again) and the tables of languages,
//     reasons and hosts the records point into, with their counts.
//
// Opening reads meta.json only. A query streams docs.bin from disk, so a
// million documents (48 MB of records) are filtered in tens of milliseconds
// with a fixed-size buffer; a text search also streams the shards, stopping
// as soon as the page is full. A document is read from its shard at its
// recorded offset.
package inspect

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	json "github.com/goccy/go-json"
	"github.com/zeebo/xxh3"

	"github.com/winnow-corpus/winnow/report"
)

// IndexDir is where the index lives, relative to the output directory.
const IndexDir = ".winnow/inspect"

// indexVersion changes whenever the index layout does.
const indexVersion = 1

// recordSize is the size of one docs.bin record.
const recordSize = 48

// labelRunes bounds the text part of a label.
const labelRunes = 100

// Entry is one document's index record.
type Entry struct {
	Shard    uint32 // position in Meta.Shards
	Offset   int64  // decompressed byte offset of the document's line
	Length   uint32 // length of the line without its newline
	Lang     uint16 // position in Meta.Languages
	Reason   uint16 // position in Meta.Reasons; 0 is "" (kept)
	Host     uint32 // position in Meta.Hosts
	Chars    uint32 // text length in characters
	Cluster  uint64 // hash naming the duplicate cluster
	LabelOff int64  // offset of the label in labels.bin
	LabelLen uint16
	Removed  bool // has removed lines (struck through in the document view)
}

func (e *Entry) encode(b []byte) {
	le := binary.LittleEndian
	le.PutUint32(b[0:], e.Shard)
	le.PutUint64(b[4:], uint64(e.Offset))
	le.PutUint32(b[12:], e.Length)
	le.PutUint16(b[16:], e.Lang)
	le.PutUint16(b[18:], e.Reason)
	le.PutUint32(b[20:], e.Host)
	le.PutUint32(b[24:], e.Chars)
	le.PutUint64(b[28:], e.Cluster)
	le.PutUint64(b[36:], uint64(e.LabelOff))
	le.PutUint16(b[44:], e.LabelLen)
	b[46] = 0
	if e.Removed {
		b[46] = 1
	}
	b[47] = 0
}

func decodeEntry(b []byte) Entry {
	le := binary.LittleEndian
	return Entry{Shard: le.Uint32(b[0:]), Offset: int64(le.Uint64(b[4:])), Length: le.Uint32(b[12:]),
		Lang: le.Uint16(b[16:]), Reason: le.Uint16(b[18:]), Host: le.Uint32(b[20:]), Chars: le.Uint32(b[24:]),
		Cluster: le.Uint64(b[28:]), LabelOff: int64(le.Uint64(b[36:])), LabelLen: le.Uint16(b[44:]), Removed: b[46] == 1}
}

// ShardInfo identifies one shard file as it was indexed.
type ShardInfo struct {
	Path    string `json:"path"` // relative to the output directory
	Size    int64  `json:"size"`
	ModTime int64  `json:"mod_time"` // Unix nanoseconds
	Kept    bool   `json:"kept"`
}

// Meta is meta.json.
type Meta struct {
	Version   int         `json:"version"`
	Docs      int64       `json:"docs"`
	Shards    []ShardInfo `json:"shards"`
	Languages []string    `json:"languages"`
	Reasons   []string    `json:"reasons"` // Reasons[0] is "", kept
	Hosts     []string    `json:"hosts"`
	// Counts per table entry, in the same order.
	LangCounts   []int64 `json:"language_counts"`
	ReasonCounts []int64 `json:"reason_counts"`
	HostCounts   []int64 `json:"host_counts"`
	// Problems are shard lines that could not be read while indexing.
	Problems []string `json:"problems,omitempty"`
}

// Index is an opened index of one output directory.
type Index struct {
	OutDir string
	Meta   Meta
	dir    string
	hostID map[string]uint32
}

// currentShards lists the output directory's shards as ShardInfo.
func currentShards(outDir string) ([]ShardInfo, error) {
	kept, rejected, err := report.Shards(outDir)
	if err != nil {
		return nil, err
	}
	var out []ShardInfo
	for i, list := range [][]string{kept, rejected} {
		for _, p := range list {
			st, err := os.Stat(p)
			if err != nil {
				return nil, err
			}
			rel, err := filepath.Rel(outDir, p)
			if err != nil {
				return nil, err
			}
			out = append(out, ShardInfo{Path: rel, Size: st.Size(), ModTime: st.ModTime().UnixNano(), Kept: i == 0})
		}
	}
	return out, nil
}

func sameShards(a, b []ShardInfo) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Open opens the index of outDir, building it first when it is missing or
// the shards have changed since it was built. rebuilt reports a new build.
// When outDir cannot be written (a shared, read-only corpus), the index lives
// in the user's cache directory instead, under a name derived from outDir's
// absolute path.
func Open(outDir string) (ix *Index, rebuilt bool, err error) {
	if _, err := os.Stat(filepath.Join(outDir, "summary.json")); err != nil {
		return nil, false, fmt.Errorf("inspect: %s is not the output directory of winnow run: %w", outDir, err)
	}
	shards, err := currentShards(outDir)
	if err != nil {
		return nil, false, err
	}
	dirs := []string{filepath.Join(outDir, IndexDir)}
	if cache, err := os.UserCacheDir(); err == nil {
		abs, _ := filepath.Abs(outDir)
		dirs = append(dirs, filepath.Join(cache, "winnow", "inspect", fmt.Sprintf("%016x", xxh3.HashString(abs))))
	}
	for _, dir := range dirs {
		ix = &Index{OutDir: outDir, dir: dir}
		if ix.load(dir, shards) {
			return ix, false, nil
		}
	}
	var buildErr error
	for _, dir := range dirs {
		if buildErr = build(outDir, dir, shards); buildErr == nil {
			ix = &Index{OutDir: outDir, dir: dir}
			if !ix.load(dir, shards) {
				return nil, false, fmt.Errorf("inspect: the index just built in %s does not load", dir)
			}
			return ix, true, nil
		}
	}
	return nil, false, fmt.Errorf("inspect: building the index: %w", buildErr)
}

// load reads meta.json from dir and reports whether it is a current index
// of shards.
func (ix *Index) load(dir string, shards []ShardInfo) bool {
	b, err := os.ReadFile(filepath.Join(dir, "meta.json"))
	if err != nil {
		return false
	}
	ix.Meta = Meta{}
	if json.Unmarshal(b, &ix.Meta) != nil || ix.Meta.Version != indexVersion || !sameShards(ix.Meta.Shards, shards) {
		return false
	}
	ix.init()
	return true
}

func (ix *Index) init() {
	ix.hostID = make(map[string]uint32, len(ix.Meta.Hosts))
	for i, h := range ix.Meta.Hosts {
		ix.hostID[h] = uint32(i)
	}
}

// table interns strings as small integers, counting each.
type table struct {
	ids    map[string]int
	names  []string
	counts []int64
}

func newTable(first ...string) *table {
	t := &table{ids: map[string]int{}}
	for _, s := range first {
		t.id(s)
		t.counts[len(t.counts)-1] = 0
	}
	return t
}

func (t *table) id(s string) int {
	i, ok := t.ids[s]
	if !ok {
		i = len(t.names)
		t.ids[s] = i
		t.names = append(t.names, s)
		t.counts = append(t.counts, 0)
	}
	t.counts[i]++
	return i
}

// label is a document's line in a result list: its id, title and first words.
func label(d *report.Doc) string {
	text := d.Str("title")
	if text == "" {
		text = d.Text
	}
	text = strings.Join(strings.Fields(text), " ")
	if utf8.RuneCountInString(text) > labelRunes {
		text = string([]rune(text)[:labelRunes]) + "…"
	}
	return strings.ToValidUTF8(d.ID+"\t"+text, "\uFFFD")
}

// build writes a new index of the shards to dir, through a temporary
// directory renamed into place.
func build(outDir, dir string, shards []ShardInfo) (err error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), ".inspect-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	docsF, err := os.Create(filepath.Join(tmp, "docs.bin"))
	if err != nil {
		return err
	}
	defer docsF.Close()
	labelsF, err := os.Create(filepath.Join(tmp, "labels.bin"))
	if err != nil {
		return err
	}
	defer labelsF.Close()
	dw, lw := bufio.NewWriterSize(docsF, 1<<20), bufio.NewWriterSize(labelsF, 1<<20)
	langs, reasons, hosts := newTable(), newTable(""), newTable()
	meta := Meta{Version: indexVersion, Shards: shards}
	var labelOff int64
	var rec [recordSize]byte
	for si, sh := range shards {
		err := report.ScanShard(filepath.Join(outDir, sh.Path), func(d *report.Doc, off int64, n int) error {
			lang := d.Str("language")
			if lang == "" {
				lang = "und"
			}
			reason := ""
			if !sh.Kept {
				reason = d.Str("reason")
				if reason == "" {
					reason = "(unknown)"
				}
			}
			host := report.Host(d.URL)
			lab := label(d)
			if len(lab) > 65535 {
				lab = lab[:65535]
			}
			e := Entry{Shard: uint32(si), Offset: off, Length: uint32(n), Lang: uint16(min(langs.id(lang), 65535)),
				Reason: uint16(min(reasons.id(reason), 65535)), Host: uint32(hosts.id(host)),
				Chars: uint32(min(utf8.RuneCountInString(d.Text), 1<<32-1)), Cluster: xxh3.HashString(report.ClusterKey(d)),
				LabelOff: labelOff, LabelLen: uint16(len(lab)), Removed: d.Metadata["removed_lines"] != nil}
			e.encode(rec[:])
			if _, err := dw.Write(rec[:]); err != nil {
				return err
			}
			if _, err := lw.WriteString(lab); err != nil {
				return err
			}
			labelOff += int64(len(lab))
			meta.Docs++
			return nil
		})
		if err != nil {
			var pathErr *os.PathError
			if errors.As(err, &pathErr) {
				return err
			}
			meta.Problems = append(meta.Problems, err.Error())
		}
	}
	if err := dw.Flush(); err != nil {
		return err
	}
	if err := lw.Flush(); err != nil {
		return err
	}
	meta.Languages, meta.LangCounts = langs.names, langs.counts
	meta.Reasons, meta.ReasonCounts = reasons.names, reasons.counts
	meta.Hosts, meta.HostCounts = hosts.names, hosts.counts
	b, err := json.Marshal(meta)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "meta.json"), b, 0o644); err != nil {
		return err
	}
	if err := docsF.Close(); err != nil {
		return err
	}
	if err := labelsF.Close(); err != nil {
		return err
	}
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	return os.Rename(tmp, dir)
}

// Filter selects documents. Zero values select everything.
type Filter struct {
	// Status is "kept", "removed" or "" (both).
	Status string
	// Reason is a rejection reason code.
	Reason string
	// Language is a language code ("und" for none).
	Language string
	// Host matches a host and its subdomains ("example.com" matches
	// "www.example.com").
	Host string
	// Text is searched in the documents' text, case-insensitively.
	Text string
}

// Hit is one document of a query's result.
type Hit struct {
	N      int64 // document number (position in docs.bin)
	Entry  Entry
	ID     string
	Label  string
	Lang   string
	Reason string
	Host   string
}

// Query returns up to limit documents matching f, skipping the first skip,
// and whether there are more.
func (ix *Index) Query(f Filter, skip, limit int) (hits []Hit, more bool, err error) {
	match, err := ix.matcher(f)
	if err != nil {
		return nil, false, err
	}
	needle := strings.ToLower(strings.TrimSpace(f.Text))
	var textOK func(n int64, e *Entry) (bool, error)
	if needle != "" {
		var done func()
		textOK, done = ix.textSearcher(needle)
		defer done()
	}
	seen := 0
	err = ix.scan(func(n int64, e *Entry) (bool, error) {
		if !match(e) {
			return true, nil
		}
		if textOK != nil {
			ok, err := textOK(n, e)
			if err != nil || !ok {
				return err == nil, err
			}
		}
		seen++
		if seen <= skip {
			return true, nil
		}
		if len(hits) == limit {
			more = true
			return false, nil
		}
		hits = append(hits, ix.hit(n, *e))
		return true, nil
	})
	return hits, more, err
}

func (ix *Index) hit(n int64, e Entry) Hit {
	h := Hit{N: n, Entry: e, Lang: ix.name(ix.Meta.Languages, int(e.Lang)), Reason: ix.name(ix.Meta.Reasons, int(e.Reason)),
		Host: ix.name(ix.Meta.Hosts, int(e.Host))}
	if lab, err := ix.label(e); err == nil {
		h.ID, h.Label, _ = strings.Cut(lab, "\t")
	}
	return h
}

func (ix *Index) name(tab []string, i int) string {
	if i < len(tab) {
		return tab[i]
	}
	return "?"
}

func (ix *Index) label(e Entry) (string, error) {
	f, err := os.Open(filepath.Join(ix.dir, "labels.bin"))
	if err != nil {
		return "", err
	}
	defer f.Close()
	b := make([]byte, e.LabelLen)
	if _, err := f.ReadAt(b, e.LabelOff); err != nil {
		return "", err
	}
	return string(b), nil
}

// matcher compiles the index-level part of f.
func (ix *Index) matcher(f Filter) (func(e *Entry) bool, error) {
	reason, lang := -1, -1
	if f.Reason != "" {
		reason = indexOf(ix.Meta.Reasons, f.Reason)
		if reason <= 0 {
			return func(*Entry) bool { return false }, nil
		}
	}
	if f.Language != "" {
		if lang = indexOf(ix.Meta.Languages, f.Language); lang < 0 {
			return func(*Entry) bool { return false }, nil
		}
	}
	var hostSet map[uint32]bool
	if h := strings.ToLower(strings.TrimSpace(f.Host)); h != "" {
		hostSet = map[uint32]bool{}
		for i, name := range ix.Meta.Hosts {
			if name == h || strings.HasSuffix(name, "."+h) {
				hostSet[uint32(i)] = true
			}
		}
	}
	status := f.Status
	if status != "" && status != "kept" && status != "removed" {
		return nil, fmt.Errorf("status %q: want kept or removed", status)
	}
	return func(e *Entry) bool {
		switch {
		case status == "kept" && e.Reason != 0, status == "removed" && e.Reason == 0:
			return false
		case reason >= 0 && int(e.Reason) != reason, lang >= 0 && int(e.Lang) != lang:
			return false
		case hostSet != nil && !hostSet[e.Host]:
			return false
		}
		return true
	}, nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// textSearcher returns a test of a document's text, reading the shards in
// order with one open reader at a time (queries visit documents in shard
// order), and a function that closes the open reader.
func (ix *Index) textSearcher(needle string) (test func(n int64, e *Entry) (bool, error), done func()) {
	var cur *report.ShardReader
	curShard := uint32(0)
	done = func() {
		if cur != nil {
			cur.Close()
		}
	}
	test = func(n int64, e *Entry) (bool, error) {
		if cur == nil || curShard != e.Shard {
			done()
			cur = nil
			if int(e.Shard) >= len(ix.Meta.Shards) {
				return false, fmt.Errorf("document %d: bad shard", n)
			}
			sr, err := report.OpenShard(filepath.Join(ix.OutDir, ix.Meta.Shards[e.Shard].Path))
			if err != nil {
				return false, err
			}
			cur, curShard = sr, e.Shard
		}
		d, err := cur.ReadAt(e.Offset, int(e.Length))
		if err != nil {
			return false, err
		}
		return strings.Contains(strings.ToLower(d.Text), needle), nil
	}
	return test, done
}

// scan streams docs.bin, calling fn until it returns false.
func (ix *Index) scan(fn func(n int64, e *Entry) (bool, error)) error {
	f, err := os.Open(filepath.Join(ix.dir, "docs.bin"))
	if err != nil {
		return err
	}
	defer f.Close()
	br := bufio.NewReaderSize(f, 1<<20)
	var rec [recordSize]byte
	for n := int64(0); ; n++ {
		if _, err := io.ReadFull(br, rec[:]); err != nil {
			if err == io.EOF {
				return nil
			}
			return err
		}
		e := decodeEntry(rec[:])
		ok, err := fn(n, &e)
		if err != nil || !ok {
			return err
		}
	}
}

// Entry returns document n's index record.
func (ix *Index) Entry(n int64) (Entry, error) {
	if n < 0 || n >= ix.Meta.Docs {
		return Entry{}, fmt.Errorf("no document %d", n)
	}
	f, err := os.Open(filepath.Join(ix.dir, "docs.bin"))
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	var rec [recordSize]byte
	if _, err := f.ReadAt(rec[:], n*recordSize); err != nil {
		return Entry{}, err
	}
	return decodeEntry(rec[:]), nil
}

// Doc reads document n from its shard.
func (ix *Index) Doc(n int64) (*report.Doc, Entry, error) {
	e, err := ix.Entry(n)
	if err != nil {
		return nil, e, err
	}
	if int(e.Shard) >= len(ix.Meta.Shards) {
		return nil, e, fmt.Errorf("document %d: bad shard", n)
	}
	d, err := report.ReadDocAt(filepath.Join(ix.OutDir, ix.Meta.Shards[e.Shard].Path), e.Offset, int(e.Length))
	return d, e, err
}

// Cluster returns up to limit other documents of document n's duplicate
// cluster, kept ones first.
func (ix *Index) Cluster(n int64, limit int) ([]Hit, error) {
	e, err := ix.Entry(n)
	if err != nil {
		return nil, err
	}
	var hits []Hit
	err = ix.scan(func(m int64, o *Entry) (bool, error) {
		if m != n && o.Cluster == e.Cluster {
			hits = append(hits, ix.hit(m, *o))
		}
		return len(hits) < limit, nil
	})
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Entry.Reason == 0 && hits[j].Entry.Reason != 0 })
	return hits, err
}
