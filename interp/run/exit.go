package run

import (
	"reflect"
	"strings"

	yaegi "github.com/traefik/yaegi/interp"

	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/kernel"
)

// os.Exit and log.Fatal in cells. Go's os.Exit never returns and runs no
// deferred call; in a notebook it ends the running cell and keeps the
// kernel. The cell is the span from Begin to the end of its deferred calls
// in Finish, not the time one of its programs runs: a cell is several
// programs (one per group of declarations or statements, and a few more
// for its result) with compilations between them, and a goroutine may
// call os.Exit at any of those moments. An exit in that span is kept as
// the cell's exit signal and wakes whatever the cell waits on (a program
// in execute, a deferred call in runDefers); from then on no program of
// the cell starts, and Finish makes the exit the cell's error. An exit
// outside that span (a goroutine of an ended cell) is written on stderr,
// which the kernel shows in the next cell.
//
// A panic in a goroutine the running cell started ends the cell the same
// way (in Go it would crash the program at once): goPanic keeps its error
// as the cell's panicErr and closes the same wake channel, so a cell
// blocked on that goroutine (wg.Wait, a receive) fails within moments
// instead of waiting for an interrupt. Only the first of an os.Exit and
// such a panic ends the cell. A goroutine belongs to the cell that was
// running when it started (cellGen); a panic in a goroutine of an earlier
// cell keeps failing the running cell when it ends (goPanic).
//
// The fields, guarded by runMu:
//
//	inCell    a cell is between Begin and the end of its deferred calls
//	exitSig   the first os.Exit of that cell, nil until one
//	panicErr  the first goroutine panic of that cell, nil until one
//	exitWake  closed by that os.Exit or panic; a fresh channel for every cell
//	cellGen   the number of cells begun (also read without the lock)

// exit is os.Exit (and the end of log.Fatal) for cells. It never returns:
// the calling goroutine stays parked for good (a recover in the cell
// cannot stop it, and the deferred calls of the functions it would leave
// never run).
func (e *Session) exit(sig present.ExitSignal) {
	sig.Goroutine = goid()
	e.runMu.Lock()
	inCell := e.inCell
	if inCell && e.exitSig == nil && e.panicErr == nil {
		e.exitSig = &sig
		close(e.exitWake)
	} // else another goroutine of the cell exited first: the cell ends with that one
	e.runMu.Unlock()
	if !inCell {
		e.noteExit(sig)
	}
	select {}
}

// noteExit writes an exit that no cell's reply carries on stderr.
func (e *Session) noteExit(sig present.ExitSignal) {
	kerr := present.PanicError(sig, present.StackTrace{}, e.cellSource, true)
	e.note(strings.Join(kerr.Traceback, "\n") + "\n")
}

// openCell starts the span in which an os.Exit ends the cell (Begin).
func (e *Session) openCell() {
	e.runMu.Lock()
	e.inCell = true
	e.exitSig, e.panicErr = nil, nil
	e.exitWake = make(chan struct{})
	e.cellGen.Add(1)
	e.runMu.Unlock()
}

// cellPanic ends the running cell with kerr, a panic in one of its
// goroutines, if gen is that cell and nothing ended it yet. It reports
// whether the panic is the cell's: otherwise goPanic reports it as before.
func (e *Session) cellPanic(kerr *kernel.Error, gen uint64) bool {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	if !e.inCell || gen != e.cellGen.Load() {
		return false
	}
	if e.exitSig == nil && e.panicErr == nil {
		e.panicErr = kerr
		close(e.exitWake)
		return true
	}
	// The cell has ended already (an os.Exit or an earlier panic): this
	// panic is reported beside it, as one arriving late in the cell.
	return false
}

// closeCell ends that span and returns the cell's exit and goroutine
// panic, nil if none: an os.Exit from now on is written on stderr.
func (e *Session) closeCell() (*present.ExitSignal, *kernel.Error) {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	sig, perr := e.exitSig, e.panicErr
	e.inCell, e.exitSig, e.panicErr = false, nil, nil
	return sig, perr
}

// cellExit returns what ended the running cell (an os.Exit or a goroutine
// panic; both nil if nothing did) and the channel that closes when
// something does (nil outside a cell).
func (e *Session) cellExit() (*present.ExitSignal, *kernel.Error, <-chan struct{}) {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	if !e.inCell {
		return nil, nil, nil
	}
	return e.exitSig, e.panicErr, e.exitWake
}

// goPanicked is the error execute returns when a goroutine panic ended the
// cell; failure makes its kerr the cell's error.
type goPanicked struct{ kerr *kernel.Error }

func (g goPanicked) Error() string { return g.kerr.Name + ": " + g.kerr.Value }

// exitResult is what execute returns for an exit: yaegi's form of a panic
// with the exit signal, from the goroutine that called os.Exit; for a
// goroutine panic, goPanicked.
func exitResult(sig *present.ExitSignal, perr *kernel.Error) (reflect.Value, uint64, error) {
	if sig == nil {
		return reflect.Value{}, 0, goPanicked{perr}
	}
	return reflect.Value{}, sig.Goroutine, yaegi.Panic{Value: *sig}
}

// panicReply makes the cell's goroutine panic its reply (Finish), as
// exitReply does for an exit: a cell that succeeded fails with it, a cell
// whose reply is that panic is left as is, and one that failed another way
// keeps its error while the panic is written on stderr.
func (e *Session) panicReply(reply kernel.ExecuteReply, perr *kernel.Error) kernel.ExecuteReply {
	switch {
	case perr == nil || reply.Err == perr:
		return reply
	case reply.Status == kernel.StatusOK:
		return kernel.ExecuteReply{Status: kernel.StatusError, Err: perr}
	}
	e.noteError(perr)
	return reply
}

// noteError writes an error that no cell's reply carries on stderr.
func (e *Session) noteError(kerr *kernel.Error) {
	e.note(strings.Join(kerr.Traceback, "\n") + "\n")
}

// exitReply makes the cell's exit its reply (Finish). A cell that
// succeeded fails with it; a cell whose reply already says it is left as
// is; a cell that had failed another way first keeps that error, and the
// exit is written on stderr beside it.
func (e *Session) exitReply(reply kernel.ExecuteReply, sig *present.ExitSignal) kernel.ExecuteReply {
	if sig == nil {
		return reply
	}
	x := &execError{kind: "panic", err: yaegi.Panic{Value: *sig}, val: *sig, gid: sig.Goroutine}
	if reply.Status == kernel.StatusOK {
		return e.failure(x)
	}
	if reply.Err != nil && reply.Err.Name == present.ENameExit {
		if reply.Err.Value == present.PanicError(*sig, present.StackTrace{}, e.cellSource, false).Value {
			return reply
		}
	}
	e.noteExit(*sig)
	return reply
}
