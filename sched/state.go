package sched

import "strings"

// State is what a goroutine is doing at a moment of the trace, as the
// chart colours it.
type State uint8

// The states a goroutine lane and the goroutine counts show. Every waiting
// goroutine is in exactly one of the Blocked... states or Sleeping, chosen
// from the reason the runtime gives when it parks the goroutine.
const (
	Running      State = iota // on a P, executing
	Runnable                  // ready, waiting for a P (the run queue)
	BlockedChan               // parked on a channel send, receive or select
	BlockedSync               // parked on a sync.Mutex, RWMutex, WaitGroup or Cond
	Sleeping                  // in time.Sleep (or a cell's interruptible sleep)
	BlockedNet                // parked on the network poller (a socket read, write, accept)
	InSyscall                 // in a system call (file I/O, a blocking call into the OS)
	BlockedOther              // parked for the GC or another runtime reason
	numStates
)

var stateNames = [numStates]string{
	Running:      "running",
	Runnable:     "runnable",
	BlockedChan:  "channel/select",
	BlockedSync:  "mutex/sync",
	Sleeping:     "sleep",
	BlockedNet:   "network poller",
	InSyscall:    "syscall",
	BlockedOther: "GC/runtime wait",
}

// String returns the name the legend uses.
func (s State) String() string {
	if s < numStates {
		return stateNames[s]
	}
	return "unknown"
}

// stateColor is the fill of each state in the counts strip and of the
// waits in goroutine lanes. Running goroutines take their own colour in
// lanes.
var stateColor = [numStates]string{
	Running:      "#1b7837",
	Runnable:     "#f2c14e",
	BlockedChan:  "#f4a582",
	BlockedSync:  "#d6604d",
	Sleeping:     "#b9d3ee",
	BlockedNet:   "#5fb3a5",
	InSyscall:    "#a68fcf",
	BlockedOther: "#d9d9d9",
}

// waitState maps the runtime's reason for parking a goroutine to a State.
// The reasons are the strings the Go runtime writes into the trace (see
// traceBlockReasonStrings in runtime/traceruntime.go).
func waitState(reason string) State {
	switch {
	case reason == "chan send", reason == "chan receive", reason == "select":
		return BlockedChan
	case reason == "sync", strings.HasPrefix(reason, "sync."):
		return BlockedSync
	case reason == "sleep":
		return Sleeping
	case reason == "network":
		return BlockedNet
	}
	return BlockedOther
}
