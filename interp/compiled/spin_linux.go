package compiled

import (
	"io"
	"os"
	"syscall"
	"time"
)

// spinWindow is how long a reader of the other side's pipe polls before it
// sleeps in the kernel. A call of a trivial compiled function answers
// within a few microseconds, and waking a process from a blocking read
// costs about 5 µs on a 2-core VM (two wake-ups a call); polling for a
// short while finds the reply, or the next request, without either. Each
// poll yields the processor (sched_yield), so that on a loaded machine the
// other side, or anyone else, runs instead of the poller. Long calls pay
// the window once and then block.
const spinWindow = 40 * time.Microsecond

// spinReader reads a pipe by polling it for spinWindow, then blocking.
type spinReader struct{ fd int }

// newSpinReader reads f, whose descriptor it puts in non-blocking mode;
// f must not be read otherwise.
func newSpinReader(f *os.File) io.Reader {
	fd := int(f.Fd())
	if err := syscall.SetNonblock(fd, true); err != nil {
		return f
	}
	return &spinReader{fd: fd}
}

// Read reads what is there, polling for up to spinWindow and then
// waiting in a blocking read.
func (r *spinReader) Read(b []byte) (int, error) {
	var deadline time.Time
	for i := 0; ; i++ {
		n, err := syscall.Read(r.fd, b)
		switch {
		case err == nil && n == 0:
			return 0, io.EOF
		case err == nil:
			return n, nil
		case err != syscall.EAGAIN && err != syscall.EINTR:
			return 0, err
		}
		syscall.Syscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
		if i&15 == 15 {
			if deadline.IsZero() {
				deadline = time.Now().Add(spinWindow)
			} else if time.Now().After(deadline) {
				break
			}
		}
	}
	if err := syscall.SetNonblock(r.fd, false); err != nil {
		return 0, err
	}
	defer syscall.SetNonblock(r.fd, true)
	for {
		n, err := syscall.Read(r.fd, b)
		switch {
		case err == nil && n == 0:
			return 0, io.EOF
		case err == nil:
			return n, nil
		case err != syscall.EINTR:
			return 0, err
		}
	}
}
