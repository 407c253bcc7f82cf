package rewrite

import (
	"go/ast"
	"go/token"
)

// Inert reports whether no pass of Rewrite, MarkPanics, MarkLogCalls or
// CellDefers can change n, from a walk that stops at the first node
// outside a small grammar: statements that evaluate, assign or increment
// (no declarations, loops, defers, go or select), and expressions of
// literals, names, operators (no receive), indexing and dereferencing,
// with no call but to the engine's result helper (Prefix+"result"). Every
// pass works on a construct outside it: calls (new, min, max, clear,
// print, panic, log, fmt, generic functions), selectors (reflect.TypeFor,
// sync.OnceValue, ...), function literals and declarations, ranges and
// loops, go and defer statements, receives. A trivial cell (`1 + 1`,
// `x := 42`, `a[i] * 2`) is inert; Rewrite skips its passes, which cost
// it a tenth of its time (bench/trivialcell).
func Inert(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.BlockStmt:
		return inertStmts(n.List)
	case ast.Stmt:
		return inertStmt(n)
	case ast.Expr:
		return inertExpr(n)
	}
	return false
}

func inertStmts(list []ast.Stmt) bool {
	for _, s := range list {
		if !inertStmt(s) {
			return false
		}
	}
	return true
}

func inertStmt(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ExprStmt:
		return inertExpr(s.X)
	case *ast.AssignStmt:
		return inertExprs(s.Lhs) && inertExprs(s.Rhs)
	case *ast.IncDecStmt:
		return inertExpr(s.X)
	case *ast.BlockStmt:
		return inertStmts(s.List)
	case *ast.EmptyStmt:
		return true
	}
	return false
}

func inertExprs(list []ast.Expr) bool {
	for _, x := range list {
		if !inertExpr(x) {
			return false
		}
	}
	return true
}

func inertExpr(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.BasicLit, *ast.Ident:
		return true
	case *ast.ParenExpr:
		return inertExpr(x.X)
	case *ast.StarExpr:
		return inertExpr(x.X)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && inertExpr(x.X)
	case *ast.BinaryExpr:
		return inertExpr(x.X) && inertExpr(x.Y)
	case *ast.IndexExpr:
		return inertExpr(x.X) && inertExpr(x.Index)
	case *ast.CallExpr:
		id, ok := x.Fun.(*ast.Ident)
		return ok && id.Name == Prefix+"result" && !x.Ellipsis.IsValid() && inertExprs(x.Args)
	}
	return false
}
