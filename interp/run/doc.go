// Package run is the third stage of a cell's way through golit's
// interpreter: the yaegi session a notebook lives in. Session holds the
// interpreter and the notebook's state, and runs a cell group by group:
// imports first (written ones, and missing ones found by autoimport.go,
// modules.go for third-party packages), then runs of declarations and of
// statements in the order they appear. Each step is a method (cell.go):
// NewCell, ParseCell, Import, CheckLost, Rewrite and RunGroup per group,
// RunMain, Present or PresentFailure; interp.Engine.Execute calls them in
// that order, between Begin and Finish, and RunCode does for a magic's Go
// code.
//
// Around yaegi it keeps what yaegi does not: every declaration's source
// (decls.go, parse.Declaration), so that redefining a function, type or
// method compiles its dependents again (stalefuncs.go, roots.go);
// per-cell import scopes (importscope.go); the frames cells run in and
// the goroutines they start (rt.go); the standard streams routed to the
// running cell (stdio.go); interrupts (cancel.go); variables lost in a
// restart (lostvars.go); cells compiled by the Go toolchain
// (compiledcells.go); and the interpreted stack of a panic (stack.go).
//
// Before compiling a group it applies interp/rewrite's passes, telling
// them what the notebook declares (notebooktypes.go); it turns failures
// into Jupyter errors with interp/present. interp.Engine is the thin
// kernel.Engine over a Session.
package run
