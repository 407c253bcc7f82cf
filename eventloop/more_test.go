package eventloop

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestTaskGroupCancelledFromOutsideAndBodyErrors(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		var child *Task
		outer := l.CreateTaskNamed("outer", func() (any, error) {
			return nil, l.TaskGroup(func(g *TaskGroup) error {
				child = g.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
				return nil
			})
		})
		l.Sleep(ms(5))
		outer.Cancel()
		_, err := l.Await(outer)
		if err != ErrCancelled || !child.Cancelled() {
			return nil, fmt.Errorf("outer: %v child: %v", err, child)
		}
		// The body's own error is reported and cancels the children.
		var c2 *Task
		err = l.TaskGroup(func(g *TaskGroup) error {
			c2 = g.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
			return errors.New("body failed")
		})
		if err == nil || !strings.Contains(err.Error(), "body failed") || !c2.Cancelled() {
			return nil, fmt.Errorf("body error: %v", err)
		}
		// A panicking body becomes an error too.
		err = l.TaskGroup(func(g *TaskGroup) error { panic("body panic") })
		var pe *PanicError
		if !errors.As(err, &pe) {
			return nil, fmt.Errorf("body panic: %v", err)
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestCancelWhileWaitingPropagates(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		inner := l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		w := l.CreateTask(func() (any, error) { return l.WaitFor(inner, time.Hour) })
		l.Sleep(ms(2))
		w.Cancel()
		if _, err := l.Await(w); err != ErrCancelled {
			return nil, fmt.Errorf("WaitFor: %v", err)
		}
		l.Sleep(0)
		if !inner.Cancelled() {
			return nil, errors.New("WaitFor did not cancel its task")
		}
		// A cancelled AsCompleted iteration stops with Err.
		slow := l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		var it *AsCompletedIter
		iter := l.CreateTask(func() (any, error) {
			it = l.AsCompleted(slow)
			for it.Next() {
			}
			return nil, it.Err()
		})
		l.Sleep(ms(2))
		iter.Cancel()
		if _, err := l.Await(iter); err != ErrCancelled || it.Task() != nil {
			return nil, fmt.Errorf("AsCompleted: %v", err)
		}
		if _, err := it.Result(); err != ErrNotDone {
			return nil, fmt.Errorf("Result after stop: %v", err)
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestSmallAPIs(t *testing.T) {
	_, err := Run(func(l *Loop) (any, error) {
		q := l.NewQueue(1)
		if _, err := q.GetNowait(); err != ErrQueueEmpty || !q.Empty() || q.Full() {
			return nil, errors.New("empty queue")
		}
		q.PutNowait("a")
		if !q.Full() {
			return nil, errors.New("full queue")
		}
		if v, err := q.GetNowait(); v != "a" || err != nil {
			return nil, fmt.Errorf("GetNowait %v %v", v, err)
		}
		if err := q.TaskDone(); err != nil {
			return nil, err
		}
		if err := q.TaskDone(); err == nil {
			return nil, errors.New("extra TaskDone accepted")
		}
		sem := l.NewSemaphore(1)
		sem.Acquire()
		if !sem.Locked() {
			return nil, errors.New("not locked")
		}
		sem.Release()
		ev := l.NewEvent()
		ev.Set()
		ev.Clear()
		if ev.IsSet() {
			return nil, errors.New("event still set")
		}
		task := l.CreateTaskNamed("named", func() (any, error) { return nil, errors.New("e") })
		if task.Name() != "named" || !strings.Contains(task.String(), "pending") {
			return nil, fmt.Errorf("%s %s", task.Name(), task)
		}
		l.Sleep(0)
		if task.Err() == nil || !strings.Contains(task.String(), `error="e"`) {
			return nil, fmt.Errorf("%v %s", task.Err(), task)
		}
		got := make(chan string, 1)
		task.AddDoneCallback(func(t *Task) { got <- t.Name() })
		l.CallSoon(func() { panic("a callback panics; the loop goes on") })
		l.Sleep(ms(1))
		if <-got != "named" {
			return nil, errors.New("callback on done task")
		}
		if l.Elapsed() <= 0 {
			return nil, errors.New("Elapsed")
		}
		return nil, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestNoGoroutinesLeft(t *testing.T) {
	before := runtime.NumGoroutine()
	var l2 *Loop
	Run(func(l *Loop) (any, error) {
		l2 = l
		for i := 0; i < 100; i++ {
			l.CreateTask(func() (any, error) { return nil, l.Sleep(time.Hour) })
		}
		l.Sleep(ms(1))
		return nil, nil // the sleepers are cancelled by Run
	})
	// A task created after the loop has stopped never runs.
	late := l2.CreateTask(func() (any, error) { return 1, nil })
	if !late.Done() || !late.Cancelled() {
		t.Fatal(late)
	}
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(ms(5))
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Fatalf("%d goroutines before, %d after", before, n)
	}
}
