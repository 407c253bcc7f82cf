package main

import (
	"fmt"
	"os"
)

// runWorker is `golit worker`: a process-pool worker that evaluates the
// notebook's declarations and then calls functions on request.
func runWorker(args []string) int {
	fmt.Fprintln(os.Stderr, "golit worker: not implemented yet")
	return 2
}

// runEngineChild is `golit engine`: the engine process a supervising kernel
// starts and restarts.
func runEngineChild(args []string) int {
	fmt.Fprintln(os.Stderr, "golit engine: not implemented yet")
	return 2
}
