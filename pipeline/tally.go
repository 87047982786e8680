package pipeline

import (
	"sort"

	"github.com/winnow-corpus/winnow/read"
	"github.com/winnow-corpus/winnow/record"
)

// A Tally holds the counts a Summary adds up: Run keeps one per output shard
// (in its resume state), and a runner other than Run (winnow-beam) counts
// documents where they are read and where they end, on many workers, and
// merges the tallies. Its JSON form travels between workers.
type Tally struct {
	Read       int64            `json:"read"`
	Written    int64            `json:"written"`
	Unreadable int64            `json:"unreadable"`
	TextIn     int64            `json:"text_in"`
	TextOut    int64            `json:"text_out"`
	Problems   int64            `json:"problems"`
	Rejected   map[string]int64 `json:"rejected,omitempty"` // "stage\treason" -> documents
	Lines      map[string]int64 `json:"lines,omitempty"`    // "stage\treason" -> lines removed
	Skipped    map[string]int64 `json:"skipped,omitempty"`
	Counters   map[string]int64 `json:"counters,omitempty"`
	Listed     []ProblemReport  `json:"listed_problems,omitempty"`
}

// AddRead counts a document as read, with its text and HTML bytes.
func (t *Tally) AddRead(rec *record.Record) {
	t.Read++
	t.TextIn += int64(len(rec.Text) + len(rec.HTML))
}

// AddProblem counts a located read problem; a lost document is also read
// and unreadable, as Run counts it.
func (t *Tally) AddProblem(p *read.Problem) {
	t.Problems++
	if len(t.Listed) < maxListedProblems {
		t.Listed = append(t.Listed, reportOf(p))
	}
	if p.Lost {
		t.Read++
		t.Unreadable++
	}
}

// AddSkipped counts input records that are not documents, by kind (a
// reader's Skipped).
func (t *Tally) AddSkipped(skipped map[string]int64) {
	t.Skipped = addTo(t.Skipped, skipped)
}

// AddEnd counts a document where it ends: rejected (by stage and reason),
// or written with its text bytes and counters; and the lines stages
// removed from it.
func (t *Tally) AddEnd(rec *record.Record) { t.addPassEnd(rec, true) }

// addPassEnd counts a document at the end of one pass of Run over its
// stages. A rejected document ends there. A kept one is written; it ends
// there only in the last pass (last): before that, it carries its removed
// lines and counters on to the next pass, which counts them.
func (t *Tally) addPassEnd(rec *record.Record, last bool) {
	if (rec.Rejection != nil || last) && len(rec.Removed) > 0 {
		if t.Lines == nil {
			t.Lines = map[string]int64{}
		}
		for _, l := range rec.Removed {
			t.Lines[joinKey(l.Stage, l.Reason)]++
		}
	}
	if rec.Rejection != nil {
		if t.Rejected == nil {
			t.Rejected = map[string]int64{}
		}
		t.Rejected[joinKey(rec.Rejection.Stage, rec.Rejection.Reason)]++
		return
	}
	t.Written++
	t.TextOut += int64(len(rec.Text))
	if last {
		t.Counters = addTo(t.Counters, rec.Counts)
	}
}

// Merge adds o to t. The listed problems are kept in (file, offset) order,
// the first maxListedProblems of them.
func (t *Tally) Merge(o *Tally) {
	t.Read += o.Read
	t.Written += o.Written
	t.Unreadable += o.Unreadable
	t.TextIn += o.TextIn
	t.TextOut += o.TextOut
	t.Problems += o.Problems
	t.Rejected = addTo(t.Rejected, o.Rejected)
	t.Lines = addTo(t.Lines, o.Lines)
	t.Skipped = addTo(t.Skipped, o.Skipped)
	t.Counters = addTo(t.Counters, o.Counters)
	if len(o.Listed) > 0 {
		t.Listed = append(t.Listed, o.Listed...)
		sort.SliceStable(t.Listed, func(i, j int) bool {
			a, b := t.Listed[i], t.Listed[j]
			if a.File != b.File {
				return a.File < b.File
			}
			return a.Offset < b.Offset
		})
		if len(t.Listed) > maxListedProblems {
			t.Listed = t.Listed[:maxListedProblems]
		}
	}
}

func addTo(dst, src map[string]int64) map[string]int64 {
	if len(src) == 0 {
		return dst
	}
	if dst == nil {
		dst = map[string]int64{}
	}
	addMap(dst, src)
	return dst
}

// Summary adds the tally up as Run does: the funnel through stageNames (in
// config order), the reasons, the bytes of inputs. Timing fields and stage
// details are left empty.
func (t *Tally) Summary(stageNames []string, inputs []read.Input) *Summary {
	s := summarize(stageNames, inputs, []*shardStats{{Tally: *t}}, 0)
	s.Timeline = nil
	return s
}
