//go:build !unix

package compiled

import "os/exec"

// detach does nothing here: an idle worker ends when its request pipe
// closes.
func detach(cmd *exec.Cmd) {}

// start starts cmd.
func start(cmd *exec.Cmd) error { return cmd.Start() }
