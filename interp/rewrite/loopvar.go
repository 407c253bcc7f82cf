package rewrite

import (
	"go/ast"
	"go/token"
)

// Per-iteration loop variables (Go 1.22): yaegi v0.16.1 gives a loop
// variable one slot per function frame, so a closure, a go or defer
// statement or &v in the body saw the last value. When the body can keep a
// reference to a loop variable, it runs in a function literal called once
// per iteration, with continue and break (labelled ones too) keeping their
// meaning and changes to the variable copied back to the loop.
// Proved by TestScenarios "per-iteration loop variables with goroutines"
// and "... with closures, mutation, continue and break"
// (interp/run/engine_test.go). A body that never names the loop's
// variables gets no per-iteration frame (loopVarsUsed); proved by
// TestPasses "loop whose body never names its variables stays".

// rangeCopy gives a range loop per-iteration variables when needed (see
// perIteration).
func (r *Rewriter) rangeCopy(st *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	if st.Tok != token.DEFINE || !capturesLoopVars(st.Body) || !loopVarsUsed(st.Body, st.Key, st.Value) || !canWrapBody(st.Body, label) {
		return st
	}
	var inner, outer []string
	for _, e := range []ast.Expr{st.Key, st.Value} {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			o := r.fresh(id.Name)
			inner = append(inner, id.Name)
			outer = append(outer, o)
			id.Name = o
		}
	}
	if len(inner) == 0 {
		return st
	}
	return r.perIteration(st, &st.Body, inner, outer, false)
}

// forCopy gives a three-clause loop per-iteration variables when its body
// may keep a reference to them (see perIteration). The loop runs on renamed
// variables; each iteration copies them in, and copies them back at its end
// so that a body that changes i changes the loop, as in Go.
func (r *Rewriter) forCopy(st *ast.ForStmt, label *ast.Ident) ast.Stmt {
	init, ok := st.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE || !capturesLoopVars(st.Body) || !loopVarsUsed(st.Body, init.Lhs...) || !canWrapBody(st.Body, label) {
		return st
	}
	rename := map[string]string{}
	var inner, outer []string
	for _, l := range init.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		o := r.fresh(id.Name)
		rename[id.Name] = o
		inner = append(inner, id.Name)
		outer = append(outer, o)
		id.Name = o
	}
	if len(rename) == 0 {
		return st
	}
	if st.Cond != nil {
		renameIdents(st.Cond, rename)
	}
	if st.Post != nil {
		renameIdents(st.Post, rename)
	}
	return r.perIteration(st, &st.Body, inner, outer, true)
}

// perIteration runs a loop body in a function literal called once per
// iteration. yaegi gives every variable one slot in its function's frame, so
// i := i in a loop body does not make a new variable per iteration; a call
// does. The body
//
//	{ body }
//
// becomes
//
//	{ brk := false
//	  func() { i := i'; defer func() { i' = i }(); body' }()
//	  if brk { break } }
//
// where body' has continue replaced by return and break by brk = true;
// return. canWrapBody rejects bodies this cannot express.
func (r *Rewriter) perIteration(loop ast.Stmt, body **ast.BlockStmt, inner, outer []string, copyBack bool) ast.Stmt {
	brk := r.fresh("brk")
	usesBreak := replaceBranches(*body, brk)
	var list []ast.Stmt
	var l, rr []ast.Expr
	for i := range inner {
		l = append(l, ast.NewIdent(inner[i]))
		rr = append(rr, ast.NewIdent(outer[i]))
	}
	list = append(list, &ast.AssignStmt{Lhs: l, Tok: token.DEFINE, Rhs: rr})
	if copyBack {
		var bl, br []ast.Expr
		for i := range inner {
			bl = append(bl, ast.NewIdent(outer[i]))
			br = append(br, ast.NewIdent(inner[i]))
		}
		list = append(list, &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
			Type: &ast.FuncType{Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.AssignStmt{Lhs: bl, Tok: token.ASSIGN, Rhs: br}}},
		}}})
	}
	// Keep the inner names used even when the body ignores them.
	for _, n := range inner {
		list = append(list, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_")}, Tok: token.ASSIGN, Rhs: []ast.Expr{ast.NewIdent(n)}})
	}
	list = append(list, (*body).List...)
	call := &ast.ExprStmt{X: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: list},
	}}}
	var nb []ast.Stmt
	if usesBreak {
		nb = append(nb, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(brk)}, Tok: token.DEFINE, Rhs: []ast.Expr{ast.NewIdent("false")}})
	}
	nb = append(nb, call)
	if usesBreak {
		nb = append(nb, &ast.IfStmt{Cond: ast.NewIdent(brk), Body: &ast.BlockStmt{List: []ast.Stmt{&ast.BranchStmt{Tok: token.BREAK}}}})
	}
	*body = &ast.BlockStmt{Lbrace: (*body).Lbrace, List: nb, Rbrace: (*body).Rbrace}
	return loop
}

// canWrapBody reports whether a loop body can move into a function literal:
// no return, goto, defer or labelled branch, and no fallthrough out of it.
func canWrapBody(body *ast.BlockStmt, label *ast.Ident) bool {
	ok := true
	ast.Inspect(body, func(c ast.Node) bool {
		if !ok {
			return false
		}
		switch x := c.(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt, *ast.DeferStmt:
			ok = false
		case *ast.BranchStmt:
			if x.Tok == token.GOTO || x.Label != nil {
				ok = false
			}
		}
		return true
	})
	return ok
}

// replaceBranches turns the continue and break statements of the loop
// whose body is b into return (after setting brk for break); it reports
// whether a break was found.
func replaceBranches(b *ast.BlockStmt, brk string) bool {
	found := false
	var walk func(list []ast.Stmt, inSwitch bool)
	var visit func(s ast.Stmt, inSwitch bool) ast.Stmt
	visit = func(s ast.Stmt, inSwitch bool) ast.Stmt {
		switch x := s.(type) {
		case *ast.BranchStmt:
			if x.Label != nil {
				return s
			}
			if x.Tok == token.CONTINUE {
				return &ast.ReturnStmt{Return: x.Pos()}
			}
			if x.Tok == token.BREAK && !inSwitch {
				found = true
				return &ast.BlockStmt{List: []ast.Stmt{
					&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(brk)}, Tok: token.ASSIGN, Rhs: []ast.Expr{ast.NewIdent("true")}},
					&ast.ReturnStmt{Return: x.Pos()},
				}}
			}
		case *ast.BlockStmt:
			walk(x.List, inSwitch)
		case *ast.IfStmt:
			walk(x.Body.List, inSwitch)
			if x.Else != nil {
				x.Else = visit(x.Else, inSwitch)
			}
		case *ast.SwitchStmt:
			for _, c := range x.Body.List {
				walk(c.(*ast.CaseClause).Body, true)
			}
		case *ast.TypeSwitchStmt:
			for _, c := range x.Body.List {
				walk(c.(*ast.CaseClause).Body, true)
			}
		case *ast.SelectStmt:
			for _, c := range x.Body.List {
				walk(c.(*ast.CommClause).Body, true)
			}
		case *ast.LabeledStmt:
			x.Stmt = visit(x.Stmt, inSwitch)
		}
		return s
	}
	walk = func(list []ast.Stmt, inSwitch bool) {
		for i, s := range list {
			list[i] = visit(s, inSwitch)
		}
	}
	walk(b.List, false)
	return found
}

// renameIdents renames identifiers in n (not field selectors).
func renameIdents(n ast.Node, m map[string]string) {
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.SelectorExpr:
			renameIdents(x.X, m)
			return false
		case *ast.Ident:
			if to, ok := m[x.Name]; ok {
				x.Name = to
			}
		case *ast.FuncLit:
			return false
		}
		return true
	})
}

// capturesLoopVars reports whether body may keep a reference to a loop
// variable beyond its iteration: a closure, a go or defer statement, or an
// address taken.
func capturesLoopVars(body *ast.BlockStmt) bool {
	found := false
	ast.Inspect(body, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.FuncLit, *ast.GoStmt, *ast.DeferStmt:
			found = true
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				found = true
			}
		case *ast.SelectorExpr:
			// A method value or a call with a pointer receiver may take an
			// address implicitly; only closures matter in practice.
		}
		return !found
	})
	return found
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
