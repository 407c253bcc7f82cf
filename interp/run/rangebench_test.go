package run

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"
)

// TestRangeFuncCost measures what an iteration of a range over a function
// costs against other loops in the interpreter (PERFORMANCE.md). It runs
// only with GOLIT_RANGE_BENCH=1.
func TestRangeFuncCost(t *testing.T) {
	if os.Getenv("GOLIT_RANGE_BENCH") != "1" {
		t.Skip("set GOLIT_RANGE_BENCH=1 to measure")
	}
	const n = 300000
	s := newSession(t)
	s.ok(fmt.Sprintf("import \"iter\"\nconst N = %d\nxs := make([]int, N)\nfor i := range xs {\n\txs[i] = i\n}\nfunc Count(n int) iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}", n))
	loops := []struct{ name, body string }{
		{"three-clause loop", "for i := 0; i < N; i++ {\n\t\ttotal += i\n\t}"},
		{"range over a slice", "for i := range xs {\n\t\ttotal += i\n\t}"},
		{"iterator called with a function literal", "Count(N)(func(v int) bool {\n\t\ttotal += v\n\t\treturn true\n\t})"},
		{"range over the iterator (rewritten)", "for v := range Count(N) {\n\t\ttotal += v\n\t}"},
		// The element type is written nowhere golit can read it (xs is a
		// notebook variable), so the loop goes through Run1.
		{"the same through Run1 (types not written)", "vals := slices.Values(xs)\n\tfor v := range vals {\n\t\ttotal += v\n\t}"},
	}
	// Each loop runs in a function, as notebook code mostly does.
	for i, l := range loops {
		s.ok(fmt.Sprintf("func loop%d() int {\n\ttotal := 0\n\t%s\n\treturn total\n}", i, l.body))
	}
	var base time.Duration
	for i, l := range loops {
		best := time.Duration(1 << 62)
		for range 5 {
			start := time.Now()
			_, r := s.ok(fmt.Sprintf("loop%d()", i))
			d := time.Since(start)
			if got := textOf(r.Result); got != fmt.Sprint(n*(n-1)/2) {
				t.Fatalf("%s: total %s", l.name, got)
			}
			if d < best {
				best = d
			}
		}
		if i == 0 {
			base = best
		}
		per := float64(best.Nanoseconds()) / n
		fmt.Printf("%-42s %7.0f ns/iteration  %5.1fx %s\n", l.name, per, float64(best)/float64(base), strings.Repeat("#", int(per/100)))
	}
}
