package rewrite

import (
	"go/ast"
	"go/token"
	"sort"

	"github.com/golit/golit/interp/parse"
)

// copyBodyCaptures gives each function literal made in a loop body its own
// copy of the body's variables that it captures.
//
// yaegi v0.16.1 keeps one slot per variable in a function's frame, and a
// function literal handed to compiled code (eventloop's CreateTask, a
// pool's Submit, time.AfterFunc, ...) refers to that frame, not to a copy
// of it. A loop body such as
//
//	for {
//		conn := c.(net.Conn)
//		l.CreateTask(func() (any, error) { ... conn ... })
//	}
//
// thus makes tasks that all see the last conn. Go gives conn a new variable
// per iteration. The rewrite turns the literal F into
//
//	func() T { conn := conn; return F }()
//
// with T the literal's own type: the call makes a new frame per iteration
// for F to capture. Loops whose body can move into a function literal get
// per-iteration variables from perIteration instead; this one also works
// for bodies that return or defer.
//
// A copy is only the same program as Go's when nobody can see the
// difference, so a variable is copied only when it is declared with := in
// the body's own statement list, is never assigned, incremented or
// addressed again, is not used by the body outside function literals, and
// is captured by a single literal.
//
// Proved by TestScenarios "closures given to compiled code capture loop
// body variables per iteration" (interp/run/engine_test.go).
func copyBodyCaptures(body *ast.BlockStmt) {
	if body == nil {
		return
	}
	// Candidates: names declared once by := in the body's statement list.
	declaredAt := map[string]int{}
	twice := map[string]bool{}
	for i, s := range body.List {
		as, ok := s.(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE {
			continue
		}
		for _, l := range as.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name == "_" || HasPrefix(id.Name) {
				continue
			}
			if _, seen := declaredAt[id.Name]; seen {
				twice[id.Name] = true
			}
			declaredAt[id.Name] = i
		}
	}
	if len(declaredAt) == 0 {
		return
	}
	bad := map[string]bool{}
	for n := range twice {
		bad[n] = true
	}
	// Names changed anywhere in the body (closures included) or used by
	// the body itself outside function literals.
	for i, s := range body.List {
		markChanged(s, bad, s)
		usedOutsideLits(s, func(name string) {
			if at, ok := declaredAt[name]; ok && at != i {
				bad[name] = true
			}
		})
	}
	// Function literals of each statement after the declaration, and the
	// candidates each one captures.
	litsUsing := map[string]int{}
	type litUse struct {
		lit   *ast.FuncLit
		names []string
	}
	var uses []litUse
	for i, s := range body.List {
		eachTopFuncLit(s, func(fl *ast.FuncLit) {
			var names []string
			for n := range parse.IdentsOf(fl.Body) {
				if at, ok := declaredAt[n]; ok && at < i && !bad[n] {
					names = append(names, n)
				}
			}
			for _, n := range names {
				litsUsing[n]++
			}
			uses = append(uses, litUse{fl, names})
		})
	}
	copies := map[*ast.FuncLit][]string{}
	for _, u := range uses {
		for _, n := range u.names {
			if litsUsing[n] == 1 {
				copies[u.lit] = append(copies[u.lit], n)
			}
		}
	}
	if len(copies) == 0 {
		return
	}
	for _, s := range body.List {
		replaceTopFuncLits(s, func(fl *ast.FuncLit) ast.Expr {
			names := copies[fl]
			if len(names) == 0 {
				return fl
			}
			sort.Strings(names)
			var l, r []ast.Expr
			for _, n := range names {
				l = append(l, ast.NewIdent(n))
				r = append(r, ast.NewIdent(n))
			}
			return &ast.CallExpr{Fun: &ast.FuncLit{
				Type: &ast.FuncType{Func: fl.Pos(), Params: &ast.FieldList{}, Results: &ast.FieldList{List: []*ast.Field{{Type: fl.Type}}}},
				Body: &ast.BlockStmt{List: []ast.Stmt{
					&ast.AssignStmt{Lhs: l, Tok: token.DEFINE, Rhs: r},
					&ast.ReturnStmt{Results: []ast.Expr{fl}},
				}},
			}}
		})
	}
}

// markChanged adds to bad every name that n assigns (other than by decl,
// the := statement n may itself be), increments, or takes the address of.
func markChanged(n ast.Node, bad map[string]bool, decl ast.Stmt) {
	mark := func(e ast.Expr) {
		if id, ok := e.(*ast.Ident); ok {
			bad[id.Name] = true
		}
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.AssignStmt:
			if c == ast.Node(decl) && x.Tok == token.DEFINE {
				return true
			}
			for _, l := range x.Lhs {
				mark(l)
			}
		case *ast.IncDecStmt:
			mark(x.X)
		case *ast.UnaryExpr:
			if x.Op == token.AND {
				mark(x.X)
			}
		case *ast.RangeStmt:
			mark(x.Key)
			mark(x.Value)
		}
		return true
	})
}

// usedOutsideLits calls f for each identifier of n outside function
// literals, field selectors and the left side of := statements.
func usedOutsideLits(n ast.Node, f func(string)) {
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.FuncLit:
			return false
		case *ast.SelectorExpr:
			usedOutsideLits(x.X, f)
			return false
		case *ast.AssignStmt:
			if x.Tok == token.DEFINE {
				for _, r := range x.Rhs {
					usedOutsideLits(r, f)
				}
				return false
			}
		case *ast.Ident:
			f(x.Name)
		}
		return true
	})
}

// eachTopFuncLit calls f for each function literal in n that is not inside
// another one.
func eachTopFuncLit(n ast.Node, f func(*ast.FuncLit)) {
	ast.Inspect(n, func(c ast.Node) bool {
		if fl, ok := c.(*ast.FuncLit); ok {
			f(fl)
			return false
		}
		return true
	})
}

// replaceTopFuncLits replaces the function literals of n that are not
// inside another one, where they are call arguments or callees, assigned,
// returned, sent, or elements of composite literals.
func replaceTopFuncLits(n ast.Node, f func(*ast.FuncLit) ast.Expr) {
	repl := func(e ast.Expr) ast.Expr {
		if fl, ok := e.(*ast.FuncLit); ok {
			return f(fl)
		}
		return e
	}
	ast.Inspect(n, func(c ast.Node) bool {
		switch x := c.(type) {
		case *ast.FuncLit:
			return false
		case *ast.CallExpr:
			for i, a := range x.Args {
				x.Args[i] = repl(a)
			}
		case *ast.AssignStmt:
			for i, r := range x.Rhs {
				x.Rhs[i] = repl(r)
			}
		case *ast.ValueSpec:
			for i, v := range x.Values {
				x.Values[i] = repl(v)
			}
		case *ast.ReturnStmt:
			for i, r := range x.Results {
				x.Results[i] = repl(r)
			}
		case *ast.SendStmt:
			x.Value = repl(x.Value)
		case *ast.CompositeLit:
			for i, el := range x.Elts {
				x.Elts[i] = repl(el)
			}
		case *ast.KeyValueExpr:
			x.Value = repl(x.Value)
		}
		return true
	})
}
