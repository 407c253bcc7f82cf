package kernel

import (
	"testing"
	"time"
)

// BenchmarkExecuteRoundTrip measures a trivial execute_request from send
// to idle through real sockets and the fake engine: the kernel's own
// share of a cell's latency.
func BenchmarkExecuteRoundTrip(b *testing.B) {
	h := startTCP(b)
	c := h.c
	b.ResetTimer()
	start := time.Now()
	for b.Loop() {
		c.execute("result 1", nil)
	}
	b.ReportMetric(float64(time.Since(start).Microseconds())/float64(b.N), "µs/cell")
}
