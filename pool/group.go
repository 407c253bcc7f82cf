package pool

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"time"

	"github.com/golit/golit/futures"
)

// Recorder receives one interval per task when a Group records a timeline:
// lane "worker N" (N is the slot the task ran in, 1..limit), a label, start
// and end. chart.Timeline implements it.
type Recorder interface {
	Record(lane, label string, start, end time.Time)
}

// Group runs tasks in goroutines, at most limit at a time, and waits for
// them: errgroup with a limit, or conc's pool, without generics so notebook
// cells can use it.
//
// By default a Group fails fast: the first task error (or panic) cancels
// the group's context, tasks not yet started are skipped, and Wait returns
// that first error. With CollectErrors every task runs and Wait returns all
// errors joined.
//
// See the package documentation for a before/after example.
type Group struct {
	ctx     context.Context
	cancel  context.CancelCauseFunc
	sem     chan struct{}
	wg      sync.WaitGroup
	collect bool
	rec     Recorder

	mu      sync.Mutex
	first   error
	errs    []error
	skipped bool
	free    []int // free slot numbers, for the recorder
	slots   int
	seq     int
}

// NewGroup returns a fail-fast group whose tasks run at most limit at once
// and receive a context derived from ctx. limit must be at least 1 (NoLimit
// for no limit): NewGroup panics otherwise, with a message that says so.
func NewGroup(ctx context.Context, limit int) *Group {
	if err := checkLimit(limit); err != nil {
		panic(err.Error())
	}
	if ctx == nil {
		ctx = context.Background()
	}
	g := &Group{}
	g.ctx, g.cancel = context.WithCancelCause(ctx)
	if limit != NoLimit {
		g.sem = make(chan struct{}, limit)
	}
	return g
}

// CollectErrors switches the group to run every task whatever happens to
// the others; Wait then returns all their errors joined (errors.Join). Call
// it before the first Go. It returns g for chaining.
func (g *Group) CollectErrors() *Group {
	g.collect = true
	return g
}

// WithRecorder makes the group report each task to r and returns g.
func (g *Group) WithRecorder(r Recorder) *Group {
	g.rec = r
	return g
}

// Context returns the context tasks receive. In a fail-fast group it is
// cancelled by the first error; context.Cause tells which.
func (g *Group) Context() context.Context { return g.ctx }

// Go runs task in a new goroutine. If limit tasks are already running, Go
// waits for one of them to finish first. If the group's context is done
// (after a failure in a fail-fast group, or because the parent context was
// cancelled), the task is not started.
func (g *Group) Go(task func(ctx context.Context) error) {
	if g.ctx.Err() != nil {
		g.skip()
		return
	}
	if g.sem != nil {
		select {
		case g.sem <- struct{}{}:
		case <-g.ctx.Done():
			g.skip()
			return
		}
		if g.ctx.Err() != nil { // a slot and the cancellation came together
			<-g.sem
			g.skip()
			return
		}
	}
	g.wg.Add(1)
	go g.run(task)
}

func (g *Group) skip() {
	g.mu.Lock()
	g.skipped = true
	g.mu.Unlock()
}

func (g *Group) run(task func(ctx context.Context) error) {
	defer g.wg.Done()
	if g.sem != nil {
		defer func() { <-g.sem }()
	}
	var slot int
	var start time.Time
	if g.rec != nil {
		slot = g.takeSlot()
		start = time.Now()
	}
	_, err := futures.Protect(func() (any, error) { return nil, task(g.ctx) })
	if g.rec != nil {
		g.record(slot, start)
	}
	if err != nil {
		g.fail(err)
	}
}

func (g *Group) fail(err error) {
	g.mu.Lock()
	if g.first == nil {
		g.first = err
	}
	g.errs = append(g.errs, err)
	g.mu.Unlock()
	if !g.collect {
		g.cancel(err)
	}
}

func (g *Group) takeSlot() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.seq++
	if n := len(g.free); n > 0 {
		s := g.free[n-1]
		g.free = g.free[:n-1]
		return s
	}
	g.slots++
	return g.slots
}

func (g *Group) record(slot int, start time.Time) {
	end := time.Now()
	g.mu.Lock()
	g.free = append(g.free, slot)
	seq := g.seq
	g.mu.Unlock()
	func() {
		defer func() { _ = recover() }()
		g.rec.Record("worker "+strconv.Itoa(slot), "task "+strconv.Itoa(seq), start, end)
	}()
}

// Wait waits for all started tasks and returns: in a fail-fast group the
// first error; with CollectErrors all errors joined; nil if every task
// succeeded. If tasks were skipped because the parent context was
// cancelled, the parent's error is returned too (alone in a fail-fast group
// where no task failed). Panics in
// tasks are returned as *futures.PanicError. The group's context is
// cancelled when Wait returns.
func (g *Group) Wait() error {
	g.wg.Wait()
	g.mu.Lock()
	defer g.mu.Unlock()
	var err error
	switch {
	case g.collect && (len(g.errs) > 0 || g.skipped):
		errs := g.errs
		if g.skipped {
			errs = append(errs, context.Cause(g.ctx))
		}
		err = errors.Join(errs...)
	case g.first != nil:
		err = g.first
	case g.skipped:
		err = context.Cause(g.ctx)
	}
	g.cancel(context.Canceled)
	return err
}

// Run runs tasks with at most limit at once and waits: the first error
// cancels the context the others receive, tasks not yet started are
// skipped, and Run returns that error. A limit below 1 is an error and
// runs nothing.
func Run(ctx context.Context, limit int, tasks ...func(ctx context.Context) error) error {
	if err := checkLimit(limit); err != nil {
		return err
	}
	g := NewGroup(ctx, limit)
	for _, t := range tasks {
		g.Go(t)
	}
	return g.Wait()
}

// RunAll runs every task with at most limit at once, whatever errors the
// others return, and returns all errors joined (nil if none). A limit
// below 1 is an error and runs nothing.
func RunAll(ctx context.Context, limit int, tasks ...func(ctx context.Context) error) error {
	if err := checkLimit(limit); err != nil {
		return err
	}
	g := NewGroup(ctx, limit).CollectErrors()
	for _, t := range tasks {
		g.Go(t)
	}
	return g.Wait()
}
