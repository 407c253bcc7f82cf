package eventloop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

// A plain int shared by tasks without locks is race-free only if tasks
// really run one at a time: the race detector checks the claim.
func TestOneTaskAtATime(t *testing.T) {
	shared := 0
	running := 0
	maxRunning := 0
	_, err := Run(func(l *Loop) (any, error) {
		var ts []*Task
		for i := 0; i < 50; i++ {
			ts = append(ts, l.CreateTask(func() (any, error) {
				for j := 0; j < 20; j++ {
					running++
					if running > maxRunning {
						maxRunning = running
					}
					shared++
					running--
					if err := l.Sleep(0); err != nil {
						return nil, err
					}
				}
				return nil, nil
			}))
		}
		_, err := l.Gather(ts...)
		return nil, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if shared != 1000 || maxRunning != 1 {
		t.Fatalf("shared=%d maxRunning=%d, want 1000 and 1", shared, maxRunning)
	}
}

func TestFIFOOrderAndRoundRobin(t *testing.T) {
	var got []string
	_, err := Run(func(l *Loop) (any, error) {
		var ts []*Task
		for _, name := range []string{"a", "b", "c"} {
			ts = append(ts, l.CreateTask(func() (any, error) {
				for i := 0; i < 2; i++ {
					got = append(got, fmt.Sprint(name, i))
					l.Sleep(0)
				}
				return name, nil
			}))
		}
		res, err := l.Gather(ts...)
		if fmt.Sprint(res) != "[a b c]" {
			return nil, fmt.Errorf("results %v", res)
		}
		return nil, err
	})
	if err != nil {
		t.Fatal(err)
	}
	if s := strings.Join(got, " "); s != "a0 b0 c0 a1 b1 c1" {
		t.Fatalf("order %q", s)
	}
}

// The countdown lab: the run takes about the longest task, not the sum.
func TestCountdownOverlaps(t *testing.T) {
	start := time.Now()
	_, err := Run(func(l *Loop) (any, error) {
		var ts []*Task
		for _, d := range []int{70, 200, 30, 100} {
			ts = append(ts, l.CreateTask(func() (any, error) {
				for i := 0; i < 3; i++ {
					if err := l.Sleep(ms(d)); err != nil {
						return nil, err
					}
				}
				return d, nil
			}))
		}
		return l.Gather(ts...)
	})
	el := time.Since(start)
	if err != nil {
		t.Fatal(err)
	}
	if el < ms(600) || el > ms(1100) {
		t.Fatalf("took %v, want about 600ms (the sum would be 1200ms)", el)
	}
}

// A task that blocks without awaiting stalls the others: the spinner lesson.
func TestBlockingTaskStallsOthers(t *testing.T) {
	var ticks []time.Time
	_, err := Run(func(l *Loop) (any, error) {
		spin := l.Go(func() {
			for {
				ticks = append(ticks, time.Now())
				if l.Sleep(ms(5)) != nil {
					return
				}
			}
		})
		l.Sleep(ms(30))
		time.Sleep(ms(150)) // blocks the loop, as time.sleep does in asyncio
		l.Sleep(ms(30))
		spin.Cancel()
		_, err := l.Await(spin)
		if !errors.Is(err, ErrCancelled) || !spin.Cancelled() {
			return nil, fmt.Errorf("spinner: err=%v cancelled=%v", err, spin.Cancelled())
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var maxGap time.Duration
	for i := 1; i < len(ticks); i++ {
		if g := ticks[i].Sub(ticks[i-1]); g > maxGap {
			maxGap = g
		}
	}
	if maxGap < ms(140) {
		t.Fatalf("largest gap between spinner ticks %v; the blocking sleep should freeze it for 150ms", maxGap)
	}
}

func TestCancelSleepingTask(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		started := false
		task := l.CreateTaskNamed("sleeper", func() (any, error) {
			started = true
			if err := l.Sleep(time.Hour); err != nil {
				return nil, err
			}
			return "woke", nil
		})
		l.Sleep(ms(10))
		if !started {
			return nil, errors.New("task did not start")
		}
		if !task.Cancel() {
			return nil, errors.New("Cancel returned false")
		}
		v, err := l.Await(task)
		if v != nil || err != ErrCancelled || !task.Cancelled() {
			return nil, fmt.Errorf("v=%v err=%v cancelled=%v", v, err, task.Cancelled())
		}
		if task.Cancel() {
			return nil, errors.New("Cancel of a finished task returned true")
		}
		if !strings.Contains(task.String(), "cancelled") {
			return nil, fmt.Errorf("String %q", task.String())
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCancelBeforeStartNeverRuns(t *testing.T) {
	ran := false
	_, err := Run(func(l *Loop) (any, error) {
		task := l.CreateTask(func() (any, error) { ran = true; return nil, nil })
		task.Cancel()
		_, err := l.Await(task)
		if err != ErrCancelled {
			return nil, fmt.Errorf("err=%v", err)
		}
		return nil, nil
	})
	if err != nil || ran {
		t.Fatalf("err=%v ran=%v", err, ran)
	}
}

func TestCancelCaughtIsNotCancelled(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		task := l.CreateTask(func() (any, error) {
			if err := l.Sleep(time.Hour); err != nil {
				return "cleaned up", nil
			}
			return nil, nil
		})
		l.Sleep(0)
		task.Cancel()
		v, err := l.Await(task)
		if v != "cleaned up" || err != nil || task.Cancelled() {
			return nil, fmt.Errorf("v=%v err=%v cancelled=%v", v, err, task.Cancelled())
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// Cancelling a running task takes effect at its next await point.
func TestCancelRunningTaskAtNextAwait(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		var self *Task
		self = l.CreateTask(func() (any, error) {
			self.Cancel() // running: nothing happens until the next await
			x := 1 + 1
			if err := l.Sleep(time.Hour); err != nil {
				return x, err
			}
			return nil, nil
		})
		v, err := l.Await(self)
		if v != 2 || err != ErrCancelled {
			return nil, fmt.Errorf("v=%v err=%v", v, err)
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPanicBecomesTaskError(t *testing.T) {
	v, err := Run(func(l *Loop) (any, error) {
		bad := l.CreateTaskNamed("bad", func() (any, error) {
			var m map[string]int
			m["x"] = 1 // panics
			return nil, nil
		})
		good := l.CreateTask(func() (any, error) { l.Sleep(ms(5)); return 7, nil })
		rs, err := l.GatherAll(bad, good)
		if err != nil {
			return nil, err
		}
		var pe *PanicError
		if !errors.As(rs[0].Err, &pe) || pe.Task != "bad" || !strings.Contains(pe.Stack, "TestPanicBecomesTaskError") {
			return nil, fmt.Errorf("bad: %#v", rs[0].Err)
		}
		if rs[1].Value != 7 {
			return nil, fmt.Errorf("good: %v", rs[1])
		}
		return "ok", nil
	})
	if v != "ok" || err != nil {
		t.Fatal(v, err)
	}
	// A panic in main is Run's error.
	_, err = Run(func(l *Loop) (any, error) { panic("boom") })
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("err=%v", err)
	}
}

func TestGatherFirstErrorAndCancelPropagation(t *testing.T) {
	boom := errors.New("boom")
	_, err := Run(func(l *Loop) (any, error) {
		slow := l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		fail := l.CreateTask(func() (any, error) { l.Sleep(ms(10)); return nil, boom })
		ok := l.CreateTask(func() (any, error) { return 1, nil })
		start := time.Now()
		res, err := l.Gather(slow, fail, ok)
		if err != boom || time.Since(start) > ms(500) || res[2] != 1 {
			return nil, fmt.Errorf("res=%v err=%v", res, err)
		}
		if slow.Done() {
			return nil, errors.New("Gather must not cancel the others on error")
		}
		// Cancelling a gathering task cancels what it gathers.
		g := l.CreateTask(func() (any, error) { return l.Gather(slow) })
		l.Sleep(0)
		g.Cancel()
		_, err = l.Await(g)
		if err != ErrCancelled || !slow.Cancelled() {
			return nil, fmt.Errorf("g err=%v slow cancelled=%v", err, slow.Cancelled())
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestWaitForAndTimeout(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		inner := l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		start := time.Now()
		_, err := l.WaitFor(inner, ms(30))
		if err != ErrTimeout || !inner.Cancelled() {
			return nil, fmt.Errorf("err=%v inner=%v", err, inner)
		}
		if el := time.Since(start); el < ms(30) || el > ms(500) {
			return nil, fmt.Errorf("WaitFor took %v", el)
		}
		quick := l.CreateTask(func() (any, error) { l.Sleep(ms(5)); return "q", nil })
		if v, err := l.WaitFor(quick, time.Second); v != "q" || err != nil {
			return nil, fmt.Errorf("quick: %v %v", v, err)
		}
		v, err := l.Timeout(ms(20), func() (any, error) {
			return nil, l.Sleep(time.Hour)
		})
		if v != nil || err != ErrTimeout {
			return nil, fmt.Errorf("Timeout: %v %v", v, err)
		}
		// After a timeout the task is usable again.
		if err := l.Sleep(ms(1)); err != nil {
			return nil, fmt.Errorf("sleep after Timeout: %v", err)
		}
		v, err = l.Timeout(time.Second, func() (any, error) { l.Sleep(ms(1)); return 5, nil })
		if v != 5 || err != nil {
			return nil, fmt.Errorf("Timeout ok: %v %v", v, err)
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestAsCompletedOrder(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		var ts []*Task
		for _, d := range []int{60, 20, 40} {
			ts = append(ts, l.CreateTask(func() (any, error) { l.Sleep(ms(d)); return d, nil }))
		}
		var got []any
		it := l.AsCompleted(ts...)
		for it.Next() {
			v, err := it.Result()
			if err != nil {
				return nil, err
			}
			got = append(got, v)
		}
		if fmt.Sprint(got) != "[20 40 60]" || it.Err() != nil {
			return nil, fmt.Errorf("got %v err %v", got, it.Err())
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSemaphoreLimits(t *testing.T) {
	inside, maxInside := 0, 0
	_, err := Run(func(l *Loop) (any, error) {
		sem := l.NewSemaphore(3)
		var ts []*Task
		for i := 0; i < 20; i++ {
			ts = append(ts, l.CreateTask(func() (any, error) {
				return sem.With(func() (any, error) {
					inside++
					maxInside = max(maxInside, inside)
					err := l.Sleep(ms(2))
					inside--
					return i, err
				})
			}))
		}
		_, err := l.Gather(ts...)
		return nil, err
	})
	if err != nil || maxInside != 3 {
		t.Fatalf("err=%v maxInside=%d", err, maxInside)
	}
}

func TestQueueProducerConsumer(t *testing.T) {
	v, err := Run(func(l *Loop) (any, error) {
		q := l.NewQueue(2)
		var got []any
		cons := l.CreateTask(func() (any, error) {
			for {
				v, err := q.Get()
				if err != nil {
					return nil, err
				}
				got = append(got, v)
				q.TaskDone()
			}
		})
		for i := 0; i < 10; i++ {
			if err := q.Put(i); err != nil {
				return nil, err
			}
			if q.Len() > 2 {
				return nil, errors.New("bounded queue overflowed")
			}
		}
		if err := q.Join(); err != nil {
			return nil, err
		}
		cons.Cancel()
		if err := q.PutNowait(1); err != nil {
			return nil, err
		}
		q.PutNowait(2)
		if err := q.PutNowait(3); err != ErrQueueFull {
			return nil, fmt.Errorf("PutNowait on full: %v", err)
		}
		return fmt.Sprint(got), nil
	})
	if err != nil || v != "[0 1 2 3 4 5 6 7 8 9]" {
		t.Fatalf("v=%v err=%v", v, err)
	}
}

func TestTaskGroupFailureCancelsSiblings(t *testing.T) {
	boom := errors.New("boom")
	var sibling *Task
	_, err := Run(func(l *Loop) (any, error) {
		bodyErr := errors.New("unset")
		err := l.TaskGroup(func(g *TaskGroup) error {
			sibling = g.CreateTaskNamed("sibling", func() (any, error) { return nil, l.Sleep(time.Hour) })
			g.Go(func() error { l.Sleep(ms(10)); return boom })
			bodyErr = l.Sleep(time.Hour) // cancelled by the group
			return bodyErr
		})
		if !errors.Is(err, boom) || bodyErr != ErrCancelled || !sibling.Cancelled() {
			return nil, fmt.Errorf("err=%v body=%v sibling=%v", err, bodyErr, sibling)
		}
		// The task is not left cancelled.
		if err := l.Sleep(ms(1)); err != nil {
			return nil, fmt.Errorf("after group: %v", err)
		}
		// A group where all succeed waits for every task.
		n := 0
		err = l.TaskGroup(func(g *TaskGroup) error {
			for i := 0; i < 5; i++ {
				g.Go(func() error { l.Sleep(ms(i)); n++; return nil })
			}
			return nil
		})
		if err != nil || n != 5 {
			return nil, fmt.Errorf("err=%v n=%d", err, n)
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestToThreadDoesNotBlockTheLoop(t *testing.T) {
	ticks := 0
	_, err := Run(func(l *Loop) (any, error) {
		spin := l.Go(func() {
			for l.Sleep(ms(5)) == nil {
				ticks++
			}
		})
		v, err := l.ToThread(func() (any, error) { time.Sleep(ms(100)); return "done", nil })
		spin.Cancel()
		if v != "done" || err != nil {
			return nil, fmt.Errorf("%v %v", v, err)
		}
		_, err = l.ToThread(func() (any, error) { panic("in thread") })
		var pe *PanicError
		if !errors.As(err, &pe) {
			return nil, fmt.Errorf("panic in thread: %v", err)
		}
		return nil, nil
	})
	if err != nil || ticks < 5 {
		t.Fatalf("err=%v ticks=%d", err, ticks)
	}
}

func TestDeadlockIsReported(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		q := l.NewQueue(0)
		l.CreateTaskNamed("consumer", func() (any, error) { return q.Get() })
		return q.Get()
	})
	var de *DeadlockError
	if !errors.As(err, &de) || !errors.Is(err, ErrDeadlock) || !strings.Contains(err.Error(), "Queue.Get") {
		t.Fatalf("err=%v", err)
	}
}

func TestMainReturnCancelsTheRest(t *testing.T) {
	var bg *Task
	start := time.Now()
	v, err := Run(func(l *Loop) (any, error) {
		bg = l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		l.Sleep(ms(1))
		return 42, nil
	})
	if v != 42 || err != nil || !bg.Cancelled() || time.Since(start) > time.Second {
		t.Fatalf("v=%v err=%v bg=%v", v, err, bg)
	}
}

func TestContextCancelStopsRun(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), ms(30))
	defer cancel()
	_, err := RunContext(ctx, func(l *Loop) (any, error) {
		return nil, l.Sleep(time.Hour)
	})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err=%v", err)
	}
}

func TestCallbacksAndErrors(t *testing.T) {
	var order []string
	_, err := Run(func(l *Loop) (any, error) {
		l.CallLater(ms(10), func() { order = append(order, "later") })
		h := l.CallLater(ms(5), func() { order = append(order, "cancelled") })
		h.Cancel()
		l.CallSoon(func() {
			order = append(order, "soon")
			if err := l.Sleep(0); err != ErrNotInTask {
				order = append(order, fmt.Sprint("sleep in callback:", err))
			}
		})
		task := l.CreateTask(func() (any, error) { return 1, nil })
		if _, err := task.Result(); err != ErrNotDone {
			return nil, fmt.Errorf("Result before done: %v", err)
		}
		done := make(chan string, 1)
		task.AddDoneCallback(func(t *Task) { done <- t.String() })
		l.Sleep(ms(20))
		if s := <-done; s != "<Task Task-2 finished result=1>" {
			return nil, fmt.Errorf("callback saw %q", s)
		}
		if _, err := l.Await(l.CurrentTask()); err == nil {
			return nil, errors.New("awaiting itself must fail")
		}
		return nil, nil
	})
	if err != nil || strings.Join(order, ",") != "soon,later" {
		t.Fatalf("err=%v order=%v", err, order)
	}
	if _, err := Run(nil); err == nil {
		t.Fatal("Run(nil) must fail")
	}
	l := New(Options{})
	l.Run(func(*Loop) (any, error) { return nil, nil })
	if _, err := l.Run(func(*Loop) (any, error) { return nil, nil }); err != ErrLoopUsed {
		t.Fatalf("second Run: %v", err)
	}
}

func TestEventWakesAll(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		ev := l.NewEvent()
		n := 0
		var ts []*Task
		for i := 0; i < 3; i++ {
			ts = append(ts, l.CreateTask(func() (any, error) { err := ev.Wait(); n++; return nil, err }))
		}
		l.Sleep(ms(5))
		if n != 0 {
			return nil, errors.New("woke before Set")
		}
		ev.Set()
		_, err := l.Gather(ts...)
		if n != 3 || !ev.IsSet() {
			return nil, fmt.Errorf("n=%d", n)
		}
		return nil, err
	})
	if err != nil {
		t.Fatal(err)
	}
}

type rec struct {
	mu    sync.Mutex
	spans []string
}

func (r *rec) Record(lane, label string, start, end time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if end.Before(start) {
		label += " (end before start!)"
	}
	r.spans = append(r.spans, lane+"/"+label)
}

func TestRecorderGetsSpans(t *testing.T) {
	r := &rec{}
	_, err := New(Options{Recorder: r, RecordSlices: true}).Run(func(l *Loop) (any, error) {
		a := l.CreateTaskNamed("A", func() (any, error) { return nil, l.Sleep(ms(5)) })
		return l.Await(a)
	})
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Join(r.spans, " ")
	for _, want := range []string{"A/A", "main/main", "loop/A", "loop/main"} {
		if !strings.Contains(s, want) {
			t.Fatalf("spans %q lack %q", s, want)
		}
	}
	if strings.Contains(s, "!") {
		t.Fatal(s)
	}
}

func TestManySleepersFinishInOneSleep(t *testing.T) {
	const n = 10000
	start := time.Now()
	v, err := Run(func(l *Loop) (any, error) {
		ts := make([]*Task, n)
		for i := range ts {
			ts[i] = l.CreateTask(func() (any, error) { return i, l.Sleep(ms(200)) })
		}
		res, err := l.Gather(ts...)
		if err != nil {
			return nil, err
		}
		return res[n-1], nil
	})
	el := time.Since(start)
	if err != nil || v != n-1 {
		t.Fatal(v, err)
	}
	// Sequentially this would take 2,000 s. The bound is loose on purpose:
	// the figures live in BENCH.md (benchmarks), not in a timed unit test.
	if el > 10*time.Second {
		t.Fatalf("%d sleepers of 200ms took %v", n, el)
	}
	t.Logf("%d tasks sleeping 200ms: %v", n, el)
}

func TestBaseContextCancelsLoop(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	SetBaseContext(func() context.Context { return ctx })
	defer SetBaseContext(nil)
	time.AfterFunc(ms(20), cancel)
	_, err := Run(func(l *Loop) (any, error) {
		t := l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		return l.Await(t)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err=%v", err)
	}
}
