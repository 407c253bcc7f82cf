package rewrite

import (
	"go/ast"
	"go/token"
)

// go statements: Go evaluates a go statement's function and arguments
// at once, in the starting goroutine; and a panic in a goroutine must not
// take the kernel down. The rewrite evaluates them before the goroutine
// starts (callMaker) and runs the call under the prelude's golit__go, which
// recovers and reports the panic as the cell's error.
// Proved by TestScenarios "go statement arguments are evaluated at once"
// and "panic in a goroutine is reported, state kept"
// (interp/run/engine_test.go).

// goGuard rewrites go f(a, b) into
//
//	golit__rt.GoStart()
//	go golit__go(func() func() { a', b' := a, b; return func() { f(a', b') } }())
//
// and go func() { ... }() into go golit__go(func() { ... }), go f() into
// go golit__go(f) (f is evaluated at once either way). golit__go (the
// prelude's) runs its argument under a deferred recover, so a panic in the
// goroutine is reported instead of crashing the process. The arguments are
// evaluated before the goroutine starts, as Go specifies, into variables of
// a fresh call frame; constant arguments stay in place so that they keep
// their untyped constant type.
//
// golit__go is a named function because yaegi starts a goroutine on a named
// interpreted function directly, while every call of a function value (a
// closure) goes through reflect and costs about 3 KB of the goroutine's
// stack: this form has one such call where a guard made of function
// literals had three, which halves the stack of a sleeping goroutine (see
// bench/goroutines).
func (r *Rewriter) goGuard(st *ast.GoStmt) ast.Stmt {
	var g ast.Expr
	if lit, ok := st.Call.Fun.(*ast.FuncLit); ok && len(st.Call.Args) == 0 && len(lit.Type.Params.List) == 0 &&
		(lit.Type.Results == nil || len(lit.Type.Results.List) == 0) {
		g = lit
	} else if id, ok := st.Call.Fun.(*ast.Ident); ok && len(st.Call.Args) == 0 && id.Name != "_" {
		g = ast.NewIdent(id.Name)
	} else {
		g = r.callMaker(st.Call)
	}
	return &ast.BlockStmt{List: []ast.Stmt{rtCall("GoStart"), &ast.GoStmt{Go: st.Go, Call: &ast.CallExpr{
		Fun:  ast.NewIdent(GoGuardFunc),
		Args: []ast.Expr{g},
	}}}}
}

// GoGuardFunc is the prelude's function that runs a goroutine's call under
// a deferred recover.
const GoGuardFunc = Prefix + "go"

// callMaker returns an expression of type func() that, evaluated now,
// captures the function and arguments of call in a fresh frame and returns
// a func() making the call later.
func (r *Rewriter) callMaker(call *ast.CallExpr) ast.Expr {
	var lhs, rhs []ast.Expr
	args := make([]ast.Expr, len(call.Args))
	for i, a := range call.Args {
		if r.isConstExpr(a) {
			args[i] = a
			continue
		}
		t := r.fresh("a")
		lhs = append(lhs, ast.NewIdent(t))
		rhs = append(rhs, a)
		args[i] = ast.NewIdent(t)
	}
	fun := call.Fun
	if _, ok := fun.(*ast.FuncLit); ok {
		t := r.fresh("f")
		lhs = append([]ast.Expr{ast.NewIdent(t)}, lhs...)
		rhs = append([]ast.Expr{fun}, rhs...)
		fun = ast.NewIdent(t)
	}
	var mk []ast.Stmt
	if len(lhs) > 0 {
		mk = append(mk, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs})
	}
	mk = append(mk, &ast.ReturnStmt{Results: []ast.Expr{&ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{Fun: fun, Args: args, Ellipsis: call.Ellipsis}}}},
	}}})
	return &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: &ast.FuncType{Params: &ast.FieldList{}}}}}},
		Body: &ast.BlockStmt{List: mk},
	}}
}

// isConstExpr reports whether e is certainly a constant (so copying it into
// a variable could change its type).
func (r *Rewriter) isConstExpr(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return x.Name == "true" || x.Name == "false" || x.Name == "nil" || r.Consts[x.Name] || r.IsNotebookConst != nil && r.IsNotebookConst(x.Name)
	case *ast.SelectorExpr:
		// pkg.Name: a package-level constant or variable; reading it late is
		// harmless and keeps untyped constants untyped.
		if id, ok := x.X.(*ast.Ident); ok && r.Pkgs[id.Name] {
			return true
		}
	case *ast.ParenExpr:
		return r.isConstExpr(x.X)
	case *ast.UnaryExpr:
		return r.isConstExpr(x.X)
	case *ast.BinaryExpr:
		return r.isConstExpr(x.X) && r.isConstExpr(x.Y)
	}
	return false
}
