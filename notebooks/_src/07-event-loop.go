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
// # 7. The event loop
//
// **What you will learn**
//
// - asyncio's model in Go terms: an **event loop** runs many tasks, **one at a time**, switching
//   only where a task waits (`l.Sleep`, `l.Await`, ...);
// - countdowns that interleave and finish in the time of the longest;
// - the toolbox: `Gather`, `WaitFor`/`Timeout`, `AsCompleted`, `Semaphore`, `TaskGroup`,
//   `ToThread`;
// - the flags again: event loop against a goroutine pool, with limits, errors and two steps per
//   flag.

// %% [markdown] slideshow={"slide_type": "notes"}
// golit's eventloop package mirrors asyncio on purpose. In everyday Go you would use goroutines,
// channels, context and errgroup for all of this; the loop is here to make asyncio's lessons
// visible (and its pitfalls, like the frozen spinner of notebook 1).

// %% slideshow={"slide_type": "skip"}
import (
	"golit/chart"
	"golit/eventloop"
	"golit/flags"
	"golit/futures"
	"golit/pool"
	"golit/steps"
	"golit/timing"
)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Countdowns
//
// Four tasks count down from 3; each step sleeps a fixed time. Alone they would take the sum of
// all the sleeps; on one loop they take about as long as the longest.

// %% slideshow={"slide_type": "-"}
const scale = 0.5 // the book's delays, halved
delays := map[string]float64{"A": 0.7 * scale, "B": 2 * scale, "C": 0.3 * scale, "D": 1 * scale}

// countdownTask counts from n to 1, sleeping delay seconds between steps.
func countdownTask(l *eventloop.Loop, name string, n int, delay float64) func() (any, error) {
	return func() (any, error) {
		for i := n; i > 0; i-- {
			fmt.Printf("%5.2fs %s%s %d\n", l.Elapsed().Seconds(), strings.Repeat("     ", int(name[0]-'A')), name, i)
			if err := l.Sleep(time.Duration(delay * float64(time.Second))); err != nil {
				return nil, err
			}
		}
		return name, nil
	}
}

countLine := chart.NewTimeline("four countdowns on one event loop")
sum := 0.0
sw := timing.Start()
eventloop.New(eventloop.Options{Recorder: countLine}).Run(func(l *eventloop.Loop) (any, error) {
	tasks := []*eventloop.Task{}
	for _, name := range []string{"A", "B", "C", "D"} {
		sum += 3 * delays[name]
		tasks = append(tasks, l.CreateTaskNamed(name, countdownTask(l, name, 3, delays[name])))
	}
	return l.Gather(tasks...)
})
countdownSecs := sw.Seconds()
fmt.Printf("all done in %.2f s; the sleeps add up to %.2f s, the longest is %.2f s\n", countdownSecs, sum, 3*delays["B"])
steps.Done("07 countdown")

// %% slideshow={"slide_type": "subslide"}
countLine

// %% slideshow={"slide_type": "skip"} tags=["remove-cell"] jupyter={"source_hidden": true}
// Test: the countdowns take about the longest, not the sum.
if countdownSecs > 0.6*sum || math.Abs(countdownSecs-3*delays["B"]) > 0.5 {
	panic(fmt.Sprintf("four countdowns should take about the longest (%.2f s), not the sum (%.2f s): %.2f s", 3*delays["B"], sum, countdownSecs))
}

// %% [markdown] slideshow={"slide_type": "slide"}
// ## The toolbox in one cell each
//
// `Gather` waits for all and returns results in order. `WaitFor` gives up on a task after a
// deadline (and cancels it); `Timeout` does the same for a block of code.

// %% slideshow={"slide_type": "-"}
// nap returns a task function that sleeps d and returns v.
func nap(l *eventloop.Loop, d time.Duration, v any) func() (any, error) {
	return func() (any, error) {
		if err := l.Sleep(d); err != nil {
			return nil, err
		}
		return v, nil
	}
}

sw := timing.Start()
v, err := eventloop.Run(func(l *eventloop.Loop) (any, error) {
	all, err := l.Gather(l.CreateTask(nap(l, 300*time.Millisecond, "slow")), l.CreateTask(nap(l, 100*time.Millisecond, "fast")))
	fmt.Println("Gather:", all, err, "after", l.Elapsed().Round(time.Millisecond))
	slow := l.CreateTask(nap(l, time.Second, "too slow"))
	_, err = l.WaitFor(slow, 200*time.Millisecond)
	fmt.Println("WaitFor:", err, "| cancelled:", slow.Cancelled())
	_, err = l.Timeout(100*time.Millisecond, func() (any, error) { return nil, l.Sleep(time.Second) })
	fmt.Println("Timeout:", err)
	return "done", nil
})
fmt.Println(v, err, "in", sw)

// %% [markdown] slideshow={"slide_type": "subslide"}
// `AsCompleted` hands tasks out as they finish; a `Semaphore` caps how many run a section at
// once; a `TaskGroup` cancels the siblings when one task fails.

// %% slideshow={"slide_type": "-"}
sw := timing.Start()
eventloop.Run(func(l *eventloop.Loop) (any, error) {
	ts := []*eventloop.Task{}
	for _, ms := range []int{300, 100, 200} {
		ts = append(ts, l.CreateTask(nap(l, time.Duration(ms)*time.Millisecond, ms)))
	}
	for it := l.AsCompleted(ts...); it.Next(); {
		v, _ := it.Result()
		fmt.Printf("AsCompleted: %v ms task at %v\n", v, l.Elapsed().Round(10*time.Millisecond))
	}

	sem := l.NewSemaphore(2)
	inside, most := 0, 0
	ts = nil
	for i := 0; i < 6; i++ {
		ts = append(ts, l.CreateTask(func() (any, error) {
			return sem.With(func() (any, error) {
				inside++
				if inside > most {
					most = inside
				}
				err := l.Sleep(50 * time.Millisecond)
				inside--
				return nil, err
			})
		}))
	}
	l.Gather(ts...)
	fmt.Println("Semaphore(2): at most", most, "inside at once")

	err := l.TaskGroup(func(g *eventloop.TaskGroup) error {
		g.CreateTask(nap(l, time.Second, "never finishes"))
		g.Go(func() error { l.Sleep(100 * time.Millisecond); return errors.New("boom") })
		return nil
	})
	fmt.Println("TaskGroup:", err, "after", l.Elapsed().Round(10*time.Millisecond))
	return nil, nil
})
fmt.Println("in", sw)

// %% [markdown] slideshow={"slide_type": "subslide"}
// ### Go's own answer: structured concurrency
//
// In everyday Go, `TaskGroup` is `errgroup.WithContext` (`golang.org/x/sync/errgroup`): the first
// error cancels the context every task receives, `Wait` returns that error, and `SetLimit(n)`
// caps how many run at once, the job of `Semaphore`; `golang.org/x/sync/semaphore` has the weighted
// semaphore itself. Cells cannot import modules yet (issue 12): once they can, this slide shows
// errgroup and semaphore themselves. Until then, golit's `pool.NewGroup` has errgroup's shape:

// %% slideshow={"slide_type": "-"}
sw := timing.Start()
g := pool.NewGroup(context.Background(), 2) // errgroup.WithContext(ctx), then g.SetLimit(2)
g.Go(func(ctx context.Context) error {
	select {
	case <-time.After(time.Second):
		return nil
	case <-ctx.Done(): // cancelled by the sibling's error
		return ctx.Err()
	}
})
g.Go(func(ctx context.Context) error {
	time.Sleep(100 * time.Millisecond)
	return errors.New("boom")
})
fmt.Println("group:", g.Wait(), "after", sw)

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Flags on the event loop
//
// The loop has no HTTP client of its own, so blocking `http.Get` goes to `l.ToThread` (asyncio's
// `to_thread`): the task waits, the loop runs others. Same server as notebook 4, started once per
// kernel by `flags.Serve`.

// %% slideshow={"slide_type": "-"}
opts := flags.DelayMode()
opts.MinDelay, opts.MaxDelay = 50*time.Millisecond, 500*time.Millisecond
opts.Seed = 2017
srv := flags.Serve(opts)

// get fetches url and returns its body, or an error for a status other than 200.
func get(url string) ([]byte, error) {
	resp, err := http.Get(url)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: %s", url, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

loopLine := chart.NewTimeline("20 flags as loop tasks")
loopFlags := timing.Time(func() {
	eventloop.New(eventloop.Options{Recorder: loopLine}).Run(func(l *eventloop.Loop) (any, error) {
		ts := []*eventloop.Task{}
		for _, cc := range flags.POP20 {
			url := srv.FlagURL(cc)
			ts = append(ts, l.CreateTaskNamed(cc, func() (any, error) {
				return l.ToThread(func() (any, error) { return get(url) })
			}))
		}
		return l.Gather(ts...)
	})
})
fmt.Println(loopFlags)

// %% slideshow={"slide_type": "subslide"}
urls := []string{}
for _, cc := range flags.POP20 {
	urls = append(urls, srv.FlagURL(cc))
}
poolFlags := timing.Time(func() {
	ex := futures.NewThreadPool(20)
	futures.Collect(ex.Map(get, futures.Items(urls)...))
	ex.Shutdown(true, false)
})
fmt.Println("goroutine pool:", timing.Format(poolFlags.Wall), "| event loop:", timing.Format(loopFlags.Wall))
fmt.Printf("The loop took %.2fx the pool's time (the book: asyncio 1.35 s, threads 1.40 s).\n", loopFlags.Wall.Seconds()/poolFlags.Wall.Seconds())
steps.Done("07 flags")

// %% slideshow={"slide_type": "fragment"}
loopLine

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Two steps per flag
//
// The book's last flags version fetches the image **and then** the country's metadata. With
// await points the two steps read like sequential code: no callbacks.

// %% slideshow={"slide_type": "skip"}
steps.Need("07 flags", "the cells under “Flags on the event loop”")

// %% slideshow={"slide_type": "-"}
// Meta is the metadata document of a flag.
type Meta struct {
	ISO     string `json:"iso_cc"`
	Country string `json:"country"`
}

twoSteps := timing.Time(func() {
	eventloop.Run(func(l *eventloop.Loop) (any, error) {
		sem := l.NewSemaphore(10) // at most 10 requests in flight
		ts := []*eventloop.Task{}
		for _, cc := range flags.POP20[:8] {
			cc := cc
			ts = append(ts, l.CreateTask(func() (any, error) {
				return sem.With(func() (any, error) {
					img, err := l.ToThread(func() (any, error) { return get(srv.FlagURL(cc)) })
					if err != nil {
						return nil, err
					}
					raw, err := l.ToThread(func() (any, error) { return get(srv.MetadataURL(cc)) })
					if err != nil {
						return nil, err
					}
					var m Meta
					if err := json.Unmarshal(raw.([]byte), &m); err != nil {
						return nil, err
					}
					fmt.Printf("%s %-12s %5d bytes at %v\n", cc, m.Country, len(img.([]byte)), l.Elapsed().Round(10*time.Millisecond))
					return m.Country, nil
				})
			}))
		}
		return l.Gather(ts...)
	})
})
fmt.Println(twoSteps)
steps.Done("07 two steps")

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Comparison

// %% slideshow={"slide_type": "skip"}
steps.Need("07 countdown", "the cell under “Countdowns”")
steps.Need("07 flags", "the cells under “Flags on the event loop”")
steps.Need("07 two steps", "the cell under “Two steps per flag”")

// %% slideshow={"slide_type": "-"}
chart.NewComparison("20 flags, 50-500 ms latency").
	AddDuration("goroutine pool", poolFlags.Wall).
	AddDuration("event loop + ToThread", loopFlags.Wall)

// %% slideshow={"slide_type": "skip"}
fmt.Printf("RESULT countdown_s=%.3f countdown_sum_s=%.3f countdown_longest_s=%.3f\n", countdownSecs, sum, 3*delays["B"])
fmt.Printf("RESULT loop_flags_s=%.3f pool_flags_s=%.3f two_steps_s=%.3f\n", loopFlags.Wall.Seconds(), poolFlags.Wall.Seconds(), twoSteps.Wall.Seconds())

// %% [markdown] slideshow={"slide_type": "slide"}
// ## Exercises
//
// 1. Add a fifth countdown `E` with a 0.1 s step that counts from 10. Does the total change?
// 2. Download `flags.POP20` on the loop with at most 3 requests at a time (`NewSemaphore(3)`).
//    How long does it take now?

// %% [markdown] slideshow={"slide_type": "subslide"} tags=["solution"]
// ### Solutions

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("07 countdown", "the cell under “Countdowns”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "-"} tags=["solution"]
// Exercise 1: E adds steps, not time: the longest countdown still decides.
sw := timing.Start()
eventloop.Run(func(l *eventloop.Loop) (any, error) {
	ts := []*eventloop.Task{l.CreateTask(countdownTask(l, "E", 10, 0.1))}
	for _, name := range []string{"A", "B", "C", "D"} {
		ts = append(ts, l.CreateTask(countdownTask(l, name, 3, delays[name])))
	}
	return l.Gather(ts...)
})
fmt.Println("with E:", sw)

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "skip"} tags=["solution"]
steps.Need("07 flags", "the cells under “Flags on the event loop”")

// %% jupyter={"source_hidden": true} slideshow={"slide_type": "subslide"} tags=["solution"]
// Exercise 2: a semaphore of 3.
sw := timing.Start()
eventloop.Run(func(l *eventloop.Loop) (any, error) {
	sem := l.NewSemaphore(3)
	ts := []*eventloop.Task{}
	for _, cc := range flags.POP20 {
		url := srv.FlagURL(cc)
		ts = append(ts, l.CreateTask(func() (any, error) {
			return sem.With(func() (any, error) {
				return l.ToThread(func() (any, error) { return get(url) })
			})
		}))
	}
	return l.Gather(ts...)
})
fmt.Println("3 at a time:", sw)
