package futures_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/golit/golit/futures"
)

func TestProcessPoolBasics(t *testing.T) {
	pp := futures.NewProcessPool(2)
	defer pp.Shutdown(true, false)
	if err := pp.Start(); err != nil {
		t.Fatal(err)
	}
	pids := pp.PIDs()
	if len(pids) != 2 || pids[0] == os.Getpid() || pids[0] == pids[1] {
		t.Fatalf("PIDs %v (parent %d)", pids, os.Getpid())
	}
	v, err := pp.Submit("square", 12).Result()
	if v != 144 || err != nil {
		t.Fatalf("square(12) = %v (%T), %v", v, v, err)
	}
	v, err = pp.Submit(isPrime, 97).Result() // a registered func works as its name
	if v != true || err != nil {
		t.Errorf("isPrime(97) = %v, %v", v, err)
	}
	// A task really runs in another process.
	v, _ = pp.Submit("pid").Result()
	if v == os.Getpid() {
		t.Errorf("task ran in the parent (pid %v)", v)
	}
	// JSON round trip: integers stay integers, floats and structures decode.
	v, _ = pp.Submit("echo", map[string]any{"n": 5_000_111_000_222_021, "f": 1.5, "l": []int{1, 2}}).Result()
	m := v.(map[string]any)
	if m["n"] != 5_000_111_000_222_021 || m["f"] != 1.5 || fmt.Sprint(m["l"]) != "[1 2]" {
		t.Errorf("echo round trip: %#v", v)
	}
	var l []int
	if err := futures.Decode(m["l"], &l); err != nil || len(l) != 2 {
		t.Errorf("Decode: %v %v", l, err)
	}
	vals, err := futures.Collect(pp.Map("square", 1, 2, 3, 4, 5))
	if err != nil || fmt.Sprint(vals) != "[1 4 9 16 25]" {
		t.Errorf("Map: %v %v", vals, err)
	}
	// A stray print on the worker's stdout does not break the protocol.
	if v, err := pp.Submit("noisy", 7).Result(); v != 7 || err != nil {
		t.Errorf("noisy: %v %v", v, err)
	}
}

func TestProcessPoolErrors(t *testing.T) {
	pp := futures.NewProcessPool(1)
	defer pp.Shutdown(true, false)
	if _, err := pp.Submit("fail", "no such flag").Result(); err == nil || err.Error() != "no such flag" {
		t.Errorf("error from worker: %v", err)
	}
	_, err := pp.Submit("boom", "kaboom").Result()
	var pe *futures.PanicError
	if !errors.As(err, &pe) || pe.Value != "kaboom" || !strings.Contains(string(pe.Stack), "boom") {
		t.Errorf("panic from worker: %#v", err)
	}
	if _, err := pp.Submit("nosuch", 1).Result(); err == nil || !strings.Contains(err.Error(), `no function "nosuch"`) {
		t.Errorf("unknown function: %v", err)
	}
	if _, err := pp.Submit("square", "x").Result(); err == nil || !strings.Contains(err.Error(), "argument 1") {
		t.Errorf("bad argument: %v", err)
	}
	if _, err := pp.Submit("square", make(chan int)).Result(); err == nil || !strings.Contains(err.Error(), "cannot be sent") {
		t.Errorf("unencodable argument: %v", err)
	}
	if _, err := pp.Submit(func() {}).Result(); err == nil || !strings.Contains(err.Error(), "by name") {
		t.Errorf("unregistered func: %v", err)
	}
	// The same worker process served all of that.
	if v, err := pp.Submit("square", 3).Result(); v != 9 || err != nil {
		t.Errorf("after errors: %v %v", v, err)
	}
}

// lockedBuffer is a bytes.Buffer safe for concurrent use.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestProcessPoolCrashReplacesWorker(t *testing.T) {
	var stderr lockedBuffer
	futures.SetWorkerStderr(&stderr)
	defer futures.SetWorkerStderr(nil)
	pp := futures.NewProcessPool(1)
	defer pp.Shutdown(true, false)
	before, _ := pp.Submit("pid").Result()
	_, err := pp.Submit("crash", 3).Result()
	if !errors.Is(err, futures.ErrWorkerCrashed) {
		t.Fatalf("crash error: %v", err)
	}
	for _, want := range []string{"exit status 3", "crash(3)", "exiting on purpose"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("crash error lacks %q: %v", want, err)
		}
	}
	if !strings.Contains(stderr.String(), "exiting on purpose") {
		t.Errorf("worker stderr not forwarded: %q", stderr.String())
	}
	after, err := pp.Submit("pid").Result()
	if err != nil || after == before {
		t.Errorf("worker not replaced: before %v after %v (%v)", before, after, err)
	}
}

func TestProcessPoolShutdownAndTerminate(t *testing.T) {
	pp := futures.NewProcessPool(1)
	busy := pp.Submit("sleepMS", 100)
	queued := pp.Submit("sleepMS", 1)
	waitFor(t, busy.Running)
	pp.Shutdown(true, true)
	if v, err := busy.Result(); v != 100 || err != nil {
		t.Errorf("running task: %v %v", v, err)
	}
	if !queued.Cancelled() {
		t.Errorf("queued task: %v", queued)
	}
	if len(pp.PIDs()) != 0 {
		t.Errorf("processes left: %v", pp.PIDs())
	}
	if _, err := pp.Submit("square", 1).Result(); !errors.Is(err, futures.ErrShutdown) {
		t.Errorf("after shutdown: %v", err)
	}

	pp = futures.NewProcessPool(1)
	if err := pp.Start(); err != nil {
		t.Fatal(err)
	}
	pid := pp.PIDs()[0]
	long := pp.Submit("sleepMS", 10_000)
	waitFor(t, long.Running)
	start := time.Now()
	pp.Terminate()
	if _, err := long.Result(); !errors.Is(err, futures.ErrTerminated) {
		t.Errorf("terminated task: %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Error("Terminate waited for the task")
	}
	if p, err := os.FindProcess(pid); err == nil && p.Signal(syscall.Signal(0)) == nil {
		t.Errorf("worker pid %d still alive after Terminate", pid)
	}
	if len(pp.PIDs()) != 0 {
		t.Errorf("processes left after Terminate: %v", pp.PIDs())
	}
}

func TestProcessPoolWorkerCommand(t *testing.T) {
	// A worker that refuses the declarations.
	futures.SetWorkerCommand("sh", "-c", `read line; echo '{"ready": false, "error": "decls do not compile"}'`)
	defer futures.SetWorkerCommand("")
	pp := futures.NewProcessPool(1)
	defer pp.Shutdown(true, false)
	_, err := pp.Submit("square", 2).Result()
	if err == nil || !strings.Contains(err.Error(), "decls do not compile") {
		t.Errorf("not-ready worker: %v", err)
	}
	if err := pp.Start(); err == nil {
		t.Error("Start succeeded with a refusing worker")
	}

	// A worker that exits before it is ready.
	futures.SetWorkerCommand("sh", "-c", `echo not the protocol; exit 4`)
	pp1 := futures.NewProcessPool(1)
	defer pp1.Shutdown(true, false)
	_, err = pp1.Submit("square", 2).Result()
	for _, want := range []string{"failed to start", "exit status 4", "not the protocol"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("early exit: %v lacks %q", err, want)
		}
	}

	// A command that does not exist.
	futures.SetWorkerCommand("golit-no-such-command-xyz", "worker")
	pp2 := futures.NewProcessPool(1)
	defer pp2.Shutdown(true, false)
	if _, err := pp2.Submit("square", 2).Result(); err == nil || !strings.Contains(err.Error(), "cannot start") {
		t.Errorf("missing command: %v", err)
	}

	// The notebook source reaches the worker's first message: a shell
	// worker that echoes the decls back as the result of every call.
	futures.SetWorkerCommand("sh", "-c", `read line; echo '{"ready": true}'; while read call; do echo "{\"id\": 1, \"result\": $line}"; done`)
	futures.SetNotebookSource(func() string { return "func f() {}" })
	defer futures.SetNotebookSource(nil)
	pp3 := futures.NewProcessPool(1)
	defer pp3.Shutdown(true, false)
	v, err := pp3.Submit("anything").Result()
	if m, ok := v.(map[string]any); !ok || m["decls"] != "func f() {}" || err != nil {
		t.Errorf("decls round trip: %#v %v", v, err)
	}
}

func TestProcessPoolProtocolViolation(t *testing.T) {
	// A worker that answers with the wrong id is replaced.
	futures.SetWorkerCommand("sh", "-c", `read line; echo '{"ready": true}'; while read call; do echo '{"id": 999, "result": 1}'; done`)
	defer futures.SetWorkerCommand("")
	pp := futures.NewProcessPool(1)
	defer pp.Shutdown(true, false)
	_, err := pp.Submit("f").Result()
	if !errors.Is(err, futures.ErrWorkerCrashed) || !strings.Contains(err.Error(), "task 999") {
		t.Errorf("wrong id: %v", err)
	}
}

func TestServeWorkerDirect(t *testing.T) {
	// ServeWorker over in-memory pipes, as the golit worker subcommand uses it.
	in := strings.NewReader(`{"decls": "package x"}` + "\n" +
		`{"id": 1, "func": "add", "args": [2, 3]}` + "\n" +
		`{"id": 2, "func": "add", "args": [2]}` + "\n" +
		`{"id": 3, "func": "id", "args": [[1, "a", null]]}` + "\n" +
		`not json` + "\n")
	var out strings.Builder
	var gotDecls string
	err := futures.ServeWorker(in, &out, func(decls string) (func(string) (any, error), error) {
		gotDecls = decls
		return func(name string) (any, error) {
			switch name {
			case "add":
				return func(a, b int) int { return a + b }, nil
			case "id":
				return func(v any) any { return v }, nil
			}
			return nil, fmt.Errorf("no %s", name)
		}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"ready":true}
{"id":1,"result":5,"error":"","panic":""}
{"id":2,"result":null,"error":"futures worker: add: takes 2 argument(s), got 1","panic":""}
{"id":3,"result":[1,"a",null],"error":"","panic":""}
{"id":0,"result":null,"error":"futures worker: bad request: invalid character 'o' in literal null (expecting 'u')","panic":""}
`
	if out.String() != want || gotDecls != "package x" {
		t.Errorf("transcript:\n%s\nwant:\n%s", out.String(), want)
	}
	// load failing -> ready false
	out.Reset()
	err = futures.ServeWorker(strings.NewReader(`{"decls": "bad"}`+"\n"), &out, func(string) (func(string) (any, error), error) {
		return nil, io.ErrUnexpectedEOF
	})
	if err == nil || out.String() != `{"ready":false,"error":"unexpected EOF"}`+"\n" {
		t.Errorf("load error: %v %q", err, out.String())
	}
}

func TestProcessPoolRecorder(t *testing.T) {
	r := &rec{}
	pp := futures.NewProcessPool(2).WithRecorder(r)
	futures.Collect(pp.Map("square", 1, 2, 3, 4))
	pp.Shutdown(true, false)
	joined := strings.Join(r.items, ",")
	if !strings.Contains(joined, "start") || !strings.Contains(joined, "square(3)") {
		t.Errorf("labels %v", r.items)
	}
	n := 0
	for lane, c := range r.lanes {
		if !strings.HasPrefix(lane, "process ") {
			t.Errorf("lane %q", lane)
		}
		n += c
	}
	if n < 5 { // 4 tasks and at least one start
		t.Errorf("recorded %d intervals", n)
	}
}
