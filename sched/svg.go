package sched

import (
	"fmt"
	"hash/fnv"
	"html"
	"math"
	"strconv"
	"strings"
	"unicode"
)

// Colours of the goroutines of the work (one each when there are few, one
// per name family such as "isPrime #1", "isPrime #2" when there are many),
// of GC workers and of everything else.
var palette = []string{
	"#4e79a7", "#f28e2b", "#e15759", "#b07aa1", "#bcbd22",
	"#9c755f", "#edc948", "#ff9da7", "#8cd17d",
}

const (
	gcColor    = "#3d3d3d"
	otherColor = "#c4c4c4"
	markColor  = "#bdbdbd"
)

type svg struct {
	b strings.Builder
}

func (d *svg) text(x, y float64, anchor, fill string, size int, weight, s string) {
	fmt.Fprintf(&d.b, `<text x="%.1f" y="%.1f" text-anchor="%s" fill="%s" font-size="%d"`, x, y, anchor, fill, size)
	if weight != "" {
		fmt.Fprintf(&d.b, ` font-weight="%s"`, weight)
	}
	fmt.Fprintf(&d.b, `>%s</text>`, html.EscapeString(s))
}

func (d *svg) rect(x, y, w, h float64, fill, title string) {
	fmt.Fprintf(&d.b, `<rect x="%.2f" y="%.1f" width="%.2f" height="%.1f" fill="%s"`, x, y, w, h, fill)
	if title == "" {
		d.b.WriteString(`/>`)
		return
	}
	fmt.Fprintf(&d.b, `><title>%s</title></rect>`, html.EscapeString(title))
}

func (d *svg) line(x1, y1, x2, y2 float64, stroke string) {
	fmt.Fprintf(&d.b, `<line x1="%.1f" y1="%.1f" x2="%.1f" y2="%.1f" stroke="%s" stroke-width="1"/>`, x1, y1, x2, y2, stroke)
}

// textWidth estimates the width of s in pixels at font size 12.
func textWidth(s string, size int) float64 {
	return float64(len([]rune(s))) * 0.57 * float64(size)
}

// fit shortens s from the left ("…ConnForLocked.func1") until it is at
// most w pixels wide at font size size.
func fit(s string, w float64, size int) string {
	r := []rune(s)
	if textWidth(s, size) <= w {
		return s
	}
	for len(r) > 1 && textWidth("…"+string(r), size) > w {
		r = r[1:]
	}
	return "…" + string(r)
}

// bar is one rectangle of a lane before merging.
type bar struct {
	x0, x1 float64
	key    string // bars with the same key merge when they touch
	fill   string
	title  string
	label  string
	dur    int64 // nanoseconds, summed when bars merge
}

// laneDrawer merges bars of a lane that touch (closer than a pixel) and
// share a key, so a trace of many short slices draws as few rectangles as
// the picture needs; slices thinner than a pixel still show, widened.
type laneDrawer struct {
	d      *svg
	y, h   float64
	cur    bar
	merged int
	open   bool
}

func (l *laneDrawer) add(b bar) {
	if l.open && b.key == l.cur.key && b.x0-l.cur.x1 < 1 {
		l.cur.x1 = max(l.cur.x1, b.x1)
		l.cur.dur += b.dur
		l.merged++
		return
	}
	l.flush()
	l.cur, l.open, l.merged = b, true, 1
}

func (l *laneDrawer) flush() {
	if !l.open {
		return
	}
	b := l.cur
	w := max(b.x1-b.x0, 0.6)
	title := b.title
	if l.merged > 1 {
		title = fmt.Sprintf("%s: %d slices, %s in all", b.key, l.merged, seconds(float64(b.dur)/1e9))
	}
	l.d.rect(b.x0, l.y, w, l.h, b.fill, title)
	if b.label != "" && l.h >= 14 && textWidth(b.label, 11)+6 < w {
		l.d.text(b.x0+w/2, l.y+l.h/2+4, "middle", "#ffffff", 11, "", b.label)
	}
	l.open = false
}

// colorKeys decides the colour of every goroutine of the work.
func (c *Chart) colorKeys(work []*goroutine) (key map[*goroutine]string, order []string, color map[string]string) {
	key = make(map[*goroutine]string, len(work))
	color = map[string]string{}
	distinct := func(f func(*goroutine) string) []string {
		seen := map[string]bool{}
		var out []string
		for _, g := range work {
			k := f(g)
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
		return out
	}
	f := func(g *goroutine) string { return c.m.label(g) }
	order = distinct(f)
	if len(order) > len(palette) {
		f = func(g *goroutine) string { return family(c.m.label(g)) }
		order = distinct(f)
	}
	for _, g := range work {
		key[g] = f(g)
	}
	for i, k := range order {
		if len(order) <= len(palette) {
			color[k] = palette[i]
		} else {
			h := fnv.New32a()
			h.Write([]byte(k))
			color[k] = palette[h.Sum32()%uint32(len(palette))]
		}
	}
	return key, order, color
}

// family drops a trailing number: "isPrime #3" and "isPrime #4" are both
// "isPrime", "goroutine 17" is "goroutine".
func family(s string) string {
	t := strings.TrimRightFunc(s, unicode.IsDigit)
	t = strings.TrimRight(t, " #-_")
	if t == "" {
		return s
	}
	return t
}

// SVG returns the chart as a self-contained SVG document: the counts
// strip (how many of the work's goroutines were in each state), the GC
// lane, one lane per P, and with PerGoroutine one lane per goroutine.
func (c *Chart) SVG() string {
	m := c.m
	width := c.Width
	if width <= 0 {
		width = 760
	}
	work := c.work()
	lanes := work
	hidden := 0
	if !c.PerGoroutine {
		lanes = nil
	} else if len(lanes) > c.maxLanes() {
		hidden = len(lanes) - c.maxLanes()
		lanes = lanes[:c.maxLanes()]
	}
	labelW := 74.0
	for _, g := range lanes {
		labelW = max(labelW, textWidth(m.label(g), 12)+12)
	}
	labelW = min(labelW, 170)
	plotX := labelW
	plotW := float64(width) - labelW - 16
	dur := float64(m.dur)
	if dur <= 0 {
		dur = 1
	}
	x := func(t int64) float64 { return plotX + float64(t)/dur*plotW }

	const countsH, gcH, procH = 54.0, 14.0, 24.0
	goH := 18.0
	if len(lanes) > 20 {
		goH = 12
	}
	y := 10.0
	var d svg
	if c.Title != "" {
		y += 18
	}
	subY := y + 12
	y += 22
	countsY := y
	y += countsH + 8
	gcY := y
	y += gcH + 6
	procY := y
	y += procH * float64(len(m.procs))
	goY := y + 8
	if len(lanes) > 0 {
		y = goY + goH*float64(len(lanes))
	}
	axisY := y
	y += 44
	key, order, color := c.colorKeys(work)
	legendY := y
	if c.Title != "" {
		d.text(float64(width)/2, 24, "middle", "#222", 15, "bold", c.Title)
	}
	d.text(float64(width)/2, subY, "middle", "#555", 11, "",
		fmt.Sprintf("execution trace of %s · GOMAXPROCS=%d · %d goroutines of the work", seconds(dur/1e9), m.gomaxprocs, len(work)))

	// Lane backgrounds and names.
	d.text(plotX-6, countsY+countsH/2-2, "end", "#222", 12, "", "goroutines")
	d.text(plotX-6, countsY+countsH/2+11, "end", "#777", 10, "", "by state")
	d.rect(plotX, gcY, plotW, gcH, "#f6f6f6", "")
	d.text(plotX-6, gcY+gcH/2+4, "end", "#222", 12, "", "GC")
	for i, pr := range m.procs {
		py := procY + float64(i)*procH
		if i%2 == 0 {
			d.rect(plotX, py, plotW, procH, "#f6f6f6", "")
		}
		d.text(plotX-6, py+procH/2+4, "end", "#222", 12, "bold", fmt.Sprintf("P%d", pr.id))
	}
	for i, g := range lanes {
		gy := goY + float64(i)*goH
		if i%2 == 0 {
			d.rect(plotX, gy, plotW, goH, "#f6f6f6", "")
		}
		fs := 12
		if goH < 14 {
			fs = 10
		}
		d.text(plotX-6, gy+goH/2+float64(fs)/3, "end", "#222", fs, "", fit(m.label(g), plotX-10, fs))
	}

	// Time grid.
	ticks, unit, scale := timeTicks(dur / 1e9)
	for _, tk := range ticks {
		tx := plotX + tk/scale/(dur/1e9)*plotW
		if tx > plotX+plotW+0.5 {
			continue
		}
		d.line(tx, countsY, tx, axisY, "#e3e3e3")
		d.text(tx, axisY+14, "middle", "#555", 11, "", strconv.FormatFloat(tk, 'f', -1, 64))
	}
	d.text(plotX+plotW/2, axisY+28, "middle", "#555", 11, "", unit)

	c.drawCounts(&d, work, plotX, plotW, countsY, countsH)

	// GC lane: mark phases, then stop-the-world pauses on top.
	gl := laneDrawer{d: &d, y: gcY + 2, h: gcH - 4}
	for _, s := range m.mark {
		gl.add(bar{x0: x(s.a), x1: x(s.b), dur: s.b - s.a, key: "GC mark phase", fill: markColor, title: seconds(float64(s.b-s.a) / 1e9)})
	}
	gl.flush()
	sl := laneDrawer{d: &d, y: gcY, h: gcH}
	for _, s := range m.stw {
		sl.add(bar{x0: x(s.a), x1: x(s.b), dur: s.b - s.a, key: "stop-the-world", fill: "#000000", title: seconds(float64(s.b-s.a) / 1e9)})
	}
	sl.flush()

	// P lanes.
	for i, pr := range m.procs {
		l := laneDrawer{d: &d, y: procY + float64(i)*procH + 3, h: procH - 6}
		for _, s := range pr.spans {
			b := bar{x0: x(s.a), x1: x(s.b), dur: s.b - s.a}
			dt := seconds(float64(s.b-s.a) / 1e9)
			switch c.class(s.g) {
			case classWork:
				if s.syscall {
					break
				}
				name := m.label(s.g)
				if s.region != "" && s.region != name {
					name += " (" + s.region + ")"
				}
				pieces(s.g, s.span, func(a, b int64, assist bool) {
					dt := seconds(float64(b-a) / 1e9)
					if assist {
						l.add(bar{x0: x(a), x1: x(b), dur: b - a, key: "GC", fill: gcColor, title: m.label(s.g) + " assisting the GC: " + dt})
						return
					}
					l.add(bar{x0: x(a), x1: x(b), dur: b - a, key: key[s.g], fill: color[key[s.g]], label: m.label(s.g),
						title: fmt.Sprintf("%s: %s at %s", name, dt, seconds(float64(a)/1e9))})
				})
				continue
			case classGC:
				b.key, b.fill, b.label, b.title = "GC", gcColor, "GC", "GC worker: "+dt
			default:
				b.key, b.fill, b.title = "other", otherColor, shortFunc(m.label(s.g))+": "+dt
			}
			if s.syscall {
				b.key, b.fill, b.label = "syscall", stateColor[InSyscall], ""
				b.title = m.label(s.g) + " in a syscall, holding the P: " + dt
			}
			l.add(b)
		}
		l.flush()
	}

	// Goroutine lanes: running full height, waiting half height.
	for i, g := range lanes {
		gy := goY + float64(i)*goH
		l := laneDrawer{d: &d, y: gy + 2, h: goH - 4}
		w := laneDrawer{d: &d, y: gy + goH/2 - 2, h: 4}
		name := m.label(g)
		for _, s := range g.spans {
			dt := seconds(float64(s.b-s.a) / 1e9)
			if s.st == Running {
				w.flush()
				l.add(bar{x0: x(s.a), x1: x(s.b), dur: s.b - s.a, key: "running", fill: color[key[g]], title: name + " running: " + dt})
				continue
			}
			l.flush()
			w.add(bar{x0: x(s.a), x1: x(s.b), dur: s.b - s.a, key: s.st.String(), fill: stateColor[s.st], title: name + " " + s.st.String() + ": " + dt})
		}
		l.flush()
		w.flush()
		al := laneDrawer{d: &d, y: gy + goH - 5, h: 3}
		for _, s := range g.assist {
			al.add(bar{x0: x(s.a), x1: x(s.b), dur: s.b - s.a, key: "GC assist", fill: gcColor, title: name + " GC assist: " + seconds(float64(s.b-s.a)/1e9)})
		}
		al.flush()
	}

	// Legend: the states, then the goroutines' colours.
	lx, ly := plotX, legendY
	item := func(fill, label string) {
		if lx+14+textWidth(label, 11) > float64(width)-8 {
			ly += 18
			lx = plotX
		}
		d.rect(lx, ly-9, 10, 10, fill, "")
		d.text(lx+14, ly, "start", "#333", 11, "", label)
		lx += 14 + textWidth(label, 11) + 14
	}
	// Only what the chart shows, besides running and runnable.
	var seen [numStates]bool
	for _, g := range work {
		for _, s := range g.spans {
			seen[s.st] = true
		}
	}
	seen[Running], seen[Runnable] = true, true
	gcSeen, otherSeen := len(m.mark) > 0, false
	for _, pr := range m.procs {
		for _, s := range pr.spans {
			switch c.class(s.g) {
			case classGC:
				gcSeen = true
			case classOther:
				otherSeen = true
			}
			seen[InSyscall] = seen[InSyscall] || s.syscall
		}
	}
	for _, g := range work {
		gcSeen = gcSeen || len(g.assist) > 0
	}
	for _, st := range []State{Running, Runnable, BlockedChan, BlockedSync, Sleeping, BlockedNet, InSyscall, BlockedOther} {
		if seen[st] {
			item(stateColor[st], st.String())
		}
	}
	if gcSeen {
		item(gcColor, "GC work")
		item(markColor, "GC mark phase")
	}
	if otherSeen {
		item(otherColor, "other goroutines")
	}
	if len(order) > 0 {
		ly += 18
		lx = plotX
		d.text(lx, ly, "start", "#333", 11, "bold", "running:")
		lx += 56
		for i, k := range order {
			if i == 12 {
				d.text(lx, ly, "start", "#777", 11, "", fmt.Sprintf("and %d more", len(order)-12))
				break
			}
			item(color[k], k)
		}
	}
	if hidden > 0 {
		ly += 18
		d.text(plotX, ly, "start", "#777", 11, "", fmt.Sprintf("... and %d more goroutines without a lane (the counts include them)", hidden))
	}
	height := int(ly + 12)
	return fmt.Sprintf(`<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Helvetica, Arial, sans-serif" font-size="12">`+
		`<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>`, width, height, width, height, width, height) + d.b.String() + "</svg>"
}

// drawCounts draws the stacked counts of the work's goroutines by state.
func (c *Chart) drawCounts(d *svg, work []*goroutine, x0, w, y0, h float64) {
	nb := max(1, int(w/2))
	dur := float64(c.m.dur)
	if dur <= 0 {
		return
	}
	bw := dur / float64(nb)
	var counts [numStates][]float64
	for s := range counts {
		counts[s] = make([]float64, nb)
	}
	for _, g := range work {
		for _, s := range g.spans {
			a, b := float64(s.a)/bw, float64(s.b)/bw
			for i := int(a); i < nb && float64(i) < b; i++ {
				lo, hi := max(a, float64(i)), min(b, float64(i+1))
				counts[s.st][i] += hi - lo
			}
		}
	}
	top := 1.0
	for i := 0; i < nb; i++ {
		t := 0.0
		for s := range counts {
			t += counts[s][i]
		}
		top = max(top, t)
	}
	top = math.Ceil(top)
	d.rect(x0, y0, w, h, "#fbfbfb", "")
	d.line(x0, y0+h, x0+w, y0+h, "#999")
	d.text(x0-6, y0+8, "end", "#777", 9, "", strconv.Itoa(int(top)))
	low := make([]float64, nb)
	for _, st := range []State{Running, Runnable, BlockedChan, BlockedSync, Sleeping, BlockedNet, InSyscall, BlockedOther} {
		cs := counts[st]
		any := false
		for _, v := range cs {
			if v > 0.01 {
				any = true
				break
			}
		}
		if !any {
			continue
		}
		yv := func(v float64) float64 { return y0 + h - v/top*h }
		bx := func(i int) float64 { return x0 + float64(i)/float64(nb)*w }
		var p strings.Builder
		fmt.Fprintf(&p, "M%.1f %.1f", bx(0), yv(low[0]))
		for i := 0; i < nb; i++ {
			hi := low[i] + cs[i]
			fmt.Fprintf(&p, "L%.1f %.1fL%.1f %.1f", bx(i), yv(hi), bx(i+1), yv(hi))
		}
		for i := nb - 1; i >= 0; i-- {
			fmt.Fprintf(&p, "L%.1f %.1fL%.1f %.1f", bx(i+1), yv(low[i]), bx(i), yv(low[i]))
			low[i] += cs[i]
		}
		fmt.Fprintf(&d.b, `<path d="%sZ" fill="%s"><title>%s</title></path>`, p.String(), stateColor[st], st.String())
	}
}

// timeTicks chooses about 8 ticks for a span of s seconds, in seconds or
// milliseconds; scale converts seconds to the unit.
func timeTicks(s float64) (ticks []float64, unit string, scale float64) {
	unit, scale = "seconds", 1
	if s < 1 {
		unit, scale = "milliseconds", 1000
	}
	v := s * scale
	if v <= 0 {
		v = 1
	}
	raw := v / 8
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	step := p
	for _, f := range []float64{1, 2, 2.5, 5, 10} {
		if f*p >= raw {
			step = f * p
			break
		}
	}
	for i := 0; ; i++ {
		t := float64(i) * step
		ticks = append(ticks, math.Round(t*1e6)/1e6)
		if t >= v-step*1e-9 {
			break
		}
	}
	return ticks, unit, scale
}

// seconds formats seconds with 3 significant digits and a unit, like
// IPython's %time.
func seconds(s float64) string {
	f := func(v float64) string { return strconv.FormatFloat(v, 'g', 3, 64) }
	switch a := math.Abs(s); {
	case a == 0:
		return "0 s"
	case a >= 1:
		return fmt.Sprintf("%.3g s", s)
	case a >= 1e-3:
		return f(s*1e3) + " ms"
	case a >= 1e-6:
		return f(s*1e6) + " µs"
	}
	return f(s*1e9) + " ns"
}
