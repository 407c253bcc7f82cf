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
// The fields, guarded by runMu:
//
//	inCell    a cell is between Begin and the end of its deferred calls
//	exitSig   the first os.Exit of that cell, nil until one
//	exitWake  closed by that os.Exit; a fresh channel for every cell

// exit is os.Exit (and the end of log.Fatal) for cells. It never returns:
// the calling goroutine stays parked for good (a recover in the cell
// cannot stop it, and the deferred calls of the functions it would leave
// never run).
func (e *Session) exit(sig present.ExitSignal) {
	sig.Goroutine = goid()
	e.runMu.Lock()
	inCell := e.inCell
	if inCell && e.exitSig == nil {
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
	e.exitSig = nil
	e.exitWake = make(chan struct{})
	e.runMu.Unlock()
}

// closeCell ends that span and returns the cell's exit, nil if none: an
// os.Exit from now on is written on stderr.
func (e *Session) closeCell() *present.ExitSignal {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	sig := e.exitSig
	e.inCell, e.exitSig = false, nil
	return sig
}

// cellExit returns the running cell's exit, nil if none, and the channel
// that exit closes (nil outside a cell).
func (e *Session) cellExit() (*present.ExitSignal, <-chan struct{}) {
	e.runMu.Lock()
	defer e.runMu.Unlock()
	if !e.inCell {
		return nil, nil
	}
	return e.exitSig, e.exitWake
}

// exitResult is what execute returns for an exit: yaegi's form of a panic
// with the exit signal, from the goroutine that called os.Exit.
func exitResult(sig *present.ExitSignal) (reflect.Value, uint64, error) {
	return reflect.Value{}, sig.Goroutine, yaegi.Panic{Value: *sig}
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
