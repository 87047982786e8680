package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"

	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/read"
)

// Summary is what OUTDIR/summary.json holds: counts per stage and reason,
// bytes and time. All but the timing fields (Timeline, Seconds, DocsPerS,
// MBPerS) are the same for the same inputs and config. Its counts always
// reconcile:
//
//	Read = Written + Rejected + Unreadable
//
// where Rejected is the sum of RejectedByReason.
type Summary struct {
	Inputs           int              `json:"inputs"`
	Read             int64            `json:"read"`
	Written          int64            `json:"written"`
	Rejected         int64            `json:"rejected"`
	Unreadable       int64            `json:"unreadable"`
	Reconciled       bool             `json:"reconciled"`
	RejectedByReason map[string]int64 `json:"rejected_by_reason"`
	// Skipped counts input records that are not documents (WARC request,
	// metadata, ... records); they are not part of Read.
	Skipped map[string]int64 `json:"skipped_records"`
	Stages  []StageSummary   `json:"stages"`
	Bytes   ByteCounts       `json:"bytes"`
	// Problems counts located read errors; the first ones are listed.
	Problems      int64           `json:"problems"`
	FirstProblems []ProblemReport `json:"first_problems,omitempty"`
	// Counters sums the Counts of the documents written: PII replacements
	// per kind, tokens per vocabulary and language.
	Counters map[string]int64 `json:"counters,omitempty"`
	// Timeline has one point per shard the first pass committed, in time
	// order: seconds since the first commit, documents and text bytes read
	// so far; the report draws throughput over the run from it.
	Timeline []TimePoint `json:"timeline,omitempty"`
	Seconds  float64     `json:"seconds"`
	DocsPerS float64     `json:"docs_per_second"`
	MBPerS   float64     `json:"input_mb_per_second"`
}

// TimePoint is one point of Summary.Timeline.
type TimePoint struct {
	Seconds int64 `json:"seconds"`
	Docs    int64 `json:"docs"`
	Bytes   int64 `json:"bytes"`
}

// StageSummary is one stage's part of the funnel.
type StageSummary struct {
	Name         string           `json:"name"`
	In           int64            `json:"in"`
	Kept         int64            `json:"kept"`
	Rejected     map[string]int64 `json:"rejected"`
	LinesRemoved map[string]int64 `json:"lines_removed,omitempty"`
	// Details is what a corpus stage reports of its decisions, such as
	// the duplicate cluster sizes.
	Details json.RawMessage `json:"details,omitempty"`
}

// ByteCounts measures the corpus at both ends.
type ByteCounts struct {
	InputFiles int64 `json:"input_files"`
	TextIn     int64 `json:"text_in"`  // text (or HTML) bytes of the documents read
	TextOut    int64 `json:"text_out"` // text bytes of the documents written
}

// ProblemReport is a located read error as summary.json lists it.
type ProblemReport struct {
	File         string `json:"file"`
	Offset       int64  `json:"offset"`
	Decompressed bool   `json:"decompressed_offset,omitempty"`
	Lost         bool   `json:"lost_document"`
	Error        string `json:"error"`
}

func reportOf(p *read.Problem) ProblemReport {
	return ProblemReport{File: p.File, Offset: p.Offset, Decompressed: p.Decompressed, Lost: p.Lost, Error: p.Err.Error()}
}

// ReadSummary reads OUTDIR/summary.json, as a run (winnow run or
// winnow-beam) wrote it.
func ReadSummary(outDir string) (*Summary, error) {
	name := filepath.Join(outDir, SummaryFile)
	b, err := os.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var s Summary
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return &s, nil
}

// maxListedProblems bounds FirstProblems.
const maxListedProblems = 100

// shardStats are the counts of one output shard, saved beside the resume
// state so that a resumed run reports the same totals as an uninterrupted one.
type shardStats struct {
	Segment int  `json:"segment"`
	Input   int  `json:"input"`
	Shard   int  `json:"shard"`
	Final   bool `json:"final"` // the input's last shard
	Tally
	// Committed is when the shard was committed (Unix seconds), for the
	// report's throughput over time; it is not part of summary.json.
	Committed int64 `json:"committed"`
}

func newShardStats(seg, input, shard int) *shardStats {
	return &shardStats{Segment: seg, Input: input, Shard: shard, Tally: Tally{Rejected: map[string]int64{},
		Lines: map[string]int64{}, Skipped: map[string]int64{}, Counters: map[string]int64{}}}
}

func addMap(dst, src map[string]int64) {
	for k, v := range src {
		dst[k] += v
	}
}

// summarize adds up shard stats (in segment, input and shard order) into a
// Summary. What was read is counted by the first segment, what was written
// by the last one (lastSeg); rejections and removed lines by all.
func summarize(stageNames []string, inputs []read.Input, shards []*shardStats, lastSeg int) *Summary {
	sort.Slice(shards, func(i, j int) bool {
		if shards[i].Segment != shards[j].Segment {
			return shards[i].Segment < shards[j].Segment
		}
		if shards[i].Input != shards[j].Input {
			return shards[i].Input < shards[j].Input
		}
		return shards[i].Shard < shards[j].Shard
	})
	s := &Summary{Inputs: len(inputs), RejectedByReason: map[string]int64{}, Skipped: map[string]int64{}, Counters: map[string]int64{}}
	for _, in := range inputs {
		s.Bytes.InputFiles += in.Size
	}
	rejected := map[string]int64{}
	lines := map[string]int64{}
	for _, sh := range shards {
		if sh.Segment == 0 {
			s.Read += sh.Read
			s.Unreadable += sh.Unreadable
			s.Bytes.TextIn += sh.TextIn
			s.Problems += sh.Problems
			addMap(s.Skipped, sh.Skipped)
			for _, p := range sh.Listed {
				if len(s.FirstProblems) < maxListedProblems {
					s.FirstProblems = append(s.FirstProblems, p)
				}
			}
		}
		if sh.Segment == lastSeg {
			s.Written += sh.Written
			s.Bytes.TextOut += sh.TextOut
		}
		addMap(rejected, sh.Rejected)
		addMap(lines, sh.Lines)
		addMap(s.Counters, sh.Counters)
	}
	byStage := map[string]map[string]int64{}
	for k, v := range rejected {
		stage, reason := splitKey(k)
		s.RejectedByReason[reason] += v
		s.Rejected += v
		if byStage[stage] == nil {
			byStage[stage] = map[string]int64{}
		}
		byStage[stage][reason] += v
	}
	in := s.Read - s.Unreadable
	for _, name := range stageNames {
		st := StageSummary{Name: name, In: in, Rejected: byStage[name], LinesRemoved: map[string]int64{}}
		if st.Rejected == nil {
			st.Rejected = map[string]int64{}
		}
		var out int64
		for _, v := range st.Rejected {
			out += v
		}
		st.Kept = in - out
		for k, v := range lines {
			if stage, reason := splitKey(k); stage == name {
				st.LinesRemoved[reason] += v
			}
		}
		s.Stages = append(s.Stages, st)
		in = st.Kept
	}
	s.Reconciled = s.Read == s.Written+s.Rejected+s.Unreadable
	s.Timeline = timeline(shards)
	return s
}

func timeline(shards []*shardStats) []TimePoint {
	var first []*shardStats
	for _, sh := range shards {
		if sh.Segment == 0 && sh.Committed > 0 {
			first = append(first, sh)
		}
	}
	sort.SliceStable(first, func(i, j int) bool { return first[i].Committed < first[j].Committed })
	var pts []TimePoint
	var docs, bytes int64
	for _, sh := range first {
		docs += sh.Read
		bytes += sh.TextIn
		pts = append(pts, TimePoint{Seconds: sh.Committed - first[0].Committed, Docs: docs, Bytes: bytes})
	}
	return pts
}

// asInt reads a counter from metadata, which holds an int when a stage set
// it and a float64 after a pass through the intermediate JSON.
func asInt(v any) int64 {
	switch n := v.(type) {
	case int:
		return int64(n)
	case int64:
		return n
	case float64:
		return int64(n)
	}
	return 0
}

func joinKey(stage, reason string) string { return stage + "\t" + reason }

func splitKey(k string) (stage, reason string) {
	for i := 0; i < len(k); i++ {
		if k[i] == '\t' {
			return k[:i], k[i+1:]
		}
	}
	return "", k
}

// String gives the summary in a few lines for a terminal.
func (s *Summary) String() string {
	out := fmt.Sprintf("read %d, written %d, rejected %d, unreadable %d (%.1f s, %.0f docs/s, %.1f MB/s)\n",
		s.Read, s.Written, s.Rejected, s.Unreadable, s.Seconds, s.DocsPerS, s.MBPerS)
	for _, st := range s.Stages {
		out += fmt.Sprintf("  %-20s in %-8d kept %-8d", st.Name, st.In, st.Kept)
		reasons := make([]string, 0, len(st.Rejected))
		for r := range st.Rejected {
			reasons = append(reasons, r)
		}
		sort.Strings(reasons)
		for _, r := range reasons {
			out += fmt.Sprintf(" %s=%d", r, st.Rejected[r])
		}
		if len(st.LinesRemoved) > 0 {
			var n int64
			for _, v := range st.LinesRemoved {
				n += v
			}
			out += fmt.Sprintf(" (%d lines removed)", n)
		}
		out += "\n"
	}
	if s.Problems > 0 {
		out += fmt.Sprintf("  %d input problems (see summary.json)\n", s.Problems)
	}
	return out
}
