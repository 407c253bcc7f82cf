package eventloop

import (
	"errors"
	"fmt"
	"strings"
)

// ErrCancelled is returned by an await point (Sleep, Await, Gather, Queue.Get,
// Semaphore.Acquire, ...) in a task that has been cancelled with Task.Cancel.
// It is Go's name for asyncio.CancelledError: return it (or an error wrapping
// it) to let the cancellation finish the task.
var ErrCancelled = errors.New("eventloop: task cancelled")

// ErrTimeout is returned by WaitFor and Timeout when the time runs out
// (asyncio.TimeoutError).
var ErrTimeout = errors.New("eventloop: timeout")

// ErrNotDone is returned by Task.Result for a task that has not finished
// (asyncio.InvalidStateError).
var ErrNotDone = errors.New("eventloop: task is not done yet")

// ErrNotInTask is returned when an await point (Sleep, Await, ...) is called
// outside a task of the loop, for example from a CallSoon callback. Await
// points must be called from the task's own code, never from a goroutine
// the task started.
var ErrNotInTask = errors.New("eventloop: await point called outside a task of this loop")

// ErrQueueFull is returned by Queue.PutNowait on a full queue.
var ErrQueueFull = errors.New("eventloop: queue is full")

// ErrQueueEmpty is returned by Queue.GetNowait on an empty queue.
var ErrQueueEmpty = errors.New("eventloop: queue is empty")

// ErrDeadlock is matched (with errors.Is) by the error every waiting task
// receives when the loop finds that all tasks wait and nothing can ever wake
// them: no timer, no ToThread call in flight, no ready task.
var ErrDeadlock = errors.New("eventloop: deadlock")

// ErrLoopUsed is returned by Run when the Loop has already run once.
var ErrLoopUsed = errors.New("eventloop: a Loop runs once; create another with New")

// PanicError is the error of a task whose function panicked. The loop
// recovers the panic so that one failing task never takes the program (or
// the notebook kernel) down; the panic value and stack are kept here.
type PanicError struct {
	Task  string // name of the task
	Value any    // the value passed to panic
	Stack string // the goroutine stack at the panic
}

// Error describes the panic.
func (e *PanicError) Error() string {
	return fmt.Sprintf("eventloop: task %s panicked: %v", e.Task, e.Value)
}

// Unwrap returns the panic value when it is an error.
func (e *PanicError) Unwrap() error {
	if err, ok := e.Value.(error); ok {
		return err
	}
	return nil
}

// DeadlockError tells which tasks were waiting, and on what, when the loop
// found that none of them could ever be woken. It matches ErrDeadlock.
type DeadlockError struct {
	Waiting []string // "name: what it waits for", one per waiting task
}

// Error lists the waiting tasks.
func (e *DeadlockError) Error() string {
	return "eventloop: deadlock: every task is waiting and nothing can wake them (" +
		strings.Join(e.Waiting, "; ") + ")"
}

// Is makes errors.Is(err, ErrDeadlock) true.
func (e *DeadlockError) Is(target error) bool { return target == ErrDeadlock }

// errTimedOut is the internal wake reason of a timer that guards a wait.
var errTimedOut = errors.New("eventloop: internal timeout")
