package report

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// The charts are drawn here as inline SVG, so the report is one file that
// needs no network and no script to view. Each chart has a title, labelled
// axes and a <title> tooltip on every mark with its exact value.

// Series is one named set of values over a chart's categories.
type Series struct {
	Name   string
	Values []float64
	Color  string
}

// palette colours series in order.
var palette = []string{"#2b6cb0", "#dd6b20", "#38a169", "#805ad5", "#c53030", "#319795"}

const (
	chartW = 760
	fontPx = 12
)

func esc(s string) string { return html.EscapeString(s) }

// niceMax returns the top of an axis showing values up to v with four
// tick steps, each step 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten
// (at least 1, since most axes count documents).
func niceMax(v float64) float64 {
	if v <= 0 || math.IsNaN(v) || math.IsInf(v, 0) {
		return 4
	}
	step := v / 4
	if step <= 1 {
		return 4
	}
	p := math.Pow(10, math.Floor(math.Log10(step)))
	for _, m := range []float64{1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= step {
			return 4 * m * p
		}
	}
	return 40 * p
}

// fmtNum prints axis and tooltip numbers compactly: 950, 12.5k, 3.2M.
func fmtNum(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return trimZero(fmt.Sprintf("%.1f", v/1e9)) + "G"
	case a >= 1e6:
		return trimZero(fmt.Sprintf("%.1f", v/1e6)) + "M"
	case a >= 1e4:
		return trimZero(fmt.Sprintf("%.1f", v/1e3)) + "k"
	case a == math.Trunc(a):
		return fmt.Sprintf("%.0f", v)
	default:
		return trimZero(fmt.Sprintf("%.2f", v))
	}
}

func trimZero(s string) string {
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	return s
}

func svgOpen(b *strings.Builder, w, h int, title string) {
	fmt.Fprintf(b, `<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="%s" font-family="sans-serif" font-size="%d">`,
		w, h, w, h, esc(title), fontPx)
	fmt.Fprintf(b, `<text class="chart-title" x="%d" y="18" text-anchor="middle" font-size="15" font-weight="bold">%s</text>`, w/2, esc(title))
}

func legend(b *strings.Builder, series []Series, x, y int) {
	if len(series) < 2 {
		return
	}
	for i, s := range series {
		fmt.Fprintf(b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`,
			x, y+i*15, color(s, i), x+14, y+i*15+9, esc(s.Name))
	}
}

func color(s Series, i int) string {
	if s.Color != "" {
		return s.Color
	}
	return palette[i%len(palette)]
}

// HBar draws horizontal bars, one group per category, one bar per series:
// for long category names (reasons, hosts, languages).
func HBar(title, xLabel, yLabel string, cats []string, series []Series) string {
	var b strings.Builder
	barH := 14
	groupH := barH*len(series) + 6
	left, top, right := 250, 40, 110
	plotW := chartW - left - right
	h := top + groupH*len(cats) + 50
	svgOpen(&b, chartW, h, title)
	max := seriesMax(series)
	plotH := groupH * len(cats)
	// Grid and x ticks.
	for i := 0; i <= 4; i++ {
		x := left + plotW*i/4
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/>`, x, top, x, top+plotH)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, x, top+plotH+14, fmtNum(max*float64(i)/4))
	}
	for ci, c := range cats {
		y0 := top + ci*groupH + 3
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" font-size="11">%s</text>`, left-6, y0+groupH/2+2, esc(clip(c, 36)))
		for si, s := range series {
			v := 0.0
			if ci < len(s.Values) {
				v = s.Values[ci]
			}
			w := int(math.Round(float64(plotW) * v / max))
			if v > 0 && w < 1 {
				w = 1
			}
			y := y0 + si*barH
			fmt.Fprintf(&b, `<rect class="bar" x="%d" y="%d" width="%d" height="%d" fill="%s"><title>%s, %s: %s</title></rect>`,
				left, y, w, barH-2, color(s, si), esc(c), esc(s.Name), fmtNum(v))
			fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="10">%s</text>`, left+w+3, y+barH-4, fmtNum(v))
		}
	}
	axes(&b, left, top, plotW, plotH, top+plotH+34, xLabel, yLabel)
	legend(&b, series, left+plotW+30, top)
	b.WriteString(`</svg>`)
	return b.String()
}

// VBar draws vertical bars over ordered categories (histogram bins, stages).
func VBar(title, xLabel, yLabel string, cats []string, series []Series) string {
	var b strings.Builder
	left, top, bottom, right := 70, 40, 90, 130
	h := 360
	plotW, plotH := chartW-left-right, h-top-bottom
	svgOpen(&b, chartW, h, title)
	max := seriesMax(series)
	for i := 0; i <= 4; i++ {
		y := top + plotH - plotH*i/4
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/>`, left, y, left+plotW, y)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left-5, y+4, fmtNum(max*float64(i)/4))
	}
	n := len(cats)
	if n == 0 {
		n = 1
	}
	groupW := float64(plotW) / float64(n)
	barW := (groupW - 4) / float64(len(series))
	for ci, c := range cats {
		gx := float64(left) + groupW*float64(ci) + 2
		for si, s := range series {
			v := 0.0
			if ci < len(s.Values) {
				v = s.Values[ci]
			}
			bh := float64(plotH) * v / max
			if v > 0 && bh < 1 {
				bh = 1
			}
			fmt.Fprintf(&b, `<rect class="bar" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"><title>%s, %s: %s</title></rect>`,
				gx+barW*float64(si), float64(top+plotH)-bh, math.Max(barW-1, 1), bh, color(s, si), esc(c), esc(s.Name), fmtNum(v))
		}
		cx := gx + groupW/2
		ly := top + plotH + 12
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="end" font-size="10" transform="rotate(-35 %.1f %d)">%s</text>`, cx, ly, cx, ly, esc(clip(c, 18)))
	}
	axes(&b, left, top, plotW, plotH, h-8, xLabel, yLabel)
	legend(&b, series, left+plotW+20, top)
	b.WriteString(`</svg>`)
	return b.String()
}

// Point is one (x, y) of a line chart.
type Point struct{ X, Y float64 }

// Line draws a line through pts with a dot at each point.
func Line(title, xLabel, yLabel string, pts []Point) string {
	var b strings.Builder
	left, top, bottom, right := 70, 40, 50, 40
	h := 320
	plotW, plotH := chartW-left-right, h-top-bottom
	svgOpen(&b, chartW, h, title)
	maxX, maxY := 0.0, 0.0
	for _, p := range pts {
		maxX, maxY = math.Max(maxX, p.X), math.Max(maxY, p.Y)
	}
	maxX, maxY = niceMax(maxX), niceMax(maxY)
	for i := 0; i <= 4; i++ {
		y := top + plotH - plotH*i/4
		x := left + plotW*i/4
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#ddd"/>`, left, y, left+plotW, y)
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`, left-5, y+4, fmtNum(maxY*float64(i)/4))
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="middle">%s</text>`, x, top+plotH+15, fmtNum(maxX*float64(i)/4))
	}
	px := func(p Point) (float64, float64) {
		return float64(left) + float64(plotW)*p.X/maxX, float64(top+plotH) - float64(plotH)*p.Y/maxY
	}
	if len(pts) > 1 {
		b.WriteString(`<polyline class="series" fill="none" stroke="#2b6cb0" stroke-width="2" points="`)
		for _, p := range pts {
			x, y := px(p)
			fmt.Fprintf(&b, "%.1f,%.1f ", x, y)
		}
		b.WriteString(`"/>`)
	}
	for _, p := range pts {
		x, y := px(p)
		fmt.Fprintf(&b, `<circle class="bar" cx="%.1f" cy="%.1f" r="3" fill="#2b6cb0"><title>%s: %s</title></circle>`, x, y, fmtNum(p.X), fmtNum(p.Y))
	}
	axes(&b, left, top, plotW, plotH, h-10, xLabel, yLabel)
	b.WriteString(`</svg>`)
	return b.String()
}

// seriesMax is the top of the value axis: the largest value, rounded up.
func seriesMax(series []Series) float64 {
	max := 0.0
	for _, s := range series {
		for _, v := range s.Values {
			max = math.Max(max, v)
		}
	}
	return niceMax(max)
}

// axes draws the two axis lines of a plot area and their labels, the
// x-axis label's baseline at xLabelY.
func axes(b *strings.Builder, left, top, plotW, plotH, xLabelY int, xLabel, yLabel string) {
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, left, top, left, top+plotH)
	fmt.Fprintf(b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#333"/>`, left, top+plotH, left+plotW, top+plotH)
	fmt.Fprintf(b, `<text class="axis-label" x="%d" y="%d" text-anchor="middle">%s</text>`, left+plotW/2, xLabelY, esc(xLabel))
	fmt.Fprintf(b, `<text class="axis-label" x="14" y="%d" text-anchor="middle" transform="rotate(-90 14 %d)">%s</text>`, top+plotH/2, top+plotH/2, esc(yLabel))
}

func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
