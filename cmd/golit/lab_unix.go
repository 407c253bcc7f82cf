//go:build unix

package main

import (
	"os"
	"syscall"
)

// runLab replaces golit with JupyterLab running in dir, so that Ctrl+C
// and signals from a process manager reach JupyterLab directly.
func runLab(dir string, argv []string) error {
	if err := os.Chdir(dir); err != nil {
		return err
	}
	return syscall.Exec(argv[0], argv, os.Environ())
}
