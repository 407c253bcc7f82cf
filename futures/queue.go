package futures

import (
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Recorder receives one interval per task when an executor records a
// timeline: the lane (the worker that ran it, "worker 2", "process 1"), a
// label for the task, and when it started and ended. chart.Timeline
// implements it. Executors with no recorder skip the clock reads entirely.
type Recorder interface {
	Record(lane, label string, start, end time.Time)
}

// recorderSlot holds an optional Recorder that can be set while workers run.
type recorderSlot struct{ v atomic.Value }

type recorderBox struct{ r Recorder }

func (s *recorderSlot) set(r Recorder) { s.v.Store(recorderBox{r}) }

func (s *recorderSlot) get() Recorder {
	b, _ := s.v.Load().(recorderBox)
	return b.r
}

// record calls r.Record; a recorder that panics loses its interval, never the
// task's result.
func record(r Recorder, lane, label string, start, end time.Time) {
	defer func() { _ = recover() }()
	r.Record(lane, label, start, end)
}

// job is one submitted task waiting in a queue.
type job struct {
	f *Future
	// goroutine pool: the function and its arguments
	call caller
	args []any
	// process pool: the function name and JSON-encoded arguments
	name string
	raw  []json.RawMessage
	// label for the timeline, built only when a recorder is set
	seq  int
	item any
	kind int
}

const (
	labelSubmit = iota // "task 3"
	labelItem          // the Map item
	labelCall          // "isPrime(7)"
)

func (j *job) label() string {
	switch j.kind {
	case labelItem:
		return short(fmt.Sprint(j.item))
	case labelCall:
		s := j.name + "("
		for i, a := range j.raw {
			if i > 0 {
				s += ", "
			}
			s += string(a)
		}
		return short(s + ")")
	}
	return fmt.Sprintf("task %d", j.seq)
}

func short(s string) string {
	const max = 32
	if len(s) > max {
		return s[:max-3] + "..."
	}
	return s
}

// queue is the FIFO and the set of worker goroutines ("slots") shared by both
// executors. Slots start lazily, one per Submit that finds no idle slot, up
// to max, like Python's ThreadPoolExecutor. Each slot runs one job at a time.
type queue struct {
	mu      sync.Mutex
	cond    sync.Cond
	jobs    []*job
	max     int
	slots   int // live slot goroutines
	spawned int // slot ids handed out so far
	idle    int // slots waiting for a job that nobody has woken yet
	seq     int
	closed  bool
	wg      sync.WaitGroup

	// run runs a started job in slot and finishes its future.
	run func(slot int, j *job)
	// exit is called when a slot goroutine ends (optional).
	exit func(slot int)
}

func (q *queue) init(max int, run func(int, *job), exit func(int)) {
	q.cond.L = &q.mu
	q.max = max
	q.run = run
	q.exit = exit
}

// push queues j and reports false if the queue is closed.
func (q *queue) push(j *job) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.seq++
	j.seq = q.seq
	q.jobs = append(q.jobs, j)
	if q.idle > 0 {
		q.idle--
		q.cond.Signal()
	} else if q.slots < q.max {
		q.spawned++
		q.startSlot(q.spawned)
	}
	return true
}

// startSlot starts a slot goroutine; q.mu must be held.
func (q *queue) startSlot(id int) {
	q.slots++
	q.wg.Add(1)
	go q.loop(id)
}

func (q *queue) loop(slot int) {
	var cur *job
	normal := false
	defer func() {
		if !normal {
			// The task called runtime.Goexit: fail it and put a fresh
			// slot in this one's place if work is waiting.
			if cur != nil {
				cur.f.finish(nil, errGoexit)
			}
			q.mu.Lock()
			q.slots--
			if len(q.jobs) > 0 {
				q.startSlot(slot)
			}
			q.mu.Unlock()
		}
		if q.exit != nil {
			q.exit(slot)
		}
		q.wg.Done()
	}()
	for {
		q.mu.Lock()
		for len(q.jobs) == 0 && !q.closed {
			q.idle++
			q.cond.Wait()
		}
		if len(q.jobs) == 0 {
			q.slots--
			q.mu.Unlock()
			normal = true
			return
		}
		j := q.jobs[0]
		q.jobs[0] = nil
		q.jobs = q.jobs[1:]
		q.mu.Unlock()
		if !j.f.start() {
			continue // cancelled while queued
		}
		cur = j
		q.run(slot, j)
		cur = nil
	}
}

// close stops accepting jobs; with cancel, queued jobs are cancelled. Slots
// finish the remaining jobs and exit. With wait, close returns when they have.
func (q *queue) close(wait, cancel bool) {
	q.mu.Lock()
	q.closed = true
	var dropped []*job
	if cancel {
		dropped = q.jobs
		q.jobs = nil
	}
	q.idle = 0
	q.cond.Broadcast()
	q.mu.Unlock()
	for _, j := range dropped {
		j.f.Cancel()
	}
	if wait {
		q.wg.Wait()
	}
}

// pending returns the number of queued jobs not yet taken by a slot.
func (q *queue) pending() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.jobs)
}
