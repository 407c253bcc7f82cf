package run

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/kernel"
)

// TestExitBetweenPrograms has a goroutine of the cell call log.Fatal while
// the engine compiles the cell's last expression (a function literal with a
// long body), when none of the cell's programs executes. The cell must end
// with the Exit error; before, the signal was taken for one from a
// goroutine of an earlier cell, and the wg.Wait() in the last expression
// waited for ever.
func TestExitBetweenPrograms(t *testing.T) {
	s := newSession(t)
	s.ok(`import ("log"; "sync"; "time")`)
	s.ok("var wg sync.WaitGroup\nvar n int")
	var body strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&body, "n += %d\n", i)
	}
	code := "wg.Add(1)\ngo func() { defer wg.Done(); time.Sleep(5 * time.Millisecond); log.Fatal(\"fatal in goroutine\") }()\n" +
		"func() int {\n" + body.String() + "wg.Wait()\nreturn n\n}()\n"
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	s.n++
	done := make(chan kernel.ExecuteReply, 1)
	go func() {
		done <- s.e.Execute(ctx, kernel.ExecuteRequest{Code: code, ExecutionCount: s.n, StoreHistory: true}, s.io)
	}()
	var r kernel.ExecuteReply
	select {
	case r = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the cell did not end within 15 s of its goroutine's log.Fatal")
	}
	if r.Err == nil || r.Err.Name != "Exit" || !strings.Contains(r.Err.Value, "fatal in goroutine") {
		msg := fmt.Sprintf("%+v", r.Err)
		t.Fatalf("reply %s: %.300s", r.Status, msg)
	}
	if out, _ := s.ok(`fmt.Println("next")`); out != "next\n" {
		t.Fatalf("next cell printed %q", out)
	}
}
