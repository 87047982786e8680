package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const cliPara = "The river rose three metres overnight, flooding the lower town and forcing hundreds of families to leave their homes before dawn."

const cliPage = `<html><head><title>Flood</title></head><body><nav><a href="/">Home</a></nav>
<article><h1>Flood</h1><p>` + cliPara + `</p></article><footer>Copyright</footer></body></html>`

func runCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	extractFlags.url, extractFlags.format, extractFlags.out = "", "text", ""
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&out)
	rootCmd.SetArgs(args)
	err := rootCmd.Execute()
	return out.String(), err
}

func TestExtractCommand(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "in", "a.html")
	gz := filepath.Join(dir, "in", "sub", "b.html.gz")
	os.MkdirAll(filepath.Dir(gz), 0o755)
	os.WriteFile(plain, []byte(cliPage), 0o644)
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write([]byte(cliPage))
	zw.Close()
	os.WriteFile(gz, buf.Bytes(), 0o644)

	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, out string)
	}{
		{"one page as text", []string{"extract", plain}, func(t *testing.T, out string) {
			if strings.TrimSpace(out) != cliPara {
				t.Errorf("output %q", out)
			}
		}},
		{"gzip page as json", []string{"extract", gz, "--format", "json", "--url", "https://example.com/news/flood"}, func(t *testing.T, out string) {
			var v map[string]any
			if err := json.Unmarshal([]byte(out), &v); err != nil {
				t.Fatal(err)
			}
			if v["title"] != "Flood" || v["text"] != cliPara || v["url"] != "https://example.com/news/flood" {
				t.Errorf("json %v", v)
			}
		}},
		{"folder to outdir", []string{"extract", filepath.Join(dir, "in"), "-o", filepath.Join(dir, "out")}, func(t *testing.T, out string) {
			for _, n := range []string{"a.txt", "b.txt"} {
				b, err := os.ReadFile(filepath.Join(dir, "out", n))
				if err != nil || strings.TrimSpace(string(b)) != cliPara {
					t.Errorf("%s: %q %v", n, b, err)
				}
			}
		}},
		{"markdown to outdir", []string{"extract", plain, "-o", filepath.Join(dir, "md"), "--format", "markdown"}, func(t *testing.T, out string) {
			if _, err := os.Stat(filepath.Join(dir, "md", "a.md")); err != nil {
				t.Error(err)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runCLI(t, tc.args...)
			if err != nil {
				t.Fatal(err)
			}
			tc.check(t, out)
		})
	}
	if _, err := runCLI(t, "extract", plain, "--format", "pdf"); err == nil {
		t.Error("unknown format accepted")
	}
	if _, err := runCLI(t, "extract", plain, gz); err == nil {
		t.Error("two inputs without -o accepted")
	}
}

func TestBenchExtractSkipsWithoutData(t *testing.T) {
	out, err := runCLI(t, "bench", "extract", "--data", t.TempDir())
	if err != nil || !strings.Contains(out, "skipping") {
		t.Errorf("out %q err %v", out, err)
	}
}

// --clean scores winnow's text once more after the clean stage: on a page
// whose article ends with a copyright line, the phrase rules drop it and
// the second row scores higher.
func TestBenchExtractClean(t *testing.T) {
	dir := t.TempDir()
	var paras []string
	for i := range 6 {
		paras = append(paras, fmt.Sprintf("Paragraph %d of the flood report tells at length how the river rose over the weekend and what the town did next.", i))
	}
	page := "<html><head><title>Flood report</title></head><body><nav><a href=/>Home</a></nav><article><h1>Flood report</h1><p>" +
		strings.Join(paras, "</p><p>") + "</p><p>© 2026 Valley Times. All rights reserved.</p></article></body></html>"
	if err := os.MkdirAll(filepath.Join(dir, "aeb", "html"), 0o755); err != nil {
		t.Fatal(err)
	}
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(page))
	zw.Close()
	if err := os.WriteFile(filepath.Join(dir, "aeb", "html", "p1.html.gz"), gz.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	truth, _ := json.Marshal(map[string]any{"p1": map[string]string{"articleBody": strings.Join(paras, "\n"), "url": "https://example.com/flood"}})
	if err := os.WriteFile(filepath.Join(dir, "aeb", "ground-truth.json"), truth, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := runCLI(t, "bench", "extract", "--data", dir, "--clean")
	if err != nil {
		t.Fatal(err)
	}
	f1 := func(tool string) float64 {
		for _, l := range strings.Split(out, "\n") {
			if rest, ok := strings.CutPrefix(l, tool+" "); ok {
				var v float64
				fmt.Sscan(rest, &v)
				return v
			}
		}
		t.Fatalf("no row %q in:\n%s", tool, out)
		return 0
	}
	if raw, cleaned := f1("winnow"), f1("winnow + clean (rules)"); cleaned <= raw {
		t.Errorf("F1 %v after clean, %v before:\n%s", cleaned, raw, out)
	}
}
