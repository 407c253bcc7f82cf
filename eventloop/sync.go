package eventloop

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// waiter is a task suspended in a wait generation.
type waiter struct {
	t   *Task
	gen uint64
}

func (w waiter) live() bool { return w.t.suspended && w.t.gen == w.gen }

// wakeFirstLocked wakes the first live waiter of q and returns the rest.
func (l *Loop) wakeFirstLocked(q []waiter) ([]waiter, bool) {
	for len(q) > 0 {
		w := q[0]
		q[0] = waiter{}
		q = q[1:]
		if l.wakeLocked(w.t, w.gen, nil) {
			return q, true
		}
	}
	return q, false
}

// Semaphore limits how many tasks do something at once
// (asyncio.Semaphore). Acquire takes a permit, waiting if none is left;
// Release gives it back to the first waiter, in FIFO order.
type Semaphore struct {
	l       *Loop
	value   int
	waiters []waiter
}

// NewSemaphore returns a semaphore with n permits.
func (l *Loop) NewSemaphore(n int) *Semaphore {
	if n < 0 {
		n = 0
	}
	return &Semaphore{l: l, value: n}
}

// Acquire takes a permit, suspending the task until one is free. It
// returns ErrCancelled (and takes no permit) if the task is cancelled.
func (s *Semaphore) Acquire() error {
	l := s.l
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return err
	}
	for len(s.waiters) > 0 && !s.waiters[0].live() {
		s.waiters = s.waiters[1:]
	}
	if s.value > 0 && len(s.waiters) == 0 {
		s.value--
		l.mu.Unlock()
		return nil
	}
	gen := l.prepareLocked(c)
	s.waiters = append(s.waiters, waiter{c, gen})
	// Release hands the permit over directly when it wakes us.
	return l.parkLocked(c, "Semaphore.Acquire")
}

// Release gives a permit back, waking the first waiting task.
func (s *Semaphore) Release() {
	l := s.l
	l.mu.Lock()
	defer l.mu.Unlock()
	var woke bool
	if s.waiters, woke = l.wakeFirstLocked(s.waiters); !woke {
		s.value++
	}
}

// Locked reports whether Acquire would wait.
func (s *Semaphore) Locked() bool {
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	return s.value == 0
}

// With runs fn holding a permit (async with semaphore:) and releases it
// afterwards, even if fn panics.
func (s *Semaphore) With(fn func() (any, error)) (any, error) {
	if err := s.Acquire(); err != nil {
		return nil, err
	}
	defer s.Release()
	return fn()
}

// Queue is a FIFO queue for tasks (asyncio.Queue). With a maximum size,
// Put waits while the queue is full; Get waits while it is empty.
type Queue struct {
	l          *Loop
	max        int
	items      []any
	getters    []waiter
	putters    []waiter
	joiners    []waiter
	unfinished int
}

// NewQueue returns a queue holding at most maxsize items; maxsize <= 0
// means no limit.
func (l *Loop) NewQueue(maxsize int) *Queue {
	return &Queue{l: l, max: maxsize}
}

func (q *Queue) fullLocked() bool { return q.max > 0 && len(q.items) >= q.max }

// Put adds v, suspending the task while the queue is full.
func (q *Queue) Put(v any) error {
	l := q.l
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return err
	}
	for q.fullLocked() {
		gen := l.prepareLocked(c)
		q.putters = append(q.putters, waiter{c, gen})
		if err := l.parkLocked(c, "Queue.Put"); err != nil {
			return err
		}
		l.mu.Lock()
	}
	q.putLocked(v)
	l.mu.Unlock()
	return nil
}

func (q *Queue) putLocked(v any) {
	q.items = append(q.items, v)
	q.unfinished++
	q.getters, _ = q.l.wakeFirstLocked(q.getters)
}

// PutNowait adds v, or returns ErrQueueFull without waiting. It may be
// called from callbacks.
func (q *Queue) PutNowait(v any) error {
	q.l.mu.Lock()
	defer q.l.mu.Unlock()
	if q.fullLocked() {
		return ErrQueueFull
	}
	q.putLocked(v)
	return nil
}

// Get removes and returns the first item, suspending the task while the
// queue is empty.
func (q *Queue) Get() (any, error) {
	l := q.l
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return nil, err
	}
	for len(q.items) == 0 {
		gen := l.prepareLocked(c)
		q.getters = append(q.getters, waiter{c, gen})
		if err := l.parkLocked(c, "Queue.Get"); err != nil {
			return nil, err
		}
		l.mu.Lock()
	}
	v := q.getLocked()
	l.mu.Unlock()
	return v, nil
}

func (q *Queue) getLocked() any {
	v := q.items[0]
	q.items[0] = nil
	q.items = q.items[1:]
	q.putters, _ = q.l.wakeFirstLocked(q.putters)
	return v
}

// GetNowait removes and returns the first item, or returns ErrQueueEmpty.
func (q *Queue) GetNowait() (any, error) {
	q.l.mu.Lock()
	defer q.l.mu.Unlock()
	if len(q.items) == 0 {
		return nil, ErrQueueEmpty
	}
	return q.getLocked(), nil
}

// Len returns the number of items in the queue (qsize).
func (q *Queue) Len() int {
	q.l.mu.Lock()
	defer q.l.mu.Unlock()
	return len(q.items)
}

// Empty reports whether the queue has no items.
func (q *Queue) Empty() bool { return q.Len() == 0 }

// Full reports whether Put would wait.
func (q *Queue) Full() bool {
	q.l.mu.Lock()
	defer q.l.mu.Unlock()
	return q.fullLocked()
}

// TaskDone tells the queue that an item taken with Get has been processed;
// Join returns when every item put has been marked done.
func (q *Queue) TaskDone() error {
	l := q.l
	l.mu.Lock()
	defer l.mu.Unlock()
	if q.unfinished <= 0 {
		return errors.New("eventloop: Queue.TaskDone called more times than Put")
	}
	q.unfinished--
	if q.unfinished == 0 {
		for _, w := range q.joiners {
			l.wakeLocked(w.t, w.gen, nil)
		}
		q.joiners = nil
	}
	return nil
}

// Join suspends the task until every item put has been marked with
// TaskDone.
func (q *Queue) Join() error {
	l := q.l
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return err
	}
	if q.unfinished == 0 {
		l.mu.Unlock()
		return nil
	}
	gen := l.prepareLocked(c)
	q.joiners = append(q.joiners, waiter{c, gen})
	return l.parkLocked(c, "Queue.Join")
}

// Event lets tasks wait until something happens (asyncio.Event).
type Event struct {
	l       *Loop
	set     bool
	waiters []waiter
}

// NewEvent returns an event that is not set.
func (l *Loop) NewEvent() *Event { return &Event{l: l} }

// Set sets the event and wakes every waiting task.
func (e *Event) Set() {
	e.l.mu.Lock()
	defer e.l.mu.Unlock()
	e.set = true
	for _, w := range e.waiters {
		e.l.wakeLocked(w.t, w.gen, nil)
	}
	e.waiters = nil
}

// Clear unsets the event.
func (e *Event) Clear() {
	e.l.mu.Lock()
	e.set = false
	e.l.mu.Unlock()
}

// IsSet reports whether the event is set.
func (e *Event) IsSet() bool {
	e.l.mu.Lock()
	defer e.l.mu.Unlock()
	return e.set
}

// Wait suspends the task until the event is set.
func (e *Event) Wait() error {
	l := e.l
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return err
	}
	if e.set {
		l.mu.Unlock()
		return nil
	}
	gen := l.prepareLocked(c)
	e.waiters = append(e.waiters, waiter{c, gen})
	return l.parkLocked(c, "Event.Wait")
}

// TaskGroup runs tasks whose lifetime is bound to a block
// (asyncio.TaskGroup). See Loop.TaskGroup.
type TaskGroup struct {
	l               *Loop
	parent          *Task
	tasks           []*Task
	errs            []error
	aborting        bool
	bodyRunning     bool
	cancelledParent bool
}

// TaskGroup runs body in the calling task with a new group, then waits for
// every task created in the group. When a task of the group fails, the
// others are cancelled, and so is body if it is still running; TaskGroup
// then returns the failures joined with errors.Join (asyncio's
// ExceptionGroup). Cancellations caused by the group are not errors.
func (l *Loop) TaskGroup(body func(g *TaskGroup) error) error {
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return err
	}
	g := &TaskGroup{l: l, parent: c, bodyRunning: true}
	prevDelivered := c.cancelDelivered
	l.mu.Unlock()

	berr := callBody(c.name, body, g)

	l.mu.Lock()
	defer l.mu.Unlock()
	g.bodyRunning = false
	ownCancel := g.cancelledParent
	if ownCancel {
		// Drop our cancellation of the body if it was not delivered.
		c.mustCancel = false
	}
	if berr != nil && !(ownCancel && errors.Is(berr, ErrCancelled)) {
		if !errors.Is(berr, ErrCancelled) {
			g.errs = append(g.errs, berr)
		}
		g.abortLocked()
	}
	var outer error
	for {
		err := l.waitSetLocked(c, g.tasks, false, fmt.Sprintf("TaskGroup(%d tasks)", len(g.tasks)))
		if err == nil {
			if allDone(g.tasks) { // tasks may create more tasks in the group
				break
			}
			continue
		}
		if !errors.Is(err, ErrCancelled) {
			outer = err
			break
		}
		outer = ErrCancelled
		g.abortLocked()
	}
	if ownCancel {
		c.cancelDelivered = prevDelivered
	}
	if len(g.errs) > 0 {
		return fmt.Errorf("eventloop: task group: %w", errors.Join(g.errs...))
	}
	if outer != nil {
		return outer
	}
	if berr != nil && !ownCancel {
		return berr
	}
	return nil
}

func callBody(name string, body func(g *TaskGroup) error, g *TaskGroup) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &PanicError{Task: name + " (TaskGroup body)", Value: v, Stack: string(debug.Stack())}
		}
	}()
	return body(g)
}

func (g *TaskGroup) abortLocked() {
	if g.aborting {
		return
	}
	g.aborting = true
	for _, t := range g.tasks {
		g.l.cancelLocked(t)
	}
	if g.bodyRunning && !g.parent.done {
		g.l.cancelLocked(g.parent)
		g.cancelledParent = true
	}
}

func (g *TaskGroup) add(t *Task) *Task {
	l := g.l
	l.mu.Lock()
	defer l.mu.Unlock()
	g.tasks = append(g.tasks, t)
	if g.aborting {
		l.cancelLocked(t)
	}
	t.onDoneLocked(func() {
		if t.err != nil && !errors.Is(t.err, ErrCancelled) {
			g.errs = append(g.errs, fmt.Errorf("%s: %w", t.name, t.err))
			g.abortLocked()
		}
	})
	return t
}

// CreateTask creates a task that belongs to the group.
func (g *TaskGroup) CreateTask(fn func() (any, error)) *Task {
	return g.add(g.l.CreateTask(fn))
}

// CreateTaskNamed creates a named task that belongs to the group.
func (g *TaskGroup) CreateTaskNamed(name string, fn func() (any, error)) *Task {
	return g.add(g.l.CreateTaskNamed(name, fn))
}

// Go creates a task of the group from a function that returns only an
// error, the errgroup shape.
func (g *TaskGroup) Go(fn func() error) *Task {
	return g.add(g.l.CreateTask(func() (any, error) { return nil, fn() }))
}

func allDone(ts []*Task) bool {
	for _, t := range ts {
		if !t.done {
			return false
		}
	}
	return true
}
