package compiled

import (
	"os/exec"
	"syscall"
)

// detach puts the worker in a process group of its own, so that a SIGINT
// Jupyter sends to the kernel's group does not end it (interrupts reach it
// through Session.Interrupt), and has the kernel's death kill it, so that
// a worker busy in a loop does not outlive its kernel.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
}
