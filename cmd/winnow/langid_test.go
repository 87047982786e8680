package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runLangidCLI(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	langidFlags.model, langidFlags.lines, langidFlags.sampleBytes = "", false, 12000
	rootCmd.SetOut(&out)
	rootCmd.SetErr(&out)
	rootCmd.SetArgs(append([]string{"langid"}, args...))
	err := rootCmd.Execute()
	return out.String(), err
}

func TestLangidCommand(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "in.txt")
	os.WriteFile(text, []byte("the dog sleeps in the kitchen every evening\n\nder hund schläft jeden abend in der küche\n"), 0o644)
	english := filepath.Join(dir, "en.txt")
	os.WriteFile(english, []byte("The children are playing in the garden with the dog,\nand the weather is nice today.\n"), 0o644)
	tiny := filepath.Join("..", "..", "langid", "testdata", "tiny.ftz")

	tests := []struct {
		name  string
		args  []string
		want  []string // language code of each output line
		fails bool
	}{
		{"fallback, whole file", []string{english}, []string{"en"}, false},
		{"model, per line", []string{text, "--model", tiny, "--lines"}, []string{"en", "und", "de"}, false},
		{"model, whole file", []string{english, "--model", tiny}, []string{"en"}, false},
		{"missing model", []string{english, "--model", filepath.Join(dir, "none.ftz")}, nil, true},
		{"missing file", []string{filepath.Join(dir, "none.txt")}, nil, true},
		{"negative sample", []string{english, "--sample-bytes", "-1"}, nil, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runLangidCLI(t, tc.args...)
			if tc.fails {
				if err == nil {
					t.Errorf("no error; output %q", out)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			if len(lines) != len(tc.want) {
				t.Fatalf("output %q, want %d lines", out, len(tc.want))
			}
			for i, l := range lines {
				f := strings.Fields(l)
				if len(f) != 2 || f[0] != tc.want[i] || !strings.Contains(f[1], ".") {
					t.Errorf("line %d: %q, want %q and a confidence", i, l, tc.want[i])
				}
			}
		})
	}
}
