package run

import (
	"syscall"
	"unsafe"
)

// pollFd is struct pollfd of poll(2).
type pollFd struct {
	fd      int32
	events  int16
	revents int16
}

// readable reports, with one system call that does not wait, whether each
// of two file descriptors has something to read; ok is false when the
// question could not be asked (then read both).
func readable(a, b int) (ra, rb, ok bool) {
	const pollIn = 0x1
	fds := [2]pollFd{{fd: int32(a), events: pollIn}, {fd: int32(b), events: pollIn}}
	var ts syscall.Timespec
	for {
		_, _, errno := syscall.Syscall6(syscall.SYS_PPOLL, uintptr(unsafe.Pointer(&fds[0])), 2,
			uintptr(unsafe.Pointer(&ts)), 0, 0, 0)
		if errno == syscall.EINTR {
			continue
		}
		if errno != 0 {
			return false, false, false
		}
		// Any event (data, hang-up, error) is worth a read.
		return fds[0].revents != 0, fds[1].revents != 0, true
	}
}
