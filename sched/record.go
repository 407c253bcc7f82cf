package sched

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"runtime/trace"
	"strings"
)

// MaxTraceBytes caps the trace Record keeps in memory (256 MiB, about a
// minute of a busy program). Record fails with ErrTooLong beyond it.
const MaxTraceBytes = 256 << 20

// ErrTooLong is returned by Record when the work ran so long that its
// trace outgrew MaxTraceBytes: record a shorter piece of work.
var ErrTooLong = errors.New("sched: the trace outgrew MaxTraceBytes; record a shorter piece of work")

// Record runs fn with Go's execution tracer on and returns the scheduler
// chart of what happened while it ran: which goroutine ran on which P,
// which ones waited and why, and the GC's work. The goroutines fn starts
// (and the ones they start) are the work's; name them with Name so their
// lanes read "isPrime #3". Everything else that ran (other goroutines of
// the program, the runtime) is drawn in grey.
//
// Record returns an error when a trace is already running (for example
// under go test -trace) or when the trace cannot be read. If fn panics,
// tracing stops and the panic goes on.
func Record(title string, fn func()) (*Chart, error) {
	return RecordOptions(Options{Title: title}, fn)
}

// Options configure RecordOptions and Parse.
type Options struct {
	// Title is drawn above the chart.
	Title string
	// All counts every goroutine that is not the runtime's own as part of
	// the work, not only the ones the recorded function started: use it
	// for a server started in an earlier cell, whose connection goroutines
	// the recorded clients did not start.
	All bool
	// Goroutines adds one lane per goroutine of the work below the P lanes
	// (the chart's PerGoroutine field).
	Goroutines bool
}

// RecordOptions is Record with options.
func RecordOptions(o Options, fn func()) (*Chart, error) {
	if fn == nil {
		return nil, errors.New("sched: Record needs a function to run")
	}
	root := callerName()
	w := &capWriter{max: MaxTraceBytes}
	if err := trace.Start(w); err != nil {
		return nil, fmt.Errorf("sched: cannot start the execution tracer: %w", err)
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			trace.Stop()
		}
	}
	defer stop()
	ctx := context.Background()
	trace.Log(ctx, catMark, "begin")
	trace.Log(ctx, catName, root)
	fn()
	trace.Log(ctx, catMark, "end")
	stop()
	if w.over {
		return nil, ErrTooLong
	}
	raw := w.buf.Bytes()
	m, err := parse(bytes.NewReader(raw), o.All)
	if err != nil {
		return nil, err
	}
	c := newChart(m, o)
	c.raw = raw
	return c, nil
}

// Parse reads an execution trace written by runtime/trace (for example
// by go test -trace=trace.out) and returns its chart. A trace written
// around Record's markers is clipped to them; any other trace is drawn
// whole, with every non-runtime goroutine counted as the work's.
func Parse(r io.Reader, o Options) (*Chart, error) {
	m, err := parse(r, o.All)
	if err != nil {
		return nil, err
	}
	return newChart(m, o), nil
}

// Name names the calling goroutine in the chart of the Record it runs
// under: call it first thing in a goroutine the recorded work starts.
//
//	go func() {
//		sched.Name(fmt.Sprintf("isPrime #%d", i))
//		...
//	}()
//
// A named goroutine counts as part of the work even if the recorded
// function did not start it. Outside a Record (no trace running) Name does
// nothing and costs next to nothing. The latest name wins.
func Name(name string) {
	if trace.IsEnabled() {
		trace.Log(context.Background(), catName, name)
	}
}

// Region runs fn as a trace region called name on the calling goroutine
// (runtime/trace.WithRegion): bars of the goroutine show the region in
// their tooltip, and a goroutine never named takes its first region's name
// for its lane. Pool workers that run many tasks use it to mark each task.
func Region(name string, fn func()) {
	trace.WithRegion(context.Background(), name, fn)
}

// callerName is the lane name of the goroutine that calls Record: "cell"
// when the call comes from a notebook cell (interpreted by yaegi), else the
// calling function.
func callerName() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	first := ""
	for {
		f, more := frames.Next()
		if strings.HasPrefix(f.Function, "github.com/traefik/yaegi/") {
			return "cell"
		}
		if first == "" && !strings.HasPrefix(f.Function, "github.com/golit/golit/sched.") {
			first = shortFunc(f.Function)
		}
		if !more {
			break
		}
	}
	if first == "" {
		return "caller"
	}
	return first
}

// capWriter keeps at most max bytes and remembers it overflowed.
type capWriter struct {
	buf  bytes.Buffer
	max  int
	over bool
}

func (w *capWriter) Write(p []byte) (int, error) {
	if w.over || w.buf.Len()+len(p) > w.max {
		w.over = true
		return len(p), nil
	}
	return w.buf.Write(p)
}
