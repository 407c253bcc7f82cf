package run

import (
	"reflect"
	"sync"

	yaegi "github.com/traefik/yaegi/interp"

	"github.com/golit/golit/interp/present"
)

// The goroutine execute runs a program in. A fresh goroutine per program
// cost a call cell (`add(x, y)`, `fmt.Println(x)`) a fifth of its time:
// starting it, and growing its 8 KiB stack by copying as yaegi's recursion
// deepened (bench/trivialcell's CPU profile: newstack 11%, newproc 10%).
// A runner is a goroutine that runs one program after another and keeps
// its grown stack. execute takes the idle runner (or starts one), hands it
// the program and waits as before; when the program returns, the runner
// is idle again. A runner whose program execute stops waiting for (an
// interrupt, an os.Exit, a goroutine's panic) is let go: it ends after
// that program, if the program ever returns, and the next program gets a
// new runner, as it got a new goroutine before. runtime.Goexit in a
// program ends its runner.
//
// What the engine keeps per goroutine (the frames and position of a panic,
// a log call's position) is forgotten before each program, so that a
// program finds its runner as fresh as a new goroutine.

// runOutcome is what a program run by a runner gave.
type runOutcome struct {
	v    reflect.Value
	gid  uint64 // the runner's goroutine when the program failed, else 0
	err  error
	dead bool // runtime.Goexit ended the runner
}

// progRunner is a goroutine running programs for execute.
type progRunner struct {
	jobs chan *yaegi.Program
	out  chan runOutcome
}

// runners holds the idle runner.
type runners struct {
	mu   sync.Mutex
	idle *progRunner
}

// takeRunner returns the idle runner, or starts one.
func (e *Session) takeRunner() *progRunner {
	e.runners.mu.Lock()
	r := e.runners.idle
	e.runners.idle = nil
	e.runners.mu.Unlock()
	if r != nil {
		return r
	}
	r = &progRunner{jobs: make(chan *yaegi.Program, 1), out: make(chan runOutcome, 1)}
	go r.loop(e)
	return r
}

// keepRunner makes r, whose program has returned, the idle runner.
func (e *Session) keepRunner(r *progRunner, o runOutcome) {
	if o.dead {
		return
	}
	e.runners.mu.Lock()
	if e.runners.idle == nil {
		e.runners.idle, r = r, nil
	}
	e.runners.mu.Unlock()
	if r != nil {
		close(r.jobs)
	}
}

// dropRunner lets r go: it ends once its program returns.
func (e *Session) dropRunner(r *progRunner) { close(r.jobs) }

// stopRunners ends the idle runner (Shutdown).
func (e *Session) stopRunners() {
	e.runners.mu.Lock()
	r := e.runners.idle
	e.runners.idle = nil
	e.runners.mu.Unlock()
	if r != nil {
		close(r.jobs)
	}
}

func (r *progRunner) loop(e *Session) {
	g := goid()
	for prog := range r.jobs {
		e.forgetGoroutine(g)
		r.run(e, prog, g)
	}
}

// run runs one program and sends its outcome.
func (r *progRunner) run(e *Session, prog *yaegi.Program, g uint64) {
	returned := false
	defer func() {
		if !returned {
			// runtime.Goexit ended the goroutine: Execute never
			// returned, its deferred calls have run.
			r.out <- runOutcome{gid: g, err: yaegi.Panic{Value: present.GoexitSignal{}}, dead: true}
		}
	}()
	v, err := e.yi.Execute(prog)
	returned = true
	o := runOutcome{v: v, err: err}
	if err != nil {
		o.gid = g
	}
	r.out <- o
}

// forgetGoroutine forgets what the engine recorded for goroutine g: the
// frames and the position of a panic, the position of a log call.
func (e *Session) forgetGoroutine(g uint64) {
	e.panicMu.Lock()
	delete(e.panicFrames, g)
	delete(e.panicPos, g)
	e.panicMu.Unlock()
	lp := &e.logPos
	lp.mu.Lock()
	delete(lp.pos, g)
	lp.mu.Unlock()
}
