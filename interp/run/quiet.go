package run

import (
	"go/ast"
	"go/token"

	"github.com/golit/golit/interp/rewrite"
)

// Quiet programs. execute runs a cell's program in a goroutine of its own
// and waits for it, for an interrupt or for the cell's end by an os.Exit or
// a goroutine's panic, because the program may block or never return (an
// os.Exit parks the goroutine that calls it for good). Starting that
// goroutine wakes a second thread and grows a fresh stack: on a trivial
// cell (`1 + 1`, `x := 42`, `var y = 7`, a function declaration) it was a
// fifth of the engine's time.
//
// A program that calls nothing, loops nowhere and touches no channel can
// do none of that: it runs to its end or panics within moments, and no
// code but its own runs meanwhile. quiet recognises such programs from
// their syntax, after the rewrites; execute runs them on the calling
// goroutine. Function declarations count as quiet (their bodies do not
// run); an init function's body, a variable's initializer and every
// statement run must be. The calls allowed are the engine's own
// (golit__result of a quiet value, golit__rt.Done of a frame), the
// conversions to predeclared basic types and len and cap, unless the
// notebook declares those names, and fmt.Print, Println and Printf of
// constants (printConsts). Anything else (another call, a loop, goto,
// switch, select, go, a receive or a send) makes the program run as
// before, in its own goroutine. TestQuiet lists examples both ways.

// quiet reports whether running n (a file or a block compiled by
// compileRun) can neither block, loop, call code nor end its goroutine.
// declared reports whether the notebook declares a name; imported returns
// the import path of a package name ("" if none).
func quiet(n ast.Node, declared func(string) bool, imported func(string) string) bool {
	q := quietCheck{declared: declared, imported: imported}
	switch n := n.(type) {
	case *ast.File:
		for _, d := range n.Decls {
			if !q.decl(d) {
				return false
			}
		}
		return true
	case *ast.BlockStmt:
		return q.stmts(n.List)
	}
	return false
}

type quietCheck struct {
	declared func(string) bool
	imported func(string) string
}

func (q quietCheck) decl(d ast.Decl) bool {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv == nil && d.Name.Name == "init" {
			return d.Body != nil && q.stmts(d.Body.List)
		}
		return true // declared, not run
	case *ast.GenDecl:
		if d.Tok != token.VAR {
			return true // imports, constants, types
		}
		for _, s := range d.Specs {
			vs, ok := s.(*ast.ValueSpec)
			if !ok || !q.exprs(vs.Values) {
				return false
			}
		}
		return true
	}
	return false
}

func (q quietCheck) stmts(list []ast.Stmt) bool { return all(list, q.stmt) }

func (q quietCheck) stmt(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.ExprStmt:
		return q.expr(s.X)
	case *ast.AssignStmt:
		return q.exprs(s.Lhs) && q.exprs(s.Rhs)
	case *ast.IncDecStmt:
		return q.expr(s.X)
	case *ast.DeclStmt:
		return q.decl(s.Decl)
	case *ast.DeferStmt:
		return isFrameDone(s.Call)
	case *ast.BlockStmt:
		return q.stmts(s.List)
	case *ast.IfStmt:
		return (s.Init == nil || q.stmt(s.Init)) && q.expr(s.Cond) && q.stmts(s.Body.List) &&
			(s.Else == nil || q.stmt(s.Else))
	case *ast.EmptyStmt:
		return true
	}
	return false // loops, go, select, send, labels, goto, switch, return
}

func (q quietCheck) exprs(list []ast.Expr) bool { return all(list, q.expr) }

// all reports whether ok holds for every element of list.
func all[T any](list []T, ok func(T) bool) bool {
	for _, v := range list {
		if !ok(v) {
			return false
		}
	}
	return true
}

func (q quietCheck) expr(x ast.Expr) bool {
	switch x := x.(type) {
	case nil:
		return true
	case *ast.BasicLit, *ast.Ident, *ast.FuncLit:
		return true // a function literal's body runs only when called
	case *ast.ParenExpr:
		return q.expr(x.X)
	case *ast.SelectorExpr:
		return q.expr(x.X)
	case *ast.StarExpr:
		return q.expr(x.X)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && q.expr(x.X)
	case *ast.BinaryExpr:
		return q.expr(x.X) && q.expr(x.Y)
	case *ast.IndexExpr:
		return q.expr(x.X) && q.expr(x.Index)
	case *ast.SliceExpr:
		return q.expr(x.X) && q.expr(x.Low) && q.expr(x.High) && q.expr(x.Max)
	case *ast.TypeAssertExpr:
		return q.expr(x.X)
	case *ast.KeyValueExpr:
		return q.expr(x.Key) && q.expr(x.Value)
	case *ast.CompositeLit:
		return q.exprs(x.Elts)
	case *ast.CallExpr:
		return q.call(x)
	}
	return false
}

// quietCalls are the predeclared functions and types a quiet program may
// call: conversions to basic types, len and cap.
var quietCalls = map[string]bool{
	"bool": true, "string": true, "byte": true, "rune": true,
	"int": true, "int8": true, "int16": true, "int32": true, "int64": true,
	"uint": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "uintptr": true,
	"float32": true, "float64": true, "complex64": true, "complex128": true,
	"len": true, "cap": true,
}

func (q quietCheck) call(c *ast.CallExpr) bool {
	if isFrameDone(c) || q.printConsts(c) {
		return true
	}
	id, ok := c.Fun.(*ast.Ident)
	if !ok || len(c.Args) != 1 || c.Ellipsis.IsValid() || !q.expr(c.Args[0]) {
		return false
	}
	if id.Name == rewrite.Prefix+"result" {
		return true // hands the value to the engine (prelude.go)
	}
	return quietCalls[id.Name] && !q.declared(id.Name)
}

// printConsts reports whether c is fmt.Print, Println or Printf of
// constants written in place (literals and operators on them): compiled
// code that writes to the process's stdout, which the engine reads all the
// time, and formats no value of the notebook's (whose String method would
// be code of the cell's).
func (q quietCheck) printConsts(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || c.Ellipsis.IsValid() {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || q.imported == nil || q.imported(pkg.Name) != "fmt" || q.declared(pkg.Name) {
		return false
	}
	switch sel.Sel.Name {
	case "Print", "Println", "Printf":
	default:
		return false
	}
	for _, a := range c.Args {
		if !constExpr(a) {
			return false
		}
	}
	return true
}

// constExpr reports whether x is made of literals and operators only.
func constExpr(x ast.Expr) bool {
	switch x := x.(type) {
	case *ast.BasicLit:
		return true
	case *ast.ParenExpr:
		return constExpr(x.X)
	case *ast.UnaryExpr:
		return x.Op != token.ARROW && x.Op != token.AND && constExpr(x.X)
	case *ast.BinaryExpr:
		return constExpr(x.X) && constExpr(x.Y)
	}
	return false
}

// importPath returns the import path of the notebook's package name (for
// quiet), "" if it has none.
func (e *Session) importPath(name string) string { return e.imports[name] }

// declares reports whether the notebook declares name, or yaegi's main
// scope holds it (for quiet).
func (e *Session) declares(name string) bool {
	if e.decls.byName[name] != nil {
		return true
	}
	_, ok := e.global(name)
	return ok
}

// isFrameDone reports whether c is runFramed's golit__rt.Done(n).
func isFrameDone(c *ast.CallExpr) bool {
	sel, ok := c.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Done" || len(c.Args) != 1 {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok || pkg.Name != rewrite.RuntimePkg {
		return false
	}
	_, ok = c.Args[0].(*ast.BasicLit)
	return ok
}
