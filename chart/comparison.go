package chart

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/golit/golit/display"
)

// Comparison is a horizontal bar chart comparing runs of the same job, with
// the time of each run written next to its bar: sequential vs thread pool
// vs event loop. Values are seconds. It renders as SVG in a notebook and as
// text elsewhere.
//
//	c := chart.NewComparison("Download 20 flags")
//	c.Add("sequential", 11.2).Add("thread pool", 1.1).Add("event loop", 1.05)
//	display.Show(c)
type Comparison struct {
	// Title is drawn above the bars.
	Title string
	// Speedup, when true, writes how many times faster than the first bar
	// each other bar is.
	Speedup bool
	// Width is the width of the SVG in pixels (default 640).
	Width int

	mu   sync.Mutex
	bars []bar
}

type bar struct {
	label string
	value float64
}

// NewComparison returns an empty comparison chart titled title, with
// speed-ups shown.
func NewComparison(title string) *Comparison {
	return &Comparison{Title: title, Speedup: true}
}

// Add appends a bar of the given number of seconds and returns c.
func (c *Comparison) Add(label string, seconds float64) *Comparison {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.bars = append(c.bars, bar{label, seconds})
	return c
}

// AddDuration appends a bar for a time.Duration and returns c.
func (c *Comparison) AddDuration(label string, d time.Duration) *Comparison {
	return c.Add(label, d.Seconds())
}

// Len returns the number of bars.
func (c *Comparison) Len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.bars)
}

func (c *Comparison) snapshot() []bar {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]bar(nil), c.bars...)
}

func (c *Comparison) speedup(bs []bar, i int) string {
	if !c.Speedup || i == 0 || len(bs) < 2 || bs[0].value <= 0 || bs[i].value <= 0 {
		return ""
	}
	r := bs[0].value / bs[i].value
	if r >= 1 {
		return fmt.Sprintf("%.1f× faster", r)
	}
	return fmt.Sprintf("%.1f× slower", 1/r)
}

// Render returns the chart as SVG with a text fallback.
func (c *Comparison) Render() display.Bundle {
	return display.Bundle{"image/svg+xml": c.SVG(), "text/plain": c.String()}
}

// SVG returns the chart as a self-contained SVG document.
func (c *Comparison) SVG() string {
	bs := c.snapshot()
	width := c.Width
	if width <= 0 {
		width = 640
	}
	labelW := 60.0
	maxV := 0.0
	for _, b := range bs {
		labelW = max(labelW, textWidth(b.label)+16)
		maxV = max(maxV, b.value)
	}
	labelW = min(labelW, float64(width)/3)
	const barH, gap, top0 = 24.0, 10.0, 16.0
	top := top0
	if c.Title != "" {
		top += 22
	}
	right := 150.0 // room for the value and speed-up labels
	plotW := float64(width) - labelW - right
	ticks := niceTicks(maxV, 5)
	axisMax := ticks[len(ticks)-1]
	height := int(top + float64(len(bs))*(barH+gap) + 34)
	d := newSVG(width, height)
	if c.Title != "" {
		d.text(float64(width)/2, 22, "middle", "#222", 15, "bold", c.Title)
	}
	plotBottom := top + float64(len(bs))*(barH+gap)
	for _, t := range ticks {
		x := labelW + t/axisMax*plotW
		d.line(x, top-4, x, plotBottom, "#e3e3e3")
		d.text(x, plotBottom+16, "middle", "#555", 11, "", tickLabel(t))
	}
	d.text(labelW+plotW/2, plotBottom+30, "middle", "#555", 11, "", "seconds")
	d.line(labelW, top-4, labelW, plotBottom, "#888")
	for i, b := range bs {
		y := top + float64(i)*(barH+gap)
		w := 0.0
		if axisMax > 0 && b.value > 0 {
			w = b.value / axisMax * plotW
		}
		d.text(labelW-8, y+barH/2+4, "end", "#222", 0, "", b.label)
		d.rect(labelW, y, w, barH, palette[i%len(palette)], fmt.Sprintf("%s: %s", b.label, seconds(b.value)))
		val := seconds(b.value)
		if s := c.speedup(bs, i); s != "" {
			val += "  (" + s + ")"
		}
		d.text(labelW+w+6, y+barH/2+4, "start", "#222", 0, "", val)
	}
	return d.String()
}

// String returns the chart as text bars.
func (c *Comparison) String() string {
	bs := c.snapshot()
	var sb strings.Builder
	if c.Title != "" {
		sb.WriteString(c.Title + "\n")
	}
	lw, maxV := 0, 0.0
	for _, b := range bs {
		lw = max(lw, len([]rune(b.label)))
		maxV = max(maxV, b.value)
	}
	const width = 40
	for i, b := range bs {
		n := 0
		if maxV > 0 && b.value > 0 {
			n = int(b.value/maxV*width + 0.5)
			n = max(n, 1)
		}
		line := fmt.Sprintf("%-*s  %s%s  %s", lw, b.label, strings.Repeat("█", n), strings.Repeat(" ", width-n), seconds(b.value))
		if s := c.speedup(bs, i); s != "" {
			line += "  (" + s + ")"
		}
		sb.WriteString(line + "\n")
	}
	return strings.TrimRight(sb.String(), "\n")
}
