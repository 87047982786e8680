// Package report turns the output directory of `winnow run` into one
// self-contained HTML page (`winnow report OUTDIR`): the removal funnel by
// stage and reason, document lengths before and after, languages, duplicate
// cluster sizes, top hosts kept and removed, throughput over the run and
// token counts per language.
//
// Gather reads OUTDIR/summary.json and one pass over the kept and rejected
// shards, keeping only counts (memory grows with the number of distinct
// hosts, languages and clusters, not with the documents); Render draws the
// charts as inline SVG, so the page needs no network and no script.
package report

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/winnow-corpus/winnow/pipeline"
)

// Stats is what the report shows, gathered from one output directory.
type Stats struct {
	OutDir  string
	Summary pipeline.Summary
	// Kept and Rejected count the documents found in the shards (Rejected is
	// zero unless the run had --keep-rejected).
	Kept, Rejected int64
	// LenBefore and LenAfter are histograms of document length in
	// characters over LengthBins: before cleaning (kept documents with their
	// removed lines, and rejected documents) and after (kept documents).
	LenBefore, LenAfter []int64
	// Languages counts kept and rejected documents per language.
	LangKept, LangRejected map[string]int64
	// ClusterSizes counts duplicate clusters by size (number of members
	// found in the output, kept or rejected); size 1 is a document with no
	// duplicate.
	ClusterSizes map[int64]int64
	// Hosts kept and rejected.
	HostKept, HostRejected map[string]int64
	// Tokens per vocabulary, then language, from summary.json's counters.
	Tokens map[string]map[string]int64
	// Problems are shard lines that could not be read.
	Problems []string
}

// LengthBins are the upper bounds (characters, exclusive) of the length
// histogram's bins; the last bin is open.
var LengthBins = []int{100, 300, 1000, 3000, 10000, 30000, 100000, 300000, 1000000}

func lengthBin(n int) int {
	for i, b := range LengthBins {
		if n < b {
			return i
		}
	}
	return len(LengthBins)
}

// BinLabels names the bins of LengthBins ("<100", "100–300", ..., "≥1M").
func BinLabels() []string {
	var out []string
	lo := 0
	for _, b := range LengthBins {
		if lo == 0 {
			out = append(out, "<"+fmtNum(float64(b)))
		} else {
			out = append(out, fmtNum(float64(lo))+"–"+fmtNum(float64(b)))
		}
		lo = b
	}
	return append(out, "≥"+fmtNum(float64(lo)))
}

// ClusterKey names the duplicate cluster of a document: the id of the
// document it duplicates (a rejected duplicate's duplicate_of), else its own
// id, which is what its duplicates name.
func ClusterKey(d *Doc) string {
	if of := d.Str("duplicate_of"); of != "" {
		return "d:" + of
	}
	return "d:" + d.ID
}

// Gather reads a run's output directory.
func Gather(outDir string) (*Stats, error) {
	s := &Stats{OutDir: outDir, LenBefore: make([]int64, len(LengthBins)+1), LenAfter: make([]int64, len(LengthBins)+1),
		LangKept: map[string]int64{}, LangRejected: map[string]int64{}, ClusterSizes: map[int64]int64{},
		HostKept: map[string]int64{}, HostRejected: map[string]int64{}, Tokens: map[string]map[string]int64{}}
	sum, err := pipeline.ReadSummary(outDir)
	if err != nil {
		return nil, fmt.Errorf("report: %w (is %s the output directory of winnow run?)", err, outDir)
	}
	s.Summary = *sum
	for k, v := range s.Summary.Counters {
		vocab, lang, ok := strings.Cut(k, "/")
		if !ok || !strings.HasPrefix(vocab, "tokens_") {
			continue
		}
		vocab = strings.TrimPrefix(vocab, "tokens_")
		if s.Tokens[vocab] == nil {
			s.Tokens[vocab] = map[string]int64{}
		}
		s.Tokens[vocab][lang] += v
	}
	kept, rejected, err := Shards(outDir)
	if err != nil {
		return nil, err
	}
	clusters := map[string]int64{}
	// A kept document's dup_cluster_size counts its removed duplicates too,
	// which a run without --keep-rejected does not show.
	declared := map[string]int64{}
	for i, list := range [][]string{kept, rejected} {
		isKept := i == 0
		for _, p := range list {
			var log map[string][]any
			if isKept {
				if log, err = LoadRemovedLog(p); err != nil {
					s.Problems = append(s.Problems, err.Error())
				}
			}
			err := ScanShard(p, func(d *Doc, _ int64, _ int) error {
				attachRemoved(d, log)
				n := utf8.RuneCountInString(d.Text)
				lang := d.Str("language")
				if lang == "" {
					lang = "und"
				}
				host := Host(d.URL)
				if host == "" {
					host = "(no url)"
				}
				if isKept {
					if size, ok := d.Metadata["dup_cluster_size"].(float64); ok {
						declared[ClusterKey(d)] = int64(size)
					}
					s.Kept++
					s.LenAfter[lengthBin(n)]++
					for _, rl := range d.Removed() {
						n += utf8.RuneCountInString(rl.Text) + 1
					}
					s.LangKept[lang]++
					s.HostKept[host]++
				} else {
					s.Rejected++
					s.LangRejected[lang]++
					s.HostRejected[host]++
				}
				s.LenBefore[lengthBin(n)]++
				clusters[ClusterKey(d)]++
				return nil
			})
			if err != nil {
				s.Problems = append(s.Problems, err.Error())
			}
		}
	}
	for k, n := range clusters {
		s.ClusterSizes[max(n, declared[k])]++
	}
	return s, nil
}

// top returns the up to n keys of the largest sum of counts over maps.
func top(n int, maps ...map[string]int64) []string {
	sum := map[string]int64{}
	for _, m := range maps {
		for k, v := range m {
			sum[k] += v
		}
	}
	keys := make([]string, 0, len(sum))
	for k := range sum {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if sum[keys[i]] != sum[keys[j]] {
			return sum[keys[i]] > sum[keys[j]]
		}
		return keys[i] < keys[j]
	})
	if len(keys) > n {
		keys = keys[:n]
	}
	return keys
}

func values(keys []string, m map[string]int64) []float64 {
	out := make([]float64, len(keys))
	for i, k := range keys {
		out[i] = float64(m[k])
	}
	return out
}

func floats(v []int64) []float64 {
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = float64(x)
	}
	return out
}

// Charts returns the report's charts, in page order, as SVG.
func (s *Stats) Charts() []Chart {
	var charts []Chart
	sum := &s.Summary
	// Funnel: documents left after each stage.
	stages := []string{"read"}
	left := []float64{float64(sum.Read - sum.Unreadable)}
	for _, st := range sum.Stages {
		stages = append(stages, st.Name)
		left = append(left, float64(st.Kept))
	}
	charts = append(charts, Chart{"funnel", VBar("Removal funnel: documents left after each stage", "stage", "documents",
		stages, []Series{{Name: "documents", Values: left}})})
	// Removed documents by stage and reason, and lines removed.
	var reasons []string
	var removed, lines []float64
	for _, st := range sum.Stages {
		for _, r := range sortedKeys(st.Rejected, st.LinesRemoved) {
			reasons = append(reasons, st.Name+": "+r)
			removed = append(removed, float64(st.Rejected[r]))
			lines = append(lines, float64(st.LinesRemoved[r]))
		}
	}
	if len(reasons) == 0 {
		reasons, removed, lines = []string{"(nothing removed)"}, []float64{0}, []float64{0}
	}
	charts = append(charts, Chart{"reasons", HBar("Removed by stage and reason", "count", "stage: reason", reasons,
		[]Series{{Name: "documents", Values: removed}, {Name: "lines", Values: lines}})})
	charts = append(charts, Chart{"lengths", VBar("Document length before and after", "length (characters)", "documents",
		BinLabels(), []Series{{Name: "before (read)", Values: floats(s.LenBefore)}, {Name: "after (kept)", Values: floats(s.LenAfter)}})})
	langs := top(25, s.LangKept, s.LangRejected)
	charts = append(charts, Chart{"languages", HBar("Languages", "documents", "language", orNone(langs),
		[]Series{{Name: "kept", Values: values(langs, s.LangKept)}, {Name: "removed", Values: values(langs, s.LangRejected)}})})
	sizes := make([]int64, 0, len(s.ClusterSizes))
	for k := range s.ClusterSizes {
		sizes = append(sizes, k)
	}
	sort.Slice(sizes, func(i, j int) bool { return sizes[i] < sizes[j] })
	var sizeCats []string
	var sizeVals []float64
	for _, k := range sizes {
		sizeCats = append(sizeCats, fmt.Sprint(k))
		sizeVals = append(sizeVals, float64(s.ClusterSizes[k]))
	}
	charts = append(charts, Chart{"clusters", VBar("Duplicate cluster sizes (1 = no duplicate)", "documents in cluster", "clusters",
		orNone(sizeCats), []Series{{Name: "clusters", Values: sizeVals}})})
	hosts := top(20, s.HostKept, s.HostRejected)
	charts = append(charts, Chart{"hosts", HBar("Top hosts", "documents", "host", orNone(hosts),
		[]Series{{Name: "kept", Values: values(hosts, s.HostKept)}, {Name: "removed", Values: values(hosts, s.HostRejected)}})})
	pts := []Point{{0, 0}}
	for _, p := range sum.Timeline {
		pts = append(pts, Point{float64(p.Seconds), float64(p.Docs)})
	}
	charts = append(charts, Chart{"throughput", Line("Throughput: documents read over the run", "seconds since the first shard", "documents read", pts)})
	if len(s.Tokens) > 0 {
		vocabs := sortedKeys(nil)
		for v := range s.Tokens {
			vocabs = append(vocabs, v)
		}
		sort.Strings(vocabs)
		var ser []Series
		langs := top(20, s.Tokens[vocabs[0]])
		for _, v := range vocabs {
			ser = append(ser, Series{Name: v, Values: values(langs, s.Tokens[v])})
		}
		charts = append(charts, Chart{"tokens", HBar("Tokens per language (kept documents)", "tokens", "language", langs, ser)})
	}
	return charts
}

// Chart is one drawn chart.
type Chart struct {
	ID  string
	SVG string
}

func orNone(keys []string) []string {
	if len(keys) == 0 {
		return []string{"(none)"}
	}
	return keys
}

func sortedKeys(maps ...map[string]int64) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range maps {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}

func pct(a, b int64) string {
	if b == 0 {
		return "–"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(a)/float64(b))
}

func roundMB(b int64) string { return fmt.Sprintf("%.2f MB", math.Round(float64(b)/1e4)/100) }
