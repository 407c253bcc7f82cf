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

// BenchmarkKernelInfoBurst sends 1,000 kernel_info requests at once and
// waits for every reply: the kernel's throughput on shell, with the
// busy/idle pair each request publishes on iopub.
func BenchmarkKernelInfoBurst(b *testing.B) {
	h := startTCP(b)
	c := h.c
	const burst = 1000
	b.ResetTimer()
	for b.Loop() {
		ids := make(map[string]bool, burst)
		for range burst {
			ids[c.send(c.shell, "kernel_info_request", map[string]any{})] = true
		}
		for len(ids) > 0 {
			select {
			case m := <-c.shellCh:
				delete(ids, parentID(m))
			case <-time.After(testTimeout):
				b.Fatalf("%d replies missing", len(ids))
			}
		}
		// Drain iopub so the client's buffer never fills.
		for len(c.iopubCh) > 0 {
			<-c.iopubCh
		}
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*burst), "µs/request")
}
