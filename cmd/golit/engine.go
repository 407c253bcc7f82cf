package main

import (
	"os"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

// newEngine builds the engine the kernel talks to: by default the
// interpreter runs in a supervised child process (`golit engine`), which is
// restarted when a cell kills it (stack overflow, concurrent map writes,
// out of memory). With GOLIT_INPROCESS=1 the cells run inside the kernel
// process itself: faster to start, but such a crash ends the kernel.
func newEngine() (kernel.Engine, error) {
	if os.Getenv("GOLIT_INPROCESS") == "1" {
		return interp.New(interp.Options{WorkerCommand: workerCommand(), GCPercent: gcPercent()})
	}
	return supervise.New(supervise.Options{})
}

// newChildEngine is the engine of the `golit engine` child process. It owns
// the process, so it also captures what compiled code writes to os.Stdout
// and os.Stderr (file descriptors 1 and 2 stay with the supervisor, which
// reads the Go runtime's fatal errors there).
//
// Once the interpreter is built, the code that built its symbol tables is
// dropped from memory (releaseStartupPages).
func newChildEngine() (kernel.Engine, error) {
	e, err := interp.New(interp.Options{CaptureProcessOutput: true, WorkerCommand: workerCommand(), GCPercent: gcPercent()})
	if err != nil {
		return nil, err
	}
	releaseStartupPages()
	return e, nil
}

// gcPercent is the garbage collector setting of the engine process:
// interpreted code allocates a frame per call, and the default GOGC=100
// collects so often that goroutines spend their time in the collector
// (interp/PERFORMANCE.md). GOGC in the environment wins.
func gcPercent() int {
	if os.Getenv("GOGC") != "" {
		return 0
	}
	return 400
}

// workerCommand is how process pools start a worker: this executable with
// the argument "worker".
func workerCommand() []string {
	exe, err := os.Executable()
	if err != nil {
		return nil
	}
	return []string{exe, "worker"}
}
