package clean

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/winnow-corpus/winnow/record"
)

// Mergeable counts observed in parts, merged (in another order) and sent
// through MarshalBinary, decide exactly as one cleaner that observed the
// whole corpus, also in a sketch small enough to collide.
func TestTemplateCountsMerge(t *testing.T) {
	for _, bits := range []int{8, 20} {
		t.Run(fmt.Sprint(bits), func(t *testing.T) {
			cfg := DefaultConfig()
			cfg.Template.Mergeable = true
			cfg.Template.SketchBits = bits
			whole, err := NewCorpus(cfg)
			if err != nil {
				t.Fatal(err)
			}
			const n = 120
			recs := make([]*record.Record, n)
			for i := range recs {
				recs[i] = &record.Record{URL: fmt.Sprintf("https://site%d.example/p/%d", i%3, i), Text: sitePage(i).text}
				if err := whole.Observe(recs[i]); err != nil {
					t.Fatal(err)
				}
			}
			var parts []*TemplateCounts
			for p := range 3 {
				c, err := NewTemplateCounts(cfg.Template)
				if err != nil {
					t.Fatal(err)
				}
				for i := p; i < n; i += 3 {
					c.Observe(recs[n-1-i])
				}
				parts = append(parts, c)
			}
			sum := parts[2]
			for _, p := range parts[:2] {
				if err := sum.Merge(p); err != nil {
					t.Fatal(err)
				}
			}
			b, err := sum.MarshalBinary()
			if err != nil {
				t.Fatal(err)
			}
			var decoded TemplateCounts
			if err := decoded.UnmarshalBinary(b); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(decoded.lines.rows, whole.Counts().lines.rows) || !reflect.DeepEqual(decoded.hosts.rows, whole.Counts().hosts.rows) {
				t.Fatal("merged counts differ from the whole corpus's")
			}
			merged, err := whole.WithCounts(&decoded)
			if err != nil {
				t.Fatal(err)
			}
			for i, r := range recs {
				a, b := *r, *r
				ka, kb := whole.Process(&a), merged.Process(&b)
				if ka != kb || a.Text != b.Text || !reflect.DeepEqual(a.Removed, b.Removed) {
					t.Fatalf("page %d: decisions differ", i)
				}
			}
		})
	}
}

func TestTemplateCountsRefused(t *testing.T) {
	cfg := DefaultTemplateConfig()
	cons, _ := NewTemplateCounts(cfg)
	cfg.Mergeable = true
	m, _ := NewTemplateCounts(cfg)
	if err := m.Merge(cons); err == nil {
		t.Error("conservative counts merged")
	}
	cfg.SketchBits = 12
	small, _ := NewTemplateCounts(cfg)
	if err := m.Merge(small); err == nil {
		t.Error("counts of another size merged")
	}
	cc, err := NewCorpus(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cc.WithCounts(m); err == nil {
		t.Error("mergeable counts accepted by a conservative cleaner")
	}
	var d TemplateCounts
	if err := d.UnmarshalBinary([]byte("wtc1\x14\x01d")); err == nil {
		t.Error("truncated encoding accepted")
	}
}
