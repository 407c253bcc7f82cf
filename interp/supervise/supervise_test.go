package supervise_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

const (
	childEnv  = "SUPERVISE_TEST_CHILD"
	parentEnv = "SUPERVISE_TEST_PARENT"
)

// TestMain doubles as the engine child: the supervisor re-executes the test
// binary with childEnv set, and the child serves the fake engine.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(supervise.RunChild(newFake))
	}
	if os.Getenv(parentEnv) == "1" {
		runTestParent()
	}
	os.Exit(m.Run())
}

// recIO records what the engine sends to the frontend, in order.
type recIO struct {
	mu      sync.Mutex
	events  []string
	streams int
	input   func(prompt string) (string, error)
}

func (r *recIO) add(s string) {
	r.mu.Lock()
	r.events = append(r.events, s)
	r.mu.Unlock()
}

func (r *recIO) Stream(name, text string) {
	r.mu.Lock()
	r.streams++
	r.events = append(r.events, name+":"+text)
	r.mu.Unlock()
}

func (r *recIO) Display(data kernel.Bundle, md map[string]any, id string) {
	r.add(fmt.Sprintf("display:%v:%v:%s", data, md, id))
}

func (r *recIO) Update(data kernel.Bundle, md map[string]any, id string) {
	r.add(fmt.Sprintf("update:%v:%s", data, id))
}

func (r *recIO) ClearOutput(wait bool) { r.add(fmt.Sprintf("clear:%v", wait)) }

func (r *recIO) Input(prompt string, password bool) (string, error) {
	r.add("input:" + prompt)
	if r.input == nil {
		return "", kernel.ErrNoStdin
	}
	return r.input(prompt)
}

// text joins the recorded stream text of one stream.
func (r *recIO) text(name string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	for _, e := range r.events {
		if t, ok := strings.CutPrefix(e, name+":"); ok {
			b.WriteString(t)
		}
	}
	return b.String()
}

func (r *recIO) all() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.events, "|")
}

func (r *recIO) reset() {
	r.mu.Lock()
	r.events = nil
	r.streams = 0
	r.mu.Unlock()
}

func newEngine(t testing.TB, opts supervise.Options, env ...string) *supervise.Engine {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	opts.Command = []string{exe, "-test.run=^$"}
	opts.Env = append([]string{childEnv + "=1"}, env...)
	e, err := supervise.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Shutdown(false) })
	return e
}

func run(e *supervise.Engine, io kernel.IO, code string) kernel.ExecuteReply {
	return e.Execute(context.Background(), kernel.ExecuteRequest{Code: code, StoreHistory: true}, io)
}

func mustOK(t *testing.T, r kernel.ExecuteReply) {
	t.Helper()
	if r.Status != kernel.StatusOK {
		t.Fatalf("status %q, error %+v", r.Status, r.Err)
	}
}

func TestRoundTrip(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{}
	mustOK(t, run(e, io, "print hello"))
	if got := io.text("stdout"); got != "hello\n" {
		t.Fatalf("stdout %q", got)
	}
	r := run(e, io, "result 42")
	mustOK(t, r)
	if r.Result["text/plain"] != "42" {
		t.Fatalf("result %#v", r.Result)
	}
	if got := fmt.Sprint(r.Result["application/json"]); got != "map[n:12345678901234567]" {
		t.Fatalf("JSON number changed on the way: %s", got)
	}
	r = run(e, io, "page help text")
	mustOK(t, r)
	if len(r.Payload) != 1 || r.Payload[0]["source"] != "page" || fmt.Sprint(r.Payload[0]["data"]) != "map[text/plain:help text]" || fmt.Sprint(r.Payload[0]["start"]) != "0" {
		t.Fatalf("page payload lost on the way: %#v", r.Payload)
	}
	io.reset()
	mustOK(t, run(e, io, "display hi"))
	want := "display:map[text/html:<b>hi</b>]:map[k:v]:d1|update:map[text/plain:updated]:d1|clear:true"
	if got := io.all(); got != want {
		t.Fatalf("display events\n got %s\nwant %s", got, want)
	}
	r = run(e, io, "nosuchcommand")
	if r.Status != kernel.StatusError || r.Err.Name != "UnknownCommand" {
		t.Fatalf("error reply lost: %+v", r)
	}
	c := e.Complete("fm", 2)
	if len(c.Matches) != 2 || c.Matches[0] != "fmx" || c.CursorEnd != 2 {
		t.Fatalf("complete %+v", c)
	}
	in := e.Inspect("x", 1, 1)
	if !in.Found || in.Data["text/plain"] != "x@1/1" {
		t.Fatalf("inspect %+v", in)
	}
	if ic := e.IsComplete("func f() {"); ic.Status != "incomplete" || ic.Indent != "\t" {
		t.Fatalf("is_complete %+v", ic)
	}
	r = run(e, io, "enginepanic")
	if r.Status != kernel.StatusError || !strings.Contains(r.Err.Value, "bug in the engine") {
		t.Fatalf("engine panic: %+v", r)
	}
	mustOK(t, run(e, io, "noop"))
}

// Output written during a cell reaches the IO before Execute returns, in order,
// and a flood of lines arrives in few stream calls.
func TestStreamOrderAndBatching(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{}
	const n = 100000
	start := time.Now()
	mustOK(t, run(e, io, fmt.Sprintf("printn %d", n)))
	elapsed := time.Since(start)
	got := io.text("stdout")
	var want strings.Builder
	for i := range n {
		fmt.Fprintf(&want, "%d\n", i)
	}
	if got != want.String() {
		t.Fatalf("lines lost or reordered: got %d bytes, want %d", len(got), want.Len())
	}
	io.mu.Lock()
	calls := io.streams
	io.mu.Unlock()
	t.Logf("%d lines through the supervisor in %v, %d stream calls", n, elapsed, calls)
	if calls > n/10 {
		t.Errorf("stream writes were not merged: %d calls for %d lines", calls, n)
	}
}

func TestBackgroundOutputAndStray(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{}
	mustOK(t, run(e, io, "background"))
	mustOK(t, run(e, io, "stray"))
	waitFor(t, func() bool { return strings.Contains(io.text("stdout"), "from the background") })
	waitFor(t, func() bool { return strings.Contains(io.text("stderr"), "stray stderr line\n") })
	waitFor(t, func() bool { return strings.Contains(io.text("stdout"), "stray stdout line\n") })

	// A crash-like line from a process that lives on is shown after all.
	io.reset()
	mustOK(t, run(e, io, "fakepanicline"))
	waitFor(t, func() bool { return strings.Contains(io.text("stderr"), "panic: not really") })
	mustOK(t, run(e, io, "print still here"))
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestInput(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{input: func(string) (string, error) { return "alice", nil }}
	mustOK(t, run(e, io, "input"))
	if got := io.text("stdout"); got != "hello alice\n" {
		t.Fatalf("stdout %q", got)
	}
	for _, c := range []struct {
		err  error
		want string
	}{
		{kernel.ErrNoStdin, "nostdin=true"},
		{kernel.ErrInterrupted, "interrupted=true"},
	} {
		io := &recIO{input: func(string) (string, error) { return "", c.err }}
		r := run(e, io, "input")
		if r.Status != kernel.StatusError || !strings.Contains(r.Err.Value, c.want) {
			t.Fatalf("input error %v: %+v", c.err, r.Err)
		}
	}
}

// The fatal cases: each kills the child for real. The cell reports the cause,
// state is gone, and the next cell runs in a fresh child.
func TestFatalErrors(t *testing.T) {
	cases := []struct {
		code, want string
	}{
		{"mapwrites", "fatal error: concurrent map"},
		{"recurse", "stack overflow: a goroutine's stack grew past 16 MiB"},
		// Under -race the runtime fails earlier with "too many address
		// space collisions for -race mode".
		{"hugealloc", "out of memory|address space"},
		{"exit 3", "exited with status 3"},
		{"gopanic", "panic: boom in goroutine (in a goroutine nothing recovered)"},
		{"grow", "out of memory: the engine used"},
	}
	e := newEngine(t, supervise.Options{MaxStack: 16 << 20, MemoryLimit: 300 << 20})
	for _, c := range cases {
		t.Run(c.code, func(t *testing.T) {
			io := &recIO{}
			mustOK(t, run(e, io, "set k=v"))
			pid := e.PID()
			start := time.Now()
			r := run(e, io, c.code)
			took := time.Since(start)
			if r.Status != kernel.StatusError || r.Err == nil {
				t.Fatalf("reply %+v", r)
			}
			if r.Err.Name != supervise.ErrNameCrashed || !containsAny(r.Err.Value, c.want) {
				t.Fatalf("ename %q evalue %q, want %q", r.Err.Name, r.Err.Value, c.want)
			}
			crashErr := r.Err
			tb := strings.Join(r.Err.Traceback, "\n")
			if !strings.Contains(tb, "restarted") {
				t.Fatalf("traceback does not say what happened to the state:\n%s", tb)
			}
			if len(r.Err.Traceback) > 40 {
				t.Fatalf("traceback not trimmed: %d lines", len(r.Err.Traceback))
			}
			t0 := time.Now()
			r = run(e, io, "get k")
			if r.Status != kernel.StatusError || r.Err.Name != "NameError" {
				t.Fatalf("state should be gone after a crash: %+v", r)
			}
			mustOK(t, run(e, io, "print alive"))
			if e.PID() == pid {
				t.Fatal("same child after a crash")
			}
			t.Logf("%s: cell failed after %v; next cell answered %v later; restart %v; evalue %q",
				c.code, took.Round(time.Millisecond), time.Since(t0).Round(time.Millisecond), e.LastRestart().Round(time.Microsecond), crashErr.Value)
			if testing.Verbose() {
				t.Logf("traceback:\n%s", tb)
			}
		})
	}
}

// containsAny reports whether s contains one of the |-separated alternatives.
func containsAny(s, alts string) bool {
	for _, a := range strings.Split(alts, "|") {
		if strings.Contains(s, a) {
			return true
		}
	}
	return false
}

// A crash while no cell runs is reported in the next cell's output, and the
// next cell runs.
func TestIdleCrash(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{}
	mustOK(t, run(e, io, "gopaniclater"))
	waitFor(t, func() bool { return strings.Contains(io.text("stderr"), "late boom") })
	s := io.text("stderr")
	if !strings.Contains(s, supervise.ErrNameCrashed) || !strings.Contains(s, "while no cell was running") {
		t.Fatalf("idle crash notice: %q", s)
	}
	mustOK(t, run(e, io, "print after"))
}

// Declarations of a Restorer engine survive a crash.
func TestRestoreDeclarations(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{}
	mustOK(t, run(e, io, "decl func f"))
	mustOK(t, run(e, io, "decl type T"))
	r := run(e, io, "exit 1")
	if r.Status != kernel.StatusError || !strings.Contains(strings.Join(r.Err.Traceback, "\n"), "were restored") {
		t.Fatalf("crash reply %+v", r.Err)
	}
	io.reset()
	mustOK(t, run(e, io, "decls"))
	if got := io.text("stdout"); got != "func f,type T\n" {
		t.Fatalf("restored decls %q", got)
	}
}

func TestInterrupt(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{}
	mustOK(t, run(e, io, "set k=v"))
	var lat []time.Duration
	for range 5 {
		done := make(chan kernel.ExecuteReply)
		go func() { done <- run(e, io, "loop") }()
		time.Sleep(30 * time.Millisecond)
		t0 := time.Now()
		e.Interrupt()
		r := <-done
		lat = append(lat, time.Since(t0))
		if r.Err == nil || r.Err.Name != "Interrupted" {
			t.Fatalf("interrupted cell: %+v %+v", r, r.Err)
		}
	}
	t.Logf("interrupt to reply (proxy + fake engine), 5 runs: %v", lat)
	for _, d := range lat {
		if d > 100*time.Millisecond {
			t.Errorf("interrupt took %v", d)
		}
	}
	// State survives an interrupt.
	io.reset()
	mustOK(t, run(e, io, "get k"))
	if io.text("stdout") != "v\n" {
		t.Fatalf("state lost by interrupt: %q", io.text("stdout"))
	}
	e.Interrupt() // idle: harmless
	mustOK(t, run(e, io, "noop"))
}

// A cell that ignores the interrupt (blocked in compiled code) is ended by
// restarting the child after the grace period.
func TestInterruptKillsStuckCell(t *testing.T) {
	e := newEngine(t, supervise.Options{InterruptGrace: 300 * time.Millisecond})
	io := &recIO{}
	mustOK(t, run(e, io, "noop")) // the child is up
	done := make(chan kernel.ExecuteReply)
	go func() { done <- run(e, io, "block") }()
	// Interrupt only once the cell runs: on a loaded machine a fixed sleep
	// could interrupt the request before the child had read it.
	for deadline := time.Now().Add(10 * time.Second); !strings.Contains(io.text("stdout"), "blocking"); {
		if time.Now().After(deadline) {
			t.Fatal("the block cell did not start within 10s")
		}
		time.Sleep(5 * time.Millisecond)
	}
	t0 := time.Now()
	e.Interrupt()
	r := <-done
	took := time.Since(t0)
	if r.Err == nil || r.Err.Name != supervise.ErrNameRestarted || !strings.Contains(r.Err.Value, "did not stop within 300ms") {
		t.Fatalf("reply %+v", r.Err)
	}
	if took < 300*time.Millisecond || took > 2*time.Second {
		t.Fatalf("stuck cell ended after %v", took)
	}
	mustOK(t, run(e, io, "print ok"))
}

// An interrupt while the first child is still starting ends the wait.
func TestInterruptWhileStarting(t *testing.T) {
	e := newEngine(t, supervise.Options{}, "FAKE_SLOW_START=3s")
	go func() {
		time.Sleep(50 * time.Millisecond)
		e.Interrupt()
	}()
	start := time.Now()
	r := run(e, &recIO{}, "noop")
	if r.Err == nil || r.Err.Name != supervise.ErrNameInterrupted || time.Since(start) > time.Second {
		t.Fatalf("reply %+v after %v", r.Err, time.Since(start))
	}
}

func TestContextCancelInterrupts(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	mustOK(t, run(e, &recIO{}, "noop")) // the child is up: the cancel stops the cell, not the start
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	r := e.Execute(ctx, kernel.ExecuteRequest{Code: "loop"}, &recIO{})
	if r.Err == nil || r.Err.Name != "Interrupted" {
		t.Fatalf("reply %+v", r)
	}
}

func TestStartFailure(t *testing.T) {
	e := newEngine(t, supervise.Options{}, "FAKE_FAIL_START=1")
	r := run(e, &recIO{}, "noop")
	if r.Err == nil || r.Err.Name != supervise.ErrNameEngine || !strings.Contains(r.Err.Value, "refuses to start") {
		t.Fatalf("reply %+v", r.Err)
	}
	if c := e.Complete("x", 1); len(c.Matches) != 0 {
		t.Fatalf("complete from a dead engine: %+v", c)
	}

	e2, err := supervise.New(supervise.Options{Command: []string{"/nonexistent/golit", "engine"}})
	if err != nil {
		t.Fatal(err)
	}
	r = run(e2, &recIO{}, "noop")
	if r.Err == nil || !strings.Contains(r.Err.Value, "could not start") {
		t.Fatalf("reply %+v", r.Err)
	}
	_ = e2.Shutdown(false)
}

func TestShutdown(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	mustOK(t, run(e, &recIO{}, "noop"))
	pid := e.PID()
	if err := e.Shutdown(false); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(pid, 0); err == nil {
		t.Fatalf("child %d still alive after Shutdown", pid)
	}
	r := run(e, &recIO{}, "noop")
	if r.Status != kernel.StatusError {
		t.Fatal("Execute after Shutdown should fail")
	}
}

// The child exits by itself when the supervisor dies without a word
// (SIGKILL): it sees end of file on its request pipe.
func TestChildExitsWithParent(t *testing.T) {
	exe, _ := os.Executable()
	parent := exec.Command(exe, "-test.run=^$")
	parent.Env = append(os.Environ(), parentEnv+"=1")
	out, err := parent.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := parent.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil || pid == 0 {
		t.Fatalf("no child pid from the parent: %v", err)
	}
	if err := syscall.Kill(pid, 0); err != nil {
		t.Fatalf("child %d not running: %v", pid, err)
	}
	_ = parent.Process.Kill()
	_ = parent.Wait()
	deadline := time.Now().Add(3 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		// The child is not ours, so it may linger as a zombie of init
		// for a moment; check its state rather than only its existence.
		if b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil && strings.Contains(string(b), ") Z ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %d still running 3s after its supervisor died", pid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runTestParent is a supervisor process for TestChildExitsWithParent: it
// prints its child's pid and waits to be killed.
func runTestParent() {
	exe, _ := os.Executable()
	e, err := supervise.New(supervise.Options{Command: []string{exe, "-test.run=^$"}, Env: []string{childEnv + "=1", parentEnv + "="}})
	if err != nil {
		os.Exit(1)
	}
	if err := e.Ready(context.Background()); err != nil {
		os.Exit(1)
	}
	fmt.Println(e.PID())
	select {}
}

// A cell begun by StartExecute runs at once, but its output (and an input
// request) reaches the IO only once the kernel calls the function it
// returned, in order; without a ready child StartExecute declines.
func TestStartExecuteHoldsOutput(t *testing.T) {
	e := newEngine(t, supervise.Options{})
	io := &recIO{input: func(string) (string, error) { return "bob", nil }}
	mustOK(t, run(e, io, "noop")) // the child is ready, and e has an IO
	ctx := context.Background()
	wait := e.StartExecute(ctx, kernel.ExecuteRequest{Code: "printn 3"})
	if wait == nil {
		t.Fatal("StartExecute declined with a ready child")
	}
	// The cell has long finished in the child; its output is held.
	time.Sleep(200 * time.Millisecond)
	if got := io.all(); got != "" {
		t.Fatalf("output reached the IO before the kernel asked for it: %q", got)
	}
	mustOK(t, wait(io))
	if got := io.text("stdout"); got != "0\n1\n2\n" {
		t.Fatalf("stdout %q", got)
	}

	io.reset()
	wait = e.StartExecute(ctx, kernel.ExecuteRequest{Code: "input"})
	time.Sleep(100 * time.Millisecond)
	if got := io.all(); got != "" {
		t.Fatalf("the input request reached the IO before the kernel asked for it: %q", got)
	}
	mustOK(t, wait(io))
	if got := io.all(); got != "input:name? |stdout:hello bob\n" {
		t.Fatalf("events %q", got)
	}

	// A crash between the start and the wait is the cell's error.
	wait = e.StartExecute(ctx, kernel.ExecuteRequest{Code: "mapwrites"})
	if r := wait(io); r.Status != kernel.StatusError || r.Err.Name != supervise.ErrNameCrashed {
		t.Fatalf("crash: %+v", r.Err)
	}
	mustOK(t, run(e, io, "noop"))

	if err := e.Shutdown(false); err != nil {
		t.Fatal(err)
	}
	if e.StartExecute(ctx, kernel.ExecuteRequest{Code: "noop"}) != nil {
		t.Fatal("StartExecute began a cell on a shut-down engine")
	}
}
