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
// # 4. Futures: downloading flags
//
// **What you will learn**
//
// - the classic concurrency exercise: download 20 flags from a slow server, one by one and then
//   with a pool of goroutines;
// - the **Future**: a placeholder for a result that is not there yet, and its states
//   (pending → running → finished);
// - the two ways to collect results: `Map` (input order) and `AsCompleted` (finishing order).

// %% [markdown] slideshow={"slide_type": "notes"}
// Python: concurrent.futures. ThreadPoolExecutor becomes futures.NewGoroutinePool (alias
// NewThreadPool); executor.map becomes ex.Map; as_completed becomes futures.AsCompleted.

// %% slideshow={"slide_type": "skip"}
import (
	"golit/chart"
	"golit/flags"
	"golit/futures"
	"golit/steps"
	"golit/timing"
)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A flags server with latency, inside the kernel
//
// No internet needed: golit ships a flags service. `DelayMode` waits a random time per request,
// like the book's slow server (0.5 to 5 s there; 50 to 500 ms here). A fixed seed makes runs
// repeatable. `flags.Serve` starts one server per kernel: running the cell again reuses it.

// %% slideshow={"slide_type": "-"}
opts := flags.DelayMode()
opts.MinDelay, opts.MaxDelay = 50*time.Millisecond, 500*time.Millisecond
opts.Seed = 2017
srv := flags.Serve(opts)
fmt.Println(srv)
fmt.Println(flags.POP20)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ## One download, as a function
//
// Turning the loop body into `downloadOne` is the refactoring that makes it easy to run
// concurrently. Flags are saved into a temporary folder.

// %% slideshow={"slide_type": "-"}
var dest string // (declared apart: see FINDINGS.md, entry 1)
dest, _ = os.MkdirTemp("", "flags-")

// getFlag fetches the GIF of country cc.
func getFlag(cc string) ([]byte, error) {
	resp, err := http.Get(srv.FlagURL(cc))
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", cc, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// downloadOne fetches and saves one flag and returns its code.
func downloadOne(cc string) (string, error) {
	img, err := getFlag(cc)
	if err != nil {
		return "", err
	}
	fmt.Print(cc, " ")
	return cc, os.WriteFile(filepath.Join(dest, strings.ToLower(cc)+".gif"), img, 0o644)
}

steps.Done("04 downloadOne")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Sequential

// %% slideshow={"slide_type": "skip"}
steps.Need("04 downloadOne", "the cells under “A flags server with latency”")

// %% slideshow={"slide_type": "-"}
// downloadSequential downloads the flags one by one and returns how many it saved.
func downloadSequential(codes []string) int {
	saved := 0
	for _, cc := range codes {
		if _, err := downloadOne(cc); err != nil {
			fmt.Println("\nfailed:", err)
			continue
		}
		saved++
	}
	return saved
}

var seqSaved int
seq := timing.Time(func() { seqSaved = downloadSequential(flags.POP20) })
fmt.Printf("\n%d of %d flags downloaded.\n%s\n", seqSaved, len(flags.POP20), seq)
fmt.Printf("CPU/wall = %.2f: the program spent %.0f%% of the time waiting for the server.\n",
	seq.CPU().Seconds()/seq.Wall.Seconds(), 100*(1-seq.CPU().Seconds()/seq.Wall.Seconds()))
steps.Done("04 sequential")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A pool of goroutines with `Map`
//
// `Map` runs the function on every item, at most 20 at a time here, and hands back the results
// **in input order**. The codes print in the order the downloads *finish*, not in the order of
// the list.

// %% slideshow={"slide_type": "skip"}
steps.Need("04 downloadOne", "the cells under “A flags server with latency”")

// %% slideshow={"slide_type": "-"}
// downloadPool downloads the flags on a pool of n goroutines; it returns the codes saved, in
// input order, and the errors.
func downloadPool(codes []string, n int, line *chart.Timeline) ([]string, []error) {
	ex := futures.NewThreadPool(n).WithRecorder(line)
	defer ex.Shutdown(true, false)
	saved, failed := []string{}, []error{}
	for r := range ex.Map(downloadOne, futures.Items(codes)...) {
		if r.Err != nil {
			failed = append(failed, r.Err)
			continue
		}
		saved = append(saved, r.Value.(string))
	}
	return saved, failed
}

poolLine := chart.NewTimeline("20 downloads on a pool of 20 goroutines")
var poolSaved []string
var poolFailed []error
pooled := timing.Time(func() { poolSaved, poolFailed = downloadPool(flags.POP20, 20, poolLine) })
fmt.Printf("\n%d of %d flags downloaded, results in input order: %v ...\n%s\n", len(poolSaved), len(flags.POP20), poolSaved[:len(poolSaved)/4], pooled)
for _, err := range poolFailed {
	fmt.Println("failed:", err)
}
steps.Done("04 pool")

// %% slideshow={"slide_type": "fragment"}
poolLine

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: every flag downloaded.
if len(poolSaved) != 20 || len(poolFailed) != 0 {
	panic(fmt.Sprintf("want 20 flags from the pool: %d (%v)", len(poolSaved), poolFailed))
}

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Looking at futures
//
// `Submit` returns a `*Future` at once. Printing a future shows its state. With 3 workers and 5
// flags, the last two wait in the queue.

// %% slideshow={"slide_type": "skip"}
steps.Need("04 downloadOne", "the cells under “A flags server with latency”")

// %% slideshow={"slide_type": "-"}
ex := futures.NewThreadPool(3)
fs := []*futures.Future{}
for _, cc := range flags.POP20[:5] {
	f := ex.Submit(downloadOne, cc)
	fs = append(fs, f)
	fmt.Printf("scheduled for %s: %v\n", cc, f)
}
time.Sleep(20 * time.Millisecond) // a moment later, three of them have a worker
for i, f := range fs {
	fmt.Printf("%s is now %v\n", flags.POP20[i], f)
}
sw := timing.Start()
ok := 0
for f := range futures.AsCompleted(fs, 0) {
	v, err := f.Result()
	fmt.Printf("%v result: %v %v\n", f, v, err)
	if err == nil {
		ok++
	}
}
ex.Shutdown(true, false)
fmt.Printf("%d flags downloaded in %s\n", ok, sw)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## `Map` is ordered: the loiter demo
//
// `loiter(n)` sleeps `n` units. Three workers, five tasks `loiter(0) … loiter(4)`. In what order,
// and when, do the results arrive?

// %% slideshow={"slide_type": "-"}
const unit = 500 * time.Millisecond

// loiter sleeps n units and returns 10*n.
func loiter(n int) int {
	time.Sleep(time.Duration(n) * unit)
	return 10 * n
}

loiterLine := chart.NewTimeline("loiter(0..4) on 3 goroutines")
lp := futures.NewThreadPool(3).WithRecorder(loiterLine)
clock := timing.Start()
arrivals := []float64{}
for r := range lp.Map(loiter, 0, 1, 2, 3, 4) {
	at := clock.Elapsed().Seconds() / unit.Seconds()
	arrivals = append(arrivals, at)
	fmt.Printf("at %.1f units: result %d of loiter(%d)\n", at, r.Value, r.Index)
}
lp.Shutdown(true, false)
steps.Done("04 loiter")

// %% slideshow={"slide_type": "fragment"}
loiterLine

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: results at 0, 1, 2, 3 and 5 units, as the notes below say.
for i, want := range []float64{0, 1, 2, 3, 5} {
	if math.Abs(arrivals[i]-want) > 0.5 {
		panic(fmt.Sprintf("loiter results should come at 0, 1, 2, 3, 5 units: %v", arrivals))
	}
}

// %% [markdown] slideshow={"slide_type": "notes"}
// loiter(3) starts when loiter(0) frees its worker (t=0) and ends at 3; loiter(4) starts at 1 and
// ends at 5. Results come at 0, 1, 2, 3, 5 units — in submission order, as the book shows.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The pool through the scheduler's eyes
//
// The same downloads on a pool of 4, under Go's execution tracer (`golit/sched`, met in
// notebook 02). The pool names its workers, so the chart has a lane per worker, and one per
// goroutine that `net/http` starts for each connection.

// %% slideshow={"slide_type": "skip"}
steps.Need("04 downloadOne", "the cells under “A flags server with latency”")

// %% slideshow={"slide_type": "-"}
import "golit/sched"

poolTrace, err := sched.RecordOptions(sched.Options{Title: "20 downloads on a pool of 4 goroutines", Goroutines: true}, func() {
	ex := futures.NewThreadPool(4)
	defer ex.Shutdown(true, false)
	futures.Collect(ex.Map(downloadOne, futures.Items(flags.POP20)...))
})
if err != nil {
	panic(err)
}
poolTrace

// %% [markdown] slideshow={"slide_type": "fragment"}
// The P lanes are almost empty: downloads need a core for a few slivers of time. A worker spends
// its task waiting on a channel: `net/http` reads each connection in a goroutine of its own
// (`readLoop`), and that goroutine parks on the **network poller** until the server answers. Hover
// a worker's bar to see which flag it was fetching. The cell below sums it up from the trace.

// %% slideshow={"slide_type": "-"}
var ran, waited time.Duration
for _, g := range poolTrace.Goroutines() {
	ran += g.Running
	for _, d := range g.Blocked {
		waited += d
	}
}
fmt.Printf("%d goroutines ran %s in all and spent %s parked, in %s\n",
	len(poolTrace.Goroutines()), timing.Format(ran), timing.Format(waited), timing.Format(poolTrace.Duration()))

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: the Ps mostly idle, workers waiting on channels, some goroutine parked on the network.
var work, pTotal, netWait time.Duration
for _, p := range poolTrace.Procs() {
	work, pTotal = work+p.Work, pTotal+p.Work+p.GC+p.Other+p.Idle
}
for _, g := range poolTrace.Goroutines() {
	netWait += g.Blocked[sched.BlockedNet]
	if strings.HasPrefix(g.Name, "worker") && g.Blocked[sched.BlockedChan] < g.Running {
		panic(fmt.Sprintf("%s should mostly wait on a channel: %+v", g.Name, g))
	}
}
if work > pTotal/4 || netWait < poolTrace.Duration()/4 {
	panic(fmt.Sprintf("expected idle Ps and network waits: work %v of %v P time, %v on the network poller", work, pTotal, netWait))
}

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison

// %% slideshow={"slide_type": "skip"}
steps.Need("04 sequential", "the cell under “Sequential”")
steps.Need("04 pool", "the cell under “A pool of goroutines with Map”")
steps.Need("04 loiter", "the cell under “Map is ordered: the loiter demo”")

// %% slideshow={"slide_type": "-"}
chart.NewComparison("20 flags from a server with 50-500 ms latency").
	AddDuration("sequential", seq.Wall).
	AddDuration("pool of 20 goroutines", pooled.Wall)

// %% slideshow={"slide_type": "-"}
fmt.Printf("The pool was %.1fx faster: its 20 waits overlapped (the book: 7.18 s against 1.40 s, 5.1x).\n", seq.Wall.Seconds()/pooled.Wall.Seconds())

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: 20 flags each way, and the waits overlapped.
if seqSaved != 20 || len(poolSaved) != 20 {
	panic(fmt.Sprintf("want 20 flags each way: sequential %d, pool %d", seqSaved, len(poolSaved)))
}
if seq.Wall < 3*pooled.Wall {
	panic(fmt.Sprintf("the pool should be several times faster: sequential %v, pool %v", seq.Wall, pooled.Wall))
}

// %% slideshow={"slide_type": "skip"}
parts := []string{}
for _, a := range arrivals {
	parts = append(parts, fmt.Sprintf("%.2f", a))
}
fmt.Printf("RESULT seq_s=%.3f pool_s=%.3f speedup=%.2f flags=%d seq_flags=%d\n", seq.Wall.Seconds(), pooled.Wall.Seconds(), seq.Wall.Seconds()/pooled.Wall.Seconds(), len(poolSaved), seqSaved)
fmt.Printf("RESULT loiter_units=%s\n", strings.Join(parts, ","))

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Run the pool with 1, 5 and 20 workers. How does the time follow the worker count?
// 2. With `futures.Wait(fs, 0, futures.FirstCompleted)`, print the first flag to arrive and
//    cancel the futures still **pending** (which ones can be cancelled?).

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("04 downloadOne", "the cells under “A flags server with latency”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 1: time against workers.
for _, n := range []int{1, 5, 20} {
	r := timing.Time(func() {
		ex := futures.NewThreadPool(n)
		futures.Collect(ex.Map(getFlag, futures.Items(flags.POP20[:10])...))
		ex.Shutdown(true, false)
	})
	fmt.Printf("%2d workers: %s\n", n, timing.Format(r.Wall))
}

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "subslide"} tags=["solution"]
// Exercise 2: the first to finish; only queued futures can be cancelled.
ex2 := futures.NewThreadPool(2)
fs2 := []*futures.Future{}
for _, cc := range flags.POP20[:6] {
	fs2 = append(fs2, ex2.Submit(getFlag, cc))
}
done, notDone := futures.Wait(fs2, 0, futures.FirstCompleted)
fmt.Println("first done:", done[0])
for _, f := range notDone {
	fmt.Println(f, "cancelled:", f.Cancel())
}
ex2.Shutdown(true, false)
