// Package rewrite is the second stage of a cell's way through golit's
// interpreter: pure go/ast passes that turn the Go of the release that
// built golit into Go that yaegi v0.16.1 runs the same way, and mark the
// statements whose positions the run stage reports (panics, log calls).
//
// Rewriter.Rewrite applies the passes to a cell's syntax in a fixed order;
// each pass lives in a file of its own whose comment names the Go feature
// it restores and the test that proves it. The passes share a type
// guesser (typeguess.go) that follows the types the source and the
// notebook make plain, since no type checker can run before yaegi
// compiles the cell. What a pass needs to know about the notebook comes
// in through Rewriter's fields and the Notebook callbacks, so this
// package imports neither yaegi nor the run stage (arrows_test.go in
// interp checks it) and its passes are tested without an interpreter.
//
// The Go sources golit compiles into the interpreter next to the
// notebook (GenericSources, StdGenericSource, RunDefersSource) live here
// too: the rewritten code calls them.
package rewrite
