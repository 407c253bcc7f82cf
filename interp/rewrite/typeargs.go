package rewrite

import (
	"go/ast"
	"go/printer"
	"go/token"
	"reflect"
	"strconv"
	"strings"

	"github.com/golit/golit/interp/parse"
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
func (r *Rewriter) explicitTypeArgs(call *ast.CallExpr, sc *gscope) {
	id, ok := call.Fun.(*ast.Ident)
	if !ok || r.guess == nil || r.guess.plainNotebookFunc(id.Name, sc) {
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
	untyped := map[string]bool{}
	for k, a := range call.Args {
		p := paramOf(k)
		if p == nil {
			return
		}
		lit := constLit(a)
		if b, ok := parse.Unparen(a).(*ast.BinaryExpr); ok && (b.Op == token.SHL || b.Op == token.SHR) {
			lit = constLit(b.X) // 1<<n has the type the constant 1 would have
		}
		if lit != nil {
			if pid, ok := p.(*ast.Ident); ok && params[pid.Name] {
				consts[pid.Name] = append(consts[pid.Name], lit)
			}
			continue
		}
		t := r.guess.exprType(a, sc)
		if t != nil && t.expr == nil && t.rt != nil {
			te, ok := r.writableType(t.rt)
			if !ok {
				r.noteGenericCall(call, id, u, nil)
				return
			}
			t = &gtype{expr: te, write: true}
		}
		if t == nil { // the parameters it would bind are unknown
			ast.Inspect(p, func(n ast.Node) bool {
				if id, ok := n.(*ast.Ident); ok && params[id.Name] {
					untyped[id.Name] = true
				}
				return true
			})
		}
		r.guess.unify(p, t, params, bind, 0)
	}
	for name, lits := range consts {
		if _, done := bound[name]; !done && !untyped[name] {
			// (with an argument of unknown type, the constant's default
			// type may not be the parameter's: Sum(p.X, 2) with a float64 X)
			bound[name] = &gtype{expr: ast.NewIdent(defaultType(lits)), write: true}
		}
	}
	if bad || len(bound) != len(names) {
		known := map[string]ast.Expr{}
		for n, t := range bound {
			if te := r.guess.substExpr(t.expr, t.subst); !mentionsAny(te, params) {
				known[n] = te
			}
		}
		r.noteGenericCall(call, id, u, known)
		return
	}
	idx := make([]ast.Expr, len(names))
	for i, n := range names {
		t := bound[n]
		te := parse.CloneExpr(r.guess.substExpr(t.expr, t.subst))
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
	switch x := parse.Unparen(a).(type) {
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
func (r *Rewriter) writableType(t reflect.Type) (ast.Expr, bool) {
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

// callRewrites applies the rewrites of calls that need the guesser's
// types (called for every call of the code, in its scope); only cells get
// them, not the sources of modules.
func (r *Rewriter) callRewrites(call *ast.CallExpr, sc *gscope) {
	if r.Notebook.Decl == nil {
		return
	}
	// Both only add information yaegi lacks: if one fails on code the
	// guesser did not foresee, the call stays as written.
	defer func() { _ = recover() }()
	r.explicitTypeArgs(call, sc)
	r.typedPrintArgs(call, sc)
}

// printOperands maps fmt's and log's printing functions to the index of
// their first operand. Errorf is left out: its %w operands must reach it
// as the errors yaegi makes of them.
var printOperands = map[string]int{
	"fmt.Print": 0, "fmt.Println": 0, "fmt.Printf": 1,
	"fmt.Sprint": 0, "fmt.Sprintln": 0, "fmt.Sprintf": 1,
	"fmt.Fprint": 1, "fmt.Fprintln": 1, "fmt.Fprintf": 2,
	"fmt.Append": 1, "fmt.Appendln": 1, "fmt.Appendf": 2,
	"log.Print": 0, "log.Println": 0, "log.Printf": 1,
	"log.Fatal": 0, "log.Fatalln": 0, "log.Fatalf": 1,
	"log.Panic": 0, "log.Panicln": 0, "log.Panicf": 1,
}

// typedPrintArgs wraps the operands of a fmt or log printing call whose
// declared type mentions a type of the notebook or the cell as
// golit__rt.Typed("T", x), which tells golit's fmt the type reflection
// cannot (see interp/typefmt): fmt.Printf("%T %#v", c, names{"a"}) with
// type celsius float64 prints main.celsius, main.names{"a"}.
func (r *Rewriter) typedPrintArgs(call *ast.CallExpr, sc *gscope) {
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || call.Ellipsis.IsValid() || r.guess == nil {
		return
	}
	pkg, ok := sel.X.(*ast.Ident)
	if !ok {
		return
	}
	first, ok := printOperands[r.Paths[pkg.Name]+"."+sel.Sel.Name]
	if !ok || len(call.Args) <= first {
		return
	}
	if _, isCall := parse.Unparen(call.Args[first]).(*ast.CallExpr); isCall && len(call.Args) == first+1 {
		return // perhaps f() of several results
	}
	for i := first; i < len(call.Args); i++ {
		a := call.Args[i]
		t := r.guess.exprType(a, sc)
		if t == nil || t.expr == nil || !t.write || len(t.params) > 0 {
			continue
		}
		te := r.guess.substExpr(t.expr, t.subst)
		if !r.userTyped(te, sc, 0) || r.hasFormat(te) {
			continue
		}
		var sb strings.Builder
		if err := printer.Fprint(&sb, token.NewFileSet(), te); err != nil {
			continue
		}
		call.Args[i] = &ast.CallExpr{
			Fun:    &ast.SelectorExpr{X: ast.NewIdent(RuntimePkg), Sel: ast.NewIdent("Typed")},
			Lparen: a.Pos(),
			Args:   []ast.Expr{&ast.BasicLit{Kind: token.STRING, Value: strconv.Quote(sb.String())}, a},
			Rparen: a.End(),
		}
	}
}

// userTyped reports whether the type expression te names a type the cell
// or the notebook declares (not an interface, whose values' dynamic types
// fmt shows) and mentions nothing a Typed operand could not name: type
// parameters, function, struct or interface literals.
func (r *Rewriter) userTyped(te ast.Expr, sc *gscope, depth int) bool {
	if depth > 8 {
		return false
	}
	switch x := te.(type) {
	case *ast.Ident:
		v, ok := r.guess.lookup(x.Name, sc)
		if !ok || !v.isType || v.typ == nil {
			return false // a predeclared type, or a type parameter
		}
		if _, isIface := r.guess.underlying(&gtype{expr: x}).expr.(*ast.InterfaceType); isIface {
			return false
		}
		return true
	case *ast.StarExpr:
		return r.userTyped(x.X, sc, depth+1)
	case *ast.ParenExpr:
		return r.userTyped(x.X, sc, depth+1)
	case *ast.ArrayType:
		return r.userTyped(x.Elt, sc, depth+1) && r.plainType(x.Len)
	case *ast.MapType:
		return (r.userTyped(x.Key, sc, depth+1) && r.plainType(x.Value)) ||
			(r.userTyped(x.Value, sc, depth+1) && r.plainType(x.Key))
	case *ast.IndexExpr:
		return r.userTyped(x.X, sc, depth+1) && r.plainType(x.Index)
	case *ast.IndexListExpr:
		for _, e := range x.Indices {
			if !r.plainType(e) {
				return false
			}
		}
		return r.userTyped(x.X, sc, depth+1)
	}
	return false
}

// plainType reports whether e (a type, or an array length) holds no
// literal type golit's fmt could not name (func, struct, interface, chan).
func (r *Rewriter) plainType(e ast.Expr) bool {
	if e == nil {
		return true
	}
	ok := true
	ast.Inspect(e, func(n ast.Node) bool {
		switch n.(type) {
		case *ast.FuncType, *ast.StructType, *ast.InterfaceType, *ast.ChanType, *ast.Ellipsis:
			ok = false
		}
		return ok
	})
	return ok
}

// hasFormat reports whether te names a type (or a pointer to one) with a
// Format method: yaegi hands such an operand to fmt in a wrapper that
// calls it, which a Typed operand would lose.
func (r *Rewriter) hasFormat(te ast.Expr) bool {
	if st, ok := te.(*ast.StarExpr); ok {
		te = st.X
	}
	id, ok := te.(*ast.Ident)
	if !ok {
		return false
	}
	for _, m := range r.guess.fileMethods {
		if m.Name.Name == "Format" && len(m.Recv.List) == 1 && parse.RecvBase(m.Recv.List[0].Type) == id.Name {
			return true
		}
	}
	if r.Notebook.Methods != nil {
		for _, d := range r.Notebook.Methods("Format") {
			if d.Recv == id.Name {
				return true
			}
		}
	}
	return false
}
