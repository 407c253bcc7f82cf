// Package interp runs Go notebook cells on the yaegi interpreter and
// implements kernel.Engine.
//
// A cell is not a Go file: it may mix imports, declarations and statements in
// any order, define notebook variables with x := 1, be run again after an
// edit, and end with an expression whose value becomes the cell's result
// (Out[n]). interp turns such a cell into the pieces yaegi can evaluate,
// rewrites the syntax yaegi v0.16.1 does not know (range over an int,
// per-iteration loop variables), guards goroutines against panics, and turns
// yaegi's answers into Jupyter outputs and errors whose positions are
// relative to the cell.
//
// LIMITS.md lists what yaegi cannot run and the errors users get;
// PERFORMANCE.md explains the garbage-collector settings the engine picks.
package interp
