// Package dedupbench measures deduplication: how many planted near
// duplicates MinHash LSH catches per band of true Jaccard similarity, against
// the theoretical curve, how fast the whole stage runs per CPU-second, and
// how each step scales to millions of documents in bounded memory. The
// command `winnow bench dedup` prints its reports.
package dedupbench

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"time"

	"github.com/winnow-corpus/winnow/dedup/deduptest"
	"github.com/winnow-corpus/winnow/dedup/minhash"
	"github.com/winnow-corpus/winnow/internal/benchdata"
	"github.com/winnow-corpus/winnow/record"
)

// Page is one page of clean-dev.
type Page = benchdata.CleanDevPage

// LoadPages reads clean-dev's docs.jsonl.gz.
func LoadPages(path string) ([]Page, error) { return benchdata.LoadCleanDev(path) }

// Doc is one document of a benchmark corpus: an original page or a variant
// planted from one.
type Doc struct {
	ID     string
	Text   string
	Family int     // index of the original page it comes from
	Target float64 // the Jaccard similarity to the original aimed at (1 for originals)
}

// BuildCorpus returns every text (in order) followed by variants planted
// from each: per text, variants edited copies whose target Jaccard
// similarity to it is drawn uniformly from [minJ, 1]. Editing picks a word
// rate p from the target (for n-gram shingles, a fraction (1−p)^n of
// shingles survive, so J ≈ s/(2−s) with s = (1−p)^n) and then substitutes,
// deletes or inserts (3:1:1) each word with probability p, with words drawn
// from the corpus. The true Jaccard is measured afterwards, never assumed.
func BuildCorpus(texts []string, variants int, minJ float64, shingle int, seed uint64) []Doc {
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	var vocab []string
	for _, t := range texts {
		vocab = append(vocab, strings.Fields(t)...)
		if len(vocab) > 1<<20 {
			break
		}
	}
	docs := make([]Doc, 0, len(texts)*(1+variants))
	for i, t := range texts {
		docs = append(docs, Doc{ID: fmt.Sprintf("p%d", i), Text: t, Family: i, Target: 1})
	}
	for i, t := range texts {
		words := strings.Fields(t)
		for v := range variants {
			target := minJ + (1-minJ)*rng.Float64()
			s := 2 * target / (1 + target)
			p := 1 - math.Pow(s, 1/float64(shingle))
			docs = append(docs, Doc{
				ID:     fmt.Sprintf("p%d-v%d", i, v),
				Text:   strings.Join(editWords(rng, words, p, vocab), " "),
				Family: i,
				Target: target,
			})
		}
	}
	return docs
}

func editWords(rng *rand.Rand, words []string, p float64, vocab []string) []string {
	out := make([]string, 0, len(words)+len(words)/10)
	for _, w := range words {
		if rng.Float64() >= p {
			out = append(out, w)
			continue
		}
		switch r := rng.IntN(5); {
		case r < 3: // substitute
			out = append(out, vocab[rng.IntN(len(vocab))])
		case r == 3: // delete
		default: // insert before
			out = append(out, vocab[rng.IntN(len(vocab))], w)
		}
	}
	return out
}

// Records turns docs into records keyed by position (corpus order).
func Records(docs []Doc) []*record.Record {
	recs := make([]*record.Record, len(docs))
	for i, d := range docs {
		recs[i] = &record.Record{ID: d.ID, Text: d.Text, Source: record.Source{Index: int64(i), Key: uint64(i)}}
	}
	return recs
}

// CPUTime is the process's user plus system CPU time so far.
func CPUTime() time.Duration { return benchdata.CPUTime() }

// PeakRSS is the process's peak resident set size in bytes (VmHWM), or 0
// where /proc is missing.
func PeakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(rest), "%d", &kb)
			return kb << 10
		}
	}
	return 0
}

// runStage runs a MinHash stage over recs and returns the keep decisions.
func runStage(cfg minhash.Config, recs []*record.Record, workDir string, workers int) ([]bool, *minhash.Stage, error) {
	s, err := minhash.New(cfg)
	if err != nil {
		return nil, nil, err
	}
	keep, err := deduptest.Run(s, recs, workDir, workers, nil)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return keep, s, nil
}
