package run

import (
	"testing"

	"github.com/golit/golit/kernel"
)

// The benchmarks below measure what the interpreted stack of panics costs
// code that does not panic (stack.go): a cell of trivial statements, whose
// top-level statements report themselves, and calls of functions that
// contain a panic call which does not run. Compare them with the engine
// before stack.go (see interp/README.md for the figures).

func benchCell(b *testing.B, setup, cell string) {
	b.Helper()
	e, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer e.Shutdown(false)
	io := &recIO{}
	n := 0
	run := func(code string) {
		n++
		r := e.Execute(b.Context(), kernel.ExecuteRequest{Code: code, ExecutionCount: n, StoreHistory: true}, io)
		if r.Status != kernel.StatusOK {
			b.Fatalf("%q: %+v", code, r.Err)
		}
	}
	run(setup)
	b.ResetTimer()
	for range b.N {
		run(cell)
		io.reset()
	}
}

const guardSetup = `func guard(n int) int {
	if n < 0 {
		panic(fmt.Sprint("negative: ", n))
	}
	return n + 1
}
func plain(n int) int {
	if n < 0 {
		return 0
	}
	return n + 1
}
func loopGuard(k int) int {
	s := 0
	for i := 0; i < k; i++ {
		s += guard(i)
	}
	return s
}
func loopPlain(k int) int {
	s := 0
	for i := 0; i < k; i++ {
		s += plain(i)
	}
	return s
}`

// BenchmarkCallsWithPanic: 100,000 calls of a function with a panic call
// that never runs.
func BenchmarkCallsWithPanic(b *testing.B) { benchCell(b, guardSetup, "_ = loopGuard(100000)") }

// BenchmarkCallsWithoutPanic: the same calls of the same function without
// the panic call.
func BenchmarkCallsWithoutPanic(b *testing.B) { benchCell(b, guardSetup, "_ = loopPlain(100000)") }

// BenchmarkTrivialCell: a cell of five top-level statements.
func BenchmarkTrivialCell(b *testing.B) {
	benchCell(b, "var total int", "total++\ntotal += 2\nif total < 0 {\n\ttotal = 0\n}\ntotal--\n_ = total")
}
