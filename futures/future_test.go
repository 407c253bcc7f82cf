package futures_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golit/golit/chart"
	"github.com/golit/golit/futures"
)

// gate is a task that blocks until released, to hold a worker busy.
type gate chan struct{}

func (g gate) task() (any, error) { <-g; return "opened", nil }

func TestSubmitResultAndStates(t *testing.T) {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)
	g := make(gate)
	busy := ex.Submit(g.task)
	queued := ex.Submit(func() (any, error) { return 42, nil })
	waitFor(t, busy.Running)
	if got := busy.String(); got != "<Future state=running>" {
		t.Errorf("running future prints %q", got)
	}
	if got := queued.String(); got != "<Future state=pending>" {
		t.Errorf("queued future prints %q", got)
	}
	if queued.Done() || queued.Running() || queued.Err() != nil {
		t.Errorf("queued future: done=%v running=%v err=%v", queued.Done(), queued.Running(), queued.Err())
	}
	if _, err := queued.ResultTimeout(10 * time.Millisecond); !errors.Is(err, futures.ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ResultTimeout on a pending future: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := queued.ResultContext(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("ResultContext with a cancelled context: %v", err)
	}
	close(g)
	v, err := queued.Result()
	if v != 42 || err != nil {
		t.Fatalf("Result = %v, %v; want 42, nil", v, err)
	}
	if got := queued.String(); got != "<Future state=finished returned int>" {
		t.Errorf("finished future prints %q", got)
	}
	if v, _ := busy.Result(); v != "opened" {
		t.Errorf("busy result %v", v)
	}
	if !queued.Done() || queued.Running() || queued.Cancelled() || queued.State() != "finished" {
		t.Errorf("finished future: done=%v running=%v cancelled=%v", queued.Done(), queued.Running(), queued.Cancelled())
	}
	select {
	case <-queued.Finished():
	default:
		t.Error("Finished channel not closed")
	}
}

func TestErrorAndString(t *testing.T) {
	ex := futures.NewGoroutinePool(2)
	defer ex.Shutdown(true, false)
	f := ex.Submit(func() (any, error) { return nil, io.ErrUnexpectedEOF })
	if err := f.Exception(); err != io.ErrUnexpectedEOF {
		t.Fatalf("Exception() = %v", err)
	}
	if f.Err() != io.ErrUnexpectedEOF {
		t.Fatalf("Err() = %v", f.Err())
	}
	if got := f.String(); got != "<Future state=finished raised *errors.errorString>" {
		t.Errorf("failed future prints %q", got)
	}
}

func TestCancelOnlyWhilePending(t *testing.T) {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)
	g := make(gate)
	busy := ex.Submit(g.task)
	var ran atomic.Bool
	queued := ex.Submit(func() (any, error) { ran.Store(true); return nil, nil })
	waitFor(t, busy.Running)
	if busy.Cancel() {
		t.Error("Cancel succeeded on a running future")
	}
	var calls []string
	queued.AddDoneCallback(func(f *futures.Future) { calls = append(calls, "cb:"+f.State()) })
	if !queued.Cancel() || !queued.Cancel() {
		t.Error("Cancel of a pending future returned false")
	}
	if !queued.Cancelled() || !queued.Done() {
		t.Error("cancelled future not Cancelled/Done")
	}
	if _, err := queued.Result(); !errors.Is(err, futures.ErrCancelled) {
		t.Errorf("Result of cancelled future: %v", err)
	}
	if queued.String() != "<Future state=cancelled>" {
		t.Errorf("cancelled prints %q", queued.String())
	}
	close(g)
	busy.Result()
	ex.Shutdown(true, false)
	if ran.Load() {
		t.Error("a cancelled task ran")
	}
	if len(calls) != 1 || calls[0] != "cb:cancelled" {
		t.Errorf("callbacks: %v", calls)
	}
	if busy.Cancel() {
		t.Error("Cancel succeeded on a finished future")
	}
}

func TestPanicBecomesError(t *testing.T) {
	ex := futures.NewGoroutinePool(2)
	defer ex.Shutdown(true, false)
	f := ex.Submit(func() (any, error) {
		var m map[string]int
		m["x"] = 1 // nil map write: a runtime panic
		return nil, nil
	})
	_, err := f.Result()
	var pe *futures.PanicError
	if !errors.As(err, &pe) {
		t.Fatalf("error %T %v is not a *PanicError", err, err)
	}
	if !strings.Contains(err.Error(), "assignment to entry in nil map") {
		t.Errorf("message %q", err.Error())
	}
	if !strings.Contains(string(pe.Stack), "future_test.go") {
		t.Errorf("stack does not show the panicking function:\n%s", pe.Stack)
	}
	if full := fmt.Sprintf("%+v", err); !strings.Contains(full, "goroutine") {
		t.Errorf("%%+v has no stack: %q", full)
	}
	// A panic with an error value unwraps to it.
	f = ex.Submit(func() (any, error) { panic(io.EOF) })
	if _, err := f.Result(); !errors.Is(err, io.EOF) {
		t.Errorf("panic(io.EOF) does not unwrap: %v", err)
	}
	// The pool survives: later tasks still run.
	if v, err := ex.Submit(func() (any, error) { return "ok", nil }).Result(); v != "ok" || err != nil {
		t.Errorf("after panics: %v %v", v, err)
	}
}

func TestGoexitFailsTaskAndPoolSurvives(t *testing.T) {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)
	f := ex.Submit(func() (any, error) { runtime.Goexit(); return nil, nil })
	if _, err := f.Result(); err == nil || !strings.Contains(err.Error(), "Goexit") {
		t.Fatalf("Goexit task error: %v", err)
	}
	if v, err := ex.Submit(func() (any, error) { return 1, nil }).Result(); v != 1 || err != nil {
		t.Errorf("after Goexit: %v %v", v, err)
	}
}

func TestSubmitAnyFuncShape(t *testing.T) {
	ex := futures.NewGoroutinePool(2)
	defer ex.Shutdown(true, false)
	cases := []struct {
		fn   any
		args []any
		want any
		err  string
	}{
		{isPrime, []any{97}, true, ""},                            // int converts to int64
		{func(a, b int) int { return a + b }, []any{2, 3}, 5, ""}, // two arguments
		{func(xs ...string) int { return len(xs) }, []any{"a", "b"}, 2, ""},
		{func() {}, nil, nil, ""},
		{func() error { return io.EOF }, nil, nil, "EOF"},
		{fail, []any{"bad"}, 0, "bad"},
		{square, []any{"seven"}, nil, "cannot use seven (string) as int"},
		{square, nil, nil, "takes 1 argument(s), got 0"},
		{42, nil, nil, "must be a function"},
		{func() (int, int) { return 1, 2 }, nil, nil, "(T, error)"},
	}
	for i, c := range cases {
		v, err := ex.Submit(c.fn, c.args...).Result()
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) {
				t.Errorf("case %d: error %v, want containing %q", i, err, c.err)
			}
			continue
		}
		if err != nil || v != c.want {
			t.Errorf("case %d: got %v, %v; want %v", i, v, err, c.want)
		}
	}
}

func TestMapOrderAndErrors(t *testing.T) {
	ex := futures.NewGoroutinePool(4)
	defer ex.Shutdown(true, false)
	// Later items finish first; results still come in input order.
	ms := []int{40, 30, 20, 10, 0}
	res := ex.Map(func(x any) (any, error) {
		n := x.(int)
		time.Sleep(time.Duration(n) * time.Millisecond)
		if n == 20 {
			return nil, fmt.Errorf("item %d failed", n)
		}
		return n * 2, nil
	}, futures.Items(ms)...)
	i := 0
	for r := range res {
		if r.Index != i {
			t.Fatalf("result %d has index %d", i, r.Index)
		}
		if ms[i] == 20 {
			if r.Err == nil || r.Err.Error() != "item 20 failed" {
				t.Errorf("item 20: %v", r.Err)
			}
		} else if r.Err != nil || r.Value != ms[i]*2 {
			t.Errorf("item %d: %v %v", i, r.Value, r.Err)
		}
		i++
	}
	if i != len(ms) {
		t.Fatalf("got %d results", i)
	}
	vals, err := futures.Collect(ex.Map(square, 1, 2, 3))
	if err != nil || fmt.Sprint(vals) != "[1 4 9]" {
		t.Errorf("Collect: %v %v", vals, err)
	}
	_, err = futures.Collect(ex.Map("not a func", 1))
	if err == nil {
		t.Error("Map with a non-function gave no error")
	}
}

func TestMapIsLazyAndConcurrent(t *testing.T) {
	ex := futures.NewGoroutinePool(3)
	defer ex.Shutdown(true, false)
	// Item 0 finishes only after items 1 and 2 have: possible only if they
	// run at the same time; still, results come in input order.
	var others sync.WaitGroup
	others.Add(2)
	othersDone := make(chan struct{})
	go func() { others.Wait(); close(othersDone) }()
	fn := func(x any) (any, error) {
		if x == 0 {
			select {
			case <-othersDone:
			case <-time.After(5 * time.Second):
				return nil, errors.New("items did not run concurrently")
			}
		} else {
			defer others.Done()
		}
		return x, nil
	}
	var got []any
	for r := range ex.Map(fn, 0, 1, 2) {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		got = append(got, r.Value)
	}
	if fmt.Sprint(got) != "[0 1 2]" {
		t.Errorf("order %v", got)
	}
}

func TestBoundedConcurrency(t *testing.T) {
	const n = 3
	ex := futures.NewGoroutinePool(n)
	var running, peak atomic.Int32
	var fs []*futures.Future
	for i := 0; i < 30; i++ {
		fs = append(fs, ex.Submit(func() (any, error) {
			r := running.Add(1)
			for {
				p := peak.Load()
				if r <= p || peak.CompareAndSwap(p, r) {
					break
				}
			}
			time.Sleep(2 * time.Millisecond)
			running.Add(-1)
			return nil, nil
		}))
	}
	ex.Shutdown(true, false)
	for _, f := range fs {
		if !f.Done() {
			t.Fatal("Shutdown(wait) returned before a task finished")
		}
	}
	if p := peak.Load(); p > n || p < 2 {
		t.Errorf("peak concurrency %d with %d workers", p, n)
	}
	if ex.Workers() != n {
		t.Errorf("Workers() = %d", ex.Workers())
	}
}

func TestShutdown(t *testing.T) {
	ex := futures.NewGoroutinePool(1)
	g := make(gate)
	busy := ex.Submit(g.task)
	waitFor(t, busy.Running)
	queued := []*futures.Future{ex.Submit(square, 2), ex.Submit(square, 3)}
	if ex.Pending() != 2 {
		t.Errorf("Pending() = %d", ex.Pending())
	}
	go func() { time.Sleep(20 * time.Millisecond); close(g) }()
	ex.Shutdown(true, true)
	if v, err := busy.Result(); v != "opened" || err != nil {
		t.Errorf("running task after shutdown: %v %v", v, err)
	}
	for _, f := range queued {
		if !f.Cancelled() {
			t.Errorf("queued task not cancelled: %v", f)
		}
	}
	if _, err := ex.Submit(square, 1).Result(); !errors.Is(err, futures.ErrShutdown) {
		t.Errorf("Submit after Shutdown: %v", err)
	}

	// Without cancelFutures the queued tasks still run.
	ex = futures.NewGoroutinePool(1)
	var fs []*futures.Future
	for i := 0; i < 5; i++ {
		fs = append(fs, ex.Submit(sleepMS, 2))
	}
	ex.Shutdown(true, false)
	for _, f := range fs {
		if v, err := f.Result(); v != 2 || err != nil {
			t.Errorf("task after Shutdown(true,false): %v %v", v, err)
		}
	}
}

func TestCallbacks(t *testing.T) {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)
	var mu sync.Mutex
	var order []int
	done := make(chan struct{})
	g := make(gate)
	f := ex.Submit(g.task)
	for i := 1; i <= 3; i++ {
		f.AddDoneCallback(func(*futures.Future) {
			mu.Lock()
			order = append(order, i)
			mu.Unlock()
			if i == 3 {
				close(done)
			}
		})
	}
	f.AddDoneCallback(func(*futures.Future) { panic("a bad callback") }) // reported, not fatal
	close(g)
	<-done
	f.Result()
	called := false
	f.AddDoneCallback(func(*futures.Future) { called = true }) // already done: runs now
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(order) != "[1 2 3]" || !called {
		t.Errorf("callback order %v, late callback called %v", order, called)
	}
}

func TestAsCompleted(t *testing.T) {
	// One worker: tasks finish in submission order, a, b, c, and each is
	// delivered (by its done callback) before the next one starts.
	one := futures.NewGoroutinePool(1)
	defer one.Shutdown(true, false)
	g := make(gate)
	a := one.Submit(func() (any, error) { <-g; return "a", nil })
	b := one.Submit(func() (any, error) { return "b", nil })
	c := one.Submit(func() (any, error) { return "c", nil })
	ch := futures.AsCompleted([]*futures.Future{c, b, a}, 0) // all pending now
	close(g)
	var got []any
	for f := range ch {
		if !f.Done() {
			t.Fatal("AsCompleted delivered a future that is not done")
		}
		v, _ := f.Result()
		got = append(got, v)
	}
	// Already done: delivered in the order they finished, not input order.
	for f := range futures.AsCompleted([]*futures.Future{c, a, b}, 0) {
		v, _ := f.Result()
		got = append(got, v)
	}
	if fmt.Sprint(got) != "[a b c a b c]" {
		t.Errorf("completion order %v", got)
	}

	ex := futures.NewGoroutinePool(3)
	defer ex.Shutdown(true, false)
	// Timeout: the blocked one is not delivered and the channel closes.
	slow := make(gate)
	defer close(slow)
	fs := []*futures.Future{ex.Submit(square, 3), ex.Submit(slow.task), ex.Submit(square, 4)}
	n := 0
	start := time.Now()
	for range futures.AsCompleted(append(fs, fs[0]), 500*time.Millisecond) {
		n++
	}
	if n != 2 || time.Since(start) < 400*time.Millisecond {
		t.Errorf("with timeout got %d futures after %v", n, time.Since(start))
	}
	if n := len(futures.AsCompleted(nil, 0)); n != 0 {
		t.Error("AsCompleted(nil) delivered something")
	}
}

func TestWait(t *testing.T) {
	ex := futures.NewGoroutinePool(4)
	defer ex.Shutdown(true, false)
	g := make(gate)
	slow := ex.Submit(g.task)
	fast := ex.Submit(sleepMS, 5)
	done, notDone := futures.Wait([]*futures.Future{slow, fast}, 0, futures.FirstCompleted)
	if len(done) != 1 || done[0] != fast || len(notDone) != 1 || notDone[0] != slow {
		t.Errorf("FirstCompleted: done %v notDone %v", done, notDone)
	}
	// FirstException returns on the error although slow still runs.
	bad := ex.Submit(fail, "x")
	done, notDone = futures.Wait([]*futures.Future{slow, bad, fast}, 0, futures.FirstException)
	if len(done) != 2 || len(notDone) != 1 {
		t.Errorf("FirstException: done %v notDone %v", done, notDone)
	}
	// Timeout.
	start := time.Now()
	done, notDone = futures.Wait([]*futures.Future{slow, fast}, 30*time.Millisecond, futures.AllCompleted)
	if len(done) != 1 || len(notDone) != 1 || time.Since(start) < 25*time.Millisecond {
		t.Errorf("AllCompleted with timeout: done %v notDone %v", done, notDone)
	}
	close(g)
	done, notDone = futures.Wait([]*futures.Future{slow, fast, bad}, 0, futures.AllCompleted)
	if len(done) != 3 || len(notDone) != 0 {
		t.Errorf("AllCompleted: done %v notDone %v", done, notDone)
	}
	if d, n := futures.Wait(nil, 0, futures.AllCompleted); d != nil || n != nil {
		t.Error("Wait(nil) returned futures")
	}
	if futures.FirstException.String() != "FIRST_EXCEPTION" {
		t.Error(futures.FirstException.String())
	}
}

type rec struct {
	mu    sync.Mutex
	lanes map[string]int
	items []string
}

func (r *rec) Record(lane, label string, start, end time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lanes == nil {
		r.lanes = map[string]int{}
	}
	if end.Before(start) {
		panic("end before start")
	}
	r.lanes[lane]++
	r.items = append(r.items, label)
}

func TestRecorder(t *testing.T) {
	r := &rec{}
	ex := futures.NewGoroutinePool(2).WithRecorder(r)
	futures.Collect(ex.Map(sleepMS, 5, 5, 5, 5))
	ex.Submit(square, 1).Result()
	ex.Shutdown(true, false)
	if len(r.lanes) != 2 || r.lanes["worker 1"]+r.lanes["worker 2"] != 5 {
		t.Errorf("lanes %v", r.lanes)
	}
	if !strings.Contains(strings.Join(r.items, ","), "task 5") {
		t.Errorf("labels %v", r.items)
	}
}

func TestDecodeAndItems(t *testing.T) {
	var p struct{ X, Y int }
	if err := futures.Decode(map[string]any{"X": 1, "Y": 2}, &p); err != nil || p.X != 1 || p.Y != 2 {
		t.Errorf("Decode: %v %+v", err, p)
	}
	if err := futures.Decode("text", &p); err == nil {
		t.Error("Decode of a string into a struct gave no error")
	}
	if got := futures.Items([]string{"a", "b"}); len(got) != 2 || got[1] != "b" {
		t.Errorf("Items: %v", got)
	}
	if got := futures.Items(7); len(got) != 1 || got[0] != 7 {
		t.Errorf("Items(7): %v", got)
	}
	if futures.Items(nil) != nil {
		t.Error("Items(nil) not nil")
	}
}

// waitFor polls cond for up to 5 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// chart.Timeline is the recorder the notebooks pass to WithRecorder.
var _ futures.Recorder = (*chart.Timeline)(nil)

// A pool of fewer than one worker would queue tasks forever: the
// constructors refuse it with a message that names the way out.
func TestPoolOfNoWorkersPanicsWithAReason(t *testing.T) {
	cases := []struct {
		name string
		make func(int)
		hint string
	}{
		{"NewGoroutinePool", func(n int) { futures.NewGoroutinePool(n) }, "runtime.GOMAXPROCS(0)"},
		{"NewThreadPool", func(n int) { futures.NewThreadPool(n) }, "runtime.GOMAXPROCS(0)"},
		{"NewProcessPool", func(n int) { futures.NewProcessPool(n) }, "runtime.NumCPU()"},
	}
	for _, c := range cases {
		for _, n := range []int{0, -1} {
			func() {
				defer func() {
					p := fmt.Sprint(recover())
					if !strings.Contains(p, "needs at least 1 worker") || !strings.Contains(p, c.hint) || !strings.Contains(p, fmt.Sprintf("%s(%d)", c.name, n)) {
						t.Errorf("%s(%d) panicked with %q", c.name, n, p)
					}
				}()
				c.make(n)
			}()
		}
	}
}

// TestAsCompletedFinishOrder starts AsCompleted while futures are finishing,
// so that some finish between its look at which are done and its
// registration on the others. Every round must deliver in finish order
// (FinishSeq increasing), whatever the input order.
func TestAsCompletedFinishOrder(t *testing.T) {
	ex := futures.NewGoroutinePool(4)
	defer ex.Shutdown(true, false)
	for round := 0; round < 300; round++ {
		fs := make([]*futures.Future, 24)
		for i := range fs {
			spin := (len(fs) - i) * 200
			fs[len(fs)-1-i] = ex.Submit(func() (any, error) {
				x := 0
				for j := 0; j < spin; j++ {
					x += j
				}
				return x, nil
			})
		}
		var prev uint64
		n := 0
		for f := range futures.AsCompleted(fs, 0) {
			seq := futures.FinishSeq(f)
			if seq <= prev {
				t.Fatalf("round %d: future %d delivered with finish seq %d after %d", round, n, seq, prev)
			}
			prev = seq
			n++
		}
		if n != len(fs) {
			t.Fatalf("round %d: %d futures delivered, want %d", round, n, len(fs))
		}
	}
}
