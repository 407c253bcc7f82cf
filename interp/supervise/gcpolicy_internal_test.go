package supervise

import (
	"runtime"
	"runtime/debug"
	"testing"
)

// TestGCPolicyPercent checks the percent the policy wants for live heaps
// small and large: the engine's setting while the heap is small, a fixed
// headroom after that, and the floor for very large heaps.
func TestGCPolicyPercent(t *testing.T) {
	p := &gcPolicy{base: 400}
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 400},
		{4 << 20, 400},
		{5 << 20, 400},
		{10 << 20, 200},
		{40 << 20, 50},
		{80 << 20, 25},
		{1 << 30, 25},
	} {
		if got := p.percentFor(c.live); got != c.want {
			t.Errorf("percentFor(%d MB) = %d, want %d", c.live>>20, got, c.want)
		}
	}
}

// TestGCPolicyAfterCell runs the policy in this process: with a live heap
// larger than the headroom allows at the base percent, it lowers the
// percent; once something else sets the percent, it leaves it alone.
func TestGCPolicyAfterCell(t *testing.T) {
	t.Setenv("GOGC", "")
	old := debug.SetGCPercent(400)
	defer debug.SetGCPercent(old)
	keep := make([][]byte, 0, 64)
	for range 48 {
		keep = append(keep, make([]byte, 1<<20)) // 48 MB live
	}
	runtime.GC()
	p := newGCPolicy()
	if p.off || p.base != 400 {
		t.Fatalf("policy off=%v base=%d, want on with base 400", p.off, p.base)
	}
	p.afterCell()
	got := debug.SetGCPercent(400)
	if got >= 100 || got < gcMinPercent {
		t.Fatalf("with %d MB live the policy set %d%%, want between %d and 100", len(keep), got, gcMinPercent)
	}
	debug.SetGCPercent(got)
	// A cell sets its own percent: the policy must keep it.
	debug.SetGCPercent(777)
	p.afterCell()
	if cur := debug.SetGCPercent(400); cur != 777 {
		t.Fatalf("after a cell set 777%%, the policy changed it to %d", cur)
	}
	if !p.off {
		t.Fatal("the policy is still on after a cell set the percent")
	}
	runtime.KeepAlive(keep)
}

// TestGCPolicyOffWithGOGC checks that GOGC in the environment wins.
func TestGCPolicyOffWithGOGC(t *testing.T) {
	t.Setenv("GOGC", "400")
	if p := newGCPolicy(); !p.off {
		t.Fatal("policy on with GOGC set")
	}
}
