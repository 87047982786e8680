// Command gen writes the sample crawl testdata/sample/crawl.warc.gz from the
// page sources in testdata/sample/pages, the way a crawler writes a WARC: a
// warcinfo record first, then for every fetch a request, a response and a
// metadata record, each compressed as its own gzip member (the Common Crawl
// layout). The output is byte-for-byte deterministic: dates, record IDs and
// gzip headers are all fixed.
//
// Run it from the repository root:
//
//	go run ./testdata/sample/gen
//
// The crawl holds, on purpose: news articles, a blog post, a forum thread, a
// product page, a guide wrapped in cookie banner, newsletter box and footer
// furniture, a documentation page, a link listing, a near-duplicate (the same
// story syndicated by another site), an exact duplicate (one page fetched
// under two URLs), pages in German and French (the French one served as
// windows-1252), a 404 page, a redirect and a PNG image.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha1"
	"encoding/base32"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// fetch is one URL the sample crawler fetched.
type fetch struct {
	url    string
	file   string // page source in pages/; "" for generated payloads
	status int
	ctype  string // HTTP Content-Type
	// chunked sends the body with Transfer-Encoding: chunked, as a crawler
	// that keeps the raw HTTP stream stores it.
	chunked bool
	// cp1252 re-encodes the UTF-8 page source as windows-1252.
	cp1252   bool
	location string // for redirects
	png      bool
}

var fetches = []fetch{
	{url: "https://www.harwickledger.example/news/local/council-budget-2026", file: "news-council-budget.html"},
	{url: "https://www.harwickledger.example/news/local/lantern-parade-returns", file: "news-river-festival.html"},
	{url: "https://crumbandkettle.example/2026/02/six-months-of-failed-sourdough/", file: "blog-sourdough.html", chunked: true},
	{url: "https://forum.spokesandsprockets.example/threads/rear-derailleur-skips-under-load.91552/", file: "forum-bike-gears.html"},
	{url: "https://www.homewarehub.example/p/fenwick-kettle-1-7l", file: "product-kettle.html"},
	{url: "https://smallspacegrowing.example/guides/balcony-tomatoes", file: "guide-balcony-tomatoes.html"},
	{url: "https://www.eastburycourier.example/news/harwick-council-budget-bus-routes", file: "news-council-budget-syndicated.html"},
	{url: "https://www.lindauer-tagesblatt.example/lokales/stadtbibliothek-oeffnungszeiten", file: "de-stadtbibliothek.html"},
	{url: "https://cuisinedudimanche.example/recettes/crepes-de-froment", file: "fr-recette-crepes.html", cp1252: true},
	{url: "https://docs.tidewater.example/2.3/install.html", file: "docs-install.html"},
	{url: "https://www.harwickledger.example/whats-on/", file: "listing-whats-on.html"},
	{url: "https://www.harwickledger.example/amp/news/local/lantern-parade-returns", file: "news-river-festival.html"},
	{url: "https://www.harwickledger.example/news/local/bus-survey-2019", file: "not-found.html", status: 404},
	{url: "http://harwickledger.example/", status: 301, location: "https://www.harwickledger.example/"},
	{url: "https://www.harwickledger.example/assets/logo.png", png: true, ctype: "image/png"},
}

func main() {
	dir := flag.String("dir", "testdata/sample", "the sample directory (holding pages/)")
	flag.Parse()
	var out bytes.Buffer
	start := time.Date(2026, 3, 12, 9, 30, 0, 0, time.UTC)

	info := "software: winnow sample generator\r\nformat: WARC File Format 1.1\r\n" +
		"description: a small invented crawl for trying winnow\r\nrobots: obey\r\n"
	member(&out, record("warcinfo", "", start, "application/warc-fields", []byte(info), nil))

	for i, f := range fetches {
		at := start.Add(time.Duration(i*17) * time.Second)
		body, err := payload(*dir, f)
		if err != nil {
			log.Fatal(err)
		}
		req := fmt.Sprintf("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: winnow-sample/1.0\r\nAccept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8\r\nAccept-Encoding: identity\r\n\r\n",
			path(f.url), host(f.url))
		member(&out, record("request", f.url, at, "application/http; msgtype=request", []byte(req), nil))
		member(&out, record("response", f.url, at, "application/http; msgtype=response", response(f, body, at), body))
		meta := fmt.Sprintf("fetchTimeMs: %d\r\n", 80+i*13)
		member(&out, record("metadata", f.url, at, "application/warc-fields", []byte(meta), nil))
	}
	dst := filepath.Join(*dir, "crawl.warc.gz")
	if err := os.WriteFile(dst, out.Bytes(), 0o644); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("wrote %s: %d fetches, %d bytes\n", dst, len(fetches), out.Len())
}

// payload returns the HTTP body of a fetch.
func payload(dir string, f fetch) ([]byte, error) {
	switch {
	case f.png:
		return logoPNG(), nil
	case f.location != "":
		return []byte(`<html><body>Moved to <a href="` + f.location + `">` + f.location + `</a></body></html>`), nil
	}
	b, err := os.ReadFile(filepath.Join(dir, "pages", f.file))
	if err != nil {
		return nil, err
	}
	if f.cp1252 {
		b = toCP1252(bytes.Replace(b, []byte(`charset="utf-8"`), []byte(`charset="windows-1252"`), 1))
	}
	return b, nil
}

// response builds the HTTP response block of a fetch.
func response(f fetch, body []byte, at time.Time) []byte {
	status := f.status
	if status == 0 {
		status = 200
	}
	ctype := f.ctype
	if ctype == "" {
		ctype = "text/html; charset=utf-8"
		if f.cp1252 {
			ctype = "text/html; charset=windows-1252"
		}
	}
	reason := map[int]string{200: "OK", 301: "Moved Permanently", 404: "Not Found"}[status]
	var b bytes.Buffer
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", status, reason)
	fmt.Fprintf(&b, "Date: %s\r\n", at.Format(time.RFC1123))
	b.WriteString("Server: nginx\r\n")
	fmt.Fprintf(&b, "Content-Type: %s\r\n", ctype)
	if f.location != "" {
		fmt.Fprintf(&b, "Location: %s\r\n", f.location)
	}
	if f.chunked {
		b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
		for rest := body; len(rest) > 0; {
			n := min(len(rest), 1500)
			fmt.Fprintf(&b, "%x\r\n", n)
			b.Write(rest[:n])
			b.WriteString("\r\n")
			rest = rest[n:]
		}
		b.WriteString("0\r\n\r\n")
		return b.Bytes()
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(body))
	b.Write(body)
	return b.Bytes()
}

// record builds one WARC record. payload, when given, is digested as the
// WARC-Payload-Digest.
func record(typ, uri string, at time.Time, ctype string, block, payload []byte) []byte {
	var b bytes.Buffer
	b.WriteString("WARC/1.1\r\n")
	fmt.Fprintf(&b, "WARC-Type: %s\r\n", typ)
	fmt.Fprintf(&b, "WARC-Date: %s\r\n", at.Format(time.RFC3339))
	fmt.Fprintf(&b, "WARC-Record-ID: <urn:uuid:%s>\r\n", uuid(typ+" "+uri))
	if uri != "" {
		fmt.Fprintf(&b, "WARC-Target-URI: %s\r\n", uri)
	}
	if typ == "warcinfo" {
		b.WriteString("WARC-Filename: crawl.warc.gz\r\n")
	}
	fmt.Fprintf(&b, "Content-Type: %s\r\n", ctype)
	fmt.Fprintf(&b, "WARC-Block-Digest: %s\r\n", digest(block))
	if payload != nil {
		fmt.Fprintf(&b, "WARC-Payload-Digest: %s\r\n", digest(payload))
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n", len(block))
	b.Write(block)
	b.WriteString("\r\n\r\n")
	return b.Bytes()
}

// member appends rec as one gzip member. compress/gzip writes a fixed header
// (no name, no time), so the output does not change between runs.
func member(out *bytes.Buffer, rec []byte) {
	zw, _ := gzip.NewWriterLevel(out, gzip.BestCompression)
	zw.Write(rec)
	zw.Close()
}

func digest(b []byte) string {
	h := sha1.Sum(b)
	return "sha1:" + base32.StdEncoding.EncodeToString(h[:])
}

// uuid derives a stable version-5-style UUID from s.
func uuid(s string) string {
	h := sha1.Sum([]byte(s))
	h[6] = h[6]&0x0f | 0x50
	h[8] = h[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func host(u string) string {
	u = u[strings.Index(u, "//")+2:]
	if i := strings.IndexByte(u, '/'); i >= 0 {
		return u[:i]
	}
	return u
}

func path(u string) string {
	u = u[strings.Index(u, "//")+2:]
	if i := strings.IndexByte(u, '/'); i >= 0 {
		return u[i:]
	}
	return "/"
}

// toCP1252 re-encodes UTF-8 text as windows-1252 (characters it lacks become
// "?"; the sample pages use none).
func toCP1252(b []byte) []byte {
	extra := map[rune]byte{'€': 0x80, '‚': 0x82, '„': 0x84, '…': 0x85, '‘': 0x91, '’': 0x92, '“': 0x93, '”': 0x94,
		'–': 0x96, '—': 0x97, 'œ': 0x9c, 'Œ': 0x8c, 'Ÿ': 0x9f}
	var out []byte
	for _, r := range string(b) {
		switch {
		case r < 0x80 || (r >= 0xa0 && r <= 0xff):
			out = append(out, byte(r))
		case extra[r] != 0:
			out = append(out, extra[r])
		default:
			out = append(out, '?')
		}
	}
	return out
}

// logoPNG draws a small logo: a non-HTML payload the extractor must reject.
func logoPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 24, 24))
	for y := 0; y < 24; y++ {
		for x := 0; x < 24; x++ {
			c := color.RGBA{R: 20, G: 60, B: 120, A: 255}
			if (x-12)*(x-12)+(y-12)*(y-12) < 40 {
				c = color.RGBA{R: 240, G: 200, B: 40, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return b.Bytes()
}
