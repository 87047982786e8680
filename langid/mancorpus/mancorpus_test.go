package mancorpus

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"paragraphs and headings",
			".TH LS 1\n.SH NAME\nls \\- list\n.SH DESCRIPTION\n.PP\nList information\nabout the FILEs.\n.PP\nSecond one.\n",
			[]string{"NAME", "ls - list", "DESCRIPTION", "List information about the FILEs.", "Second one."}},
		{"font escapes and macros",
			".PP\nUse \\fB\\-a\\fP or \\f(BIfile\\fR and\n.B bold words\nhere.\n",
			[]string{"Use -a or file and bold words here."}},
		{"special characters",
			".PP\n\\(lqquoted\\(rq \\[em] \\(co 2024 \\[u00E9]t\\['e]\n",
			[]string{"“quoted” — © 2024 été"}},
		{"comments and strings",
			".\\\" a comment line\n.PP\ntext \\\" trailing comment\n\\*(lqmore\\*(rq \\s-1small\\s0 done\n",
			[]string{"text more small done"}},
		{"unfilled and ignored blocks",
			".PP\nbefore\n.nf\ncode line\n.fi\nafter\n.ig\nhidden\n..\n.EX\nexample\n.EE\nend\n",
			[]string{"before", "after", "end"}},
		{"blank line ends a paragraph", "one\n\ntwo\n", []string{"one", "two"}},
		{"unterminated escapes", "a \\\nb \\(x\nc \\[abc\nd \\f", []string{"a b c d"}},
		{"empty", "", nil},
	}
	for _, tc := range tests {
		if got := Paragraphs(tc.src); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestUsable(t *testing.T) {
	tests := []struct {
		p    string
		want bool
	}{
		{"Chaque page de manuel comporte une courte description.", true},
		{"short", false},
		{"--version print the version number of this program and exit", false},
		{"[-a] [-b] [-c] [--long-option=value] [--other-option=value]", false},
		{"0x1234 0x5678 0x9abc 0xdef0 1234 5678 9abc def0 1234 5678 9abc", false},
		{"日本語の説明文はここにあります。これは十分に長い段落の例です。さらに文字を足して四十字を超えるようにします。", true},
	}
	for _, tc := range tests {
		if got := usable(tc.p, 40); got != tc.want {
			t.Errorf("usable(%q) = %v, want %v", tc.p, got, tc.want)
		}
	}
	if !mostlyNonLatin("Поиск в справочных страницах apropos") || mostlyNonLatin("Bison is a parser generator, Βison") {
		t.Error("mostlyNonLatin")
	}
}

func writeGz(t *testing.T, path, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	z := gzip.NewWriter(&b)
	z.Write([]byte(src))
	z.Close()
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoad builds a small man tree: the German page repeats one English
// paragraph verbatim, which must be dropped as untranslated.
func TestLoad(t *testing.T) {
	root := t.TempDir()
	en := ".SH DESCRIPTION\n.PP\nThis paragraph describes what the program does in some detail.\n" +
		".PP\nThis paragraph was never translated into any other language at all.\n"
	de := ".SH BESCHREIBUNG\n.PP\nDieser Absatz beschreibt ausführlich, was das Programm eigentlich macht.\n" +
		".PP\nThis paragraph was never translated into any other language at all.\n"
	writeGz(t, filepath.Join(root, "man1", "prog.1.gz"), en)
	writeGz(t, filepath.Join(root, "de", "man1", "prog.1.gz"), de)
	os.WriteFile(filepath.Join(root, "de", "man1", "broken.1.gz"), []byte("not gzip"), 0o644)
	got, err := Load(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var de1, en1 []string
	for _, s := range got {
		switch s.Lang {
		case "de":
			de1 = append(de1, s.Text)
		case "en":
			en1 = append(en1, s.Text)
		default:
			t.Errorf("unexpected language %q", s.Lang)
		}
	}
	if len(de1) != 1 || de1[0] != "Dieser Absatz beschreibt ausführlich, was das Programm eigentlich macht." {
		t.Errorf("de paragraphs %q", de1)
	}
	if len(en1) != 2 {
		t.Errorf("en paragraphs %q", en1)
	}
	got, _ = Load(root, Options{PerLang: 1})
	if len(got) != 2 {
		t.Errorf("PerLang 1: %d samples", len(got))
	}
}
