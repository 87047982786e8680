package dedupbench

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/zeebo/xxh3"

	"github.com/winnow-corpus/winnow/dedup"
	"github.com/winnow-corpus/winnow/dedup/minhash"
	"github.com/winnow-corpus/winnow/record"
)

// DatatroveDocsPerCPUSecond is datatrove's 4-stage MinHash dedup on the
// 20,000-document crawl-style corpus, as the issue reports it for this
// machine class (not re-measured here: datatrove is not installed).
const DatatroveDocsPerCPUSecond = 89

// A Step is one timed phase.
type Step struct {
	Name      string
	Wall, CPU time.Duration
	Docs      int
}

func (s Step) perCPU() float64 { return float64(s.Docs) / s.CPU.Seconds() }

// timed runs f and returns its wall and process CPU time.
func timed(name string, docs int, f func() error) (Step, error) {
	c0, w0 := CPUTime(), time.Now()
	err := f()
	return Step{Name: name, Wall: time.Since(w0), CPU: CPUTime() - c0, Docs: docs}, err
}

// ThroughputReport is the outcome of Throughput.
type ThroughputReport struct {
	Docs      int
	Bytes     int64
	Steps     []Step // observe (signatures, band keys, pairs), prepare (group, components), process (filter)
	Reference Step   // text normalization alone, same documents, same run
	Removed   int
}

// Throughput runs the whole MinHash stage over docs and times each phase in
// CPU seconds (all cores). As a reference measured in the same run it times
// the normalization of the same texts, the least any MinHash dedup must do.
func Throughput(docs []Doc, cfg minhash.Config, workDir string) (*ThroughputReport, error) {
	recs := Records(docs)
	rep := &ThroughputReport{Docs: len(docs)}
	for _, d := range docs {
		rep.Bytes += int64(len(d.Text))
	}
	runtime.GC()
	ref, _ := timed("normalize (reference)", len(docs), func() error {
		for _, d := range docs {
			_ = cfg.Normalization.Normalize(d.Text)
		}
		return nil
	})
	rep.Reference = ref
	s, err := minhash.New(cfg)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	obs, err := timed("observe: shingles, signatures, band keys, spill", len(docs), func() error {
		for _, r := range recs {
			if err := s.Observe(r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	prep, err := timed("prepare: group (merge), connected components", len(docs), func() error { return s.Prepare(workDir) })
	if err != nil {
		return nil, err
	}
	var removed int
	proc, _ := timed("process: filter", len(docs), func() error {
		removed = processAll(s, len(recs), func(i int) *record.Record { return recs[i] })
		return nil
	})
	rep.Steps = []Step{obs, prep, proc}
	rep.Removed = removed
	return rep, nil
}

// processAll calls Process on n records from GOMAXPROCS goroutines and
// returns how many it rejected.
func processAll(s interface{ Process(*record.Record) bool }, n int, rec func(i int) *record.Record) int {
	workers := runtime.GOMAXPROCS(0)
	var wg sync.WaitGroup
	removed := make([]int, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < n; i += workers {
				if !s.Process(rec(i)) {
					removed[w]++
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, r := range removed {
		total += r
	}
	return total
}

// Print writes the report.
func (r *ThroughputReport) Print(w io.Writer) {
	var cpu, wall time.Duration
	for _, s := range r.Steps {
		cpu += s.CPU
		wall += s.Wall
	}
	fmt.Fprintf(w, "%d documents, %.1f KB on average, %d removed\n", r.Docs, float64(r.Bytes)/float64(r.Docs)/1000, r.Removed)
	fmt.Fprintf(w, "%-52s %10s %10s %14s\n", "step", "wall", "CPU", "docs/CPU-s")
	for _, s := range append(r.Steps, r.Reference) {
		fmt.Fprintf(w, "%-52s %9.2fs %9.2fs %14.0f\n", s.Name, s.Wall.Seconds(), s.CPU.Seconds(), s.perCPU())
	}
	total := float64(r.Docs) / cpu.Seconds()
	fmt.Fprintf(w, "whole MinHash dedup: %.0f docs per CPU-second (%.2fs CPU, %.2fs wall); %.1f MB per CPU-second\n",
		total, cpu.Seconds(), wall.Seconds(), float64(r.Bytes)/1e6/cpu.Seconds())
	fmt.Fprintf(w, "reference in this run, normalization alone: %.0f docs per CPU-second (dedup = %.2f x its cost)\n",
		r.Reference.perCPU(), r.Reference.perCPU()/total)
	target := 20 * DatatroveDocsPerCPUSecond
	verdict := "met"
	if total < float64(target) {
		verdict = "MISSED"
	}
	fmt.Fprintf(w, "target >= 20 x datatrove's %d = %d docs per CPU-second: %.1f x datatrove (%s)\n",
		DatatroveDocsPerCPUSecond, target, total/DatatroveDocsPerCPUSecond, verdict)
}

// ScaleReport is the outcome of Scale.
type ScaleReport struct {
	Docs     int
	MemoryMB int
	Steps    []Step
	Stats    dedup.Stats
	PeakRSS  int64
}

// syntheticKeys gives document i (its decimal index as text) 14 band keys
// and a 112-byte sketch; every tenth document shares the first one to three
// bands and 90% of its sketch with an earlier document, so clusters form as
// in a crawl with 10% near duplicates.
func syntheticKeys(dst []uint64, sketch []byte, text, _ string) []uint64 {
	i, err := strconv.ParseUint(text, 10, 64)
	if err != nil {
		return dst
	}
	orig, shared := i, 0
	if i%10 == 9 {
		h := xxh3.HashSeed([]byte(text), 1)
		orig = h % i
		if orig%10 == 9 {
			orig--
		}
		shared = 1 + int(h>>32%3)
	}
	var b [16]byte
	hash := func(src uint64, slot int) uint64 {
		for k := range 8 {
			b[k] = byte(src >> (8 * k))
		}
		b[8], b[9] = byte(slot), byte(slot>>8)
		return xxh3.Hash(b[:10])
	}
	for band := range 14 {
		src := i
		if band < shared {
			src = orig
		}
		dst = append(dst, hash(src, band))
	}
	for k := range sketch {
		src := i
		if k < len(sketch)*9/10 {
			src = orig
		}
		sketch[k] = byte(hash(src, 1000+k))
	}
	return dst
}

// Scale runs the clustering machinery of the MinHash stage (pairs, spill,
// k-way merge, verification of candidates, union-find, filter) over n
// synthetic documents with 14 band keys and a sketch each, under a memory cap of memMB for the pairs (and a Go memory
// limit of twice that plus 256 MB), and times each phase. Signatures are
// left out: their cost per document is Throughput's observe step.
func Scale(n, memMB int, tempDir, workDir string) (*ScaleReport, error) {
	prev := debug.SetMemoryLimit(int64(2*memMB+256) << 20)
	defer debug.SetMemoryLimit(prev)
	c, err := dedup.NewClusterer(dedup.ClusterConfig{
		Name: minhash.Name, Reason: minhash.Reason, Keys: syntheticKeys,
		SketchBytes: 112, Similar: func(a, b []byte) bool { return minhash.EstimateJaccard(a, b) >= 0.7 },
		MemoryBytes: int64(memMB) << 20, TempDir: tempDir,
	})
	if err != nil {
		return nil, err
	}
	defer c.Close()
	rec := func(i int) *record.Record {
		return &record.Record{ID: "doc-" + strconv.Itoa(i), Text: strconv.Itoa(i), Source: record.Source{Key: uint64(i)}}
	}
	obs, err := timed("observe: band keys, pairs, sorted runs", n, func() error {
		for i := range n {
			if err := c.Observe(rec(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	prep, err := timed("prepare: k-way merge, union-find, ids", n, func() error { return c.Prepare(workDir) })
	if err != nil {
		return nil, err
	}
	proc, _ := timed("process: filter", n, func() error {
		processAll(c, n, rec)
		return nil
	})
	return &ScaleReport{Docs: n, MemoryMB: memMB, Steps: []Step{obs, prep, proc}, Stats: c.Stats(), PeakRSS: PeakRSS()}, nil
}

// Print writes the report and what it implies for a billion documents,
// given the signature rate (docs per CPU-second) measured on real text.
func (r *ScaleReport) Print(w io.Writer, sigPerCPU float64, cores int) {
	fmt.Fprintf(w, "%d synthetic documents x 14 band keys + 112-byte sketch, pair memory cap %d MB: %d pairs, %d sorted runs spilled, %d removed in %d clusters; peak RSS %.0f MB\n",
		r.Docs, r.MemoryMB, r.Stats.Pairs, r.Stats.SpillRuns, r.Stats.Removed, r.Stats.Clusters, float64(r.PeakRSS)/(1<<20))
	fmt.Fprintf(w, "%-42s %10s %10s %12s %14s\n", "step", "wall", "CPU", "docs/s", "docs/CPU-s")
	for _, s := range r.Steps {
		fmt.Fprintf(w, "%-42s %9.2fs %9.2fs %12.0f %14.0f\n", s.Name, s.Wall.Seconds(), s.CPU.Seconds(), float64(s.Docs)/s.Wall.Seconds(), s.perCPU())
	}
	if sigPerCPU <= 0 {
		return
	}
	// One billion documents on N machines of `cores` cores: signatures,
	// pairs and the filter split by document. Prepare (the k-way merge and
	// the union-find, interleaved) is counted, as an upper bound, on one
	// core of one machine: the merge would shard by band key (a keyed
	// shuffle), but the union-find over the grouped edges does not.
	const total = 1e9
	perDoc := func(s Step) float64 { return s.CPU.Seconds() / float64(r.Docs) }
	fmt.Fprintf(w, "one billion documents, machines of %d cores (signatures at %.0f docs/CPU-s, measured on real text):\n", cores, sigPerCPU)
	fmt.Fprintf(w, "%10s %12s %14s %16s %10s\n", "machines", "signatures", "pairs+filter", "merge+union-find", "total")
	for _, m := range []int{1, 10, 100} {
		par := float64(m * cores)
		sig := total / sigPerCPU / par
		pf := total * (perDoc(r.Steps[0]) + perDoc(r.Steps[2])) / par
		uf := total * perDoc(r.Steps[1])
		fmt.Fprintf(w, "%10d %11.1fh %13.1fh %15.1fh %9.1fh\n", m, sig/3600, pf/3600, uf/3600, (sig+pf+uf)/3600)
	}
	fmt.Fprintf(w, "(the union-find for 10^9 documents holds about %.0f GB: keys, parents and sizes at 16 bytes per document)\n", total*16/1e9)
}
