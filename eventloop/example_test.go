package eventloop_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/golit/golit/eventloop"
)

// The countdown lab: four tasks count down at different paces. They take
// turns at every Sleep, so the run lasts as long as the slowest task, not
// the sum of all of them.
func Example_countdown() {
	start := time.Now()
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		countdown := func(name string, n int, pace time.Duration) func() (any, error) {
			return func() (any, error) {
				for ; n > 0; n-- {
					if err := l.Sleep(pace); err != nil {
						return nil, err
					}
				}
				return name + " done", nil
			}
		}
		a := l.CreateTaskNamed("A", countdown("A", 3, 70*time.Millisecond))
		b := l.CreateTaskNamed("B", countdown("B", 3, 200*time.Millisecond))
		c := l.CreateTaskNamed("C", countdown("C", 3, 30*time.Millisecond))
		results, err := l.Gather(a, b, c)
		fmt.Println(results, err)
		return nil, nil
	})
	el := time.Since(start)
	fmt.Println("about 0.6s, not 0.9s:", el > 550*time.Millisecond && el < 850*time.Millisecond)
	// Output:
	// [A done B done C done] <nil>
	// about 0.6s, not 0.9s: true
}

// Cancelling a task: its await point returns ErrCancelled.
func ExampleTask_Cancel() {
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		slow := l.CreateTask(func() (any, error) {
			if err := l.Sleep(time.Hour); err != nil {
				fmt.Println("slow task got:", err)
				return nil, err
			}
			return "finished", nil
		})
		l.Sleep(10 * time.Millisecond)
		slow.Cancel()
		_, err := l.Await(slow)
		fmt.Println(errors.Is(err, eventloop.ErrCancelled), slow.Cancelled())
		return nil, nil
	})
	// Output:
	// slow task got: eventloop: task cancelled
	// true true
}

// WaitFor gives up after a timeout and cancels the task.
func ExampleLoop_WaitFor() {
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		t := l.CreateTask(func() (any, error) { return "late", l.Sleep(time.Second) })
		v, err := l.WaitFor(t, 20*time.Millisecond)
		fmt.Println(v, err, t.Cancelled())
		return nil, nil
	})
	// Output:
	// <nil> eventloop: timeout true
}

// A semaphore limits concurrency; AsCompleted hands out results as they
// arrive, the shape of the flags2 downloader.
func ExampleLoop_AsCompleted() {
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		sem := l.NewSemaphore(2)
		var tasks []*eventloop.Task
		for _, d := range []int{30, 10, 20} {
			tasks = append(tasks, l.CreateTask(func() (any, error) {
				return sem.With(func() (any, error) {
					err := l.Sleep(time.Duration(d) * time.Millisecond)
					return d, err
				})
			}))
		}
		for it := l.AsCompleted(tasks...); it.Next(); {
			v, _ := it.Result()
			fmt.Println(v)
		}
		return nil, nil
	})
	// Output:
	// 10
	// 30
	// 20
}

// A panicking task fails alone; the others finish.
func ExampleLoop_GatherAll() {
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		ok := l.CreateTask(func() (any, error) { return 1, nil })
		bad := l.CreateTask(func() (any, error) { panic("oops") })
		results, _ := l.GatherAll(ok, bad)
		for _, r := range results {
			fmt.Println(r.Value, r.Err)
		}
		return nil, nil
	})
	// Output:
	// 1 <nil>
	// <nil> eventloop: task Task-3 panicked: oops
}

// A blocking call in ToThread lets the other tasks keep running.
func ExampleLoop_ToThread() {
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		ticks := 0
		ticker := l.Go(func() {
			for l.Sleep(10*time.Millisecond) == nil {
				ticks++
			}
		})
		v, _ := l.ToThread(func() (any, error) {
			time.Sleep(100 * time.Millisecond) // blocking, but off the loop
			return "blocking work done", nil
		})
		ticker.Cancel()
		fmt.Println(v, ticks >= 5)
		return nil, nil
	})
	// Output:
	// blocking work done true
}

// TaskGroup: the first failure cancels the rest of the group.
func ExampleLoop_TaskGroup() {
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		err := l.TaskGroup(func(g *eventloop.TaskGroup) error {
			g.Go(func() error { return l.Sleep(time.Hour) })
			g.Go(func() error {
				l.Sleep(10 * time.Millisecond)
				return errors.New("download failed")
			})
			return nil
		})
		fmt.Println(err)
		return nil, nil
	})
	// Output:
	// eventloop: task group: Task-3: download failed
}
