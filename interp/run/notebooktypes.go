package run

import (
	"reflect"
	"sort"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/parse"
)

// What the rewrite stage's type guesser may ask of the notebook
// (rewrite.Notebook), answered from the session.

// notebookTypes answers the guesser's questions from the notebook's
// declarations, its variables (globals, from yaegi) and the compiled
// packages' tables.
func (e *Session) notebookTypes() rewrite.Notebook {
	return rewrite.Notebook{
		Global: func(name string) reflect.Value {
			// Looked up when asked: statements of the cell before the
			// code being rewritten may have defined it since.
			v, _ := e.global(name)
			return v
		},
		Decl: func(name string) *parse.Declaration { return e.decls.byName[name] },
		Methods: func(name string) []*parse.Declaration {
			var out []*parse.Declaration
			for _, d := range e.decls.methodsNamed(name) {
				out = append(out, d)
			}
			sort.Slice(out, func(i, j int) bool { return out[i].Seq < out[j].Seq })
			return out
		},
		Symbol: func(path, name string) (reflect.Value, bool) {
			v, ok := e.allSymbols()[path][name]
			return v, ok
		},
	}
}
