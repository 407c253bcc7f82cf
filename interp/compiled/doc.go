// Package compiled builds "compiled cells" of a Go notebook with the Go
// toolchain and runs them natively, in a worker process beside the
// interpreter.
//
// A Session keeps the declarations of every compiled cell of a notebook
// (functions, methods, types, constants, variables, imports). Define adds a
// cell's declarations, replacing earlier ones of the same name, writes them
// into one program together with a generated dispatcher, builds it with
// `go build` and starts it as the worker. It returns interpreted source for
// the notebook: the cell's types and constants as they are, and for each
// function a stub of the same signature whose body asks the worker to run
// the function. Call is what the stubs call: it sends the name and the
// arguments to the worker over a pipe (encoding/gob), waits, and stores the
// results. The worker's standard output and error are the files given in
// Config, so what compiled code prints streams to the running cell.
//
// Values cross by copy, so channels, functions, pointers and interfaces
// (other than error results) cannot cross; functions that take or return
// them get a stub that explains why instead. See README.md for the design,
// its measurements and its limits.
package compiled
