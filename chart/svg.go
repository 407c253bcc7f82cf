package chart

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"strings"
)

// palette holds colours that stay readable with white or dark text.
var palette = []string{
	"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
	"#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
}

func colorFor(key string) string {
	h := fnv.New32a()
	h.Write([]byte(key))
	return palette[h.Sum32()%uint32(len(palette))]
}

func esc(s string) string { return html.EscapeString(s) }

// svgDoc collects the elements of one self-contained SVG document.
type svgDoc struct {
	b    strings.Builder
	w, h int
}

func newSVG(w, h int) *svgDoc {
	d := &svgDoc{w: w, h: h}
	fmt.Fprintf(&d.b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" `+
		`font-family="Helvetica, Arial, sans-serif" font-size="12">`, w, h, w, h)
	fmt.Fprintf(&d.b, `<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, w, h)
	return d
}

func (d *svgDoc) text(x, y float64, anchor, fill string, size int, weight, s string) {
	fmt.Fprintf(&d.b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s"`, x, y, anchor, fill)
	if size > 0 {
		fmt.Fprintf(&d.b, ` font-size="%d"`, size)
	}
	if weight != "" {
		fmt.Fprintf(&d.b, ` font-weight="%s"`, weight)
	}
	fmt.Fprintf(&d.b, `>%s</text>`, esc(s))
}

func (d *svgDoc) line(x1, y1, x2, y2 float64, stroke string) {
	fmt.Fprintf(&d.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, x1, y1, x2, y2, stroke)
}

func (d *svgDoc) rect(x, y, w, h float64, fill, title string) {
	if w < 0.5 {
		w = 0.5 // keep very short spans visible
	}
	fmt.Fprintf(&d.b, `<rect x="%.2f" y="%.1f" width="%.2f" height="%.1f" fill="%s" rx="2">`, x, y, w, h, fill)
	if title != "" {
		fmt.Fprintf(&d.b, `<title>%s</title>`, esc(title))
	}
	d.b.WriteString(`</rect>`)
}

func (d *svgDoc) String() string { return d.b.String() + "</svg>" }

// textWidth estimates the width in pixels of s at font size 12.
func textWidth(s string) float64 { return float64(len([]rune(s))) * 6.8 }

// niceTicks returns tick values from 0 to at least max, about n of them,
// at steps of 1, 2 or 5 times a power of ten.
func niceTicks(max float64, n int) []float64 {
	if max <= 0 || math.IsNaN(max) || math.IsInf(max, 0) {
		max = 1
	}
	raw := max / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := p
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			step = m * p
			break
		}
	}
	var ts []float64
	for i := 0; ; i++ {
		v := float64(i) * step
		ts = append(ts, v)
		if v >= max-step*1e-9 {
			break
		}
	}
	return ts
}

// seconds formats a number of seconds with 3 significant digits and a
// unit, like IPython's %time: 11.2 s, 350 ms, 42.1 µs.
func seconds(s float64) string {
	switch a := math.Abs(s); {
	case a == 0:
		return "0 s"
	case a >= 1:
		return trimG(s) + " s"
	case a >= 1e-3:
		return trimG(s*1e3) + " ms"
	case a >= 1e-6:
		return trimG(s*1e6) + " µs"
	default:
		return trimG(s*1e9) + " ns"
	}
}

func trimG(v float64) string { return fmt.Sprintf("%.3g", v) }

// tickLabel formats an axis value in the axis unit.
func tickLabel(v float64) string {
	s := fmt.Sprintf("%.3f", v)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	return s
}
