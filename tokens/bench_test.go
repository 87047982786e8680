package tokens

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tiktoken-go/tokenizer"

	"github.com/winnow-corpus/winnow/record"
)

// benchText is English-like prose, for when /work/shared/bench is absent.
var benchText = strings.Repeat("The council agreed on Tuesday to repair the bridge over the river, "+
	"at a cost of 1.2 million pounds; work starts in May (weather permitting).\n", 2000)

// BenchmarkStage runs the default stage (both vocabularies) over real page
// text from /work/shared/bench (WCXB's reviewed main content, one document
// per page), falling back to benchText when the data is absent. The pages
// are split in two halves: "cold" counts the second half with a new counter
// (empty word cache) each iteration; "warm" first counts the first half
// (untimed), as a long run's cache would have seen other documents, then
// the second half; "hot" counts the second half after it was counted once
// (every word cached: the bound a very large corpus approaches). The reference, "tokenizer", is the tokenizer's own Count
// over the same documents in both vocabularies, measured in the same run.
// Run: go test -run X -bench Stage -cpu 1 -benchtime 3x ./tokens
func BenchmarkStage(b *testing.B) {
	var seen, docs []string
	if dir := "/work/shared/bench"; dirExists(dir) {
		all := benchCorpusText(dir, 8<<20)
		for i, d := range all {
			if i%2 == 0 {
				seen = append(seen, d)
			} else {
				docs = append(docs, d)
			}
		}
	}
	if len(docs) == 0 {
		b.Log("/work/shared/bench absent: measuring on synthetic prose")
		seen, docs = []string{benchText}, []string{benchText}
	}
	var size int64
	for _, d := range docs {
		size += int64(len(d))
	}
	b.Run("tokenizer", func(b *testing.B) {
		var codecs []tokenizer.Codec
		for _, e := range []tokenizer.Encoding{tokenizer.Cl100kBase, tokenizer.O200kBase} {
			codec, err := tokenizer.Get(e)
			if err != nil {
				b.Fatal(err)
			}
			codec.SetErrorMode(tokenizer.ErrorModeReplace)
			codecs = append(codecs, codec)
		}
		b.SetBytes(size)
		for b.Loop() {
			for _, codec := range codecs {
				for _, d := range docs {
					codec.Count(d)
				}
			}
		}
	})
	for _, mode := range []string{"cold", "warm", "hot"} {
		b.Run(mode, func(b *testing.B) {
			b.SetBytes(size)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				c := newCounter(b, DefaultConfig())
				var before []string
				switch mode {
				case "warm":
					before = seen
				case "hot":
					before = docs
				}
				for _, d := range before {
					c.Process(&record.Record{Text: d})
				}
				b.StartTimer()
				for _, d := range docs {
					c.Process(&record.Record{Text: d})
				}
			}
		})
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// benchCorpusText returns up to limit bytes of the reviewed main text of the
// WCXB pages under dir (wcxb-dev/ground-truth/*.json): real text of many
// sites and several languages.
func benchCorpusText(dir string, limit int) []string {
	files, _ := filepath.Glob(filepath.Join(dir, "wcxb-dev", "ground-truth", "*.json"))
	var docs []string
	n := 0
	for _, f := range files {
		if n >= limit {
			break
		}
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		var page struct {
			GroundTruth struct {
				MainContent string `json:"main_content"`
			} `json:"ground_truth"`
		}
		if json.Unmarshal(b, &page) == nil && page.GroundTruth.MainContent != "" {
			docs = append(docs, page.GroundTruth.MainContent)
			n += len(page.GroundTruth.MainContent)
		}
	}
	return docs
}
