package supervise

import (
	"os"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// The engine child's garbage collector.
//
// The engine runs with a high GC percent (400, set by cmd/golit): an
// interpreted call allocates a frame, and with Go's default of 100 the
// collector ran so often that two goroutines spent their time in it
// (interp/PERFORMANCE.md). That setting was measured with a fresh
// session's live heap (about 5 MB in the child), where it means about
// 20 MB of allocation between collections. As a session grows, its live
// heap grows (a cell that declares a variable and a function keeps about
// 12 KB, mostly yaegi's compiled function), and the percent multiplies it:
// after 5,000 such cells the child's resident memory grew by 35 KB per
// cell for 12 KB live (bench/session).
//
// gcPolicy keeps the allocation between collections at what a fresh
// session gets instead: after each cell it sets the percent so that the
// heap may grow by gcHeadroom over the live heap the last collection
// found, never above the percent the engine started with and never below
// gcMinPercent. A session whose live heap is under 5 MB keeps the setting
// as it was; a session of 5,000 such cells ends at about 30%, and its
// memory grows by 19 KB per cell. GOGC in the environment, or a cell that
// sets the percent itself (debug.SetGCPercent), turns the policy off.

const (
	// gcHeadroom is the allocation between collections the policy keeps.
	gcHeadroom = 20 << 20
	// gcMinPercent is the lowest percent the policy sets: a collection
	// then marks the live heap once per quarter of it allocated.
	gcMinPercent = 25
)

// gcPolicy adjusts the GC percent of the engine child after each cell.
type gcPolicy struct {
	mu      sync.Mutex
	off     bool
	base    int // the percent the engine started with: the most it sets
	set     int // the percent it set last, 0 before
	samples []metrics.Sample
}

// newGCPolicy reads the percent the engine started with. The policy is off
// when GOGC is in the environment (the user chose) or the collector is off.
func newGCPolicy() *gcPolicy {
	p := &gcPolicy{samples: []metrics.Sample{{Name: "/gc/gogc:percent"}, {Name: "/gc/heap/live:bytes"}}}
	metrics.Read(p.samples)
	if os.Getenv("GOGC") != "" || p.samples[0].Value.Kind() != metrics.KindUint64 ||
		p.samples[1].Value.Kind() != metrics.KindUint64 {
		p.off = true
		return p
	}
	p.base = int(p.samples[0].Value.Uint64())
	if p.base <= gcMinPercent {
		p.off = true
	}
	return p
}

// percentFor is the percent the policy wants for a live heap of live bytes.
func (p *gcPolicy) percentFor(live uint64) int {
	if live == 0 {
		return p.base
	}
	pc := int(min(uint64(p.base), uint64(gcHeadroom)*100/live))
	return max(pc, gcMinPercent)
}

// afterCell sets the percent for the live heap the last collection found.
func (p *gcPolicy) afterCell() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.off {
		return
	}
	metrics.Read(p.samples)
	cur := int(p.samples[0].Value.Uint64())
	if p.set != 0 && cur != p.set || p.set == 0 && cur != p.base {
		p.off = true // a cell set the percent: leave it
		return
	}
	want := p.percentFor(p.samples[1].Value.Uint64())
	// Small moves are not worth a change (each recomputes the heap goal).
	if d := want - cur; d > -5 && d < 5 && want != p.base {
		return
	}
	if want != cur {
		debug.SetGCPercent(want)
	}
	p.set = want
}
