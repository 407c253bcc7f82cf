package timing_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/golit/golit/timing"
)

// Time measures one call: wall-clock time and the CPU time of the process.
// Sleeping takes wall time but almost no CPU.
func ExampleTime() {
	r := timing.Time(func() { time.Sleep(50 * time.Millisecond) })
	fmt.Println(r.Wall >= 50*time.Millisecond, r.CPU() < r.Wall)
	// Printing r gives IPython's %time output, for example:
	//   CPU times: user 98 µs, sys: 12 µs, total: 110 µs
	//   Wall time: 50.2 ms
	// Output: true true
}

// A Result prints exactly like IPython's %time.
func ExampleResult_String() {
	r := timing.Result{
		User:     1200 * time.Millisecond,
		System:   10 * time.Millisecond,
		Wall:     620 * time.Millisecond,
		CPUKnown: true,
	}
	fmt.Println(r)
	// Output:
	// CPU times: user 1.2 s, sys: 10 ms, total: 1.21 s
	// Wall time: 620 ms
}

// TimeIt picks the number of loops itself; Loops and Runs fix them.
func ExampleTimeIt() {
	var b strings.Builder
	r := timing.TimeIt(func() { b.WriteString("x") }, timing.Loops(1000), timing.Runs(3))
	fmt.Println(r.Loops, r.Runs, len(r.All))
	// Printing r gives a line such as
	//   12.3 µs ± 1.05 µs per loop (mean ± std. dev. of 3 runs, 1,000 loops each)
	// Output: 1000 3 3
}

// A TimeItResult prints in IPython's %timeit format.
func ExampleTimeItResult_String() {
	r := timing.TimeItResult{Loops: 1000, Runs: 7, Mean: 1.23e-3, StdDev: 45.6e-6}
	fmt.Println(r)
	// Output: 1.23 ms ± 45.6 µs per loop (mean ± std. dev. of 7 runs, 1,000 loops each)
}

// Format writes durations with three significant digits, and minutes and
// up in whole units.
func ExampleFormat() {
	for _, d := range []time.Duration{
		12 * time.Nanosecond,
		12345 * time.Nanosecond,
		620 * time.Millisecond,
		1210 * time.Millisecond,
		63 * time.Second,
		2*time.Hour + 5*time.Minute,
	} {
		fmt.Println(timing.Format(d))
	}
	// Output:
	// 12 ns
	// 12.3 µs
	// 620 ms
	// 1.21 s
	// 1min 3s
	// 2h 5min
}

// A Stopwatch times the phases of a longer computation.
func ExampleStopwatch() {
	sw := timing.Start()
	time.Sleep(20 * time.Millisecond) // phase 1
	lap1 := sw.Lap()
	time.Sleep(10 * time.Millisecond) // phase 2
	lap2 := sw.Lap()
	total := sw.Stop()
	fmt.Println(lap1 >= 20*time.Millisecond, lap2 >= 10*time.Millisecond, total >= lap1+lap2)
	fmt.Println(len(sw.Laps()), sw.Elapsed() == total)
	// Output:
	// true true true
	// 2 true
}
