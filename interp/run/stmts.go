package run

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"

	"github.com/golit/golit/interp/parse"
	"github.com/golit/golit/interp/rewrite"
)

// A group of statements: top-level x := ... made notebook variables, the
// value of a final expression kept as the cell's result, and the
// statements run in a frame of their own (compile.go).

// rewriteStmts is the rewrite stage of a group of statements. When
// wantResult is set and the last statement is an expression that is not a
// print call, it is taken out of the group, to be shown by runStmts.
func (e *Session) rewriteStmts(cell *cellRun, g *Group, wantResult bool) *execError {
	blk := g.pg.block
	// The names the group defines (x := ...) leave the registry before the
	// rewrite, which asks the registry what the notebook declares.
	for _, s := range blk.List {
		if as, ok := s.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok {
					e.decls.forgetName(id.Name)
					e.varCell[id.Name] = cell.count
					e.decls.touchName(id.Name)
				}
			}
		}
	}
	var last ast.Expr
	if n := len(blk.List); wantResult && n > 0 {
		if es, ok := blk.List[n-1].(*ast.ExprStmt); ok && !isPrintCall(es.X) && !e.isVoidCall(es.X) {
			last = es.X
			blk.List = blk.List[:n-1]
		}
	}
	g.wantResult, g.final = wantResult, last
	blk.List = splitMultiDefines(blk.List)
	var orig []ast.Stmt // for retryRangeFuncs
	if hasRange(blk) {
		orig = parse.CloneStmts(blk.List)
	}
	marks := e.stmtMarks(blk.List)
	rw := e.newRewriter()
	rw.CellDefers(blk)
	e.rewrite(rw, blk)
	g.rw = rw
	cell.funcRanges = append(cell.funcRanges, rw.FuncRanges...)
	cell.genericCalls = append(cell.genericCalls, rw.GenericCalls...)
	if rw.Err != nil {
		return &execError{kind: "compile", err: rw.Err}
	}
	if len(marks) != len(blk.List) {
		marks = e.stmtMarks(blk.List)
		orig = nil // statements were added or removed: a retry cannot find them by index
	}
	g.origStmts, g.marks = orig, marks
	return nil
}

// runStmts runs a group of statements that rewriteStmts prepared. When
// the group has a final expression, its value is captured as the cell's
// result; shown tells whether that happened.
func (e *Session) runStmts(cell *cellRun, g *Group) (reflect.Value, bool, *execError) {
	blk, rw, orig, marks := g.pg.block, g.rw, g.origStmts, g.marks
	last, wantResult := g.final, g.wantResult
	// Statements that define notebook variables (x := ...) run in the
	// notebook's global frame; the others run in a function literal. yaegi
	// stops interrupted code by comparing run ids, and the next cell resets
	// the global frame's id: code stopped there could resume, while a
	// function's frame keeps its own id (see runFramed).
	var run []ast.Stmt
	first := -1 // number of the first statement in run that counts itself
	var runIdx []int
	flush := func() *execError {
		if len(run) == 0 {
			return nil
		}
		list, idx := run, runIdx
		run, runIdx = nil, nil
		e.startStmts(first)
		first = -1
		x := e.runFramed(cell.ctx, list)
		if isNilType(x) && len(rw.UnknownRanges) > 0 && orig != nil {
			var stmts []ast.Stmt
			for _, i := range idx {
				stmts = append(stmts, orig[i])
			}
			x = e.retryRangeFuncs(x, rw.UnknownRanges, func(force rewrite.RangeForce) *execError {
				b := e.newBlock(parse.CloneStmts(stmts)...)
				r := e.newRewriter()
				r.Force = force
				r.CellDefers(b)
				e.rewrite(r, b)
				if r.Err != nil {
					return &execError{kind: "compile", err: r.Err}
				}
				return e.runFramed(cell.ctx, b.List)
			})
		}
		return x
	}
	for i, st := range blk.List {
		if as, ok := st.(*ast.AssignStmt); ok && as.Tok == token.DEFINE {
			if x := flush(); x != nil {
				return reflect.Value{}, false, x
			}
			e.setStmt(marks[i])
			// x := v for an x the notebook has: yaegi makes a new
			// variable, while the functions compiled before keep reading
			// the old one. They are compiled again below.
			redefined := map[string]bool{}
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && id.Name != "_" {
					if _, ok := e.global(id.Name); ok {
						redefined[id.Name] = true
					}
				}
			}
			if _, x := e.compileRun(cell.ctx, e.newBlock(st)); x != nil {
				if len(as.Lhs) > 1 && len(as.Rhs) == 1 {
					x = e.typedMultiDefine(cell, as, x)
				} else {
					x = e.typedDefine(cell, as, x)
				}
				if x != nil {
					return reflect.Value{}, false, x
				}
			}
			if len(redefined) > 0 {
				if x := e.recompileDependents(cell, redefined, map[string]bool{}, nil); x != nil {
					return reflect.Value{}, false, x
				}
			}
			continue
		}
		if m, n := e.markStmt(marks[i], st); m != nil {
			if first < 0 {
				first = n
			}
			run = append(run, m)
		}
		run = append(run, st)
		runIdx = append(runIdx, i)
	}
	if x := flush(); x != nil {
		return reflect.Value{}, false, x
	}
	if last == nil {
		return reflect.Value{}, false, nil
	}
	// The display helper runs in the interpreter so that methods of notebook
	// types (Render, HTML, String, ...) are seen.
	lastMark := e.stmtMarks([]ast.Stmt{&ast.ExprStmt{X: last}})[0]
	if e.isVoidCall(last) {
		wantResult = false
	} else {
		show := []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
			Fun: ast.NewIdent(rewrite.Prefix + "result"), Args: []ast.Expr{last}}}}
		e.rewrite(rw, &ast.BlockStmt{List: show})
		if m, n := e.markStmt(lastMark, show[0]); m != nil {
			show = append([]ast.Stmt{m}, show...)
			e.startStmts(n)
		}
		x := e.runFramed(cell.ctx, show)
		if x == nil {
			return reflect.Value{}, true, nil
		}
		if x.kind != "compile" {
			return reflect.Value{}, false, x
		}
		if m := x.err.Error(); strings.Contains(m, "cannot use func(") && strings.Contains(m, "as type") {
			// A call without results: run it, show nothing.
			wantResult = false
		}
	}
	plain := e.newBlock(&ast.ExprStmt{X: last})
	e.rewrite(rw, plain)
	e.setStmt(lastMark)
	v, x := e.compileRun(cell.ctx, plain)
	if x != nil {
		return reflect.Value{}, false, x
	}
	return v, wantResult, nil
}

// isVoidCall reports whether x calls a notebook function declared without
// results.
func (e *Session) isVoidCall(x ast.Expr) bool {
	c, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	if sel, ok := c.Fun.(*ast.SelectorExpr); ok {
		// pkg.F of a compiled package: its type says.
		pid, ok := sel.X.(*ast.Ident)
		if !ok {
			return false
		}
		p, ok := e.imports[pid.Name]
		if !ok {
			return false
		}
		f, ok := e.allSymbols()[p][sel.Sel.Name]
		return ok && f.Kind() == reflect.Func && f.Type().NumOut() == 0
	}
	id, ok := c.Fun.(*ast.Ident)
	if !ok {
		return false
	}
	d := e.decls.byName[id.Name]
	if d == nil || d.Kind != parse.FuncDecl {
		return false
	}
	if void, ok := e.voidFuncs[d]; ok {
		return void // a cell asks twice; a declaration's source never changes
	}
	f, err := parser.ParseFile(token.NewFileSet(), "", "package p;"+d.Src, parser.SkipObjectResolution)
	if err != nil || len(f.Decls) == 0 {
		return false
	}
	fd, ok := f.Decls[0].(*ast.FuncDecl)
	void := ok && (fd.Type.Results == nil || len(fd.Type.Results.List) == 0)
	if e.voidFuncs == nil || len(e.voidFuncs) >= 256 {
		e.voidFuncs = map[*parse.Declaration]bool{} // also lets go of replaced declarations
	}
	e.voidFuncs[d] = void
	return void
}

// isPrintCall reports whether x is a call whose results are only a byte
// count and an error from printing: fmt.Print*, fmt.Fprint*, log.Print*,
// print, println, and Write/Print methods.
func isPrintCall(x ast.Expr) bool {
	c, ok := x.(*ast.CallExpr)
	if !ok {
		return false
	}
	var name string
	switch f := c.Fun.(type) {
	case *ast.Ident:
		name = f.Name
		return name == "print" || name == "println"
	case *ast.SelectorExpr:
		name = f.Sel.Name
	default:
		return false
	}
	for _, p := range []string{"Print", "Fprint", "Write", "Fatal", "Panic", "Output"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// splitMultiDefines rewrites each top-level a, b := f() (one call, map
// index, type assertion or receive giving several values) into
//
//	golit__mv0, golit__mv1 := f()
//	a := golit__mv0
//	b := golit__mv1
//
// yaegi v0.16.1 does not mark the variables of a multi-value := in the
// global scope as globals (compDefineX, unlike the single-value path in
// gta.go), so functions compiled later read them from their own frame and
// get garbage. The single-value := that follows defines a proper notebook
// variable; top-level code reads the temporaries correctly. Blank names
// stay blank.
//
// The comma-ok forms (v, ok := m[k], v, ok := x.(T)) cannot even be typed
// by yaegi at the top level ("nil type"); commaOKDefine rewrites those.
func splitMultiDefines(list []ast.Stmt) []ast.Stmt {
	var out []ast.Stmt
	for _, s := range list {
		as, ok := s.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) < 2 || len(as.Rhs) != 1 {
			out = append(out, s)
			continue
		}
		if r, ok := commaOKDefine(as); ok {
			out = append(out, r...)
			continue
		}
		tmp := &ast.AssignStmt{TokPos: as.TokPos, Tok: token.DEFINE, Rhs: as.Rhs}
		var copies []ast.Stmt
		for i, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name == "_" {
				tmp.Lhs = append(tmp.Lhs, l)
				continue
			}
			t := ast.NewIdent(fmt.Sprintf("%smv%d", rewrite.Prefix, i))
			tmp.Lhs = append(tmp.Lhs, t)
			copies = append(copies, &ast.AssignStmt{Lhs: []ast.Expr{id}, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: []ast.Expr{ast.NewIdent(t.Name)}})
		}
		out = append(out, tmp)
		out = append(out, copies...)
	}
	return out
}

// commaOKDefine rewrites a top-level comma-ok definition into single-value
// definitions, which yaegi types and makes notebook variables, followed by
// a plain assignment, which it handles:
//
//	v, ok := m[k]   →   v := m[k]; ok := false; _, ok = m[k]
//	v, ok := x.(T)  →   v := *new(T); ok := false; v, ok = x.(T)
//
// The map form evaluates m[k] twice, so it is used only when the key has no
// calls in it (or v is blank). A receive (v, ok := <-ch) is left alone: its
// value cannot be read twice and its type is not written in the source;
// when yaegi fails on it, typedMultiDefine (typeddefine.go) declares the
// variables with the types yaegi names and assigns them.
func commaOKDefine(as *ast.AssignStmt) ([]ast.Stmt, bool) {
	if len(as.Lhs) != 2 {
		return nil, false
	}
	v, ok1 := as.Lhs[0].(*ast.Ident)
	okID, ok2 := as.Lhs[1].(*ast.Ident)
	if !ok1 || !ok2 {
		return nil, false
	}
	define := func(name string, x ast.Expr) ast.Stmt {
		return &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(name)}, TokPos: as.TokPos, Tok: token.DEFINE, Rhs: []ast.Expr{x}}
	}
	var out []ast.Stmt
	switch x := as.Rhs[0].(type) {
	case *ast.IndexExpr:
		if v.Name != "_" && okID.Name != "_" && hasCall(x) {
			return nil, false
		}
		if v.Name != "_" {
			out = append(out, define(v.Name, x))
		}
		if okID.Name != "_" {
			out = append(out, define(okID.Name, ast.NewIdent("false")),
				&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_"), ast.NewIdent(okID.Name)}, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{x}})
		}
	case *ast.TypeAssertExpr:
		if x.Type == nil {
			return nil, false // x.(type) belongs to a type switch
		}
		lhs := []ast.Expr{ast.NewIdent("_"), ast.NewIdent("_")}
		if v.Name != "_" {
			out = append(out, define(v.Name, &ast.StarExpr{X: &ast.CallExpr{Fun: ast.NewIdent("new"), Args: []ast.Expr{x.Type}}}))
			lhs[0] = ast.NewIdent(v.Name)
		}
		if okID.Name != "_" {
			out = append(out, define(okID.Name, ast.NewIdent("false")))
			lhs[1] = ast.NewIdent(okID.Name)
		}
		out = append(out, &ast.AssignStmt{Lhs: lhs, TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: []ast.Expr{x}})
	default:
		return nil, false
	}
	return out, true
}

// hasCall reports whether evaluating x calls a function (or receives), so
// that evaluating it twice could differ from evaluating it once.
func hasCall(x ast.Expr) bool {
	found := false
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			found = true
		case *ast.UnaryExpr:
			if n.Op == token.ARROW {
				found = true
			}
		case *ast.FuncLit:
			return false
		}
		return !found
	})
	return found
}
