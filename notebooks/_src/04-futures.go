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
	"golit/timing"
)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A flags server with latency, inside the kernel
//
// No internet needed: golit ships a flags service. `DelayMode` waits a random time per request,
// like the book's slow server (scaled down). A fixed seed makes runs repeatable.

// %% slideshow={"slide_type": "-"}
opts := flags.DelayMode()
opts.MinDelay, opts.MaxDelay = 50*time.Millisecond, 500*time.Millisecond
opts.Seed = 2017
srv := flags.Start(opts)
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

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Sequential

// %% slideshow={"slide_type": "-"}
seq := timing.Time(func() {
	for _, cc := range flags.POP20 {
		if _, err := downloadOne(cc); err != nil {
			fmt.Println(err)
		}
	}
})
fmt.Printf("\n%d flags downloaded.\n%s\n", len(flags.POP20), seq)

// %% [markdown] slideshow={"slide_type": "fragment"}
// CPU ≪ wall: the program spends its time waiting for the server.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## A pool of goroutines with `Map`
//
// `Map` runs the function on every item, at most 20 at a time here, and hands back the results
// **in input order**. The codes print in the order the downloads *finish*, which changes from run
// to run.

// %% slideshow={"slide_type": "-"}
poolLine := chart.NewTimeline("20 downloads on a pool of 20 goroutines")
var got []any
pooled := timing.Time(func() {
	ex := futures.NewThreadPool(20).WithRecorder(poolLine)
	defer ex.Shutdown(true, false)
	var err error
	got, err = futures.Collect(ex.Map(downloadOne, futures.Items(flags.POP20)...))
	if err != nil {
		fmt.Println(err)
	}
})
fmt.Printf("\n%d flags downloaded, results in input order: %v\n%s\n", len(got), got[:5], pooled)
fmt.Printf("speedup: %.1fx\n", seq.Wall.Seconds()/pooled.Wall.Seconds())

// %% slideshow={"slide_type": "fragment"}
poolLine

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Looking at futures
//
// `Submit` returns a `*Future` at once. Printing a future shows its state. With 3 workers and 5
// flags, the last two wait in the queue.

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
for f := range futures.AsCompleted(fs, 0) {
	v, err := f.Result()
	fmt.Printf("%v result: %v %v\n", f, v, err)
}
ex.Shutdown(true, false)
fmt.Println("5 flags downloaded in", sw)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## `Map` is ordered: the loiter demo
//
// `loiter(n)` sleeps `n` units. Three workers, five tasks `loiter(0) … loiter(4)`. In what order,
// and when, do the results arrive?

// %% slideshow={"slide_type": "-"}
const unit = 300 * time.Millisecond

// loiter sleeps n units and returns 10*n.
func loiter(n int) int {
	time.Sleep(time.Duration(n) * unit)
	return 10 * n
}

loiterLine := chart.NewTimeline("loiter(0..4) on 3 goroutines")
ex = futures.NewThreadPool(3).WithRecorder(loiterLine)
sw = timing.Start()
arrivals := []float64{}
for r := range ex.Map(loiter, 0, 1, 2, 3, 4) {
	at := sw.Elapsed().Seconds() / unit.Seconds()
	arrivals = append(arrivals, at)
	fmt.Printf("at %.1f units: result %d of loiter(%d)\n", at, r.Value, r.Index)
}
ex.Shutdown(true, false)

// %% slideshow={"slide_type": "fragment"}
loiterLine

// %% [markdown] slideshow={"slide_type": "notes"}
// loiter(3) starts when loiter(0) frees its worker (t=0) and ends at 3; loiter(4) starts at 1 and
// ends at 5. Results come at 0, 1, 2, 3, 5 units — in submission order, as the book shows.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison

// %% slideshow={"slide_type": "-"}
chart.NewComparison("20 flags from a server with 50-500 ms latency").
	AddDuration("sequential", seq.Wall).
	AddDuration("pool of 20 goroutines", pooled.Wall)

// %% slideshow={"slide_type": "skip"}
parts := []string{}
for _, a := range arrivals {
	parts = append(parts, fmt.Sprintf("%.2f", a))
}
fmt.Printf("RESULT seq_s=%.3f pool_s=%.3f speedup=%.2f flags=%d\n", seq.Wall.Seconds(), pooled.Wall.Seconds(), seq.Wall.Seconds()/pooled.Wall.Seconds(), len(got))
fmt.Printf("RESULT loiter_units=%s\n", strings.Join(parts, ","))

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Run the pool with 1, 5 and 20 workers. How does the time follow the worker count?
// 2. With `futures.Wait(fs, 0, futures.FirstCompleted)`, print the first flag to arrive and
//    cancel the futures still **pending** (which ones can be cancelled?).

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

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

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 2: the first to finish; only queued futures can be cancelled.
ex = futures.NewThreadPool(2)
fs = nil
for _, cc := range flags.POP20[:6] {
	fs = append(fs, ex.Submit(getFlag, cc))
}
done, notDone := futures.Wait(fs, 0, futures.FirstCompleted)
fmt.Println("first done:", done[0])
for _, f := range notDone {
	fmt.Println(f, "cancelled:", f.Cancel())
}
ex.Shutdown(true, false)

// %% slideshow={"slide_type": "skip"}
srv.Close()
os.RemoveAll(dest)
