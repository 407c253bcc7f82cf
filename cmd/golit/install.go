package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"

	"github.com/golit/golit/kernelspec"
)

// runInstall is `golit install` and, with remove, `golit uninstall`.
func runInstall(args []string, remove bool, stdout, stderr io.Writer) int {
	name := "install"
	if remove {
		name = "uninstall"
	}
	fs := flag.NewFlagSet("golit "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	user := fs.Bool("user", false, "the user's Jupyter data directory (the default)")
	sysPrefix := fs.Bool("sys-prefix", false, "the active virtualenv or conda environment ($VIRTUAL_ENV or $CONDA_PREFIX)")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter/kernels/golit")
	var replace *bool
	var command *string
	if !remove {
		replace = fs.Bool("replace", false, "replace a golit kernelspec that runs another golit binary")
		command = fs.String("kernel-command", "", "the `COMMAND` kernel.json runs: a command name Jupyter finds on PATH (as in a Python wheel), default this binary's absolute path")
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "golit %s: unexpected argument %q\n", name, fs.Arg(0))
		return 2
	}
	prefixSet := false
	fs.Visit(func(f *flag.Flag) { prefixSet = prefixSet || f.Name == "prefix" })
	if prefixSet && *prefix == "" {
		fmt.Fprintf(stderr, "golit %s: --prefix needs a folder (DIR/share/jupyter/kernels/golit); for your user's Jupyter use --user\n", name)
		return 2
	}
	dir, err := kernelsDir(*user, *sysPrefix, *prefix)
	if err != nil {
		fmt.Fprintf(stderr, "golit %s: %v\n", name, err)
		return 2
	}
	dir = filepath.Join(dir, kernelspec.Name)

	if remove {
		if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
			fmt.Fprintf(stderr, "golit uninstall: no golit kernelspec in %s\n", dir)
			return 1
		}
		if err := os.RemoveAll(dir); err != nil {
			fmt.Fprintln(stderr, "golit uninstall:", err)
			return 1
		}
		fmt.Fprintf(stdout, "Removed the golit kernelspec from %s\n", dir)
		return 0
	}

	exe, err := os.Executable()
	if err == nil {
		exe, err = filepath.Abs(exe)
	}
	if err != nil {
		fmt.Fprintln(stderr, "golit install: cannot find the golit binary:", err)
		return 1
	}
	bin := exe
	if *command != "" {
		bin = *command
	}
	if err := kernelspec.CheckNoSymlinks(dir); err != nil {
		fmt.Fprintln(stderr, "golit install:", err)
		return 1
	}
	if other, ok := otherGolit(dir, bin); ok && !*replace {
		fmt.Fprintf(stderr, "golit install: %s already has a golit kernelspec that runs another golit:\n"+
			"    %s\n  This golit is %s.\n"+
			"  To make Jupyter run this one instead, add --replace (or install elsewhere with --user, --sys-prefix or --prefix).\n",
			dir, other, bin)
		return 1
	}
	if err := kernelspec.Write(dir, kernelspec.New(bin)); err != nil {
		fmt.Fprintln(stderr, "golit install:", err)
		return 1
	}
	fmt.Fprintf(stdout, "Installed the golit kernelspec in %s\n(kernel: %s)\n", dir, bin)
	return 0
}

// otherGolit reports whether dir holds a kernelspec that runs another
// program than bin, and describes that program. A kernelspec that runs
// the same file (by path, or by a command name that PATH resolves to it)
// is not another one; an unreadable kernel.json is.
func otherGolit(dir, bin string) (string, bool) {
	spec, err := kernelspec.Read(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return "", false
	}
	if err != nil {
		return fmt.Sprintf("(an unreadable kernel.json: %v)", err), true
	}
	have := spec.Argv[0]
	if have == bin || sameFile(resolveCommand(have), resolveCommand(bin)) {
		return "", false
	}
	desc := have
	if p := resolveCommand(have); p == "" || !exists(p) {
		desc += " (not found: it no longer exists or is not on PATH)"
	} else if p != have {
		desc += " (on PATH: " + p + ")"
	}
	return desc, true
}

// resolveCommand returns the path of a kernelspec's command: itself when
// absolute, else its PATH lookup ("" when not found).
func resolveCommand(c string) string {
	if filepath.IsAbs(c) {
		return c
	}
	p, err := exec.LookPath(c)
	if err != nil {
		return ""
	}
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

func exists(p string) bool { _, err := os.Stat(p); return err == nil }

// sameFile reports whether a and b name the same existing file.
func sameFile(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
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
