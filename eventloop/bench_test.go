package eventloop

import (
	"testing"
	"time"
)

// benchSleepers runs n tasks that each sleep d, and reports how far the
// run went beyond one sleep.
func benchSleepers(b *testing.B, n int, d time.Duration) {
	b.ReportAllocs()
	var total time.Duration
	for i := 0; i < b.N; i++ {
		start := time.Now()
		_, err := Run(func(l *Loop) (any, error) {
			ts := make([]*Task, n)
			for j := range ts {
				ts[j] = l.CreateTask(func() (any, error) { return nil, l.Sleep(d) })
			}
			_, err := l.Gather(ts...)
			return nil, err
		})
		if err != nil {
			b.Fatal(err)
		}
		total += time.Since(start)
	}
	avg := total / time.Duration(b.N)
	b.ReportMetric(avg.Seconds(), "s/run")
	b.ReportMetric(float64(avg-d)/float64(n), "ns-over-sleep/task")
}

// BenchmarkSleepers10k: 10,000 concurrent tasks sleeping 100ms finish in
// about one sleep, not 10,000.
func BenchmarkSleepers10k(b *testing.B) { benchSleepers(b, 10000, 100*time.Millisecond) }

// BenchmarkSleepers100k: the same with 100,000 tasks.
func BenchmarkSleepers100k(b *testing.B) { benchSleepers(b, 100000, 100*time.Millisecond) }

// BenchmarkTaskOverhead measures creating, running and awaiting one task
// that does nothing: the per-task cost of the loop.
func BenchmarkTaskOverhead(b *testing.B) {
	b.ReportAllocs()
	_, err := Run(func(l *Loop) (any, error) {
		for i := 0; i < b.N; i++ {
			t := l.CreateTask(func() (any, error) { return nil, nil })
			if _, err := l.Await(t); err != nil {
				return nil, err
			}
		}
		return nil, nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkSwitch measures one task switch: two tasks taking turns with
// Sleep(0) (asyncio.sleep(0)).
func BenchmarkSwitch(b *testing.B) {
	b.ReportAllocs()
	_, err := Run(func(l *Loop) (any, error) {
		other := l.CreateTask(func() (any, error) {
			for i := 0; i < b.N/2; i++ {
				l.Sleep(0)
			}
			return nil, nil
		})
		for i := 0; i < b.N/2; i++ {
			l.Sleep(0)
		}
		return l.Await(other)
	})
	if err != nil {
		b.Fatal(err)
	}
}
