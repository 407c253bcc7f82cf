//go:build !unix

package main

import (
	"io"
	"os"
)

// originalStderr returns the process's stderr.
func originalStderr() io.Writer { return os.Stderr }
