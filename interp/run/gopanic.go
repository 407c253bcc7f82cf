package run

import (
	"bytes"
	"runtime"
	"time"
)

// A goroutine's panic that releases its cell. A panic runs the panicking
// goroutine's deferred calls before the launcher (cellGoroutine) recovers
// and reports it, and one of those calls may be what the cell waits for
// (defer wg.Done(), defer close(done)): the cell then goes on and may end
// before the report arrives. Go would not let the program end so: when
// main returns while another goroutine panics, the runtime lets the panic
// finish and crash the program. awaitPanics does the same for a cell that
// ends well: while a goroutine of the notebook is unwinding a panic, it
// waits (up to panicGrace) for that goroutine to be done, so that the
// panic becomes the cell's error (exit.go) instead of the next cell's.

// Reading every goroutine's stack is not free (with 1,000 sleeping
// notebook goroutines it took the trivial cell from 2 ms to 96 ms), so
// awaitPanics looks only when the ending cell itself started goroutines
// that still run: the goroutine that released the cell from its panic is
// one of them until its launcher has reported the panic.
//
// panicGrace bounds the wait of awaitPanics; panicScanMax is the number
// of notebook goroutines beyond which it does not look.
const (
	panicGrace   = 2 * time.Second
	panicScanMax = 4096
)

// awaitPanics waits while a goroutine a cell started is unwinding a panic
// and nothing has ended the cell yet.
func (e *Session) awaitPanics() {
	e.framesMu.Lock()
	live := e.live
	mine := e.genLive
	if e.liveGen != e.cellGen.Load() {
		mine = 0
	}
	e.framesMu.Unlock()
	if mine <= 0 || live > panicScanMax {
		return
	}
	_, _, wake := e.cellExit()
	deadline := time.Now().Add(panicGrace)
	for unwinding() && time.Now().Before(deadline) {
		select {
		case <-wake:
			return
		case <-time.After(5 * time.Millisecond):
		}
	}
}

// unwinding reports whether a notebook goroutine is in a panic: running
// its deferred calls, or in its launcher reporting the panic (goPanic). Such
// a goroutine ends once the panic is reported.
func unwinding() bool {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	for _, g := range bytes.Split(buf, []byte("\n\n")) {
		if bytes.Contains(g, []byte(".(*Session).cellGoroutine(")) && bytes.Contains(g, []byte("\npanic(")) {
			return true
		}
	}
	return false
}
