package interp

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
)

// The rewrites below make yaegi v0.16.1 run the Go of the release that built
// golit, and make goroutines safe:
//
//   - for i := range n, with n an integer, becomes a three-clause loop;
//   - loop variables are per iteration (Go 1.22) when the body could keep a
//     reference to them (a closure, a go or defer statement, &v);
//   - go f(x) evaluates f's arguments at once, as Go does, and runs the call
//     under a deferred recover that reports a panic instead of crashing the
//     process;
//   - sync.OnceValue, sync.OnceValues and atomic.Pointer, generic members of
//     compiled packages, become golit's interpreted versions (stdgeneric.go);
//   - for x := range seq, with seq a function, calls seq with the body as
//     its yield function (rangefunc.go).
//
// The rewritten code refers to names that start with golitPrefix, which a
// cell cannot declare by accident.

const golitPrefix = "golit__"

// rewriter carries what the rewrites need to know about the notebook.
type rewriter struct {
	n int
	// isIntGlobal reports whether a notebook variable or constant holds an
	// integer; nil means no globals are known.
	isIntGlobal func(name string) bool
	// ints holds names that hold an integer in the code being rewritten.
	ints map[string]bool
	// pkgs holds the names of imported packages, never loop-captured values.
	pkgs map[string]bool
	// consts holds names of constants, which go statements need not copy.
	consts map[string]bool
	// isNotebookConst reports whether the notebook declares name as a
	// constant (looked up per name: the notebook may hold thousands).
	isNotebookConst func(name string) bool
	// paths maps imported package names to import paths.
	paths map[string]string
	// isDeclared reports whether the notebook declares a name; nil means
	// nothing is known.
	isDeclared func(name string) bool
	// capturedAssign holds the assignments of function literals to
	// variables they capture (see recvAssign).
	capturedAssign map[*ast.AssignStmt]bool

	// For ranges over functions (rangefunc.go):
	nb    notebookTypes  // what the notebook knows about types
	guess *guesser       // made for the code being rewritten
	fset  *token.FileSet // positions of the code, for messages
	force rangeForce     // ranges to treat as ranges over functions
	// unknownRanges are the ranges whose operand the guesser could not type.
	unknownRanges []rangeAt
	// funcRanges are the positions of the ranges over functions rewritten.
	funcRanges []token.Pos
	// err is a construct the rewrite cannot express (reported as a
	// compile error of the cell).
	err error
}

func (r *rewriter) fresh(what string) string {
	r.n++
	return fmt.Sprintf("%s%s%d", golitPrefix, what, r.n)
}

// rewrite applies every rewrite to n (a file or a block) in place.
func (r *rewriter) rewrite(n ast.Node) {
	r.newExprs(n)
	r.collectInts(n)
	r.laterStd(n)
	r.stdGenerics(n)
	r.iterParams(n)
	r.rangeFuncs(n)
	r.capturedAssign = capturedAssigns(n)
	r.rewriteNode(n)
	r.builtinPrints(n)
}

// rangeOverIterator rewrites ranges over the standard iterators of maps and
// slices (yaegi cannot range over functions) into ranges over the map or
// slice itself: for k := range maps.Keys(m) becomes for k := range m.
func (r *rewriter) rangeOverIterator(st *ast.RangeStmt) {
	call, ok := st.X.(*ast.CallExpr)
	if !ok || len(call.Args) != 1 {
		return
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok {
		return
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	blank := func() ast.Expr { return ast.NewIdent("_") }
	switch r.paths[id.Name] + "." + sel.Sel.Name {
	case "maps.Keys", "maps.All", "slices.All":
		st.X = call.Args[0]
	case "maps.Values", "slices.Values":
		st.X = call.Args[0]
		if st.Key != nil {
			st.Value = st.Key
			st.Key = blank()
		}
	}
}

// rewriteNode walks n bottom-up and replaces statements in their lists.
func (r *rewriter) rewriteNode(n ast.Node) {
	ast.Inspect(n, func(c ast.Node) bool {
		switch b := c.(type) {
		case *ast.BlockStmt:
			for _, s := range b.List {
				r.rewriteNode(s)
			}
			for i, s := range b.List {
				b.List[i] = r.rewriteStmt(s)
			}
			return false
		case *ast.CaseClause:
			for _, s := range b.Body {
				r.rewriteNode(s)
			}
			for i, s := range b.Body {
				b.Body[i] = r.rewriteStmt(s)
			}
			return false
		case *ast.CommClause:
			if b.Comm != nil {
				r.rewriteNode(b.Comm)
			}
			if as, ok := b.Comm.(*ast.AssignStmt); ok {
				if blk, ok := r.recvAssign(as).(*ast.BlockStmt); ok {
					// case v = <-ch: becomes case t := <-ch: v = t.
					b.Comm = blk.List[0]
					b.Body = append([]ast.Stmt{blk.List[1]}, b.Body...)
				}
			}
			for _, s := range b.Body {
				r.rewriteNode(s)
			}
			for i, s := range b.Body {
				b.Body[i] = r.rewriteStmt(s)
			}
			return false
		}
		return true
	})
}

// rewriteStmt returns the replacement of one statement whose children are
// already rewritten.
func (r *rewriter) rewriteStmt(s ast.Stmt) ast.Stmt {
	switch st := s.(type) {
	case *ast.RangeStmt:
		copyBodyCaptures(st.Body)
		r.rangeOverIterator(st)
		if r.isIntExpr(st.X) && st.Value == nil {
			return r.rangeInt(st, nil)
		}
		return r.rangeCopy(st, nil)
	case *ast.ForStmt:
		copyBodyCaptures(st.Body)
		return r.forCopy(st, nil)
	case *ast.LabeledStmt:
		switch inner := st.Stmt.(type) {
		case *ast.ForStmt:
			copyBodyCaptures(inner.Body)
			st.Stmt = r.forCopy(inner, st.Label)
		case *ast.RangeStmt:
			copyBodyCaptures(inner.Body)
			r.rangeOverIterator(inner)
			if r.isIntExpr(inner.X) && inner.Value == nil {
				blk := r.rangeInt(inner, st.Label).(*ast.BlockStmt)
				blk.List[1] = &ast.LabeledStmt{Label: st.Label, Colon: st.Colon, Stmt: blk.List[1]}
				return blk
			}
			st.Stmt = r.rangeCopy(inner, st.Label)
		}
		return st
	case *ast.GoStmt:
		return r.goLaunch(st)
	case *ast.AssignStmt:
		return r.recvAssign(st)
	}
	return s
}

// recvAssign rewrites v = <-ch in a function literal, where v is a
// variable the literal captures, into
//
//	{ golit__rN := <-ch; v = golit__rN }
//
// (and v, ok = <-ch likewise). yaegi v0.16.1 stores a received value by
// replacing the variable's slot in the running frame instead of setting
// the variable, so in a closure the value lands in the closure's copy of
// the enclosing frame and is lost; a plain assignment sets the shared
// variable. The receive still happens before the assignment, as in Go.
// Elsewhere the statement is left alone: a variable defined by x := <-ch
// holds a value that cannot be set, only replaced, so x = t would panic.
func (r *rewriter) recvAssign(st *ast.AssignStmt) ast.Stmt {
	if st.Tok != token.ASSIGN || len(st.Rhs) != 1 || !r.capturedAssign[st] {
		return st
	}
	if u, ok := st.Rhs[0].(*ast.UnaryExpr); !ok || u.Op != token.ARROW {
		return st
	}
	define := &ast.AssignStmt{TokPos: st.TokPos, Tok: token.DEFINE, Rhs: st.Rhs}
	assign := &ast.AssignStmt{TokPos: st.TokPos, Tok: token.ASSIGN}
	for _, l := range st.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			return st
		}
		if id.Name == "_" {
			define.Lhs = append(define.Lhs, ast.NewIdent("_"))
			continue
		}
		tmp := r.fresh("r")
		define.Lhs = append(define.Lhs, ast.NewIdent(tmp))
		assign.Lhs = append(assign.Lhs, id)
		assign.Rhs = append(assign.Rhs, ast.NewIdent(tmp))
	}
	if len(assign.Lhs) == 0 {
		return st
	}
	return &ast.BlockStmt{Lbrace: st.Pos(), List: []ast.Stmt{define, assign}, Rbrace: st.End()}
}

// rangeInt turns for k := range n into
//
//	{ n' := n; for k := n' - n'; k < n'; k++ { ... } }
//
// so that k has n's type, as in Go 1.22.
func (r *rewriter) rangeInt(st *ast.RangeStmt, label *ast.Ident) ast.Stmt {
	lim := ast.NewIdent(r.fresh("n"))
	key := st.Key
	if key == nil || isBlankIdent(key) {
		key = ast.NewIdent(r.fresh("i"))
	}
	define := st.Tok == token.DEFINE || st.Key == nil || isBlankIdent(st.Key)
	var init ast.Stmt
	zero := &ast.BinaryExpr{X: lim, Op: token.SUB, Y: ast.NewIdent(lim.Name)}
	if define {
		init = &ast.AssignStmt{Lhs: []ast.Expr{key}, Tok: token.DEFINE, Rhs: []ast.Expr{zero}}
	} else {
		init = &ast.AssignStmt{Lhs: []ast.Expr{key}, Tok: token.ASSIGN, Rhs: []ast.Expr{zero}}
	}
	loop := &ast.ForStmt{
		For:  st.For,
		Init: init,
		Cond: &ast.BinaryExpr{X: copyExpr(key), Op: token.LSS, Y: ast.NewIdent(lim.Name)},
		Post: &ast.IncDecStmt{X: copyExpr(key), Tok: token.INC},
		Body: st.Body,
	}
	var inner ast.Stmt = r.forCopy(loop, label)
	return &ast.BlockStmt{List: []ast.Stmt{
		&ast.AssignStmt{Lhs: []ast.Expr{lim}, Tok: token.DEFINE, Rhs: []ast.Expr{st.X}},
		inner,
	}}
}

// rangeCopy gives a range loop per-iteration variables when needed (see
// perIteration).
func (r *rewriter) rangeCopy(st *ast.RangeStmt, label *ast.Ident) ast.Stmt {
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
func (r *rewriter) forCopy(st *ast.ForStmt, label *ast.Ident) ast.Stmt {
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
func (r *rewriter) perIteration(loop ast.Stmt, body **ast.BlockStmt, inner, outer []string, copyBack bool) ast.Stmt {
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

func isBlankIdent(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && id.Name == "_"
}

func copyExpr(e ast.Expr) ast.Expr {
	if id, ok := e.(*ast.Ident); ok {
		return ast.NewIdent(id.Name)
	}
	return e
}

// callMaker returns an expression of type func() that, evaluated now,
// captures the function and arguments of call in a fresh frame and returns
// a func() making the call later.
func (r *rewriter) callMaker(call *ast.CallExpr) ast.Expr {
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

// cellDefers turns defer statements that belong to the cell itself (not to
// a function it declares) into golit__rt.Defer(...): yaegi would keep them
// on the notebook's global frame and run them again after later cells. The
// engine runs them, last first, when the cell ends.
func (r *rewriter) cellDefers(b *ast.BlockStmt) {
	var visit func(n ast.Node)
	visit = func(n ast.Node) {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.BlockStmt:
				for i, s := range x.List {
					if d, ok := s.(*ast.DeferStmt); ok {
						x.List[i] = &ast.ExprStmt{X: &ast.CallExpr{
							Fun:  &ast.SelectorExpr{X: ast.NewIdent(rtPkgName), Sel: ast.NewIdent("Defer")},
							Args: []ast.Expr{r.callMaker(d.Call)},
						}}
					}
				}
			case *ast.CaseClause:
				visit(&ast.BlockStmt{List: x.Body})
			case *ast.CommClause:
				visit(&ast.BlockStmt{List: x.Body})
			}
			return true
		})
	}
	visit(b)
}

// isConstExpr reports whether e is certainly a constant (so copying it into
// a variable could change its type).
func (r *rewriter) isConstExpr(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return x.Name == "true" || x.Name == "false" || x.Name == "nil" || r.consts[x.Name] || r.isNotebookConst != nil && r.isNotebookConst(x.Name)
	case *ast.SelectorExpr:
		// pkg.Name: a package-level constant or variable; reading it late is
		// harmless and keeps untyped constants untyped.
		if id, ok := x.X.(*ast.Ident); ok && r.pkgs[id.Name] {
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

// intTypes are the names of Go's integer types.
var intTypes = map[string]bool{
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true,
	"uintptr": true, "byte": true, "rune": true,
}

// isIntExpr guesses, without type checking, whether e is an integer.
func (r *rewriter) isIntExpr(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return x.Kind == token.INT
	case *ast.Ident:
		if r.ints[x.Name] {
			return true
		}
		return r.isIntGlobal != nil && r.isIntGlobal(x.Name)
	case *ast.ParenExpr:
		return r.isIntExpr(x.X)
	case *ast.UnaryExpr:
		return (x.Op == token.SUB || x.Op == token.ADD || x.Op == token.XOR) && r.isIntExpr(x.X)
	case *ast.BinaryExpr:
		switch x.Op {
		case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.AND, token.OR, token.XOR, token.SHL, token.SHR, token.AND_NOT:
			if x.Op == token.SHL || x.Op == token.SHR {
				return r.isIntExpr(x.X)
			}
			return r.isIntExpr(x.X) || r.isIntExpr(x.Y)
		}
	case *ast.CallExpr:
		if id, ok := x.Fun.(*ast.Ident); ok {
			return id.Name == "len" || id.Name == "cap" || intTypes[id.Name]
		}
	}
	return false
}

// collectInts records names that hold integers in n: variables and
// parameters declared with an integer type or initialised from an integer
// expression.
func (r *rewriter) collectInts(n ast.Node) {
	if r.ints == nil {
		r.ints = map[string]bool{}
	}
	if r.consts == nil {
		r.consts = map[string]bool{}
	}
	for pass := 0; pass < 3; pass++ {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE && len(x.Lhs) == len(x.Rhs) {
					for i, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok && r.isIntExpr(x.Rhs[i]) {
							r.ints[id.Name] = true
						}
					}
				}
			case *ast.ValueSpec:
				isInt := false
				if t, ok := x.Type.(*ast.Ident); ok && intTypes[t.Name] {
					isInt = true
				}
				for i, id := range x.Names {
					if isInt || (x.Type == nil && i < len(x.Values) && r.isIntExpr(x.Values[i])) {
						r.ints[id.Name] = true
					}
				}
			case *ast.GenDecl:
				if x.Tok == token.CONST {
					for _, s := range x.Specs {
						for _, id := range s.(*ast.ValueSpec).Names {
							r.consts[id.Name] = true
						}
					}
				}
			case *ast.Field:
				if t, ok := x.Type.(*ast.Ident); ok && intTypes[t.Name] {
					for _, id := range x.Names {
						r.ints[id.Name] = true
					}
				}
			}
			return true
		})
	}
}

// rtPkgName is the name the runtime support package is imported under.
const rtPkgName = golitPrefix + "rt"

// renameMain renames func main in a pasted program so that yaegi does not
// run it again after every later cell; it reports whether main was found.
func renameMain(f *ast.File) bool {
	found := false
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
			fd.Name.Name = mainName
			found = true
		}
	}
	return found
}

// mainName is what func main of a pasted program is renamed to.
const mainName = golitPrefix + "main"

// hasGolitPrefix reports whether a name belongs to the engine: made by a
// rewrite (golit__), or a hidden variable of the magics (_golit).
func hasGolitPrefix(s string) bool {
	return strings.HasPrefix(s, golitPrefix) || strings.HasPrefix(s, "_golit")
}

// capturedAssigns finds the assignments in function literals of n whose
// variables (all those not blank) are not declared in that literal: the
// literal assigns variables it captured. Names are compared, so a name
// declared anywhere in the literal counts as its own.
func capturedAssigns(n ast.Node) map[*ast.AssignStmt]bool {
	out := map[*ast.AssignStmt]bool{}
	ast.Inspect(n, func(c ast.Node) bool {
		fl, ok := c.(*ast.FuncLit)
		if !ok {
			return true
		}
		declared := map[string]bool{}
		var assigns []*ast.AssignStmt
		for _, fields := range []*ast.FieldList{fl.Type.Params, fl.Type.Results} {
			if fields == nil {
				continue
			}
			for _, f := range fields.List {
				for _, id := range f.Names {
					declared[id.Name] = true
				}
			}
		}
		ast.Inspect(fl.Body, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.FuncLit:
				return false // seen by the outer walk
			case *ast.AssignStmt:
				if x.Tok == token.DEFINE {
					for _, l := range x.Lhs {
						if id, ok := l.(*ast.Ident); ok {
							declared[id.Name] = true
						}
					}
				} else {
					assigns = append(assigns, x)
				}
			case *ast.ValueSpec:
				for _, id := range x.Names {
					declared[id.Name] = true
				}
			case *ast.RangeStmt:
				if x.Tok == token.DEFINE {
					for _, e := range []ast.Expr{x.Key, x.Value} {
						if id, ok := e.(*ast.Ident); ok {
							declared[id.Name] = true
						}
					}
				}
			}
			return true
		})
		for _, as := range assigns {
			captured := true
			for _, l := range as.Lhs {
				if id, ok := l.(*ast.Ident); ok && declared[id.Name] {
					captured = false
				}
			}
			if captured {
				out[as] = true
			}
		}
		return true
	})
	return out
}
