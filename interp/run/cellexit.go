package run

import (
	"strings"

	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/kernel"
	yaegi "github.com/traefik/yaegi/interp"
)

// A goroutine of the running cell can call os.Exit (or log.Fatal) while
// none of the cell's programs executes: a cell runs as several programs
// (its declarations, its statements, its last expression), and under load
// the goroutine reached os.Exit between two of them. exit then took the
// cell for finished, printed the notice meant for goroutines of earlier
// cells and parked the goroutine, and the rest of the cell (a wg.Wait()
// for that goroutine) waited for ever: the kernel stayed busy
// (tests/test_correctness.py test_os_exit_runs_no_deferred_calls timed
// out about once in three runs on a loaded machine, on main too). Now
// exit counts the whole Execute as running and leaves the signal in
// exitCh, where the next program of the cell finds it at once, or, when
// there is none, pendingExit does.

// cellRunningLocked reports whether a cell is running (the caller holds
// runMu): one of its programs executes, or Execute has not returned.
func (e *Session) cellRunningLocked() bool { return e.executing > 0 || e.cancel != nil }

// pendingExit ends the cell with the Exit error of an os.Exit one of its
// goroutines called after its last program had returned (the cell's own
// deferred calls then do not run, as with os.Exit anywhere in the cell).
func (e *Session) pendingExit(reply kernel.ExecuteReply) kernel.ExecuteReply {
	select {
	case sig := <-e.exitCh:
		e.runMu.Lock()
		e.exited = true
		e.runMu.Unlock()
		if reply.Status != kernel.StatusOK {
			return reply
		}
		return e.failure(&execError{kind: "panic", err: yaegi.Panic{Value: sig}, val: sig, gid: sig.Goroutine})
	default:
		return reply
	}
}

// lateExitLocked takes an os.Exit that arrived while the cell was ending
// (its deferred calls, the flush of its output), after pendingExit looked,
// so that the next cell does not find it; the caller holds runMu and shows
// the notice it returns, if any.
func (e *Session) lateExitLocked() string {
	select {
	case sig := <-e.exitCh:
		kerr := present.PanicError(sig, present.StackTrace{}, e.cellSource, true)
		return strings.Join(kerr.Traceback, "\n") + "\n"
	default:
		return ""
	}
}
