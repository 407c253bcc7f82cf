package futures

import (
	"strconv"
	"time"
)

// GoroutinePool is an Executor that runs tasks on at most n goroutines:
// Python's ThreadPoolExecutor, with goroutines for threads. Workers start as
// tasks arrive and stay until Shutdown. Tasks queue without limit, so Submit
// never blocks.
//
// Go has no GIL: on a machine with several cores, CPU-bound tasks in a
// goroutine pool do run in parallel (see runtime.GOMAXPROCS).
type GoroutinePool struct {
	q   queue
	rec recorderSlot
}

// NewGoroutinePool returns a pool of at most n worker goroutines. n must be
// at least 1: with 0 workers no task would ever run, so NewGoroutinePool
// panics with a message that says so (ValueError in Python). For one worker
// per core, pass runtime.GOMAXPROCS(0).
func NewGoroutinePool(n int) *GoroutinePool {
	checkWorkers("NewGoroutinePool", n, "runtime.GOMAXPROCS(0)")
	p := &GoroutinePool{}
	p.q.init(n, p.run, nil)
	return p
}

// NewThreadPool is NewGoroutinePool under the name Python readers look for
// (ThreadPoolExecutor(max_workers=n)).
func NewThreadPool(n int) *GoroutinePool {
	checkWorkers("NewThreadPool", n, "runtime.GOMAXPROCS(0)")
	return NewGoroutinePool(n)
}

// WithRecorder makes the pool report every task to r (lane "worker N",
// label "task K" for Submit, the item for Map) and returns the pool, for
// chaining: futures.NewGoroutinePool(4).WithRecorder(timeline).
func (p *GoroutinePool) WithRecorder(r Recorder) *GoroutinePool {
	p.rec.set(r)
	return p
}

// Workers returns the maximum number of worker goroutines.
func (p *GoroutinePool) Workers() int { return p.q.max }

// Submit schedules fn(args...) and returns its future at once.
//
// fn is any function whose results are (), (T), (error) or (T, error), for
// example func() (any, error), func(any) (any, error), or a plain
// func isPrime(n int) bool with Submit(isPrime, 97). Arguments must match
// fn's parameters (numbers convert); if they do not, the future's error says
// why. A panic in fn becomes a *PanicError.
func (p *GoroutinePool) Submit(fn any, args ...any) *Future {
	c, err := adapt(fn)
	if err != nil {
		return failedFuture(err)
	}
	return p.push(&job{call: c, args: args, kind: labelSubmit})
}

func (p *GoroutinePool) push(j *job) *Future {
	j.f = newFuture()
	if !p.q.push(j) {
		return failedFuture(ErrShutdown)
	}
	return j.f
}

// Map calls fn(item) for every item on the pool and delivers the results in
// input order: Python's executor.map. All tasks are submitted at once; the
// channel yields result i as soon as tasks 0..i are done, and is closed after
// the last. Errors stay at their position and do not stop the others.
//
//	for r := range ex.Map(download, futures.Items(codes)...) {
//		if r.Err != nil { ... }
//	}
func (p *GoroutinePool) Map(fn any, items ...any) <-chan Result {
	fs := make([]*Future, len(items))
	c, err := adapt(fn)
	for i, it := range items {
		if err != nil {
			fs[i] = failedFuture(err)
			continue
		}
		fs[i] = p.push(&job{call: c, args: []any{it}, item: it, kind: labelItem})
	}
	return inOrder(fs)
}

// Shutdown stops accepting tasks (later Submits return a future failed with
// ErrShutdown). With cancelFutures, queued tasks are cancelled; running ones
// always finish. With wait, it returns when all tasks are done and the
// worker goroutines have exited.
func (p *GoroutinePool) Shutdown(wait, cancelFutures bool) {
	p.q.close(wait, cancelFutures)
}

// Pending returns the number of tasks waiting for a worker.
func (p *GoroutinePool) Pending() int { return p.q.pending() }

func (p *GoroutinePool) run(slot int, j *job) {
	defer traceTask("worker "+strconv.Itoa(slot), j)()
	r := p.rec.get()
	if r == nil {
		j.f.finish(Protect(func() (any, error) { return j.call(j.args) }))
		return
	}
	start := time.Now()
	v, err := Protect(func() (any, error) { return j.call(j.args) })
	record(r, "worker "+strconv.Itoa(slot), j.label(), start, time.Now())
	j.f.finish(v, err)
}
