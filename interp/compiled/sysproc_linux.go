package compiled

import (
	"os/exec"
	"runtime"
	"sync"
	"syscall"
)

// detach puts the worker in a process group of its own, so that a SIGINT
// Jupyter sends to the kernel's group does not end it (interrupts reach it
// through Session.Interrupt), and has the kernel's death kill it, so that
// a worker busy in a loop does not outlive its kernel.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}

// start starts cmd from a thread that lives as long as the process: Linux
// sends the parent-death signal when the forking thread ends, and the Go
// runtime ends a thread whose goroutine locked it and returned.
func start(cmd *exec.Cmd) error {
	spawner.once.Do(func() {
		spawner.req = make(chan func())
		go func() {
			runtime.LockOSThread() // kept for the life of the process
			for f := range spawner.req {
				f()
			}
		}()
	})
	done := make(chan error, 1)
	spawner.req <- func() { done <- cmd.Start() }
	return <-done
}

var spawner struct {
	once sync.Once
	req  chan func()
}
