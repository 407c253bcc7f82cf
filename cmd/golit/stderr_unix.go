//go:build unix

package main

import (
	"io"
	"os"
	"syscall"
)

// originalStderr returns a writer on a duplicate of file descriptor 2
// taken now, so the kernel's log keeps reaching the terminal or Jupyter's
// log after an engine redirects fd 2 to capture cell output.
func originalStderr() io.Writer {
	fd, err := syscall.Dup(2)
	if err != nil {
		return os.Stderr
	}
	syscall.CloseOnExec(fd)
	return os.NewFile(uintptr(fd), "golit-log")
}
