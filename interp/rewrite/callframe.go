package rewrite

import (
	"go/ast"
	"go/token"
)

// Helpers of the passes that evaluate a call's function and arguments now
// and make the call later: go statements (golaunch.go), a cell's deferred
// calls (celldefers.go) and defer in a range-over-function body
// (rangefunc.go).

// frameCall splits call into statements that evaluate its function
// literal and its non-constant arguments into fresh variables (none when
// there is nothing to evaluate) and the call on those variables. Constant
// arguments stay in place so that they keep their untyped constant type.
//
// A function literal gets a define of its own: yaegi v0.16.1 leaves a
// function variable nil when one define assigns it a function literal and
// another variable a composite literal (f, a := func(...) {...}, []int{1}),
// so that go func(xs ...int) {...}([]int{1, 2}...) started a goroutine
// that panicked on a nil function while the cell waited for it, and a
// cell's defer of such a call failed (proved by TestPasses "go of a
// function literal with a composite literal argument", TestGoLaunchForms,
// TestDeferredLiteralWithCompositeArgument in interp/run, and
// tests/test_goroutines.py).
func (r *Rewriter) frameCall(call *ast.CallExpr) (eval []ast.Stmt, later *ast.CallExpr) {
	fun := call.Fun
	if _, ok := fun.(*ast.FuncLit); ok {
		t := r.fresh("f")
		eval = append(eval, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(t)}, Tok: token.DEFINE, Rhs: []ast.Expr{fun}})
		fun = ast.NewIdent(t)
	}
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
	if len(lhs) > 0 {
		eval = append(eval, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs})
	}
	return eval, &ast.CallExpr{Fun: fun, Args: args, Ellipsis: call.Ellipsis}
}

// callMaker returns an expression of type func() that, evaluated now,
// captures the function and arguments of call in a fresh frame and returns
// a func() making the call later.
func (r *Rewriter) callMaker(call *ast.CallExpr) ast.Expr {
	mk, later := r.frameCall(call)
	mk = append(mk, &ast.ReturnStmt{Results: []ast.Expr{&ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: later}}},
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
