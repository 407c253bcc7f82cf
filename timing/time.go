package timing

import (
	"fmt"
	"time"
)

// Result is what Time measured: the wall-clock time of one call and the CPU
// time the whole process used meanwhile.
type Result struct {
	// Wall is the elapsed real time.
	Wall time.Duration
	// User and System are the CPU times spent in user and kernel mode by
	// all goroutines of the process while the function ran.
	User, System time.Duration
	// CPUKnown is false on systems where CPU times cannot be read; User and
	// System are zero then.
	CPUKnown bool
}

// Time calls fn once and measures it. If fn panics, the panic goes on
// unchanged to the caller and nothing is returned.
//
// Time is the function form of IPython's %time: print the Result to get
//
//	CPU times: user 1.2 s, sys: 10 ms, total: 1.21 s
//	Wall time: 620 ms
func Time(fn func()) Result {
	u0, s0, ok0 := cpuTimes()
	start := time.Now()
	fn()
	wall := time.Since(start)
	u1, s1, ok1 := cpuTimes()
	r := Result{Wall: wall}
	if ok0 && ok1 {
		r.User, r.System, r.CPUKnown = u1-u0, s1-s0, true
	}
	return r
}

// CPU returns the total CPU time, User plus System.
func (r Result) CPU() time.Duration { return r.User + r.System }

// String formats r as IPython's %time does, on two lines without a final
// newline. Without CPU times only the wall time line is written.
func (r Result) String() string {
	wall := "Wall time: " + Format(r.Wall)
	if !r.CPUKnown {
		return wall
	}
	return fmt.Sprintf("CPU times: user %s, sys: %s, total: %s\n%s",
		Format(r.User), Format(r.System), Format(r.CPU()), wall)
}
