package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
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
