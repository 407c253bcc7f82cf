//go:build unix

package timing

import (
	"syscall"
	"time"
)

// cpuTimes returns the user and system CPU time the process has used so far.
func cpuTimes() (user, sys time.Duration, ok bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, 0, false
	}
	return timeval(ru.Utime), timeval(ru.Stime), true
}

func timeval(tv syscall.Timeval) time.Duration {
	return time.Duration(tv.Sec)*time.Second + time.Duration(tv.Usec)*time.Microsecond
}
