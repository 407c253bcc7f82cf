package interp

import (
	"go/ast"
	"go/token"
	"reflect"
	"strings"
)

// explicitTypeArgs writes the type arguments of a call of a generic
// function of the notebook or the cell when Go would infer them and
// yaegi v0.16.1 would not, or would infer them wrong:
//
//	Map(xs, func(i int) string {...})  becomes  Map[int, string](xs, ...)
//	Sum(1.5, 2.5)                      becomes  Sum[float64](1.5, 2.5)
//
// (yaegi takes U from T in the first, "cannot use type func(int) string as
// type func(int) int", and fails on the declaration in the second,
// "undefined type for T"). The arguments' types come from the guesser;
// an untyped constant argument gives its parameter its default type
// (float64 when one of them is a floating-point constant) when no typed
// argument binds it. A call whose type arguments are not all known is
// left to yaegi.
func (r *rewriter) explicitTypeArgs(call *ast.CallExpr, sc *gscope) {
	id, ok := call.Fun.(*ast.Ident)
	if !ok || r.guess == nil {
		return
	}
	ft := r.guess.exprType(id, sc)
	if ft == nil || !isGenericFunc(ft) || !ft.write {
		return
	}
	u := ft.expr.(*ast.FuncType)
	var names []string
	params := map[string]bool{}
	for _, f := range u.TypeParams.List {
		for _, n := range f.Names {
			names = append(names, n.Name)
			params[n.Name] = true
		}
	}
	bound := map[string]*gtype{}
	bad := false
	bind := func(name string, t *gtype) {
		if _, done := bound[name]; done || t == nil || t.expr == nil {
			return
		}
		if !t.write || len(t.params) > 0 {
			bad = true
			return
		}
		bound[name] = t
	}
	ptypes := flatTypes(u.Params)
	paramOf := func(k int) ast.Expr {
		if len(ptypes) == 0 {
			return nil
		}
		last := len(ptypes) - 1
		if el, ok := ptypes[last].(*ast.Ellipsis); ok && k >= last {
			if call.Ellipsis.IsValid() {
				return &ast.ArrayType{Elt: el.Elt}
			}
			return el.Elt
		}
		if k > last {
			return nil
		}
		return ptypes[k]
	}
	consts := map[string][]*ast.BasicLit{}
	for k, a := range call.Args {
		p := paramOf(k)
		if p == nil {
			return
		}
		if lit := constLit(a); lit != nil {
			if pid, ok := p.(*ast.Ident); ok && params[pid.Name] {
				consts[pid.Name] = append(consts[pid.Name], lit)
			}
			continue
		}
		t := r.guess.exprType(a, sc)
		if t != nil && t.expr == nil && t.rt != nil {
			te, ok := r.writableType(t.rt)
			if !ok {
				return
			}
			t = &gtype{expr: te, write: true}
		}
		r.guess.unify(p, t, params, bind, 0)
	}
	for name, lits := range consts {
		if _, done := bound[name]; !done {
			bound[name] = &gtype{expr: ast.NewIdent(defaultType(lits)), write: true}
		}
	}
	if bad || len(bound) != len(names) {
		return
	}
	idx := make([]ast.Expr, len(names))
	for i, n := range names {
		t := bound[n]
		te := cloneExpr(r.guess.substExpr(t.expr, t.subst))
		if mentionsAny(te, params) {
			return // a type parameter of the function itself
		}
		idx[i] = te
	}
	call.Fun = &ast.IndexListExpr{X: id, Lbrack: id.End(), Indices: idx, Rbrack: id.End()}
}

// constLit returns the literal an untyped constant argument is (1.5, -2,
// 'a', "s"), or nil.
func constLit(a ast.Expr) *ast.BasicLit {
	switch x := unparen(a).(type) {
	case *ast.BasicLit:
		return x
	case *ast.UnaryExpr:
		if x.Op == token.SUB || x.Op == token.ADD {
			return constLit(x.X)
		}
	}
	return nil
}

// defaultType is the type Go gives a type parameter bound only by untyped
// constants: the default type of the "largest" kind among them.
func defaultType(lits []*ast.BasicLit) string {
	rank := map[token.Token]int{token.INT: 1, token.CHAR: 2, token.FLOAT: 3, token.IMAG: 4}
	names := map[token.Token]string{token.INT: "int", token.CHAR: "rune", token.FLOAT: "float64", token.IMAG: "complex128", token.STRING: "string"}
	best := lits[0].Kind
	for _, l := range lits[1:] {
		if rank[l.Kind] > rank[best] {
			best = l.Kind
		}
	}
	return names[best]
}

// writableType writes a runtime type (of a notebook variable) as a type
// expression, unless it is or holds a type yaegi built (a notebook struct,
// whose reflect type is unnamed).
func (r *rewriter) writableType(t reflect.Type) (ast.Expr, bool) {
	if strings.Contains(t.String(), "struct {") || strings.Contains(t.String(), "interp.") {
		return nil, false
	}
	return typeExprOf(t, r.guess.pkgName)
}

// mentionsAny reports whether e mentions one of names.
func mentionsAny(e ast.Expr, names map[string]bool) bool {
	found := false
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && names[id.Name] {
			found = true
		}
		return !found
	})
	return found
}
