package inspect

import (
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/winnow-corpus/winnow/report"
)

// PageSize is the number of documents on one result page.
const PageSize = 50

// clusterShown bounds the duplicates shown beside a document.
const clusterShown = 4

// Bounds on what a document page shows, so that a huge document still
// gives a page a browser can open: lines per column, and characters of each
// duplicate shown beside it.
const (
	maxShownLines = 5000
	maxMemberText = 20000
)

// Line is one line of a document's original text as the document view shows
// it: a kept line, or a removed one with the stage and reason that removed it.
type Line struct {
	Text    string
	Removed bool
	Stage   string
	Reason  string
	Score   float64
}

// Reconstruct rebuilds a document's text as it was before line removal from
// its final text and its removed lines (metadata "removed_lines").
//
// Each removed line's number counts lines of the text its stage saw. Stages
// ran in order, so the lines are put back stage by stage from the last to the
// first, and within a stage in ascending order: then each insertion point is
// a position in exactly the text that stage saw. Numbers past the end (from a
// stage that saw a different text, such as extraction) put the line at the
// end.
func Reconstruct(text string, removed []report.RemovedLine) []Line {
	var lines []Line
	if text != "" {
		for _, l := range strings.Split(text, "\n") {
			lines = append(lines, Line{Text: l})
		}
	}
	// Split into runs of one stage, in order.
	var groups [][]report.RemovedLine
	for i, rl := range removed {
		if i == 0 || rl.Stage != removed[i-1].Stage {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], rl)
	}
	for g := len(groups) - 1; g >= 0; g-- {
		grp := groups[g]
		sort.SliceStable(grp, func(i, j int) bool { return grp[i].Line < grp[j].Line })
		for _, rl := range grp {
			at := min(max(rl.Line, 0), len(lines))
			lines = append(lines, Line{})
			copy(lines[at+1:], lines[at:])
			lines[at] = Line{Text: rl.Text, Removed: true, Stage: rl.Stage, Reason: rl.Reason, Score: rl.Score}
		}
	}
	return lines
}

// Server is the inspector's web interface over an index.
type Server struct {
	// LoopbackOnly refuses requests whose Host header names anything but
	// a loopback address or localhost. Set it when serving on a loopback
	// address: a web page elsewhere cannot then read the corpus through a
	// DNS name rebound to 127.0.0.1.
	LoopbackOnly bool

	ix  *Index
	mux *http.ServeMux
}

// NewServer returns the inspector's HTTP handler for ix.
func NewServer(ix *Index) *Server {
	s := &Server{ix: ix, mux: http.NewServeMux()}
	s.mux.HandleFunc("GET /{$}", s.list)
	s.mux.HandleFunc("GET /doc/{n}", s.doc)
	s.mux.HandleFunc("GET /favicon.ico", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusNoContent) })
	return s
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if s.LoopbackOnly && !loopbackHost(r.Host) {
		http.Error(w, "the inspector answers only to localhost and loopback addresses", http.StatusForbidden)
		return
	}
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'")
	s.mux.ServeHTTP(w, r)
}

// loopbackHost reports whether a Host header names this machine by a
// loopback address or "localhost".
func loopbackHost(hostport string) bool {
	host := hostport
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type option struct {
	Value, Label string
	Selected     bool
}

type listPage struct {
	OutDir    string
	Docs      int64
	F         Filter
	Reasons   []option
	Languages []option
	Hits      []Hit
	Start     int
	Prev      string
	Next      string
	Err       string
	Problems  []string
}

func options(names []string, counts []int64, selected string, skipFirst bool) []option {
	var out []option
	for i, n := range names {
		if skipFirst && i == 0 {
			continue
		}
		c := int64(0)
		if i < len(counts) {
			c = counts[i]
		}
		out = append(out, option{Value: n, Label: fmt.Sprintf("%s (%d)", n, c), Selected: n == selected})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Value < out[j].Value })
	return out
}

func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := Filter{Status: q.Get("status"), Reason: q.Get("reason"), Language: q.Get("lang"), Host: q.Get("host"), Text: q.Get("q")}
	start, _ := strconv.Atoi(q.Get("start"))
	start = max(start, 0)
	m := &s.ix.Meta
	p := listPage{OutDir: s.ix.OutDir, Docs: m.Docs, F: f, Start: start, Problems: m.Problems,
		Reasons:   options(m.Reasons, m.ReasonCounts, f.Reason, true),
		Languages: options(m.Languages, m.LangCounts, f.Language, false)}
	hits, more, err := s.ix.Query(f, start, PageSize)
	if err != nil {
		p.Err = err.Error()
	}
	p.Hits = hits
	page := func(at int) string {
		v := url.Values{}
		for k, x := range q {
			v[k] = x
		}
		v.Set("start", strconv.Itoa(at))
		return "/?" + v.Encode()
	}
	if start > 0 {
		p.Prev = page(max(start-PageSize, 0))
	}
	if more {
		p.Next = page(start + PageSize)
	}
	render(w, "list", p)
}

type docPage struct {
	N       int64
	Doc     *report.Doc
	Hit     Hit
	Lines   []Line
	Kept    []string
	Removed int
	// SelfText is the document's text beside its duplicates.
	SelfText string
	// HiddenLines and HiddenKept count the lines past maxShownLines.
	HiddenLines, HiddenKept int
	Meta                    [][2]string
	Cluster                 []clusterMember
	Err                     string
	Rejected                bool
}

type clusterMember struct {
	Hit  Hit
	Text string
}

func (s *Server) doc(w http.ResponseWriter, r *http.Request) {
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n < 0 || n >= s.ix.Meta.Docs {
		http.Error(w, "no such document", http.StatusNotFound)
		return
	}
	d, e, err := s.ix.Doc(n)
	if err != nil {
		http.Error(w, "reading document: "+err.Error(), http.StatusInternalServerError)
		return
	}
	p := docPage{N: n, Doc: d, Hit: s.ix.hit(n, e), Rejected: e.Reason != 0}
	p.Lines = Reconstruct(d.Text, d.Removed())
	for _, l := range p.Lines {
		if l.Removed {
			p.Removed++
		}
	}
	if d.Text != "" {
		p.Kept = strings.Split(d.Text, "\n")
	}
	if len(p.Lines) > maxShownLines {
		p.HiddenLines = len(p.Lines) - maxShownLines
		p.Lines = p.Lines[:maxShownLines]
	}
	if len(p.Kept) > maxShownLines {
		p.HiddenKept = len(p.Kept) - maxShownLines
		p.Kept = p.Kept[:maxShownLines]
	}
	keys := make([]string, 0, len(d.Metadata))
	for k := range d.Metadata {
		if k != "removed_lines" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	for _, k := range keys {
		p.Meta = append(p.Meta, [2]string{k, fmt.Sprint(d.Metadata[k])})
	}
	p.SelfText = clipText(d.Text)
	members, err := s.ix.Cluster(n, clusterShown)
	if err != nil {
		p.Err = err.Error()
	}
	for _, m := range members {
		cm := clusterMember{Hit: m}
		if md, _, err := s.ix.Doc(m.N); err == nil {
			cm.Text = clipText(md.Text)
		}
		p.Cluster = append(p.Cluster, cm)
	}
	render(w, "doc", p)
}

// clipText shortens a duplicate's text to maxMemberText bytes.
func clipText(s string) string {
	if len(s) <= maxMemberText {
		return s
	}
	return strings.ToValidUTF8(s[:maxMemberText], "") + " …"
}

func render(w http.ResponseWriter, name string, data any) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := tmpl.ExecuteTemplate(w, name, data); err != nil {
		fmt.Fprintf(w, "<p>template error: %s</p>", template.HTMLEscapeString(err.Error()))
	}
}

var tmpl = template.Must(template.New("").Parse(`
{{define "head"}}<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.}} · winnow inspect</title>
<style>
body{font-family:sans-serif;margin:1em 2em;color:#222}
a{color:#2b6cb0} table{border-collapse:collapse;width:100%} td,th{padding:.25em .5em;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
form{margin:1em 0;display:flex;flex-wrap:wrap;gap:.5em;align-items:center}
.kept{color:#276749} .removed{color:#c53030} .muted{color:#718096;font-size:.9em}
.cols{display:flex;gap:1.5em} .cols>div{flex:1;min-width:0}
.text{font-family:ui-monospace,monospace;font-size:.85em;white-space:pre-wrap;overflow-wrap:anywhere;border:1px solid #ddd;padding:.5em;background:#fafafa}
.line{min-height:1.2em} del.rm{color:#c53030;background:#fff5f5}
.why{font-family:sans-serif;font-size:.8em;background:#fed7d7;color:#822727;border-radius:3px;padding:0 .3em;margin-left:.5em}
.banner{background:#fff5f5;border:1px solid #feb2b2;padding:.5em 1em}
</style></head><body>{{end}}

{{define "list"}}{{template "head" "documents"}}
<h1>winnow inspect</h1>
<p class="muted"><code>{{.OutDir}}</code>: {{.Docs}} documents indexed.</p>
<form id="filters" method="get" action="/">
<select name="status" id="status"><option value="">kept and removed</option>
<option value="kept" {{if eq .F.Status "kept"}}selected{{end}}>kept</option>
<option value="removed" {{if eq .F.Status "removed"}}selected{{end}}>removed</option></select>
<select name="reason" id="reason"><option value="">any reason</option>{{range .Reasons}}<option value="{{.Value}}" {{if .Selected}}selected{{end}}>{{.Label}}</option>{{end}}</select>
<select name="lang" id="lang"><option value="">any language</option>{{range .Languages}}<option value="{{.Value}}" {{if .Selected}}selected{{end}}>{{.Label}}</option>{{end}}</select>
<input name="host" id="host" placeholder="host" value="{{.F.Host}}">
<input name="q" id="q" placeholder="text search" value="{{.F.Text}}">
<button type="submit" id="apply">Filter</button> <a href="/">reset</a>
</form>
{{if .Err}}<p class="removed">{{.Err}}</p>{{end}}
{{if .Problems}}<p class="removed">Unreadable shard lines: {{range .Problems}}{{.}}; {{end}}</p>{{end}}
<table id="results"><tr><th>#</th><th>status</th><th>lang</th><th>host</th><th>chars</th><th>document</th></tr>
{{range .Hits}}<tr class="hit"><td>{{.N}}</td><td>{{if .Reason}}<span class="removed">{{.Reason}}</span>{{else}}<span class="kept">kept</span>{{end}}{{if .Entry.Removed}} <span class="muted">(lines removed)</span>{{end}}</td>
<td>{{.Lang}}</td><td>{{.Host}}</td><td>{{.Entry.Chars}}</td>
<td><a class="doc-link" href="/doc/{{.N}}">{{.ID}}</a><br><span class="muted">{{.Label}}</span></td></tr>
{{else}}<tr><td colspan="6" id="no-results">No documents match.</td></tr>{{end}}
</table>
<p>{{if .Prev}}<a id="prev" href="{{.Prev}}">← previous</a>{{end}} {{if .Next}}<a id="next" href="{{.Next}}">next →</a>{{end}}</p>
</body></html>{{end}}

{{define "doc"}}{{template "head" .Doc.ID}}
<p><a href="/">← all documents</a></p>
<h1 id="doc-id">{{.Doc.ID}}</h1>
<p>{{if .Doc.URL}}<code>{{.Doc.URL}}</code> · {{end}}{{.Hit.Lang}} · {{.Hit.Entry.Chars}} characters</p>
{{if .Rejected}}<p class="banner" id="rejection">Removed by <b>{{index .Doc.Metadata "rejected_by"}}</b>: <b>{{.Hit.Reason}}</b>
{{with index .Doc.Metadata "reason_detail"}} — {{.}}{{end}}{{with index .Doc.Metadata "duplicate_of"}} · duplicate of <code>{{.}}</code>{{end}}</p>
{{else}}<p class="kept" id="kept">Kept{{if .Removed}}, with {{.Removed}} lines removed{{end}}.</p>{{end}}
<div class="cols">
<div><h2>Original text</h2><p class="muted">Removed lines are struck through, with the reason beside them.</p>
<div class="text" id="original">{{range .Lines}}{{if .Removed}}<div class="line"><del class="rm">{{.Text}}</del><span class="why" title="{{.Stage}}">{{.Stage}}: {{.Reason}}{{if .Score}} ({{printf "%.2f" .Score}}){{end}}</span></div>{{else}}<div class="line">{{.Text}}</div>{{end}}{{end}}{{if .HiddenLines}}<p class="muted" id="more-original">… {{.HiddenLines}} more lines not shown.</p>{{end}}</div></div>
<div><h2>{{if .Rejected}}Text when removed{{else}}Kept output{{end}}</h2><p class="muted">{{if .Rejected}}Not written to the corpus.{{else}}As written to the corpus.{{end}}</p>
<div class="text" id="output">{{range .Kept}}<div class="line">{{.}}</div>{{end}}{{if .HiddenKept}}<p class="muted">… {{.HiddenKept}} more lines not shown.</p>{{end}}</div></div>
</div>
{{if .Cluster}}<h2 id="cluster">Duplicate cluster</h2><div class="cols">
<div><h3>this document</h3><div class="text">{{.SelfText}}</div></div>
{{range .Cluster}}<div class="member"><h3><a class="doc-link" href="/doc/{{.Hit.N}}">{{.Hit.ID}}</a> {{if .Hit.Reason}}<span class="removed">{{.Hit.Reason}}</span>{{else}}<span class="kept">kept</span>{{end}}</h3>
<div class="text">{{.Text}}</div></div>{{end}}
</div>{{end}}
{{if .Err}}<p class="removed">{{.Err}}</p>{{end}}
<h2>Metadata</h2><table id="metadata">{{range .Meta}}<tr><th>{{index . 0}}</th><td>{{index . 1}}</td></tr>{{end}}</table>
</body></html>{{end}}
`))
