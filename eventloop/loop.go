package eventloop

import (
	"container/heap"
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Recorder receives one span per finished task (and, with
// Options.RecordSlices, one per turn a task held the loop). chart.Timeline
// implements it. Record may be called from several goroutines.
type Recorder interface {
	Record(lane, label string, start, end time.Time)
}

// Options configure a Loop. The zero value is ready to use.
type Options struct {
	// Context, when cancelled, cancels every task (main included); Run then
	// returns the context's error. A kernel interrupt can use it.
	Context context.Context

	// Recorder, when set, receives one span per task, from the moment the
	// task first ran to the moment it finished, on a lane named after the
	// task. When nil, recording costs nothing.
	Recorder Recorder

	// RecordSlices also records every turn a task held the loop, on one lane
	// named "loop": the bars never overlap, which shows that only one task
	// runs at a time, and a task that blocks shows up as one long bar.
	RecordSlices bool

	// NoDeadlockCheck turns off deadlock detection. Set it when goroutines
	// outside the loop wake tasks through CallSoon or Task.Cancel.
	NoDeadlockCheck bool
}

// Loop is an event loop that runs tasks cooperatively, like asyncio: exactly
// one task runs at a time, and it runs until it reaches an await point
// (Sleep, Await, Gather, WaitFor, Queue.Get, Semaphore.Acquire, ToThread, ...).
// Only there can another task run. A task that blocks without awaiting (a
// plain time.Sleep, a busy loop) stalls every other task.
//
// Loop methods that wait (the await points) must be called from the code of
// a task of this loop. CallSoon, CallLater and Task.Cancel may be called from
// anywhere.
type Loop struct {
	opts Options

	mu       sync.Mutex
	ready    []item // FIFO of runnable items; head at readyHead
	head     int
	timers   timerHeap
	seq      uint64
	current  *Task
	live     int // tasks created and not finished
	threads  int // ToThread goroutines in flight
	nextID   int
	used     bool
	ctxDone  bool
	ctxSeen  bool
	mainDone bool
	finished bool               // the scheduler has returned
	tasks    map[*Task]struct{} // live tasks, for cancellation and deadlock reports

	wake  chan struct{} // buffered(1): something was posted
	yield chan struct{} // a task hands the token back
	start time.Time
	main  *Task
}

type item struct {
	t  *Task
	fn func()
}

// New returns a Loop configured by opts. Start it with Run.
func New(opts Options) *Loop {
	return &Loop{
		opts:  opts,
		wake:  make(chan struct{}, 1),
		yield: make(chan struct{}),
		tasks: make(map[*Task]struct{}),
	}
}

// Run creates a Loop, runs main as its first task and returns main's result
// once main and every task it created have finished. When main returns,
// the tasks still running are cancelled, as asyncio.run does.
func Run(main func(l *Loop) (any, error)) (any, error) {
	return New(Options{}).Run(main)
}

// RunContext is Run with a context: cancelling ctx cancels every task.
func RunContext(ctx context.Context, main func(l *Loop) (any, error)) (any, error) {
	return New(Options{Context: ctx}).Run(main)
}

// Run runs main as the loop's first task (named "main") and returns its
// result when main and every other task have finished. Tasks still
// running when main returns are cancelled. A Loop runs once.
func (l *Loop) Run(main func(l *Loop) (any, error)) (any, error) {
	if main == nil {
		return nil, fmt.Errorf("eventloop: Run: main is nil")
	}
	l.mu.Lock()
	if l.used {
		l.mu.Unlock()
		return nil, ErrLoopUsed
	}
	l.used = true
	l.start = time.Now()
	l.main = l.newTaskLocked("main", func() (any, error) { return main(l) }, false)
	l.mu.Unlock()

	if l.opts.Context == nil {
		if f := baseContext.Load(); f != nil {
			l.opts.Context = (*f)()
		}
	}
	if ctx := l.opts.Context; ctx != nil {
		stop := context.AfterFunc(ctx, func() {
			l.mu.Lock()
			l.ctxDone = true
			l.mu.Unlock()
			l.signal()
		})
		defer stop()
	}
	l.schedule()

	l.mu.Lock()
	defer l.mu.Unlock()
	res, err := l.main.result, l.main.err
	if l.ctxDone && l.main.cancelled {
		err = fmt.Errorf("eventloop: run stopped: %w", l.opts.Context.Err())
	}
	return res, err
}

var baseContext atomic.Pointer[func() context.Context]

// SetBaseContext installs f as the source of the context of every loop
// run without Options.Context; nil removes it. The golit kernel installs
// one that returns the running cell's context, so that interrupting a
// cell cancels the tasks of its event loop and Run returns.
func SetBaseContext(f func() context.Context) {
	if f == nil {
		baseContext.Store(nil)
		return
	}
	baseContext.Store(&f)
}

// Elapsed is the time since Run started (asyncio's loop.time(), counted from
// the start of the run).
func (l *Loop) Elapsed() time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	return time.Since(l.start)
}

// CurrentTask returns the task that is running, or nil when called from a
// callback or from outside the loop.
func (l *Loop) CurrentTask() *Task {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.current
}

// signal wakes the scheduler if it is idle. Never blocks.
func (l *Loop) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *Loop) pushLocked(it item) {
	l.ready = append(l.ready, it)
}

func (l *Loop) popLocked() (item, bool) {
	if l.head >= len(l.ready) {
		return item{}, false
	}
	it := l.ready[l.head]
	l.ready[l.head] = item{}
	l.head++
	if l.head == len(l.ready) {
		l.ready = l.ready[:0]
		l.head = 0
	} else if l.head > 1024 && l.head*2 > len(l.ready) {
		n := copy(l.ready, l.ready[l.head:])
		l.ready = l.ready[:n]
		l.head = 0
	}
	return it, true
}

// schedule is the loop itself: run ready items in FIFO order, fire due
// timers, and sleep when there is nothing to do.
func (l *Loop) schedule() {
	var idle *time.Timer
	defer func() {
		if idle != nil {
			idle.Stop()
		}
	}()
	for {
		l.mu.Lock()
		if l.ctxDone && !l.ctxSeen {
			l.ctxSeen = true
			l.cancelAllLocked(nil)
		}
		if l.main.done && !l.mainDone {
			l.mainDone = true
			l.cancelAllLocked(nil)
		}
		var now time.Time
		if len(l.timers) > 0 {
			now = time.Now()
			for len(l.timers) > 0 && !l.timers[0].when.After(now) {
				tm := heap.Pop(&l.timers).(*timer)
				if !tm.dead {
					tm.fire()
				}
			}
		}
		if it, ok := l.popLocked(); ok {
			l.mu.Unlock()
			l.runItem(it)
			continue
		}
		if l.live == 0 {
			l.finished = true
			l.mu.Unlock()
			return
		}
		if len(l.timers) == 0 && l.threads == 0 && !l.opts.NoDeadlockCheck {
			l.breakDeadlockLocked()
			l.mu.Unlock()
			continue
		}
		var timerC <-chan time.Time
		if len(l.timers) > 0 {
			d := l.timers[0].when.Sub(now)
			if idle == nil {
				idle = time.NewTimer(d)
			} else {
				idle.Reset(d)
			}
			timerC = idle.C
		}
		l.mu.Unlock()
		select {
		case <-l.wake:
		case <-timerC:
		}
	}
}

// runItem runs a callback, or hands the token to a task until it yields.
func (l *Loop) runItem(it item) {
	if it.fn != nil {
		l.runCallback(it.fn)
		return
	}
	t := it.t
	l.mu.Lock()
	if t.done {
		l.mu.Unlock()
		return
	}
	l.current = t
	first := !t.started
	if first {
		t.started = true
		if t.mustCancel {
			// Cancelled before it ever ran: it finishes without running.
			t.cancelDelivered = true
			l.current = nil
			l.finishLocked(t, nil, ErrCancelled)
			l.mu.Unlock()
			l.recordTask(t)
			return
		}
		if l.opts.Recorder != nil {
			t.startTime = time.Now()
		}
	}
	l.mu.Unlock()

	var sliceStart time.Time
	if l.opts.RecordSlices && l.opts.Recorder != nil {
		sliceStart = time.Now()
	}
	if first {
		go l.taskMain(t)
	} else {
		t.resume <- struct{}{}
	}
	<-l.yield
	if !sliceStart.IsZero() {
		l.opts.Recorder.Record("loop", t.name, sliceStart, time.Now())
	}
	l.mu.Lock()
	l.current = nil
	l.mu.Unlock()
}

func (l *Loop) runCallback(fn func()) {
	defer func() {
		if v := recover(); v != nil {
			fmt.Fprintf(os.Stderr, "eventloop: callback panicked: %v\n%s", v, debug.Stack())
		}
	}()
	fn()
}

// taskMain is the body of a task's goroutine. It starts holding the token.
func (l *Loop) taskMain(t *Task) {
	res, err := l.call(t)
	l.mu.Lock()
	l.finishLocked(t, res, err)
	l.mu.Unlock()
	l.recordTask(t)
	l.yield <- struct{}{}
}

func (l *Loop) call(t *Task) (res any, err error) {
	defer func() {
		if v := recover(); v != nil {
			res, err = nil, &PanicError{Task: t.name, Value: v, Stack: string(debug.Stack())}
		}
	}()
	return t.fn()
}

func (l *Loop) recordTask(t *Task) {
	if r := l.opts.Recorder; r != nil {
		start := t.startTime
		if start.IsZero() {
			start = t.endTime
		}
		r.Record(t.name, t.name, start, t.endTime)
	}
}

// cancelAllLocked cancels every live task except keep.
func (l *Loop) cancelAllLocked(keep *Task) {
	ts := make([]*Task, 0, len(l.tasks))
	for t := range l.tasks {
		if t != keep {
			ts = append(ts, t)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].id < ts[j].id })
	for _, t := range ts {
		l.cancelLocked(t)
	}
}

// breakDeadlockLocked wakes every waiting task with a DeadlockError.
func (l *Loop) breakDeadlockLocked() {
	ts := make([]*Task, 0, len(l.tasks))
	for t := range l.tasks {
		if t.suspended {
			ts = append(ts, t)
		}
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].id < ts[j].id })
	desc := make([]string, len(ts))
	for i, t := range ts {
		desc[i] = t.name + " waits in " + t.waitingOn
	}
	err := &DeadlockError{Waiting: desc}
	for _, t := range ts {
		l.wakeLocked(t, t.gen, err)
	}
}

// current task, for an await point.
func (l *Loop) currentLocked() (*Task, error) {
	if l.current == nil {
		return nil, ErrNotInTask
	}
	return l.current, nil
}

// parkLocked suspends t (which holds the token and the lock) until a wake
// with the generation returned by prepareLocked. It returns the wake error:
// nil, ErrCancelled, errTimedOut or a DeadlockError. It unlocks l.mu.
func (l *Loop) parkLocked(t *Task, what string) error {
	if t.mustCancel {
		t.mustCancel = false
		t.cancelDelivered = true
		l.mu.Unlock()
		return ErrCancelled
	}
	t.suspended = true
	t.waitingOn = what
	l.mu.Unlock()
	l.yield <- struct{}{}
	<-t.resume
	l.mu.Lock()
	err := t.wakeErr
	t.wakeErr = nil
	if err == ErrCancelled {
		t.cancelDelivered = true
	}
	l.mu.Unlock()
	return err
}

// prepareLocked starts a new wait generation for t: wakes registered with
// an older generation are ignored.
func (l *Loop) prepareLocked(t *Task) uint64 {
	t.gen++
	return t.gen
}

// wakeLocked makes t runnable again if it is still suspended in wait gen.
func (l *Loop) wakeLocked(t *Task, gen uint64, err error) bool {
	if !t.suspended || t.gen != gen {
		return false
	}
	t.suspended = false
	t.waitingOn = ""
	t.wakeErr = err
	t.gen++
	l.pushLocked(item{t: t})
	l.signal()
	return true
}

// addTimerLocked runs fire (under the lock, on the scheduler) at when.
func (l *Loop) addTimerLocked(when time.Time, fire func()) *timer {
	l.seq++
	tm := &timer{when: when, seq: l.seq, fire: fire}
	heap.Push(&l.timers, tm)
	l.signal()
	return tm
}

// Sleep suspends the calling task for d, letting the others run
// (asyncio.sleep). Sleep(0) just gives the others a turn. It returns
// ErrCancelled if the task is cancelled while sleeping.
func (l *Loop) Sleep(d time.Duration) error {
	l.mu.Lock()
	t, err := l.currentLocked()
	if err != nil {
		l.mu.Unlock()
		return err
	}
	if d <= 0 {
		if t.mustCancel {
			return l.parkLocked(t, "Sleep(0)") // delivers the cancellation
		}
		// Yield: go to the back of the ready queue.
		l.pushLocked(item{t: t})
		l.mu.Unlock()
		l.yield <- struct{}{}
		<-t.resume
		return nil
	}
	gen := l.prepareLocked(t)
	var tm *timer
	tm = l.addTimerLocked(time.Now().Add(d), func() { l.wakeLocked(t, gen, nil) })
	err = l.parkLocked(t, "Sleep")
	if err != nil {
		l.mu.Lock()
		tm.dead = true
		l.mu.Unlock()
	}
	return err
}

// Handle is a callback scheduled with CallLater; Cancel stops it.
type Handle struct {
	l  *Loop
	tm *timer
}

// Cancel stops the callback if it has not run yet.
func (h *Handle) Cancel() {
	if h == nil || h.tm == nil {
		return
	}
	h.l.mu.Lock()
	h.tm.dead = true
	h.l.mu.Unlock()
}

// CallSoon schedules fn to run on the loop, between tasks, after the tasks
// and callbacks already ready (loop.call_soon; it is also safe from other
// goroutines, like call_soon_threadsafe). fn must not call await points; a
// panic in fn is reported on standard error and does not stop the loop.
func (l *Loop) CallSoon(fn func()) {
	l.mu.Lock()
	l.pushLocked(item{fn: fn})
	l.mu.Unlock()
	l.signal()
}

// CallLater schedules fn to run on the loop after d (loop.call_later).
// Callbacks still pending when every task has finished do not run.
func (l *Loop) CallLater(d time.Duration, fn func()) *Handle {
	l.mu.Lock()
	defer l.mu.Unlock()
	tm := l.addTimerLocked(time.Now().Add(d), func() { l.pushLocked(item{fn: fn}) })
	return &Handle{l: l, tm: tm}
}

type timer struct {
	when time.Time
	seq  uint64
	fire func()
	dead bool
}

type timerHeap []*timer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *timerHeap) Push(x any)   { *h = append(*h, x.(*timer)) }
func (h *timerHeap) Pop() any {
	old := *h
	n := len(old)
	x := old[n-1]
	old[n-1] = nil
	*h = old[:n-1]
	return x
}
