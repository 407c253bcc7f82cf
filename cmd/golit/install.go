package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"

	"github.com/golit/golit/kernelspec"
)

// runInstall is `golit install` and, with remove, `golit uninstall`.
func runInstall(args []string, remove bool) int {
	name := "install"
	if remove {
		name = "uninstall"
	}
	fs := flag.NewFlagSet("golit "+name, flag.ContinueOnError)
	user := fs.Bool("user", false, "the user's Jupyter data directory (the default)")
	sysPrefix := fs.Bool("sys-prefix", false, "the active virtualenv or conda environment ($VIRTUAL_ENV or $CONDA_PREFIX)")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter/kernels/golit")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(os.Stderr, "golit %s: unexpected argument %q\n", name, fs.Arg(0))
		return 2
	}
	dir, err := kernelsDir(*user, *sysPrefix, *prefix)
	if err != nil {
		fmt.Fprintf(os.Stderr, "golit %s: %v\n", name, err)
		return 2
	}
	dir = filepath.Join(dir, kernelspec.Name)

	if remove {
		if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
			fmt.Fprintf(os.Stderr, "golit uninstall: no golit kernelspec in %s\n", dir)
			return 1
		}
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintln(os.Stderr, "golit uninstall:", err)
			return 1
		}
		fmt.Printf("Removed the golit kernelspec from %s\n", dir)
		return 0
	}

	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.Abs(exe)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "golit install: cannot find the golit binary:", err)
		return 1
	}
	if err := kernelspec.Write(dir, kernelspec.New(exe)); err != nil {
		fmt.Fprintln(os.Stderr, "golit install:", err)
		return 1
	}
	fmt.Printf("Installed the golit kernelspec in %s\n(kernel: %s)\n", dir, exe)
	return 0
}

// kernelsDir returns the Jupyter "kernels" directory a flag selects.
func kernelsDir(user, sysPrefix bool, prefix string) (string, error) {
	n := 0
	for _, set := range []bool{user, sysPrefix, prefix != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return "", errors.New("use only one of --user, --sys-prefix and --prefix")
	}
	switch {
	case prefix != "":
		p, err := filepath.Abs(prefix)
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter", "kernels"), nil
	case sysPrefix:
		p := os.Getenv("VIRTUAL_ENV")
		if p == "" {
			p = os.Getenv("CONDA_PREFIX")
		}
		if p == "" {
			return "", errors.New("--sys-prefix needs an active virtualenv or conda environment ($VIRTUAL_ENV or $CONDA_PREFIX is not set)")
		}
		return filepath.Join(p, "share", "jupyter", "kernels"), nil
	}
	d, err := userDataDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kernels"), nil
}

// userDataDir is Jupyter's user data directory, as jupyter_core computes
// it: $JUPYTER_DATA_DIR, else ~/Library/Jupyter on macOS,
// %APPDATA%\jupyter on Windows and $XDG_DATA_HOME/jupyter (default
// ~/.local/share/jupyter) elsewhere.
func userDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return filepath.Abs(d)
	}
	home, err := os.UserHomeDir()
	switch runtime.GOOS {
	case "darwin":
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if a := os.Getenv("APPDATA"); a != "" {
			return filepath.Join(a, "jupyter"), nil
		}
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "AppData", "Roaming", "jupyter"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	if err != nil {
		return "", err
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}
