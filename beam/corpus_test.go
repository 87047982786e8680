package winnowbeam

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	json "github.com/goccy/go-json"

	"github.com/winnow-corpus/winnow/clean"
	"github.com/winnow-corpus/winnow/dedup/lines"
	"github.com/winnow-corpus/winnow/pipeline"
)

// siteLines are a site's template: on every page.
var siteLines = []string{
	"Home | News | Sport | Weather | What's on | Contact us",
	"Sign up to our newsletter for the latest stories from the valley",
	"The Riverside Courier is published by Valley Media Group, 14 Mill Lane, Westbury.",
	"© 2024 Riverside Courier. All rights reserved.",
}

// words of the generated articles: every 5-gram spans several random
// choices, so pages neither repeat themselves nor each other.
var articleWords = [][]string{
	{"Local", "Young", "Retired", "Angry", "Cheerful", "Worried", "Busy", "Elderly", "Proud", "Tired", "Hopeful", "Curious"},
	{"farmers", "teachers", "residents", "volunteers", "shopkeepers", "nurses", "students", "drivers", "parents", "builders", "cyclists", "musicians"},
	{"voted to support", "asked about", "complained about", "celebrated", "cleaned up", "argued over", "paid for", "visited", "painted", "repaired", "photographed", "walked past"},
	{"the old", "a new", "the broken", "the tiny", "a noisy", "the empty", "a colourful", "the wooden", "the famous", "a quiet", "the muddy", "a busy"},
	{"bridge", "library", "garden", "station", "market", "chapel", "playground", "harbour", "bakery", "museum", "footpath", "school"},
	{"on Monday", "last week", "after lunch", "in the rain", "before dawn", "at the weekend", "this spring", "during the fair", "after the storm", "in the evening", "on Friday", "yesterday"},
}

// sitePages writes a JSONL input of n pages of one site, each with the
// site's template lines, three paragraphs of its own, and (pages 0 and 1
// only) one shared line: the template signal removes the template lines,
// line_dedup the shared line from page 1. A bad line adds an unreadable
// record.
func sitePages(t testing.TB, n int) string {
	var b strings.Builder
	for i := range n {
		rng := rand.New(rand.NewPCG(uint64(i), 7))
		var paras []string
		for range 3 {
			var sents []string
			for range 6 {
				var ws []string
				for _, pool := range articleWords {
					ws = append(ws, pool[rng.IntN(len(pool))])
				}
				sents = append(sents, strings.Join(ws, " ")+".")
			}
			paras = append(paras, strings.Join(sents, " "))
		}
		text := siteLines[0] + "\n" + siteLines[1] + "\n" + strings.Join(paras, "\n")
		if i < 2 {
			text += "\nLocal historians say the old mill by the bridge was built by three brothers in the spring of 1887, and it still stands today."
		}
		text += "\n" + siteLines[2] + "\n" + siteLines[3]
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("site-%02d", i), "url": fmt.Sprintf("https://www.riverside-courier.example/news/%d", i), "text": text})
		b.Write(append(line, '\n'))
		if i == n/2 {
			b.WriteString("{\"id\": \"broken\", \"text\": \n")
		}
	}
	name := filepath.Join(t.TempDir(), "site.jsonl")
	if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// corpusConfig is the recommended config with line_dedup after the dedup
// stages, the decision log on (so that kept documents carry their removed
// lines, which the comparison then covers) and the template counts
// mergeable, as winnow-beam counts them.
func corpusConfig(t testing.TB) pipeline.Config {
	cfg := pipeline.DefaultConfig()
	cfg.Output.ShardRecords = 7 // several shards per input
	cfg.Output.DecisionLog = true
	ld, err := pipeline.ParseConfig([]byte("stages: [line_dedup]"))
	if err != nil {
		t.Fatal(err)
	}
	var stages []pipeline.StageSpec
	for _, st := range cfg.Stages {
		if p, ok := st.Params.(*clean.Config); ok {
			c := *p
			c.Template.Mergeable = true
			st.Params = &c
		}
		if st.Name == "pii" {
			stages = append(stages, ld.Stages[0])
		}
		stages = append(stages, st)
	}
	cfg.Stages = stages
	return cfg
}

// compareSummaries compares the summary.json of both runners: every count
// but the timing and the stages' details.
func compareSummaries(t *testing.T, local, onBeam string) {
	load := func(dir string) pipeline.Summary {
		sp, err := pipeline.ReadSummary(dir)
		if err != nil {
			t.Fatal(err)
		}
		s := *sp
		s.Timeline, s.Seconds, s.DocsPerS, s.MBPerS = nil, 0, 0, 0
		for i := range s.Stages {
			s.Stages[i].Details = nil
		}
		return s
	}
	want, got := load(local), load(onBeam)
	if !got.Reconciled || got.Read != got.Written+got.Rejected+got.Unreadable {
		t.Errorf("Beam summary does not reconcile: read %d, written %d, rejected %d, unreadable %d", got.Read, got.Written, got.Rejected, got.Unreadable)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		w, _ := json.MarshalIndent(want, "", " ")
		t.Errorf("summary.json differs:\nbeam  %s\nlocal %s", g, w)
	}
}

// removedReasons counts the removed lines of written documents by reason.
func removedReasons(t testing.TB, out string) map[string]int {
	n := map[string]int{}
	for _, dir := range []string{pipeline.DataDir, pipeline.RejectedDir} {
		for _, d := range readDocs(t, out, dir) {
			var m struct {
				Removed []struct {
					Reason string `json:"reason"`
				} `json:"removed_lines"`
			}
			json.Unmarshal([]byte(d.Meta), &m)
			for _, r := range m.Removed {
				n[r.Reason]++
			}
		}
	}
	return n
}

// The line_dedup decisions of the keyed shuffles equal the stage's own on
// the sample texts (a unit check of docLines and laterHolders).
func TestLaterHolders(t *testing.T) {
	texts := map[uint64]string{3: "a\nb\nc", 1: "b\nd", 7: "c\nb\ne", 5: "e"}
	groups := map[uint64][]uint64{}
	for k, text := range texts {
		b, _ := json.Marshal(map[string]any{"text": text, "source": map[string]any{"key": k}})
		if err := docLines(b, func(h, k uint64) { groups[h] = append(groups[h], k) }); err != nil {
			t.Fatal(err)
		}
	}
	got := map[uint64][]uint64{}
	for h, ks := range groups {
		i := 0
		laterHolders(h, func(k *uint64) bool {
			if i == len(ks) {
				return false
			}
			*k = ks[i]
			i++
			return true
		}, func(k, h uint64) { got[k] = append(got[k], h) })
	}
	hash := func(s string) uint64 { return lines.DocLines(s)[0] }
	want := map[uint64][]uint64{3: {hash("b")}, 7: {hash("c"), hash("b"), hash("e")}}
	for k := range want {
		slices.Sort(want[k])
		slices.Sort(got[k])
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("later holders %v, want %v", got, want)
	}
}

// Build counts templates mergeably without changing the caller's config.
func TestMergeableTemplates(t *testing.T) {
	cfg := pipeline.DefaultConfig()
	got := mergeableTemplates(cfg)
	n := 0
	for i, st := range got.Stages {
		if p, ok := st.Params.(*clean.Config); ok {
			n++
			if !p.Template.Mergeable {
				t.Errorf("stage %d: template counts not mergeable", i)
			}
			if cfg.Stages[i].Params.(*clean.Config).Template.Mergeable {
				t.Errorf("stage %d: the caller's config was changed", i)
			}
		}
	}
	if n == 0 {
		t.Fatal("the recommended config has no clean stage")
	}
}
