package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/pipeline"
	"github.com/winnow-corpus/winnow/report"
)

// outputFiles reads every shard a run wrote (not its resume state).
func outputFiles(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	for _, sub := range []string{pipeline.DataDir, pipeline.RejectedDir} {
		matches, _ := filepath.Glob(filepath.Join(dir, sub, "*"))
		for _, m := range matches {
			b, err := os.ReadFile(m)
			if err != nil {
				t.Fatal(err)
			}
			rel, _ := filepath.Rel(dir, m)
			files[rel] = b
		}
	}
	return files
}

func readSummary(t *testing.T, dir string) pipeline.Summary {
	t.Helper()
	s, err := pipeline.ReadSummary(dir)
	if err != nil {
		t.Fatal(err)
	}
	return *s
}

// TestRunSample runs the README's first command on the sample crawl the
// repository carries, with 1 and 4 workers.
func TestRunSample(t *testing.T) {
	sample := filepath.Join("..", "..", "testdata", "sample")
	one, four := t.TempDir(), t.TempDir()
	for _, run := range []struct {
		dir     string
		workers int
	}{{one, 1}, {four, 4}} {
		f := runFlags{out: run.dir, workers: run.workers, keepRejected: true, quiet: true}
		if err := runPipeline(context.Background(), []string{sample}, f); err != nil {
			t.Fatal(err)
		}
	}
	a, b := outputFiles(t, one), outputFiles(t, four)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("%d vs %d output files", len(a), len(b))
	}
	for name, content := range a {
		if !bytes.Equal(content, b[name]) {
			t.Errorf("%s differs between 1 and 4 workers", name)
		}
	}
	s := readSummary(t, one)
	if !s.Reconciled || s.Read != s.Written+s.Rejected+s.Unreadable {
		t.Errorf("summary does not reconcile: %+v", s)
	}
	if s.Inputs != 2 || s.Read < 15 || s.Written == 0 {
		t.Errorf("inputs %d read %d written %d", s.Inputs, s.Read, s.Written)
	}
	if s.RejectedByReason["extract_not_html"] != 1 {
		t.Errorf("the sample's PNG payload was not rejected as not HTML: %v", s.RejectedByReason)
	}
	// The sample has an exact duplicate (the same page under a second URL,
	// and a repeated JSONL document) and a near-duplicate (a syndicated story).
	if s.RejectedByReason["exact_duplicate"] < 2 || s.RejectedByReason["near_duplicate"] < 1 {
		t.Errorf("sample duplicates not removed: %v", s.RejectedByReason)
	}
	// The lines clean and c4 removed from kept documents are in the decision
	// log beside the corpus, under the ids of kept documents.
	shards, _ := filepath.Glob(filepath.Join(one, pipeline.DataDir, "*.jsonl.zst"))
	logged := 0
	for _, sh := range shards {
		ids := map[string]bool{}
		report.ScanShard(sh, func(d *report.Doc, _ int64, _ int) error { ids[d.ID] = true; return nil })
		log, err := report.LoadRemovedLog(sh)
		if err != nil {
			t.Fatal(err)
		}
		for id, lines := range log {
			logged += len(lines)
			if !ids[id] {
				t.Errorf("decision log names %s, which %s does not hold", id, sh)
			}
		}
	}
	var removedLines int64
	for _, st := range s.Stages {
		for _, n := range st.LinesRemoved {
			removedLines += n
		}
	}
	if logged == 0 || int64(logged) > removedLines {
		t.Errorf("decision log holds %d lines; stages removed %d (from kept and rejected documents)", logged, removedLines)
	}
	if s.Skipped["warc:request"] == 0 || s.Skipped["warc:warcinfo"] != 1 {
		t.Errorf("skipped WARC records not counted: %v", s.Skipped)
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "p.yaml")
	os.WriteFile(cfg, []byte("stages:\n  - gopher_quality: {min_wrods: 10}\n"), 0o644)
	err := runPipeline(context.Background(), []string{"-"}, runFlags{out: t.TempDir(), config: cfg, quiet: true})
	if err == nil || !strings.Contains(err.Error(), "stages[0].gopher_quality.min_wrods") {
		t.Errorf("err = %v, want it to name stages[0].gopher_quality.min_wrods", err)
	}
}

// TestDedupIndexAcrossRuns: a second run removes documents that duplicate
// the first run's output; a third run over what the second kept removes none.
func TestDedupIndexAcrossRuns(t *testing.T) {
	dir := t.TempDir()
	index := filepath.Join(dir, "index")
	para := func(topic string, n int) string {
		var b strings.Builder
		for i := range n {
			b.WriteString("Sentence " + strings.Repeat("x", i%7) + " about " + topic + " number " + string(rune('a'+i%26)) + " goes on for a while and then stops. ")
		}
		return b.String()
	}
	writeJSONL := func(name string, docs map[string]string) string {
		var b strings.Builder
		for _, id := range []string{"a", "b", "c", "d", "e"} {
			if text, ok := docs[id]; ok {
				line, _ := json.Marshal(map[string]string{"id": name + "-" + id, "text": text})
				b.Write(line)
				b.WriteByte('\n')
			}
		}
		p := filepath.Join(dir, name+".jsonl")
		os.WriteFile(p, []byte(b.String()), 0o644)
		return p
	}
	first := writeJSONL("first", map[string]string{"a": para("harbours", 40), "b": para("tomatoes", 40)})
	second := writeJSONL("second", map[string]string{
		"a": para("harbours", 40),                                      // exact copy of first-a
		"b": strings.Replace(para("tomatoes", 40), "stops", "ends", 1), // near copy of first-b
		"c": para("bicycles", 40),                                      // new
	})
	run := func(in, out string) pipeline.Summary {
		f := runFlags{out: filepath.Join(dir, out), index: index, keepRejected: true, quiet: true,
			stages: []string{"exact_dedup", "minhash_dedup"}}
		if err := runPipeline(context.Background(), []string{in}, f); err != nil {
			t.Fatal(err)
		}
		return readSummary(t, filepath.Join(dir, out))
	}
	if s := run(first, "out1"); s.Written != 2 || s.Rejected != 0 {
		t.Fatalf("run 1: %+v", s)
	}
	s := run(second, "out2")
	if s.Written != 1 || s.RejectedByReason["exact_duplicate"] != 1 || s.RejectedByReason["near_duplicate"] != 1 {
		t.Fatalf("run 2 did not dedup against run 1's output: written %d, %v", s.Written, s.RejectedByReason)
	}
	kept, _ := filepath.Glob(filepath.Join(dir, "out2", pipeline.DataDir, "*"))
	if s := run(kept[0], "out3"); s.Rejected != 0 || s.Written != 1 {
		t.Fatalf("run 3 over run 2's kept output removed %d: %v", s.Rejected, s.RejectedByReason)
	}
}

// TestPIICountsInSummary: the PII stage's replacements are summed into
// summary.json's counters.
func TestPIICountsInSummary(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "in.jsonl")
	os.WriteFile(in, []byte(`{"id":"a","text":"Mail jane.doe@example.org or ops@example.net, or call +44 20 7946 0958."}`+"\n"+
		`{"id":"b","text":"Version 1.2.3.4 of the tool, released 2024-01-05, costs $12.50."}`+"\n"), 0o644)
	cfg := filepath.Join(dir, "p.yaml")
	os.WriteFile(cfg, []byte("stages:\n  - pii: {}\n"), 0o644)
	out := filepath.Join(dir, "out")
	if err := runPipeline(context.Background(), []string{in}, runFlags{out: out, config: cfg, quiet: true}); err != nil {
		t.Fatal(err)
	}
	s := readSummary(t, out)
	if s.Counters["pii_emails"] != 2 || s.Counters["pii_phones"] != 1 || s.Counters["pii_ip_addresses"] != 0 {
		t.Errorf("counters %v", s.Counters)
	}
}
