// Command compiled times the interpreter-speed workloads of bench/harness.py
// as compiled Go, so the harness can report golit's interpreted speed as a
// ratio to the same code compiled. It prints one JSON object: workload name
// to seconds, plus "parallel_speedup": the speedup of the CPU-bound parallel
// workload on all cores over GOMAXPROCS(1), compiled. That one is a control:
// it shows how much of the machine's cores the run really got (on a shared
// machine, less than the core count), against which to read the
// interpreter's figure.
package main

import (
	"encoding/json"
	"flag"
	"os"
	"runtime"
	"strconv"
	"sync"
	"time"
)

func fib(n int) int {
	if n < 2 {
		return n
	}
	return fib(n-1) + fib(n-2)
}

func sum(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	return s
}

func words(n int) int {
	m := map[string]int{}
	for i := 0; i < n; i++ {
		k := "w" + strconv.Itoa(i%1000)
		m[k] += len(k)
	}
	return len(m)
}

// sink keeps the compiler from discarding the results.
var sink int

func timeIt(f func() int) float64 {
	start := time.Now()
	sink += f()
	return time.Since(start).Seconds()
}

// par runs tasks calls of fib(n) on goroutines with GOMAXPROCS set to procs
// and returns the seconds taken (the harness runs the same code
// interpreted).
func par(procs, tasks, n int) float64 {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	start := time.Now()
	var wg sync.WaitGroup
	var mu sync.Mutex
	for t := 0; t < tasks; t++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := fib(n)
			mu.Lock()
			sink += r
			mu.Unlock()
		}()
	}
	wg.Wait()
	return time.Since(start).Seconds()
}

func main() {
	parallelOnly := flag.Bool("parallel", false, "measure only the parallel speedup, with tasks long enough (fib(35)) for a control that tells a busy machine from a serial kernel")
	flag.Parse()
	cpus := runtime.NumCPU()
	if *parallelOnly {
		one := par(1, 2*cpus, 35)
		if err := json.NewEncoder(os.Stdout).Encode(map[string]float64{"parallel_speedup": one / par(cpus, 2*cpus, 35)}); err != nil {
			os.Exit(1)
		}
		return
	}
	out := map[string]float64{
		"fib27":  timeIt(func() int { return fib(27) }),
		"sum10m": timeIt(func() int { return sum(10_000_000) }),
		"strmap": timeIt(func() int { return words(300_000) }),
	}
	one := par(1, 2*cpus, 32)
	out["parallel_speedup"] = one / par(cpus, 2*cpus, 32)
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
