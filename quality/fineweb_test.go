package quality

import (
	"strings"
	"testing"
)

// fwLines returns n distinct lines of eight words, the first `punct` of which
// end in a period, followed by `empty` empty lines.
func fwLines(n, punct, empty int) string {
	w := &words{}
	var lines []string
	for i := range n {
		line := strings.Join(w.list(8), " ")
		if i < punct {
			line += "."
		}
		lines = append(lines, line)
	}
	lines = append(lines, make([]string, empty)...)
	return strings.Join(lines, "\n")
}

// fwShort returns 100 lines: `short` of exactly 30 characters, the others of
// 31, all distinct and ending in a period.
func fwShort(short int) string {
	w := &words{}
	var lines []string
	for i := range 100 {
		line := strings.Join(w.list(6), " ") + "."
		if i >= short {
			line = line[:len(line)-1] + "x."
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// fwDup returns 49 distinct lines of 40 characters (the last one `shorter`
// bytes shorter) and one 20-character line twice.
func fwDup(t *testing.T, shorter int) string {
	w := &words{}
	var lines []string
	for i := range 49 {
		n := 39
		if i == 48 {
			n -= shorter
		}
		lines = append(lines, w.padTo(t, n)+".")
	}
	const repeated = "Line that repeats 1."
	lines = append(lines, repeated, repeated)
	return strings.Join(lines, "\n")
}

// fwWords returns lines of long distinct words, as many words as given.
func fwWords(counts ...int) string {
	letter := 'a'
	var lines []string
	for _, n := range counts {
		var ws []string
		for range n {
			ws = append(ws, strings.Repeat(string(letter), 15))
			letter++
		}
		lines = append(lines, strings.Join(ws, " ")+".")
	}
	return strings.Join(lines, "\n")
}

func TestFineWebBoundaries(t *testing.T) {
	f := must(NewFineWeb(DefaultFineWebConfig()))
	tests := []struct {
		name string
		text string
		want string
	}{
		{"12 of 100 lines end in punctuation pass", fwLines(100, 12, 0), ""},
		// Empty lines do not count (datatrove would reject this one).
		{"empty lines are not counted", fwLines(100, 12, 5), ""},
		{"11 of 100 lines end in punctuation fail", fwLines(100, 11, 0), ReasonFineWebPunctLines},
		{"67 of 100 lines short pass", fwShort(67), ""},
		{"68 of 100 lines short fail", fwShort(68), ReasonFineWebShortLines},
		{"repeated characters 20/2000 pass", fwDup(t, 0), ""},
		{"repeated characters 20/1999 fail", fwDup(t, 1), ReasonFineWebDupChars},
		{"3 newlines per 10 words pass", fwWords(3, 3, 2, 2), ""},
		{"3 newlines per 9 words fail", fwWords(3, 2, 2, 2), ReasonFineWebNewlineRatio},
		{"empty text fails", "", ReasonFineWebPunctLines},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { expectReason(t, f, tt.text, tt.want) })
	}
}

func TestFineWebSignals(t *testing.T) {
	cfg := DefaultFineWebConfig()
	cfg.Signals = true
	f := must(NewFineWeb(cfg))
	// Four lines, two ending in a period, one short, "Same line here." twice.
	text := "Same line here.\nSame line here.\nthis line has no end mark at all\nend"
	_, r := reasonOf(t, f, text, nil)
	want := map[string]float64{
		SignalFineWebPunctLines:   0.5,
		SignalFineWebShortLines:   0.75,
		SignalFineWebDupChars:     15.0 / 65,
		SignalFineWebNewlineRatio: 3.0 / 15,
	}
	for k, v := range want {
		if r.Metadata[k] != v {
			t.Errorf("%s = %v, want %v", k, r.Metadata[k], v)
		}
	}
}
