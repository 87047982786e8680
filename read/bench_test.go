package read

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/klauspost/compress/gzip"
	gowarc "github.com/nlnwa/gowarc/v3"
)

var benchWords = strings.Fields(`the of and to in a is that for it as was with be by on not he this are or
his from at which but have an they you were her she there been one all would their we him has when who
will more no if out so said what up its about into than them can only other new some could time these two
may then do first any my now such like our over man me even most made after also did many before must
through back years where much your way well down should because each just those people how too little
state good very make world still own see men work long get here between both life being under never day
same another know while last might us great old year off come since against go came right used take three
council river market station garden village report season minister water school music policy energy`)

// benchPage writes a plausible news page of about 20 to 60 KB.
func benchPage(rng *rand.Rand, n int) string {
	var b strings.Builder
	sentence := func() string {
		k := 8 + rng.IntN(20)
		w := make([]string, k)
		for i := range w {
			w[i] = benchWords[rng.IntN(len(benchWords))]
		}
		s := strings.Join(w, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	fmt.Fprintf(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%s</title>\n", sentence())
	b.WriteString(`<link rel="stylesheet" href="/static/site.css"><script src="/static/analytics.js" async></script></head><body>`)
	b.WriteString(`<header class="site-header"><nav><ul>`)
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, `<li><a href="/section/%d">%s</a></li>`, i, benchWords[rng.IntN(len(benchWords))])
	}
	b.WriteString("</ul></nav></header>\n<main><article>")
	fmt.Fprintf(&b, "<h1>%s</h1><p class=\"byline\">By Staff Reporter, %d March 2026</p>\n", sentence(), 1+n%28)
	for p := 30 + rng.IntN(60); p > 0; p-- {
		b.WriteString("<p>")
		for s := 2 + rng.IntN(5); s > 0; s-- {
			b.WriteString(sentence())
			b.WriteByte(' ')
		}
		b.WriteString("</p>\n")
	}
	b.WriteString(`</article><aside class="related"><h2>Related</h2><ul>`)
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, `<li><a href="/story/%d">%s</a></li>`, rng.IntN(1e6), sentence())
	}
	b.WriteString(`</ul></aside></main><footer><p>&copy; 2026 Example News. All rights reserved.</p></footer></body></html>`)
	return b.String()
}

var benchFile = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "winnow-read-bench")
	if err != nil {
		return "", err
	}
	rng := rand.New(rand.NewPCG(1, 2))
	var out bytes.Buffer
	out.Write(gz(warcinfo()))
	for i := 0; out.Len() < 6<<20; i++ {
		uri := fmt.Sprintf("https://news.example.com/2026/03/story-%d.html", i)
		id := fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
		out.Write(gz(request(uri, "req-"+id)))
		out.Write(gz(response(uri, id, benchPage(rng, i))))
		out.Write(gz(warcRec("metadata", uri, "meta-"+id, "application/warc-fields", []byte("fetchTimeMs: 231\r\ncharset-detected: UTF-8\r\n"))))
	}
	path := filepath.Join(dir, "bench.warc.gz")
	return path, os.WriteFile(path, out.Bytes(), 0o644)
})

// BenchmarkWARCGzip reads a generated Common Crawl style WARC.gz (about 6 MB,
// one gzip member per record, request/response/metadata triples) through the
// reader, and decompresses the same file with klauspost gzip in the same
// loop as the reference. ratio_vs_gunzip = gunzip time / reader time: 1.0
// means reading records costs no more than decompressing them (target: at
// least 0.70). cpu_ratio_vs_gunzip is the same ratio in CPU time of the
// benchmark's thread, steadier on a busy machine (the reader runs in the
// calling goroutine, so its thread does all its work).
func BenchmarkWARCGzip(b *testing.B) {
	benchVsGunzip(b, func(path string) int {
		r, err := Open(Input{Path: path, Format: FormatWARC}, Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer r.Close()
		docs := 0
		for {
			_, err := r.Next()
			if err == io.EOF {
				return docs
			}
			if err != nil {
				b.Fatal(err)
			}
			docs++
		}
	})
}

// BenchmarkWARCGzipGowarc measures github.com/nlnwa/gowarc/v3 on the same
// file and the same reference, reading only the raw blocks of response
// records (no HTTP parsing): the measurement behind this package having its
// own WARC parser.
func BenchmarkWARCGzipGowarc(b *testing.B) {
	benchVsGunzip(b, func(path string) int {
		wf, err := gowarc.NewWarcFileReader(path, 0, gowarc.WithSkipParseBlock())
		if err != nil {
			b.Fatal(err)
		}
		defer wf.Close()
		docs := 0
		for {
			rec, err := wf.Next()
			if err == io.EOF {
				return docs
			}
			if err != nil {
				b.Fatal(err)
			}
			if rec.WarcRecord.Type() == gowarc.Response {
				r, err := rec.WarcRecord.Block().RawBytes()
				if err != nil {
					b.Fatal(err)
				}
				io.Copy(io.Discard, r)
				docs++
			}
			rec.Close()
		}
	})
}

// benchVsGunzip times read (which returns the number of documents) against
// decompressing the same file, alternating the two.
func benchVsGunzip(b *testing.B, read func(path string) int) {
	path, err := benchFile()
	if err != nil {
		b.Fatal(err)
	}
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	gunzip := func() {
		f, _ := os.Open(path)
		defer f.Close()
		zr, err := gzip.NewReader(bufio.NewReaderSize(f, 256<<10))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.Copy(io.Discard, zr); err != nil {
			b.Fatal(err)
		}
	}
	var tRead, tGunzip, cRead, cGunzip time.Duration
	docs := 0
	timed := func(f func(), wall, cpu *time.Duration) {
		t, c := time.Now(), threadCPU()
		f()
		*wall += time.Since(t)
		*cpu += threadCPU() - c
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		// Alternate the order so that neither side always runs on a warm cache.
		readOnce := func() { docs = read(path) }
		if i%2 == 0 {
			timed(gunzip, &tGunzip, &cGunzip)
			timed(readOnce, &tRead, &cRead)
		} else {
			timed(readOnce, &tRead, &cRead)
			timed(gunzip, &tGunzip, &cGunzip)
		}
	}
	b.ReportMetric(tGunzip.Seconds()/tRead.Seconds(), "ratio_vs_gunzip")
	if cRead > 0 {
		b.ReportMetric(cGunzip.Seconds()/cRead.Seconds(), "cpu_ratio_vs_gunzip")
	}
	b.ReportMetric(float64(st.Size())*float64(b.N)/tGunzip.Seconds()/1e6, "gunzip_MB/s")
	b.ReportMetric(float64(docs), "docs")
}
