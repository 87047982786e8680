// Package benchdata reads the extraction benchmarks of ../shared/bench: the
// Article Extraction Benchmark (aeb/) and the WCXB development split
// (wcxb-dev/). It is used by `winnow bench extract` and by the separate
// go-trafilatura comparison module, so both score exactly the same pages.
//
// Pages are read one at a time (Each) so that a run never holds the whole
// benchmark (hundreds of megabytes of HTML) in memory.
package benchdata

import (
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Benchmark set names.
const (
	AEB  = "aeb"
	WCXB = "wcxb"
)

// Page is one benchmark page with its reviewed answer.
type Page struct {
	Set  string // AEB or WCXB
	ID   string
	URL  string
	Type string // WCXB page type; "article" for AEB
	HTML []byte // raw bytes, as stored (not decoded)
	// Truth is the reviewed main text (AEB articleBody, WCXB main_content).
	Truth string
	// With and Without are WCXB's snippets that must and must not appear.
	With, Without []string
}

// Filter selects pages.
type Filter struct {
	Sets  []string // AEB, WCXB; empty means both
	Types []string // WCXB page types; empty means all
	IDs   []string // page ids; empty means all
	Limit int      // at most this many pages per set; 0 means all
}

func (f Filter) set(s string) bool { return len(f.Sets) == 0 || slices.Contains(f.Sets, s) }
func (f Filter) typ(s string) bool { return len(f.Types) == 0 || slices.Contains(f.Types, s) }
func (f Filter) id(s string) bool  { return len(f.IDs) == 0 || slices.Contains(f.IDs, s) }

// Available reports whether dir holds at least one of the benchmarks.
func Available(dir string) bool {
	for _, p := range []string{"aeb/ground-truth.json", "wcxb-dev/metadata.json"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err == nil {
			return true
		}
	}
	return false
}

// Each calls fn for every page of dir selected by f, in a stable order (AEB
// first, then WCXB, each by id). It stops at the first error fn returns.
func Each(dir string, f Filter, fn func(*Page) error) error {
	if f.set(AEB) {
		if err := eachAEB(filepath.Join(dir, "aeb"), f, fn); err != nil {
			return err
		}
	}
	if f.set(WCXB) {
		if err := eachWCXB(filepath.Join(dir, "wcxb-dev"), f, fn); err != nil {
			return err
		}
	}
	return nil
}

func eachAEB(dir string, f Filter, fn func(*Page) error) error {
	var gt map[string]struct {
		ArticleBody string `json:"articleBody"`
		URL         string `json:"url"`
	}
	if err := readJSON(filepath.Join(dir, "ground-truth.json"), &gt); err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	ids := make([]string, 0, len(gt))
	for id := range gt {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	n := 0
	for _, id := range ids {
		if !f.id(id) || !f.typ("article") {
			continue
		}
		if f.Limit > 0 && n >= f.Limit {
			break
		}
		b, err := readGz(filepath.Join(dir, "html", id+".html.gz"))
		if err != nil {
			return err
		}
		n++
		g := gt[id]
		if err := fn(&Page{Set: AEB, ID: id, URL: g.URL, Type: "article", HTML: b, Truth: g.ArticleBody}); err != nil {
			return err
		}
	}
	return nil
}

func eachWCXB(dir string, f Filter, fn func(*Page) error) error {
	var meta struct {
		Files map[string]struct {
			PageType string `json:"page_type"`
		} `json:"files"`
	}
	if err := readJSON(filepath.Join(dir, "metadata.json"), &meta); err != nil {
		if os.IsNotExist(err) {
			return nil
		}
		return err
	}
	entries, err := os.ReadDir(filepath.Join(dir, "html"))
	if err != nil {
		return err
	}
	n := 0
	for _, e := range entries { // ReadDir sorts by name
		id, ok := strings.CutSuffix(e.Name(), ".html.gz")
		if !ok || !f.id(id) {
			continue
		}
		typ := meta.Files[id].PageType
		if !f.typ(typ) {
			continue
		}
		if f.Limit > 0 && n >= f.Limit {
			break
		}
		var gt struct {
			URL         string `json:"url"`
			GroundTruth struct {
				MainContent string   `json:"main_content"`
				With        []string `json:"with"`
				Without     []string `json:"without"`
			} `json:"ground_truth"`
		}
		if err := readJSON(filepath.Join(dir, "ground-truth", id+".json"), &gt); err != nil {
			return err
		}
		b, err := readGz(filepath.Join(dir, "html", e.Name()))
		if err != nil {
			return err
		}
		n++
		p := &Page{Set: WCXB, ID: id, URL: gt.URL, Type: typ, HTML: b, Truth: gt.GroundTruth.MainContent,
			With: gt.GroundTruth.With, Without: gt.GroundTruth.Without}
		if err := fn(p); err != nil {
			return err
		}
	}
	return nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readGz(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return b, nil
}
