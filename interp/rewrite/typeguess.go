package rewrite

import (
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"sync"

	"github.com/golit/golit/interp/parse"
)

// The range-over-function rewrite must know, before yaegi compiles a cell,
// which range statements range over a function, and how many values each
// iteration yields. There is no type checker to ask (yaegi types code only
// while compiling it, and fails on these ranges), so the guesser below
// follows the types that the source and the notebook make plain: declared
// parameter, result, variable and field types, := from function literals,
// from calls of functions whose results are declared (in the cell, in the
// notebook, in golit's interpreted packages), from compiled package
// functions and methods (their reflect types), and the runtime types of
// notebook variables. What it cannot follow it reports as unknown; the
// engine then lets yaegi try (see interp/run/rangeretry.go, retryRangeFuncs).
//
// It is the passes' shared helper, not a pass. Proved through the range
// over function rewrite: TestModernGo "range over function iterators"
// (interp/run/modern_test.go) and rewrite_test.go.

// gtype is a guessed type: a type expression of the source (expr, resolved
// in the guesser's scopes), or the reflect type of a compiled or runtime
// value (rt). At most one is set.
type gtype struct {
	expr ast.Expr
	rt   reflect.Type
	// write is set when expr can be written where the code being
	// rewritten is: it comes from that code (a declared parameter or
	// variable type, a function literal) or from a notebook declaration,
	// once the type parameters in params are substituted.
	write bool
	// params are type parameters expr may mention that nothing
	// substitutes (a generic function's, a generic receiver's).
	params map[string]bool
	// recvParams are the type parameters of a generic method's receiver.
	recvParams []ast.Expr
	// subst maps the type parameters of a generic type or function whose
	// syntax expr comes from to the types of its instantiation.
	subst map[string]ast.Expr
}

// Notebook is what the guesser may ask of the notebook.
type Notebook struct {
	// Global returns the value of a notebook variable (invalid when none).
	Global func(name string) reflect.Value
	// Decl returns the declaration of a notebook name (nil when none).
	Decl func(name string) *parse.Declaration
	// Methods returns the notebook's methods named name.
	Methods func(name string) []*parse.Declaration
	// Symbol returns a symbol of a compiled package by import path.
	Symbol func(path, name string) (reflect.Value, bool)
}

// gscope is one lexical scope of the code being rewritten.
type gscope struct {
	up   *gscope
	vars map[string]gvar
}

// gvar is what a scope knows about one name.
type gvar struct {
	typ    ast.Expr // declared type
	init   ast.Expr // or the expression it was defined from
	index  int      // which result of init, for a, b := f()
	isType bool     // the name is a type (typ is its definition), or a type parameter (typ nil)
	sc     *gscope  // the scope init is to be read in
	rt     reflect.Type
}

func newScope(up *gscope) *gscope { return &gscope{up: up, vars: map[string]gvar{}} }

func (s *gscope) lookup(name string) (gvar, bool) {
	for ; s != nil; s = s.up {
		if v, ok := s.vars[name]; ok {
			return v, true
		}
	}
	return gvar{}, false
}

// declare records the names of a field list (parameters, results).
func (s *gscope) declareFields(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, n := range f.Names {
			s.vars[n.Name] = gvar{typ: f.Type}
		}
	}
}

// declareTypeParams records type parameters, whose types are unknown.
func (s *gscope) declareTypeParams(fl *ast.FieldList) {
	if fl == nil {
		return
	}
	for _, f := range fl.List {
		for _, n := range f.Names {
			s.vars[n.Name] = gvar{isType: true}
		}
	}
}

// declareStmt records what a statement of a block declares for the
// statements after it.
func (s *gscope) declareStmt(st ast.Stmt) {
	switch x := st.(type) {
	case *ast.AssignStmt:
		if x.Tok != token.DEFINE {
			return
		}
		for i, l := range x.Lhs {
			id, ok := l.(*ast.Ident)
			if !ok || id.Name == "_" {
				continue
			}
			switch {
			case len(x.Rhs) == len(x.Lhs):
				s.vars[id.Name] = gvar{init: x.Rhs[i], sc: s, index: -1}
			case len(x.Rhs) == 1:
				s.vars[id.Name] = gvar{init: x.Rhs[0], sc: s, index: i}
			}
		}
	case *ast.DeclStmt:
		gd, ok := x.Decl.(*ast.GenDecl)
		if !ok {
			return
		}
		s.declareGen(gd)
	case *ast.LabeledStmt:
		s.declareStmt(x.Stmt)
	}
}

// declareGen records the names of a var, const or type declaration.
func (s *gscope) declareGen(gd *ast.GenDecl) {
	for _, sp := range gd.Specs {
		switch x := sp.(type) {
		case *ast.ValueSpec:
			for i, n := range x.Names {
				switch {
				case x.Type != nil:
					s.vars[n.Name] = gvar{typ: x.Type}
				case i < len(x.Values) && len(x.Values) == len(x.Names):
					s.vars[n.Name] = gvar{init: x.Values[i], sc: s, index: -1}
				case len(x.Values) == 1:
					s.vars[n.Name] = gvar{init: x.Values[0], sc: s, index: i}
				default:
					s.vars[n.Name] = gvar{}
				}
			}
		case *ast.TypeSpec:
			s.vars[x.Name.Name] = gvar{typ: x.Type, isType: true, init: typeParamsOf(x)}
		}
	}
}

// typeParamsOf keeps a type declaration's type parameters (as a FuncType
// holding them) for instantiation; nil when it has none.
func typeParamsOf(ts *ast.TypeSpec) ast.Expr {
	if ts.TypeParams == nil {
		return nil
	}
	return &ast.FuncType{TypeParams: ts.TypeParams}
}

// guesser follows types for one rewrite.
type guesser struct {
	nb    Notebook
	paths map[string]string // imported package names -> import paths
	file  *gscope           // the declarations of the file being rewritten
	// fileMethods are the methods the file being rewritten declares.
	fileMethods []*ast.FuncDecl
	// parsed caches notebook declarations parsed from their source.
	parsed map[*parse.Declaration]ast.Decl
	depth  int
}

// newGuesser prepares a guesser for code n; the top-level declarations of
// a file are visible everywhere in it.
func newGuesser(nb Notebook, paths map[string]string, n ast.Node) *guesser {
	g := &guesser{nb: nb, paths: paths, file: newScope(nil), parsed: map[*parse.Declaration]ast.Decl{}}
	if f, ok := n.(*ast.File); ok {
		for _, d := range f.Decls {
			switch x := d.(type) {
			case *ast.GenDecl:
				g.file.declareGen(x)
			case *ast.FuncDecl:
				if x.Recv == nil {
					g.file.vars[x.Name.Name] = gvar{typ: x.Type}
				} else {
					g.fileMethods = append(g.fileMethods, x)
				}
			}
		}
	}
	return g
}

// parseDecl returns the syntax of a notebook declaration.
func (g *guesser) parseDecl(d *parse.Declaration) ast.Decl {
	if d == nil {
		return nil
	}
	if x, ok := g.parsed[d]; ok {
		return x
	}
	out := parse.ParseDeclaration(d)
	g.parsed[d] = out
	return out
}

// plainNotebookFunc reports whether name, in scope sc, is a function the
// notebook declares without type parameters: what lookup would find from
// the declaration's source, told without parsing it (the calls of a cell
// asked it for every call, parsing the function each time).
func (g *guesser) plainNotebookFunc(name string, sc *gscope) bool {
	if g.nb.Decl == nil {
		return false
	}
	if _, ok := sc.lookup(name); ok {
		return false
	}
	if _, ok := g.file.vars[name]; ok {
		return false
	}
	d := g.nb.Decl(name)
	if d == nil || d.Kind != parse.FuncDecl {
		return false
	}
	// "func name(" with no "name[" anywhere (a doc comment could show
	// one): the signature has no type parameters.
	return strings.Contains(d.Src, "func "+name+"(") && !strings.Contains(d.Src, name+"[")
}

// lookup finds what a name means: in the scopes of the code, in the file,
// then in the notebook.
func (g *guesser) lookup(name string, sc *gscope) (gvar, bool) {
	if v, ok := sc.lookup(name); ok {
		return v, true
	}
	if v, ok := g.file.vars[name]; ok {
		return v, true
	}
	if g.nb.Global != nil {
		if v := g.nb.Global(name); v.IsValid() && v.Kind() != reflect.Invalid {
			if d := g.nb.Decl(name); d == nil || d.Kind == parse.VarDecl {
				// A variable: its runtime type is exact, unless it holds an
				// interface (the runtime type is then the dynamic one).
				if d != nil {
					if gd, ok := g.parseDecl(d).(*ast.GenDecl); ok {
						s := newScope(nil)
						s.declareGen(gd)
						if v, ok := s.vars[name]; ok && v.typ != nil {
							return v, true
						}
					}
				}
				return gvar{rt: v.Type()}, true
			}
		}
	}
	if g.nb.Decl == nil {
		return gvar{}, false
	}
	d := g.nb.Decl(name)
	switch x := g.parseDecl(d).(type) {
	case *ast.FuncDecl:
		return gvar{typ: x.Type}, true
	case *ast.GenDecl:
		s := newScope(nil)
		s.declareGen(x)
		v, ok := s.vars[name]
		return v, ok
	}
	return gvar{}, false
}

// exprType guesses the type of a value expression; nil when unknown.
func (g *guesser) exprType(e ast.Expr, sc *gscope) *gtype {
	g.depth++
	defer func() { g.depth-- }()
	if g.depth > 40 {
		return nil
	}
	switch x := e.(type) {
	case *ast.ParenExpr:
		return g.exprType(x.X, sc)
	case *ast.FuncLit:
		return &gtype{expr: x.Type, write: true}
	case *ast.BasicLit:
		if x.Kind == token.STRING { // the default type (a range over "ab")
			return &gtype{expr: ast.NewIdent("string"), write: true}
		}
	case *ast.CompositeLit:
		if x.Type != nil {
			return &gtype{expr: x.Type, write: true}
		}
	case *ast.Ident:
		v, ok := g.lookup(x.Name, sc)
		if !ok || v.isType {
			return nil
		}
		return g.varType(v)
	case *ast.CallExpr:
		return g.callType(x, sc, 0)
	case *ast.TypeAssertExpr:
		if x.Type != nil {
			return &gtype{expr: x.Type, write: true}
		}
	case *ast.SelectorExpr:
		return g.selectorType(x, sc)
	case *ast.IndexExpr:
		t := g.exprType(x.X, sc)
		if t == nil {
			return nil
		}
		if rt := t.rt; rt != nil {
			switch rt.Kind() {
			case reflect.Map, reflect.Slice, reflect.Array:
				return &gtype{rt: rt.Elem()}
			}
			return nil
		}
		// A generic function instantiated explicitly: F[int].
		if ft, ok := t.expr.(*ast.FuncType); ok && ft.TypeParams != nil {
			return t
		}
		// An element of a map, slice or array.
		switch u := g.underlying(t).expr.(type) {
		case *ast.MapType:
			return t.with(u.Value)
		case *ast.ArrayType:
			return t.with(u.Elt)
		}
	case *ast.IndexListExpr:
		if t := g.exprType(x.X, sc); t != nil {
			if ft, ok := t.expr.(*ast.FuncType); ok && ft.TypeParams != nil {
				return t
			}
		}
	case *ast.UnaryExpr:
		switch x.Op {
		case token.AND:
			if t := g.exprType(x.X, sc); t != nil && t.expr != nil {
				return t.with(&ast.StarExpr{X: t.expr})
			}
		case token.ARROW: // <-ch: the channel's element
			t := g.exprType(x.X, sc)
			if t == nil {
				return nil
			}
			if t.rt != nil {
				if t.rt.Kind() == reflect.Chan {
					return &gtype{rt: t.rt.Elem()}
				}
				return nil
			}
			if ct, ok := g.underlying(t).expr.(*ast.ChanType); ok {
				return t.with(ct.Value)
			}
		case token.SUB, token.ADD, token.XOR:
			return g.exprType(x.X, sc)
		}
	case *ast.BinaryExpr:
		return g.binaryType(x, sc)
	case *ast.StarExpr:
		if t := g.exprType(x.X, sc); t != nil {
			if t.rt != nil && t.rt.Kind() == reflect.Pointer {
				return &gtype{rt: t.rt.Elem()}
			}
			if t.expr != nil {
				if st, ok := g.underlying(t).expr.(*ast.StarExpr); ok {
					return t.with(st.X)
				}
			}
		}
	}
	return nil
}

// rangeVars are the key and value variables of a range (not over a
// function) over a value of type t; unknown ones are zero.
func (g *guesser) rangeVars(t *gtype) [2]gvar {
	var out [2]gvar
	intT := reflect.TypeOf(0)
	if t == nil {
		return out
	}
	if rt := t.rt; rt != nil {
		switch rt.Kind() {
		case reflect.Slice, reflect.Array:
			out[0], out[1] = gvar{rt: intT}, gvar{rt: rt.Elem()}
		case reflect.Pointer:
			if rt.Elem().Kind() == reflect.Array {
				out[0], out[1] = gvar{rt: intT}, gvar{rt: rt.Elem().Elem()}
			}
		case reflect.Map:
			out[0], out[1] = gvar{rt: rt.Key()}, gvar{rt: rt.Elem()}
		case reflect.String:
			out[0], out[1] = gvar{rt: intT}, gvar{rt: reflect.TypeOf('a')}
		case reflect.Chan:
			out[0] = gvar{rt: rt.Elem()}
		}
		return out
	}
	if !t.write || len(t.params) > 0 {
		return out
	}
	typ := func(e ast.Expr) gvar { return gvar{typ: parse.CloneExpr(g.substExpr(e, t.subst))} }
	switch u := g.underlying(t).expr.(type) {
	case *ast.ArrayType:
		out[0], out[1] = gvar{rt: intT}, typ(u.Elt)
	case *ast.MapType:
		out[0], out[1] = typ(u.Key), typ(u.Value)
	case *ast.ChanType:
		out[0] = typ(u.Value)
	case *ast.Ident:
		if u.Name == "string" {
			out[0], out[1] = gvar{rt: intT}, gvar{rt: reflect.TypeOf('a')}
		}
	}
	return out
}

// predeclared are Go's predeclared types, by name.
var predeclared = map[string]reflect.Type{
	"bool": reflect.TypeOf(false), "string": reflect.TypeOf(""), "int": reflect.TypeOf(0),
	"int8": reflect.TypeOf(int8(0)), "int16": reflect.TypeOf(int16(0)), "int32": reflect.TypeOf(int32(0)),
	"int64": reflect.TypeOf(int64(0)), "uint": reflect.TypeOf(uint(0)), "uint8": reflect.TypeOf(uint8(0)),
	"uint16": reflect.TypeOf(uint16(0)), "uint32": reflect.TypeOf(uint32(0)), "uint64": reflect.TypeOf(uint64(0)),
	"uintptr": reflect.TypeOf(uintptr(0)), "float32": reflect.TypeOf(float32(0)), "float64": reflect.TypeOf(0.0),
	"complex64": reflect.TypeOf(complex64(0)), "complex128": reflect.TypeOf(0i), "byte": reflect.TypeOf(byte(0)),
	"rune": reflect.TypeOf(rune(0)),
}

// builtinCallType is the type of a call of a predeclared function or a
// conversion to a predeclared type (name is not declared in scope).
func (g *guesser) builtinCallType(name string, c *ast.CallExpr, sc *gscope) *gtype {
	if _, ok := predeclared[name]; ok && len(c.Args) == 1 {
		return &gtype{expr: ast.NewIdent(name), write: true}
	}
	switch name {
	case "make":
		if len(c.Args) >= 1 {
			switch c.Args[0].(type) {
			case *ast.ChanType, *ast.MapType, *ast.ArrayType:
				return &gtype{expr: c.Args[0], write: true}
			}
		}
	case "len", "cap", "copy":
		return &gtype{rt: reflect.TypeOf(0)}
	case "min", "max":
		var lits []*ast.BasicLit
		for _, a := range c.Args {
			if l := constLit(a); l != nil {
				lits = append(lits, l)
				continue
			}
			return g.exprType(a, sc)
		}
		if len(lits) > 0 && lits[0].Kind != token.STRING {
			return &gtype{expr: ast.NewIdent(defaultType(lits)), write: true}
		}
	}
	return nil
}

// binaryType is the type of an arithmetic or shift expression: that of
// its typed operand (x+0.5 has x's type), the left one for a shift.
// Comparisons and logical operators give an untyped bool, left unknown.
func (g *guesser) binaryType(x *ast.BinaryExpr, sc *gscope) *gtype {
	switch x.Op {
	case token.SHL, token.SHR:
		return g.exprType(x.X, sc)
	case token.ADD, token.SUB, token.MUL, token.QUO, token.REM, token.AND, token.OR, token.XOR, token.AND_NOT:
		if constLit(x.X) == nil {
			if t := g.exprType(x.X, sc); t != nil {
				return t
			}
		}
		if constLit(x.Y) == nil {
			return g.exprType(x.Y, sc)
		}
	}
	return nil
}

// varType is the type of what a scope entry names.
func (g *guesser) varType(v gvar) *gtype {
	switch {
	case v.rt != nil:
		return &gtype{rt: v.rt}
	case v.typ != nil:
		return &gtype{expr: v.typ, write: true}
	case v.init != nil && v.index < 0:
		return g.exprType(v.init, v.sc)
	case v.init != nil:
		if c, ok := parse.Unparen(v.init).(*ast.CallExpr); ok {
			return g.callType(c, v.sc, v.index)
		}
	}
	return nil
}

// callType guesses the type of result i of a call.
func (g *guesser) callType(c *ast.CallExpr, sc *gscope, i int) *gtype {
	fun := c.Fun
	var explicit []ast.Expr // type arguments written: F[int](...)
	switch x := fun.(type) {
	case *ast.IndexExpr:
		if t := g.exprType(x.X, sc); t != nil && isGenericFunc(t) {
			fun, explicit = x.X, []ast.Expr{x.Index}
		}
	case *ast.IndexListExpr:
		if t := g.exprType(x.X, sc); t != nil && isGenericFunc(t) {
			fun, explicit = x.X, x.Indices
		}
	}
	if id, ok := fun.(*ast.Ident); ok {
		if v, found := g.lookup(id.Name, sc); found && v.isType {
			return &gtype{expr: id, write: true} // a conversion
		} else if !found && i == 0 && (id.Name == "new") && len(c.Args) == 1 {
			return &gtype{expr: &ast.StarExpr{X: c.Args[0]}, write: true}
		} else if !found && i == 0 {
			if t := g.builtinCallType(id.Name, c, sc); t != nil {
				return t
			}
		}
	}
	ft := g.exprType(fun, sc)
	if ft == nil {
		return nil
	}
	if ft.rt != nil {
		if ft.rt.Kind() == reflect.Func && i < ft.rt.NumOut() {
			return &gtype{rt: ft.rt.Out(i)}
		}
		return nil
	}
	u, ok := g.underlying(ft).expr.(*ast.FuncType)
	if !ok || u.Results == nil {
		return nil
	}
	if u.TypeParams != nil {
		ft = g.instantiate(ft, u, explicit, c.Args, sc)
	}
	k := 0
	for _, f := range u.Results.List {
		n := len(f.Names)
		if n == 0 {
			n = 1
		}
		if i < k+n {
			return ft.with(f.Type)
		}
		k += n
	}
	return nil
}

// isGenericFunc reports whether t is the type of a generic function.
func isGenericFunc(t *gtype) bool {
	ft, ok := t.expr.(*ast.FuncType)
	return ok && ft.TypeParams != nil
}

// instantiate binds the type parameters of a generic function's type from
// the written type arguments, then by matching the parameters' types with
// the arguments' guessed types.
func (g *guesser) instantiate(ft *gtype, u *ast.FuncType, explicit, args []ast.Expr, sc *gscope) *gtype {
	out := &gtype{expr: ft.expr, write: ft.write, params: map[string]bool{}, subst: map[string]ast.Expr{}}
	for n, e := range ft.subst {
		out.subst[n] = e
	}
	var names []string
	for _, f := range u.TypeParams.List {
		for _, n := range f.Names {
			names = append(names, n.Name)
			out.params[n.Name] = true
		}
	}
	bind := func(name string, t *gtype) {
		if _, done := out.subst[name]; done || t == nil || t.expr == nil {
			return
		}
		out.subst[name] = t.expr
		if t.write && len(t.params) == 0 {
			delete(out.params, name)
		}
	}
	for k, e := range explicit {
		if k < len(names) {
			bind(names[k], &gtype{expr: e, write: true})
		}
	}
	var ptypes []ast.Expr
	for _, f := range u.Params.List {
		for range fieldNames(f) {
			ptypes = append(ptypes, f.Type)
		}
	}
	for k, a := range args {
		if k >= len(ptypes) {
			break
		}
		g.unify(ptypes[k], g.exprType(a, sc), out.params, bind, 0)
	}
	return out
}

// unify matches a parameter type p (which mentions type parameters) with
// an argument's type a, binding the parameters it finds.
func (g *guesser) unify(p ast.Expr, a *gtype, params map[string]bool, bind func(string, *gtype), depth int) {
	if a == nil || a.expr == nil || depth > 10 {
		return
	}
	if id, ok := p.(*ast.Ident); ok {
		if params[id.Name] {
			bind(id.Name, a)
		}
		return
	}
	ax := parse.Unparen(a.expr)
	// The same generic type on both sides: match the type arguments.
	pb, pargs := typeArgs(p)
	ab, aargs := typeArgs(ax)
	if pb != "" && pb == ab && len(pargs) == len(aargs) {
		for k := range pargs {
			g.unify(pargs[k], a.with(g.substExpr(aargs[k], a.subst)), params, bind, depth+1)
		}
		return
	}
	pu := g.underlying(&gtype{expr: p})
	au := g.underlying(a)
	switch pt := pu.expr.(type) {
	case *ast.ArrayType:
		if at, ok := au.expr.(*ast.ArrayType); ok {
			g.unify(pt.Elt, au.with(at.Elt), params, bind, depth+1)
		}
	case *ast.StarExpr:
		if at, ok := au.expr.(*ast.StarExpr); ok {
			g.unify(pt.X, au.with(at.X), params, bind, depth+1)
		}
	case *ast.MapType:
		if at, ok := au.expr.(*ast.MapType); ok {
			g.unify(pt.Key, au.with(at.Key), params, bind, depth+1)
			g.unify(pt.Value, au.with(at.Value), params, bind, depth+1)
		}
	case *ast.ChanType:
		if at, ok := au.expr.(*ast.ChanType); ok {
			g.unify(pt.Value, au.with(at.Value), params, bind, depth+1)
		}
	case *ast.FuncType:
		at, ok := au.expr.(*ast.FuncType)
		if !ok {
			return
		}
		for _, pair := range [][2]*ast.FieldList{{pt.Params, at.Params}, {pt.Results, at.Results}} {
			pl, al := flatTypes(pair[0]), flatTypes(pair[1])
			for k := range pl {
				if k < len(al) {
					g.unify(pl[k], au.with(al[k]), params, bind, depth+1)
				}
			}
		}
	}
}

// typeArgs splits T[A, B] into "T" and its arguments.
func typeArgs(e ast.Expr) (string, []ast.Expr) {
	switch x := e.(type) {
	case *ast.IndexExpr:
		return exprString(x.X), []ast.Expr{x.Index}
	case *ast.IndexListExpr:
		return exprString(x.X), x.Indices
	}
	return "", nil
}

// flatTypes lists the type of each value of a field list.
func flatTypes(fl *ast.FieldList) []ast.Expr {
	if fl == nil {
		return nil
	}
	var out []ast.Expr
	for _, f := range fl.List {
		for range fieldNames(f) {
			out = append(out, f.Type)
		}
	}
	return out
}

// with returns t's information for another expression of the same origin.
func (t *gtype) with(e ast.Expr) *gtype {
	return &gtype{expr: e, subst: t.subst, write: t.write, params: t.params}
}

// typeParamNames returns the names a type parameter list declares.
func typeParamNames(fl *ast.FieldList) map[string]bool {
	if fl == nil {
		return nil
	}
	m := map[string]bool{}
	for _, f := range fl.List {
		for _, n := range f.Names {
			m[n.Name] = true
		}
	}
	return m
}

// selectorType guesses the type of pkg.Name, x.Field or x.Method.
func (g *guesser) selectorType(x *ast.SelectorExpr, sc *gscope) *gtype {
	if id, ok := x.X.(*ast.Ident); ok {
		if _, local := g.lookup(id.Name, sc); !local {
			if p, ok := g.paths[id.Name]; ok {
				return g.packageMember(p, x.Sel.Name)
			}
		}
	}
	recv := g.exprType(x.X, sc)
	if recv == nil {
		return g.methodByName(x.Sel.Name, nil)
	}
	if rt := recv.rt; rt != nil {
		if m, ok := rt.MethodByName(x.Sel.Name); ok {
			return &gtype{rt: m.Type}
		}
		base := rt
		if base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		if base.Kind() == reflect.Struct {
			if f, ok := base.FieldByName(x.Sel.Name); ok {
				return &gtype{rt: f.Type}
			}
		}
		// A notebook type seen through reflection: its methods are in
		// the notebook's source.
		return g.methodByName(x.Sel.Name, nil)
	}
	name := parse.RecvBase(recv.expr)
	if name == "" {
		return nil
	}
	if t := g.methodByName(x.Sel.Name, &name); t != nil {
		// A method of a generic type: its receiver's type arguments.
		_, args := typeArgs(parse.StripStar(recv.expr))
		if len(t.recvParams) > 0 && len(args) == len(t.recvParams) {
			subst := map[string]ast.Expr{}
			params := map[string]bool{}
			for k, p := range t.recvParams {
				id, ok := p.(*ast.Ident)
				if !ok {
					continue
				}
				subst[id.Name] = g.substExpr(args[k], recv.subst)
				if !recv.write || len(recv.params) > 0 {
					params[id.Name] = true
				}
			}
			t.subst, t.params = subst, params
		}
		return t
	}
	// A field of a struct type of the source.
	if u := g.underlying(recv.with(parse.StripStar(recv.expr))); u != nil {
		if st, ok := u.expr.(*ast.StructType); ok {
			for _, f := range st.Fields.List {
				for _, n := range f.Names {
					if n.Name == x.Sel.Name {
						return u.with(f.Type)
					}
				}
			}
		}
	}
	return nil
}

// methodByName returns the method value type of the notebook's (or the
// file's) method name on type recv, or, with recv nil, of every method of
// that name when they all agree on being iterators of one arity.
func (g *guesser) methodByName(name string, recv *string) *gtype {
	var found []*gtype
	consider := func(fd *ast.FuncDecl) {
		if fd == nil || fd.Recv == nil || fd.Name.Name != name || len(fd.Recv.List) == 0 {
			return
		}
		if recv != nil && parse.RecvBase(fd.Recv.List[0].Type) != *recv {
			return
		}
		_, rparams := typeArgs(parse.StripStar(fd.Recv.List[0].Type))
		params := map[string]bool{}
		for _, p := range rparams {
			if id, ok := p.(*ast.Ident); ok {
				params[id.Name] = true
			}
		}
		found = append(found, &gtype{expr: fd.Type, write: true, params: params, recvParams: rparams})
	}
	if g.nb.Methods != nil {
		for _, d := range g.nb.Methods(name) {
			fd, _ := g.parseDecl(d).(*ast.FuncDecl)
			consider(fd)
		}
	}
	for _, fd := range g.fileMethods {
		consider(fd)
	}
	if len(found) == 0 {
		return nil
	}
	if recv != nil || len(found) == 1 {
		return found[0]
	}
	// Several types have such a method: use it only if they agree.
	arity := -1
	for _, t := range found {
		a, ok := g.resultSeqArity(t)
		if !ok || (arity >= 0 && a != arity) {
			return nil
		}
		arity = a
	}
	return found[0]
}

// resultSeqArity reports the arity of the iterator a method returns.
func (g *guesser) resultSeqArity(t *gtype) (int, bool) {
	ft, ok := t.expr.(*ast.FuncType)
	if !ok || ft.Results == nil || len(ft.Results.List) != 1 {
		return 0, false
	}
	info, ok := g.seqOf(&gtype{expr: ft.Results.List[0].Type})
	return info.arity, ok
}

// packageMember guesses the type of a member of an imported package.
func (g *guesser) packageMember(path, name string) *gtype {
	if d := sourceFuncDecl(path, name); d != nil {
		return &gtype{expr: d.Type, write: true, params: typeParamNames(d.Type.TypeParams)}
	}
	if g.nb.Symbol != nil {
		if v, ok := g.nb.Symbol(path, name); ok && v.IsValid() {
			if v.Kind() == reflect.Pointer && v.IsNil() {
				return nil // a type
			}
			return &gtype{rt: v.Type()}
		}
	}
	return nil
}

// iterPaths are the packages whose Seq and Seq2 are iterator types.
var iterPaths = map[string]bool{"iter": true}

// underlying resolves named types of the source (and iter.Seq, iter.Seq2)
// to their definitions; other types are returned as they are.
func (g *guesser) underlying(t *gtype) *gtype {
	for range 10 {
		if t == nil || t.expr == nil {
			return t
		}
		var base ast.Expr
		var args []ast.Expr
		switch x := t.expr.(type) {
		case *ast.ParenExpr:
			t = t.with(x.X)
			continue
		case *ast.IndexExpr:
			base, args = x.X, []ast.Expr{x.Index}
		case *ast.IndexListExpr:
			base, args = x.X, x.Indices
		default:
			base = t.expr
		}
		switch b := base.(type) {
		case *ast.Ident:
			if s, ok := t.subst[b.Name]; ok {
				t = t.with(s)
				continue
			}
			v, ok := g.lookup(b.Name, nil)
			if !ok || !v.isType || v.typ == nil {
				return t
			}
			subst := map[string]ast.Expr{}
			if ft, ok := v.init.(*ast.FuncType); ok && ft.TypeParams != nil {
				k := 0
				for _, f := range ft.TypeParams.List {
					for _, n := range f.Names {
						if k < len(args) {
							subst[n.Name] = g.substExpr(args[k], t.subst)
						}
						k++
					}
				}
			}
			t = &gtype{expr: v.typ, subst: subst, write: t.write, params: t.params}
		case *ast.SelectorExpr:
			id, ok := b.X.(*ast.Ident)
			if !ok || !iterPaths[g.paths[id.Name]] {
				return t
			}
			var params []*ast.Field
			for _, a := range args {
				params = append(params, &ast.Field{Type: g.substExpr(a, t.subst)})
			}
			switch b.Sel.Name {
			case "Seq", "Seq2":
				return &gtype{write: t.write, params: t.params, expr: &ast.FuncType{Params: &ast.FieldList{List: []*ast.Field{{Type: &ast.FuncType{
					Params:  &ast.FieldList{List: params},
					Results: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent("bool")}}},
				}}}}}}
			}
			return t
		default:
			return t
		}
	}
	return t
}

// substExpr applies a type parameter substitution to a type expression.
func (g *guesser) substExpr(e ast.Expr, subst map[string]ast.Expr) ast.Expr {
	if len(subst) == 0 {
		return e
	}
	if id, ok := e.(*ast.Ident); ok {
		if s, ok := subst[id.Name]; ok {
			return s
		}
		return e
	}
	c := parse.CloneExpr(e)
	parse.ReplaceExprs(c, func(x ast.Expr) ast.Expr {
		if id, ok := x.(*ast.Ident); ok {
			if s, ok := subst[id.Name]; ok {
				return parse.CloneExpr(s)
			}
		}
		return x
	})
	return c
}

// seqInfo describes a range over a function.
type seqInfo struct {
	arity int // values per iteration: 0, 1 or 2
	// elems are the types of the values when known (nil otherwise); write
	// says whether they can be written in the code being rewritten.
	elems []ast.Expr
	write bool
}

// seqOf reports whether t is an iterator function type,
// func(yield func(...) bool), and describes it.
func (g *guesser) seqOf(t *gtype) (seqInfo, bool) {
	if t == nil {
		return seqInfo{}, false
	}
	if rt := t.rt; rt != nil {
		if rt.Kind() != reflect.Func || rt.NumIn() != 1 || rt.NumOut() != 0 {
			return seqInfo{}, false
		}
		y := rt.In(0)
		if y.Kind() != reflect.Func || y.NumOut() != 1 || y.Out(0).Kind() != reflect.Bool || y.NumIn() > 2 {
			return seqInfo{}, false
		}
		info := seqInfo{arity: y.NumIn(), write: true}
		for i := 0; i < y.NumIn(); i++ {
			e, ok := typeExprOf(y.In(i), g.pkgName)
			info.elems = append(info.elems, e)
			info.write = info.write && ok
		}
		return info, true
	}
	u := g.underlying(t)
	ft, ok := u.expr.(*ast.FuncType)
	if !ok || ft.Params == nil || len(ft.Params.List) != 1 || len(fieldNames(ft.Params.List[0])) > 1 || (ft.Results != nil && len(ft.Results.List) > 0) {
		return seqInfo{}, false
	}
	yt, ok := g.underlying(u.with(ft.Params.List[0].Type)).expr.(*ast.FuncType)
	if !ok || yt.Results == nil || len(yt.Results.List) != 1 || len(fieldNames(yt.Results.List[0])) > 1 {
		return seqInfo{}, false
	}
	if id, ok := yt.Results.List[0].Type.(*ast.Ident); !ok || id.Name != "bool" {
		return seqInfo{}, false
	}
	var info seqInfo
	for _, f := range yt.Params.List {
		for range fieldNames(f) {
			info.arity++
			info.elems = append(info.elems, g.substExpr(f.Type, u.subst))
		}
	}
	if info.arity > 2 {
		return seqInfo{}, false
	}
	info.write = u.write
	for _, el := range info.elems {
		for n := range parse.IdentsOf(el) {
			if u.params[n] || t.params[n] {
				info.write = false
			}
		}
	}
	return info, true
}

// pkgName returns the name a package is imported under, "" when it is not.
func (g *guesser) pkgName(path string) string {
	for n, p := range g.paths {
		if p == path {
			return n
		}
	}
	return ""
}

// fieldNames returns a field's names, or one blank name for an unnamed
// field (so that its length counts the values it declares).
func fieldNames(f *ast.Field) []*ast.Ident {
	if len(f.Names) == 0 {
		return []*ast.Ident{{Name: "_"}}
	}
	return f.Names
}

// sourceFuncDecls indexes the functions of the packages golit interprets
// from its own sources (genericAdditions), by "path.Name". It is built on
// first use: parsing the sources at start-up cost every golit process (the
// kernel, which never interprets, included) 2 ms before it could bind.
var sourceFuncDecls = sync.OnceValue(func() map[string]*ast.FuncDecl {
	out := map[string]*ast.FuncDecl{}
	for _, sf := range GenericSources {
		f, err := parser.ParseFile(token.NewFileSet(), sf.Name, sf.Src, parser.SkipObjectResolution)
		if err != nil {
			continue
		}
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && ast.IsExported(fd.Name.Name) {
				out[f.Name.Name+"."+fd.Name.Name] = fd
			}
		}
	}
	return out
})

// sourceFuncDecl returns the declaration of a function golit interprets
// from source, or nil.
func sourceFuncDecl(path, name string) *ast.FuncDecl {
	return sourceFuncDecls()[path+"."+name]
}

// compiledType returns the reflect type a type expression pkg.T names
// when pkg is a compiled package, nil otherwise.
func (g *guesser) compiledType(e ast.Expr) reflect.Type {
	sel, ok := e.(*ast.SelectorExpr)
	if !ok || g.nb.Symbol == nil {
		return nil
	}
	id, ok := sel.X.(*ast.Ident)
	if !ok {
		return nil
	}
	p, ok := g.paths[id.Name]
	if !ok {
		return nil
	}
	v, ok := g.nb.Symbol(p, sel.Sel.Name)
	if !ok || !v.IsValid() || v.Kind() != reflect.Pointer || !v.IsNil() {
		return nil
	}
	return v.Type().Elem()
}
