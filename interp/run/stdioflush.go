package run

import "time"

// flushStreams waits, at the end of a cell, until what was written to the
// captured standard output and error before the call has been forwarded
// (up to timeout for each).
//
// A flush writes a marker into the pipe and waits for the pump goroutine to
// read it: two hand-offs through the network poller per stream, about a
// tenth of a trivial cell's time in the engine child. Most cells leave
// nothing unread, which one poll(2) that does not wait can tell: the pump
// reads and forwards under the stream's lock, so with both locks held, an
// empty pipe and nothing kept back (a possible start of a marker) mean that
// everything written so far has been forwarded.
func (e *Session) flushStreams(timeout time.Duration) {
	out, errs, _, _ := e.streams()
	if out == nil || errs == nil {
		if out != nil {
			out.flush(timeout)
		}
		if errs != nil {
			errs.flush(timeout)
		}
		return
	}
	out.mu.Lock()
	errs.mu.Lock()
	done := !out.closed && !errs.closed && len(out.pend) == 0 && len(errs.pend) == 0
	if done {
		ro, re, ok := readable(out.fd, errs.fd)
		done = ok && !ro && !re
	}
	errs.mu.Unlock()
	out.mu.Unlock()
	if done {
		return
	}
	out.flush(timeout)
	errs.flush(timeout)
}
