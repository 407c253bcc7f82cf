package futures

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// state is where a Future is in its life: pending -> running -> finished, or
// pending -> cancelled.
type state int

const (
	statePending state = iota
	stateRunning
	stateCancelled
	stateFinished
)

func (s state) String() string {
	switch s {
	case statePending:
		return "pending"
	case stateRunning:
		return "running"
	case stateCancelled:
		return "cancelled"
	default:
		return "finished"
	}
}

// ErrCancelled is the error of a future that was cancelled before it started
// (Python's CancelledError).
var ErrCancelled = errors.New("futures: cancelled")

// ErrShutdown is the error of a future submitted to an executor after
// Shutdown (Python raises RuntimeError for that).
var ErrShutdown = errors.New("futures: executor is shut down")

// ErrTimeout is returned by ResultTimeout when the future is not finished in
// time (Python's TimeoutError). errors.Is(ErrTimeout, context.DeadlineExceeded)
// is true, so code that checks for either works.
var ErrTimeout error = timeoutError{}

type timeoutError struct{}

func (timeoutError) Error() string { return "futures: timeout" }

// Is makes ErrTimeout match context.DeadlineExceeded.
func (timeoutError) Is(target error) bool { return target == context.DeadlineExceeded }

// A Future is the result of a task that may not have finished yet: Python's
// concurrent.futures.Future. Executors create futures (Submit); code that
// holds one waits for it (Result), asks about it (Done, Running, Cancelled,
// String), cancels it while it still waits in the queue (Cancel), or asks to
// be told when it finishes (AddDoneCallback, AsCompleted, Wait).
//
// All methods are safe to call from several goroutines.
type Future struct {
	mu        sync.Mutex
	st        state
	value     any
	err       error
	done      chan struct{}
	callbacks []func(*Future)
	seq       uint64          // when it finished, for AsCompleted's order; written under finishMu
	ordered   []func(*Future) // AsCompleted's deliveries, run under finishMu
}

// finishMu makes a future's finish order (its seq) and the deliveries of
// AsCompleted one atomic step: the ordered callbacks of all futures run in
// the order of their seq, and AsCompleted can split done from not-done
// futures and register on the latter with no finish slipping in between.
// Lock order: Future.mu, then finishMu.
var finishMu sync.Mutex

// finishCount orders futures by the moment they finished.
var finishCount atomic.Uint64

// markDone gives f its place in the finish order and runs its ordered
// callbacks. The caller holds f.mu and has set f's final state.
func (f *Future) markDone() {
	finishMu.Lock()
	f.seq = finishCount.Add(1)
	ordered := f.ordered
	f.ordered = nil
	for _, fn := range ordered {
		fn(f)
	}
	finishMu.Unlock()
}

func newFuture() *Future {
	return &Future{done: make(chan struct{})}
}

// failedFuture returns a future that is already finished with err.
func failedFuture(err error) *Future {
	f := newFuture()
	f.st = stateRunning
	f.finish(nil, err)
	return f
}

// start moves a pending future to running. It reports false when the future
// was cancelled meanwhile, in which case the task must not run.
func (f *Future) start() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st != statePending {
		return false
	}
	f.st = stateRunning
	return true
}

// finish records the outcome of a running future and runs its callbacks.
func (f *Future) finish(value any, err error) {
	f.mu.Lock()
	if f.st == stateCancelled || f.st == stateFinished {
		f.mu.Unlock()
		return
	}
	f.st = stateFinished
	f.value, f.err = value, err
	cbs := f.callbacks
	f.callbacks = nil
	close(f.done)
	f.markDone()
	f.mu.Unlock()
	f.runCallbacks(cbs)
}

// Cancel cancels the future if its task has not started yet and reports
// whether the future is now cancelled. A running or finished task cannot be
// cancelled (as in Python); Cancel then returns false and changes nothing.
// Result of a cancelled future returns ErrCancelled.
func (f *Future) Cancel() bool {
	f.mu.Lock()
	switch f.st {
	case stateCancelled:
		f.mu.Unlock()
		return true
	case stateRunning, stateFinished:
		f.mu.Unlock()
		return false
	}
	f.st = stateCancelled
	f.err = ErrCancelled
	cbs := f.callbacks
	f.callbacks = nil
	close(f.done)
	f.markDone()
	f.mu.Unlock()
	f.runCallbacks(cbs)
	return true
}

func (f *Future) runCallbacks(cbs []func(*Future)) {
	for _, cb := range cbs {
		f.callback(cb)
	}
}

// callback runs one callback; like Python, a callback that panics is
// reported and does not disturb the other callbacks or the executor.
func (f *Future) callback(cb func(*Future)) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(os.Stderr, "futures: callback for %v panicked: %v\n", f, p)
		}
	}()
	cb(f)
}

// AddDoneCallback arranges for fn to be called with the future when it
// finishes or is cancelled. If the future is already done, fn runs at once in
// the calling goroutine; otherwise it runs in the goroutine that finishes the
// future, so it should be quick. Callbacks run in the order they were added.
func (f *Future) AddDoneCallback(fn func(*Future)) {
	f.mu.Lock()
	if f.st == statePending || f.st == stateRunning {
		f.callbacks = append(f.callbacks, fn)
		f.mu.Unlock()
		return
	}
	f.mu.Unlock()
	f.callback(fn)
}

// Result waits for the task to finish and returns its value and error. A
// task that panicked returns a *PanicError; a cancelled future returns
// ErrCancelled.
func (f *Future) Result() (any, error) {
	<-f.done
	return f.value, f.err
}

// ResultTimeout is Result with a time limit: Python's result(timeout). If the
// future is not done within d it returns ErrTimeout; the task keeps running.
// A d <= 0 means no limit.
func (f *Future) ResultTimeout(d time.Duration) (any, error) {
	if d <= 0 {
		return f.Result()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-f.done:
		return f.value, f.err
	case <-t.C:
		return nil, ErrTimeout
	}
}

// ResultContext is Result that gives up when ctx is done, returning
// ctx.Err(). The task keeps running.
func (f *Future) ResultContext(ctx context.Context) (any, error) {
	select {
	case <-f.done:
		return f.value, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Exception waits for the task to finish and returns its error (nil on
// success): Python's exception().
func (f *Future) Exception() error {
	<-f.done
	return f.err
}

// Err returns the error of a finished or cancelled future and nil while it is
// pending or running. Unlike Exception it never waits, like context's Err.
func (f *Future) Err() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.err
}

// Done reports whether the future has finished or was cancelled.
func (f *Future) Done() bool {
	select {
	case <-f.done:
		return true
	default:
		return false
	}
}

// Finished returns a channel that is closed when the future finishes or is
// cancelled, for use in select statements.
func (f *Future) Finished() <-chan struct{} { return f.done }

// Running reports whether the task is running now.
func (f *Future) Running() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st == stateRunning
}

// Cancelled reports whether the future was cancelled.
func (f *Future) Cancelled() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st == stateCancelled
}

// State returns "pending", "running", "cancelled" or "finished".
func (f *Future) State() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.st.String()
}

// String shows the state the way Python prints a future:
//
//	<Future state=pending>
//	<Future state=running>
//	<Future state=cancelled>
//	<Future state=finished returned string>
//	<Future state=finished raised *futures.PanicError>
func (f *Future) String() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.st != stateFinished {
		return "<Future state=" + f.st.String() + ">"
	}
	if f.err != nil {
		return fmt.Sprintf("<Future state=finished raised %T>", f.err)
	}
	return fmt.Sprintf("<Future state=finished returned %T>", f.value)
}

func (f *Future) finishSeq() uint64 {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.seq
}
