// Package complete answers a notebook frontend's questions about Go code
// being typed, without running it: what can follow the cursor (Tab), what
// the name under the cursor is (Shift-Tab), and whether a console should
// run the input or wait for more.
//
// Completion knows:
//
//   - package members after "pkg.": strings.Sp -> Split, SplitAfter,
//     SplitAfterN, SplitN, from the interpreter's symbol tables, for
//     imported packages and for standard-library packages a cell may use
//     without importing (the engine imports them automatically);
//   - fields and methods after "value.": p. after p := Point{} lists X, Y
//     and Point's methods; chains such as strings.NewReader("x").Len or
//     p.Inner.Name work as far as types can be followed;
//   - the names of the cell (x := ..., var, const, type, func, parameters),
//     of the notebook (variables, constants, functions and types defined
//     by earlier cells), package names, keywords and builtins;
//   - magic names on a % line, import paths inside an import's string,
//     and file names (relative to the working directory) in ! commands,
//     magic arguments and other string literals (os.ReadFile("da).
//
// Inspection shows the declaration and doc comment of standard-library
// identifiers (read from GOROOT's source the first time a package is asked
// for), of golit's helper packages (from an index embedded at build time,
// regenerated with go generate; a test fails when it is stale), and of
// notebook identifiers (their declaration as written, with the current
// value of variables).
//
// IsComplete implements is_complete_request with go/scanner only.
//
// The engine's yaegi values carry less type information than compiled Go:
// a variable of an interpreted struct type shows as an unnamed struct to
// reflection, with unexported fields renamed. The completer recovers the
// notebook type by matching field names against the notebook's type
// declarations, and reads methods of notebook types from their source.
//
// # INTEGRATION (for the engine)
//
// The engine implements Source (four methods) and keeps one Completer:
//
//	c := complete.New(src) // once, in interp.New
//
//	func (e *Engine) Complete(code string, cursor int) kernel.CompleteReply {
//		r := e.completer.Complete(code, cursor)
//		return kernel.CompleteReply{Matches: r.Matches, CursorStart: r.Start,
//			CursorEnd: r.End, Types: r.Types}
//	}
//	func (e *Engine) Inspect(code string, cursor, detail int) kernel.InspectReply {
//		in := e.completer.Inspect(code, cursor, detail)
//		return kernel.InspectReply{Found: in.Found, Data: kernel.Bundle(in.Bundle())}
//	}
//	func (e *Engine) IsComplete(code string) kernel.IsCompleteReply {
//		s, indent := complete.IsComplete(code)
//		return kernel.IsCompleteReply{Status: s, Indent: indent}
//	}
//
// and for the magic package's Env (see package interp/magic):
//
//	// Env.Doc(name), for ?name, name? and %help name
//	in := e.completer.Inspect(name, utf8.RuneCountInString(name), 1)
//	return in.Text, in.Found
//	// Env.Vars(), for %who and %whos
//	return e.completer.Vars()
//
// Variables the engine keeps for itself in yaegi's global scope should be
// named with HiddenPrefix ("_golit..."): completion and Vars skip them.
//
// Source.Packages returns the map given to Interpreter.Use (stdlib.Symbols
// plus golit's generated tables, keys "importpath/pkgname"); Imports the
// notebook's imports as name -> path; Globals yaegi's Interpreter.Globals();
// Decls the source of the notebook's current declarations joined by blank
// lines (the text the process pool's workers receive will do). The
// Completer calls them on every request, so they must be cheap and safe to
// call while no cell runs (the kernel never calls Complete during
// Execute); Decls is parsed again only when its text changes.
//
// When a helper package's documentation changes, run
// "go generate ./interp/complete" to refresh helperdocs.json;
// TestHelperDocsUpToDate fails until then.
package complete
