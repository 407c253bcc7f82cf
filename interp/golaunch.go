package interp

import (
	"go/ast"
	"go/token"
	"sync"
	"time"
)

// Cheap goroutines. What a sleeping goroutine of a cell costs is mostly its
// stack. Go starts a goroutine on 2 KB and doubles the stack when a call
// needs more; a collection halves it again only while the goroutine uses
// less than a quarter of it (counting about 800 bytes of headroom), so a
// goroutine parked with more than about 1,250 bytes of frames keeps 8 KB.
// In yaegi v0.16.1 every goroutine that runs interpreted code parks deeper
// than that: a closure is a reflect.MakeFunc function, whose entry
// (reflect.makeFuncStub and reflect.callReflect, 1,224 bytes on Go 1.26
// amd64) and yaegi's wrapper and runCfg (464) come before the cell's first
// statement, and any call of a compiled function (time.Sleep, wg.Done)
// goes through reflect.Value.Call, whose reflect.Value.call frame alone
// takes 1,384 bytes. 8 KB of stack per goroutine is therefore the floor
// without changing yaegi; golit keeps the rest small:
//
//   - goLaunch starts a cell's goroutines through the engine's launcher
//     (golit__rt.Go), which calls the closure from compiled code, instead
//     of through the prelude's golit__go(g func()), an interpreted function
//     that called g through reflect.Value.Call: a goroutine in time.Sleep
//     parked 6,448 bytes deep, now 2,960 (GOTRACEBACK=system goroutine
//     dumps give each frame's sp), and its recover guard is compiled code
//     (no deferred call kept in the goroutine's interpreted frame);
//   - loopVarsUsed spares a loop whose body does not name its variables the
//     per-iteration frame (perIteration) that every goroutine started in
//     the body kept alive: 1.3 KB per goroutine;
//   - sleepers waits on one channel instead of two.
//
// bench/goroutines measures the result; BENCHMARKS.md has the figures.

// goLaunch rewrites a go statement so that the goroutine starts through
// golit__rt.Go, the engine's launcher (launch):
//
//	go func() { body }()  =>  golit__rt.Go(func() { body })
//	go f()                =>  golit__rt.Go(f)
//	go f(a, b)            =>  func() { a', b' := a, b; golit__rt.Go(func() { f(a', b') }) }()
//
// The arguments are evaluated before the goroutine starts, as Go specifies,
// into variables of a fresh call frame (a loop's iterations do not share
// them); constant arguments stay in place so that they keep their untyped
// constant type. A function literal called with arguments is evaluated
// into a variable of that frame too.
func (r *rewriter) goLaunch(st *ast.GoStmt) ast.Stmt {
	launch := func(fn ast.Expr) ast.Stmt {
		return &ast.ExprStmt{X: &ast.CallExpr{
			Fun:    &ast.SelectorExpr{X: ast.NewIdent(rtPkgName), Sel: ast.NewIdent("Go")},
			Lparen: st.Go,
			Args:   []ast.Expr{fn},
		}}
	}
	call := st.Call
	if lit, ok := call.Fun.(*ast.FuncLit); ok && len(call.Args) == 0 && len(lit.Type.Params.List) == 0 &&
		(lit.Type.Results == nil || len(lit.Type.Results.List) == 0) {
		return launch(lit)
	}
	if id, ok := call.Fun.(*ast.Ident); ok && len(call.Args) == 0 && id.Name != "_" && !r.pkgs[id.Name] {
		// f may have results, which go discards: call it from a literal,
		// which has the type launch takes (golit__go(f) failed to compile
		// for such an f: "cannot use type func() (int,error) as type
		// func()").
		return launch(&ast.FuncLit{
			Type: &ast.FuncType{Func: st.Go, Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: call}}},
		})
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
	fun := call.Fun
	if _, ok := fun.(*ast.FuncLit); ok {
		t := r.fresh("f")
		lhs = append([]ast.Expr{ast.NewIdent(t)}, lhs...)
		rhs = append([]ast.Expr{fun}, rhs...)
		fun = ast.NewIdent(t)
	}
	var frame []ast.Stmt
	if len(lhs) > 0 {
		frame = append(frame, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs})
	}
	frame = append(frame, launch(&ast.FuncLit{
		Type: &ast.FuncType{Func: st.Go, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{Fun: fun, Args: args, Ellipsis: call.Ellipsis}}}},
	}))
	return &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: st.Go, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: frame},
	}}}
}

// launch is golit__rt.Go: it starts fn in a goroutine of its own that
// counts as a cell's goroutine until it ends and reports a panic in it
// instead of letting it end the process. yaegi hands fn over as a compiled
// function (reflect.MakeFunc), which this goroutine calls directly: the
// goroutine's native stack starts with no reflect.Value.Call frame.
func (e *Engine) launch(fn func()) {
	if fn == nil {
		panic("go of nil func value")
	}
	e.goStart()
	go e.cellGoroutine(fn)
}

// cellGoroutine runs fn as a goroutine of a cell. sched names this
// function: a goroutine that starts here is the notebook's, not one of the
// engine's helpers.
func (e *Engine) cellGoroutine(fn func()) {
	defer func() {
		e.goEnd()
		if r := recover(); r != nil {
			e.goPanic(r)
		}
	}()
	fn()
}

// sleepers are the goroutines in the engine's time.Sleep: a sleeping
// goroutine holds a timer and waits on its channel alone, and wake (called
// when an interrupt stops the running cell) fires the timers of all that
// sleep. A select on the timer and an interrupt channel, as before, cost
// 345 bytes more per sleeping goroutine (two waiting records instead of
// one).
type sleepers struct {
	mu     sync.Mutex
	timers map[*time.Timer]struct{}
}

// sleep is time.Sleep for cells: an interrupt ends it at once. (sched
// recognises a goroutine sleeping here by this function's name.)
func (e *Engine) sleep(d time.Duration) {
	if d <= 0 {
		return
	}
	s := &e.epoch.sleepers
	t := time.NewTimer(d)
	s.mu.Lock()
	if s.timers == nil {
		s.timers = make(map[*time.Timer]struct{})
	}
	s.timers[t] = struct{}{}
	s.mu.Unlock()
	<-t.C
	s.mu.Lock()
	delete(s.timers, t)
	s.mu.Unlock()
}

// wake ends the sleeps in progress.
func (s *sleepers) wake() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.timers {
		t.Reset(0)
	}
}

// loopVarsUsed reports whether body mentions one of a loop's variables
// (vars: the identifiers its init or range clause declares) by name. A
// body that never names them cannot capture them, so the loop needs no
// per-iteration copies (perIteration), whose frames a goroutine started in
// the body would keep alive: 1.3 KB per goroutine in bench/goroutines. The
// test is by name only (a selector's field or a shadowing declaration
// counts too), which can only keep a copy that was not needed.
func loopVarsUsed(body *ast.BlockStmt, vars ...ast.Expr) bool {
	names := map[string]bool{}
	for _, v := range vars {
		if id, ok := v.(*ast.Ident); ok && id.Name != "_" {
			names[id.Name] = true
		}
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && names[id.Name] {
			found = true
		}
		return !found
	})
	return found
}
