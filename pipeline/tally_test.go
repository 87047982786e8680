package pipeline

import (
	"context"
	"io"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

// A line removed before a corpus stage is counted once, where its document
// ends, not again in every later pass.
func TestRemovedLinesCountedOnce(t *testing.T) {
	stages := append([]Stage{StageFunc{StageName: "trim", Fn: func(r *record.Record) bool {
		r.Removed = append(r.Removed, record.RemovedLine{Stage: "trim", Reason: "x", Text: "menu"})
		return true
	}}}, dupStages(nil)...)
	ins, open := fakeInputs(300, 50)
	sum, err := Run(context.Background(), testConfig(100), stages, Options{Inputs: ins, OutDir: t.TempDir(), Open: open, Log: io.Discard})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := sum.Stages[0].LinesRemoved["x"], sum.Read-sum.Unreadable; got != want {
		t.Errorf("%d lines counted for %d documents, one each", got, want)
	}
}

// Tally adds up as Run counts: read, written, rejected by reason and
// stage, removed lines, and reconciles.
func TestTallySummary(t *testing.T) {
	var a, b Tally
	a.AddRead(&record.Record{Text: "abc"})
	a.AddRead(&record.Record{Text: "de"})
	b.AddRead(&record.Record{Text: "f"})
	a.AddEnd(&record.Record{Text: "abc", Removed: []record.RemovedLine{{Stage: "s1", Reason: "nav"}}, Counts: map[string]int64{"n": 2}})
	b.AddEnd(&record.Record{Text: "de", Rejection: &record.Rejection{Stage: "s2", Reason: "too_short"}})
	b.AddEnd(&record.Record{Text: "f", Rejection: &record.Rejection{Stage: "s1", Reason: "bad"}})
	a.Merge(&b)
	s := a.Summary([]string{"s1", "s2"}, nil)
	if s.Read != 3 || s.Written != 1 || s.Rejected != 2 || !s.Reconciled || s.Bytes.TextIn != 6 || s.Bytes.TextOut != 3 {
		t.Errorf("summary %+v", s)
	}
	if s.Stages[0].In != 3 || s.Stages[0].Kept != 2 || s.Stages[1].Kept != 1 || s.Stages[0].LinesRemoved["nav"] != 1 || s.Counters["n"] != 2 {
		t.Errorf("stages %+v, counters %v", s.Stages, s.Counters)
	}
}
