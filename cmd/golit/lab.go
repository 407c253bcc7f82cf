package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/golit/golit/kernelspec"
)

// openLab starts JupyterLab on dir, passing extra on its command line,
// and returns the exit code to leave with.
func openLab(dir string, extra []string, stdout, stderr io.Writer) int {
	argv, prefix := findLab()
	if argv == nil {
		fmt.Fprintf(stderr, "golit workshop: JupyterLab is not installed (no jupyter-lab next to golit or on PATH,\n"+
			"  and no python with the jupyterlab package). Install it in the same environment as golit:\n"+
			"      pip install jupyterlab\n"+
			"  then run golit workshop --lab again. The notebooks are in %s.\n", dir)
		return 1
	}
	if !kernelspecVisible(prefix) {
		fmt.Fprintf(stderr, "golit workshop: warning: Jupyter may not find the golit kernel (no %s kernelspec in the usual places);\n"+
			"  if the notebooks ask for a kernel, run: golit install   (or golit install --sys-prefix in a virtualenv)\n", kernelspec.Name)
	}
	if runtime.GOOS != "windows" && os.Geteuid() == 0 {
		argv = append(argv, "--allow-root") // a container or a classroom VM often runs as root
	}
	argv = append(argv, extra...)
	// A kernelspec installed by the Python wheel runs "golit" from PATH:
	// make sure that is this golit even when its virtualenv is not
	// activated.
	if exe, err := os.Executable(); err == nil {
		os.Setenv("PATH", filepath.Dir(exe)+string(os.PathListSeparator)+os.Getenv("PATH"))
	}
	fmt.Fprintf(stdout, "Opening JupyterLab in %s (Ctrl+C stops it)\n", dir)
	if err := runLab(dir, argv); err != nil {
		fmt.Fprintln(stderr, "golit workshop: starting JupyterLab:", err)
		return 1
	}
	return 0
}

// findLab returns the command that starts JupyterLab and the Python
// environment prefix it belongs to, or nil when JupyterLab is not
// installed. The directory of the golit binary is searched first, so that
// golit from a virtualenv finds that virtualenv's JupyterLab even when
// the virtualenv is not activated.
func findLab() (argv []string, prefix string) {
	var dirs []string
	if exe, err := os.Executable(); err == nil {
		if exe, err = filepath.EvalSymlinks(exe); err == nil {
			dirs = append(dirs, filepath.Dir(exe))
		}
	}
	look := func(name string) string {
		for _, d := range dirs {
			if p, err := exec.LookPath(filepath.Join(d, name)); err == nil {
				return p
			}
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
		return ""
	}
	if p := look("jupyter-lab"); p != "" {
		return []string{p}, filepath.Dir(filepath.Dir(p))
	}
	for _, py := range []string{"python3", "python"} {
		p := look(py)
		if p == "" {
			continue
		}
		out, err := exec.Command(p, "-c", "import sys, jupyterlab; print(sys.prefix)").Output()
		if err == nil {
			return []string{p, "-m", "jupyterlab"}, strings.TrimSpace(string(out))
		}
	}
	return nil, ""
}

// kernelspecVisible reports whether a golit kernelspec is in one of the
// places Jupyter searches: $JUPYTER_PATH, the user's data directory, the
// environment prefix of JupyterLab and the system-wide directories.
func kernelspecVisible(prefix string) bool {
	var dirs []string
	dirs = append(dirs, filepath.SplitList(os.Getenv("JUPYTER_PATH"))...)
	if d, err := userDataDir(); err == nil {
		dirs = append(dirs, d)
	}
	if prefix != "" {
		dirs = append(dirs, filepath.Join(prefix, "share", "jupyter"))
	}
	for _, env := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(env); p != "" {
			dirs = append(dirs, filepath.Join(p, "share", "jupyter"))
		}
	}
	if runtime.GOOS == "windows" {
		if p := os.Getenv("PROGRAMDATA"); p != "" {
			dirs = append(dirs, filepath.Join(p, "jupyter"))
		}
	} else {
		dirs = append(dirs, "/usr/local/share/jupyter", "/usr/share/jupyter")
	}
	for _, d := range dirs {
		if d == "" {
			continue
		}
		if _, err := os.Stat(filepath.Join(d, "kernels", kernelspec.Name, "kernel.json")); err == nil {
			return true
		}
	}
	return false
}
