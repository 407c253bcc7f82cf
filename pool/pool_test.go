package pool_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/golit/golit/futures"
	"github.com/golit/golit/pool"
)

// peak tracks the largest number of tasks running at once.
type peak struct{ now, max atomic.Int32 }

func (p *peak) enter() {
	n := p.now.Add(1)
	for {
		m := p.max.Load()
		if n <= m || p.max.CompareAndSwap(m, n) {
			return
		}
	}
}

func (p *peak) leave() { p.now.Add(-1) }

func TestGroupLimitAndSuccess(t *testing.T) {
	var pk peak
	var done atomic.Int32
	g := pool.NewGroup(context.Background(), 3)
	for i := 0; i < 20; i++ {
		g.Go(func(ctx context.Context) error {
			pk.enter()
			defer pk.leave()
			time.Sleep(time.Millisecond)
			done.Add(1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if done.Load() != 20 {
		t.Errorf("%d tasks ran", done.Load())
	}
	if m := pk.max.Load(); m > 3 || m < 2 {
		t.Errorf("peak %d with limit 3", m)
	}
	if g.Context().Err() == nil {
		t.Error("context not cancelled after Wait")
	}
}

func TestRunFirstErrorCancelsRest(t *testing.T) {
	boom := errors.New("boom")
	var started, cancelled atomic.Int32
	tasks := []func(context.Context) error{
		func(ctx context.Context) error { started.Add(1); time.Sleep(5 * time.Millisecond); return boom },
	}
	for i := 0; i < 10; i++ {
		tasks = append(tasks, func(ctx context.Context) error {
			started.Add(1)
			select {
			case <-ctx.Done():
				cancelled.Add(1)
				if context.Cause(ctx) != boom {
					t.Errorf("cause %v", context.Cause(ctx))
				}
				return ctx.Err()
			case <-time.After(5 * time.Second):
				return nil
			}
		})
	}
	start := time.Now()
	err := pool.Run(context.Background(), 2, tasks...)
	if err != boom {
		t.Fatalf("Run returned %v", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Error("the other tasks were not cancelled")
	}
	// With limit 2, only the first task and one other had started; the rest
	// were skipped.
	if s := started.Load(); s != 2 || cancelled.Load() != 1 {
		t.Errorf("started %d cancelled %d", s, cancelled.Load())
	}
}

func TestRunAllCollects(t *testing.T) {
	var ran atomic.Int32
	mk := func(err error) func(context.Context) error {
		return func(context.Context) error { ran.Add(1); return err }
	}
	e1, e2 := errors.New("one"), errors.New("two")
	err := pool.RunAll(context.Background(), 2, mk(e1), mk(nil), mk(e2), mk(nil))
	if ran.Load() != 4 || !errors.Is(err, e1) || !errors.Is(err, e2) {
		t.Errorf("ran %d err %v", ran.Load(), err)
	}
	if err := pool.RunAll(context.Background(), pool.NoLimit, mk(nil), mk(nil)); err != nil {
		t.Errorf("no errors: %v", err)
	}
}

func TestPanicsBecomeErrors(t *testing.T) {
	err := pool.Run(context.Background(), 2, func(context.Context) error { panic("oops") })
	var pe *futures.PanicError
	if !errors.As(err, &pe) || pe.Value != "oops" || len(pe.Stack) == 0 {
		t.Fatalf("panic: %#v", err)
	}
	_, err = pool.MapAll(context.Background(), 2, []any{1, 2}, func(_ context.Context, x any) (any, error) {
		if x == 2 {
			panic(io.EOF)
		}
		return x, nil
	})
	var ie *pool.ItemError
	if !errors.As(err, &ie) || ie.Index != 1 || !errors.Is(err, io.EOF) || !errors.As(err, &pe) {
		t.Errorf("MapAll panic: %v", err)
	}
	for r := range pool.Stream(context.Background(), 1, []any{1}, func(context.Context, any) (any, error) { panic("s") }) {
		if !errors.As(r.Err, &pe) {
			t.Errorf("Stream panic: %v", r.Err)
		}
	}
}

func TestParentCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var ran atomic.Int32
	err := pool.Run(ctx, 1, func(context.Context) error { ran.Add(1); return nil })
	if !errors.Is(err, context.Canceled) || ran.Load() != 0 {
		t.Errorf("cancelled parent: err %v ran %d", err, ran.Load())
	}
	if err := pool.RunAll(ctx, 1, func(context.Context) error { ran.Add(1); return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("RunAll with cancelled parent: %v", err)
	}
	n := 0
	for r := range pool.Stream(ctx, 2, []any{1, 2, 3}, func(context.Context, any) (any, error) { ran.Add(1); return nil, nil }) {
		if !errors.Is(r.Err, context.Canceled) {
			t.Errorf("Stream item with cancelled ctx: %v", r.Err)
		}
		n++
	}
	if n != 3 || ran.Load() != 0 {
		t.Errorf("Stream with cancelled ctx: %d results, %d ran", n, ran.Load())
	}
}

func TestMapOrderAndFailFast(t *testing.T) {
	items := pool.Items([]int{30, 20, 10, 0})
	sleepy := func(ctx context.Context, x any) (any, error) {
		time.Sleep(time.Duration(x.(int)) * time.Millisecond)
		return x.(int) + 1, nil
	}
	out, err := pool.Map(context.Background(), pool.NoLimit, items, sleepy)
	if err != nil || fmt.Sprint(out) != "[31 21 11 1]" {
		t.Fatalf("Map: %v %v", out, err)
	}
	bad := errors.New("bad item")
	var ran atomic.Int32
	out, err = pool.Map(context.Background(), 1, pool.Items([]int{1, 2, 3, 4}), func(ctx context.Context, x any) (any, error) {
		ran.Add(1)
		if x == 2 {
			return nil, bad
		}
		return x, nil
	})
	if err != bad || ran.Load() != 2 || fmt.Sprint(out) != "[1 <nil> <nil> <nil>]" {
		t.Errorf("fail fast: %v %v ran %d", out, err, ran.Load())
	}
	out, err = pool.MapAll(context.Background(), 2, pool.Items([]int{1, 2, 3}), func(ctx context.Context, x any) (any, error) {
		if x == 2 {
			return nil, bad
		}
		return x, nil
	})
	if !errors.Is(err, bad) || fmt.Sprint(out) != "[1 <nil> 3]" || !strings.Contains(err.Error(), "item 1 (2): bad item") {
		t.Errorf("MapAll: %v %v", out, err)
	}
}

func TestStreamCompletionOrder(t *testing.T) {
	// "c" is delivered first, then "a", then "b": each task waits until the
	// reader has received the one before, so only Stream's own order counts.
	received := map[any]chan struct{}{"a": make(chan struct{}), "b": make(chan struct{}), "c": make(chan struct{})}
	after := map[any]any{"a": "c", "b": "a"}
	var got []any
	for r := range pool.Stream(context.Background(), 3, pool.Items([]string{"a", "b", "c"}), func(ctx context.Context, x any) (any, error) {
		if prev, ok := after[x]; ok {
			<-received[prev]
		}
		return x, nil
	}) {
		if []any{"a", "b", "c"}[r.Index] != r.Item || r.Value != r.Item {
			t.Errorf("result %+v", r)
		}
		got = append(got, r.Value)
		close(received[r.Item])
	}
	if fmt.Sprint(got) != "[c a b]" {
		t.Errorf("completion order %v", got)
	}
	var pk peak
	// Limited: never more than 2 at once, all items delivered once.
	var idx []int
	for r := range pool.Stream(context.Background(), 2, pool.Items(make([]int, 12)), func(context.Context, any) (any, error) {
		pk.enter()
		defer pk.leave()
		time.Sleep(time.Millisecond)
		return nil, nil
	}) {
		idx = append(idx, r.Index)
	}
	sort.Ints(idx)
	if len(idx) != 12 || idx[11] != 11 || pk.max.Load() > 2 {
		t.Errorf("indexes %v peak %d", idx, pk.max.Load())
	}
}

func TestStreamOrdered(t *testing.T) {
	items := pool.Items([]int{40, 0, 20, 10})
	var got []int
	for r := range pool.StreamOrdered(context.Background(), pool.NoLimit, items, func(ctx context.Context, x any) (any, error) {
		time.Sleep(time.Duration(x.(int)) * time.Millisecond)
		if x == 20 {
			return nil, errors.New("twenty")
		}
		return x, nil
	}) {
		got = append(got, r.Index)
		if (r.Index == 2) != (r.Err != nil) {
			t.Errorf("result %+v", r)
		}
	}
	if fmt.Sprint(got) != "[0 1 2 3]" {
		t.Errorf("order %v", got)
	}
}

type rec struct {
	mu    sync.Mutex
	lanes map[string]int
}

func (r *rec) Record(lane, label string, start, end time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.lanes == nil {
		r.lanes = map[string]int{}
	}
	r.lanes[lane]++
}

func TestGroupRecorder(t *testing.T) {
	r := &rec{}
	g := pool.NewGroup(context.Background(), 2).WithRecorder(r)
	for i := 0; i < 6; i++ {
		g.Go(func(context.Context) error { time.Sleep(2 * time.Millisecond); return nil })
	}
	g.Wait()
	total := 0
	for lane, n := range r.lanes {
		if lane != "worker 1" && lane != "worker 2" {
			t.Errorf("lane %q", lane)
		}
		total += n
	}
	if total != 6 {
		t.Errorf("recorded %d", total)
	}
}

// A limit below 1 would let no task run: every helper says so, and runs nothing.
func TestLimitBelowOneIsAnError(t *testing.T) {
	var ran atomic.Int32
	task := func(context.Context) error { ran.Add(1); return nil }
	fn := func(context.Context, any) (any, error) { ran.Add(1); return nil, nil }
	for _, limit := range []int{0, -3} {
		want := fmt.Sprintf("a limit of %d tasks at once lets no task run", limit)
		check := func(what string, err error) {
			t.Helper()
			if err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf("%s(limit %d): %v, want an error saying %q", what, limit, err, want)
			}
		}
		check("Run", pool.Run(context.Background(), limit, task))
		check("RunAll", pool.RunAll(context.Background(), limit, task))
		_, err := pool.Map(context.Background(), limit, pool.Items([]int{1, 2}), fn)
		check("Map", err)
		_, err = pool.MapAll(context.Background(), limit, pool.Items([]int{1, 2}), fn)
		check("MapAll", err)
		n := 0
		for r := range pool.Stream(context.Background(), limit, pool.Items([]int{1, 2, 3}), fn) {
			check("Stream", r.Err)
			n++
		}
		for r := range pool.StreamOrdered(context.Background(), limit, pool.Items([]int{1, 2, 3}), fn) {
			check("StreamOrdered", r.Err)
			n++
		}
		if n != 6 {
			t.Errorf("limit %d: %d results from the streams, want one per item (6)", limit, n)
		}
		func() {
			defer func() {
				if p := recover(); p == nil || !strings.Contains(fmt.Sprint(p), want) {
					t.Errorf("NewGroup(limit %d) panicked with %v, want a message saying %q", limit, p, want)
				}
			}()
			pool.NewGroup(context.Background(), limit)
		}()
	}
	if ran.Load() != 0 {
		t.Errorf("%d tasks ran with a limit below 1", ran.Load())
	}
}
