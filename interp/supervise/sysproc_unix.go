//go:build unix && !linux

package supervise

import (
	"os/exec"
	"syscall"
)

// prepareChild puts the engine child in a session of its own, so that the
// processes its cells start can be ended with it (killSession). Outside
// Linux there is no parent-death signal: a child notices the supervisor's
// death by the end of file on its request pipe, which a stopped (SIGSTOP)
// child does not read until it is continued.
func prepareChild(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

// startChild starts cmd.
func startChild(cmd *exec.Cmd) error { return cmd.Start() }

// killSession SIGKILLs the process group the engine child led (sid is its
// pid): the processes its cells started, except those that made a group of
// their own (`!cmd` does; its runner ends it on interrupt and when the cell
// ends).
func killSession(sid int) {
	_ = syscall.Kill(-sid, syscall.SIGKILL)
}

// watchParent does nothing here: there is no parent-death signal; the
// child notices the supervisor's death by the end of its request pipe.
func watchParent() {}

// endOwnSession does nothing here: /proc, which finds the processes of a
// session, is Linux's.
func endOwnSession() {}
