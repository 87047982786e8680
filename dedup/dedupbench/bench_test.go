package dedupbench

import (
	"path/filepath"
	"testing"

	"github.com/winnow-corpus/winnow/dedup/minhash"
)

// BenchmarkKeysCleanDev measures the MinHash band keys of clean-dev's
// crawl-style page texts (about 16 KB each), one document per iteration.
func BenchmarkKeysCleanDev(b *testing.B) {
	pages, err := LoadPages(filepath.Join("..", "..", "..", "shared", "bench", "clean-dev", "docs.jsonl.gz"))
	if err != nil {
		b.Skipf("clean-dev benchmark data not available: %v", err)
	}
	h, err := minhash.NewHasher(minhash.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	var keys []uint64
	i := 0
	for b.Loop() {
		keys = h.Keys(keys[:0], pages[i%len(pages)].Text, "")
		i++
	}
}

func TestBuildCorpus(t *testing.T) {
	texts := []string{"a b c d e f g h i j k l m n o p q r s t", "u v w x y z"}
	docs := BuildCorpus(texts, 3, 0.5, 5, 1)
	if len(docs) != 8 {
		t.Fatalf("%d docs, want 2 originals + 6 variants", len(docs))
	}
	for i, d := range docs {
		if (i < 2) != (d.Target == 1) || d.Family != map[bool]int{true: i, false: (i - 2) / 3}[i < 2] {
			t.Errorf("doc %d: %+v", i, d)
		}
	}
}
