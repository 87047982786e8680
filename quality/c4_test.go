package quality

import (
	"fmt"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

// five holds five sentences, enough for the paper variant.
const five = "The first line is here.\nThe second line is here.\nThe third line is here.\nThe fourth line is here.\nThe fifth line is here."

func TestC4Lines(t *testing.T) {
	paper := must(NewC4(DefaultC4Config()))
	tfdsCfg := DefaultC4Config()
	tfdsCfg.Variant = C4TFDS
	tfds := must(NewC4(tfdsCfg))
	finewebCfg := DefaultC4Config()
	finewebCfg.TerminalPunct = false
	fineweb := must(NewC4(finewebCfg))
	long := func(n int) string { return strings.Repeat("x", n) }

	tests := []struct {
		name   string
		c4     *C4
		line   string
		kept   string // the line as kept, "" when removed
		reason string // the reason it was removed
	}{
		{"3 words pass", paper, "One two three.", "One two three.", ""},
		{"2 words removed", paper, "One two.", "", ReasonC4MinWords},
		{"TFDS 5 words pass", tfds, "One two three four five.", "One two three four five.", ""},
		{"TFDS 4 words removed", tfds, "One two three four.", "", ReasonC4MinWords},
		{"end mark pass", paper, "Is it three words?", "Is it three words?", ""},
		{"no end mark removed", paper, "One two three", "", ReasonC4NoTerminalPunct},
		{"ellipsis removed", paper, "One two three...", "", ReasonC4NoTerminalPunct},
		{"quote ends a line in the paper variant", paper, "He said 'one two three'", "He said 'one two three'", ""},
		{"quote does not end a line in TFDS", tfds, "He said one two 'three four'", "", ReasonC4NoTerminalPunct},
		{"FineWeb keeps lines without end mark", fineweb, "One two three", "One two three", ""},
		{"FineWeb still counts words", fineweb, "One two", "", ReasonC4MinWords},
		{"1000-character word pass", paper, long(1000) + " two three.", long(1000) + " two three.", ""},
		{"1001-character word removed", paper, long(1001) + " two three.", "", ReasonC4LongWord},
		{"javascript removed", paper, "Please enable JavaScript to continue.", "", ReasonC4Javascript},
		{"policy removed", paper, "Read our Privacy Policy for details.", "", ReasonC4Policy},
		{"cookies removed", paper, "This site uses cookies to work.", "", ReasonC4Policy},
		{"citations stripped", paper, "  The sky is blue[1] and wide[citation needed] [edit] [].", "The sky is blue and wide  .", ""},
		{"brackets kept", paper, "See item [a] of the list.", "See item [a] of the list.", ""},
		{"Chinese words counted by character", paper, "我们今天去公园。", "我们今天去公园。", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &record.Record{Text: five + "\n" + tt.line}
			if !tt.c4.Process(r) {
				t.Fatalf("rejected: %+v", r.Rejection)
			}
			want := five
			if tt.kept != "" {
				want += "\n" + tt.kept
			}
			if r.Text != want {
				t.Errorf("text %q, want %q", strings.TrimPrefix(r.Text, five), strings.TrimPrefix(want, five))
			}
			if tt.reason == "" {
				if len(r.Removed) != 0 {
					t.Errorf("removed %+v, want nothing", r.Removed)
				}
				return
			}
			wantRemoved := record.RemovedLine{Stage: "c4", Line: 5, Text: tt.line, Reason: tt.reason}
			if len(r.Removed) != 1 || r.Removed[0] != wantRemoved {
				t.Errorf("removed %+v, want %+v", r.Removed, wantRemoved)
			}
		})
	}
}

func TestC4Documents(t *testing.T) {
	paper := must(NewC4(DefaultC4Config()))
	tfdsCfg := DefaultC4Config()
	tfdsCfg.Variant = C4TFDS
	tfds := must(NewC4(tfdsCfg))
	badCfg := DefaultC4Config()
	badCfg.BadWords = []string{"Darn", "heck no"}
	bad := must(NewC4(badCfg))

	// sized returns sentences of exactly n characters.
	sized := func(n int) string {
		s := strings.Repeat("This is a sentence.\n", n/20-1)
		return s + strings.Repeat("x", n-len(s)-1) + "."
	}
	tests := []struct {
		name string
		c4   *C4
		text string
		want string
	}{
		{"5 sentences pass", paper, five, ""},
		{"4 sentences fail", paper, five[:strings.LastIndexByte(five, '\n')], ReasonC4MinSentence},
		{"5 sentences in one line pass", paper, "One is here. Two is here! Three is here? Four is here. Five is here.", ""},
		{"abbreviations do not end sentences", paper, "Mr. Smith met Dr. Jones. Two is here. Three is here. Four is here.", ReasonC4MinSentence},
		{"TFDS 3 sentences pass", tfds, "One is here and now. Two is here and now. Three is here and now.", ""},
		{"TFDS 2 sentences fail", tfds, "One is here and now. Two is here and now.", ReasonC4MinSentence},
		{"lorem ipsum fails", paper, five + "\nLorem ipsum dolor sit amet.", ReasonC4LoremIpsum},
		{"lorem ipsum in a removed line passes", paper, five + "\nLorem ipsum dolor", ""},
		{"curly bracket fails", paper, five + "\nThe set {a, b} is small.", ReasonC4Curly},
		{"curly bracket in a removed line passes", paper, five + "\nfunction f() {", ""},
		{"190000 characters pass", paper, sized(190_000), ""},
		{"190001 characters fail", paper, sized(190_001), ReasonC4MaxChars},
		{"bad word fails", bad, five + "\nIt is darn cold today.", ReasonC4BadWords},
		{"bad phrase fails", bad, five + "\nHe said heck no to that.", ReasonC4BadWords},
		{"bad word inside a word passes", bad, five + "\nDarnell is here today.", ""},
		{"empty text fails", paper, "", ReasonC4MinSentence},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, r := reasonOf(t, tt.c4, tt.text, nil)
			if got != tt.want {
				t.Fatalf("reason %q, want %q", got, tt.want)
			}
			if got != "" && (r.Text != tt.text || len(r.Removed) != 0) {
				t.Errorf("a rejected record was changed")
			}
		})
	}
}

func TestC4Signals(t *testing.T) {
	cfg := DefaultC4Config()
	cfg.Signals = true
	c := must(NewC4(cfg))
	_, r := reasonOf(t, c, five+"\nnav\n\nOne two three four.", nil)
	want := map[string]any{SignalC4Lines: 8, SignalC4LinesRemoved: 1, SignalC4Sentences: 6}
	for k, v := range want {
		if r.Metadata[k] != v {
			t.Errorf("%s = %v, want %v", k, r.Metadata[k], v)
		}
	}
}

func TestCountSentences(t *testing.T) {
	tests := []struct {
		line string
		want int
	}{
		{"", 0},
		{"Hello there. How are you?", 2},
		{"Yes! No? Maybe.", 3},
		{"Mr. Smith went to Washington.", 1},
		{"It costs 3.50 dollars. Then more.", 2},
		{"He met J. R. Smith. Then left.", 2},
		{"Wait... what happened here.", 1},
		{"\"Go.\" She left.", 2},
		{"他来了。她走了。", 2},
		{"no end mark", 1},
	}
	for _, tt := range tests {
		if got := countSentences(tt.line); got != tt.want {
			t.Errorf("countSentences(%q) = %d, want %d", tt.line, got, tt.want)
		}
	}
}

func TestLowerASCII(t *testing.T) {
	in := "Hello WORLD @[`{ AZaz 09 Ünïcödé ÀÉ ÿ\x80\xff JavaScript PRIVACY Policy"
	want := []byte(in)
	for i, c := range want {
		if 'A' <= c && c <= 'Z' {
			want[i] = c + 32
		}
	}
	for n := 0; n <= len(in); n++ {
		if got := string(lowerASCII(nil, in[:n])); got != string(want[:n]) {
			t.Fatalf("lowerASCII(%q) = %q, want %q", in[:n], got, want[:n])
		}
	}
}

func TestFindAll(t *testing.T) {
	text := "use cookies; we use of cookies. cookie policy: uses cookies, use cookies"
	for p, phrase := range c4Phrases {
		var want []int
		for i := 0; i+len(phrase) <= len(text); i++ {
			if strings.HasPrefix(text[i:], phrase) {
				want = append(want, i)
			}
		}
		got := findAll(nil, text, phrase, phraseAnchors[p])
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("findAll(%q) = %v, want %v", phrase, got, want)
		}
	}
}
