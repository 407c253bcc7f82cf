// Command golit is a Jupyter kernel for Go.
//
//	golit install [--user | --sys-prefix | --prefix DIR]   register the kernelspec (--replace, --kernel-command)
//	golit uninstall [--user | --sys-prefix | --prefix DIR] remove it
//	golit workshop [--force] [--lab] [DIR]                 write the workshop notebooks
//	golit kernel -f CONNECTION_FILE                        run a kernel (Jupyter does this)
//	golit version                                          print the version
//	golit help                                             show this help
//
// Cells are interpreted by yaegi; the kernel speaks the Jupyter messaging
// protocol 5.4 over ZeroMQ without cgo.
package main

import (
	"fmt"
	"io"
	"os"
)

const usage = `golit is a Jupyter kernel for Go.

Usage:
  golit install [--user | --sys-prefix | --prefix DIR] [--replace] [--kernel-command CMD]
        register the "golit" kernelspec (default --user):
          --user        the user's Jupyter data directory ($JUPYTER_DATA_DIR if set)
          --sys-prefix  the active environment ($VIRTUAL_ENV or $CONDA_PREFIX)
          --prefix DIR  DIR/share/jupyter/kernels/golit
          --replace     replace a golit kernelspec that runs another golit binary
          --kernel-command CMD
                        the command kernel.json runs (default: this binary's absolute
                        path; a bare name such as golit is looked up on PATH by Jupyter)
  golit uninstall [--user | --sys-prefix | --prefix DIR]
        remove the kernelspec installed with the same flag
  golit workshop [--force] [--lab] [DIR] [-- JUPYTERLAB ARGS]
        write the workshop notebooks and their data into DIR (default ./golit-workshop);
        files you changed are kept unless --force; --lab opens them in JupyterLab
  golit kernel -f CONNECTION_FILE
        run a kernel on the sockets named by CONNECTION_FILE (Jupyter runs this)
  golit version
        print golit's version and the Go version it was built with
  golit help
        show this help
`

func main() {
	// Keep the real stderr before anything (the engine) can redirect
	// os.Stderr to capture cell output.
	logw := originalStderr()
	os.Exit(run(os.Args[1:], logw))
}

// run dispatches a subcommand and returns the process exit code.
func run(args []string, logw io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "kernel":
		return runKernel(rest, logw)
	case "install":
		return runInstall(rest, false, os.Stdout, os.Stderr)
	case "uninstall":
		return runInstall(rest, true, os.Stdout, os.Stderr)
	case "workshop":
		return runWorkshop(rest, os.Stdout, os.Stderr)
	case "version", "--version", "-version":
		fmt.Printf("golit %s (%s)\n", version, goVersion())
		return 0
	case "help", "-h", "--help", "-help":
		fmt.Print(usage)
		return 0
	case "worker":
		// A process-pool worker (futures/pool helpers start these).
		return runWorker(rest)
	case "engine":
		// The engine child of a supervising kernel.
		return runEngineChild(rest)
	}
	fmt.Fprintf(os.Stderr, "golit: unknown command %q\n\n%s", cmd, usage)
	return 2
}
