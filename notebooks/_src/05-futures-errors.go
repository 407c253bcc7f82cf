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

// %% slideshow={"slide_type": "skip"}
import (
	"golit/chart"
	"golit/display"
	"golit/flags"
	"golit/futures"
	"golit/timing"
)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The ERROR server
//
// `flags.ErrorMode()` answers 25% of requests with **418 I'm a teapot**. Codes that are not
// countries get **404**. We try every two-letter code `AA`…`ZZ`: 676 requests, most of them 404.
// Latency is scaled down so the slow runs still take seconds.

// %% slideshow={"slide_type": "-"}
opts := flags.ErrorMode()
opts.MinDelay, opts.MaxDelay = 10*time.Millisecond, 60*time.Millisecond
opts.Seed = 42
srv := flags.Start(opts)
allCodes := flags.AllPairs()
fmt.Println(srv)
fmt.Println(len(allCodes), "codes:", allCodes[:4], "...", allCodes[len(allCodes)-2:])

// %% [markdown] slideshow={"slide_type": "subslide"}
// ## One download, with an outcome
//
// A download ends in one of three ways. 404 is an answer ("no such flag"), any other status is
// an error.

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

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Many downloads, a counter and a progress bar
//
// `downloadMany` submits every code to a pool of `concurrency` goroutines, then takes the futures
// **as they complete**, counting outcomes and moving the bar.

// %% slideshow={"slide_type": "-"}
// downloadMany downloads every code with at most concurrency requests in flight and prints the report.
func downloadMany(codes []string, concurrency int) (map[Outcome]int, time.Duration) {
	sw := timing.Start()
	ex := futures.NewThreadPool(concurrency)
	defer ex.Shutdown(true, false)
	fs := make([]*futures.Future, len(codes))
	for i, cc := range codes {
		fs[i] = ex.Submit(downloadOne, cc)
	}
	counter := map[Outcome]int{}
	bar := display.NewProgress(len(codes), fmt.Sprintf("%d at once", concurrency))
	for f := range futures.AsCompleted(fs, 0) {
		v, _ := f.Result()
		counter[v.(Outcome)]++
		bar.Add(1)
	}
	bar.Close()
	elapsed := sw.Elapsed()
	fmt.Printf("%3d flags downloaded.\n%3d not found.\n%3d errors.\nElapsed time: %.2fs\n",
		counter[OK], counter[NotFound], counter[Error], elapsed.Seconds())
	return counter, elapsed
}

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### One at a time (the first 100 codes)

// %% slideshow={"slide_type": "-"}
first := allCodes[:100]
c1, t1 := downloadMany(first, 1)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### 30 and 200 at once

// %% slideshow={"slide_type": "-"}
c30, t30 := downloadMany(first, 30)

// %% slideshow={"slide_type": "fragment"}
c200, t200 := downloadMany(first, 200)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### All 676 codes, 200 at once

// %% slideshow={"slide_type": "-"}
cAll, tAll := downloadMany(allCodes, 200)
fmt.Println("countries served:", len(flags.Codes()))

// %% [markdown] slideshow={"slide_type": "notes"}
// Downloaded + not found + errors always adds up to the number of codes: every future is
// accounted for, even the failed ones. With 25% errors, about a quarter of the real countries
// fail; run again and a different quarter fails.

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison

// %% slideshow={"slide_type": "-"}
chart.NewComparison("100 flag requests, 25% server errors").
	AddDuration("1 at once", t1).
	AddDuration("30 at once", t30).
	AddDuration("200 at once", t200)

// %% slideshow={"slide_type": "skip"}
fmt.Printf("RESULT c1_ok=%d c1_nf=%d c1_err=%d t1_s=%.3f\n", c1[OK], c1[NotFound], c1[Error], t1.Seconds())
fmt.Printf("RESULT c30_total=%d t30_s=%.3f c200_total=%d t200_s=%.3f\n", c30[OK]+c30[NotFound]+c30[Error], t30.Seconds(), c200[OK]+c200[NotFound]+c200[Error], t200.Seconds())
fmt.Printf("RESULT all_ok=%d all_nf=%d all_err=%d all_s=%.3f\n", cAll[OK], cAll[NotFound], cAll[Error], tAll.Seconds())

// %% [markdown] slideshow={"slide_type": "slide"}
// ## An ordered `Map` that looks stuck
//
// Numbers sorted **largest first** go to a 2-worker process pool through `Map`. `Map` hands back
// results in input order, so nothing arrives until the biggest number is done — then the rest
// pour out at once.

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

probe := timing.Time(func() { isPrime(10_000_000_000_037) })
root := int64(2 * 0.6 / (probe.CPU().Seconds() / 1.58e6)) // the biggest: about 0.6 s
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

// %% slideshow={"slide_type": "-"}
pp := futures.NewProcessPool(2)
pp.Start()
sw := timing.Start()
stallArrivals := []float64{}
for r := range pp.Map("isPrime", futures.Items(descending)...) {
	stallArrivals = append(stallArrivals, sw.Seconds())
	fmt.Printf("%6.2fs  %d prime=%v\n", sw.Seconds(), descending[r.Index], r.Value)
}
pp.Shutdown(true, false)

// %% [markdown] slideshow={"slide_type": "fragment"}
// Every result after the first arrives almost together. With `AsCompleted` over `Submit`ted futures
// the small numbers would arrive first (exercise 2).

// %% slideshow={"slide_type": "skip"}
fmt.Printf("RESULT stall_first_s=%.3f stall_last_s=%.3f\n", stallArrivals[0], stallArrivals[len(stallArrivals)-1])

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Retry: change `downloadOne` so an error (not a 404) is retried up to 2 more times. How many
//    errors are left for the 676 codes?
// 2. Replace `Map` in the last experiment by `Submit` + `futures.AsCompleted`, and print when each
//    result arrives.

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

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
	counter[r.Value.(Outcome)]++
}
ex.Shutdown(true, false)
fmt.Println(counter)

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 2: completion order.
pp = futures.NewProcessPool(2)
pp.Start()
sw = timing.Start()
fs := []*futures.Future{}
for _, n := range descending {
	fs = append(fs, pp.Submit("isPrime", n))
}
for f := range futures.AsCompleted(fs, 0) {
	v, _ := f.Result()
	fmt.Printf("%6.2fs  %v\n", sw.Seconds(), v)
}
pp.Shutdown(true, false)

// %% slideshow={"slide_type": "skip"}
srv.Close()
