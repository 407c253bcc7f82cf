package run

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/kernel"
)

// os.Exit and log.Fatal end the running cell at whatever moment they are
// called: while one of the cell's programs runs, between two of them
// (while the engine compiles the next group), or while the cell's own
// deferred calls run. One called while no cell runs is reported on stderr.

// runWithin runs a cell and fails the test if it has not ended after d.
func (s *session) runWithin(d time.Duration, code string) kernel.ExecuteReply {
	s.t.Helper()
	done := make(chan kernel.ExecuteReply, 1)
	go func() { done <- s.run(code) }()
	select {
	case r := <-done:
		return r
	case <-time.After(d):
		s.t.Fatalf("the cell still runs after %v (stderr %q)", d, s.io.errOut())
		return kernel.ExecuteReply{}
	}
}

// wantExit checks that r is the Exit error whose message has msg.
func wantExit(t *testing.T, r kernel.ExecuteReply, msg string) {
	t.Helper()
	if r.Status != kernel.StatusError || r.Err == nil || r.Err.Name != present.ENameExit {
		t.Fatalf("reply %+v, want an %s error", r, present.ENameExit)
	}
	if !strings.Contains(r.Err.Value, msg) {
		t.Fatalf("error value %q, want %q in it", r.Err.Value, msg)
	}
}

// slowDecls is a declaration group that takes yaegi a few hundred
// milliseconds to compile: a window in which none of the cell's programs
// runs.
func slowDecls(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "func slow%d(a, b int) int { if a > b { return a - b }; return b + a*%d }\n", i, i)
	}
	return b.String()
}

func TestExitFromAGoroutineBetweenGroups(t *testing.T) {
	s := newSession(t)
	// The goroutine calls log.Fatal while the engine compiles the
	// declarations after the statements that started it; wg.Wait() comes
	// in the group after those and must not run (it would wait for ever:
	// the goroutine's deferred wg.Done never runs).
	code := "var wg sync.WaitGroup\nwg.Add(1)\ngo func() {\n\tdefer wg.Done()\n\tdefer fmt.Println(\"goroutine defer ran\")\n\ttime.Sleep(30 * time.Millisecond)\n\tlog.Fatal(\"fatal between groups\")\n}()\n" +
		slowDecls(3000) + "wg.Wait()\nfmt.Println(\"after wg.Wait\")"
	r := s.runWithin(20*time.Second, code)
	wantExit(t, r, "fatal between groups")
	if out := s.io.out(); strings.Contains(out, "ran") || strings.Contains(out, "after") {
		t.Errorf("stdout %q: code ran after log.Fatal", out)
	}
	if _, r := s.ok("40 + 2"); textOf(r.Result) != "42" {
		t.Fatalf("next cell: %v", r.Result)
	}
}

func TestExitInTheCellsDeferredCall(t *testing.T) {
	s := newSession(t)
	s.io.reset()
	r := s.runWithin(20*time.Second, "defer fmt.Println(\"registered first, never runs\")\ndefer os.Exit(5)\nfmt.Println(\"body\")")
	wantExit(t, r, "os.Exit(5)")
	if out := s.io.out(); out != "body\n" {
		t.Errorf("stdout %q, want the body's line only", out)
	}
	if _, r := s.ok("1 + 1"); textOf(r.Result) != "2" {
		t.Fatalf("next cell: %v", r.Result)
	}
}

func TestGoexitInTheCellsDeferredCall(t *testing.T) {
	s := newSession(t)
	s.io.reset()
	r := s.runWithin(20*time.Second, "defer fmt.Println(\"runs after\")\ndefer runtime.Goexit()\nfmt.Println(\"body\")")
	if r.Status != kernel.StatusError || !strings.Contains(r.Err.Value, "runtime.Goexit") {
		t.Fatalf("reply %+v, want the runtime.Goexit error", r)
	}
	// Goexit runs the deferred calls left, as it does in Go.
	if out := s.io.out(); out != "body\nruns after\n" {
		t.Errorf("stdout %q", out)
	}
	if _, r := s.ok("1 + 1"); textOf(r.Result) != "2" {
		t.Fatalf("next cell: %v", r.Result)
	}
}

func TestExitFromAGoroutineWhileTheCellsDefersRun(t *testing.T) {
	s := newSession(t)
	// The statements have ended; the goroutine exits while the cell's
	// deferred call sleeps.
	r := s.runWithin(20*time.Second, "defer time.Sleep(500 * time.Millisecond)\ngo func() {\n\ttime.Sleep(30 * time.Millisecond)\n\tos.Exit(6)\n}()")
	wantExit(t, r, "os.Exit(6)")
	if _, r := s.ok("1 + 1"); textOf(r.Result) != "2" {
		t.Fatalf("next cell: %v", r.Result)
	}
}

func TestExitFromAGoroutineBetweenCells(t *testing.T) {
	s := newSession(t)
	s.ok("go func() {\n\ttime.Sleep(100 * time.Millisecond)\n\tos.Exit(7)\n}()")
	if !eventually(5*time.Second, func() bool { return strings.Contains(s.io.errOut(), "os.Exit(7)") }) {
		t.Fatalf("an os.Exit between cells was not reported: stderr %q", s.io.errOut())
	}
	// It belongs to no cell: the next one runs as usual.
	if _, r := s.ok("3 * 3"); textOf(r.Result) != "9" {
		t.Fatalf("next cell: %v", r.Result)
	}
}
