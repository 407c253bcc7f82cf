// Command compiled times the interpreter-speed workloads of bench/harness.py
// as compiled Go, so the harness can report golit's interpreted speed as a
// ratio to the same code compiled. It prints one JSON object: workload name
// to seconds.
package main

import (
	"encoding/json"
	"os"
	"strconv"
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

func main() {
	out := map[string]float64{
		"fib27":  timeIt(func() int { return fib(27) }),
		"sum10m": timeIt(func() int { return sum(10_000_000) }),
		"strmap": timeIt(func() int { return words(300_000) }),
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		os.Exit(1)
	}
}
