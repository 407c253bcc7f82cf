package eventloop

import (
	"errors"
	"fmt"
	"runtime/debug"
	"time"
)

// Await suspends the calling task until t finishes and returns t's result
// (await task). If the caller is cancelled while it waits, t is cancelled
// too, as in asyncio, and Await returns ErrCancelled.
func (l *Loop) Await(t *Task) (any, error) {
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return nil, err
	}
	if t.done {
		l.mu.Unlock()
		return t.Result()
	}
	if t == c {
		l.mu.Unlock()
		return nil, fmt.Errorf("eventloop: task %s awaits itself", c.name)
	}
	gen := l.prepareLocked(c)
	t.onDoneLocked(func() { l.wakeLocked(c, gen, nil) })
	if err := l.parkLocked(c, "Await("+t.name+")"); err != nil {
		if errors.Is(err, ErrCancelled) {
			t.Cancel()
		}
		return nil, err
	}
	return t.Result()
}

// Result is the outcome of one task in GatherAll.
type Result struct {
	Value any
	Err   error
}

// waitSetLocked parks c until every task in ts is done, or (with
// stopOnErr) until one fails. It returns the park error; the lock is held
// again on return.
func (l *Loop) waitSetLocked(c *Task, ts []*Task, stopOnErr bool, what string) error {
	for {
		pending := 0
		for _, t := range ts {
			if !t.done {
				pending++
			} else if stopOnErr && t.err != nil {
				return nil
			}
		}
		if pending == 0 {
			return nil
		}
		gen := l.prepareLocked(c)
		remaining := pending
		for _, t := range ts {
			if t.done {
				continue
			}
			t.onDoneLocked(func() {
				remaining--
				if remaining == 0 || (stopOnErr && t.err != nil) {
					l.wakeLocked(c, gen, nil)
				}
			})
		}
		if err := l.parkLocked(c, what); err != nil {
			l.mu.Lock()
			return err
		}
		l.mu.Lock()
	}
}

// Gather waits for all the tasks and returns their results in the order of
// ts (asyncio.gather). If a task fails, Gather returns at once with the
// first error (the results slice holds what finished so far); the other
// tasks keep running. If the caller is cancelled, every task in ts is
// cancelled too.
func (l *Loop) Gather(ts ...*Task) ([]any, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.currentLocked()
	if err != nil {
		return nil, err
	}
	if err := l.waitSetLocked(c, ts, true, fmt.Sprintf("Gather(%d tasks)", len(ts))); err != nil {
		if errors.Is(err, ErrCancelled) {
			for _, t := range ts {
				l.cancelLocked(t)
			}
		}
		return nil, err
	}
	res := make([]any, len(ts))
	var first *Task
	for i, t := range ts {
		if !t.done {
			continue
		}
		res[i] = t.result
		if t.err != nil && (first == nil || t.finishSeq < first.finishSeq) {
			first = t
		}
	}
	if first != nil {
		return res, first.err
	}
	return res, nil
}

// GatherAll waits for all the tasks and returns every result and error in
// the order of ts (asyncio.gather(..., return_exceptions=True)). The error
// is non-nil only when the caller itself is cancelled (then every task in
// ts is cancelled too).
func (l *Loop) GatherAll(ts ...*Task) ([]Result, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.currentLocked()
	if err != nil {
		return nil, err
	}
	if err := l.waitSetLocked(c, ts, false, fmt.Sprintf("GatherAll(%d tasks)", len(ts))); err != nil {
		if errors.Is(err, ErrCancelled) {
			for _, t := range ts {
				l.cancelLocked(t)
			}
		}
		return nil, err
	}
	res := make([]Result, len(ts))
	for i, t := range ts {
		res[i] = Result{Value: t.result, Err: t.err}
	}
	return res, nil
}

// WaitFor waits at most timeout for t (asyncio.wait_for). On timeout it
// cancels t, waits for it to finish, and returns ErrTimeout.
func (l *Loop) WaitFor(t *Task, timeout time.Duration) (any, error) {
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return nil, err
	}
	if t.done {
		l.mu.Unlock()
		return t.Result()
	}
	if t == c {
		l.mu.Unlock()
		return nil, fmt.Errorf("eventloop: task %s waits for itself", c.name)
	}
	gen := l.prepareLocked(c)
	t.onDoneLocked(func() { l.wakeLocked(c, gen, nil) })
	tm := l.addTimerLocked(time.Now().Add(timeout), func() { l.wakeLocked(c, gen, errTimedOut) })
	err = l.parkLocked(c, fmt.Sprintf("WaitFor(%s, %v)", t.name, timeout))
	l.mu.Lock()
	tm.dead = true
	switch {
	case err == nil:
		l.mu.Unlock()
		return t.Result()
	case err == errTimedOut:
		l.cancelLocked(t)
		// Wait for t to finish its cancellation, as asyncio does.
		if perr := l.waitSetLocked(c, []*Task{t}, false, "WaitFor cancelling "+t.name); perr != nil {
			l.mu.Unlock()
			return nil, perr
		}
		l.mu.Unlock()
		return nil, ErrTimeout
	default:
		if errors.Is(err, ErrCancelled) {
			l.cancelLocked(t)
		}
		l.mu.Unlock()
		return nil, err
	}
}

// Timeout runs fn in the calling task with a deadline (async with
// asyncio.timeout(d)). When d passes, the task is cancelled: fn's current
// await point returns ErrCancelled, and when fn returns with that error,
// Timeout returns ErrTimeout instead. fn runs in the calling task, so it
// may use every await point.
func (l *Loop) Timeout(d time.Duration, fn func() (any, error)) (any, error) {
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return nil, err
	}
	fired := false
	prevDelivered := c.cancelDelivered
	tm := l.addTimerLocked(time.Now().Add(d), func() {
		if !c.done {
			fired = true
			l.cancelLocked(c)
		}
	})
	l.mu.Unlock()
	v, err := fn()
	l.mu.Lock()
	tm.dead = true
	timedOut := fired
	if fired {
		c.mustCancel = false
		c.cancelDelivered = prevDelivered
	}
	l.mu.Unlock()
	if timedOut && errors.Is(err, ErrCancelled) {
		return nil, ErrTimeout
	}
	return v, err
}

// AsCompletedIter hands out tasks in the order they finish. Get one from
// Loop.AsCompleted and loop with Next:
//
//	it := l.AsCompleted(tasks...)
//	for it.Next() {
//		v, err := it.Result()
//		...
//	}
type AsCompletedIter struct {
	l         *Loop
	queue     []*Task
	remaining int
	waiter    *Task
	wgen      uint64
	cur       *Task
	err       error
}

// AsCompleted returns an iterator over ts in completion order
// (asyncio.as_completed). Tasks already done come first, in the order of ts.
func (l *Loop) AsCompleted(ts ...*Task) *AsCompletedIter {
	l.mu.Lock()
	defer l.mu.Unlock()
	it := &AsCompletedIter{l: l, remaining: len(ts)}
	for _, t := range ts {
		t.onDoneLocked(func() {
			it.queue = append(it.queue, t)
			if it.waiter != nil {
				l.wakeLocked(it.waiter, it.wgen, nil)
			}
		})
	}
	return it
}

// Next waits (an await point) for the next task to finish and reports
// whether there is one. It returns false when every task has been handed
// out, or when the calling task is cancelled (then Err says so).
func (it *AsCompletedIter) Next() bool {
	l := it.l
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		it.err = err
		l.mu.Unlock()
		return false
	}
	if it.remaining == 0 {
		it.cur = nil
		l.mu.Unlock()
		return false
	}
	for len(it.queue) == 0 {
		it.waiter, it.wgen = c, l.prepareLocked(c)
		err := l.parkLocked(c, fmt.Sprintf("AsCompleted(%d left)", it.remaining))
		l.mu.Lock()
		it.waiter = nil
		if err != nil {
			it.err = err
			it.cur = nil
			l.mu.Unlock()
			return false
		}
	}
	it.cur = it.queue[0]
	it.queue[0] = nil
	it.queue = it.queue[1:]
	it.remaining--
	l.mu.Unlock()
	return true
}

// Task returns the task handed out by the last successful Next.
func (it *AsCompletedIter) Task() *Task { return it.cur }

// Result is Task().Result().
func (it *AsCompletedIter) Result() (any, error) {
	if it.cur == nil {
		return nil, ErrNotDone
	}
	return it.cur.Result()
}

// Err returns why iteration stopped early (ErrCancelled, ...), or nil.
func (it *AsCompletedIter) Err() error { return it.err }

// ToThread runs fn on a new goroutine and suspends the calling task until
// it returns (asyncio.to_thread): the way to call blocking code (file I/O,
// a CPU-heavy function, time.Sleep) without stalling the loop. A panic in
// fn becomes a *PanicError. If the calling task is cancelled, ToThread
// returns ErrCancelled at once; the goroutine runs on and its result is
// dropped.
func (l *Loop) ToThread(fn func() (any, error)) (any, error) {
	l.mu.Lock()
	c, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return nil, err
	}
	if c.mustCancel {
		return nil, l.parkLocked(c, "ToThread")
	}
	gen := l.prepareLocked(c)
	var res any
	var rerr error
	l.threads++
	go func() {
		v, e := callThread(c.name, fn)
		l.mu.Lock()
		res, rerr = v, e
		l.threads--
		l.wakeLocked(c, gen, nil)
		l.mu.Unlock()
		l.signal()
	}()
	if err := l.parkLocked(c, "ToThread"); err != nil {
		return nil, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return res, rerr
}

func callThread(name string, fn func() (any, error)) (res any, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, &PanicError{Task: name + " (ToThread)", Value: v, Stack: string(debug.Stack())}
		}
	}()
	return fn()
}
