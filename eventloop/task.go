package eventloop

import (
	"errors"
	"fmt"
	"time"
)

// Task is a function running on a Loop (asyncio.Task). Create one with
// CreateTask, CreateTaskNamed or Go; wait for it with Await, Gather, WaitFor
// or AsCompleted; stop it with Cancel.
type Task struct {
	l    *Loop
	id   int
	name string
	fn   func() (any, error)
	isGo bool // created by Go: no result, cancellation decides the error

	resume chan struct{}

	started, done   bool
	result          any
	err             error
	cancelled       bool // finished by cancellation
	mustCancel      bool // a cancellation waits for the next await point
	cancelDelivered bool // an await point returned ErrCancelled

	suspended bool
	gen       uint64
	wakeErr   error
	waitingOn string

	hooks     []func() // internal, run under the lock when the task finishes
	callbacks []func(*Task)

	startTime, endTime time.Time
	finishSeq          uint64
}

func (l *Loop) newTaskLocked(name string, fn func() (any, error), isGo bool) *Task {
	l.nextID++
	if name == "" {
		name = fmt.Sprintf("Task-%d", l.nextID)
	}
	t := &Task{l: l, id: l.nextID, name: name, fn: fn, isGo: isGo, resume: make(chan struct{})}
	if l.finished {
		// The loop has stopped: the task can never run.
		t.started, t.done, t.cancelled = true, true, true
		t.err = ErrCancelled
		return t
	}
	l.tasks[t] = struct{}{}
	l.live++
	l.pushLocked(item{t: t})
	l.signal()
	return t
}

// CreateTask schedules fn to run as a new task and returns it at once
// (asyncio.create_task). The task starts when the current task reaches an
// await point. fn's result and error become the task's.
func (l *Loop) CreateTask(fn func() (any, error)) *Task {
	return l.CreateTaskNamed("", fn)
}

// CreateTaskNamed is CreateTask with a name, shown by String, in deadlock
// reports and as the task's lane in a timeline. An empty name gives
// "Task-N".
func (l *Loop) CreateTaskNamed(name string, fn func() (any, error)) *Task {
	if fn == nil {
		fn = func() (any, error) { return nil, errors.New("eventloop: nil task function") }
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.newTaskLocked(name, fn, false)
}

// Go schedules fn, a function without result, as a new task: the shape of
// a spinner or a background worker. If the task is cancelled and fn
// returns after one of its await points reported ErrCancelled, the task
// counts as cancelled.
func (l *Loop) Go(fn func()) *Task {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.newTaskLocked("", func() (any, error) { fn(); return nil, nil }, true)
}

func (l *Loop) finishLocked(t *Task, res any, err error) {
	t.done = true
	t.result, t.err = res, err
	l.seq++
	t.finishSeq = l.seq
	if t.cancelDelivered {
		if t.isGo && err == nil {
			t.err = ErrCancelled
		}
		if errors.Is(t.err, ErrCancelled) {
			t.cancelled = true
		}
	}
	if l.opts.Recorder != nil {
		t.endTime = time.Now()
	}
	delete(l.tasks, t)
	l.live--
	hooks := t.hooks
	t.hooks = nil
	for _, h := range hooks {
		h()
	}
	for _, cb := range t.callbacks {
		cb := cb
		l.pushLocked(item{fn: func() { cb(t) }})
	}
	t.callbacks = nil
}

// onDoneLocked runs h (under the lock) when t finishes; at once if done.
func (t *Task) onDoneLocked(h func()) {
	if t.done {
		h()
		return
	}
	t.hooks = append(t.hooks, h)
}

// Name returns the task's name.
func (t *Task) Name() string { return t.name }

// Done reports whether the task has finished (returned, failed, panicked
// or been cancelled).
func (t *Task) Done() bool {
	t.l.mu.Lock()
	defer t.l.mu.Unlock()
	return t.done
}

// Cancelled reports whether the task finished because it was cancelled.
// A task that catches the cancellation and returns normally is not
// cancelled, as in asyncio.
func (t *Task) Cancelled() bool {
	t.l.mu.Lock()
	defer t.l.mu.Unlock()
	return t.cancelled
}

// Result returns the task's result and error without waiting: ErrNotDone
// if it has not finished, ErrCancelled (or an error wrapping it) if it was
// cancelled, a *PanicError if it panicked.
func (t *Task) Result() (any, error) {
	t.l.mu.Lock()
	defer t.l.mu.Unlock()
	if !t.done {
		return nil, ErrNotDone
	}
	return t.result, t.err
}

// Err returns the task's error, or nil if it has not finished or succeeded.
func (t *Task) Err() error {
	t.l.mu.Lock()
	defer t.l.mu.Unlock()
	return t.err
}

// Cancel asks the task to stop (Task.cancel). A waiting task is woken at
// once: its await point returns ErrCancelled. A task that is running gets
// ErrCancelled from its next await point; a task that has not started never
// runs. Cancel returns false if the task had already finished. It may be
// called from any goroutine.
func (t *Task) Cancel() bool {
	t.l.mu.Lock()
	defer t.l.mu.Unlock()
	return t.l.cancelLocked(t)
}

func (l *Loop) cancelLocked(t *Task) bool {
	if t.done {
		return false
	}
	if t.suspended {
		l.wakeLocked(t, t.gen, ErrCancelled)
		return true
	}
	t.mustCancel = true
	return true
}

// AddDoneCallback arranges for fn to run on the loop, as a callback, when
// the task finishes (at the next turn if it has already finished).
func (t *Task) AddDoneCallback(fn func(t *Task)) {
	l := t.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if t.done {
		l.pushLocked(item{fn: func() { fn(t) }})
		l.signal()
		return
	}
	t.callbacks = append(t.callbacks, fn)
}

// String describes the task and its state, the way asyncio prints a task:
// <Task Task-2 pending>, <Task Task-2 finished result=42>, ...
func (t *Task) String() string {
	t.l.mu.Lock()
	defer t.l.mu.Unlock()
	switch {
	case t.cancelled:
		return fmt.Sprintf("<Task %s cancelled>", t.name)
	case t.done && t.err != nil:
		return fmt.Sprintf("<Task %s finished error=%q>", t.name, t.err.Error())
	case t.done:
		return fmt.Sprintf("<Task %s finished result=%v>", t.name, t.result)
	case t.l.current == t:
		return fmt.Sprintf("<Task %s running>", t.name)
	case t.suspended:
		return fmt.Sprintf("<Task %s pending waiting in %s>", t.name, t.waitingOn)
	default:
		return fmt.Sprintf("<Task %s pending>", t.name)
	}
}
