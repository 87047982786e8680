package report

import (
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// TokenRow is one line of the report's token table.
type TokenRow struct {
	Language string
	Counts   []int64 // one per vocabulary, in Vocabs order
}

type page struct {
	S         *Stats
	Generated string
	Charts    []chartView
	Vocabs    []string
	TokenRows []TokenRow
	TokenSum  []int64
	KeptPct   string
	BytesIn   string
	BytesOut  string
}

type chartView struct {
	ID  string
	SVG template.HTML
}

// Render writes the report page for s to w.
func Render(w io.Writer, s *Stats) error {
	p := page{S: s, Generated: time.Now().UTC().Format(time.RFC3339), KeptPct: pct(s.Summary.Written, s.Summary.Read),
		BytesIn: roundMB(s.Summary.Bytes.TextIn), BytesOut: roundMB(s.Summary.Bytes.TextOut)}
	for _, c := range s.Charts() {
		// The SVG is built by this package with every text escaped.
		p.Charts = append(p.Charts, chartView{c.ID, template.HTML(c.SVG)})
	}
	for v := range s.Tokens {
		p.Vocabs = append(p.Vocabs, v)
	}
	sort.Strings(p.Vocabs)
	p.TokenSum = make([]int64, len(p.Vocabs))
	if len(p.Vocabs) > 0 {
		langs := sortedKeys()
		for v := range s.Tokens {
			langs = append(langs, sortedKeys(s.Tokens[v])...)
		}
		for _, l := range sortedKeys(toSet(langs)) {
			row := TokenRow{Language: l}
			for i, v := range p.Vocabs {
				n := s.Tokens[v][l]
				row.Counts = append(row.Counts, n)
				p.TokenSum[i] += n
			}
			p.TokenRows = append(p.TokenRows, row)
		}
		sort.SliceStable(p.TokenRows, func(i, j int) bool { return p.TokenRows[i].Counts[0] > p.TokenRows[j].Counts[0] })
	}
	return pageTmpl.Execute(w, p)
}

func toSet(keys []string) map[string]int64 {
	m := make(map[string]int64, len(keys))
	for _, k := range keys {
		m[k] = 1
	}
	return m
}

// WriteFile gathers outDir and writes its report to file (OUTDIR/report.html
// when file is ""), through a temporary file renamed into place.
func WriteFile(outDir, file string) (string, *Stats, error) {
	if file == "" {
		file = filepath.Join(outDir, "report.html")
	}
	s, err := Gather(outDir)
	if err != nil {
		return "", nil, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".report-*.html")
	if err != nil {
		return "", nil, err
	}
	defer os.Remove(tmp.Name())
	if err := Render(tmp, s); err != nil {
		tmp.Close()
		return "", nil, err
	}
	if err := tmp.Close(); err != nil {
		return "", nil, err
	}
	// CreateTemp makes the file private; a report is for sharing.
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", nil, err
	}
	return file, s, os.Rename(tmp.Name(), file)
}

var pageTmpl = template.Must(template.New("report").Funcs(template.FuncMap{
	"num": func(v int64) string { return fmt.Sprintf("%d", v) },
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>winnow report: {{.S.OutDir}}</title>
<style>
body{font-family:sans-serif;margin:2em auto;max-width:820px;color:#222}
h1{font-size:1.5em} h2{font-size:1.15em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.5em 0} td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left} .chart{display:block;margin:1em 0;max-width:100%;height:auto}
.warn{color:#c53030}
</style></head><body>
<h1>winnow report</h1>
<p>Output directory <code>{{.S.OutDir}}</code>, generated {{.Generated}}.</p>
<table id="totals">
<tr><th>read</th><td>{{.S.Summary.Read}}</td></tr>
<tr><th>written (kept)</th><td>{{.S.Summary.Written}} ({{.KeptPct}})</td></tr>
<tr><th>rejected</th><td>{{.S.Summary.Rejected}}</td></tr>
<tr><th>unreadable</th><td>{{.S.Summary.Unreadable}}</td></tr>
<tr><th>text in / out</th><td>{{.BytesIn}} / {{.BytesOut}}</td></tr>
{{if .Vocabs}}<tr><th>tokens kept ({{range $i, $v := .Vocabs}}{{if $i}} / {{end}}{{$v}}{{end}})</th><td>{{range $i, $n := .TokenSum}}{{if $i}} / {{end}}{{num $n}}{{end}}</td></tr>{{end}}
<tr><th>run time</th><td>{{printf "%.1f" .S.Summary.Seconds}} s ({{printf "%.0f" .S.Summary.DocsPerS}} docs/s, {{printf "%.2f" .S.Summary.MBPerS}} MB/s)</td></tr>
</table>
{{if not .S.Summary.Reconciled}}<p class="warn">The counts do not reconcile (read ≠ written + rejected + unreadable).</p>{{end}}
{{if eq .S.Rejected 0}}<p>No rejected documents were written (run with <code>--keep-rejected</code> to see them): charts of removed documents by language and host are empty.</p>{{end}}
{{range .Charts}}<section id="chart-{{.ID}}">{{.SVG}}</section>
{{end}}
<h2 id="tokens">Tokens</h2>
{{if .Vocabs}}<table id="token-table"><tr><th>language</th>{{range .Vocabs}}<th>{{.}}</th>{{end}}</tr>
{{range .TokenRows}}<tr><td>{{.Language}}</td>{{range .Counts}}<td>{{num .}}</td>{{end}}</tr>
{{end}}<tr><th>total</th>{{range .TokenSum}}<th>{{num .}}</th>{{end}}</tr></table>
{{else}}<p>No token counts: add the <code>tokens</code> stage to the pipeline config.</p>{{end}}
<h2>Funnel</h2>
<table id="funnel-table"><tr><th>stage</th><th>in</th><th>kept</th><th>removed</th></tr>
{{range .S.Summary.Stages}}<tr><td>{{.Name}}</td><td>{{.In}}</td><td>{{.Kept}}</td><td>{{range $r, $n := .Rejected}}{{$r}}={{$n}} {{end}}</td></tr>
{{end}}</table>
{{if .S.Problems}}<h2>Problems</h2><ul>{{range .S.Problems}}<li>{{.}}</li>{{end}}</ul>{{end}}
</body></html>
`))
