// Package interp runs Go notebook cells on the yaegi interpreter and
// implements kernel.Engine.
//
// A cell is not a Go file: it may mix imports, declarations and statements in
// any order, define notebook variables with x := 1, be run again after an
// edit, and end with an expression whose value becomes the cell's result
// (Out[n]). A cell goes through four stages, each a package:
//
//   - interp/parse cuts it into imports, declarations and statements, with
//     their positions in the cell;
//   - interp/rewrite rewrites the syntax yaegi v0.16.1 does not know (range
//     over an int or a function, per-iteration loop variables, newer
//     library generics) and guards goroutines against panics;
//   - interp/run compiles and runs it in the notebook's yaegi session,
//     which keeps the declarations, imports and goroutines of every cell;
//   - interp/present turns the result and the failures into Jupyter
//     outputs and errors whose positions are relative to the cell.
//
// Engine is the thin kernel.Engine over the session: Engine.Execute calls
// the stages in this order, one method of run.Session each (see
// run.Cell); interp/README.md draws the pipeline. LIMITS.md lists what yaegi cannot run and the errors
// users get; PERFORMANCE.md explains the garbage-collector settings the
// engine picks.
package interp
