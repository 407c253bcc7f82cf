package main

import (
	"context"
	"os"
	"testing"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/kernel"
)

// The benchmarks below run a notebook function, interpreted by yaegi, on
// golit's executors, the way a workshop cell does. The process pool needs a
// worker command: this test binary serves the worker protocol when
// testWorkerEnv is set, exactly as `golit worker` does.
const testWorkerEnv = "GOLIT_TEST_AS_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(testWorkerEnv) == "1" {
		os.Exit(runWorker(nil))
	}
	os.Exit(m.Run())
}

// poolBenchCells declares the CPU-bound notebook function (trial division)
// and eight primes that take it a while; the last cell is replaced by each
// benchmark.
const poolBenchCells = `import (
	"runtime"
	"golit/futures"
)

func isPrime(n int64) bool {
	if n < 2 {
		return false
	}
	if n%2 == 0 {
		return n == 2
	}
	for i := int64(3); i*i <= n; i += 2 {
		if n%i == 0 {
			return false
		}
	}
	return true
}

func noop(n int) int { return n }

var golitBenchMany float64 // the all-workers time of the last measurement

// Primes near 10^12: 500,000 divisions each, some 50 ms interpreted.
var primes = []any{int64(1000000000039), int64(1000000000061), int64(1000000000063), int64(1000000000091),
	int64(1000000000121), int64(1000000000163), int64(1000000000169), int64(1000000000177)}
`

// newPoolBenchEngine starts an interpreter holding poolBenchCells, with this
// test binary as the process pools' worker.
func newPoolBenchEngine(b *testing.B) *interp.Engine {
	b.Helper()
	self, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	b.Setenv(testWorkerEnv, "1") // inherited by the worker processes only
	e, err := interp.New(interp.Options{WorkerCommand: []string{self}, GCPercent: gcPercent()})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = e.Shutdown(false) })
	if r := e.Execute(context.Background(), kernel.ExecuteRequest{Code: poolBenchCells, StoreHistory: true, ExecutionCount: 1}, stderrIO{}); r.Status != kernel.StatusOK {
		b.Fatalf("%s: %s", r.Err.Name, r.Err.Value)
	}
	return e
}

// evalFloat runs a cell whose last expression is a float64 and returns it.
func evalFloat(b *testing.B, e *interp.Engine, expr string) float64 {
	b.Helper()
	v, err := e.Eval(context.Background(), expr)
	if err != nil {
		b.Fatalf("%s: %v", expr, err)
	}
	return v.Float()
}

// benchInterpretedSpeedup reports the wall time of the eight checks with one
// worker and with GOMAXPROCS workers, and their ratio.
func benchInterpretedSpeedup(b *testing.B, executor string) {
	e := newPoolBenchEngine(b)
	newEx := map[string]string{
		"goroutine": "func(n int) futures.Executor { return futures.NewGoroutinePool(n) }",
		"process":   "func(n int) futures.Executor { return futures.NewProcessPool(n) }",
	}[executor]
	fn := map[string]string{"goroutine": "isPrime", "process": `"isPrime"`}[executor]
	// Warm up: start-up of the first worker processes, first calls.
	evalFloat(b, e, "func() float64 { r, _ := futures.MeasureSpeedup("+newEx+", runtime.GOMAXPROCS(0), "+fn+", primes[:2]); return r.Speedup }()")
	var one, many float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		one += evalFloat(b, e, "func() float64 { r, err := futures.MeasureSpeedup("+newEx+", runtime.GOMAXPROCS(0), "+fn+", primes); if err != nil { panic(err) }; golitBenchMany = r.Many.Seconds(); return r.One.Seconds() }()")
		many += evalFloat(b, e, "golitBenchMany")
	}
	b.ReportMetric(one/float64(b.N), "s-1worker")
	b.ReportMetric(many/float64(b.N), "s-allworkers")
	b.ReportMetric(one/many, "speedup")
}

// The speedup of an interpreted CPU-bound notebook function on all cores
// over one, on the goroutine pool (target: 1.8x on 2 cores).
func BenchmarkInterpretedSpeedupGoroutinePool(b *testing.B) {
	benchInterpretedSpeedup(b, "goroutine")
}

// The same on the process pool: each worker process is a fresh interpreter
// that received the notebook's declarations.
func BenchmarkInterpretedSpeedupProcessPool(b *testing.B) {
	benchInterpretedSpeedup(b, "process")
}

// benchInterpretedOverhead reports the cost per task of submitting 2,000
// calls of an interpreted no-op function at once and awaiting them all, on
// two workers.
func benchInterpretedOverhead(b *testing.B, executor string) {
	e := newPoolBenchEngine(b)
	ex := map[string]string{"goroutine": "futures.NewGoroutinePool(2)", "process": "futures.NewProcessPool(2)"}[executor]
	fn := map[string]string{"goroutine": "noop", "process": `"noop"`}[executor]
	if r := e.Execute(context.Background(), kernel.ExecuteRequest{Code: "benchEx := " + ex + "\n_, _ = futures.MeasureOverhead(benchEx, " + fn + ", 1, 100)"}, stderrIO{}); r.Status != kernel.StatusOK {
		b.Fatalf("%s: %s", r.Err.Name, r.Err.Value)
	}
	var total float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		total += evalFloat(b, e, "func() float64 { d, err := futures.MeasureOverhead(benchEx, "+fn+", 1, 2000); if err != nil { panic(err) }; return d.Seconds() }()")
	}
	b.ReportMetric(total/float64(b.N)*1e6, "µs/task")
}

// Overhead per task of an interpreted function on the goroutine pool.
func BenchmarkInterpretedOverheadGoroutinePool(b *testing.B) {
	benchInterpretedOverhead(b, "goroutine")
}

// Overhead per task of an interpreted function on the process pool (JSON,
// a pipe round trip and a call in the worker's interpreter).
func BenchmarkInterpretedOverheadProcessPool(b *testing.B) {
	benchInterpretedOverhead(b, "process")
}
