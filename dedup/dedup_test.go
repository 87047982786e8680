package dedup

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		n    Normalization
		in   string
		want string
	}{
		{Normalization{}, "  a \t\n b  ", "a b"},
		{Normalization{}, "", ""},
		{Normalization{Lowercase: true}, "Hello  WORLD", "hello world"},
		{Normalization{Lowercase: true}, "Hello, World!", "hello, world!"},
		{FullNormalization, "Hello, World! 2024-01-05", "hello world 0000 00 00"},
		{FullNormalization, "¿Qué tal? «Très» bien…", "qué tal très bien"},
		{FullNormalization, "a\x00b\xffc", "a b c"}, // U+FFFD is a symbol
		{Normalization{Digits: true}, "Room 42", "Room 00"},
		// Lower case can take more bytes (U+023A, 2 bytes -> U+2C65, 3).
		{Normalization{Lowercase: true}, strings.Repeat("\u023a", 50) + " ab", strings.Repeat("\u2c65", 50) + " ab"},
		{Normalization{Lowercase: true}, "\u023a\u023a, x y", "\u2c65\u2c65, x y"},
	}
	for _, tt := range tests {
		if got := tt.n.Normalize(tt.in); got != tt.want {
			t.Errorf("%+v.Normalize(%q) = %q, want %q", tt.n, tt.in, got, tt.want)
		}
	}
}

func TestNormalizeLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Home | About us  ", "home about us"},
		{"Copyright © 2023 Example Inc.", "copyright 0000 example inc"},
		{"\u200b\t", ""},
		{"---", ""},
		{"a\xffb", "ab"},
	}
	for _, tt := range tests {
		if got := NormalizeLine(tt.in); got != tt.want {
			t.Errorf("NormalizeLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormalizeURL(t *testing.T) {
	same := [][]string{
		{"https://www.Example.com/a/b/", "http://example.com/a/b", "http://example.com:80/a/b#top", "https://example.com/a/b?utm_source=x&fbclid=y"},
		{"http://example.com/p?b=2&a=1", "http://example.com/p?a=1&b=2"},
		{"http://example.com/%7Euser", "http://example.com/~user"},
	}
	for _, group := range same {
		for _, u := range group[1:] {
			if a, b := NormalizeURL(group[0]), NormalizeURL(u); a != b {
				t.Errorf("NormalizeURL(%q) = %q, NormalizeURL(%q) = %q: want equal", group[0], a, u, b)
			}
		}
	}
	differ := [][2]string{
		{"http://example.com/a", "http://example.com/b"},
		{"http://example.com/p?id=1", "http://example.com/p?id=2"},
		{"http://example.com:8080/", "http://example.com/"},
		{"http://a.example.com/", "http://example.com/"},
	}
	for _, d := range differ {
		if NormalizeURL(d[0]) == NormalizeURL(d[1]) {
			t.Errorf("NormalizeURL(%q) == NormalizeURL(%q): want different", d[0], d[1])
		}
	}
	for _, in := range []string{"", "   ", "not a url", "http://[::1", "%zz"} {
		_ = NormalizeURL(in) // must not panic
	}
	if NormalizeURL("  ") != "" {
		t.Errorf("blank URL: want empty")
	}
}

func TestSorter(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, tc := range []struct {
		name     string
		memBytes int64
		n        int
		wantRuns bool
	}{
		{"in memory", 1 << 20, 1000, false},
		{"spilled", 1024, 1000, true},
		{"empty", 1024, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := NewSorter(t.TempDir(), tc.memBytes)
			var want []Pair
			for range tc.n {
				p := Pair{Group: rng.Uint64N(300), Doc: rng.Uint32N(50)}
				want = append(want, p)
				if err := s.Add(p); err != nil {
					t.Fatal(err)
				}
			}
			slices.SortFunc(want, comparePairs)
			if got := s.Runs() > 0; got != tc.wantRuns {
				t.Errorf("spilled = %v, want %v", got, tc.wantRuns)
			}
			for pass := 0; pass < 2; pass++ { // Merge may be repeated
				it, err := s.Merge()
				if err != nil {
					t.Fatal(err)
				}
				var got []Pair
				for p, ok := it.Next(); ok; p, ok = it.Next() {
					got = append(got, p)
				}
				if err := it.Err(); err != nil {
					t.Fatal(err)
				}
				it.Close()
				if !slices.Equal(got, want) {
					t.Fatalf("pass %d: merged %d pairs, not the sorted input (%d)", pass, len(got), len(want))
				}
			}
			if err := s.Remove(); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestUnionFind(t *testing.T) {
	u := NewUnionFind(6)
	u.Union(4, 2)
	u.Union(5, 4)
	u.Union(1, 3)
	for x, want := range []uint32{0, 1, 2, 1, 2, 2} {
		if got := u.Find(uint32(x)); got != want {
			t.Errorf("Find(%d) = %d, want %d", x, got, want)
		}
	}
	// A custom order: the largest node is the root.
	v := NewUnionFind(4)
	v.Less = func(a, b uint32) bool { return a > b }
	v.Union(0, 1)
	v.Union(1, 2)
	if got := v.Find(0); got != 2 {
		t.Errorf("reverse order: Find(0) = %d, want 2", got)
	}
	if x := v.Add(); x != 4 || v.Find(x) != x {
		t.Errorf("Add: node %d with root %d, want a new singleton 4", x, v.Find(x))
	}
}

func TestDocTable(t *testing.T) {
	for _, keys := range [][]uint64{{10, 20, 30}, {30, 10, 20}, {5, 5, 7}} {
		var tab DocTable
		for _, k := range keys {
			if _, err := tab.Add(k); err != nil {
				t.Fatal(err)
			}
		}
		tab.Seal()
		for i, k := range keys {
			got, ok := tab.Lookup(k)
			if !ok || tab.Key(got) != k || (got != uint32(i) && keys[got] != k) {
				t.Errorf("%v: Lookup(%d) = %d, %v", keys, k, got, ok)
			}
		}
		if _, ok := tab.Lookup(99); ok {
			t.Errorf("%v: Lookup(99) found", keys)
		}
	}
}

// TestWordHashes: the one-pass word hashes equal the hashes of the words of
// the normalized text, for every normalization.
func TestWordHashes(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 3))
	alphabet := []string{"a", "B", "z", "7", " ", "  ", "\n", ",", "!", "é", "Ü", "ß", "日本", "\u023a", "\xff", "\x00", "-", "€", "\u200b", "ǅ"}
	texts := []string{"", " ", "word", " two  words ", "\xff\xfe", "end."}
	for range 300 {
		var b strings.Builder
		for range rng.IntN(40) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		texts = append(texts, b.String())
	}
	for i := range 8 {
		n := Normalization{Lowercase: i&1 != 0, Punctuation: i&2 != 0, Digits: i&4 != 0}
		for _, text := range texts {
			var want []uint64
			if norm := n.Normalize(text); norm != "" {
				for _, w := range strings.Split(norm, " ") {
					want = append(want, HashWord(w))
				}
			}
			if got := n.WordHashes(nil, text); !slices.Equal(got, want) {
				t.Fatalf("%+v %q: %d word hashes, want %d (%q)", n, text, len(got), len(want), n.Normalize(text))
			}
		}
	}
}
