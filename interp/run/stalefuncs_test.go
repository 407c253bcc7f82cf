package run

import (
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/kernel"
)

// After an interrupt, the next cell names the notebook variables holding
// function values made by interpreted code (which the interrupt stopped),
// and only those: compiled functions and declared functions keep working.
func TestInterruptNamesStoppedFunctionValues(t *testing.T) {
	s := newSession(t)
	s.ok("f := func() int { return 42 }\n" +
		"func declared() int { return 7 }\n" +
		"var h = func() int { return 9 }\n" +
		"upper := strings.ToUpper\n" +
		"type T struct{}\nfunc (T) M() int { return 1 }\nm := T{}.M")

	done := make(chan kernel.ExecuteReply, 1)
	go func() { done <- s.run("for {}") }()
	if !eventually(10*time.Second, s.cellRunning) {
		t.Fatal("the loop never started")
	}
	time.Sleep(50 * time.Millisecond)
	s.e.Interrupt()
	if r := <-done; r.Err == nil || r.Err.Name != present.ENameInterrupted {
		t.Fatalf("reply %+v", r.Err)
	}

	_, r := s.ok("declared() + len(upper(\"ab\"))")
	if textOf(r.Result) != "9" {
		t.Errorf("declared and compiled functions after the interrupt: %v", r.Result)
	}
	note := s.io.errOut()
	if !strings.Contains(note, "the interrupt stopped the function values kept in f, h, m:") {
		t.Errorf("stderr after the interrupt: %q", note)
	}
	// Once only.
	s.ok("1")
	if got := s.io.errOut(); got != "" {
		t.Errorf("the note came again: %q", got)
	}
	// Made again, f works.
	s.ok("f := func() int { return 42 }")
	if _, r := s.ok("f()"); textOf(r.Result) != "42" {
		t.Errorf("f made again = %v", r.Result)
	}
}
