package main

import (
	"os"
	"strconv"
	"time"
)

// watchParent calls stop once the process that launched the kernel has
// gone, so a kernel whose frontend died (killed, crashed) does not live on
// as an orphan holding memory, as ipykernel's parent poller does.
//
// jupyter_client puts its own pid in JPY_PARENT_PID when it launches a
// kernel; when the parent exits, the kernel is re-parented and
// os.Getppid changes. Without JPY_PARENT_PID (a kernel started by hand,
// or by a launcher that exits on purpose) nothing is watched.
func watchParent(stop func(), interval time.Duration) {
	pid, err := strconv.Atoi(os.Getenv("JPY_PARENT_PID"))
	if err != nil || pid <= 1 || os.Getppid() != pid {
		return
	}
	go func() {
		t := time.NewTicker(interval)
		defer t.Stop()
		for range t.C {
			if os.Getppid() != pid {
				stop()
				return
			}
		}
	}()
}
