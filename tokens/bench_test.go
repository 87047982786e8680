package tokens

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

// benchText is English-like prose: a reference for MB/s per core. The
// stage's speed is set against the cost of scanning the same bytes with
// strings.Fields (BenchmarkReferenceFields), measured in the same run.
var benchText = strings.Repeat("The council agreed on Tuesday to repair the bridge over the river, "+
	"at a cost of 1.2 million pounds; work starts in May (weather permitting).\n", 2000)

// BenchmarkCount measures one vocabulary at a time on one core
// (go test -bench Count -cpu 1 ./tokens); b.SetBytes makes the result MB/s.
func BenchmarkCount(b *testing.B) {
	for _, v := range []string{"cl100k", "o200k"} {
		b.Run(v, func(b *testing.B) {
			c := newCounter(b, Config{Vocabularies: []string{v}})
			b.SetBytes(int64(len(benchText)))
			for b.Loop() {
				c.Count(v, benchText)
			}
		})
	}
}

// BenchmarkStage runs the default stage (both vocabularies) over a document,
// or over the bench corpus's cleaned texts when /work/shared/bench is there.
func BenchmarkStage(b *testing.B) {
	c := newCounter(b, DefaultConfig())
	text := benchText
	if dir := "/work/shared/bench"; dirExists(dir) {
		if t := benchCorpusText(dir, 4<<20); t != "" {
			text = t
		}
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		c.Process(&record.Record{Text: text})
	}
}

// BenchmarkReferenceFields is the reference: splitting the same text into
// words with strings.Fields.
func BenchmarkReferenceFields(b *testing.B) {
	b.SetBytes(int64(len(benchText)))
	for b.Loop() {
		_ = len(strings.Fields(benchText))
	}
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// benchCorpusText joins up to limit bytes of *.txt files under dir.
func benchCorpusText(dir string, limit int) string {
	var sb strings.Builder
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || sb.Len() >= limit {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".txt") {
			if b, err := os.ReadFile(p); err == nil {
				sb.Write(b)
				sb.WriteByte('\n')
			}
		}
		return nil
	})
	return sb.String()
}
