// Command trafilatura runs go-trafilatura (github.com/markusmobius/go-trafilatura
// v1.12.2) on the extraction benchmark pages, for comparison with winnow.
//
// It lives in its own module so that go-trafilatura and its dependencies
// never enter winnow's go.mod. `winnow bench extract --compare` runs it with
// `go run` and scores its output with the same code and on the same pages as
// winnow's own (package extract/benchdata picks the pages).
//
// For every selected page it runs go-trafilatura twice, one goroutine, with
// default options and with EnableFallback (readability and dom-distiller
// fallbacks), and writes one JSON object to standard output:
//
//	{"tool": "...", "pages": N, "bytes": B,
//	 "default_seconds": S1, "fallback_seconds": S2,
//	 "results": [{"set": "aeb", "id": "...", "default": "...", "fallback": "..."}, ...]}
//
// Only the Extract calls are timed; reading and gunzipping files is not.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"

	trafilatura "github.com/markusmobius/go-trafilatura"

	"github.com/winnow-corpus/winnow/extract/benchdata"
)

type result struct {
	Set      string `json:"set"`
	ID       string `json:"id"`
	Default  string `json:"default"`
	Fallback string `json:"fallback"`
}

type output struct {
	Tool            string   `json:"tool"`
	Pages           int      `json:"pages"`
	Bytes           int64    `json:"bytes"`
	DefaultSeconds  float64  `json:"default_seconds"`
	FallbackSeconds float64  `json:"fallback_seconds"`
	Results         []result `json:"results"`
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func run(page []byte, opts trafilatura.Options) (text string, d time.Duration) {
	start := time.Now()
	defer func() {
		if recover() != nil {
			text = ""
		}
		d = time.Since(start)
	}()
	res, err := trafilatura.Extract(bytes.NewReader(page), opts)
	if err != nil || res == nil {
		return "", time.Since(start)
	}
	return res.ContentText, time.Since(start)
}

func main() {
	data := flag.String("data", "../../../shared/bench", "benchmark directory")
	sets := flag.String("sets", "", "comma-separated sets (aeb,wcxb); empty: both")
	types := flag.String("types", "", "comma-separated WCXB page types; empty: all")
	ids := flag.String("ids", "", "comma-separated page ids; empty: all")
	limit := flag.Int("limit", 0, "at most this many pages per set")
	flag.Parse()
	out := output{Tool: "go-trafilatura v1.12.2"}
	var tDef, tFb time.Duration
	f := benchdata.Filter{Sets: split(*sets), Types: split(*types), IDs: split(*ids), Limit: *limit}
	err := benchdata.Each(*data, f, func(p *benchdata.Page) error {
		u, _ := url.Parse(p.URL)
		def, d1 := run(p.HTML, trafilatura.Options{OriginalURL: u})
		fb, d2 := run(p.HTML, trafilatura.Options{OriginalURL: u, EnableFallback: true})
		tDef += d1
		tFb += d2
		out.Pages++
		out.Bytes += int64(len(p.HTML))
		out.Results = append(out.Results, result{Set: p.Set, ID: p.ID, Default: def, Fallback: fb})
		return nil
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "trafilatura:", err)
		os.Exit(1)
	}
	out.DefaultSeconds = tDef.Seconds()
	out.FallbackSeconds = tFb.Seconds()
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "trafilatura:", err)
		os.Exit(1)
	}
}
