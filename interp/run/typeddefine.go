package run

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"

	"github.com/golit/golit/interp/rewrite"

	"github.com/golit/golit/interp/parse"
)

// Notebook variables initialised by generic calls. yaegi v0.16.1 types a
// package-level variable (a cell's x := ... or var x = ...) before it
// compiles the code that initialises it, and for a call of a generic
// function it takes the result type of the uninstantiated function:
//
//	o := sync.OnceValue(f)                  // internal error: reflect.Type is nil
//	keys := slices.Sorted(maps.Keys(m))     // internal error: nil pointer dereference
//	var xs []int = slices.Repeat(ys, 2)     // compiles, and leaves xs nil
//
// Inside a function the same calls are compiled in order and work. The
// engine therefore asks yaegi for the type of the initialiser, compiling
// (not running) it inside a function literal whose only job is to fail
// with a message naming it (probeType), and defines the variable with a
// conversion to that type, which yaegi types without looking into the
// call:
//
//	o := (func() int)(sync.OnceValue(f))
//
// A definition of several variables from one call (next, stop :=
// iter.Pull(seq)) declares them with their types first and assigns them
// in a function literal.

// probeTypeName is a notebook type nothing can be assigned to: assigning to
// it makes yaegi name the type of what is assigned.
const probeTypeName = rewrite.Prefix + "never"

// probeDecl declares probeTypeName (compiled with the prelude).
const probeDecl = "\ntype " + probeTypeName + " struct{ " + probeTypeName + " int }\n"

// probeRE matches the message yaegi gives for the probe.
var probeRE = regexp.MustCompile(`cannot use type (.+) as type main\.` + probeTypeName + ` in assignment`)

// untypedRE matches the untyped constant types yaegi may print.
var untypedRE = regexp.MustCompile(`untyped (bool|int|rune|float|complex|string)`)

// untypedDefaults are the default types of untyped constants.
var untypedDefaults = map[string]string{
	"bool": "bool", "int": "int", "rune": "rune", "float": "float64", "complex": "complex128", "string": "string",
}

// mainQualRE matches the package qualifier yaegi gives notebook types.
var mainQualRE = regexp.MustCompile(`\bmain\.`)

// probeType returns the type of result i of x (i < 0 for a single value)
// as source, or false when yaegi cannot say or the type cannot be
// written in the cell.
func (e *Session) probeType(cell *cellRun, x ast.Expr, n, i int) (ast.Expr, bool) {
	return e.probeTypeIn(cell, nil, nil, x, n, i)
}

// probeTypeIn is probeType for an initialiser in declaration file in,
// compiled with decls.
func (e *Session) probeTypeIn(cell *cellRun, in *ast.File, decls []ast.Decl, x ast.Expr, n, i int) (ast.Expr, bool) {
	// func() { golit__p0, ..., golit__pn := x; var _ golit__never = golit__pi }
	var lhs []ast.Expr
	for k := 0; k < n; k++ {
		lhs = append(lhs, ast.NewIdent(fmt.Sprintf("%sp%d", rewrite.Prefix, k)))
	}
	if i < 0 {
		i = 0
	}
	body := []ast.Stmt{
		&ast.AssignStmt{Lhs: lhs, Tok: token.DEFINE, Rhs: []ast.Expr{parse.CloneExpr(x)}},
		&ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{&ast.ValueSpec{
			Names: []*ast.Ident{ast.NewIdent("_")}, Type: ast.NewIdent(probeTypeName), Values: []ast.Expr{ast.NewIdent(lhs[i].(*ast.Ident).Name)}}}}},
	}
	for k := range lhs {
		if k != i {
			body = append(body, &ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_")}, Tok: token.ASSIGN, Rhs: []ast.Expr{ast.NewIdent(lhs[k].(*ast.Ident).Name)}})
		}
	}
	var probe ast.Node = e.newBlock(&ast.ExprStmt{X: &ast.FuncLit{Type: &ast.FuncType{Params: &ast.FieldList{}}, Body: &ast.BlockStmt{List: body}}})
	if in != nil {
		// With declarations of a group: a file of them and a probe function.
		decls := append(append([]ast.Decl{}, decls...), &ast.FuncDecl{
			Name: ast.NewIdent(probeTypeName + "Func"),
			Type: &ast.FuncType{Func: in.Package, Params: &ast.FieldList{}},
			Body: &ast.BlockStmt{List: body},
		})
		probe = &ast.File{Package: in.Package, Name: in.Name, Decls: decls}
	}
	_, err := e.compileOnly(probe)
	if err == nil {
		return nil, false
	}
	m := probeRE.FindStringSubmatch(err.Error())
	if m == nil {
		return nil, false
	}
	text := mainQualRE.ReplaceAllString(m[1], "")
	// yaegi instantiates Gen("s") with T an untyped constant type.
	text = untypedRE.ReplaceAllStringFunc(text, func(u string) string {
		return untypedDefaults[strings.TrimPrefix(u, "untyped ")]
	})
	t, perr := parser.ParseExpr(text)
	if perr != nil {
		return nil, false
	}
	// Every package the type names must be imported in this cell.
	ok := true
	ast.Inspect(t, func(c ast.Node) bool {
		if sel, isSel := c.(*ast.SelectorExpr); isSel {
			if id, isID := sel.X.(*ast.Ident); isID {
				if _, imported := e.imports[id.Name]; !imported {
					ok = false
				}
			}
			return false
		}
		return true
	})
	return t, ok
}

// compileOnly compiles a node without running it.
func (e *Session) compileOnly(n ast.Node) (struct{}, error) {
	var err error
	func() {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("internal interpreter error while compiling: %v", r)
			}
		}()
		e.runMu.Lock()
		e.runMu.Unlock()
		_, err = e.yi.CompileAST(n)
	}()
	return struct{}{}, err
}

// typedInitFailure reports whether a compile error of a variable's
// definition is one the typed definition may cure.
func typedInitFailure(x *execError) bool {
	if x == nil || x.kind != "compile" {
		return false
	}
	m := x.err.Error()
	return strings.HasPrefix(m, "internal interpreter error while compiling") ||
		strings.HasSuffix(m, "constant definition loop") ||
		strings.Contains(m, "not a generic type")
}

// typedDefine compiles and runs a failed top-level definition as x :=
// (T)(init), and reports whether it could; x is the failure, returned
// when the typed form cannot be made.
func (e *Session) typedDefine(cell *cellRun, as *ast.AssignStmt, x *execError) *execError {
	if !typedInitFailure(x) || len(as.Lhs) != len(as.Rhs) || !hasCall(&ast.CompositeLit{Elts: as.Rhs}) {
		return x
	}
	out := &ast.AssignStmt{Lhs: as.Lhs, TokPos: as.TokPos, Tok: token.DEFINE}
	for _, rhs := range as.Rhs {
		t, ok := e.probeType(cell, rhs, 1, -1)
		if !ok {
			return x
		}
		out.Rhs = append(out.Rhs, &ast.CallExpr{Fun: &ast.ParenExpr{X: t}, Args: []ast.Expr{rhs}})
	}
	if _, y := e.compileRun(cell.ctx, e.newBlock(out)); y != nil {
		return x
	}
	return nil
}

// typedMultiDefine runs a failed golit__mv0, golit__mv1 := f() (see
// splitMultiDefines) as var declarations and an assignment.
func (e *Session) typedMultiDefine(cell *cellRun, as *ast.AssignStmt, x *execError) *execError {
	if !typedInitFailure(x) || len(as.Rhs) != 1 || len(as.Lhs) < 2 {
		return x
	}
	var decls []ast.Stmt
	assign := &ast.AssignStmt{TokPos: as.TokPos, Tok: token.ASSIGN, Rhs: as.Rhs}
	for i, l := range as.Lhs {
		id, ok := l.(*ast.Ident)
		if !ok {
			return x
		}
		assign.Lhs = append(assign.Lhs, ast.NewIdent(id.Name))
		if id.Name == "_" {
			continue
		}
		t, ok := e.probeType(cell, as.Rhs[0], len(as.Lhs), i)
		if !ok {
			return x
		}
		decls = append(decls, &ast.DeclStmt{Decl: &ast.GenDecl{Tok: token.VAR, Specs: []ast.Spec{
			&ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(id.Name)}, Type: t}}}})
	}
	for _, d := range decls {
		if _, y := e.compileRun(cell.ctx, e.newBlock(d)); y != nil {
			return x
		}
	}
	return e.runFramed(cell.ctx, []ast.Stmt{assign})
}

// compileDecls compiles a declaration group. Its var specs whose
// initialisers call generic functions (yaegi v0.16.1 gives those variables
// their zero value, or fails) are declared with their types instead, and
// assigned after the group in a function literal:
//
//	var once = sync.OnceValue(load)
//
// becomes
//
//	var once func() Config   // with the group
//	func() { once = sync.OnceValue(load) }()
//
// The type comes from probeType, compiled with the declarations of the
// group the initialiser may need (those that do not use the variables).
func (e *Session) compileDecls(cell *cellRun, f *ast.File) *execError {
	var late []*ast.ValueSpec
	lateNames := map[string]bool{}
	var rest []ast.Decl
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.VAR {
			rest = append(rest, d)
			continue
		}
		var keep []ast.Spec
		for _, sp := range gd.Specs {
			vs := sp.(*ast.ValueSpec)
			if e.callsGeneric(f, vs.Values) {
				late = append(late, vs)
				for _, n := range vs.Names {
					lateNames[n.Name] = true
				}
				continue
			}
			keep = append(keep, sp)
		}
		if len(keep) > 0 {
			rest = append(rest, &ast.GenDecl{Doc: gd.Doc, TokPos: gd.TokPos, Tok: gd.Tok, Lparen: gd.Lparen, Specs: keep, Rparen: gd.Rparen})
		}
	}
	if len(late) == 0 {
		_, x := e.compileRun(cell.ctx, f)
		return x
	}
	// The declarations a probe may compile with.
	var safe []ast.Decl
	for _, d := range rest {
		uses := false
		for n := range parse.IdentsOf(d) {
			if lateNames[n] {
				uses = true
			}
		}
		if !uses {
			safe = append(safe, d)
		}
	}
	var typed []ast.Spec
	var post []ast.Stmt
	for _, vs := range late {
		assign := &ast.AssignStmt{TokPos: vs.Pos(), Tok: token.ASSIGN, Rhs: vs.Values}
		for i, n := range vs.Names {
			assign.Lhs = append(assign.Lhs, ast.NewIdent(n.Name))
			if n.Name == "_" {
				continue
			}
			t := vs.Type
			if t == nil {
				var ok bool
				var x ast.Expr
				k, idx := 1, -1
				if len(vs.Values) == len(vs.Names) {
					x = vs.Values[i]
				} else if len(vs.Values) == 1 {
					x, k, idx = vs.Values[0], len(vs.Names), i
				} else {
					return &execError{kind: "compile", err: fmt.Errorf("%s: assignment mismatch: %d variables but %d values", e.yi.FileSet().Position(vs.Pos()), len(vs.Names), len(vs.Values))}
				}
				if t, ok = e.probeTypeIn(cell, f, safe, x, k, idx); !ok {
					// Let yaegi say what is wrong.
					_, y := e.compileRun(cell.ctx, f)
					return y
				}
			}
			typed = append(typed, &ast.ValueSpec{Names: []*ast.Ident{ast.NewIdent(n.Name)}, Type: t})
		}
		post = append(post, assign)
	}
	decls := f.Decls
	f.Decls = append([]ast.Decl{&ast.GenDecl{Tok: token.VAR, Specs: typed}}, rest...)
	_, x := e.compileRun(cell.ctx, f)
	f.Decls = decls
	if x != nil {
		return x
	}
	return e.runFramed(cell.ctx, post)
}

// callsGeneric reports whether the expressions call a generic function.
func (e *Session) callsGeneric(f *ast.File, xs []ast.Expr) bool {
	found := false
	for _, x := range xs {
		ast.Inspect(x, func(c ast.Node) bool {
			if call, ok := c.(*ast.CallExpr); ok && e.isGenericCall(f, call) {
				found = true
			}
			return !found
		})
	}
	return found
}

// isGenericCall reports whether c calls a generic function, as far as the
// source shows: an explicit instantiation, a function declared with type
// parameters (in the file or the notebook), golit's own generic helpers,
// or a function of a package interpreted from source (slices, maps, cmp,
// iter).
func (e *Session) isGenericCall(f *ast.File, c *ast.CallExpr) bool {
	switch fn := c.Fun.(type) {
	case *ast.IndexExpr, *ast.IndexListExpr:
		return true
	case *ast.Ident:
		if rewrite.HasPrefix(fn.Name) {
			return true
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == fn.Name {
				return fd.Type.TypeParams != nil
			}
		}
		if d := e.decls.byName[fn.Name]; d != nil && d.Kind == parse.FuncDecl {
			fd, ok := parse.ParseDeclaration(d).(*ast.FuncDecl)
			return ok && fd.Type.TypeParams != nil
		}
	case *ast.SelectorExpr:
		id, ok := fn.X.(*ast.Ident)
		if !ok {
			return false
		}
		p, ok := e.imports[id.Name]
		if !ok && sourcePackages[id.Name] {
			p, ok = id.Name, true // visible without an import
		}
		if !ok {
			return false
		}
		_, compiled := e.allSymbols()[p][fn.Sel.Name]
		return !compiled && sourcePackages[p]
	}
	return false
}

// sourcePackages are the standard packages yaegi interprets from source.
var sourcePackages = map[string]bool{"slices": true, "maps": true, "cmp": true, "iter": true}
