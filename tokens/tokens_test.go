package tokens

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"

	"github.com/tiktoken-go/tokenizer"

	"github.com/winnow-corpus/winnow/record"
)

func newCounter(t testing.TB, cfg Config) *Counter {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestProcessCounts(t *testing.T) {
	c := newCounter(t, DefaultConfig())
	tests := []struct {
		name   string
		text   string
		lang   any
		cl100k int
		o200k  int
		key    string
	}{
		// Reference counts from the tokenizers' published test vectors.
		{"hello", "hello world", "en", 2, 2, "en"},
		{"spaces", "hello   world", "en", 3, 3, "en"},
		{"long word", "supercalifragilistic", "en", 7, 6, "en"},
		{"sentence", "We know what we are, but know not what we may be.", nil, 14, 14, "und"},
		{"empty", "", "de", 0, 0, "de"},
		{"non-string language", "hello world", 7, 2, 2, "und"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := &record.Record{Text: tt.text}
			if tt.lang != nil {
				r.SetMeta("language", tt.lang)
			}
			if !c.Process(r) {
				t.Fatal("Process rejected a document")
			}
			if got := r.Metadata["tokens_cl100k"]; got != tt.cl100k {
				t.Errorf("tokens_cl100k = %v, want %d", got, tt.cl100k)
			}
			if got := r.Metadata["tokens_o200k"]; got != tt.o200k {
				t.Errorf("tokens_o200k = %v, want %d", got, tt.o200k)
			}
			if got := r.Counts["tokens_cl100k/"+tt.key]; got != int64(tt.cl100k) {
				t.Errorf("count tokens_cl100k/%s = %d, want %d (counts %v)", tt.key, got, tt.cl100k, r.Counts)
			}
			if got := r.Counts["tokens_o200k/"+tt.key]; got != int64(tt.o200k) {
				t.Errorf("count tokens_o200k/%s = %d, want %d", tt.key, got, tt.o200k)
			}
			if len(r.Counts) != 2 {
				t.Errorf("counts %v, want one per vocabulary", r.Counts)
			}
		})
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	tests := []struct {
		name  string
		vocab []string
	}{
		{"none", nil},
		{"unknown", []string{"cl100k", "gpt2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := New(Config{Vocabularies: tt.vocab}); err == nil {
				t.Fatal("New accepted", tt.vocab)
			}
		})
	}
}

// Counting in pieces must give exactly the count of the whole text.
func TestChunkedCountIsExact(t *testing.T) {
	whole := newCounter(t, Config{Vocabularies: []string{"cl100k", "o200k"}, ChunkBytes: 1 << 30})
	small := newCounter(t, Config{Vocabularies: []string{"cl100k", "o200k"}, ChunkBytes: 7})
	texts := []string{
		"Line one.\nLine two!\n\n  indented\n/slash after newline\nend.\n",
		"a.\n/b\n\n\n   \nc  \n 1234567\n¿Qué?\n日本語のテキスト\n\r\nx",
		strings.Repeat("The quick brown fox, 42 times.\n-- dash\n", 50),
		"no newline at all " + strings.Repeat("word ", 40),
		"bad \xff\xfe utf8\nnext \xc3\nline\n",
	}
	for i, text := range texts {
		for _, v := range []string{"cl100k", "o200k"} {
			a, _ := whole.Count(v, text)
			b, _ := small.Count(v, text)
			if a != b || a == 0 {
				t.Errorf("text %d %s: whole %d, in pieces %d", i, v, a, b)
			}
		}
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		text string
		max  int
		want int
	}{
		{"abc", 5, 3},
		{"ab\ncd\nef", 1, 3},
		{"ab\n cd\nef", 1, 7},  // newline before a space is no cut
		{"ab\n/cd\nef", 1, 7},  // nor before a slash
		{"abcdef\n", 2, 7},     // newline at the end: the whole
		{"abcdef\ngh", 100, 9}, // short enough
		{"abcdef\n\ngh", 2, 8}, // after the run of newlines
	}
	for _, tt := range tests {
		if got := cut(tt.text, tt.max); got != tt.want {
			t.Errorf("cut(%q, %d) = %d, want %d", tt.text, tt.max, got, tt.want)
		}
	}
}

func TestHostileInput(t *testing.T) {
	c := newCounter(t, DefaultConfig())
	inputs := []string{
		"\xff\xfe\xfd",
		strings.Repeat("\x00", 1000),
		strings.Repeat("a", 200000), // one long word: the merge heap path
		strings.Repeat("<div>", 10000),
		strings.Repeat("\n", 5000),
	}
	for i, in := range inputs {
		r := &record.Record{Text: in}
		if !c.Process(r) {
			t.Errorf("input %d rejected", i)
		}
		if n, _ := r.Metadata["tokens_o200k"].(int); n <= 0 {
			t.Errorf("input %d: %v tokens", i, r.Metadata["tokens_o200k"])
		}
	}
}

func TestConcurrent(t *testing.T) {
	c := newCounter(t, DefaultConfig())
	want, _ := c.Count("cl100k", "We know what we are, but know not what we may be.")
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				r := &record.Record{Text: "We know what we are, but know not what we may be."}
				c.Process(r)
				if got := r.Metadata["tokens_cl100k"]; got != want {
					errs <- fmt.Errorf("got %v, want %d", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}

// The counter (segments, cache, pieces) must agree exactly with the
// tokenizer run over the whole text, on text built to hit the edges of the
// pre-tokenizer patterns: contractions, camel case, marks, digits, slashes,
// every kind of white space, CJK, invalid UTF-8.
func TestCountMatchesTokenizer(t *testing.T) {
	c := newCounter(t, Config{Vocabularies: []string{"cl100k", "o200k"}, ChunkBytes: 64})
	alphabet := []string{"a", "b", "Z", "Qu", "é", "e\u0301", "ß", "Ω", "ж", "日", "本", "ー", "1", "23", "٣", "½",
		" ", " ", " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "'", "'s", "'LL", "’", ",", ".", "!", "/", "//", "-",
		"(", ")", "\"", "😀", "\u200b", "\xff", "\xc3", "word", "Word", "WORD", "camelCase", "don't", "http://x.y/z"}
	rng := rand.New(rand.NewPCG(1, 2))
	texts := []string{
		"The council agreed on Tuesday to repair the bridge, at a cost of 1.2 million pounds (weather permitting).",
		"Ein Text auf Deutsch über Brücken. Ça coûte 3 €.",
	}
	for i := 0; i < 1500; i++ {
		var sb strings.Builder
		for n := rng.IntN(40); n >= 0; n-- {
			sb.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, sb.String())
	}
	var refs []tokenizer.Codec
	for _, v := range []tokenizer.Encoding{tokenizer.Cl100kBase, tokenizer.O200kBase} {
		ref, err := tokenizer.Get(v)
		if err != nil {
			t.Fatal(err)
		}
		ref.SetErrorMode(tokenizer.ErrorModeReplace)
		refs = append(refs, ref)
	}
	bad := 0
	for _, text := range texts {
		for pass := 0; pass < 2; pass++ { // cold, then cached
			got := c.count(text)
			for v, ref := range refs {
				if want, _ := ref.Count(text); got[v] != want && bad < 10 {
					bad++
					t.Errorf("%s pass %d %q: %d tokens, tokenizer says %d", c.names[v], pass, text, got[v], want)
				}
			}
		}
	}
}

func TestSegments(t *testing.T) {
	tests := []struct {
		text string
		want string
	}{
		{"the river, at 10 am", "the| river,| at| 10| am"},
		{"a  b", "a|  b"},    // the second space follows a space: no cut
		{"x,\n y", "x,\n y"}, // nor a line break
		{"ß é 日 \xff 本", "ß| é| 日| \xff| 本"},        // any script, invalid bytes
		{"e\u0301 x\u3000 y", "e\u0301| x\u3000 y"}, // marks; ideographic space
		{"", ""},
	}
	for _, tt := range tests {
		var got []string
		segments(tt.text, func(s string) { got = append(got, s) })
		if s := strings.Join(got, "|"); s != tt.want {
			t.Errorf("segments(%q) = %q, want %q", tt.text, s, tt.want)
		}
	}
}
