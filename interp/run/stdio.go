package run

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"sync"
	"syscall"
	"time"

	"github.com/golit/golit/kernel"
	"github.com/traefik/yaegi/stdlib"
)

// Output order. A cell's os.Stdout and os.Stderr are pipes (pipeStream):
// they must be *os.File values, and compiled packages write to them
// directly. Everything else a cell prints goes into the same pipes, so that
// one stream keeps the order the program wrote it in: fmt.Print* writes
// to os.Stdout (yaegi's Options.Stdout is ctlWriter), log and the builtins
// print and println to os.Stderr.
//
// Between the two streams, Jupyter has two kinds of messages and no common
// order except the order they are sent in. Each write the engine sees go
// by (fmt.Print*, fmt.Fprint* to os.Stdout or os.Stderr, log, print,
// println, display calls) first forwards what the other pipe holds, under
// that pipe's lock, so that for one goroutine a line written to stdout
// before a line written to stderr reaches the notebook first, and vice
// versa. Only direct writes on the *os.File (os.Stderr.Write,
// json.NewEncoder(os.Stderr)) are ordered with the other stream as the two
// pipes are read, which is usually but not always the order written.

// sink is where an engine's output goes: the kernel.IO of the session. The
// kernel passes the same IO to every Execute, so the sink keeps the latest
// one; output written before the first cell is held until an IO arrives.
type sink struct {
	mu      sync.Mutex
	io      kernel.IO
	pending []pendingWrite
}

type pendingWrite struct{ name, text string }

func (s *sink) set(io kernel.IO) {
	s.mu.Lock()
	s.io = io
	pend := s.pending
	s.pending = nil
	s.mu.Unlock()
	for _, p := range pend {
		io.Stream(p.name, p.text)
	}
}

func (s *sink) get() kernel.IO {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.io
}

func (s *sink) stream(name, text string) {
	if text == "" {
		return
	}
	s.mu.Lock()
	io := s.io
	if io == nil {
		s.pending = append(s.pending, pendingWrite{name, text})
		s.mu.Unlock()
		return
	}
	s.mu.Unlock()
	io.Stream(name, text)
}

// flushMarker is written into a pipe to learn when everything written before
// it has been forwarded.
const flushMarker = "\x00\x01golit-flush\x01\x00"

// pipeStream is one redirected standard stream. Its read end is
// non-blocking: the pump goroutine reads it when the runtime's poller says
// it is readable, and drain reads it from any goroutine; both read and
// forward under mu, so that what was read is forwarded before anyone else
// reads.
type pipeStream struct {
	sink *sink
	name string
	r, w *os.File
	fd   int // of r

	mu      sync.Mutex
	buf     []byte
	pend    []byte // read, not yet forwarded (the start of a marker?)
	waiters []chan struct{}
	closed  bool // r is closed: fd is no longer ours
}

func newPipeStream(s *sink, name string) (*pipeStream, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	rc, err := r.SyscallConn()
	if err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	p := &pipeStream{sink: s, name: name, r: r, w: w, buf: make([]byte, 64*1024)}
	if err := rc.Control(func(fd uintptr) { p.fd = int(fd) }); err != nil {
		r.Close()
		w.Close()
		return nil, err
	}
	go p.pump(rc)
	return p, nil
}

// pump forwards what the pipe receives until its write end is closed.
func (p *pipeStream) pump(rc syscall.RawConn) {
	for {
		eof := false
		err := rc.Read(func(uintptr) bool {
			p.mu.Lock()
			eof = p.readLocked()
			p.mu.Unlock()
			return eof
		})
		if eof || err != nil {
			break
		}
	}
	p.mu.Lock()
	p.closed = true
	p.emit(p.pend)
	p.pend = nil
	for _, w := range p.waiters {
		close(w)
	}
	p.waiters = nil
	p.mu.Unlock()
	p.r.Close()
}

// readLocked reads and forwards what the pipe holds now; it reports the
// end of the stream (all write ends closed) or a read error.
func (p *pipeStream) readLocked() bool {
	for {
		n, err := syscall.Read(p.fd, p.buf)
		switch {
		case n > 0:
			p.consume(p.buf[:n])
			if n < len(p.buf) {
				// A short read emptied the pipe; what comes next wakes
				// the pump again (the poller reports every arrival).
				return false
			}
		case err == syscall.EINTR:
		case err == syscall.EAGAIN:
			return false
		default: // n == 0: end of file; or an error
			return true
		}
	}
}

// consume forwards b, in order after what was kept back, answering flush
// markers.
func (p *pipeStream) consume(b []byte) {
	p.pend = append(p.pend, b...)
	for {
		i := bytes.Index(p.pend, []byte(flushMarker))
		if i < 0 {
			break
		}
		p.emit(p.pend[:i])
		p.pend = append(p.pend[:0], p.pend[i+len(flushMarker):]...)
		if len(p.waiters) > 0 {
			close(p.waiters[0])
			p.waiters = p.waiters[1:]
		}
	}
	// Keep back a tail that may be the start of a marker.
	keep := 0
	for k := len(flushMarker) - 1; k > 0; k-- {
		if len(p.pend) >= k && bytes.HasSuffix(p.pend, []byte(flushMarker[:k])) {
			keep = k
			break
		}
	}
	p.emit(p.pend[:len(p.pend)-keep])
	p.pend = append(p.pend[:0], p.pend[len(p.pend)-keep:]...)
}

func (p *pipeStream) emit(b []byte) {
	if len(b) == 0 {
		return
	}
	p.sink.stream(p.name, string(b))
}

// drain forwards, at once, what has been written to the pipe so far.
func (p *pipeStream) drain() {
	p.mu.Lock()
	if !p.closed {
		p.readLocked()
	}
	p.mu.Unlock()
}

// flush waits until bytes written to the pipe before the call have been
// forwarded, or until timeout.
func (p *pipeStream) flush(timeout time.Duration) {
	ch := make(chan struct{})
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.waiters = append(p.waiters, ch)
	p.mu.Unlock()
	if _, err := io.WriteString(p.w, flushMarker); err != nil {
		return
	}
	select {
	case <-ch:
	case <-time.After(timeout):
	}
}

// close stops the stream once everything written has been forwarded.
func (p *pipeStream) close() {
	p.w.Close()
}

// isClosed reports whether a cell closed the write end.
func (p *pipeStream) isClosed() bool {
	// Control fails only when the file is closed, and costs neither a
	// system call nor a FileInfo (every cell asks, for both streams).
	sc, err := p.w.SyscallConn()
	if err != nil {
		return errors.Is(err, os.ErrClosed)
	}
	return sc.Control(func(uintptr) {}) != nil
}

// streams returns the current standard streams and the files cells see as
// os.Stdout and os.Stderr.
func (e *Session) streams() (out, errs *pipeStream, osOut, osErr *os.File) {
	e.stdMu.RLock()
	defer e.stdMu.RUnlock()
	return e.stdout, e.stderr, e.osStdout, e.osStderr
}

// orderedWrite is a write to a cell's os.Stdout (toErr false) or os.Stderr
// that the engine sees go by. When the cell's os.Stdout (os.Stderr) is
// still the engine's pipe, it forwards what the other pipe holds, then,
// under the lock of its own pipe, what that pipe holds and p: p comes
// after every earlier write, and a later write to the pipe after p, at the
// cost of one poll of both pipes (readable) rather than a write and a
// wake-up of the pump. Otherwise p goes to the file the cell put in its place.
func (e *Session) orderedWrite(toErr bool, p []byte) (int, error) {
	out, errs, osOut, osErr := e.streams()
	f, own, other := osOut, out, errs
	if toErr {
		f, own, other = osErr, errs, out
	}
	if f != own.w {
		return f.Write(p)
	}
	otherHas, ownHas, _ := readable(other.fd, own.fd)
	if otherHas {
		other.drain()
	} else {
		// An empty pipe may be one the pump has just read and not yet
		// forwarded: it reads and forwards under the pipe's lock, so
		// taking the lock waits for that text to go first.
		other.mu.Lock()
		other.mu.Unlock()
	}
	own.mu.Lock()
	defer own.mu.Unlock()
	if own.closed {
		return 0, os.ErrClosed
	}
	if ownHas {
		own.readLocked()
	}
	own.emit(p)
	return len(p), nil
}

// orderedFile returns a writer for w that keeps the order between the
// streams when w is the cell's os.Stdout or os.Stderr.
func (e *Session) orderedFile(w io.Writer) io.Writer {
	f, ok := w.(*os.File)
	if !ok || f == nil {
		return w
	}
	out, errs, _, _ := e.streams()
	switch f {
	case out.w:
		return ctlWriter{e: e}
	case errs.w:
		return ctlWriter{e: e, toErr: true}
	}
	return w
}

// drainStreams forwards what both pipes hold (before a display message).
func (e *Session) drainStreams() {
	out, errs, _, _ := e.streams()
	out.drain()
	errs.drain()
}

// ctlWriter writes to a cell's os.Stdout or os.Stderr in order (see
// orderedWrite). yaegi's fmt.Print* write to the interpreter's standard
// output, which is one.
type ctlWriter struct {
	e     *Session
	toErr bool
}

func (w ctlWriter) Write(p []byte) (int, error) { return w.e.orderedWrite(w.toErr, p) }

// reopenStreams gives the cells new pipes for os.Stdout and os.Stderr when
// a cell closed them, so that a later cell's output, and the engine's
// messages written there, are not lost.
func (e *Session) reopenStreams() {
	e.stdMu.Lock()
	defer e.stdMu.Unlock()
	for _, s := range []struct {
		p    **pipeStream
		f    **os.File
		proc **os.File
	}{{&e.stdout, &e.osStdout, &os.Stdout}, {&e.stderr, &e.osStderr, &os.Stderr}} {
		old := *s.p
		if *s.f != old.w || !old.isClosed() {
			continue
		}
		np, err := newPipeStream(e.sink, old.name)
		if err != nil {
			continue
		}
		*s.p, *s.f = np, np.w
		if e.opts.CaptureProcessOutput && *s.proc == old.w {
			*s.proc = np.w
		}
	}
}

// fmtExports returns yaegi's fmt table with Fprint, Fprintf and Fprintln
// replaced by versions that keep the order between the streams when they
// write to os.Stdout or os.Stderr, and the interface wrappers yaegi needs
// to call String and Error methods of interpreted types for them.
func (e *Session) fmtExports() (fmtSyms map[string]reflect.Value, mapTypes map[reflect.Value][]reflect.Type) {
	orig := stdlib.Symbols["fmt/fmt"]
	fmtSyms = make(map[string]reflect.Value, len(orig))
	for k, v := range orig {
		fmtSyms[k] = v
	}
	mapTypes = map[reflect.Value][]reflect.Type{}
	repl := map[string]reflect.Value{
		"Fprint": reflect.ValueOf(func(w io.Writer, a ...any) (int, error) {
			return fmt.Fprint(e.orderedFile(w), a...)
		}),
		"Fprintf": reflect.ValueOf(func(w io.Writer, format string, a ...any) (int, error) {
			return fmt.Fprintf(e.orderedFile(w), format, a...)
		}),
		"Fprintln": reflect.ValueOf(func(w io.Writer, a ...any) (int, error) {
			return fmt.Fprintln(e.orderedFile(w), a...)
		}),
	}
	for name, v := range repl {
		if mt, ok := stdlib.MapTypes[orig[name]]; ok {
			mapTypes[v] = mt
		}
		fmtSyms[name] = v
	}
	return fmtSyms, mapTypes
}

// note writes a message of the engine to the notebook's stderr stream,
// after what the cell has written so far.
func (e *Session) note(s string) {
	e.drainStreams()
	e.sink.stream("stderr", s)
}
