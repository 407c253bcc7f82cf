package run

import (
	"go/ast"
	"reflect"

	"github.com/golit/golit/interp/parse"
	"github.com/golit/golit/interp/rewrite"
)

// The rewrite stage as the session calls it: a rewrite.Rewriter told what
// the notebook declares, applied to each group before it is compiled.

// newRewriter prepares the rewrites for code about to be compiled.
func (e *Session) newRewriter() *rewrite.Rewriter {
	pkgs := map[string]bool{}
	for n := range e.imports {
		pkgs[n] = true
	}
	consts := map[string]bool{}
	paths := map[string]string{}
	for n := range sourcePackages {
		// yaegi makes the packages it interprets from source visible
		// without an import.
		if _, ok := e.global(n); !ok && e.decls.byName[n] == nil {
			paths[n] = n
		}
	}
	for n, p := range e.imports {
		paths[n] = p
	}
	return &rewrite.Rewriter{
		Paths:  paths,
		Seq:    e.rewriteSeq(),
		Pkgs:   pkgs,
		Consts: consts,
		IsNotebookConst: func(name string) bool {
			d := e.decls.byName[name]
			return d != nil && d.Kind == parse.ConstDecl
		},
		Notebook: e.notebookTypes(),
		Fset:     e.yi.FileSet(),
		IsDeclared: func(name string) bool {
			_, ok := e.global(name)
			return ok || e.decls.byName[name] != nil
		},
		IsIntGlobal: func(name string) bool {
			v, ok := e.global(name)
			if !ok || !v.IsValid() {
				return false
			}
			switch v.Kind() {
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
				return true
			}
			return false
		},
	}
}

// rewriteSeq hands out a number that keeps names made by rewrites unique
// across cells.
func (e *Session) rewriteSeq() int {
	e.seq += 1000
	return e.seq
}

// rewrite applies rw's rewrites to n and records where n calls panic.
func (e *Session) rewrite(rw *rewrite.Rewriter, n ast.Node) {
	if rewrite.Inert(n) {
		rw.Rewrite(n) // notes the integers it defines
		return
	}
	rewrite.MarkPanics(e.yi.FileSet(), n, rw.IsDeclared)
	rewrite.MarkLogCalls(e.yi.FileSet(), n, rw.Paths)
	rw.Rewrite(n)
}
