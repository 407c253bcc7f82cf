//go:build !unix

package main

import (
	"os"
	"os/exec"
	"os/signal"
)

// runLab runs JupyterLab in dir and waits for it. Ctrl+C reaches
// JupyterLab through the console; golit ignores it meanwhile.
func runLab(dir string, argv []string) error {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	signal.Ignore(os.Interrupt)
	return cmd.Run()
}
