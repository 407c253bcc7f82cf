package compiled

// workerFiles are the worker's own files beside the dispatcher: how it
// reads requests and writes replies (raw system calls on Linux, as the
// engine's, in spin_linux.go). On Linux it polls its request pipe for a few
// microseconds after each reply before it sleeps in a blocking read, as
// the engine does for replies (spin_unix.go): in a loop of calls the next
// request comes within that window and neither process has to be woken.
var workerFiles = map[string]string{
	"golit_input_linux.go": `//go:build linux

package main

import (
	golit__io "io"
	golit__os "os"
	golit__syscall "syscall"
	golit__time "time"
	golit__unsafe "unsafe"
)

type golit__spinReader struct{ fd int }

func golit__input() golit__io.Reader {
	if golit__syscall.SetNonblock(3, true) != nil {
		return golit__os.NewFile(3, "golit-requests")
	}
	return &golit__spinReader{fd: 3}
}

type golit__rawWriter struct {
	fd int
	f  *golit__os.File
}

func golit__output() golit__io.Writer {
	if golit__syscall.SetNonblock(4, true) != nil {
		return golit__os.NewFile(4, "golit-results")
	}
	// Non-blocking, so the file waits for room through the poller.
	return &golit__rawWriter{fd: 4, f: golit__os.NewFile(4, "golit-results")}
}

func (w *golit__rawWriter) Write(b []byte) (int, error) {
	done := 0
	for done < len(b) {
		n, _, e := golit__syscall.RawSyscall(golit__syscall.SYS_WRITE, uintptr(w.fd), uintptr(golit__unsafe.Pointer(&b[done])), uintptr(len(b)-done))
		switch e {
		case 0:
			done += int(n)
		case golit__syscall.EINTR:
		case golit__syscall.EAGAIN:
			m, err := w.f.Write(b[done:])
			return done + m, err
		default:
			return done, e
		}
	}
	return done, nil
}

func golit__rawRead(fd int, b []byte) (int, golit__syscall.Errno) {
	if len(b) == 0 {
		return 0, 0
	}
	n, _, e := golit__syscall.RawSyscall(golit__syscall.SYS_READ, uintptr(fd), uintptr(golit__unsafe.Pointer(&b[0])), uintptr(len(b)))
	return int(n), e
}

func (r *golit__spinReader) Read(b []byte) (int, error) {
	var deadline golit__time.Time
	for i := 0; ; i++ {
		n, err := golit__rawRead(r.fd, b)
		switch {
		case err == 0 && n == 0:
			return 0, golit__io.EOF
		case err == 0:
			return n, nil
		case err != golit__syscall.EAGAIN && err != golit__syscall.EINTR:
			return 0, err
		}
		golit__syscall.RawSyscall(golit__syscall.SYS_SCHED_YIELD, 0, 0, 0)
		if i&15 == 15 {
			if deadline.IsZero() {
				deadline = golit__time.Now().Add(` + spinWindowText + `)
			} else if golit__time.Now().After(deadline) {
				break
			}
		}
	}
	if err := golit__syscall.SetNonblock(r.fd, false); err != nil {
		return 0, err
	}
	defer golit__syscall.SetNonblock(r.fd, true)
	for {
		n, err := golit__syscall.Read(r.fd, b)
		switch {
		case err == nil && n == 0:
			return 0, golit__io.EOF
		case err == nil:
			return n, nil
		case err != golit__syscall.EINTR:
			return 0, err
		}
	}
}
`,
	"golit_input_other.go": `//go:build !linux

package main

import (
	golit__io "io"
	golit__os "os"
)

func golit__input() golit__io.Reader { return golit__os.NewFile(3, "golit-requests") }

func golit__output() golit__io.Writer { return golit__os.NewFile(4, "golit-results") }
`,
}

// spinWindowText is spinWindow in the worker's source.
const spinWindowText = "40 * golit__time.Microsecond"
