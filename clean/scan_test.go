package clean

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// scanLineSlow is scanLine without its shortcuts for ASCII: with a byte
// class table that sends every byte to the general path, which reads each
// rune as any other. scanLine must fill the same stats.
func scanLineSlow(line string, st *lineStats, title, inTitle *bloom, lex []byte, words *[]uint64) {
	saved := asciiClass
	asciiClass = [256]uint8{}
	defer func() { asciiClass = saved }()
	scanLine(line, st, title, inTitle, lex, words)
}

// TestScanLineShortcuts checks scanLine against scanLineSlow on generated
// lines mixing ASCII letters, digits, spaces and punctuation with
// multi-byte letters, spaces, separators and invalid UTF-8.
func TestScanLineShortcuts(t *testing.T) {
	m, err := BuiltinModel()
	if err != nil {
		t.Fatal(err)
	}
	pieces := []string{
		"the", "The", "THE", "cookies", "Read", "more", "all", "rights", "reserved", "read", "x",
		"a", "Z", "0", "42", "_", "snake_case", "e.g.", "www.example.com", "http://a.b",
		" ", " ", " ", "\t", "\r", "\u00a0", "\u2009", ",", ".", ". ", "!", "?", ":", ";", "-",
		"|", ">", "/", "»", "«", "•", "·", "→", "©", "@", "…", "...", "\"", "'", ")", "(", "]",
		"é", "É", "ß", "Ärger", "straße", "日本", "。", "！", "–", "—", "✓", "+", "*", "$", "%",
		"١٢٣", "Ω", "ǅ", "\xff", "\xe2\x82", "\x00", "~", "^", "`",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var a, b lineStats
	var ta, tb bloom
	check := func(line string) {
		t.Helper()
		ta, tb = bloom{}, bloom{}
		var wa, wb []uint64
		scanLine(line, &a, &ta, nil, m.Lexicon, &wa)
		scanLineSlow(line, &b, &tb, nil, m.Lexicon, &wb)
		if a != b || ta != tb || !slices.Equal(wa, wb) {
			t.Fatalf("scanLine(%q):\n fast %+v\n slow %+v", line, a, b)
		}
		scanLine(line, &a, nil, &ta, nil, nil)
		scanLineSlow(line, &b, nil, &ta, nil, nil)
		if a != b {
			t.Fatalf("scanLine(%q) with a title:\n fast %+v\n slow %+v", line, a, b)
		}
	}
	for range 20000 {
		var sb strings.Builder
		for range rng.IntN(25) {
			sb.WriteString(pieces[rng.IntN(len(pieces))])
		}
		check(sb.String())
	}
	for _, line := range []string{"", " ", "a", "A", "1", "_", "aB", "Ab", "1a", "a1", "é", "\xff"} {
		check(line)
	}
}
