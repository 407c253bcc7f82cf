//go:build !linux

package compiled

import (
	"io"
	"os"
)

// newSpinReader returns f in blocking mode (Fd switches it): the waiting
// goroutine is woken by the kernel directly rather than through the
// runtime's poller. Only Linux polls the pipe first (spin_linux.go).
func newSpinReader(f *os.File) io.Reader {
	_ = f.Fd()
	return f
}

// newRawWriter returns f.
func newRawWriter(f *os.File) io.Writer { return f }
