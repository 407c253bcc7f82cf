package rewrite

import (
	"fmt"
	"go/ast"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/parse"
)

// Range over functions (Go 1.23). yaegi v0.16.1 cannot compile
//
//	for k, v := range seq { body }
//
// when seq is a function (it panics with "nil type"), so golit rewrites the
// loop into a call of the iterator with the body as its yield function,
// the way the Go compiler lowers it:
//
//	{
//		golit__seq := seq
//		golit__code, golit__state := 0, 0
//		golit__seq(func(k K, v V) bool {
//			if golit__state != 0 { golit__misuse(golit__state) }
//			golit__state = 2
//			body'
//			golit__state = 0
//			return true
//		})
//		if golit__state == 2 { golit__misuse(4) }
//		golit__state = 3
//		if golit__code == 2 { return golit__ret0 }
//		if golit__code == 3 { continue outer }
//	}
//
// body' is the body with its control flow made explicit:
//
//   - continue (of this loop) returns true, break sets the exit code 1
//     and returns false;
//   - return stores the results (in the function's named results, or in
//     temporaries declared before the loop) and exits with code 2; the
//     code after the call returns them;
//   - break L and continue L to loops outside exit with a code of their
//     own, which the code after the call turns back into the branch;
//   - defer statements in the body of a loop inside a function append the
//     call to a list that a defer placed before the loop runs, so that the
//     calls run when the function returns, last first, as Go runs them;
//   - goto out of the body cannot be expressed and is reported.
//
// k and v are parameters of the literal, which runs once per iteration, so
// closures and goroutines of the body keep their own values. A panic of
// the body goes through the iterator, as in Go. The state makes the same
// checks as the Go runtime: an iterator that calls yield after the body
// asked to stop, or after the loop ended, or that swallows a panic of the
// body, panics.
//
// The literal's parameters need the types K and V written in the code.
// When the guesser (typeguess.go) cannot write them, the body becomes a
// func() int returning its exit code, and golit__range.Run1 or Run2
// (rangeSource) make the yield function: they hand each value to the body
// through a pointer whose type they infer from the iterator's,
//
//	golit__k, golit__v := golit__range.SlotK(golit__seq), golit__range.SlotV(golit__seq)
//	golit__code := golit__range.Run2(golit__k, golit__v, golit__seq, func() int {
//		k, v := *golit__k, *golit__v
//		body'
//		return 0
//	})
//
// which costs an interpreted call more per iteration (PERFORMANCE.md).
//
// Proved by TestModernGo "range over function iterators" and "range over
// function control flow" (interp/run/modern_test.go), and
// tests/test_modern_go.py through a kernel.

// rangePkg is the package of the helpers the rewritten loops call.
const rangePkg = Prefix + "range"

// Exit codes of a rewritten loop body.
const (
	rangeNext   = 0 // go on with the next iteration
	rangeBreak  = 1 // leave the loop
	rangeReturn = 2 // return from the enclosing function
	// codes from 3 up are branches to labels outside the loop
)

// runDefersName runs the defer list of a loop. It is declared in the
// notebook's package with stdGenericSource: yaegi v0.16.1 does not run
// closures correctly in the non-generic functions of a source package.
const runDefersName = Prefix + "runDefers"

// RunDefersSource declares runDefersName (the calls run last first, each
// one deferred so that a panic in one does not skip the others), and
// golit__misuse, which panics for an iterator that misuses yield (state
// 1 to 3 as in rangeSource, 4 for a body's panic the iterator recovered).
const RunDefersSource = `
func golit__runDefers(list *[]func()) {
	for i := range *list {
		defer (*list)[i]()
	}
}

func golit__misuse(state int) {
	switch state {
	case 1:
		panic("range over function: the iterator called yield again after the loop body returned false (break, return or a branch out of the loop)")
	case 2:
		panic("range over function: the iterator called yield while the loop body was running, or after the body panicked")
	case 3:
		panic("range over function: the iterator called yield after the loop ended")
	}
	panic("range over function: the iterator recovered a panic of the loop body and did not panic again")
}
`

// rangeSource is the helper package (see genericAdditions).
const rangeSource = `package golit__range

// Slot1 returns a new variable of the type of the values seq yields.
func Slot1[V any](seq func(yield func(V) bool)) *V { return new(V) }

// SlotK returns a new variable of the type of the keys seq yields.
func SlotK[K, V any](seq func(yield func(K, V) bool)) *K { return new(K) }

// SlotV returns a new variable of the type of the values seq yields.
func SlotV[K, V any](seq func(yield func(K, V) bool)) *V { return new(V) }

// States of a loop: 0 waiting for the next value, 1 the body asked to stop,
// 2 the body is running (or panicked), 3 the loop is over.

const (
	afterStop    = "range over function: the iterator called yield again after the loop body returned false (break, return or a branch out of the loop)"
	whileRunning = "range over function: the iterator called yield while the loop body was running, or after the body panicked"
	afterEnd     = "range over function: the iterator called yield after the loop ended"
)

// The state lives in a variable the yield closure captures, never
// addressed: yaegi v0.16.1 loses writes to a captured variable whose
// address is also taken.

const recovered = "range over function: the iterator recovered a panic of the loop body and did not panic again"

// Run1 ranges over seq: it stores each value in slot and runs body, until
// body returns an exit code other than 0, which Run1 returns.
func Run1[V any](slot *V, seq func(yield func(V) bool), body func() int) int {
	code, state := 0, 0
	seq(func(v V) bool {
		if state == 1 {
			panic(afterStop)
		}
		if state == 2 {
			panic(whileRunning)
		}
		if state == 3 {
			panic(afterEnd)
		}
		*slot = v
		state = 2
		code = body()
		if code != 0 {
			state = 1
			return false
		}
		state = 0
		return true
	})
	if state == 2 {
		state = 3
		panic(recovered)
	}
	state = 3
	return code
}

// Run2 is Run1 for iterators of pairs.
func Run2[K, V any](kslot *K, vslot *V, seq func(yield func(K, V) bool), body func() int) int {
	code, state := 0, 0
	seq(func(k K, v V) bool {
		if state == 1 {
			panic(afterStop)
		}
		if state == 2 {
			panic(whileRunning)
		}
		if state == 3 {
			panic(afterEnd)
		}
		*kslot, *vslot = k, v
		state = 2
		code = body()
		if code != 0 {
			state = 1
			return false
		}
		state = 0
		return true
	})
	if state == 2 {
		state = 3
		panic(recovered)
	}
	state = 3
	return code
}
`

// RangeForce asks the rewrite to treat ranges it cannot type as ranges over
// functions: by position of the for keyword (see posKey), the number of
// values each iteration yields.
type RangeForce map[string]int

// funcCtx is the function a statement belongs to.
type funcCtx struct {
	typ *ast.FuncType // nil at the top level of a cell
	// deferList names the list that defer statements of range bodies
	// append to, when the loop being rewritten is inside one that has it.
	deferList string
}

// rangeFuncs rewrites the ranges over functions in n.
func (r *Rewriter) rangeFuncs(n ast.Node) {
	if r.guess == nil {
		r.guess = newGuesser(r.Notebook, r.Paths, n)
	}
	switch x := n.(type) {
	case *ast.File:
		for _, d := range x.Decls {
			switch dd := d.(type) {
			case *ast.FuncDecl:
				if dd.Body == nil {
					continue
				}
				sc := newScope(nil)
				if dd.Recv != nil {
					sc.declareFields(dd.Recv)
					for _, f := range dd.Recv.List {
						if ix, ok := parse.StripStar(f.Type).(*ast.IndexExpr); ok {
							if id, ok := ix.Index.(*ast.Ident); ok {
								sc.vars[id.Name] = gvar{isType: true}
							}
						}
						if ix, ok := parse.StripStar(f.Type).(*ast.IndexListExpr); ok {
							for _, e := range ix.Indices {
								if id, ok := e.(*ast.Ident); ok {
									sc.vars[id.Name] = gvar{isType: true}
								}
							}
						}
					}
				}
				sc.declareTypeParams(dd.Type.TypeParams)
				sc.declareFields(dd.Type.Params)
				sc.declareFields(dd.Type.Results)
				r.rfBlock(dd.Body, funcCtx{typ: dd.Type}, sc)
			case *ast.GenDecl:
				r.rfExprs(dd, newScope(nil))
			}
		}
	case *ast.BlockStmt:
		r.rfBlock(x, funcCtx{}, newScope(nil))
	}
}

// rfBlock rewrites the statements of a block in order, so that each one is
// guessed with the declarations before it in scope.
func (r *Rewriter) rfBlock(b *ast.BlockStmt, fc funcCtx, up *gscope) {
	if b == nil {
		return
	}
	r.rfList(b.List, fc, newScope(up))
}

func (r *Rewriter) rfList(list []ast.Stmt, fc funcCtx, sc *gscope) {
	for i, s := range list {
		list[i] = r.rfStmt(s, fc, sc)
		sc.declareStmt(list[i])
	}
}

// rfStmt rewrites one statement and what it contains.
func (r *Rewriter) rfStmt(s ast.Stmt, fc funcCtx, sc *gscope) ast.Stmt {
	switch x := s.(type) {
	case *ast.BlockStmt:
		r.rfBlock(x, fc, sc)
	case *ast.LabeledStmt:
		if rs, ok := x.Stmt.(*ast.RangeStmt); ok {
			if out := r.rangeFunc(rs, x.Label, fc, sc); out != nil {
				return out
			}
			return x
		}
		x.Stmt = r.rfStmt(x.Stmt, fc, sc)
	case *ast.RangeStmt:
		if out := r.rangeFunc(x, nil, fc, sc); out != nil {
			return out
		}
	case *ast.ForStmt:
		inner := newScope(sc)
		if x.Init != nil {
			x.Init = r.rfStmt(x.Init, fc, inner)
			inner.declareStmt(x.Init)
		}
		r.rfExprs(x.Cond, inner)
		if x.Post != nil {
			x.Post = r.rfStmt(x.Post, fc, inner)
		}
		r.rfBlock(x.Body, fc, inner)
	case *ast.IfStmt:
		inner := newScope(sc)
		if x.Init != nil {
			x.Init = r.rfStmt(x.Init, fc, inner)
			inner.declareStmt(x.Init)
		}
		r.rfExprs(x.Cond, inner)
		r.rfBlock(x.Body, fc, inner)
		if x.Else != nil {
			x.Else = r.rfStmt(x.Else, fc, inner)
		}
	case *ast.SwitchStmt:
		inner := newScope(sc)
		if x.Init != nil {
			x.Init = r.rfStmt(x.Init, fc, inner)
			inner.declareStmt(x.Init)
		}
		r.rfExprs(x.Tag, inner)
		for _, c := range x.Body.List {
			cc := c.(*ast.CaseClause)
			for _, e := range cc.List {
				r.rfExprs(e, inner)
			}
			r.rfList(cc.Body, fc, newScope(inner))
		}
	case *ast.TypeSwitchStmt:
		inner := newScope(sc)
		if x.Init != nil {
			x.Init = r.rfStmt(x.Init, fc, inner)
			inner.declareStmt(x.Init)
		}
		r.rfExprs(x.Assign, inner)
		for _, c := range x.Body.List {
			cc := c.(*ast.CaseClause)
			cs := newScope(inner)
			if as, ok := x.Assign.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(cc.List) == 1 {
				if id, ok := as.Lhs[0].(*ast.Ident); ok {
					cs.vars[id.Name] = gvar{typ: cc.List[0]}
				}
			}
			r.rfList(cc.Body, fc, cs)
		}
	case *ast.SelectStmt:
		for _, c := range x.Body.List {
			cc := c.(*ast.CommClause)
			cs := newScope(sc)
			if cc.Comm != nil {
				cc.Comm = r.rfStmt(cc.Comm, fc, cs)
				cs.declareStmt(cc.Comm)
			}
			r.rfList(cc.Body, fc, cs)
		}
	default:
		r.rfExprs(s, sc)
	}
	return s
}

// rfExprs rewrites the function literals inside n (not inside statements
// rfStmt visits itself).
func (r *Rewriter) rfExprs(n ast.Node, sc *gscope) {
	if n == nil {
		return
	}
	ast.Inspect(n, func(c ast.Node) bool {
		if call, ok := c.(*ast.CallExpr); ok {
			r.plainArgs(call, sc)
			r.callRewrites(call, sc) // typeargs.go
		}
		fl, ok := c.(*ast.FuncLit)
		if !ok {
			return true
		}
		fs := newScope(sc)
		fs.declareTypeParams(fl.Type.TypeParams)
		fs.declareFields(fl.Type.Params)
		fs.declareFields(fl.Type.Results)
		r.rfBlock(fl.Body, funcCtx{typ: fl.Type}, fs)
		return false
	})
}

// rangeFunc rewrites st if it ranges over a function, and returns its
// replacement; it returns nil for other ranges, after rewriting inside them.
func (r *Rewriter) rangeFunc(st *ast.RangeStmt, label *ast.Ident, fc funcCtx, sc *gscope) ast.Stmt {
	r.rangeOverIterator(st)
	r.rfExprs(st.X, sc)
	t := r.guess.exprType(st.X, sc)
	info, isFunc := r.guess.seqOf(t)
	if !isFunc && t == nil {
		key := r.posKey(st.For)
		if n, ok := r.Force[key]; ok {
			info, isFunc = seqInfo{arity: n}, true
		} else {
			r.UnknownRanges = append(r.UnknownRanges, RangeAt{Key: key, Vars: rangeVarCount(st)})
		}
	}
	if !isFunc {
		body := newScope(sc)
		if st.Tok == token.DEFINE {
			vars := r.guess.rangeVars(t)
			for i, e := range []ast.Expr{st.Key, st.Value} {
				if id, ok := e.(*ast.Ident); ok {
					body.vars[id.Name] = vars[i]
				}
			}
		}
		r.rfBlock(st.Body, fc, body)
		return nil
	}
	r.FuncRanges = append(r.FuncRanges, st.For)
	if n := rangeVarCount(st); n > info.arity {
		r.fail(st.For, fmt.Errorf("range over %s (an iterator of %d value%s per iteration) permits only %d iteration variable%s",
			exprString(st.X), info.arity, plural(info.arity), info.arity, plural(info.arity)))
		return nil
	}
	// Defers of the body belong to the enclosing function: give the
	// outermost such loop of a function the list they go to.
	var pre []ast.Stmt
	if fc.typ != nil && fc.deferList == "" && hasDefer(st.Body) {
		fc.deferList = r.fresh("defers")
		pre = append(pre,
			&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(fc.deferList)}, Tok: token.DEFINE,
				Rhs: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("new"), Args: []ast.Expr{&ast.ArrayType{Elt: &ast.FuncType{Params: &ast.FieldList{}}}}}}},
			&ast.DeferStmt{Call: &ast.CallExpr{Fun: ast.NewIdent(runDefersName), Args: []ast.Expr{ast.NewIdent(fc.deferList)}}})
	}
	if fc.deferList != "" {
		r.listDefers(st.Body, fc.deferList)
	}

	// The body, with the loop variables in scope, rewritten first (inner
	// loops become function literals before this one does).
	bodySc := newScope(sc)
	if st.Tok == token.DEFINE {
		for i, e := range []ast.Expr{st.Key, st.Value} {
			if id, ok := e.(*ast.Ident); ok && i < len(info.elems) {
				bodySc.vars[id.Name] = gvar{typ: info.elems[i]}
			}
		}
	}
	r.rfBlock(st.Body, funcCtx{typ: fc.typ, deferList: fc.deferList}, bodySc)

	seq := ast.NewIdent(r.fresh("seq"))
	out := append(pre, &ast.AssignStmt{Lhs: []ast.Expr{seq}, Tok: token.DEFINE, Rhs: []ast.Expr{st.X}})
	// When the types of the values can be written, the body becomes the
	// yield function itself (one interpreted call per iteration);
	// otherwise Run1 or Run2 calls it, through slots of inferred types.
	direct := info.arity == 0 || info.write
	x := &rangeExits{r: r, label: label, fc: fc, codes: map[string]int{}}
	var code, state string
	if direct {
		code, state = r.fresh("code"), r.fresh("state")
		x.exit = func(c int, p token.Pos) ast.Stmt {
			if c == rangeNext {
				return &ast.BlockStmt{Lbrace: p, List: []ast.Stmt{setInt(state, 0, p), &ast.ReturnStmt{Return: p, Results: []ast.Expr{ast.NewIdent("true")}}}}
			}
			return &ast.BlockStmt{Lbrace: p, List: []ast.Stmt{setInt(code, c, p), setInt(state, 1, p), &ast.ReturnStmt{Return: p, Results: []ast.Expr{ast.NewIdent("false")}}}}
		}
		out = append(out, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(code), ast.NewIdent(state)}, Tok: token.DEFINE, Rhs: []ast.Expr{intLit(0), intLit(0)}})
	} else {
		x.exit = func(c int, p token.Pos) ast.Stmt {
			return &ast.ReturnStmt{Return: p, Results: []ast.Expr{intLit(c)}}
		}
	}

	// Slots, made by a helper that infers their type from the iterator.
	// (One call per slot: yaegi v0.16.1 mixes up the types of a generic
	// function's results of different type parameters.)
	var slots []*ast.Ident
	if !direct {
		slotFuncs := [][]string{nil, {"Slot1"}, {"SlotK", "SlotV"}}[info.arity]
		for i := range info.arity {
			s := ast.NewIdent(r.fresh("v"))
			slots = append(slots, s)
			out = append(out, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(s.Name)}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.CallExpr{
				Fun: rangeSel(slotFuncs[i]), Args: []ast.Expr{ast.NewIdent(seq.Name)}}}})
		}
	}

	// Control flow of the body.
	if fc.typ != nil && fc.typ.Results != nil && len(fc.typ.Results.List) > 0 {
		if len(fc.typ.Results.List[0].Names) > 0 {
			x.named = true
		} else {
			for _, f := range fc.typ.Results.List {
				for range fieldNames(f) {
					x.temps = append(x.temps, r.fresh("ret"))
					out = append(out, &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
						&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(x.temps[len(x.temps)-1])}, Type: parse.CloneExpr(f.Type)}}}})
				}
			}
		}
	}
	x.inner = labelsIn(st.Body)
	x.block(st.Body.List, false, false)
	if r.Err != nil {
		return nil
	}

	// The literal: the values in, then the body.
	var lit []ast.Stmt
	var vars []ast.Expr
	params := &ast.FieldList{}
	for i, e := range []ast.Expr{st.Key, st.Value} {
		if i >= info.arity {
			break
		}
		// Positioned at the loop, so that a panic's stack names its line.
		var val ast.Expr
		if direct {
			name := "_"
			if e != nil && !isBlankIdent(e) {
				name = r.fresh("x")
				if id, ok := e.(*ast.Ident); ok && st.Tok == token.DEFINE {
					name = id.Name
				}
			}
			params.List = append(params.List, &ast.Field{Names: []*ast.Ident{{NamePos: st.For, Name: name}}, Type: parse.CloneExpr(info.elems[i])})
			if name == "_" || (st.Tok == token.DEFINE) {
				continue // the parameter is the loop variable
			}
			val = &ast.Ident{NamePos: st.For, Name: name}
		} else {
			if e == nil || isBlankIdent(e) {
				continue
			}
			val = &ast.StarExpr{Star: st.For, X: &ast.Ident{NamePos: st.For, Name: slots[i].Name}}
		}
		if st.Tok == token.DEFINE {
			id := e.(*ast.Ident)
			lit = append(lit, &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: st.For, Name: id.Name}}, TokPos: st.For, Tok: token.DEFINE, Rhs: []ast.Expr{val}})
			vars = append(vars, &ast.Ident{NamePos: st.For, Name: id.Name})
		} else {
			lit = append(lit, &ast.AssignStmt{Lhs: []ast.Expr{e}, TokPos: st.For, Tok: token.ASSIGN, Rhs: []ast.Expr{val}})
		}
	}
	if len(vars) > 0 {
		blanks := make([]ast.Expr, len(vars))
		for i := range blanks {
			blanks[i] = &ast.Ident{NamePos: st.For, Name: "_"}
		}
		lit = append(lit, &ast.AssignStmt{Lhs: blanks, TokPos: st.For, Tok: token.ASSIGN, Rhs: vars})
	}
	if direct {
		// if state != 0 { golit__misuse(state) }; state = 2
		guard := &ast.IfStmt{If: st.For,
			Cond: &ast.BinaryExpr{X: &ast.Ident{NamePos: st.For, Name: state}, Op: token.NEQ, Y: intLit(0)},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent(Prefix + "misuse"), Args: []ast.Expr{ast.NewIdent(state)}}}}}}
		lit = append([]ast.Stmt{guard, setInt(state, 2, st.For)}, lit...)
		lit = append(lit, st.Body.List...)
		lit = append(lit, setInt(state, 0, st.Body.Rbrace), &ast.ReturnStmt{Return: st.Body.Rbrace, Results: []ast.Expr{ast.NewIdent("true")}})
	} else {
		lit = append(lit, st.Body.List...)
		lit = append(lit, &ast.ReturnStmt{Return: st.Body.Rbrace, Results: []ast.Expr{intLit(rangeNext)}})
	}
	result := "int"
	if direct {
		result = "bool"
	}
	fn := &ast.FuncLit{
		Type: &ast.FuncType{Func: st.For, Params: params, Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent(result)}}}},
		Body: &ast.BlockStmt{Lbrace: st.Body.Lbrace, List: lit, Rbrace: st.Body.Rbrace},
	}
	if !direct {
		// The slots come first: yaegi infers type arguments from the
		// first arguments that have them, and a slot's type is exact.
		var args []ast.Expr
		for _, s := range slots {
			args = append(args, ast.NewIdent(s.Name))
		}
		args = append(args, ast.NewIdent(seq.Name), fn)
		run := &ast.CallExpr{Fun: rangeSel("Run" + strconv.Itoa(info.arity)), Lparen: st.For, Args: args, Rparen: st.Body.Rbrace}
		if len(x.codes) == 0 && !x.returns {
			out = append(out, &ast.ExprStmt{X: run})
			return &ast.BlockStmt{Lbrace: st.For, List: out, Rbrace: st.Body.Rbrace}
		}
		code = r.fresh("code")
		out = append(out, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent(code)}, Tok: token.DEFINE, Rhs: []ast.Expr{run}})
	} else {
		// seq(fn); if state == 2 { golit__misuse(4) }; state = 3
		out = append(out,
			&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent(seq.Name), Lparen: st.For, Args: []ast.Expr{fn}, Rparen: st.Body.Rbrace}},
			&ast.IfStmt{If: st.For,
				Cond: &ast.BinaryExpr{X: ast.NewIdent(state), Op: token.EQL, Y: intLit(2)},
				Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{Fun: ast.NewIdent(Prefix + "misuse"), Args: []ast.Expr{intLit(4)}}}}}},
			setInt(state, 3, st.For))
	}
	if x.returns {
		ret := &ast.ReturnStmt{Return: st.For}
		for _, t := range x.temps {
			ret.Results = append(ret.Results, ast.NewIdent(t))
		}
		out = append(out, codeIs(code, rangeReturn, ret))
	}
	for _, key := range x.order {
		b := x.branches[key]
		out = append(out, codeIs(code, x.codes[key], &ast.BranchStmt{TokPos: st.For, Tok: b.Tok, Label: ast.NewIdent(b.Label.Name)}))
	}
	return &ast.BlockStmt{Lbrace: st.For, List: out, Rbrace: st.Body.Rbrace}
}

// setInt returns the statement name = n.
func setInt(name string, n int, p token.Pos) ast.Stmt {
	return &ast.AssignStmt{Lhs: []ast.Expr{&ast.Ident{NamePos: p, Name: name}}, TokPos: p, Tok: token.ASSIGN, Rhs: []ast.Expr{intLit(n)}}
}

// codeIs returns: if code == n { then }.
func codeIs(code string, n int, then ast.Stmt) ast.Stmt {
	return &ast.IfStmt{
		Cond: &ast.BinaryExpr{X: ast.NewIdent(code), Op: token.EQL, Y: intLit(n)},
		Body: &ast.BlockStmt{List: []ast.Stmt{then}},
	}
}

func intLit(n int) ast.Expr { return &ast.BasicLit{Kind: token.INT, Value: strconv.Itoa(n)} }

func rangeSel(name string) ast.Expr {
	return &ast.SelectorExpr{X: ast.NewIdent(rangePkg), Sel: ast.NewIdent(name)}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// rangeVarCount is the number of iteration variables a range names (blank
// ones included).
func rangeVarCount(st *ast.RangeStmt) int {
	switch {
	case st.Value != nil:
		return 2
	case st.Key != nil:
		return 1
	}
	return 0
}

// RangeAt is a range statement the guesser could not type.
type RangeAt struct {
	Key  string // see posKey
	Vars int    // how many iteration variables the range declares
}

// posKey names a position by its place in the cell, which stays the same
// when the code is parsed again.
func (r *Rewriter) posKey(p token.Pos) string {
	if r.Fset == nil {
		return strconv.Itoa(int(p))
	}
	pos := r.Fset.Position(p)
	return fmt.Sprintf("%s:%d:%d", pos.Filename, pos.Line, pos.Column)
}

// fail records the first error the rewrite cannot express.
func (r *Rewriter) fail(p token.Pos, err error) {
	if r.Err != nil {
		return
	}
	if r.Fset != nil {
		err = fmt.Errorf("%s: %w", r.Fset.Position(p), err)
	}
	r.Err = err
}

// hasDefer reports whether a loop body has defer statements of its own
// function (not of function literals in it).
func hasDefer(b *ast.BlockStmt) bool {
	found := false
	ast.Inspect(b, func(c ast.Node) bool {
		switch c.(type) {
		case *ast.FuncLit:
			return false
		case *ast.DeferStmt:
			found = true
		}
		return !found
	})
	return found
}

// listDefers turns the defer statements of a loop body (outside function
// literals) into *list = append(*list, f), with f making the call with
// the arguments evaluated now.
func (r *Rewriter) listDefers(b *ast.BlockStmt, list string) {
	replaceStmts(b, func(s ast.Stmt) ast.Stmt {
		d, ok := s.(*ast.DeferStmt)
		if !ok {
			return s
		}
		target := &ast.StarExpr{X: ast.NewIdent(list)}
		return &ast.AssignStmt{Lhs: []ast.Expr{target}, TokPos: d.Defer, Tok: token.ASSIGN, Rhs: []ast.Expr{&ast.CallExpr{
			Fun:  ast.NewIdent("append"),
			Args: []ast.Expr{&ast.StarExpr{X: ast.NewIdent(list)}, r.callMaker(d.Call)},
		}}}
	})
}

// replaceStmts replaces the statements of every statement list in n
// (outside function literals) by f's result.
func replaceStmts(n ast.Node, f func(ast.Stmt) ast.Stmt) {
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.FuncLit:
			return false
		case *ast.BlockStmt:
			for i, s := range x.List {
				x.List[i] = f(s)
			}
		case *ast.CaseClause:
			for i, s := range x.Body {
				x.Body[i] = f(s)
			}
		case *ast.CommClause:
			for i, s := range x.Body {
				x.Body[i] = f(s)
			}
		case *ast.LabeledStmt:
			x.Stmt = f(x.Stmt)
		}
		return true
	})
}

// labelsIn returns the labels declared in b outside function literals.
func labelsIn(b *ast.BlockStmt) map[string]bool {
	m := map[string]bool{}
	ast.Inspect(b, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.FuncLit:
			return false
		case *ast.LabeledStmt:
			m[x.Label.Name] = true
		}
		return true
	})
	return m
}

// rangeExits rewrites the control flow of one loop body.
type rangeExits struct {
	r        *Rewriter
	label    *ast.Ident // the loop's own label
	fc       funcCtx
	inner    map[string]bool // labels declared in the body
	named    bool            // the function has named results
	temps    []string        // temporaries for unnamed results
	returns  bool            // the body returns
	codes    map[string]int  // "break L" -> exit code
	branches map[string]*ast.BranchStmt
	order    []string
	// exit makes the statement that leaves the body with an exit code.
	exit func(code int, p token.Pos) ast.Stmt
}

// block rewrites a statement list; inLoop and inSwitch say whether an
// unlabelled continue or break there belongs to a statement of the body.
func (x *rangeExits) block(list []ast.Stmt, inLoop, inSwitch bool) {
	for i, s := range list {
		list[i] = x.stmt(s, inLoop, inSwitch)
	}
}

func (x *rangeExits) stmt(s ast.Stmt, inLoop, inSwitch bool) ast.Stmt {
	switch st := s.(type) {
	case *ast.ReturnStmt:
		return x.ret(st)
	case *ast.BranchStmt:
		return x.branch(st, inLoop, inSwitch)
	case *ast.BlockStmt:
		x.block(st.List, inLoop, inSwitch)
	case *ast.LabeledStmt:
		st.Stmt = x.stmt(st.Stmt, inLoop, inSwitch)
	case *ast.IfStmt:
		x.block(st.Body.List, inLoop, inSwitch)
		if st.Else != nil {
			st.Else = x.stmt(st.Else, inLoop, inSwitch)
		}
	case *ast.ForStmt:
		x.block(st.Body.List, true, false)
	case *ast.RangeStmt:
		x.block(st.Body.List, true, false)
	case *ast.SwitchStmt:
		for _, c := range st.Body.List {
			x.block(c.(*ast.CaseClause).Body, inLoop, true)
		}
	case *ast.TypeSwitchStmt:
		for _, c := range st.Body.List {
			x.block(c.(*ast.CaseClause).Body, inLoop, true)
		}
	case *ast.SelectStmt:
		for _, c := range st.Body.List {
			x.block(c.(*ast.CommClause).Body, inLoop, true)
		}
	}
	return s
}

// ret rewrites a return of the enclosing function.
func (x *rangeExits) ret(st *ast.ReturnStmt) ast.Stmt {
	x.returns = true
	exit := x.exit(rangeReturn, st.Return)
	if len(st.Results) == 0 {
		return exit
	}
	var lhs []ast.Expr
	if x.named {
		for _, f := range x.fc.typ.Results.List {
			for _, n := range f.Names {
				lhs = append(lhs, ast.NewIdent(n.Name))
			}
		}
	} else {
		for _, t := range x.temps {
			lhs = append(lhs, ast.NewIdent(t))
		}
	}
	if len(lhs) == 0 {
		return exit // a cell's own code: nothing to return
	}
	return &ast.BlockStmt{Lbrace: st.Return, List: []ast.Stmt{
		&ast.AssignStmt{Lhs: lhs, TokPos: st.Return, Tok: token.ASSIGN, Rhs: st.Results},
		exit,
	}}
}

// branch rewrites break, continue and goto.
func (x *rangeExits) branch(st *ast.BranchStmt, inLoop, inSwitch bool) ast.Stmt {
	exit := func(code int) ast.Stmt { return x.exit(code, st.TokPos) }
	switch st.Tok {
	case token.GOTO:
		if !x.inner[st.Label.Name] {
			x.r.fail(st.TokPos, fmt.Errorf("goto %s leaves the body of a range over a function, which golit runs as a function literal; use break, continue or return instead", st.Label.Name))
		}
		return st
	case token.FALLTHROUGH:
		return st
	}
	if st.Label == nil {
		switch {
		case st.Tok == token.CONTINUE && !inLoop:
			return exit(rangeNext)
		case st.Tok == token.BREAK && !inLoop && !inSwitch:
			return exit(rangeBreak)
		}
		return st
	}
	if x.inner[st.Label.Name] {
		return st
	}
	if x.label != nil && st.Label.Name == x.label.Name {
		if st.Tok == token.CONTINUE {
			return exit(rangeNext)
		}
		return exit(rangeBreak)
	}
	key := st.Tok.String() + " " + st.Label.Name
	code, ok := x.codes[key]
	if !ok {
		code = rangeReturn + 1 + len(x.codes)
		x.codes[key] = code
		if x.branches == nil {
			x.branches = map[string]*ast.BranchStmt{}
		}
		x.branches[key] = st
		x.order = append(x.order, key)
	}
	return exit(code)
}

// exprString prints a short expression for messages.
func exprString(e ast.Expr) string {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name
	case *ast.SelectorExpr:
		return exprString(x.X) + "." + x.Sel.Name
	case *ast.CallExpr:
		return exprString(x.Fun) + "(…)"
	case *ast.ParenExpr:
		return "(" + exprString(x.X) + ")"
	case *ast.IndexExpr:
		return exprString(x.X) + "[…]"
	}
	return "the expression"
}

// typeExprOf writes a reflect type as source when it can be written in
// the code: predeclared types, named types of packages imported under a
// Name (pkgName gives it, "" when not imported), and composites of those.
func typeExprOf(t reflect.Type, pkgName func(path string) string) (ast.Expr, bool) {
	if t.Name() != "" {
		if t.PkgPath() == "" {
			return ast.NewIdent(t.Name()), true
		}
		if strings.ContainsAny(t.Name(), "[.") {
			return nil, false // an instance of a generic type
		}
		if n := pkgName(t.PkgPath()); n != "" {
			return &ast.SelectorExpr{X: ast.NewIdent(n), Sel: ast.NewIdent(t.Name())}, true
		}
		return nil, false
	}
	switch t.Kind() {
	case reflect.Slice:
		el, ok := typeExprOf(t.Elem(), pkgName)
		return &ast.ArrayType{Elt: el}, ok
	case reflect.Pointer:
		el, ok := typeExprOf(t.Elem(), pkgName)
		return &ast.StarExpr{X: el}, ok
	case reflect.Map:
		k, ok1 := typeExprOf(t.Key(), pkgName)
		v, ok2 := typeExprOf(t.Elem(), pkgName)
		return &ast.MapType{Key: k, Value: v}, ok1 && ok2
	case reflect.Func:
		if t.IsVariadic() {
			return nil, false
		}
		ft := &ast.FuncType{Params: &ast.FieldList{}, Results: &ast.FieldList{}}
		for i := 0; i < t.NumIn(); i++ {
			e, ok := typeExprOf(t.In(i), pkgName)
			if !ok {
				return nil, false
			}
			ft.Params.List = append(ft.Params.List, &ast.Field{Type: e})
		}
		for i := 0; i < t.NumOut(); i++ {
			e, ok := typeExprOf(t.Out(i), pkgName)
			if !ok {
				return nil, false
			}
			ft.Results.List = append(ft.Results.List, &ast.Field{Type: e})
		}
		return ft, true
	}
	return nil, false
}

// plainArgs converts the arguments of a call of a generic function of an
// interpreted standard package (slices, maps) whose type is a named map
// or slice type of compiled code (url.Values, http.Header, sort.IntSlice)
// to the unnamed type, and function values of compiled code (iterators
// such as strings.SplitSeq's) to a function type written in the source:
// yaegi v0.16.1 cannot infer type arguments from those, and crashes (CFG
// post-order panic) or reports "undefined type for E".
func (r *Rewriter) plainArgs(call *ast.CallExpr, sc *gscope) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	if p := r.Paths[id.Name]; p != "slices" && p != "maps" {
		return
	}
	for i, a := range call.Args {
		t := r.guess.exprType(a, sc)
		if t != nil && t.rt == nil && t.expr != nil {
			t = &gtype{rt: r.guess.compiledType(t.expr)}
		}
		if t == nil || t.rt == nil {
			continue
		}
		var plain reflect.Type
		switch t.rt.Kind() {
		case reflect.Map:
			plain = reflect.MapOf(t.rt.Key(), t.rt.Elem())
		case reflect.Slice:
			plain = reflect.SliceOf(t.rt.Elem())
		case reflect.Func:
			// A function of compiled code (an iterator such as
			// strings.SplitSeq's): yaegi infers nothing from its type.
			var in, out []reflect.Type
			for i := 0; i < t.rt.NumIn(); i++ {
				in = append(in, t.rt.In(i))
			}
			for i := 0; i < t.rt.NumOut(); i++ {
				out = append(out, t.rt.Out(i))
			}
			plain = reflect.FuncOf(in, out, t.rt.IsVariadic())
		default:
			continue
		}
		if plain == t.rt && t.rt.Kind() != reflect.Func {
			continue // already unnamed
		}
		if te, ok := typeExprOf(plain, r.guess.pkgName); ok {
			call.Args[i] = &ast.CallExpr{Fun: &ast.ParenExpr{X: te}, Args: []ast.Expr{a}}
		}
	}
}
