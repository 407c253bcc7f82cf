// Package sched shows Go's scheduler at work: it records a real execution
// trace (runtime/trace) around a piece of work and draws it as a chart
// with one lane per P, the processors on which Go runs goroutines.
//
// A goroutine is not a thread. The runtime multiplexes goroutines onto
// GOMAXPROCS Ps; each P runs one goroutine at a time, on an OS thread.
// A goroutine that cannot go on (it waits on a channel, a mutex, a timer,
// the network) parks and leaves its P to another; a goroutine that runs too
// long (about 10 ms) is preempted and goes back to the run queue. The
// chart makes that visible:
//
//   - the counts strip on top: how many of the work's goroutines were
//     running, runnable (ready, waiting for a P) or blocked, and on what;
//   - the GC lane: when the garbage collector was marking, and its
//     stop-the-world pauses in black;
//   - one lane per P: which goroutine ran on it when, in that goroutine's
//     colour; GC workers in dark grey (the time the collector takes from
//     the program); other goroutines of the process in light grey;
//   - with PerGoroutine (or Options.Goroutines), one lane per goroutine:
//     full bars when it ran, thin bars coloured by what it waited for.
//
// Record runs a function under the tracer and returns its Chart; Name
// gives the calling goroutine the name its lane shows:
//
//	runtime.GOMAXPROCS(1)
//	c, err := sched.Record("4 primes, one P", func() {
//		var wg sync.WaitGroup
//		for i, n := range numbers {
//			wg.Add(1)
//			go func() {
//				defer wg.Done()
//				sched.Name(fmt.Sprintf("isPrime #%d", i))
//				isPrime(n)
//			}()
//		}
//		wg.Wait()
//	})
//	c // the chart, as the cell's value
//
// With one P the four goroutines take turns on P0 and spend most of their
// time runnable; with GOMAXPROCS equal to the number of cores they run side
// by side, and the dark GC slices show what the collector takes from them.
//
// The goroutines of the work are the one that calls Record, every
// goroutine started from it while the function runs, and any goroutine
// that calls Name; Options.All adds every other non-runtime goroutine (a
// server started in an earlier cell, for example). A goroutine without a
// name shows its first trace region (Region, or runtime/trace.WithRegion),
// else its start function, else "goroutine N".
//
// Parse reads a trace written elsewhere (go test -trace, trace.Start in a
// program) and draws the same chart. The numbers behind the picture are
// methods: Procs, Goroutines and GC, so a notebook can print them in a
// sentence instead of claiming them.
//
// # From the Python workshop to sched
//
//	Python                                      Go
//	-----------------------------------------   ---------------------------------------
//	threads take turns under the GIL            goroutines take turns on GOMAXPROCS Ps
//	threading.current_thread().name = "w1"      sched.Name("w1")
//	viztracer / py-spy to see who ran when      sched.Record(title, work)
//	asyncio: tasks awaiting a socket            goroutines parked on the network poller
//
// The trace is read with golang.org/x/exp/trace, the public form of the
// reader behind go tool trace; open a trace saved with runtime/trace in go
// tool trace for every detail this chart leaves out.
package sched
