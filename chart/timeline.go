package chart

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/golit/golit/display"
)

// Span is one bar of a Timeline: something that ran on a lane from Start
// to End.
type Span struct {
	Lane, Label string
	Start, End  time.Time
}

// Timeline is a chart with one row (lane) per worker or task and one bar
// per job, from its start to its end. Overlapping bars on different lanes
// show concurrency; gaps show waiting. It implements the recorder interface
// the pools, executors and event loop accept:
//
//	Record(lane, label string, start, end time.Time)
//
// and is safe for concurrent use. Lanes appear in the order they were first
// recorded; the time axis starts at the earliest start.
//
//	tl := chart.NewTimeline("20 flags, 4 workers")
//	ex := futures.NewThreadPool(4) // configured to record into tl
//	...
//	display.Show(tl)
type Timeline struct {
	// Title is drawn above the chart.
	Title string
	// Width is the width of the SVG in pixels (default 720).
	Width int
	// MaxLanes caps the lanes drawn (default 40); the rest are counted in a
	// note.
	MaxLanes int
	// MaxSpans caps the bars drawn (default 5000).
	MaxSpans int

	mu    sync.Mutex
	spans []Span
	lanes []string
	seen  map[string]int
}

// NewTimeline returns an empty timeline titled title.
func NewTimeline(title string) *Timeline {
	return &Timeline{Title: title}
}

// Record adds a span. A span that ends before it starts is drawn as an
// instant.
func (t *Timeline) Record(lane, label string, start, end time.Time) {
	if end.Before(start) {
		end = start
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.seen == nil {
		t.seen = make(map[string]int)
	}
	if _, ok := t.seen[lane]; !ok {
		t.seen[lane] = len(t.lanes)
		t.lanes = append(t.lanes, lane)
	}
	t.spans = append(t.spans, Span{lane, label, start, end})
}

// Track runs fn and records it as a span on lane: the way to put a step of
// sequential code on the timeline.
func (t *Timeline) Track(lane, label string, fn func()) {
	start := time.Now()
	defer func() { t.Record(lane, label, start, time.Now()) }()
	fn()
}

// Spans returns a copy of the spans recorded so far.
func (t *Timeline) Spans() []Span {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Span(nil), t.spans...)
}

// Len returns the number of spans.
func (t *Timeline) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.spans)
}

// Lanes returns the lane names in order of first appearance.
func (t *Timeline) Lanes() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]string(nil), t.lanes...)
}

// Reset removes every span and lane.
func (t *Timeline) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.spans, t.lanes, t.seen = nil, nil, nil
}

type tlSnap struct {
	spans  []Span
	lanes  []string
	index  map[string]int
	t0     time.Time
	extent float64 // seconds from t0 to the last end
}

func (t *Timeline) snapshot() tlSnap {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := tlSnap{spans: append([]Span(nil), t.spans...), lanes: append([]string(nil), t.lanes...),
		index: make(map[string]int, len(t.lanes))}
	// Lanes in order of their first start; ties keep the order of
	// appearance.
	first := make(map[string]time.Time, len(s.lanes))
	for _, sp := range s.spans {
		if f, ok := first[sp.Lane]; !ok || sp.Start.Before(f) {
			first[sp.Lane] = sp.Start
		}
	}
	sort.SliceStable(s.lanes, func(i, j int) bool { return first[s.lanes[i]].Before(first[s.lanes[j]]) })
	for i, l := range s.lanes {
		s.index[l] = i
	}
	var last time.Time
	for i, sp := range s.spans {
		if i == 0 || sp.Start.Before(s.t0) {
			s.t0 = sp.Start
		}
		if sp.End.After(last) {
			last = sp.End
		}
	}
	if len(s.spans) > 0 {
		s.extent = last.Sub(s.t0).Seconds()
	}
	return s
}

// Render returns the timeline as SVG with a text fallback.
func (t *Timeline) Render() display.Bundle {
	return display.Bundle{"image/svg+xml": t.SVG(), "text/plain": t.String()}
}

// SVG returns the timeline as a self-contained SVG document.
func (t *Timeline) SVG() string {
	s := t.snapshot()
	width := t.Width
	if width <= 0 {
		width = 720
	}
	maxLanes := t.MaxLanes
	if maxLanes <= 0 {
		maxLanes = 40
	}
	maxSpans := t.MaxSpans
	if maxSpans <= 0 {
		maxSpans = 5000
	}
	lanes := s.lanes
	hidden := 0
	if len(lanes) > maxLanes {
		hidden = len(lanes) - maxLanes
		lanes = lanes[:maxLanes]
	}
	labelW := 50.0
	for _, l := range lanes {
		labelW = max(labelW, textWidth(l)+14)
	}
	labelW = min(labelW, 180)
	rowH := 22.0
	if len(lanes) > 20 {
		rowH = 14
	}
	top := 14.0
	if t.Title != "" {
		top += 22
	}
	plotW := float64(width) - labelW - 20
	plotBottom := top + float64(len(lanes))*rowH
	notes := 0
	if hidden > 0 {
		notes++
	}
	if len(s.spans) > maxSpans {
		notes++
	}
	height := int(plotBottom + 36 + float64(notes)*16)
	d := newSVG(width, height)
	if t.Title != "" {
		d.text(float64(width)/2, 22, "middle", "#222", 15, "bold", t.Title)
	}
	if len(s.spans) == 0 {
		d.text(float64(width)/2, top+14, "middle", "#777", 0, "", "(no spans recorded)")
		return d.String()
	}
	ticks := niceTicks(s.extent, 8)
	axisMax := ticks[len(ticks)-1]
	x := func(sec float64) float64 { return labelW + sec/axisMax*plotW }
	for i, l := range lanes {
		y := top + float64(i)*rowH
		if i%2 == 0 {
			d.rect(labelW, y, plotW, rowH, "#f6f6f6", "")
		}
		d.text(labelW-6, y+rowH/2+4, "end", "#222", 0, "", l)
	}
	for _, tk := range ticks {
		d.line(x(tk), top, x(tk), plotBottom, "#e0e0e0")
		d.text(x(tk), plotBottom+15, "middle", "#555", 11, "", tickLabel(tk))
	}
	d.text(labelW+plotW/2, plotBottom+30, "middle", "#555", 11, "", "seconds")
	drawn := 0
	for _, sp := range s.spans {
		li := s.index[sp.Lane]
		if li >= len(lanes) {
			continue
		}
		if drawn >= maxSpans {
			break
		}
		drawn++
		a := sp.Start.Sub(s.t0).Seconds()
		b := sp.End.Sub(s.t0).Seconds()
		y := top + float64(li)*rowH + 3
		h := rowH - 6
		w := x(b) - x(a)
		title := fmt.Sprintf("%s: %s, %s to %s (%s)", sp.Lane, sp.Label, seconds(a), seconds(b), seconds(b-a))
		d.rect(x(a), y, w, h, colorFor(sp.Label), title)
		if rowH >= 20 && sp.Label != "" && textWidth(sp.Label)+6 < w {
			d.text(x(a)+w/2, y+h/2+4, "middle", "#ffffff", 11, "", sp.Label)
		}
	}
	ny := plotBottom + 46
	if hidden > 0 {
		d.text(labelW, ny, "start", "#777", 11, "", fmt.Sprintf("... and %d more lanes not shown", hidden))
		ny += 16
	}
	if len(s.spans) > maxSpans {
		d.text(labelW, ny, "start", "#777", 11, "", fmt.Sprintf("only the first %d of %d spans are drawn", maxSpans, len(s.spans)))
	}
	return d.String()
}

// String returns the timeline as text: one row of cells per lane, a cell
// filled when something ran on that lane during that slice of time.
func (t *Timeline) String() string {
	s := t.snapshot()
	var sb strings.Builder
	if t.Title != "" {
		sb.WriteString(t.Title + "\n")
	}
	if len(s.spans) == 0 {
		sb.WriteString("(no spans recorded)")
		return sb.String()
	}
	const cols = 50
	maxLanes := t.MaxLanes
	if maxLanes <= 0 {
		maxLanes = 40
	}
	lanes := s.lanes
	if len(lanes) > maxLanes {
		lanes = lanes[:maxLanes]
	}
	lw := 0
	for _, l := range lanes {
		lw = max(lw, len([]rune(l)))
	}
	rows := make([][]rune, len(lanes))
	for i := range rows {
		rows[i] = []rune(strings.Repeat(" ", cols))
	}
	ext := s.extent
	if ext <= 0 {
		ext = 1e-9
	}
	for _, sp := range s.spans {
		li := s.index[sp.Lane]
		if li >= len(lanes) {
			continue
		}
		a := int(sp.Start.Sub(s.t0).Seconds() / ext * cols)
		b := int(sp.End.Sub(s.t0).Seconds() / ext * cols)
		a = min(a, cols-1)
		b = min(max(b, a+1), cols)
		for c := a; c < b; c++ {
			rows[li][c] = '█'
		}
	}
	for i, l := range lanes {
		fmt.Fprintf(&sb, "%-*s |%s|\n", lw, l, string(rows[i]))
	}
	fmt.Fprintf(&sb, "%-*s  0%s%s", lw, "", strings.Repeat(" ", cols-len(seconds(s.extent))), seconds(s.extent))
	if len(s.lanes) > len(lanes) {
		fmt.Fprintf(&sb, "\n... and %d more lanes", len(s.lanes)-len(lanes))
	}
	return sb.String()
}
