package timing

import (
	"sync"
	"time"
)

// Stopwatch measures elapsed time by hand, with laps. Its methods are safe
// for concurrent use, so goroutines may call Lap on a shared Stopwatch.
//
// The zero Stopwatch is stopped at zero; Start starts it.
type Stopwatch struct {
	mu      sync.Mutex
	start   time.Time     // when the current running period began
	stored  time.Duration // time accumulated by earlier running periods
	running bool
	lastLap time.Duration // Elapsed at the previous Lap
	laps    []time.Duration
}

// Start returns a new Stopwatch that is already running.
func Start() *Stopwatch {
	sw := &Stopwatch{}
	sw.Start()
	return sw
}

// Start resets the stopwatch to zero, forgets its laps and starts it.
func (sw *Stopwatch) Start() {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	sw.start, sw.stored, sw.running, sw.lastLap, sw.laps = time.Now(), 0, true, 0, nil
}

// Resume starts a stopped stopwatch again without resetting it; the time
// it was stopped does not count.
func (sw *Stopwatch) Resume() {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	if !sw.running {
		sw.start, sw.running = time.Now(), true
	}
}

// elapsed is Elapsed with sw.mu held.
func (sw *Stopwatch) elapsed() time.Duration {
	if sw.running {
		return sw.stored + time.Since(sw.start)
	}
	return sw.stored
}

// Elapsed returns the total time the stopwatch has run.
func (sw *Stopwatch) Elapsed() time.Duration {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	return sw.elapsed()
}

// Seconds returns Elapsed in seconds.
func (sw *Stopwatch) Seconds() float64 { return sw.Elapsed().Seconds() }

// Lap records and returns the time since the previous Lap (or since Start
// for the first one).
func (sw *Stopwatch) Lap() time.Duration {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	now := sw.elapsed()
	lap := now - sw.lastLap
	sw.lastLap = now
	sw.laps = append(sw.laps, lap)
	return lap
}

// Laps returns the laps recorded so far, in order.
func (sw *Stopwatch) Laps() []time.Duration {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	return append([]time.Duration(nil), sw.laps...)
}

// Stop stops the stopwatch and returns the total elapsed time. Elapsed
// keeps returning that total until Start or Resume.
func (sw *Stopwatch) Stop() time.Duration {
	sw.mu.Lock()
	defer sw.mu.Unlock()
	sw.stored = sw.elapsed()
	sw.running = false
	return sw.stored
}

// String formats Elapsed with Format, for example "1.23 s".
func (sw *Stopwatch) String() string { return Format(sw.Elapsed()) }
