package run

import (
	"context"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golit/golit/kernel"
)

// recIO is a kernel.IO that records what a cell sends to the frontend.
type recIO struct {
	mu      sync.Mutex
	stdout  strings.Builder
	stderr  strings.Builder
	events  []string
	inputs  []string // answers for Input, consumed in order
	noStdin bool
	prompts []string
}

func (r *recIO) Stream(name, text string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if name == "stdout" {
		r.stdout.WriteString(text)
	} else {
		r.stderr.WriteString(text)
	}
}

func (r *recIO) Display(data kernel.Bundle, metadata map[string]any, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "display "+id+" "+bundleKeys(data)+" "+textOf(data))
}

func (r *recIO) Update(data kernel.Bundle, metadata map[string]any, id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "update "+id+" "+textOf(data))
}

func (r *recIO) ClearOutput(wait bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, "clear")
}

func (r *recIO) Input(prompt string, password bool) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.noStdin {
		return "", kernel.ErrNoStdin
	}
	r.prompts = append(r.prompts, prompt)
	if len(r.inputs) == 0 {
		return "", kernel.ErrInterrupted
	}
	s := r.inputs[0]
	r.inputs = r.inputs[1:]
	return s, nil
}

func (r *recIO) out() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stdout.String()
}

func (r *recIO) errOut() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.stderr.String()
}

func (r *recIO) reset() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stdout.Reset()
	r.stderr.Reset()
	r.events = nil
}

func bundleKeys(b kernel.Bundle) string {
	var ks []string
	for k := range b {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return strings.Join(ks, ",")
}

func textOf(b kernel.Bundle) string {
	s, _ := b["text/plain"].(string)
	return s
}

// session is an engine plus its recording IO.
type session struct {
	t  *testing.T
	e  *Session
	io *recIO
	n  int
}

func newSession(t *testing.T) *session {
	t.Helper()
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Shutdown(false) })
	return &session{t: t, e: e, io: &recIO{}}
}

// run executes a cell and returns its reply; stdout is in s.io.
func (s *session) run(code string) kernel.ExecuteReply {
	s.n++
	return s.e.Execute(context.Background(), kernel.ExecuteRequest{Code: code, ExecutionCount: s.n, StoreHistory: true, AllowStdin: !s.io.noStdin}, s.io)
}

// ok runs a cell that must succeed and returns its stdout.
func (s *session) ok(code string) (string, kernel.ExecuteReply) {
	s.t.Helper()
	s.io.reset()
	r := s.run(code)
	if r.Status != kernel.StatusOK {
		s.t.Fatalf("cell %q failed: %+v", code, r.Err)
	}
	return s.io.out(), r
}

// cellRunning reports whether an Execute call is running a cell, the state
// in which an interrupt reaches it.
func (s *session) cellRunning() bool {
	s.e.runMu.Lock()
	defer s.e.runMu.Unlock()
	return s.e.cancel != nil
}

// eventually polls f for up to d.
func eventually(d time.Duration, f func() bool) bool {
	end := time.Now().Add(d)
	for time.Now().Before(end) {
		if f() {
			return true
		}
		time.Sleep(5 * time.Millisecond)
	}
	return f()
}

func TestMain(m *testing.M) {
	stdout, stderr := os.Stdout, os.Stderr
	code := m.Run()
	os.Stdout, os.Stderr = stdout, stderr
	os.Exit(code)
}
