package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"reflect"

	"github.com/golit/golit/futures"
	"github.com/golit/golit/interp"
	"github.com/golit/golit/interp/supervise"
	"github.com/golit/golit/kernel"
)

// runEngineChild is `golit engine`: the engine process a supervising kernel
// starts and restarts.
func runEngineChild(args []string) int {
	defer startCPUProfile(".engine")()
	defer writeMemProfile(".engine")
	return supervise.RunChild(newChildEngine)
}

// runWorker is `golit worker`: a process-pool worker. It reads the
// notebook's declarations, evaluates them in a fresh interpreter, then calls
// the functions the parent names with JSON arguments, one request per line,
// until its standard input ends. The protocol itself is package futures'.
func runWorker(args []string) int {
	return serveWorker(os.Stdin, os.Stdout)
}

// serveWorker runs the worker protocol on r and w and returns the exit code.
func serveWorker(r io.Reader, w io.Writer) int {
	if err := futures.ServeWorker(r, w, loadDeclarations); err != nil {
		fmt.Fprintln(os.Stderr, "golit worker:", err)
		return 1
	}
	return 0
}

// loadDeclarations evaluates the notebook's declarations in a fresh
// interpreter and looks functions up in it by name. Cell output of the
// worker goes to its standard error, which the parent passes through;
// standard output carries the protocol.
func loadDeclarations(decls string) (func(name string) (any, error), error) {
	eng, err := interp.New(interp.Options{GCPercent: gcPercent()})
	if err != nil {
		return nil, err
	}
	if decls != "" {
		r := eng.Execute(context.Background(), kernel.ExecuteRequest{Code: decls, Silent: true}, stderrIO{})
		if r.Status != kernel.StatusOK {
			return nil, fmt.Errorf("%s: %s", r.Err.Name, r.Err.Value)
		}
	}
	return func(name string) (any, error) {
		fn, err := eng.Eval(context.Background(), name)
		if err != nil {
			return nil, fmt.Errorf("golit worker: %s: %v", name, err)
		}
		if fn.Kind() != reflect.Func {
			return nil, fmt.Errorf("golit worker: %s is a %s, not a function", name, fn.Type())
		}
		return fn.Interface(), nil
	}, nil
}

// stderrIO is the kernel.IO of a worker: text to standard error, no rich
// output, no input.
type stderrIO struct{}

func (stderrIO) Stream(name, text string)                      { os.Stderr.WriteString(text) }
func (stderrIO) Display(kernel.Bundle, map[string]any, string) {}
func (stderrIO) Update(kernel.Bundle, map[string]any, string)  {}
func (stderrIO) ClearOutput(bool)                              {}
func (stderrIO) Input(string, bool) (string, error)            { return "", kernel.ErrNoStdin }
