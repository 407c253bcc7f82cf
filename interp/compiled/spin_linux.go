package compiled

import (
	"io"
	"os"
	"syscall"
	"time"
	"unsafe"
)

// spinWindow is how long a reader of the other side's pipe polls before it
// sleeps in the kernel. A call of a trivial compiled function answers
// within a few microseconds, and waking a process from a blocking read
// costs about 5 µs on a 2-core VM (two wake-ups a call); polling for a
// short while finds the reply, or the next request, without either. Each
// poll yields the processor (sched_yield), so that on a loaded machine the
// other side, or anyone else, runs instead of the poller. Long calls pay
// the window once and then block. The polls are raw system calls: one
// that returns at once needs none of the runtime's bookkeeping for a call
// that might block (handing the P over, finding work for it, taking it
// back), which cost more than the read.
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
		n, err := rawRead(r.fd, b)
		switch {
		case err == 0 && n == 0:
			return 0, io.EOF
		case err == 0:
			return n, nil
		case err != syscall.EAGAIN && err != syscall.EINTR:
			return 0, err
		}
		syscall.RawSyscall(syscall.SYS_SCHED_YIELD, 0, 0, 0)
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

// rawRead is read(2) without the runtime's system call bookkeeping: for a
// descriptor in non-blocking mode, which never blocks.
func rawRead(fd int, b []byte) (int, syscall.Errno) {
	if len(b) == 0 {
		return 0, 0
	}
	n, _, e := syscall.RawSyscall(syscall.SYS_READ, uintptr(fd), uintptr(unsafe.Pointer(&b[0])), uintptr(len(b)))
	return int(n), e
}

// rawWriter writes to a pipe in non-blocking mode with raw write(2)
// calls; when the pipe is full it hands the rest to f, which waits for
// room through the runtime's poller.
type rawWriter struct {
	fd int
	f  *os.File
}

// newRawWriter writes to f, a pipe os.Pipe made (non-blocking).
func newRawWriter(f *os.File) io.Writer {
	sc, err := f.SyscallConn()
	if err != nil {
		return f
	}
	w := &rawWriter{fd: -1, f: f}
	if sc.Control(func(fd uintptr) { w.fd = int(fd) }) != nil || w.fd < 0 {
		return f
	}
	return w
}

// Write writes b.
func (w *rawWriter) Write(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, _, e := syscall.RawSyscall(syscall.SYS_WRITE, uintptr(w.fd), uintptr(unsafe.Pointer(&b[done])), uintptr(len(b)-done))
		switch e {
		case 0:
			done += int(n)
		case syscall.EINTR:
		case syscall.EAGAIN:
			m, err := w.f.Write(b[done:])
			return done + m, err
		default:
			return done, e
		}
	}
	return done, nil
}
