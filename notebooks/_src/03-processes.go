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
// # 3. Processes: what they cost, what they buy
//
// **What you will learn**
//
// - how Python's `multiprocessing` sidesteps the GIL — and why Go does not need to;
// - how a *process pool* works underneath: worker processes, messages over pipes, a sentinel to
//   say "no more work";
// - what a process costs (start-up, encoding every argument and result) and what it buys
//   (**isolation**: a crash takes down one worker, not your program).

// %% [markdown] slideshow={"slide_type": "notes"}
// Python's book checks 20 big numbers with processes and gets about 4x on 6 cores. In Go,
// goroutines already get that. Processes are still useful, for a different reason.

// %% slideshow={"slide_type": "skip"}
import (
	"golit/chart"
	"golit/display"
	"golit/futures"
	"golit/steps"
	"golit/timing"
)

allCores := runtime.GOMAXPROCS(0)
fmt.Println("Go", runtime.Version(), "| cores:", allCores)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The same workload, calibrated

// %% slideshow={"slide_type": "-"}
// isPrime reports whether n is prime by trial division.
func isPrime(n int64) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for i := int64(3); i*i <= n; i += 2 {
		if n%i == 0 {
			return false
		}
	}
	return true
}

// %% slideshow={"slide_type": "-"}
const perCheck = 0.15 // seconds of CPU per number
const howMany = 10

probe := timing.Time(func() { isPrime(10_000_000_000_037) })
root := int64(2 * perCheck / (probe.CPU().Seconds() / 1.58e6))
numbers := []int64{}
for c := root * root; len(numbers) < howMany; c++ {
	if big.NewInt(c).ProbablyPrime(20) {
		numbers = append(numbers, c)
	}
}
sequential := timing.Time(func() {
	for _, n := range numbers {
		isPrime(n)
	}
})
fmt.Printf("%d primes near %.2e, sequential:\n%s\n", len(numbers), float64(numbers[0]), sequential)
steps.Done("03 numbers")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A hand-made pool, the shape of the book's `procs.py`
//
// Workers take numbers from a **jobs** queue and put answers on a **results** queue. A `0` in the
// jobs queue is the *poison pill*: "stop". Here the workers are goroutines and the queues are
// channels.
//
// **The race the book tells about:** the first version of the main loop stopped when it had seen
// as many results as jobs — or, in a variant, when the results queue *looked* empty. But empty
// can mean "not yet". The fix is a **sentinel per worker**: every worker sends one last special
// result as it quits, and the main loop stops after one sentinel per worker.

// %% slideshow={"slide_type": "skip"}
steps.Need("03 numbers", "the cells under “The same workload, calibrated”")

// %% slideshow={"slide_type": "subslide"}
// PrimeResult is what a worker reports; Worker < 0 marks a worker's sentinel.
type PrimeResult struct {
	N       int64
	Prime   bool
	Seconds float64
	Worker  int
}

// worker checks numbers from jobs until it receives the poison pill 0.
func worker(id int, jobs <-chan int64, results chan<- PrimeResult) {
	for n := range jobs {
		if n == 0 {
			results <- PrimeResult{Worker: -1 - id} // sentinel: this worker is done
			return
		}
		t := time.Now()
		results <- PrimeResult{N: n, Prime: isPrime(n), Seconds: time.Since(t).Seconds(), Worker: id}
	}
}

// %% slideshow={"slide_type": "fragment"}
// handMadePool checks nums with `workers` goroutines and prints each result as it arrives.
func handMadePool(nums []int64, workers int) {
	jobs := make(chan int64, len(nums)+workers)
	results := make(chan PrimeResult)
	for _, n := range nums {
		jobs <- n
	}
	for i := 0; i < workers; i++ {
		jobs <- 0 // one poison pill per worker
		go worker(i, jobs, results)
	}
	for done := 0; done < workers; {
		r := <-results
		if r.Worker < 0 {
			done++ // count sentinels, not results
			continue
		}
		fmt.Printf("worker %d: %d prime=%v (%.2fs)\n", r.Worker, r.N, r.Prime, r.Seconds)
	}
}

handMade := timing.Time(func() { handMadePool(numbers, allCores) })
fmt.Println(handMade)
steps.Done("03 handmade")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The real thing: a pool of worker processes
//
// `futures.NewProcessPool(n)` starts `n` copies of the golit kernel in *worker mode*. Each one
// loads this notebook's declarations (so it knows `isPrime`), then waits for requests.
// Tasks name the function: `pp.Submit("isPrime", n)`.
//
// | Python `multiprocessing` | golit process pool |
// |---|---|
// | fork/spawn a Python interpreter | start `golit worker` |
// | pickle arguments and results | JSON lines on stdin/stdout |
// | `None`/`0` poison pill | closing the worker's stdin (EOF) |

// %% slideshow={"slide_type": "skip"}
steps.Need("03 numbers", "the cells under “The same workload, calibrated”")

// %% slideshow={"slide_type": "subslide"}
// startPool starts a process pool and reports how long the workers took to be ready.
func startPool(n int) (*futures.ProcessPool, time.Duration) {
	pp := futures.NewProcessPool(n)
	t := time.Now()
	if err := pp.Start(); err != nil {
		panic(err)
	}
	return pp, time.Since(t)
}

pp, startup := startPool(2)
fmt.Println("2 workers ready in", timing.Format(startup), "- pids", pp.PIDs())
f := pp.Submit("isPrime", numbers[0])
fmt.Println(f)
v, err := f.Result()
fmt.Println(f, "->", v, err)
pp.Shutdown(true, false)
steps.Done("03 startPool")

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### 1 to 4 worker processes

// %% slideshow={"slide_type": "-"}
procTimes := map[int]time.Duration{}
procStartup := map[int]time.Duration{}
rows := [][]any{}
procLine := chart.NewTimeline("process pool, 2 workers: which worker ran what")
for n := 1; n <= 4; n++ {
	pp, startup := startPool(n)
	if n == 2 {
		pp.WithRecorder(procLine)
	}
	var r timing.Result
	for try := 0; try < 2; try++ { // keep the faster of two runs: other programs only slow us down
		t := timing.Time(func() {
			if _, err := futures.Collect(pp.Map("isPrime", futures.Items(numbers)...)); err != nil {
				panic(err)
			}
		})
		if try == 0 || t.Wall < r.Wall {
			r = t
		}
	}
	pp.Shutdown(true, false)
	procTimes[n], procStartup[n] = r.Wall, startup
	rows = append(rows, []any{n, timing.Format(startup), timing.Format(r.Wall),
		fmt.Sprintf("%.2fx", sequential.Wall.Seconds()/r.Wall.Seconds())})
}
steps.Done("03 procs")
display.Table([]string{"workers", "start-up", "wall", "speedup"}, rows)

// %% slideshow={"slide_type": "fragment"}
procLine

// %% [markdown] slideshow={"slide_type": "notes"}
// The parent's CPU time does not include the workers' CPU: %time (like IPython) counts this
// process only. That is why we look at wall time here.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## What a task costs
//
// Submit a trivial function many times and divide: the time per task is the executor's own
// overhead. Goroutines hand over a function value; processes encode JSON, write to a pipe, wait
// for the answer and decode it.

// %% slideshow={"slide_type": "skip"}
steps.Need("03 startPool", "the cells under “The real thing: a pool of worker processes”")

// %% slideshow={"slide_type": "-"}
// nothing does nothing: its cost is the executor's.
func nothing(n int) int { return n }

gp := futures.NewGoroutinePool(2)
goOverhead, err := futures.MeasureOverhead(gp, nothing, 1, 2000)
gp.Shutdown(true, false)
pp, _ := startPool(2)
procOverhead, err2 := futures.MeasureOverhead(pp, "nothing", 1, 500)
pp.Shutdown(true, false)
fmt.Println("per task: goroutine pool", timing.Format(goOverhead), "| process pool", timing.Format(procOverhead), err, err2)
fmt.Printf("a process task costs %.0fx a goroutine task\n", procOverhead.Seconds()/goOverhead.Seconds())
steps.Done("03 overhead")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## What a process buys: isolation
//
// `crash` kills the process it runs in (golit turns `os.Exit` in a cell into a panic, so we send
// ourselves SIGKILL). Called in the kernel it would end the kernel; in a worker process it ends
// only the worker: the task fails with `ErrWorkerCrashed` and the pool starts a new worker.

// %% slideshow={"slide_type": "skip"}
steps.Need("03 startPool", "the cells under “The real thing: a pool of worker processes”")

// %% slideshow={"slide_type": "-"}
// crash kills the process it runs in.
func crash(code int) int {
	me, _ := os.FindProcess(os.Getpid())
	me.Kill()
	time.Sleep(time.Second) // the signal arrives before this ends
	return code
}

pp, _ := startPool(1)
before := pp.PIDs()
_, crashErr := pp.Submit("crash", 3).Result()
fmt.Println("crash task:", crashErr)
fmt.Println("crashed worker detected:", errors.Is(crashErr, futures.ErrWorkerCrashed))
again, err := pp.Submit("isPrime", 97).Result()
fmt.Println("next task still works:", again, err, "| pids before", before, "after", pp.PIDs())
pp.Shutdown(true, false)
steps.Done("03 crash")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison

// %% slideshow={"slide_type": "skip"}
steps.Need("03 handmade", "the cells under “A hand-made pool”")
steps.Need("03 procs", "the cell under “1 to 4 worker processes”")
steps.Need("03 overhead", "the cell under “What a task costs”")
steps.Need("03 crash", "the cell under “What a process buys: isolation”")

// %% slideshow={"slide_type": "-"}
cmp := chart.NewComparison(fmt.Sprintf("checking %d primes", len(numbers))).
	AddDuration("sequential", sequential.Wall).
	AddDuration(fmt.Sprintf("%d goroutines", allCores), handMade.Wall)
for n := 1; n <= 4; n++ {
	cmp.AddDuration(fmt.Sprintf("%d worker processes", n), procTimes[n])
}
cmp

// %% slideshow={"slide_type": "-"}
speedup := func(d time.Duration) float64 { return sequential.Wall.Seconds() / d.Seconds() }
fmt.Printf("Speed against sequential on %d cores: %d goroutines %.2fx, 1 process %.2fx, 2 processes %.2fx, 4 processes %.2fx.\n",
	allCores, allCores, speedup(handMade.Wall), speedup(procTimes[1]), speedup(procTimes[2]), speedup(procTimes[4]))
if allCores == 2 && speedup(procTimes[4]) < 1.15*speedup(procTimes[2]) {
	fmt.Println("4 processes did no better than 2: more workers than cores add nothing.")
}

// %% slideshow={"slide_type": "skip"}
fmt.Printf("RESULT seq_s=%.3f goroutines_s=%.3f proc1_s=%.3f proc2_s=%.3f proc4_s=%.3f startup2_ms=%.1f\n",
	sequential.Wall.Seconds(), handMade.Wall.Seconds(), procTimes[1].Seconds(), procTimes[2].Seconds(), procTimes[4].Seconds(), float64(procStartup[2].Microseconds())/1000)
fmt.Printf("RESULT overhead_goroutine_us=%.1f overhead_process_us=%.1f crash_isolated=%v\n",
	float64(goOverhead.Nanoseconds())/1000, float64(procOverhead.Nanoseconds())/1000, errors.Is(crashErr, futures.ErrWorkerCrashed))

// %% [markdown] slideshow={"slide_type": "slide"}
// ## What to remember
//
// - Worker processes run in parallel like goroutines do, at most one per core (the numbers
//   above say how close they came here).
// - Every worker costs a process start; every task costs encoding and a pipe round trip.
// - In Go, **processes buy isolation, not parallelism**.
//
// ## Exercises
//
// 1. `imap_unordered`: submit every number to a 2-worker pool and print the results in the order
//    they finish, with `futures.AsCompleted`.
// 2. Change `handMadePool` to put the poison pills in the jobs queue *before* the numbers. What
//    happens, and why?

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("03 startPool", "the cells under “The real thing: a pool of worker processes”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 1: results in completion order.
pp, _ := startPool(2)
fs := []*futures.Future{}
for _, n := range numbers[:4] {
	fs = append(fs, pp.Submit("isPrime", n))
}
for f := range futures.AsCompleted(fs, 0) {
	v, err := f.Result()
	fmt.Println(f, v, err)
}
pp.Shutdown(true, false)

// %% [markdown] jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 2: every worker swallows a pill first and quits at once: no number is ever checked, and
// the main loop sees its sentinels and returns with nothing printed. Order matters in a queue.
