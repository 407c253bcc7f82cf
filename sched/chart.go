package sched

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/golit/golit/display"
)

// Chart is the scheduler chart of one recorded trace. Show it with
// display.Show or as the last expression of a cell; its fields change how
// it is drawn, its methods give the numbers behind it.
type Chart struct {
	// Title is drawn above the chart.
	Title string
	// Width is the width of the SVG in pixels (default 760).
	Width int
	// PerGoroutine adds one lane per goroutine of the work below the P
	// lanes: when it ran, waited to run, and what it was blocked on.
	PerGoroutine bool
	// MaxLanes caps the goroutine lanes drawn (default 24); the others are
	// counted in a note. The counts strip always covers them all.
	MaxLanes int

	m   *model
	raw []byte // the trace Record recorded
}

// WriteTrace writes the execution trace Record recorded, to open it in
// go tool trace (go tool trace file.trace) for every detail the chart
// leaves out. A chart from Parse has no trace to write.
func (c *Chart) WriteTrace(w io.Writer) error {
	if c.raw == nil {
		return errors.New("sched: this chart was not made by Record; it has no trace of its own")
	}
	_, err := w.Write(c.raw)
	return err
}

func newChart(m *model, o Options) *Chart {
	return &Chart{Title: o.Title, PerGoroutine: o.Goroutines, m: m}
}

// Goroutine is what one goroutine of the recorded work did: how long it
// spent in each state during the recording.
type Goroutine struct {
	// Name is its lane name: the name given to Name, else its first
	// region, else its start function or "goroutine N".
	Name string
	// ID is the runtime's goroutine id.
	ID int64
	// Running is the time it ran on a P; Runnable the time it was ready
	// but waited for one; GCAssist the part of Running it spent helping
	// the garbage collector.
	Running, Runnable, GCAssist time.Duration
	// Blocked is the time parked, by cause: BlockedChan, BlockedSync,
	// Sleeping, BlockedNet, InSyscall, BlockedOther.
	Blocked map[State]time.Duration
}

// Proc is what one P (a processor in Go's scheduler: GOMAXPROCS of them
// run Go code at once) did during the recording.
type Proc struct {
	// ID is the P's number.
	ID int
	// Work is the time the work's goroutines ran their own code on it, GC
	// the time GC workers ran on it plus the GC assists of the work's
	// goroutines, Other the time other goroutines ran, Idle the rest.
	Work, GC, Other, Idle time.Duration
}

// GC sums the garbage collector's activity during the recording.
type GC struct {
	// Cycles counts mark phases that started or ran in the window.
	Cycles int
	// Mark is the time a mark phase was running (concurrently with the
	// program); StopTheWorld the time every goroutine was stopped.
	Mark, StopTheWorld time.Duration
	// Workers is the P time GC worker goroutines used; Assist the time the
	// work's goroutines ran GC assists instead of their own code.
	Workers, Assist time.Duration
}

// Duration returns the length of the recording.
func (c *Chart) Duration() time.Duration { return ns(c.m.dur) }

// GOMAXPROCS returns the number of Ps while the work ran.
func (c *Chart) GOMAXPROCS() int { return c.m.gomaxprocs }

// Events returns the number of trace events read.
func (c *Chart) Events() int { return c.m.events }

// Goroutines returns the work's goroutines in the order they first ran.
func (c *Chart) Goroutines() []Goroutine {
	var out []Goroutine
	for _, g := range c.work() {
		s := Goroutine{Name: c.m.label(g), ID: g.id, Blocked: map[State]time.Duration{}}
		for _, sp := range g.spans {
			d := ns(sp.b - sp.a)
			switch sp.st {
			case Running:
				s.Running += d
			case Runnable:
				s.Runnable += d
			default:
				s.Blocked[sp.st] += d
			}
		}
		for _, sp := range g.spans {
			if sp.st == Running {
				pieces(g, sp.span, func(a, b int64, assist bool) {
					if assist {
						s.GCAssist += ns(b - a)
					}
				})
			}
		}
		out = append(out, s)
	}
	return out
}

// Procs returns what each P did.
func (c *Chart) Procs() []Proc {
	var out []Proc
	for _, pr := range c.m.procs {
		p := Proc{ID: int(pr.id)}
		busy := time.Duration(0)
		for _, s := range pr.spans {
			d := ns(s.b - s.a)
			busy += d
			switch c.class(s.g) {
			case classWork:
				if s.syscall {
					p.Work += d
					break
				}
				pieces(s.g, s.span, func(a, b int64, assist bool) {
					if assist {
						p.GC += ns(b - a)
					} else {
						p.Work += ns(b - a)
					}
				})
			case classGC:
				p.GC += d
			default:
				p.Other += d
			}
		}
		p.Idle = max(0, c.Duration()-busy)
		out = append(out, p)
	}
	return out
}

// GC returns the garbage collector's share of the recording.
func (c *Chart) GC() GC {
	var g GC
	g.Cycles = len(c.m.mark)
	for _, s := range c.m.mark {
		g.Mark += ns(s.b - s.a)
	}
	for _, s := range c.m.stw {
		g.StopTheWorld += ns(s.b - s.a)
	}
	for _, pr := range c.m.procs {
		for _, s := range pr.spans {
			if c.class(s.g) == classGC {
				g.Workers += ns(s.b - s.a)
			}
		}
	}
	for _, s := range c.Goroutines() {
		g.Assist += s.GCAssist
	}
	return g
}

// Lanes returns the names of the lanes the SVG draws, top to bottom.
func (c *Chart) Lanes() []string {
	l := []string{"goroutines", "GC"}
	for _, p := range c.m.procs {
		l = append(l, fmt.Sprintf("P%d", p.id))
	}
	if c.PerGoroutine {
		gs := c.work()
		if n := c.maxLanes(); len(gs) > n {
			gs = gs[:n]
		}
		for _, g := range gs {
			l = append(l, c.m.label(g))
		}
	}
	return l
}

func (c *Chart) maxLanes() int {
	if c.MaxLanes > 0 {
		return c.MaxLanes
	}
	return 24
}

// work returns the work's goroutines in lane order.
func (c *Chart) work() []*goroutine {
	var out []*goroutine
	for _, g := range c.m.goroutines {
		if g.ours && len(g.spans) > 0 {
			out = append(out, g)
		}
	}
	return out
}

type class uint8

const (
	classWork class = iota
	classGC
	classOther
)

func (c *Chart) class(g *goroutine) class {
	switch {
	case g.ours:
		return classWork
	case g.gcWorker:
		return classGC
	}
	return classOther
}

// Render returns the chart as SVG with a text fallback.
func (c *Chart) Render() display.Bundle {
	return display.Bundle{"image/svg+xml": c.SVG(), "text/plain": c.String()}
}

// String returns a text summary: per P the share of the work, the GC and
// the rest; per goroutine its time running, runnable and blocked.
func (c *Chart) String() string {
	var b strings.Builder
	if c.Title != "" {
		b.WriteString(c.Title + "\n")
	}
	fmt.Fprintf(&b, "%s traced, GOMAXPROCS=%d, %d events\n", seconds(c.Duration().Seconds()), c.m.gomaxprocs, c.m.events)
	dur := c.Duration().Seconds()
	pct := func(d time.Duration) string {
		if dur <= 0 {
			return "0%"
		}
		return fmt.Sprintf("%.0f%%", 100*d.Seconds()/dur)
	}
	for _, p := range c.Procs() {
		fmt.Fprintf(&b, "P%d: work %s, GC %s, other %s, idle %s\n", p.ID, pct(p.Work), pct(p.GC), pct(p.Other), pct(p.Idle))
	}
	g := c.GC()
	fmt.Fprintf(&b, "GC: %d cycles, marking %s, stop-the-world %s, assists %s\n",
		g.Cycles, seconds(g.Mark.Seconds()), seconds(g.StopTheWorld.Seconds()), seconds(g.Assist.Seconds()))
	gs := c.Goroutines()
	if len(gs) == 0 {
		b.WriteString("(no goroutines of the work ran)")
		return b.String()
	}
	nw := 9
	shown := gs
	if len(shown) > c.maxLanes() {
		shown = shown[:c.maxLanes()]
	}
	for _, s := range shown {
		nw = max(nw, len([]rune(s.Name)))
	}
	fmt.Fprintf(&b, "%-*s  %9s  %9s  %s\n", nw, "goroutine", "running", "runnable", "blocked")
	for _, s := range shown {
		var bl []string
		for st := BlockedChan; st < numStates; st++ {
			if d := s.Blocked[st]; d > 0 {
				bl = append(bl, fmt.Sprintf("%s %s", st, seconds(d.Seconds())))
			}
		}
		fmt.Fprintf(&b, "%-*s  %9s  %9s  %s\n", nw, s.Name, seconds(s.Running.Seconds()), seconds(s.Runnable.Seconds()), strings.Join(bl, ", "))
	}
	if len(gs) > len(shown) {
		fmt.Fprintf(&b, "... and %d more goroutines\n", len(gs)-len(shown))
	}
	return strings.TrimRight(b.String(), "\n")
}

// pieces splits a span of g on a P into the parts where it ran its own
// code and the parts where it helped the GC (mark assists), in order.
func pieces(g *goroutine, s span, fn func(a, b int64, assist bool)) {
	as := g.assist
	i, _ := slices.BinarySearchFunc(as, s.a, func(x span, t int64) int { return cmp.Compare(x.b, t+1) })
	t := s.a
	for ; i < len(as) && as[i].a < s.b; i++ {
		a, b := max(as[i].a, s.a), min(as[i].b, s.b)
		if a > t {
			fn(t, a, false)
		}
		if b > a {
			fn(a, b, true)
		}
		t = max(t, b)
	}
	if t < s.b {
		fn(t, s.b, false)
	}
}
