package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/winnow-corpus/winnow/extract"
)

var extractFlags struct {
	url    string
	format string
	out    string
}

var extractCmd = &cobra.Command{
	Use: "extract FILE|DIR... [-o OUTDIR]",
	Example: `  winnow extract page.html.gz
  winnow extract page.html --url https://example.com/news/1 --format json
  curl -s https://example.com/ | winnow extract - --format markdown
  winnow extract pages/ -o texts/`,
	Short: "Print the main content of HTML pages",
	Long: `extract prints the main content of one HTML page (.html, .html.gz, or - for
standard input), dropping navigation, footers, cookie banners and other site
chrome.

With -o OUTDIR it reads any number of pages and folders (their .html and
.html.gz files, recursively) and writes OUTDIR/<name>.txt for each page,
<name> being the file name without .html/.html.gz (.md or .json with
--format markdown or json).

Formats: text (paragraphs separated by a blank line; headings, list items
and table rows on their own lines), markdown, and json (the text with title,
author, date, site name, canonical URL, language hint, page type and an
extraction confidence in [0,1]).`,
	Args: cobra.MinimumNArgs(1),
	RunE: runExtract,
}

func init() {
	f := extractCmd.Flags()
	f.StringVar(&extractFlags.url, "url", "", "the page's URL (resolves the canonical URL, hints the page type)")
	f.StringVar(&extractFlags.format, "format", "text", "output format: text, markdown or json")
	f.StringVarP(&extractFlags.out, "output", "o", "", "write one file per page into this folder")
	rootCmd.AddCommand(extractCmd)
}

// extractOutput is the JSON form of a result.
type extractOutput struct {
	extract.Metadata
	URL        string  `json:"url,omitempty"`
	Confidence float64 `json:"extract_confidence"`
	Truncated  string  `json:"extract_truncated,omitempty"`
	Text       string  `json:"text"`
}

func runExtract(cmd *cobra.Command, args []string) error {
	o := extractFlags
	ext := map[string]string{"text": ".txt", "markdown": ".md", "json": ".json"}[o.format]
	if ext == "" {
		return &exitError{2, fmt.Errorf("extract: unknown --format %q (want text, markdown or json)", o.format)}
	}
	ex, err := extract.New(extract.DefaultConfig())
	if err != nil {
		return err
	}
	if o.out == "" {
		if len(args) != 1 {
			return &exitError{2, fmt.Errorf("extract: %d inputs need -o OUTDIR", len(args))}
		}
		if fi, err := os.Stat(args[0]); err == nil && fi.IsDir() {
			return &exitError{2, fmt.Errorf("extract: %s is a folder; use -o OUTDIR", args[0])}
		}
		b, err := render(ex, args[0], o.url, o.format)
		if err != nil {
			return err
		}
		_, err = cmd.OutOrStdout().Write(b)
		return err
	}
	if err := os.MkdirAll(o.out, 0o755); err != nil {
		return err
	}
	var files []string
	for _, a := range args {
		if a == "-" {
			files = append(files, a)
			continue
		}
		fi, err := os.Stat(a)
		if err != nil {
			return err
		}
		if !fi.IsDir() {
			files = append(files, a)
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && pageName(p) != "" {
				files = append(files, p)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	failed := 0
	for _, f := range files {
		name := pageName(f)
		if f == "-" {
			name = "stdin"
		}
		if name == "" {
			name = filepath.Base(f)
		}
		b, err := render(ex, f, o.url, o.format)
		if err == nil {
			err = os.WriteFile(filepath.Join(o.out, name+ext), b, 0o644)
		}
		if err != nil {
			fmt.Fprintln(cmd.ErrOrStderr(), "winnow extract:", err)
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("extract: %d of %d pages failed", failed, len(files))
	}
	return nil
}

// pageName returns the file name of an HTML page without .html or .html.gz
// (also .htm), or "" if p is not named like a page.
func pageName(p string) string {
	base := filepath.Base(p)
	for _, suf := range []string{".html.gz", ".htm.gz", ".html", ".htm"} {
		if n, ok := strings.CutSuffix(base, suf); ok && n != "" {
			return n
		}
	}
	return ""
}

// readPage reads a page file, gunzipping .gz files (or gzip data on stdin).
func readPage(path string) ([]byte, error) {
	var r io.Reader
	if path == "-" {
		r = os.Stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if b, err = io.ReadAll(zr); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	return b, nil
}

// render extracts one page and formats it.
func render(ex *extract.Extractor, path, url, format string) ([]byte, error) {
	raw, err := readPage(path)
	if err != nil {
		return nil, err
	}
	res, err := ex.Extract(extract.Decode(raw, "", ""), url)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	switch format {
	case "markdown":
		return []byte(res.Markdown() + "\n"), nil
	case "json":
		b, err := json.MarshalIndent(extractOutput{Metadata: res.Metadata, URL: url, Confidence: res.Confidence,
			Truncated: res.Truncated, Text: res.Text}, "", "  ")
		return append(b, '\n'), err
	}
	return []byte(res.Text + "\n"), nil
}
