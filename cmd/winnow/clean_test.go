package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/clean"
)

const cleanTestPage = `Home
News
Contact us

The council met on Tuesday to discuss the new budget for the coming year, and its members agreed that the city should spend more on its schools.

The vote was close, and several members said that they would return to the question of the harbour in the spring, when the report is due.

This website uses cookies. Click here to find out more.
Accept cookies`

// winnow clean DIR -o OUTDIR writes one cleaned file per input under the
// same relative name; --explain prints every line with its verdict.
func TestCleanCommand(t *testing.T) {
	in := t.TempDir()
	out := t.TempDir()
	files := map[string]string{
		"a.txt":          cleanTestPage,
		"sub/b.txt":      strings.ReplaceAll(cleanTestPage, "Tuesday", "Monday"),
		"sub/deep/c.txt": "Accept cookies\n",
	}
	for name, text := range files {
		p := filepath.Join(in, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := clean.New(clean.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	inputs, err := cleanInputs([]string{in})
	if err != nil {
		t.Fatal(err)
	}
	if len(inputs) != 3 || inputs[0].rel != "a.txt" || inputs[2].rel != filepath.Join("sub", "deep", "c.txt") {
		t.Fatalf("inputs %+v", inputs)
	}
	if err := runClean(&bytes.Buffer{}, nil, c, nil, inputs, out, false); err != nil {
		t.Fatal(err)
	}
	for name, text := range files {
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if want := c.Clean(text); string(got) != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	got, _ := os.ReadFile(filepath.Join(out, "a.txt"))
	if !strings.HasPrefix(string(got), "The council met") || strings.Contains(string(got), "cookies") {
		t.Errorf("a.txt cleaned to %q", got)
	}

	var buf bytes.Buffer
	if err := runClean(&buf, strings.NewReader(cleanTestPage), c, nil, []cleanInput{{path: "-", rel: "stdin.txt"}}, "", true); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != strings.Count(cleanTestPage, "\n")+1 {
		t.Fatalf("--explain printed %d lines for %d", len(lines), strings.Count(cleanTestPage, "\n")+1)
	}
	last := lines[len(lines)-1]
	if !strings.Contains(last, "DROP") || !strings.Contains(last, "cookie/consent") || !strings.HasSuffix(last, "| Accept cookies") {
		t.Errorf("--explain last line %q", last)
	}
}
