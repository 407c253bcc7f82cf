package interp

import (
	"bytes"
	"io"
	"os"
	"sync"
	"time"

	"github.com/golit/golit/kernel"
)

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

// streamWriter is an io.Writer that sends what it gets to a sink stream.
type streamWriter struct {
	s    *sink
	name string
}

func (w streamWriter) Write(p []byte) (int, error) {
	w.s.stream(w.name, string(p))
	return len(p), nil
}

// flushMarker is written into a pipe to learn when everything written before
// it has been forwarded.
const flushMarker = "\x00\x01golit-flush\x01\x00"

// pipeStream is one redirected standard stream.
type pipeStream struct {
	sink    *sink
	name    string
	r, w    *os.File
	mu      sync.Mutex
	waiters []chan struct{}
}

func newPipeStream(s *sink, name string) (*pipeStream, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	p := &pipeStream{sink: s, name: name, r: r, w: w}
	go p.pump()
	return p, nil
}

func (p *pipeStream) emit(b []byte) {
	if len(b) == 0 {
		return
	}
	p.sink.stream(p.name, string(b))
}

func (p *pipeStream) pump() {
	buf := make([]byte, 64*1024)
	var pend []byte
	for {
		n, err := p.r.Read(buf)
		pend = append(pend, buf[:n]...)
		for {
			i := bytes.Index(pend, []byte(flushMarker))
			if i < 0 {
				break
			}
			p.emit(pend[:i])
			pend = append(pend[:0], pend[i+len(flushMarker):]...)
			p.mu.Lock()
			if len(p.waiters) > 0 {
				close(p.waiters[0])
				p.waiters = p.waiters[1:]
			}
			p.mu.Unlock()
		}
		// Keep back a tail that may be the start of a marker.
		keep := 0
		for k := len(flushMarker) - 1; k > 0; k-- {
			if len(pend) >= k && bytes.HasSuffix(pend, []byte(flushMarker[:k])) {
				keep = k
				break
			}
		}
		p.emit(pend[:len(pend)-keep])
		pend = append(pend[:0], pend[len(pend)-keep:]...)
		if err != nil {
			return
		}
	}
}

// flush waits until bytes written to the pipe before the call have been
// forwarded, or until timeout.
func (p *pipeStream) flush(timeout time.Duration) {
	ch := make(chan struct{})
	p.mu.Lock()
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
