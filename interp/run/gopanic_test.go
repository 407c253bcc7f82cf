package run

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/kernel"
)

// A panic in a goroutine the running cell started ends the cell at once
// (in Go it would crash the program), even when the cell waits for that
// goroutine for ever; the kernel and the notebook's state stay.

// wantGoPanic checks that r is the goroutine-panic error with msg, placed
// at pos (In[n]:line:col) in its traceback.
func wantGoPanic(t *testing.T, r kernel.ExecuteReply, msg, pos string) {
	t.Helper()
	// A runtime error keeps its name (runtime error); other panics are
	// named as panics in a goroutine.
	if r.Status != kernel.StatusError || r.Err == nil ||
		(r.Err.Name != present.ENameGoroutinePanic && r.Err.Name != "runtime error") {
		t.Fatalf("reply %+v (%+v), want a goroutine's panic", r, r.Err)
	}
	if !strings.Contains(r.Err.Value, msg) {
		t.Fatalf("error value %q, want %q in it", r.Err.Value, msg)
	}
	if tb := strings.Join(r.Err.Traceback, "\n"); !strings.Contains(tb, pos) {
		t.Fatalf("traceback %q, want the position %s in it", tb, pos)
	}
}

func TestGoroutinePanicEndsTheWaitingCell(t *testing.T) {
	s := newSession(t)
	s.ok("kept := 5")
	// after: whether the cell may print "after": with a deferred wg.Done
	// the waiting code goes on while the panic unwinds, as in Go.
	cases := []struct {
		name, code, msg, pos string
		after                bool
	}{
		{"wg.Wait, deferred Done", "var wg sync.WaitGroup\nwg.Add(1)\ngo func() {\n\tdefer wg.Done()\n\tvar m map[string]int\n\tm[\"x\"] = 1\n}()\nwg.Wait()\nfmt.Println(\"after wg.Wait\")",
			"assignment to entry in nil map", ":3:4", true},
		{"wg.Wait, no Done", "var wg sync.WaitGroup\nwg.Add(1)\ngo func() {\n\tpanic(\"no done\")\n\twg.Done()\n}()\nwg.Wait()\nfmt.Println(\"after wg.Wait\")",
			"no done", ":4:", false},
		{"receive", "ch := make(chan int)\ngo func() {\n\tvar p *struct{ x int }\n\tch <- p.x\n}()\nfmt.Println(<-ch, \"after receive\")",
			"nil pointer dereference", ":2:4", false},
	}
	for _, c := range cases {
		s.io.reset()
		r := s.runWithin(10*time.Second, c.code)
		wantGoPanic(t, r, c.msg, fmt.Sprintf("In[%d]%s", s.n, c.pos))
		if out := s.io.out(); !c.after && strings.Contains(out, "after") {
			t.Errorf("%s: stdout %q: the cell went on after the panic", c.name, out)
		}
		if _, r := s.ok("kept * 2"); textOf(r.Result) != "10" {
			t.Fatalf("%s: next cell: %v", c.name, r.Result)
		}
	}
}

func TestGoroutinePanicOfAnEarlierCellFailsTheCellAtItsEnd(t *testing.T) {
	s := newSession(t)
	s.ok("go func() {\n\ttime.Sleep(150 * time.Millisecond)\n\tpanic(\"from cell one\")\n}()")
	// The panic arrives while this cell sleeps: the cell is not its
	// goroutine's, so it runs to its end and then fails with the panic.
	r := s.runWithin(10*time.Second, "time.Sleep(600 * time.Millisecond)\nfmt.Println(\"slept\")")
	wantGoPanic(t, r, "from cell one", "In[1]:3:")
	if out := s.io.out(); !strings.Contains(out, "slept") {
		t.Errorf("stdout %q: the later cell was cut short", out)
	}
	if _, r := s.ok("1 + 1"); textOf(r.Result) != "2" {
		t.Fatalf("next cell: %v", r.Result)
	}
}
