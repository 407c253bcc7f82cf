package chart_test

import (
	"fmt"
	"time"

	"github.com/golit/golit/chart"
	"github.com/golit/golit/eventloop"
)

// A comparison of three ways to download 20 flags; in a notebook this is
// an SVG bar chart, here its text form.
func ExampleComparison() {
	c := chart.NewComparison("Download 20 flags")
	c.Add("sequential", 11.2).Add("thread pool", 1.12).Add("event loop", 1.05)
	fmt.Println(c)
	// Output:
	// Download 20 flags
	// sequential   ████████████████████████████████████████  11.2 s
	// thread pool  ████                                      1.12 s  (10.0× faster)
	// event loop   ████                                      1.05 s  (10.7× faster)
}

// A Timeline records spans; here two workers take turns on fixed times.
func ExampleTimeline() {
	tl := chart.NewTimeline("two workers")
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	sec := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	tl.Record("worker 1", "CN", sec(0), sec(1))
	tl.Record("worker 2", "IN", sec(0), sec(0.5))
	tl.Record("worker 2", "US", sec(0.5), sec(2))
	fmt.Println(tl)
	// Output:
	// two workers
	// worker 1 |█████████████████████████                         |
	// worker 2 |██████████████████████████████████████████████████|
	//           0                                               2 s
}

// The event loop records one span per task into a Timeline.
func ExampleTimeline_eventloop() {
	tl := chart.NewTimeline("countdown")
	eventloop.New(eventloop.Options{Recorder: tl}).Run(func(l *eventloop.Loop) (any, error) {
		a := l.CreateTaskNamed("A", func() (any, error) { return nil, l.Sleep(20 * time.Millisecond) })
		b := l.CreateTaskNamed("B", func() (any, error) { return nil, l.Sleep(40 * time.Millisecond) })
		return l.Gather(a, b)
	})
	fmt.Println(tl.Lanes())
	// Output:
	// [A B main]
}
