// -*- coding: utf-8 -*-
// ---
// jupyter:
//   jupytext:
//     comment_magics: false
//     formats: ipynb,_src//go:percent
//     notebook_metadata_filter: rise
//     text_representation:
//       extension: .go
//       format_name: percent
//       format_version: '1.3'
//       jupytext_version: 1.19.6
//   kernelspec:
//     display_name: Go (golit)
//     language: go
//     name: golit
//   rise:
//     scroll: true
//     theme: simple
// ---

// %% [markdown] slideshow={"slide_type": "slide"}
// # 6. Generators and delegation: iterators and goroutines
//
// **What you will learn**
//
// - what Python's generators and `yield from` are for: code that pauses, hands out values, and
//   lets another piece of code take over a step;
// - Go's two answers: an **iterator** (`iter.Seq`, a function you `range` over, which calls
//   `yield` for each value; `iter.Pull` turns it into a `next()` you call), and a **goroutine
//   that sends on a channel**, which pauses until someone receives, so a goroutine plus channels
//   is a coroutine that can also be *sent* values;
// - three classic examples rebuilt with goroutines: a running averager, a taxi-fleet simulation
//   and a tiny hand-written scheduler.

// %% [markdown] slideshow={"slide_type": "notes"}
// Iterators (Go 1.23) cover the generators that only hand out values; Go has no yield from and
// no send(), so the coroutine examples (averager, taxis, scheduler) use goroutines and channels.

// %% slideshow={"slide_type": "skip"}
import (
	"golit/chart"
	"golit/steps"
	"golit/timing"
)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A generator is a goroutine that sends
//
// `countdown` produces values one at a time. The consumer decides how many it wants; the `stop`
// channel lets it leave early without leaking the goroutine.

// %% slideshow={"slide_type": "-"}
// countdown sends n, n-1, ..., 1 on the returned channel, or stops when stop is closed.
func countdown(n int, stop <-chan struct{}) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for i := n; i > 0; i-- {
			select {
			case out <- i: // pauses here until the consumer receives: Python's yield
			case <-stop:
				return
			}
		}
	}()
	return out
}

stop := make(chan struct{})
for v := range countdown(5, stop) {
	fmt.Print(v, " ")
	if v == 3 {
		close(stop) // stop early: the generator goroutine returns
		break
	}
}
fmt.Println()

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Go's own generators: iterators
//
// Since Go 1.23 a function of type `iter.Seq[V]`, `func(yield func(V) bool)`, is something you
// can `range` over. It calls `yield` for each value; `yield` returns false when the loop stops
// early (`break`), and the function returns. No goroutine, no channel, nothing to leak.

// %% slideshow={"slide_type": "-"}
// countdownSeq yields n, n-1, ..., 1.
func countdownSeq(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := n; i > 0; i-- {
			if !yield(i) { // the loop body runs here; false: the loop broke
				fmt.Print("(stopped) ")
				return
			}
		}
	}
}

for v := range countdownSeq(5) {
	fmt.Print(v, " ")
	if v == 3 {
		break
	}
}
fmt.Println()
fmt.Println(slices.Collect(countdownSeq(4))) // list(gen) in Python

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### `iter.Pull`: a generator you call `next()` on
//
// `range` pushes the values into the loop body. `iter.Pull` turns the iterator around: `next()`
// returns the next value and whether there was one, like Python's `next(gen)`, and `stop()`
// ends it early, like `gen.close()`.

// %% slideshow={"slide_type": "-"}
next, stopPull := iter.Pull(countdownSeq(3))
v, ok := next()
fmt.Println("next:", v, ok)
v, ok = next()
fmt.Println("next:", v, ok)
v, ok = next()
fmt.Println("next:", v, ok)
v, ok = next()
fmt.Println("next:", v, ok, "(exhausted: Python raises StopIteration here)")
pulled := []int{}
for v, ok := next(); ok; v, ok = next() {
	pulled = append(pulled, v)
}
fmt.Println("after the end, next() keeps answering false:", len(pulled) == 0)
stopPull()

// %% [markdown] slideshow={"slide_type": "fragment"}
// What iterators do not have is `send()`: a Python coroutine receives values while it runs, and
// `yield from` hands a running coroutine to another. For those, the rest of this notebook uses
// goroutines and channels.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The averager
//
// Python's coroutine averager receives numbers with `send()` and, when sent `None`, returns the
// count and the average. In Go: a goroutine reads a channel; **closing the channel** is
// `send(None)`, and the result comes back on another channel.

// %% slideshow={"slide_type": "-"}
// Result of one averager.
type Result struct {
	Count   int
	Average float64
}

// averager reads values until in is closed, then sends their count and average.
func averager(in <-chan float64, out chan<- Result) {
	total, count := 0.0, 0
	for v := range in {
		total += v
		count++
	}
	avg := 0.0
	if count > 0 {
		avg = total / float64(count)
	}
	out <- Result{count, avg}
}

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### Delegation: the grouper
//
// In Python, `grouper` delegates to `averager` with `results[key] = yield from averager()`: the
// caller's values flow straight into the averager, and its return value comes back. In Go the
// "delegating generator" is just code that passes the channel along and waits for the result.

// %% slideshow={"slide_type": "-"}
// grouper starts one averager per key, feeds it the key's values and collects the results.
func grouper(data map[string][]float64) map[string]Result {
	results := map[string]Result{}
	for key, values := range data {
		in, out := make(chan float64), make(chan Result)
		go averager(in, out) // delegate
		for _, v := range values {
			in <- v
		}
		close(in) // Python: send(None)
		results[key] = <-out
	}
	return results
}

data := map[string][]float64{
	"girls;kg": {40.9, 38.5, 44.3, 42.2, 45.2, 41.7, 44.5, 38.0, 40.6, 44.5},
	"girls;m":  {1.6, 1.51, 1.4, 1.3, 1.41, 1.39, 1.33, 1.46, 1.45, 1.43},
	"boys;kg":  {39.0, 40.8, 43.2, 40.8, 43.1, 38.6, 41.4, 40.6, 36.3},
	"boys;m":   {1.38, 1.5, 1.32, 1.25, 1.37, 1.48, 1.25, 1.49, 1.46},
}
sw := timing.Start()
report := grouper(data)
keys := []string{}
for k := range report {
	keys = append(keys, k)
}
sort.Strings(keys)
for _, k := range keys {
	parts := strings.Split(k, ";")
	fmt.Printf("%2d %-5s averaging %.2f%s\n", report[k].Count, parts[0], report[k].Average, parts[1])
}
fmt.Println("in", sw)
steps.Done("06 averager")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The taxi fleet: a discrete-event simulation
//
// Each taxi is a goroutine that tells the simulator what it does next (`leave garage`, `pick up
// passenger`, `drop off passenger`, `going home`) and then **waits to be resumed**. The
// simulator keeps the events in a priority queue ordered by simulated time (`container/heap`),
// always resumes the taxi with the earliest event, and never waits for real time.

// %% slideshow={"slide_type": "-"}
// Event is something a taxi does at a simulated minute.
type Event struct {
	Time   int
	Taxi   int
	Action string
}

// EventQueue is a min-heap of events by time (container/heap.Interface).
type EventQueue []Event

func (q EventQueue) Len() int            { return len(q) }
func (q EventQueue) Less(i, j int) bool  { return q[i].Time < q[j].Time || (q[i].Time == q[j].Time && q[i].Taxi < q[j].Taxi) }
func (q EventQueue) Swap(i, j int)       { q[i], q[j] = q[j], q[i] }
func (q *EventQueue) Push(x any)         { *q = append(*q, x.(Event)) }
func (q *EventQueue) Pop() any           { old := *q; e := old[len(old)-1]; *q = old[:len(old)-1]; return e }

// %% slideshow={"slide_type": "subslide"}
// taxi runs one taxi: it sends its next event on events and waits on resume for the simulated
// time at which that event happens.
func taxi(id, trips, start int, rng *rand.Rand, events chan<- Event, resume <-chan int) {
	events <- Event{start, id, "leave garage"}
	now := <-resume // paused here until the simulator says what time it is
	for i := 0; i < trips; i++ {
		events <- Event{now + 1 + rng.Intn(8), id, "pick up passenger"}
		now = <-resume
		events <- Event{now + 2 + rng.Intn(20), id, "drop off passenger"}
		now = <-resume
	}
	events <- Event{now + 1 + rng.Intn(5), id, "going home"}
	<-resume
	close(resumeDone[id])
}

// resumeDone[i] is closed when taxi i has finished.
var resumeDone map[int]chan struct{}

// %% slideshow={"slide_type": "subslide"}
// simulate runs the fleet until every taxi is home or endTime passes, printing each event.
func simulate(trips []int, endTime int, seed int64, line *chart.Timeline) int {
	rng := rand.New(rand.NewSource(seed))
	events := make(chan Event)
	resumes := map[int]chan int{}
	resumeDone = map[int]chan struct{}{}
	q := &EventQueue{}
	for id, n := range trips {
		resumes[id] = make(chan int)
		resumeDone[id] = make(chan struct{})
		go taxi(id, n, id*5, rng, events, resumes[id])
		heap.Push(q, <-events) // prime each taxi: take its first event
	}
	base := time.Unix(0, 0)
	last := map[int]Event{}
	count := 0
	for q.Len() > 0 {
		e := heap.Pop(q).(Event)
		if e.Time > endTime {
			break
		}
		fmt.Printf("time: %3d %s taxi %d: %s\n", e.Time, strings.Repeat("    ", e.Taxi), e.Taxi, e.Action)
		count++
		if prev, ok := last[e.Taxi]; ok {
			line.Record(fmt.Sprintf("taxi %d", e.Taxi), prev.Action, base.Add(time.Duration(prev.Time)*time.Second), base.Add(time.Duration(e.Time)*time.Second))
		}
		last[e.Taxi] = e
		if e.Action == "going home" {
			resumes[e.Taxi] <- e.Time
			<-resumeDone[e.Taxi]
			continue
		}
		resumes[e.Taxi] <- e.Time // resume the taxi; it answers with its next event
		heap.Push(q, <-events)
	}
	return count
}

// %% slideshow={"slide_type": "subslide"}
taxiLine := chart.NewTimeline("taxi fleet (1 s on the axis = 1 simulated minute)")
sw := timing.Start()
taxiEvents := simulate([]int{2, 4, 6}, 180, 3, taxiLine)
fmt.Println(taxiEvents, "events simulated in", sw)
steps.Done("06 taxis")

// %% slideshow={"slide_type": "fragment"}
taxiLine

// %% [markdown] slideshow={"slide_type": "notes"}
// Only one goroutine runs at a time here: the simulator and a taxi hand control back and forth
// through unbuffered channels. That is exactly what coroutines do.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A scheduler by hand
//
// Without any event-loop library: tasks are goroutines that ask a scheduler to *sleep* and then
// block until it wakes them. The scheduler keeps a heap of wake-up times, sleeps until the
// earliest, and wakes **one task at a time**. This is the core of every event loop.

// %% slideshow={"slide_type": "-"}
// wakeup asks the scheduler to resume a task at a given time.
type wakeup struct {
	at    time.Time
	task  string
	ready chan struct{}
}

// Wakeups is a min-heap by time.
type Wakeups []wakeup

func (w Wakeups) Len() int           { return len(w) }
func (w Wakeups) Less(i, j int) bool { return w[i].at.Before(w[j].at) }
func (w Wakeups) Swap(i, j int)      { w[i], w[j] = w[j], w[i] }
func (w *Wakeups) Push(x any)        { *w = append(*w, x.(wakeup)) }
func (w *Wakeups) Pop() any          { old := *w; x := old[len(old)-1]; *w = old[:len(old)-1]; return x }

// Scheduler runs tasks one at a time, resuming them when their sleep is over.
type Scheduler struct {
	requests chan wakeup
	yielded  chan bool // a task gives control back: true when it has finished
}

// Sleep suspends the calling task for d.
func (s *Scheduler) Sleep(name string, d time.Duration) {
	w := wakeup{time.Now().Add(d), name, make(chan struct{})}
	s.requests <- w
	s.yielded <- false
	<-w.ready
}

// Run starts the tasks and runs until all have returned.
func (s *Scheduler) Run(tasks map[string]func(s *Scheduler)) {
	s.requests, s.yielded = make(chan wakeup, len(tasks)), make(chan bool)
	pending := &Wakeups{}
	for name, fn := range tasks {
		ready := make(chan struct{})
		heap.Push(pending, wakeup{time.Now(), name, ready})
		go func(fn func(s *Scheduler), ready chan struct{}) {
			<-ready
			fn(s)
			s.yielded <- true
		}(fn, ready)
	}
	for alive := len(tasks); alive > 0; {
		w := heap.Pop(pending).(wakeup)
		time.Sleep(time.Until(w.at))
		close(w.ready) // resume exactly one task...
		if done := <-s.yielded; done { // ...and wait until it yields back
			alive--
		} else {
			heap.Push(pending, <-s.requests)
		}
	}
}

// %% slideshow={"slide_type": "subslide"}
order := []string{}
counter := func(name string, n int, step time.Duration) func(s *Scheduler) {
	return func(s *Scheduler) {
		for i := n; i > 0; i-- {
			order = append(order, fmt.Sprintf("%s%d", name, i)) // no lock needed: one task at a time
			s.Sleep(name, step)
		}
	}
}
sw := timing.Start()
(&Scheduler{}).Run(map[string]func(*Scheduler){
	"A": counter("A", 3, 200*time.Millisecond),
	"B": counter("B", 2, 500*time.Millisecond),
	"C": counter("C", 4, 100*time.Millisecond),
})
fmt.Println(strings.Join(order, " "))
schedSecs := sw.Seconds()
if schedSecs < 1.5 {
	fmt.Printf("%.2f s: about the longest task (B: 2 × 0.5 s), not the sum of the sleeps (2.0 s)\n", schedSecs)
} else {
	fmt.Printf("%.2f s: more than the longest task (B: 2 × 0.5 s); the sum of the sleeps is 2.0 s\n", schedSecs)
}
steps.Done("06 scheduler")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison
//
// Python's tools and Go's, side by side:
//
// | Python | Go |
// |---|---|
// | generator function, `yield v` | `iter.Seq` calling `yield(v)`, or a goroutine sending on a channel |
// | `for x in gen` | `for x := range seq` (or `range ch`) |
// | `next(gen)` / `gen.close()` | `next()` / `stop()` from `iter.Pull`, or `<-ch` / `close(stop)` |
// | `gen.send(x)` | send on a second channel |
// | `gen.send(None)` / `StopIteration.value` | `close(ch)` / a result channel |
// | `yield from sub()` | call `sub` (or start it) and forward channels; nothing special |
// | event loop of generators | a scheduler that resumes one goroutine at a time |

// %% slideshow={"slide_type": "skip"}
steps.Need("06 scheduler", "the cells under “A scheduler by hand”")

// %% slideshow={"slide_type": "-"}
chart.NewComparison("hand-made scheduler: A 3×0.2 s, B 2×0.5 s, C 4×0.1 s").
	Add("sum of the sleeps", 0.6+1.0+0.4).
	Add("scheduled together", schedSecs)

// %% slideshow={"slide_type": "skip"}
steps.Need("06 averager", "the cells under “The averager”")
steps.Need("06 taxis", "the cells under “The taxi fleet”")

// %% slideshow={"slide_type": "skip"}
fmt.Printf("RESULT boys_kg=%.2f girls_m=%.2f taxi_events=%d sched_s=%.3f sched_steps=%d\n",
	report["boys;kg"].Average, report["girls;m"].Average, taxiEvents, schedSecs, len(order))

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Write `fibonacci()` as an `iter.Seq[int]` that never ends, and print the first 10 numbers
//    twice: with `range` and `break`, then with `iter.Pull`.
// 2. Give the taxi fleet a fourth taxi with 3 trips that starts at minute 2. Which taxi gets home
//    last?

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 1: a Fibonacci iterator; the caller decides when to stop.
func fibonacci() iter.Seq[int] {
	return func(yield func(int) bool) {
		for a, b := 0, 1; yield(a); a, b = b, a+b {
		}
	}
}

n := 0
for f := range fibonacci() {
	if n == 10 {
		break
	}
	fmt.Print(f, " ")
	n++
}
fmt.Println()

nextFib, stopFib := iter.Pull(fibonacci())
for i := 0; i < 10; i++ {
	f, _ := nextFib()
	fmt.Print(f, " ")
}
stopFib()
fmt.Println()

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("06 taxis", "the cells under “The taxi fleet”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "subslide"} tags=["solution"]
// Exercise 2: four taxis (taxi 3 starts at minute 3*5 = 15 here; change the start formula to
// try other times).
line4 := chart.NewTimeline("four taxis")
simulate([]int{2, 4, 6, 3}, 180, 3, line4)
line4
