//go:build !unix

package supervise

import "os/exec"

// prepareChild does nothing here: no sessions and no parent-death signal.
func prepareChild(cmd *exec.Cmd) {}

// startChild starts cmd.
func startChild(cmd *exec.Cmd) error { return cmd.Start() }

// killSession does nothing here: processes the cells started outlive the
// engine.
func killSession(sid int) {}

// watchParent does nothing here: no parent-death signal.
func watchParent() {}

// endOwnSession does nothing here: no sessions.
func endOwnSession() {}
