package rewrite

import (
	"go/ast"
)

// go statements: Go evaluates a go statement's function and arguments at
// once, in the starting goroutine; and a panic in a goroutine must not
// take the kernel down. The rewrite evaluates them before the goroutine
// starts (frameCall) and starts the goroutine through golit__rt.Go, the
// run stage's compiled launcher (interp/run/golaunch.go), which recovers
// and reports a panic as the cell's error and calls the closure without a
// reflect call, so that a sleeping goroutine keeps a small stack.
// Proved by TestScenarios "go statement arguments are evaluated at once"
// and "panic in a goroutine is reported, state kept"
// (interp/run/engine_test.go) and TestGoLaunchForms
// (interp/run/golaunch_test.go).

// goLaunch rewrites a go statement so that the goroutine starts through
// golit__rt.Go, the run stage's launcher:
//
//	go func() { body }()  =>  golit__rt.Go(func() { body })
//	go f()                =>  golit__rt.Go(func() { f() })
//	go f(a, b)            =>  func() { a', b' := a, b; golit__rt.Go(func() { f(a', b') }) }()
//
// The arguments are evaluated before the goroutine starts, as Go specifies,
// into variables of a fresh call frame (a loop's iterations do not share
// them); constant arguments stay in place so that they keep their untyped
// constant type. A function literal called with arguments is evaluated
// into a variable of that frame too.
func (r *Rewriter) goLaunch(st *ast.GoStmt) ast.Stmt {
	launch := func(fn ast.Expr) ast.Stmt {
		return &ast.ExprStmt{X: &ast.CallExpr{
			Fun:    &ast.SelectorExpr{X: ast.NewIdent(RuntimePkg), Sel: ast.NewIdent(LaunchFunc)},
			Lparen: st.Go,
			Args:   []ast.Expr{fn},
		}}
	}
	call := st.Call
	if lit, ok := call.Fun.(*ast.FuncLit); ok && len(call.Args) == 0 && len(lit.Type.Params.List) == 0 &&
		(lit.Type.Results == nil || len(lit.Type.Results.List) == 0) {
		return launch(lit)
	}
	if id, ok := call.Fun.(*ast.Ident); ok && len(call.Args) == 0 && id.Name != "_" && !r.Pkgs[id.Name] {
		// f may have results, which go discards: call it from a literal,
		// which has the type the launcher takes (passing f itself fails to
		// compile for such an f: "cannot use type func() (int,error) as
		// type func()").
		return launch(&ast.FuncLit{
			Type: &ast.FuncType{Func: st.Go, Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: call}}},
		})
	}
	frame, later := r.frameCall(call)
	frame = append(frame, launch(&ast.FuncLit{
		Type: &ast.FuncType{Func: st.Go, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: later}}},
	}))
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: st.Go, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: frame},
	}}}
}

// LaunchFunc is the function of the runtime support package (RuntimePkg)
// that go statements start their goroutine with: it takes a func().
const LaunchFunc = "Go"
