package rewrite

import (
	"go/ast"
	"go/token"
	"strconv"
)

// Positions of explicit panics: yaegi v0.16.1 reports where the function
// that panicked starts, not the line of the panic call, so the statements
// that call panic are marked with their position, recorded only when the
// panic is about to happen.
// Proved by TestPanicStacks (interp/run/stack_test.go); the stack it feeds
// is built by interp/run/stack.go.

// MarkPanics puts golit__panicAt("In[n]:line:col") before every
// statement of n that calls the builtin panic, unless the notebook
// (isDeclared) or n declares another panic. The call runs only when the
// panic is about to happen.
func MarkPanics(fset *token.FileSet, n ast.Node, isDeclared func(string) bool) {
	if (isDeclared != nil && isDeclared("panic")) || declaresName(n, "panic") {
		return
	}
	mark := func(list []ast.Stmt) []ast.Stmt {
		var out []ast.Stmt
		for i, s := range list {
			id := panicCall(s)
			if id == nil || !id.Pos().IsValid() {
				if out != nil {
					out = append(out, s)
				}
				continue
			}
			if out == nil {
				out = append(make([]ast.Stmt, 0, len(list)+1), list[:i]...)
			}
			out = append(out, callAt(id.Pos(), Prefix+"panicAt", fset.Position(id.Pos()).String()), s)
		}
		if out == nil {
			return list
		}
		return out
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.BlockStmt:
			x.List = mark(x.List)
		case *ast.CaseClause:
			x.Body = mark(x.Body)
		case *ast.CommClause:
			x.Body = mark(x.Body)
		}
		return true
	})
}

// panicCall returns the identifier panic of a statement panic(...), or nil.
func panicCall(s ast.Stmt) *ast.Ident {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return nil
	}
	c, ok := es.X.(*ast.CallExpr)
	if !ok {
		return nil
	}
	if id, ok := c.Fun.(*ast.Ident); ok && id.Name == "panic" {
		return id
	}
	return nil
}

// callAt returns the statement fn(arg), every node at pos: a function
// whose body starts with it still has a first instruction with a position,
// which tells its frames apart (see takeStack). fn is one of the prelude's
// variables (see preludeSrc for why).
func callAt(pos token.Pos, fn, arg string) ast.Stmt {
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.Ident{NamePos: pos, Name: fn}, Lparen: pos, Rparen: pos,
		Args: []ast.Expr{&ast.BasicLit{ValuePos: pos, Kind: token.STRING, Value: strconv.Quote(arg)}}}}
}
