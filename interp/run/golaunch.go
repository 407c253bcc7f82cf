package run

import (
	"sync"
	"time"
)

// Cheap goroutines. What a sleeping goroutine of a cell costs is mostly its
// stack. Go starts a goroutine on 2 KB and doubles the stack when a call
// needs more; a collection halves it again only while the goroutine uses
// less than a quarter of it (counting about 800 bytes of headroom), so a
// goroutine parked with more than about 1,250 bytes of frames keeps 8 KB.
// In yaegi v0.16.1 every goroutine that runs interpreted code parks deeper
// than that: a closure is a reflect.MakeFunc function, whose entry
// (reflect.makeFuncStub and reflect.callReflect, 1,224 bytes on Go 1.26
// amd64) and yaegi's wrapper and runCfg (464) come before the cell's first
// statement, and any call of a compiled function (time.Sleep, wg.Done)
// goes through reflect.Value.Call, whose reflect.Value.call frame alone
// takes 1,384 bytes. 8 KB of stack per goroutine is therefore the floor
// without changing yaegi; golit keeps the rest small:
//
//   - the rewrite of go statements (interp/rewrite/golaunch.go) starts a
//     cell's goroutines through the session's launcher (golit__rt.Go,
//     launch), which calls the closure from compiled code, instead of
//     through the prelude's golit__go(g func()), an interpreted function
//     that called g through reflect.Value.Call: a goroutine in time.Sleep
//     parked 6,448 bytes deep, now 2,960 (GOTRACEBACK=system goroutine
//     dumps give each frame's sp), and its recover guard is compiled code
//     (no deferred call kept in the goroutine's interpreted frame);
//   - loopVarsUsed (interp/rewrite/loopvar.go) spares a loop whose body
//     does not name its variables the per-iteration frame (perIteration)
//     that every goroutine started in the body kept alive: 1.3 KB per
//     goroutine;
//   - sleepers waits on one channel instead of two.
//
// bench/goroutines measures the result; BENCHMARKS.md has the figures.

// launch is golit__rt.Go: it starts fn in a goroutine of its own that
// counts as a cell's goroutine until it ends and reports a panic in it
// instead of letting it end the process. yaegi hands fn over as a compiled
// function (reflect.MakeFunc), which this goroutine calls directly: the
// goroutine's native stack starts with no reflect.Value.Call frame.
func (e *Session) launch(fn func()) {
	if fn == nil {
		panic("go of nil func value")
	}
	gen := e.cellGen.Load()
	e.goStart(gen)
	go e.cellGoroutine(fn, gen)
}

// cellGoroutine runs fn as a goroutine of a cell. sched names this
// function: a goroutine that starts here is the notebook's, not one of the
// session's helpers. gen is the cell running when it started (exit.go).
func (e *Session) cellGoroutine(fn func(), gen uint64) {
	defer func() {
		// The panic is reported before the goroutine stops counting as
		// live: awaitPanics (gopanic.go) looks only while some are.
		if r := recover(); r != nil {
			e.goPanic(r, gen)
		}
		e.goEnd(gen)
	}()
	fn()
}

// sleepers are the goroutines in the session's time.Sleep: a sleeping
// goroutine holds a timer and waits on its channel alone, and wake (called
// when an interrupt stops the running cell) fires the timers of all that
// sleep. A select on the timer and an interrupt channel, as before, cost
// 345 bytes more per sleeping goroutine (two waiting records instead of
// one).
type sleepers struct {
	mu     sync.Mutex
	timers map[*time.Timer]struct{}
}

// sleep is time.Sleep for cells: an interrupt ends it at once. (sched
// recognises a goroutine sleeping here by this function's name.)
func (e *Session) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	s := &e.epoch.sleepers
	t := time.NewTimer(d)
	s.mu.Lock()
	if s.timers == nil {
		s.timers = make(map[*time.Timer]struct{})
	}
	s.timers[t] = struct{}{}
	s.mu.Unlock()
	<-t.C
	s.mu.Lock()
	delete(s.timers, t)
	s.mu.Unlock()
}

// wake ends the sleeps in progress.
func (s *sleepers) wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.timers {
		t.Reset(0)
	}
}
