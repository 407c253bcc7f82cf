package sched

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	xtrace "golang.org/x/exp/trace"
)

// The trace log categories sched writes. Name logs the goroutine's name
// under catName; Record brackets the work with catMark "begin" and "end".
const (
	catName = "golit/sched.name"
	catMark = "golit/sched"
)

// span is an interval of the window, in nanoseconds from its start.
type span struct{ a, b int64 }

// gspan is a goroutine in one state.
type gspan struct {
	span
	st State
}

// pspan is a goroutine on a P: running, or still holding the P in a
// syscall.
type pspan struct {
	span
	g       *goroutine
	syscall bool
	region  string
}

// goroutine is everything the parser learns about one goroutine.
type goroutine struct {
	id       int64
	name     string // from Name (a trace log), else ""
	region   string // the first region it entered
	start    string // its start function, when the trace shows it
	ours     bool   // started by the recorded work (or named)
	root     bool   // the goroutine that called Record
	runtime  bool   // one of the runtime's own goroutines
	gcWorker bool   // a GC mark worker or the background sweeper

	known   bool // state holds a real state
	state   State
	since   xtrace.Time
	proc    int64 // the P it runs on, or -1
	regions []string

	spans   []gspan
	assist  []span
	assistT xtrace.Time // start of the open GC assist, or -1
	first   int64       // first time it ran in the window, or -1
}

// proc is one P.
type proc struct {
	id      int64
	cur     *goroutine
	since   xtrace.Time
	syscall bool
	region  string
	spans   []pspan
	ran     bool
}

// model is a parsed trace, clipped to the recorded window.
type model struct {
	dur        int64 // window length in ns
	goroutines []*goroutine
	procs      []*proc // Ps that ran something, by id
	mark       []span  // GC concurrent mark phases
	stw        []span  // stop-the-world pauses
	gomaxprocs int
	marked     bool // the trace had Record's begin marker
	events     int
}

type parser struct {
	m       model
	gs      map[xtrace.GoID]*goroutine
	ps      map[xtrace.ProcID]*proc
	w0, w1  xtrace.Time
	haveW0  bool
	haveW1  bool
	first   xtrace.Time
	last    xtrace.Time
	markT   xtrace.Time
	stwT    map[string]xtrace.Time
	rawMark []span // absolute times until the window is known
	rawSTW  []span
	all     bool
}

// parse reads a whole trace. With all set (or when the trace has no
// Record markers) every goroutine that is not the runtime's own counts as
// the work's.
func parse(r io.Reader, all bool) (*model, error) {
	rd, err := xtrace.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("sched: not an execution trace: %w", err)
	}
	p := &parser{
		gs: make(map[xtrace.GoID]*goroutine), ps: make(map[xtrace.ProcID]*proc),
		stwT: make(map[string]xtrace.Time), markT: -1, all: all,
	}
	n := 0
	for {
		ev, err := rd.ReadEvent()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("sched: reading the trace: %w", err)
		}
		if n == 0 {
			p.first = ev.Time()
		}
		n++
		p.last = ev.Time()
		p.event(ev)
	}
	if n == 0 {
		return nil, fmt.Errorf("sched: the trace is empty")
	}
	p.m.events = n
	p.finish()
	return &p.m, nil
}

func (p *parser) g(id xtrace.GoID) *goroutine {
	if g, ok := p.gs[id]; ok {
		return g
	}
	g := &goroutine{id: int64(id), proc: -1, assistT: -1, first: -1}
	p.gs[id] = g
	return g
}

func (p *parser) proc(id xtrace.ProcID) *proc {
	if pr, ok := p.ps[id]; ok {
		return pr
	}
	pr := &proc{id: int64(id)}
	p.ps[id] = pr
	return pr
}

func (p *parser) windowOpen() bool { return p.haveW0 && !p.haveW1 }

func (p *parser) event(ev xtrace.Event) {
	t := ev.Time()
	switch ev.Kind() {
	case xtrace.EventLog:
		l := ev.Log()
		if ev.Goroutine() == xtrace.NoGoroutine {
			return
		}
		g := p.g(ev.Goroutine())
		switch l.Category {
		case catName:
			g.name, g.ours = l.Message, true
		case catMark:
			switch l.Message {
			case "begin":
				if !p.haveW0 {
					p.w0, p.haveW0 = t, true
					p.m.marked = true
					g.ours, g.root = true, true
				}
			case "end":
				if p.haveW0 && !p.haveW1 {
					p.w1, p.haveW1 = t, true
				}
			}
		}
	case xtrace.EventLabel:
		l := ev.Label()
		if l.Resource.Kind == xtrace.ResourceGoroutine && strings.HasPrefix(l.Label, "GC ") {
			p.g(l.Resource.Goroutine()).gcWorker = true
		}
	case xtrace.EventMetric:
		m := ev.Metric()
		if m.Name == "/sched/gomaxprocs:threads" && m.Value.Kind() == xtrace.ValueUint64 && !p.haveW1 {
			p.m.gomaxprocs = int(m.Value.Uint64())
		}
	case xtrace.EventRegionBegin, xtrace.EventRegionEnd:
		if ev.Goroutine() == xtrace.NoGoroutine {
			return
		}
		g := p.g(ev.Goroutine())
		if ev.Kind() == xtrace.EventRegionBegin {
			typ := ev.Region().Type
			g.regions = append(g.regions, typ)
			if g.region == "" {
				g.region = typ
			}
		} else if len(g.regions) > 0 {
			g.regions = g.regions[:len(g.regions)-1]
		}
		// A running goroutine's bar changes its label with the region.
		if g.proc >= 0 {
			if pr := p.ps[xtrace.ProcID(g.proc)]; pr != nil && pr.cur == g && !pr.syscall {
				p.closeP(pr, t)
				p.openP(pr, g, t, false)
			}
		}
	case xtrace.EventRangeBegin, xtrace.EventRangeActive, xtrace.EventRangeEnd:
		p.rangeEvent(ev, t)
	case xtrace.EventStateTransition:
		st := ev.StateTransition()
		switch st.Resource.Kind {
		case xtrace.ResourceGoroutine:
			p.goTransition(ev, st, t)
		case xtrace.ResourceProc:
			_, to := st.Proc()
			pr := p.proc(st.Resource.Proc())
			if to.Executing() {
				pr.ran = true
			} else if pr.cur != nil {
				p.closeP(pr, t)
			}
		}
	}
}

func (p *parser) rangeEvent(ev xtrace.Event, t xtrace.Time) {
	r := ev.Range()
	begin := ev.Kind() != xtrace.EventRangeEnd
	switch {
	case r.Name == "GC concurrent mark phase":
		if begin {
			if p.markT < 0 {
				p.markT = t
			}
		} else if p.markT >= 0 {
			p.rawMark = append(p.rawMark, span{int64(p.markT), int64(t)})
			p.markT = -1
		}
	case strings.HasPrefix(r.Name, "stop-the-world"):
		key := r.Scope.String()
		if begin {
			p.stwT[key] = t
		} else if t0, ok := p.stwT[key]; ok {
			p.rawSTW = append(p.rawSTW, span{int64(t0), int64(t)})
			delete(p.stwT, key)
		}
	case r.Name == "GC mark assist" && r.Scope.Kind == xtrace.ResourceGoroutine:
		g := p.g(r.Scope.Goroutine())
		if begin {
			if g.assistT < 0 {
				g.assistT = t
			}
		} else if g.assistT >= 0 {
			g.assist = append(g.assist, span{int64(g.assistT), int64(t)})
			g.assistT = -1
		}
	}
}

func (p *parser) goTransition(ev xtrace.Event, st xtrace.StateTransition, t xtrace.Time) {
	from, to := st.Goroutine()
	g := p.g(st.Resource.Goroutine())
	if from == xtrace.GoNotExist && to == xtrace.GoRunnable {
		// Creation: the event's goroutine is the parent; the stack is the
		// new goroutine's start function.
		if par, ok := p.gs[ev.Goroutine()]; ok && par.ours && p.windowOpen() {
			g.ours = true
		}
		if g.start == "" {
			g.start = startFunc(st.Stack)
			g.classify()
		}
	} else if g.start == "" && st.Stack != xtrace.NoStack {
		// A goroutine that existed before the trace: the outermost frame of
		// its stack is where it started.
		g.start = startFunc(st.Stack)
		g.classify()
	}
	if g.known {
		g.addSpan(g.since, t, g.state)
	}
	if from == xtrace.GoRunning || from == xtrace.GoSyscall {
		if g.proc >= 0 {
			if pr := p.ps[xtrace.ProcID(g.proc)]; pr != nil && pr.cur == g {
				p.closeP(pr, t)
			}
		}
	}
	g.known, g.since = true, t
	switch to {
	case xtrace.GoRunning:
		g.state = Running
		if id := ev.Proc(); id != xtrace.NoProc {
			pr := p.proc(id)
			pr.ran = true
			p.openP(pr, g, t, false)
		}
	case xtrace.GoRunnable:
		g.state = Runnable
	case xtrace.GoWaiting:
		switch {
		case st.Reason != "":
			g.state = waitState(st.Reason)
			if (st.Reason == "chan receive" || st.Reason == "select") && sleepsIn(st.Stack) {
				g.state = Sleeping
			}
			if st.Reason == "sync" && inGCStart(st.Stack) {
				// Waiting for a GC cycle to start, not for user code.
				g.state = BlockedOther
			}
		case from == xtrace.GoWaiting && g.state != Running && g.state != Runnable:
			// The reader restating a state it already gave: keep the cause.
		default:
			// Parked before the trace began: the runtime gives no reason,
			// its stack tells.
			g.state = inferWait(st.Stack)
		}
	case xtrace.GoSyscall:
		g.state = InSyscall
		if g.proc >= 0 {
			p.openP(p.proc(xtrace.ProcID(g.proc)), g, t, true)
		}
	default: // NotExist, Undetermined
		g.known = false
		g.proc = -1
	}
	if to != xtrace.GoRunning && to != xtrace.GoSyscall {
		g.proc = -1
	}
}

func (p *parser) openP(pr *proc, g *goroutine, t xtrace.Time, syscall bool) {
	if pr.cur != nil {
		p.closeP(pr, t)
	}
	pr.cur, pr.since, pr.syscall = g, t, syscall
	pr.region = ""
	if n := len(g.regions); n > 0 {
		pr.region = g.regions[n-1]
	}
	g.proc = pr.id
}

func (p *parser) closeP(pr *proc, t xtrace.Time) {
	if pr.cur == nil {
		return
	}
	pr.spans = append(pr.spans, pspan{span: span{int64(pr.since), int64(t)}, g: pr.cur, syscall: pr.syscall, region: pr.region})
	pr.cur = nil
}

func (g *goroutine) addSpan(a, b xtrace.Time, st State) {
	if b <= a {
		return
	}
	if n := len(g.spans); n > 0 && g.spans[n-1].st == st && g.spans[n-1].b == int64(a) {
		g.spans[n-1].b = int64(b)
		return
	}
	g.spans = append(g.spans, gspan{span{int64(a), int64(b)}, st})
}

func (g *goroutine) classify() {
	s := g.start
	if strings.HasPrefix(s, "runtime.") || strings.HasPrefix(s, "runtime/trace.") ||
		strings.HasPrefix(s, "github.com/golit/golit/interp") && s != cellGoroutineFunc {
		// The runtime's goroutines, and the interpreter's own helpers
		// (such as the one behind a cell's interruptible WaitGroup.Wait).
		g.runtime = true
	}
	switch s {
	case "runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge":
		g.gcWorker = true
	}
}

// cellGoroutineFunc is where golit's engine starts the goroutines of a
// cell's go statements (interp/run/golaunch.go).
const cellGoroutineFunc = "github.com/golit/golit/interp/run.(*Session).cellGoroutine"

// cellSleepFunc is a cell's time.Sleep (interp/run/golaunch.go).
const cellSleepFunc = "github.com/golit/golit/interp/run.(*Session).sleep"

// startFunc returns the outermost frame of a stack other than goexit.
func startFunc(s xtrace.Stack) string {
	fn := ""
	for f := range s.Frames() {
		if f.Func != "runtime.goexit" && f.Func != "" {
			fn = f.Func
		}
	}
	return fn
}

// sleepsIn reports whether a goroutine parked on a channel is sleeping: a
// golit cell's time.Sleep waits on a timer's channel (the engine fires the
// timer on an interrupt), so the runtime calls it "chan receive" (it was a
// select on the timer and the interrupt, "select", before).
func sleepsIn(s xtrace.Stack) bool {
	if s == xtrace.NoStack {
		return false
	}
	for f := range s.Frames() {
		if f.Func == "time.Sleep" || f.Func == cellSleepFunc {
			return true
		}
	}
	return false
}

// inGCStart reports whether a goroutine parked inside the runtime's start
// of a GC cycle (it waits on the runtime's semaphores, reason "sync").
func inGCStart(s xtrace.Stack) bool {
	for f := range s.Frames() {
		if f.Func == "runtime.gcStart" {
			return true
		}
	}
	return false
}

// inferWait guesses why a goroutine parked from where it parked, for
// goroutines that were already waiting when the trace started.
func inferWait(s xtrace.Stack) State {
	if s == xtrace.NoStack {
		return BlockedOther
	}
	for f := range s.Frames() {
		switch fn := f.Func; {
		case strings.HasPrefix(fn, "internal/poll.") || strings.HasPrefix(fn, "net."):
			return BlockedNet
		case fn == "time.Sleep" || fn == cellSleepFunc:
			return Sleeping
		case fn == "runtime.chanrecv" || fn == "runtime.chansend" || fn == "runtime.selectgo":
			return BlockedChan
		case strings.HasPrefix(fn, "sync."):
			return BlockedSync
		}
	}
	return BlockedOther
}

// finish closes what is still open, clips everything to the window and
// makes times relative to its start.
func (p *parser) finish() {
	if !p.haveW0 {
		p.w0, p.all = p.first, true
	}
	if !p.haveW1 {
		p.w1 = p.last
	}
	if p.w1 < p.w0 {
		p.w1 = p.w0
	}
	end := p.last
	for _, pr := range p.ps {
		p.closeP(pr, end)
	}
	if p.markT >= 0 {
		p.rawMark = append(p.rawMark, span{int64(p.markT), int64(end)})
	}
	for _, t0 := range p.stwT {
		p.rawSTW = append(p.rawSTW, span{int64(t0), int64(end)})
	}
	w0, w1 := int64(p.w0), int64(p.w1)
	clip := func(s span) (span, bool) {
		a, b := max(s.a, w0), min(s.b, w1)
		return span{a - w0, b - w0}, b > a
	}
	p.m.dur = w1 - w0
	for _, s := range p.rawMark {
		if c, ok := clip(s); ok {
			p.m.mark = append(p.m.mark, c)
		}
	}
	for _, s := range p.rawSTW {
		if c, ok := clip(s); ok {
			p.m.stw = append(p.m.stw, c)
		}
	}
	slices.SortFunc(p.m.stw, func(x, y span) int { return cmp.Compare(x.a, y.a) })
	for _, g := range p.gs {
		if g.known {
			g.addSpan(g.since, end, g.state)
		}
		if g.assistT >= 0 {
			g.assist = append(g.assist, span{int64(g.assistT), int64(end)})
		}
		if p.all && !g.runtime && !g.gcWorker {
			g.ours = true
		}
		if g.runtime || g.gcWorker {
			g.ours = g.ours && g.name != ""
		}
		kept := g.spans[:0]
		for _, s := range g.spans {
			if c, ok := clip(s.span); ok {
				kept = append(kept, gspan{c, s.st})
				if s.st == Running && g.first < 0 {
					g.first = c.a
				}
			}
		}
		g.spans = kept
		as := g.assist[:0]
		for _, s := range g.assist {
			if c, ok := clip(s); ok {
				as = append(as, c)
			}
		}
		g.assist = as
		p.m.goroutines = append(p.m.goroutines, g)
	}
	for _, pr := range p.ps {
		kept := pr.spans[:0]
		for _, s := range pr.spans {
			if c, ok := clip(s.span); ok {
				kept = append(kept, pspan{c, s.g, s.syscall, s.region})
			}
		}
		pr.spans = kept
		slices.SortFunc(pr.spans, func(x, y pspan) int { return cmp.Compare(x.a, y.a) })
		if len(pr.spans) > 0 {
			p.m.procs = append(p.m.procs, pr)
		}
	}
	slices.SortFunc(p.m.procs, func(x, y *proc) int { return cmp.Compare(x.id, y.id) })
	// The work's goroutines in the order they first ran, then by id.
	slices.SortFunc(p.m.goroutines, func(x, y *goroutine) int {
		fx, fy := x.first, y.first
		if fx < 0 {
			fx = 1 << 62
		}
		if fy < 0 {
			fy = 1 << 62
		}
		if c := cmp.Compare(fx, fy); c != 0 {
			return c
		}
		return cmp.Compare(x.id, y.id)
	})
	if p.m.gomaxprocs == 0 {
		p.m.gomaxprocs = len(p.m.procs)
	}
}

// label is the name a goroutine's lane shows.
func (m *model) label(g *goroutine) string {
	switch {
	case g.name != "":
		return g.name
	case g.region != "":
		return g.region
	case g.start == "" || strings.HasPrefix(g.start, "github.com/traefik/yaegi/") || g.start == cellGoroutineFunc:
		// Interpreted code starts goroutines through yaegi's own functions:
		// their names say nothing to the reader.
		return fmt.Sprintf("goroutine %d", g.id)
	}
	return shortFunc(g.start)
}

// shortFunc drops the import path of a function name:
// "net/http.(*conn).serve" becomes "http.(*conn).serve".
func shortFunc(fn string) string {
	if i := strings.LastIndex(fn, "/"); i >= 0 {
		fn = fn[i+1:]
	}
	return fn
}

// ns converts a window time to a Duration.
func ns(v int64) time.Duration { return time.Duration(v) }
