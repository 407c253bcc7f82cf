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
// # 5. Futures II: errors, progress and how many at once
//
// **What you will learn**
//
// - to download hundreds of flags from a server that **fails a quarter of the time**, and count
//   every outcome (downloaded, not found, error);
// - to show a **progress bar** while futures finish in any order;
// - how the number of requests in flight (1, 30, 200) changes the time;
// - why an ordered `Map` over a process pool can look stuck.
//
// Each section runs on its own after a kernel restart; a cell that needs an earlier one says
// which.

// %% slideshow={"slide_type": "skip"}
import (
	"golit/chart"
	"golit/display"
	"golit/flags"
	"golit/futures"
	"golit/steps"
	"golit/timing"
)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The ERROR server
//
// `flags.ErrorMode()` is the book's ERROR server, scaled down: every request waits 0.1 to 1 s,
// then a quarter of them fail with **418 I'm a teapot**. Codes that are not countries get
// **404**, after the same wait, as from the book's slow server. We will try every two-letter
// code `AA`…`ZZ`: 676 requests, most of them 404.
//
// `flags.Serve` starts the server once per kernel: running this cell again reuses it.

// %% slideshow={"slide_type": "-"}
opts := flags.ErrorMode()
opts.Seed = 42
srv := flags.Serve(opts)
allCodes := flags.AllPairs()
fmt.Println(srv)
fmt.Println(len(allCodes), "codes:", allCodes[:4], "...", allCodes[len(allCodes)-2:])

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### One download, with an outcome
//
// A download ends in one of three ways. 404 is an answer ("no such flag"), any other status is
// an error, and so is a request that never gets an answer.

// %% slideshow={"slide_type": "-"}
// Outcome of one download.
type Outcome string

const (
	OK       Outcome = "OK"
	NotFound Outcome = "not found"
	Error    Outcome = "error"
)

// client gives up on a request after 5 s.
var client = &http.Client{Timeout: 5 * time.Second}

// downloadOne fetches one flag (and drops it: we only count).
func downloadOne(cc string) (Outcome, error) {
	resp, err := client.Get(srv.FlagURL(cc))
	if err != nil {
		return Error, err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	switch {
	case resp.StatusCode == http.StatusOK:
		return OK, nil
	case resp.StatusCode == http.StatusNotFound:
		return NotFound, nil
	default:
		return Error, fmt.Errorf("%s: %s", cc, resp.Status)
	}
}

steps.Done("05 downloadOne")
out, err := downloadOne("BR")
fmt.Println("BR:", out, err)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Many downloads, a counter and a progress bar
//
// `downloadMany` submits every code to a pool of `concurrency` goroutines, then takes the futures
// **as they complete**, counting outcomes and moving the bar. A task that fails in a way
// `downloadOne` did not foresee (a panic) counts as an error too: every code is counted once.

// %% slideshow={"slide_type": "skip"}
steps.Need("05 downloadOne", "the cells under “The ERROR server”")

// %% slideshow={"slide_type": "-"}
// Report is what a run of downloadMany counted.
type Report struct {
	Counts  map[Outcome]int
	Causes  map[string]int // error messages without the code, with how often each came
	Elapsed time.Duration
}

// Total is the number of codes counted.
func (r Report) Total() int { return r.Counts[OK] + r.Counts[NotFound] + r.Counts[Error] }

// PerSecond is the number of codes done per second.
func (r Report) PerSecond() float64 { return float64(r.Total()) / r.Elapsed.Seconds() }

// downloadMany downloads every code with at most concurrency requests in flight and prints the report.
func downloadMany(codes []string, concurrency int) Report {
	sw := timing.Start()
	ex := futures.NewThreadPool(concurrency)
	defer ex.Shutdown(true, false)
	fs := make([]*futures.Future, len(codes))
	for i, cc := range codes {
		fs[i] = ex.Submit(downloadOne, cc)
	}
	r := Report{Counts: map[Outcome]int{}, Causes: map[string]int{}}
	bar := display.NewProgress(len(codes), fmt.Sprintf("%d at once", concurrency))
	for f := range futures.AsCompleted(fs, 0) {
		v, err := f.Result()
		out, ok := v.(Outcome)
		if !ok || (err != nil && out != Error) {
			out = Error // a panic or an error without an outcome
		}
		r.Counts[out]++
		if err != nil {
			_, cause, _ := strings.Cut(err.Error(), ": ")
			r.Causes[cause]++
		}
		bar.Add(1)
	}
	bar.Close()
	r.Elapsed = sw.Elapsed()
	fmt.Printf("%3d flags downloaded.\n%3d not found.\n%3d errors.\nElapsed time: %.2fs (%.0f codes/s)\n",
		r.Counts[OK], r.Counts[NotFound], r.Counts[Error], r.Elapsed.Seconds(), r.PerSecond())
	for cause, n := range r.Causes {
		fmt.Printf("    %3d × %s\n", n, cause)
	}
	return r
}

steps.Done("05 downloadMany")

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### One at a time
//
// One request in flight: the first 8 codes take as long as their 8 waits added up.

// %% slideshow={"slide_type": "-"}
r1 := downloadMany(allCodes[:8], 1)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### 30 at once (the first 100 codes)

// %% slideshow={"slide_type": "skip"}
steps.Need("05 downloadMany", "the cell under “Many downloads, a counter and a progress bar”")

// %% slideshow={"slide_type": "-"}
r30 := downloadMany(allCodes[:100], 30)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### All 676 codes, 200 at once

// %% slideshow={"slide_type": "skip"}
steps.Need("05 downloadMany", "the cell under “Many downloads, a counter and a progress bar”")

// %% slideshow={"slide_type": "-"}
r200 := downloadMany(allCodes, 200)
fmt.Printf("%d codes counted of %d asked; the server knows %d countries\n", r200.Total(), len(allCodes), len(flags.Codes()))

// %% [markdown] slideshow={"slide_type": "notes"}
// Downloaded + not found + errors adds up to the number of codes: every future is accounted
// for, even the failed ones. A quarter of the requests fail, countries or not; run again and
// a different quarter fails.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison
//
// The three runs asked for different numbers of codes, so we compare what they got through
// per second.

// %% slideshow={"slide_type": "skip"}
steps.Need("05 downloadMany", "the cells under “Many downloads” (all three runs)")

// %% slideshow={"slide_type": "-"}
chart.NewComparison("flag requests per second (0.1-1 s latency, 25% errors); longer is better").
	Add("1 at once", r1.PerSecond()).
	Add("30 at once", r30.PerSecond()).
	Add("200 at once", r200.PerSecond())

// %% slideshow={"slide_type": "-"}
fmt.Printf("30 at once got through %.0fx as many codes per second as 1 at once; 200 at once %.0fx.\n",
	r30.PerSecond()/r1.PerSecond(), r200.PerSecond()/r1.PerSecond())
fmt.Printf("The book's 676 codes: 7.46 s with 30 threads, 2.59 s with 200 asyncio requests; here 200 at once took %.2f s.\n", r200.Elapsed.Seconds())

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: what this section claims.
for _, r := range []Report{r1, r30, r200} {
	shown := 0
	for _, n := range r.Causes {
		shown += n
	}
	if shown != r.Counts[Error] {
		panic(fmt.Sprintf("every error is shown with its cause: %d errors, causes %v", r.Counts[Error], r.Causes))
	}
}
if r1.Total() != 8 || r30.Total() != 100 || r200.Total() != 676 {
	panic(fmt.Sprintf("every code is counted once: %d/8 %d/100 %d/676", r1.Total(), r30.Total(), r200.Total()))
}
if r200.Counts[Error] == 0 || r200.Counts[NotFound] == 0 || r200.Counts[OK] == 0 {
	panic(fmt.Sprintf("676 codes against the ERROR server give all three outcomes: %v", r200.Counts))
}
if r30.PerSecond() < 5*r1.PerSecond() || r200.PerSecond() < r30.PerSecond() {
	panic(fmt.Sprintf("more at once gets through more per second: %.1f, %.1f, %.1f codes/s", r1.PerSecond(), r30.PerSecond(), r200.PerSecond()))
}
if s := r200.Elapsed.Seconds(); s < 1.5 {
	panic(fmt.Sprintf("676 codes at 200 at once should take seconds the bar can show, took %.2f s", s))
}
fmt.Printf("RESULT c1_total=%d t1_s=%.3f c30_total=%d t30_s=%.3f\n", r1.Total(), r1.Elapsed.Seconds(), r30.Total(), r30.Elapsed.Seconds())
fmt.Printf("RESULT all_ok=%d all_nf=%d all_err=%d all_s=%.3f\n", r200.Counts[OK], r200.Counts[NotFound], r200.Counts[Error], r200.Elapsed.Seconds())

// %% [markdown] slideshow={"slide_type": "slide"}
// ## An ordered `Map` that looks stuck
//
// Six numbers sorted **largest first** go to a 2-worker process pool. The largest takes about
// `biggest` seconds to check, the other five a tenth of that each. `Map` hands back results in input order;
// `AsCompleted` hands back each future as it finishes.

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

// Calibrate where the work runs: time one check in a worker process.
const biggest = 2.5 // seconds to check the largest number
cal := futures.NewProcessPool(1)
if err := cal.Start(); err != nil {
	panic(err)
}
perDivision := math.Inf(1)
for try := 0; try < 2; try++ { // the faster of two: other programs only slow a run down
	probe := timing.Start()
	if _, err := cal.Submit("isPrime", 10_000_000_000_037).Result(); err != nil { // 1.58 million divisions
		panic(err)
	}
	perDivision = math.Min(perDivision, probe.Seconds()/1.58e6)
}
cal.Shutdown(true, false)
root := int64(2 * biggest / perDivision)
descending := []int64{}
for _, scale := range []float64{1, 0.12, 0.1, 0.08, 0.06, 0.05} {
	r := int64(float64(root) * scale)
	for c := r * r; ; c++ {
		if big.NewInt(c).ProbablyPrime(20) {
			descending = append(descending, c)
			break
		}
	}
}
fmt.Println(descending)
steps.Done("05 descending")

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### `Map` against `AsCompleted`
//
// Both runs use the same pool of two worker processes, started before the clock starts. The chart shows, for each number,
// how long the caller waited for its result.

// %% slideshow={"slide_type": "skip"}
steps.Need("05 descending", "the cell under “An ordered Map that looks stuck”")

// %% slideshow={"slide_type": "-"}
stallLine := chart.NewTimeline("when each result reached the caller (bar: from the start to its arrival)")
base := time.Now()
mapArrivals, asCompletedArrivals := []float64{}, []float64{}

pp := futures.NewProcessPool(2)
if err := pp.Start(); err != nil {
	panic(err)
}
sw := timing.Start()
for r := range pp.Map("isPrime", futures.Items(descending)...) {
	at := sw.Elapsed()
	mapArrivals = append(mapArrivals, at.Seconds())
	stallLine.Record(fmt.Sprintf("Map #%d", r.Index+1), fmt.Sprintf("%.2fs", at.Seconds()), base, base.Add(at))
}
fmt.Printf("Map:         %v s\n", mapArrivals)

sw = timing.Start()
fs := []*futures.Future{}
for _, n := range descending {
	fs = append(fs, pp.Submit("isPrime", n))
}
for f := range futures.AsCompleted(fs, 0) {
	at := sw.Elapsed()
	asCompletedArrivals = append(asCompletedArrivals, at.Seconds())
	i := slices.Index(fs, f)
	stallLine.Record(fmt.Sprintf("AsCompleted #%d", i+1), fmt.Sprintf("%.2fs", at.Seconds()), base, base.Add(at))
}
fmt.Printf("AsCompleted: %v s\n", asCompletedArrivals)
pp.Shutdown(true, false)

// %% slideshow={"slide_type": "fragment"}
stallLine

// %% slideshow={"slide_type": "fragment"}
early := 0 // results AsCompleted handed out before Map handed out any
for _, at := range asCompletedArrivals {
	if at < 0.9*mapArrivals[0] {
		early++
	}
}
fmt.Printf("Map handed out nothing for %.2f s, then all six within %.2f s. AsCompleted handed out %d of the six before that.\n",
	mapArrivals[0], mapArrivals[len(mapArrivals)-1]-mapArrivals[0], early)

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: Map stalls behind the biggest number; AsCompleted does not.
if mapArrivals[len(mapArrivals)-1]-mapArrivals[0] > 0.25*mapArrivals[0] {
	panic(fmt.Sprintf("Map should hand out everything at once after the biggest: %v", mapArrivals))
}
if early < 4 {
	panic(fmt.Sprintf("AsCompleted should hand out the small numbers early: %v against Map's %v", asCompletedArrivals, mapArrivals))
}
if mapArrivals[0] < 1 {
	panic(fmt.Sprintf("the stall should last seconds you can see: %.2f s", mapArrivals[0]))
}
fmt.Printf("RESULT stall_first_s=%.3f stall_last_s=%.3f ac_first_s=%.3f early=%d\n", mapArrivals[0], mapArrivals[len(mapArrivals)-1], asCompletedArrivals[0], early)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Retry: change `downloadOne` so an error (not a 404) is retried up to 2 more times. How many
//    errors are left for the 676 codes?
// 2. Sort the numbers **smallest first** and run `Map` again. Does it still look stuck?

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("05 downloadOne", "the cells under “The ERROR server”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 1: retry errors, not 404s.
func downloadRetry(cc string) (Outcome, error) {
	var out Outcome
	var err error
	for try := 0; try < 3; try++ {
		out, err = downloadOne(cc)
		if out != Error {
			break
		}
	}
	return out, err
}

ex := futures.NewThreadPool(200)
counter := map[Outcome]int{}
for r := range ex.Map(downloadRetry, futures.Items(allCodes)...) {
	out, ok := r.Value.(Outcome)
	if !ok {
		out = Error
	}
	counter[out]++
}
ex.Shutdown(true, false)
fmt.Printf("%d downloaded, %d not found, %d errors left after 3 tries (about 25%% of 25%% of 25%%)\n",
	counter[OK], counter[NotFound], counter[Error])

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("05 descending", "the cell under “An ordered Map that looks stuck”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "subslide"} tags=["solution"]
// Exercise 2: smallest first, Map hands out each result when it is ready, in order.
ascending := slices.Clone(descending)
slices.Reverse(ascending)
pp = futures.NewProcessPool(2)
pp.Start()
sw = timing.Start()
for r := range pp.Map("isPrime", futures.Items(ascending)...) {
	fmt.Printf("%6.2fs  %d prime=%v\n", sw.Seconds(), ascending[r.Index], r.Value)
}
pp.Shutdown(true, false)
