package futures_test

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golit/golit/futures"
)

// Overhead per task: b.N trivial tasks submitted, then all awaited.
func BenchmarkGoroutinePoolSubmit(b *testing.B) {
	ex := futures.NewGoroutinePool(runtime.GOMAXPROCS(0))
	defer ex.Shutdown(true, false)
	task := func() (any, error) { return nil, nil }
	fs := make([]*futures.Future, b.N)
	b.ResetTimer()
	for i := range fs {
		fs[i] = ex.Submit(task)
	}
	for _, f := range fs {
		f.Result()
	}
}

// Overhead per task through reflect (a plain func(int) int, as a notebook
// function arrives).
func BenchmarkGoroutinePoolSubmitReflect(b *testing.B) {
	ex := futures.NewGoroutinePool(runtime.GOMAXPROCS(0))
	defer ex.Shutdown(true, false)
	fs := make([]*futures.Future, b.N)
	b.ResetTimer()
	for i := range fs {
		fs[i] = ex.Submit(square, i)
	}
	for _, f := range fs {
		f.Result()
	}
}

// Round trip of one task at a time: Submit then Result.
func BenchmarkGoroutinePoolRoundTrip(b *testing.B) {
	ex := futures.NewGoroutinePool(1)
	defer ex.Shutdown(true, false)
	task := func() (any, error) { return nil, nil }
	for i := 0; i < b.N; i++ {
		ex.Submit(task).Result()
	}
}

// Baseline: a bare goroutine and WaitGroup per task.
func BenchmarkBareGoroutine(b *testing.B) {
	var wg sync.WaitGroup
	for i := 0; i < b.N; i++ {
		wg.Add(1)
		go func() { wg.Done() }()
	}
	wg.Wait()
}

// Round trip of one task at a time through a worker process: JSON encode,
// pipe write, worker decode/call/encode, pipe read, decode.
func BenchmarkProcessPoolRoundTrip(b *testing.B) {
	pp := futures.NewProcessPool(1)
	defer pp.Shutdown(true, false)
	if err := pp.Start(); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := pp.Submit("square", i).Result(); err != nil {
			b.Fatal(err)
		}
	}
}

// Throughput of trivial tasks over all cores' worker processes.
func BenchmarkProcessPoolSubmit(b *testing.B) {
	pp := futures.NewProcessPool(runtime.GOMAXPROCS(0))
	defer pp.Shutdown(true, false)
	if err := pp.Start(); err != nil {
		b.Fatal(err)
	}
	fs := make([]*futures.Future, b.N)
	b.ResetTimer()
	for i := range fs {
		fs[i] = pp.Submit("square", i)
	}
	for _, f := range fs {
		f.Result()
	}
}

// Start-up of one worker process (exec, handshake) and its shutdown.
func BenchmarkProcessPoolStartup(b *testing.B) {
	for i := 0; i < b.N; i++ {
		pp := futures.NewProcessPool(1)
		if err := pp.Start(); err != nil {
			b.Fatal(err)
		}
		pp.Shutdown(true, false)
	}
}

// primes are large primes for a CPU-bound check taking a few ms each
// compiled (isPrime does about sqrt(n)/2 divisions).
var primes = []any{
	int64(1_000_000_000_000_037), int64(1_000_000_000_000_091), int64(1_000_000_000_000_159),
	int64(1_000_000_000_000_187), int64(1_000_000_000_000_223), int64(1_000_000_000_000_241),
	int64(1_000_000_000_000_249), int64(1_000_000_000_000_259),
}

func benchSpeedup(b *testing.B, newEx func(int) futures.Executor, fn any) {
	workers := runtime.GOMAXPROCS(0)
	var one, many float64
	for i := 0; i < b.N; i++ {
		r, err := futures.MeasureSpeedup(newEx, workers, fn, primes)
		if err != nil {
			b.Fatal(err)
		}
		one += r.One.Seconds()
		many += r.Many.Seconds()
	}
	b.ReportMetric(one/float64(b.N), "s-1worker")
	b.ReportMetric(many/float64(b.N), "s-allworkers")
	b.ReportMetric(one/many, "speedup")
	b.ReportMetric(float64(workers), "workers")
}

// Speedup of a CPU-bound function on all cores over one, goroutines.
func BenchmarkSpeedupGoroutinePool(b *testing.B) {
	benchSpeedup(b, func(n int) futures.Executor { return futures.NewGoroutinePool(n) }, isPrime)
}

// Speedup of the same function in worker processes.
func BenchmarkSpeedupProcessPool(b *testing.B) {
	benchSpeedup(b, func(n int) futures.Executor { return futures.NewProcessPool(n) }, "isPrime")
}

func TestMeasureHelpers(t *testing.T) {
	ex := futures.NewGoroutinePool(2)
	defer ex.Shutdown(true, false)
	d, err := futures.MeasureOverhead(ex, square, 3, 100)
	if err != nil || d <= 0 {
		t.Errorf("MeasureOverhead: %v %v", d, err)
	}
	if _, err := futures.MeasureOverhead(ex, fail, "x", 3); err == nil {
		t.Error("MeasureOverhead lost the task error")
	}
	r, err := futures.MeasureSpeedup(func(n int) futures.Executor { return futures.NewGoroutinePool(n) }, 2, isPrime, primes[:2])
	if err != nil || r.One <= 0 || r.Many <= 0 || r.Speedup <= 0 || r.Tasks != 2 || r.Workers != 2 {
		t.Errorf("MeasureSpeedup: %+v %v", r, err)
	}
	if !strings.Contains(r.String(), "2 tasks: 1 worker") {
		t.Errorf("String: %s", r)
	}
	if _, err := futures.MeasureSpeedup(func(n int) futures.Executor { return futures.NewGoroutinePool(n) }, 2, fail, []any{"x"}); err == nil {
		t.Error("MeasureSpeedup lost the task error")
	}
}

// Baseline for the speedup benchmarks: the same work on plain goroutines
// reading a channel, no pool. On a busy machine compare the pools' speedup
// with this one rather than with the number of cores.
func BenchmarkSpeedupBareGoroutines(b *testing.B) {
	run := func(workers int) time.Duration {
		start := time.Now()
		ch := make(chan any)
		var wg sync.WaitGroup
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := range ch {
					isPrime(n.(int64))
				}
			}()
		}
		for _, p := range primes {
			ch <- p
		}
		close(ch)
		wg.Wait()
		return time.Since(start)
	}
	workers := runtime.GOMAXPROCS(0)
	var one, many float64
	for i := 0; i < b.N; i++ {
		one += run(1).Seconds()
		many += run(workers).Seconds()
	}
	b.ReportMetric(one/float64(b.N), "s-1worker")
	b.ReportMetric(many/float64(b.N), "s-allworkers")
	b.ReportMetric(one/many, "speedup")
	b.ReportMetric(float64(workers), "workers")
}
