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
//     process.
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
}

func (r *rewriter) fresh(what string) string {
	r.n++
	return fmt.Sprintf("%s%s%d", golitPrefix, what, r.n)
}

// rewrite applies every rewrite to n (a file or a block) in place.
func (r *rewriter) rewrite(n ast.Node) {
	r.collectInts(n)
	r.rewriteNode(n)
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
		if r.isIntExpr(st.X) && st.Value == nil {
			return r.rangeInt(st, nil)
		}
		return r.rangeCopy(st)
	case *ast.ForStmt:
		return r.forCopy(st, nil)
	case *ast.LabeledStmt:
		switch inner := st.Stmt.(type) {
		case *ast.ForStmt:
			st.Stmt = r.forCopy(inner, st.Label)
		case *ast.RangeStmt:
			if r.isIntExpr(inner.X) && inner.Value == nil {
				blk := r.rangeInt(inner, st.Label).(*ast.BlockStmt)
				blk.List[1] = &ast.LabeledStmt{Label: st.Label, Colon: st.Colon, Stmt: blk.List[1]}
				return blk
			}
			st.Stmt = r.rangeCopy(inner)
		}
		return st
	case *ast.GoStmt:
		return r.goGuard(st)
	}
	return s
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

// rangeCopy gives a range loop per-iteration variables when needed.
func (r *rewriter) rangeCopy(st *ast.RangeStmt) ast.Stmt {
	if st.Tok != token.DEFINE || !capturesLoopVars(st.Body) {
		return st
	}
	var names []ast.Expr
	for _, e := range []ast.Expr{st.Key, st.Value} {
		if id, ok := e.(*ast.Ident); ok && id.Name != "_" {
			names = append(names, id)
		}
	}
	if len(names) == 0 {
		return st
	}
	st.Body.List = append([]ast.Stmt{copyVars(names)}, st.Body.List...)
	return st
}

// copyVars returns a, b := a, b.
func copyVars(names []ast.Expr) ast.Stmt {
	var lhs, rhs []ast.Expr
	for _, n := range names {
		id := n.(*ast.Ident)
		lhs = append(lhs, ast.NewIdent(id.Name))
		rhs = append(rhs, ast.NewIdent(id.Name))
	}
	return &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs}
}

// forCopy gives a three-clause loop per-iteration variables when its body
// may keep a reference to them:
//
//	for i := 0; i < n; i++ { body }
//
// becomes
//
//	for i' := 0; i' < n; i'++ { i := i'; body; i' = i }
//
// with i' = i also before every continue of this loop, so a body that
// changes i changes the loop as in Go.
func (r *rewriter) forCopy(st *ast.ForStmt, label *ast.Ident) ast.Stmt {
	init, ok := st.Init.(*ast.AssignStmt)
	if !ok || init.Tok != token.DEFINE || !capturesLoopVars(st.Body) {
		return st
	}
	rename := map[string]string{}
	var inner, outer []ast.Expr
	for _, l := range init.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok || id.Name == "_" {
			continue
		}
		o := r.fresh(id.Name)
		rename[id.Name] = o
		inner = append(inner, ast.NewIdent(id.Name))
		outer = append(outer, ast.NewIdent(o))
	}
	if len(rename) == 0 {
		return st
	}
	for _, l := range init.Lhs {
		if id, ok := l.(*ast.Ident); ok && rename[id.Name] != "" {
			id.Name = rename[id.Name]
		}
	}
	renameIdents(st.Cond, rename)
	if st.Post != nil {
		renameIdents(st.Post, rename)
	}
	copyIn := &ast.AssignStmt{Lhs: inner, Tok: token.DEFINE, Rhs: outer}
	copyBack := func() ast.Stmt {
		var l, rr []ast.Expr
		for i := range inner {
			l = append(l, ast.NewIdent(outer[i].(*ast.Ident).Name))
			rr = append(rr, ast.NewIdent(inner[i].(*ast.Ident).Name))
		}
		return &ast.AssignStmt{Lhs: l, Tok: token.ASSIGN, Rhs: rr}
	}
	labelName := ""
	if label != nil {
		labelName = label.Name
	}
	addCopyBackBeforeContinue(st.Body, labelName, copyBack)
	body := []ast.Stmt{copyIn}
	body = append(body, st.Body.List...)
	body = append(body, copyBack())
	st.Body = &ast.BlockStmt{Lbrace: st.Body.Lbrace, List: body, Rbrace: st.Body.Rbrace}
	return st
}

// addCopyBackBeforeContinue prefixes every continue that targets the loop
// whose body is b with the statement mk returns.
func addCopyBackBeforeContinue(b *ast.BlockStmt, label string, mk func() ast.Stmt) {
	done := map[*ast.BranchStmt]bool{}
	var walk func(n ast.Node, depth int)
	walk = func(n ast.Node, depth int) {
		ast.Inspect(n, func(c ast.Node) bool {
			switch x := c.(type) {
			case *ast.FuncLit:
				return false
			case *ast.ForStmt:
				if x.Body != nil && c != n {
					walk(x.Body, depth+1)
					return false
				}
			case *ast.RangeStmt:
				if c != n {
					walk(x.Body, depth+1)
					return false
				}
			case *ast.BlockStmt:
				replaceContinues(x.List, depth, label, mk, done)
			case *ast.CaseClause:
				replaceContinues(x.Body, depth, label, mk, done)
			case *ast.CommClause:
				replaceContinues(x.Body, depth, label, mk, done)
			}
			return true
		})
	}
	walk(b, 0)
}

func replaceContinues(list []ast.Stmt, depth int, label string, mk func() ast.Stmt, done map[*ast.BranchStmt]bool) {
	for i, s := range list {
		br, ok := s.(*ast.BranchStmt)
		if !ok || br.Tok != token.CONTINUE || done[br] {
			continue
		}
		done[br] = true
		if (br.Label == nil && depth == 0) || (br.Label != nil && br.Label.Name == label && label != "") {
			list[i] = &ast.BlockStmt{List: []ast.Stmt{mk(), br}}
		}
	}
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

// goGuard rewrites go f(a, b) into
//
//	{ a', b' := a, b; go func() { defer golit__rt.GoGuard(recover()) ... }() }
//
// Arguments that are not constants are evaluated before the goroutine
// starts, as Go specifies.
func (r *rewriter) goGuard(st *ast.GoStmt) ast.Stmt {
	call := st.Call
	var pre []ast.Stmt
	var lhs, rhs []ast.Expr
	args := make([]ast.Expr, len(call.Args))
	for i, a := range call.Args {
		if r.isConstExpr(a) {
			args[i] = a
			continue
		}
		t := ast.NewIdent(r.fresh("a"))
		lhs = append(lhs, t)
		rhs = append(rhs, a)
		args[i] = ast.NewIdent(t.Name)
	}
	fun := call.Fun
	if fl, ok := fun.(*ast.FuncLit); ok {
		t := ast.NewIdent(r.fresh("f"))
		lhs = append([]ast.Expr{t}, lhs...)
		rhs = append([]ast.Expr{fl}, rhs...)
		fun = ast.NewIdent(t.Name)
	}
	if len(lhs) > 0 {
		pre = append(pre, &ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: rhs})
	}
	inner := &ast.CallExpr{Fun: fun, Args: args, Ellipsis: call.Ellipsis}
	// defer func() { if r := recover(); r != nil { golit__rt.GoPanic(r) } }()
	rec := ast.NewIdent(r.fresh("r"))
	guard := &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{&ast.IfStmt{
			Init: &ast.AssignStmt{Lhs: []ast.Expr{rec}, Tok: token.DEFINE, Rhs: []ast.Expr{&ast.CallExpr{Fun: ast.NewIdent("recover")}}},
			Cond: &ast.BinaryExpr{X: ast.NewIdent(rec.Name), Op: token.NEQ, Y: ast.NewIdent("nil")},
			Body: &ast.BlockStmt{List: []ast.Stmt{&ast.ExprStmt{X: &ast.CallExpr{
				Fun:  &ast.SelectorExpr{X: ast.NewIdent(rtPkgName), Sel: ast.NewIdent("GoPanic")},
				Args: []ast.Expr{ast.NewIdent(rec.Name)},
			}}}},
		}}},
	}}}
	gofunc := &ast.GoStmt{Go: st.Go, Call: &ast.CallExpr{Fun: &ast.FuncLit{
		Type: &ast.FuncType{Func: st.Go, Params: &ast.FieldList{}},
		Body: &ast.BlockStmt{List: []ast.Stmt{guard, &ast.ExprStmt{X: inner}}},
	}}}
	pre = append(pre, gofunc)
	return &ast.BlockStmt{List: pre}
}

// isConstExpr reports whether e is certainly a constant (so copying it into
// a variable could change its type).
func (r *rewriter) isConstExpr(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.BasicLit:
		return true
	case *ast.Ident:
		return x.Name == "true" || x.Name == "false" || x.Name == "nil" || r.consts[x.Name]
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

// hasGolitPrefix reports whether a name was made by a rewrite.
func hasGolitPrefix(s string) bool { return strings.HasPrefix(s, golitPrefix) }
