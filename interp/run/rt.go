package run

import (
	"encoding/base64"
	"fmt"
	"io"
	"reflect"
	"strings"
	"sync"
	"time"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/display"
	"github.com/golit/golit/interp/internal/rtsync"
	"github.com/golit/golit/kernel"
	yaegi "github.com/traefik/yaegi/interp"
)

// rtImportPath is the import path of the runtime support the rewritten code
// calls (goroutine guards, results).
const rtImportPath = "github.com/golit/golit/interp/rt"

// epoch is closed when an interrupt stops the running cell; blocking calls
// that the engine overrides (time.Sleep) return early when it closes.
type epoch struct {
	mu       sync.Mutex
	ch       chan struct{}
	sleepers sleepers // the goroutines in time.Sleep (golaunch.go)
}

func (p *epoch) current() chan struct{} {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil {
		p.ch = make(chan struct{})
	}
	return p.ch
}

// stop closes the current channel; the next current() makes a new one.
func (p *epoch) stop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch != nil {
		close(p.ch)
		p.ch = nil
	}
	p.sleepers.wake()
}

// rtExports returns the runtime support package and the standard library
// symbols the engine replaces.
func (e *Session) rtExports() yaegi.Exports {
	logOutput := func(s string) {
		if out, ok := e.yi.Symbols("log")["log"]["Output"]; ok {
			if f, ok := out.Interface().(func(int, string) error); ok {
				_ = f(3, s)
				return
			}
		}
		e.note(s)
	}
	fatal := func(s string) {
		logOutput(s)
		e.exit(present.ExitSignal{Code: 1, Msg: "log.Fatal: " + strings.TrimRight(s, "\n")})
	}
	logSyms := map[string]reflect.Value{
		"Fatal":   reflect.ValueOf(func(v ...any) { fatal(fmt.Sprint(v...)) }),
		"Fatalf":  reflect.ValueOf(func(f string, v ...any) { fatal(fmt.Sprintf(f, v...)) }),
		"Fatalln": reflect.ValueOf(func(v ...any) { fatal(fmt.Sprintln(v...)) }),
	}
	for k, v := range e.logSyms {
		logSyms[k] = v
	}
	return yaegi.Exports{
		rtImportPath + "/" + rewrite.RuntimePkg: {
			"LogAt":    reflect.ValueOf(e.logAt),
			"Result":   reflect.ValueOf(e.setResult),
			"Rich":     reflect.ValueOf(e.setRich),
			"Last":     reflect.ValueOf(e.lastValue),
			"NameType": reflect.ValueOf(e.nameType),
			"Defer":    reflect.ValueOf(e.deferCall),
			"Done":     reflect.ValueOf(e.frameDone),
			"Go":       reflect.ValueOf(e.launch),
			"Print":    reflect.ValueOf(e.builtinPrint),
			"Println":  reflect.ValueOf(e.builtinPrintln),
			"PanicAt":  reflect.ValueOf(e.panicAt),
			"Panic":    reflect.ValueOf(rePanic),
			"Mutex":    reflect.ValueOf((*sync.Mutex)(nil)),
			"Clear":    reflect.ValueOf(clearBuiltin),
		},
		"os/os": {
			"Exit":   reflect.ValueOf(func(code int) { e.exit(present.ExitSignal{Code: code}) }),
			"Stdout": reflect.ValueOf(&e.osStdout).Elem(),
			"Stderr": reflect.ValueOf(&e.osStderr).Elem(),
			"Stdin":  reflect.ValueOf(&e.osStdin).Elem(),
		},
		"log/log": logSyms,
		"sync/sync": {
			"WaitGroup": reflect.ValueOf((*rtsync.WaitGroup)(nil)),
		},
		"time/time": {
			"Sleep":     reflect.ValueOf(e.sleep),
			"AfterFunc": reflect.ValueOf(e.afterFunc),
		},
	}
}

// rePanic panics again with a value recover returned. In interpreted code
// recover (yaegi v0.16.1) returns the value of an interpreted panic
// wrapped in a reflect.Value, and panic(v) of that would hand the wrapper
// to the next recover: golit's interpreted library code re-panics through
// rePanic, which unwraps it.
func rePanic(v any) {
	if rv, ok := v.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
		v = rv.Interface()
	}
	panic(v)
}

// clearBuiltin is Go 1.21's clear for cells: it deletes the entries of a
// map and zeroes the elements of a slice.
func clearBuiltin(v any) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map, reflect.Slice:
		rv.Clear()
	case reflect.Invalid:
	default:
		panic(fmt.Sprintf("invalid argument: clear of %s (want a map or a slice)", rv.Type()))
	}
}

// afterFunc is time.AfterFunc for cells: a panic in f is reported in the
// notebook instead of crashing the process.
func (e *Session) afterFunc(d time.Duration, f func()) *time.Timer {
	gen := e.cellGen.Load()
	return time.AfterFunc(d, func() {
		// Timers start goroutines the race detector does not order after
		// the compilation that made f; this lock does.
		e.syncMu.Lock()
		e.syncMu.Unlock()
		defer func() {
			if r := recover(); r != nil {
				e.goPanic(r, gen)
			}
		}()
		f()
	})
}

// goPanic reports a panic recovered in a goroutine a cell started; gen is
// the cell that was running when the goroutine started. A panic in a
// goroutine of the running cell ends the cell at once with it, as an
// os.Exit does (exit.go: cellPanic). One from a goroutine of an earlier
// cell fails the running cell when that cell ends; between cells it is
// written to stderr, which the kernel shows in the next cell.
func (e *Session) goPanic(r any, gen uint64) {
	if _, ok := r.(present.InterruptSignal); ok {
		return
	}
	kerr := present.PanicError(r, e.takeStack(goid(), r, false), e.cellSource, true)
	if e.cellPanic(kerr, gen) {
		return
	}
	e.runMu.Lock()
	running := e.cancel != nil
	if running {
		if e.asyncErr == nil {
			e.asyncErr = kerr
		}
		e.runMu.Unlock()
		return
	}
	e.runMu.Unlock()
	e.note(strings.Join(kerr.Traceback, "\n") + "\n")
}

// yaegiStderr is the interpreter's stderr: lines yaegi writes while a panic
// unwinds become the interpreted stack of the error; the rest goes to the
// notebook.
type yaegiStderr struct{ e *Session }

func (w yaegiStderr) Write(p []byte) (int, error) {
	s := string(p)
	if m := present.PanicLineRE.FindStringSubmatch(strings.TrimRight(s, "\n")); m != nil {
		w.e.notePanicFrame(m[1], m[2])
		return len(p), nil
	}
	if _, err := w.e.orderedWrite(true, p); err != nil {
		w.e.note(s)
	}
	return len(p), nil
}

// result is the value of the cell's last expression and its forms.
type result struct {
	set  bool
	raw  any // as the interpreter handed it over
	v    reflect.Value
	rich map[string]any
	text string
}

// setResult receives the value of the cell's last expression.
func (e *Session) setResult(v any) {
	e.resMu.Lock()
	e.res = result{set: true, raw: v, v: present.UnwrapYaegi(reflect.ValueOf(v))}
	e.resMu.Unlock()
}

// setRich receives the rich forms computed by interpreted code.
func (e *Session) setRich(m map[string]any) {
	e.resMu.Lock()
	e.res.rich = m
	e.resMu.Unlock()
}

// lastValue hands the result back to interpreted code (see richResult).
func (e *Session) lastValue() any {
	e.resMu.Lock()
	defer e.resMu.Unlock()
	if e.res.raw != nil {
		return e.res.raw
	}
	if !e.res.v.IsValid() || !e.res.v.CanInterface() {
		return nil
	}
	return e.res.v.Interface()
}

// nameType records the name of a notebook type; ptr is a nil *T.
func (e *Session) nameType(name string, ptr any) {
	t := reflect.TypeOf(ptr)
	if t == nil || t.Kind() != reflect.Pointer {
		return
	}
	e.resMu.Lock()
	e.typeNames[t.Elem()] = name
	e.resMu.Unlock()
	e.cellTypes.Declare(t.Elem(), name)
}

func (e *Session) typeNameOf(t reflect.Type) string {
	e.resMu.Lock()
	defer e.resMu.Unlock()
	if n, ok := e.typeNames[t]; ok {
		return n
	}
	return e.cellTypes.DisplayType(t) // []point, map[string]*point
}

// bundleOf turns a result into a MIME bundle.
func bundleOf(r result) kernel.Bundle {
	b := kernel.Bundle{"text/plain": r.text}
	for k, v := range r.rich {
		if k == "text/error" || k == "text/string" {
			continue
		}
		switch x := v.(type) {
		case []byte:
			b[k] = base64.StdEncoding.EncodeToString(x)
		default:
			b[k] = v
		}
	}
	return b
}

// publisher forwards the display package to the session's kernel.IO.
type publisher struct{ e *Session }

func (p publisher) Display(data display.Bundle, id string) {
	p.e.drainStreams()
	if io := p.e.sink.get(); io != nil {
		io.Display(kernel.Bundle(data), nil, id)
	}
}

func (p publisher) Update(data display.Bundle, id string) {
	p.e.drainStreams()
	if io := p.e.sink.get(); io != nil {
		io.Update(kernel.Bundle(data), nil, id)
	}
}

func (p publisher) Clear(wait bool) {
	p.e.drainStreams()
	if io := p.e.sink.get(); io != nil {
		io.ClearOutput(wait)
	}
}

// inputReader is os.Stdin and fmt.Scan's input in a cell: each read that
// finds no buffered text asks the frontend for a line.
type inputReader struct {
	e   *Session
	mu  sync.Mutex
	buf []byte
}

func (r *inputReader) Read(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.buf) == 0 {
		io := r.e.sink.get()
		if io == nil {
			return 0, kernel.ErrNoStdin
		}
		line, err := io.Input("", false)
		if err != nil {
			if err == kernel.ErrNoStdin {
				return 0, fmt.Errorf("reading standard input: %w", err)
			}
			return 0, err
		}
		r.buf = append(r.buf, line...)
		r.buf = append(r.buf, '\n')
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// drop forgets buffered input at the end of a cell.
func (r *inputReader) drop() {
	r.mu.Lock()
	r.buf = nil
	r.mu.Unlock()
}

var _ io.Reader = (*inputReader)(nil)

// deferCall records a defer statement of the cell itself.
func (e *Session) deferCall(f func()) {
	e.runMu.Lock()
	e.defers = append(e.defers, f)
	e.runMu.Unlock()
}

// runDefers runs the cell's own deferred calls, last first. A panic in one
// (or runtime.Goexit) is returned like a panic of the cell. Each runs in a
// goroutine of its own, so that an os.Exit in it parks that goroutine, not
// the caller: once the cell has called os.Exit, from a deferred call or
// from any goroutine, no further deferred call runs (exit.go).
func (e *Session) runDefers() (perr *execError) {
	e.runMu.Lock()
	ds := e.defers
	e.defers = nil
	e.runMu.Unlock()
	_, _, exited := e.cellExit()
	for i := len(ds) - 1; i >= 0; i-- {
		select {
		case <-exited:
			return perr
		default:
		}
		done := make(chan *execError, 1)
		go func(f func()) {
			returned := false
			defer func() {
				r := recover()
				switch {
				case r != nil:
					done <- &execError{kind: "panic", err: fmt.Errorf("%v", r), val: r, gid: goid()}
				case !returned:
					g := present.GoexitSignal{}
					done <- &execError{kind: "panic", err: g, val: g, gid: goid()}
				default:
					done <- nil
				}
			}()
			f()
			returned = true
		}(ds[i])
		select {
		case x := <-done:
			if x != nil && perr == nil {
				perr = x
			}
		case <-exited:
			return perr
		}
	}
	return perr
}

// frameToken registers a frame run by runFramed; done is closed when the
// frame ends, stopped or not.
func (e *Session) frameToken() (int, chan struct{}) {
	e.framesMu.Lock()
	defer e.framesMu.Unlock()
	if e.frames == nil {
		e.frames = map[int]chan struct{}{}
	}
	e.frameSeq++
	ch := make(chan struct{})
	e.frames[e.frameSeq] = ch
	return e.frameSeq, ch
}

func (e *Session) frameDone(tok int) {
	e.framesMu.Lock()
	defer e.framesMu.Unlock()
	if ch, ok := e.frames[tok]; ok {
		close(ch)
		delete(e.frames, tok)
	}
}

func (e *Session) dropFrameToken(tok int) {
	e.framesMu.Lock()
	delete(e.frames, tok)
	e.framesMu.Unlock()
}

// goStart and goEnd count the goroutines cells started that still run.
// goStart counts a goroutine that the cell numbered gen starts; goEnd
// counts it out. live counts them all, genLive those of the newest cell
// that started any (gopanic.go reads it).
func (e *Session) goStart(gen uint64) {
	e.framesMu.Lock()
	e.live++
	if gen != e.liveGen {
		e.liveGen, e.genLive = gen, 0
	}
	e.genLive++
	e.framesMu.Unlock()
}

func (e *Session) goEnd(gen uint64) {
	e.framesMu.Lock()
	e.live--
	if gen == e.liveGen {
		e.genLive--
	}
	if e.live == 0 && e.liveZero != nil {
		close(e.liveZero)
		e.liveZero = nil
	}
	e.framesMu.Unlock()
}

// waitGoroutines waits until no goroutine started by a cell runs, or until
// deadline.
func (e *Session) waitGoroutines(deadline <-chan time.Time) {
	e.framesMu.Lock()
	if e.live <= 0 {
		e.framesMu.Unlock()
		return
	}
	if e.liveZero == nil {
		e.liveZero = make(chan struct{})
	}
	ch := e.liveZero
	e.framesMu.Unlock()
	select {
	case <-ch:
	case <-deadline:
	}
}
