package futures

import (
	"fmt"
	"time"
)

// SpeedupResult compares the wall time of the same work on one worker and on
// several.
type SpeedupResult struct {
	Tasks   int
	Workers int
	One     time.Duration // wall time with 1 worker
	Many    time.Duration // wall time with Workers workers
	Speedup float64       // One / Many
}

// String reads like "8 tasks: 1 worker 2.01s, 2 workers 1.05s, speedup 1.91x".
func (r SpeedupResult) String() string {
	return fmt.Sprintf("%d tasks: 1 worker %v, %d workers %v, speedup %.2fx",
		r.Tasks, r.One.Round(time.Millisecond), r.Workers, r.Many.Round(time.Millisecond), r.Speedup)
}

// MeasureSpeedup runs fn over items on an executor with one worker, then on
// one with workers workers, and reports both wall times. newExecutor makes
// the executors, so the same code measures goroutines and processes:
//
//	r, err := futures.MeasureSpeedup(func(n int) futures.Executor {
//		return futures.NewGoroutinePool(n)
//	}, 2, isPrime, futures.Items(numbers))
//
// For a process pool pass the function's name as fn. Each executor is
// created, warmed up with one task untimed (a process pool starts its
// processes with Start), timed over all items, and shut down. fn may be a
// function from a notebook cell. The first task error is returned.
func MeasureSpeedup(newExecutor func(workers int) Executor, workers int, fn any, items []any) (SpeedupResult, error) {
	r := SpeedupResult{Tasks: len(items), Workers: workers}
	var err error
	if r.One, err = timeExecutor(newExecutor(1), fn, items); err != nil {
		return r, err
	}
	if r.Many, err = timeExecutor(newExecutor(workers), fn, items); err != nil {
		return r, err
	}
	if r.Many > 0 {
		r.Speedup = float64(r.One) / float64(r.Many)
	}
	return r, nil
}

func timeExecutor(ex Executor, fn any, items []any) (time.Duration, error) {
	defer ex.Shutdown(true, false)
	if s, ok := ex.(interface{ Start() error }); ok {
		if err := s.Start(); err != nil {
			return 0, err
		}
	}
	if len(items) > 0 {
		if _, err := ex.Submit(fn, items[0]).Result(); err != nil {
			return 0, err
		}
	}
	start := time.Now()
	_, err := Collect(ex.Map(fn, items...))
	return time.Since(start), err
}

// MeasureOverhead submits n tasks fn(arg) to ex at once, waits for all, and
// returns the wall time per task. With a trivial fn it measures what the
// executor itself costs per task (queueing and, for a process pool, JSON and
// pipes); compare a GoroutinePool with a ProcessPool. The first task error
// is returned. ex is not shut down.
func MeasureOverhead(ex Executor, fn any, arg any, n int) (time.Duration, error) {
	if n <= 0 {
		return 0, nil
	}
	fs := make([]*Future, n)
	start := time.Now()
	for i := range fs {
		fs[i] = ex.Submit(fn, arg)
	}
	var first error
	for _, f := range fs {
		if _, err := f.Result(); err != nil && first == nil {
			first = err
		}
	}
	return time.Since(start) / time.Duration(n), first
}
