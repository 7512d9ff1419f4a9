package report

import (
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// This file is a small SVG builder and the four charts of the report. The
// SVG is inline HTML (no xmlns needed, no external references), its
// coordinates are rounded to two decimals so the same data always gives
// the same bytes, and every text is escaped by esc.

// Chart geometry, in CSS pixels.
const (
	chartWidth = 760.0
	fontSize   = 12.0
	smallFont  = 10.0
	maxLabelW  = 260.0 // row labels wider than this are cut with "…"
)

// palette colours the series of bar charts, in order; it repeats after 12.
var palette = [...]string{
	"#3b6ea5", "#e08a2c", "#4a9a5b", "#c8504b", "#7d62a8", "#2f9c9a",
	"#b5893a", "#d46fa0", "#6b7b8c", "#8fb04a", "#a0522d", "#5b8fd6",
}

func seriesColor(i int) string { return palette[i%len(palette)] }

// num formats a coordinate with at most two decimals and no "-0".
func num(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return "0"
	}
	x = math.Round(x*100) / 100
	if x == 0 {
		return "0"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// esc escapes text for HTML and SVG text and attribute values. It also
// breaks "://" so that no text the user supplied can read as a URL in the
// file's bytes ("http:&#47;/…" renders as "http://…").
func esc(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "://", ":&#47;/")
}

// textWidth estimates the rendered width of s at the given font size:
// one em for wide (CJK) characters, 0.6 em for the rest.
func textWidth(s string, size float64) float64 {
	w := 0.0
	for _, r := range s {
		if isWide(r) {
			w += size
		} else {
			w += 0.6 * size
		}
	}
	return w
}

func isWide(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) || r == '“' || r == '”' || r == '‘' || r == '’' || r == '…'
}

// fit cuts s to at most maxW pixels at the given size, ending it with "…"
// when it was cut.
func fit(s string, maxW, size float64) string {
	if textWidth(s, size) <= maxW {
		return s
	}
	var b strings.Builder
	w := size // room for the ellipsis
	for _, r := range s {
		cw := 0.6 * size
		if isWide(r) {
			cw = size
		}
		if w+cw > maxW {
			break
		}
		w += cw
		b.WriteRune(r)
	}
	return b.String() + "…"
}

// svgDoc accumulates one <svg> element.
type svgDoc struct {
	b strings.Builder
}

func newSVG(w, h float64, label string) *svgDoc {
	s := &svgDoc{}
	s.b.WriteString(`<svg class="chart" width="` + num(w) + `" height="` + num(h) + `" viewBox="0 0 ` + num(w) + " " + num(h) + `" role="img" aria-label="` + esc(label) + `">`)
	return s
}

// rect draws a rectangle with an optional tooltip.
func (s *svgDoc) rect(x, y, w, h float64, fill, tip string) {
	s.b.WriteString(`<rect x="` + num(x) + `" y="` + num(y) + `" width="` + num(math.Max(w, 0)) + `" height="` + num(math.Max(h, 0)) + `" fill="` + fill + `"`)
	if tip == "" {
		s.b.WriteString("/>")
		return
	}
	s.b.WriteString("><title>" + esc(tip) + "</title></rect>")
}

// text draws a label; anchor is start, middle or end; cls is a CSS class
// ("" for none).
func (s *svgDoc) text(x, y float64, anchor, cls, str string) {
	s.b.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `"`)
	if anchor != "" && anchor != "start" {
		s.b.WriteString(` text-anchor="` + anchor + `"`)
	}
	if cls != "" {
		s.b.WriteString(` class="` + cls + `"`)
	}
	s.b.WriteString(">" + esc(str) + "</text>")
}

// line draws a line.
func (s *svgDoc) line(x1, y1, x2, y2 float64, stroke string) {
	s.b.WriteString(`<line x1="` + num(x1) + `" y1="` + num(y1) + `" x2="` + num(x2) + `" y2="` + num(y2) + `" stroke="` + stroke + `"/>`)
}

func (s *svgDoc) String() string { return s.b.String() + "</svg>" }

// labelWidth is the width of the widest label, capped at maxLabelW.
func labelWidth(labels []string, size float64) float64 {
	w := 0.0
	for _, l := range labels {
		w = math.Max(w, textWidth(l, size))
	}
	return math.Min(w, maxLabelW)
}

// at returns m[i][j], or NaN when out of range.
func at(m [][]float64, i, j int) float64 {
	if i < len(m) && j < len(m[i]) {
		return m[i][j]
	}
	return math.NaN()
}

// niceMax rounds a percentage maximum up to a multiple of 10 (at least 10,
// at most 100).
func niceMax(v float64) float64 {
	if math.IsNaN(v) || v <= 0 {
		return 10
	}
	return math.Min(100, math.Max(10, math.Ceil(v/10)*10))
}

// BarChart returns an inline <svg> of horizontal bars, one per label,
// with the value (a percentage, 0–100) and the count at the end of each
// bar. counts may be nil or shorter than labels (no counts shown); a NaN
// or missing value draws no bar and reads "—". label is the chart's
// accessible name. Labels wider than 260 px are cut with "…" (the full
// text is in the bar's tooltip).
func BarChart(label string, labels []string, values []float64, counts []int) string {
	const rowH, barH, top = 24.0, 16.0, 8.0
	lw := labelWidth(labels, fontSize) + 12
	valueW := 90.0
	plotW := chartWidth - lw - valueW
	h := top + rowH*float64(len(labels)) + 24
	max := 0.0
	for _, v := range values {
		if !math.IsNaN(v) {
			max = math.Max(max, v)
		}
	}
	max = niceMax(max)
	s := newSVG(chartWidth, h, label)
	bottom := top + rowH*float64(len(labels))
	for g := 0.0; g <= max+1e-9; g += gridStep(max) {
		x := lw + plotW*g/max
		s.line(x, top, x, bottom, "#e3e3e3")
		s.text(x, bottom+14, "middle", "axis", fixed(g, 0)+"%")
	}
	for i, l := range labels {
		y := top + rowH*float64(i)
		v := 0.0
		if i < len(values) && !math.IsNaN(values[i]) {
			v = values[i]
		}
		s.text(lw-6, y+barH-3, "end", "", fit(l, lw-12, fontSize))
		val := FormatPct(math.NaN())
		if i < len(values) {
			val = FormatPct(values[i])
		}
		if i < len(counts) {
			val += "（" + strconv.Itoa(counts[i]) + "）"
		}
		s.rect(lw, y, plotW*v/max, barH, seriesColor(0), l+"："+val)
		s.text(lw+plotW*v/max+4, y+barH-3, "", "value", val)
	}
	s.line(lw, top, lw, bottom, "#888")
	return s.String()
}

// gridStep is the distance between grid lines of a percentage axis.
func gridStep(max float64) float64 {
	if max > 50 {
		return 20
	}
	if max > 20 {
		return 10
	}
	return 5
}

// legend draws swatches and labels flowing over lines from y; it returns
// the y below the legend.
func legend(s *svgDoc, x0, y float64, labels []string, color func(int) string) float64 {
	x := x0
	for i, l := range labels {
		l = fit(l, 220, fontSize)
		w := 16 + textWidth(l, fontSize) + 18
		if x+w > chartWidth && x > x0 {
			x = x0
			y += 20
		}
		s.rect(x, y, 12, 12, color(i), "")
		s.text(x+16, y+10, "", "", l)
		x += w
	}
	return y + 20
}

// legendHeight is the height legend will use for labels.
func legendHeight(x0 float64, labels []string) float64 {
	x, h := x0, 20.0
	for _, l := range labels {
		w := 16 + textWidth(fit(l, 220, fontSize), fontSize) + 18
		if x+w > chartWidth && x > x0 {
			x = x0
			h += 20
		}
		x += w
	}
	return h
}

// StackedChart returns an inline <svg> with one 100% bar per column
// (attribute value) split into the rows (series), and a legend of the
// rows; share[row][col] is the row's percentage (0–100) of the column.
// Zero, NaN and missing shares draw no segment; segments of at least
// 28 px carry their percentage.
func StackedChart(label string, rows, cols []string, share [][]float64) string {
	const rowH, barH, top = 30.0, 22.0, 8.0
	lw := labelWidth(cols, fontSize) + 12
	plotW := chartWidth - lw - 16
	bottom := top + rowH*float64(len(cols))
	h := bottom + 22 + legendHeight(0, rows) + 4
	s := newSVG(chartWidth, h, label)
	for g := 0.0; g <= 100; g += 20 {
		x := lw + plotW*g/100
		s.line(x, top, x, bottom, "#e3e3e3")
		s.text(x, bottom+14, "middle", "axis", fixed(g, 0)+"%")
	}
	for j, c := range cols {
		y := top + rowH*float64(j)
		s.text(lw-6, y+barH-6, "end", "", fit(c, lw-12, fontSize))
		x := lw
		for i, r := range rows {
			v := at(share, i, j)
			if math.IsNaN(v) || v <= 0 {
				continue
			}
			w := plotW * v / 100
			s.rect(x, y, w, barH, seriesColor(i), c+" · "+r+"："+FormatPct(v))
			if w >= 28 {
				s.text(x+w/2, y+barH-7, "middle", "inbar", fixed(v, 0)+"%")
			}
			x += w
		}
	}
	legend(s, 0, bottom+24, rows, seriesColor)
	return s.String()
}

// GroupedChart returns an inline <svg> with, per row (a yes/no variable
// such as a codebook category), one bar per column (attribute value) of
// the percentage share[row][col] (0–100) of that column saying yes, and a
// legend of the columns. NaN or missing shares draw no bar and read "—".
func GroupedChart(label string, rows, cols []string, share [][]float64) string {
	const barH, gap, top = 11.0, 10.0, 8.0
	lw := labelWidth(rows, fontSize) + 12
	valueW := 50.0
	plotW := chartWidth - lw - valueW
	groupH := barH*float64(len(cols)) + gap
	bottom := top + groupH*float64(len(rows))
	h := bottom + 22 + legendHeight(lw, cols) + 4
	max := 0.0
	for _, r := range share {
		for _, v := range r {
			if !math.IsNaN(v) {
				max = math.Max(max, v)
			}
		}
	}
	max = niceMax(max)
	s := newSVG(chartWidth, h, label)
	for g := 0.0; g <= max+1e-9; g += gridStep(max) {
		x := lw + plotW*g/max
		s.line(x, top, x, bottom, "#e3e3e3")
		s.text(x, bottom+14, "middle", "axis", fixed(g, 0)+"%")
	}
	for i, r := range rows {
		y0 := top + groupH*float64(i)
		s.text(lw-6, y0+barH*float64(len(cols))/2+4, "end", "", fit(r, lw-12, fontSize))
		for j, c := range cols {
			v := at(share, i, j)
			y := y0 + barH*float64(j)
			w := 0.0
			if !math.IsNaN(v) {
				w = plotW * v / max
			}
			s.rect(lw, y, w, barH-1, seriesColor(j), r+" · "+c+"："+FormatPct(v))
			s.text(lw+w+3, y+barH-2, "", "small", FormatPct(v))
		}
	}
	s.line(lw, top, lw, bottom, "#888")
	legend(s, lw, bottom+24, cols, seriesColor)
	return s.String()
}

// residScale is the |adjusted residual| at which the heatmap colour
// saturates.
const residScale = 4.0

// divergingColor maps an adjusted residual to a blue (below expected) –
// white – red (above expected) colour; NaN is grey.
func divergingColor(z float64) string {
	if math.IsNaN(z) {
		return "#e0e0e0"
	}
	t := math.Max(-1, math.Min(1, z/residScale))
	mid := [3]float64{247, 247, 247}
	end := [3]float64{178, 24, 43} // red
	if t < 0 {
		end = [3]float64{33, 102, 172} // blue
		t = -t
	}
	var b strings.Builder
	b.WriteByte('#')
	for k := range 3 {
		v := int(math.Round(mid[k] + (end[k]-mid[k])*t))
		b.WriteString(strconv.FormatInt(int64(v)/16, 16) + strconv.FormatInt(int64(v)%16, 16))
	}
	return b.String()
}

// Heatmap returns an inline <svg> of rows × cols cells coloured by the
// adjusted residual resid[row][col] on a blue–white–red scale saturating
// at |z| = 4, with the value (one decimal) written in each cell; cells
// with |z| ≥ 1.96 are bold, NaN or missing cells are grey with "—". A
// legend explains the colours.
func Heatmap(label string, rows, cols []string, resid [][]float64) string {
	const cellH, top = 26.0, 8.0
	lw := labelWidth(rows, fontSize) + 12
	cellW := 64.0
	for _, c := range cols {
		cellW = math.Max(cellW, textWidth(c, fontSize)+12)
	}
	cellW = math.Min(cellW, 160)
	// Many columns widen the chart; the page scales it down to fit.
	w := math.Max(chartWidth, lw+cellW*float64(len(cols))+4)
	head := 22.0
	gridTop := top + head
	bottom := gridTop + cellH*float64(len(rows))
	h := bottom + 52
	s := newSVG(w, h, label)
	for j, c := range cols {
		s.text(lw+cellW*(float64(j)+0.5), gridTop-8, "middle", "", fit(c, cellW-4, fontSize))
	}
	for i, r := range rows {
		y := gridTop + cellH*float64(i)
		s.text(lw-6, y+cellH/2+4, "end", "", fit(r, lw-12, fontSize))
		for j, c := range cols {
			z := at(resid, i, j)
			x := lw + cellW*float64(j)
			s.rect(x, y, cellW-2, cellH-2, divergingColor(z), r+" · "+c+"：调整后残差 "+fixed(z, 2))
			cls := "cell"
			if !math.IsNaN(z) && math.Abs(z) >= 1.96 {
				cls = "cell sig"
			}
			if !math.IsNaN(z) && math.Abs(z) > 0.55*residScale {
				cls += " light"
			}
			s.text(x+(cellW-2)/2, y+cellH/2+3, "middle", cls, fixed(z, 1))
		}
	}
	// Legend: discrete steps from −4 to 4.
	ly := bottom + 12
	s.text(lw, ly+11, "end", "small", "低于期望")
	steps := []float64{-4, -3, -2, -1, 0, 1, 2, 3, 4}
	for k, z := range steps {
		x := lw + 6 + 30*float64(k)
		s.rect(x, ly, 28, 14, divergingColor(z), "")
		s.text(x+14, ly+26, "middle", "small", fixed(z, 0))
	}
	s.text(lw+6+30*float64(len(steps))+4, ly+11, "", "small", "高于期望（调整后标准化残差，|z|≥1.96 加粗）")
	return s.String()
}
