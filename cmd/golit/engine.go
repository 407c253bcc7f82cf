package main

import (
	"os"

	"github.com/golit/golit/interp"
	"github.com/golit/golit/kernel"
)

// newEngine builds the engine the kernel talks to. With GOLIT_INPROCESS=1 the
// cells run inside the kernel process itself.
func newEngine() (kernel.Engine, error) {
	if os.Getenv("GOLIT_INPROCESS") == "1" {
		return interp.New(interp.Options{})
	}
	return interp.New(interp.Options{})
}
