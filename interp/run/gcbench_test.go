package run

import (
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"testing"
	"time"
)

// TestGCSpeedup measures the parallel speedup of interpreted CPU-bound code
// (PERFORMANCE.md). It runs only with GOLIT_GC_BENCH=1; GOLIT_GC_PERCENT
// sets debug.SetGCPercent for the run.
func TestGCSpeedup(t *testing.T) {
	if os.Getenv("GOLIT_GC_BENCH") != "1" {
		t.Skip("set GOLIT_GC_BENCH=1 to measure")
	}
	if p := os.Getenv("GOLIT_GC_PERCENT"); p != "" {
		n, _ := strconv.Atoi(p)
		old := debug.SetGCPercent(n)
		defer debug.SetGCPercent(old)
	}
	s := newSession(t)
	s.ok("func fib(n int) int { if n < 2 { return n }; return fib(n-1) + fib(n-2) }\nfunc spin(n int) int { s := 0; for i := 0; i < n; i++ { s += i % 7 }; return s }")
	measure := func(code string) time.Duration {
		best := time.Duration(1 << 62)
		for i := 0; i < 3; i++ {
			start := time.Now()
			s.ok(code)
			if d := time.Since(start); d < best {
				best = d
			}
		}
		return best
	}
	for _, w := range []struct{ name, call string }{{"fib(27)", "fib(27)"}, {"spin(3e6)", "spin(3000000)"}} {
		seq := measure(fmt.Sprintf("%s\n%s", w.call, w.call))
		par := measure(fmt.Sprintf("var wg sync.WaitGroup\nfor range 2 { wg.Add(1); go func() { defer wg.Done(); _ = %s }() }\nwg.Wait()", w.call))
		fmt.Printf("GCPERCENT=%s %s: 2 sequential %v, 2 goroutines %v, speedup %.2fx\n", os.Getenv("GOLIT_GC_PERCENT"), w.name, seq.Round(time.Millisecond), par.Round(time.Millisecond), float64(seq)/float64(par))
	}
}
