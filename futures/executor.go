package futures

import "fmt"

// Executor runs tasks and hands back futures: Python's
// concurrent.futures.Executor. *GoroutinePool and *ProcessPool implement it,
// so code written against Executor can compare goroutines with processes by
// swapping one constructor.
type Executor interface {
	// Submit schedules fn(args...) and returns its future at once.
	Submit(fn any, args ...any) *Future
	// Map runs fn(item) for every item and delivers the results in input
	// order, each as soon as it and all before it are done.
	Map(fn any, items ...any) <-chan Result
	// Shutdown stops accepting tasks. With cancelFutures, tasks still
	// waiting in the queue are cancelled; the others run to the end. With
	// wait, Shutdown returns once every task has finished and the workers
	// are gone.
	Shutdown(wait, cancelFutures bool)
}

// Result is one result of Map: the item's position, its value and its
// error. An error belongs to its position; the results after it still come.
type Result struct {
	Index int
	Value any
	Err   error
}

// inOrder delivers the outcome of fs in order on a channel buffered for all
// of them, so a reader that stops early leaks nothing.
func inOrder(fs []*Future) <-chan Result {
	ch := make(chan Result, len(fs))
	go func() {
		defer close(ch)
		for i, f := range fs {
			v, err := f.Result()
			ch <- Result{Index: i, Value: v, Err: err}
		}
	}()
	return ch
}

// Collect drains a Map channel into a slice of values in input order and
// returns the first error met (nil if none). It waits for every result.
func Collect(results <-chan Result) ([]any, error) {
	var out []any
	var first error
	for r := range results {
		out = append(out, r.Value)
		if r.Err != nil && first == nil {
			first = r.Err
		}
	}
	return out, first
}

// checkWorkers panics when a pool is asked for fewer than one worker: such a
// pool would accept tasks and never run them, which in a notebook looks like
// a hang rather than a mistake.
func checkWorkers(fn string, n int, perCore string) {
	if n < 1 {
		panic(fmt.Sprintf("futures.%s(%d): a pool needs at least 1 worker (for one per core, pass %s)", fn, n, perCore))
	}
}
