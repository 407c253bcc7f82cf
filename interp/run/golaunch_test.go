package run

import (
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/kernel"
)

// The forms of go statement goLaunch rewrites keep Go's semantics: the
// arguments are evaluated when the statement runs, a loop's goroutines see
// their own iteration's variable when they name it, and results and
// conversions are discarded.
//
// Not under the race detector: a goroutine reading a notebook variable
// while the session compiles the cell's next statement races with yaegi's
// growth of the global frame (yaegi v0.16.1, Interpreter.resizeFrame; the
// detector reports these cells on main as well, whatever starts the
// goroutine).
func TestGoLaunchForms(t *testing.T) {
	if raceEnabled {
		t.Skip("yaegi's global frame races with goroutines of the cell (see above)")
	}
	cases := []struct{ code, want string }{
		{"x := 1\ndone := make(chan int)\ngo func(v int) { done <- v }(x)\nx = 2\n<-done", "1"},
		{"func add(a, b int, out chan int) { out <- a + b }\nout := make(chan int)\ny := 40\ngo add(y, 2, out)\ny = 0\n<-out", "42"},
		{"func two() (int, error) { return 2, nil }\ngo two()\n\"started\"", "started"},
		{"ch := make(chan int, 3)\nfor i := 0; i < 3; i++ { go func() { ch <- i }() }\n<-ch + <-ch + <-ch", "3"},
		{"ch := make(chan int, 3)\nfor i := range 3 { go func() { ch <- i * 10 }() }\n<-ch + <-ch + <-ch", "30"},
		{"var wg sync.WaitGroup\nn := 0\nvar mu sync.Mutex\nfor i := 0; i < 50; i++ {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); mu.Lock(); n++; mu.Unlock() }()\n}\nwg.Wait()\nn", "50"},
		{"res := make(chan int)\ng := func(xs ...int) { res <- len(xs) }\ngo g([]int{1, 2, 3}...)\n<-res", "3"},
		{"lits := make(chan int)\ngo func(xs ...int) { lits <- len(xs) }([]int{1, 2}...)\n<-lits", "2"},
		{"spread := []int{1, 2, 3, 4}\ngo func(xs ...int) { lits <- len(xs) }(spread...)\n<-lits", "4"},
		{"go func(m map[string]int) { lits <- len(m) }(map[string]int{\"a\": 1})\n<-lits", "1"},
	}
	s := newSession(t)
	for _, c := range cases {
		done := make(chan kernel.ExecuteReply, 1)
		go func() { done <- s.run(c.code) }()
		var r kernel.ExecuteReply
		select {
		case r = <-done:
		case <-time.After(20 * time.Second):
			s.e.Interrupt()
			t.Fatalf("cell %q did not end", c.code)
		}
		if r.Status != kernel.StatusOK {
			t.Errorf("cell %q failed: %+v", c.code, r.Err)
			continue
		}
		if got := strings.Trim(textOf(r.Result), `"`); got != c.want {
			t.Errorf("cell %q = %q, want %q", c.code, got, c.want)
		}
	}
}

// A panic in a goroutine started by a go statement fails the running cell
// instead of ending the process; the session's launcher recovers it.
func TestGoLaunchPanicFailsCell(t *testing.T) {
	s := newSession(t)
	r := s.run("done := make(chan bool)\ngo func() { defer close(done); panic(\"boom in goroutine\") }()\n<-done\ntime.Sleep(100 * time.Millisecond)")
	if r.Err == nil || !strings.Contains(r.Err.Value+strings.Join(r.Err.Traceback, "\n"), "boom in goroutine") {
		t.Fatalf("reply = %+v, want the goroutine's panic", r)
	}
	if _, r := s.ok("1 + 1"); textOf(r.Result) != "2" {
		t.Fatalf("session unusable after a goroutine's panic: %v", r.Result)
	}
}

// An interrupt wakes every goroutine in time.Sleep, those of earlier cells
// included, as the select-based sleep did; yaegi then ends them (an
// interrupt cancels all interpreted code), so they do not stay behind.
func TestSleepersWokenByInterrupt(t *testing.T) {
	s := newSession(t)
	s.ok("1")
	// The session's own goroutines come and go around a cell (a reply's
	// helpers still exiting): the base is the fewest seen over a while.
	base := runtime.NumGoroutine()
	for i := 0; i < 20; i++ {
		time.Sleep(5 * time.Millisecond)
		base = min(base, runtime.NumGoroutine())
	}
	s.ok("for i := 0; i < 100; i++ { go func() { time.Sleep(time.Hour) }() }")
	if !eventually(10*time.Second, func() bool { return runtime.NumGoroutine() >= base+100 }) {
		t.Fatalf("%d goroutines, want at least %d", runtime.NumGoroutine(), base+100)
	}
	done := make(chan struct{})
	go func() { s.run("time.Sleep(time.Hour)"); close(done) }()
	if !eventually(10*time.Second, s.cellRunning) {
		t.Fatal("cell never started")
	}
	s.e.Interrupt()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("interrupt did not end the cell's sleep")
	}
	if !eventually(10*time.Second, func() bool { return runtime.NumGoroutine() < base+10 }) {
		t.Fatalf("%d goroutines after the interrupt, want fewer than %d: sleepers were not woken", runtime.NumGoroutine(), base+10)
	}
}
