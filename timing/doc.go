// Package timing measures how long Go code takes, the way IPython's %time and
// %timeit do, for notebook cells and compiled programs alike.
//
// Three tools cover the usual questions:
//
//   - Time runs a function once and reports wall-clock time and the CPU time
//     the process spent in user and system mode. Comparing them tells whether
//     code was computing (CPU close to wall on one core, or above it on
//     several) or waiting (wall much larger than CPU: sleeping, I/O, locks).
//   - TimeIt runs a function many times and reports the mean time per call
//     with its spread, choosing the number of loops itself so that a run is
//     long enough to measure. Use it for small, fast pieces of code.
//   - A Stopwatch times the phases of longer code by hand (Start, Lap, Stop).
//
// Format turns a duration into the short text IPython prints: three
// significant digits and a unit from ns to s ("1.23 ms", "620 ms", "12.4 µs"),
// and "1min 3s" from a minute up.
//
// # From Python to Go
//
//	IPython / Python                  golit
//	%time stmt                        timing.Time(func() { stmt })
//	%timeit stmt                      timing.TimeIt(func() { stmt })
//	%timeit -n 100 -r 5 stmt          timing.TimeIt(fn, timing.Loops(100), timing.Runs(5))
//	t0 = time.perf_counter()          sw := timing.Start()
//	time.perf_counter() - t0          sw.Seconds() / sw.Elapsed()
//
// In golit notebooks the %time, %%time, %timeit and %%timeit magics use this
// package, so their output matches what a call prints.
//
// # How TimeIt measures
//
// Unless Loops is given, TimeIt tries 1, 10, 100, ... loops until one run
// takes at least 0.2 s (those calibration runs are not reported), then makes
// Runs runs (7 by default) of that many loops. The result is the mean time per
// loop over the runs and the population standard deviation of the per-loop
// times. When the slowest run is more than four times slower than the fastest,
// the result carries IPython's warning that an intermediate result may be
// cached. Unlike Python's timeit, the garbage collector stays on: Go code
// that allocates pays for its garbage, and the measurement includes it.
//
// CPU times come from getrusage(RUSAGE_SELF): they count every goroutine of
// the process, not only the measured function. On systems without getrusage
// only the wall time is reported.
package timing
