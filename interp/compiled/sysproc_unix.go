//go:build unix && !linux

package compiled

import (
	"os/exec"
	"syscall"
)

// detach puts the worker in a process group of its own, so that a SIGINT
// Jupyter sends to the kernel's group does not end it. (Only Linux can
// also tie its life to the kernel's; elsewhere an idle worker ends when
// its request pipe closes.)
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// start starts cmd.
func start(cmd *exec.Cmd) error { return cmd.Start() }
