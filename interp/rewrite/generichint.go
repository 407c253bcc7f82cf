package rewrite

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// GenericCall is a call of a generic function of the notebook or the cell
// whose type arguments explicitTypeArgs could not all find: yaegi infers
// them itself, and when it fails (undefined type for T) the run stage
// reports the failure at the call with Hint, the instantiation to write.
type GenericCall struct {
	Pos    token.Pos // the call
	Func   string    // the function's name, "Sum"
	Params []TypeParam
	Args   string // the arguments as written, "m[k], 2" ("…" when long)
	// Lparen and Rparen are the call's parentheses (the run stage takes
	// the arguments' text from the cell between them).
	Lparen, Rparen token.Pos
	// Default is the default type of the constants among the arguments,
	// "float64" for Sum(min(1.5, 2)), which the example prefers.
	Default string
}

// TypeParam is one type parameter of a GenericCall's function.
type TypeParam struct {
	Name       string // "T"
	Constraint string // as declared, "Number", "~int | ~float64", "any"
	Union      string // the union the constraint is, "~int | ~float64", if it is one
	Known      string // the type argument the guesser found, "" if none
}

// Mentions reports whether name is one of c's type parameters.
func (c GenericCall) Mentions(name string) bool {
	for _, p := range c.Params {
		if p.Name == name {
			return true
		}
	}
	return false
}

// Hint is the line that tells how to write c's type arguments:
//
//	hint: write the type arguments: Sum[T](m[k], 2) with T Number, e.g. Sum[int](m[k], 2)
//
// Known type arguments are written as they are; the example takes the
// first type of a constraint's union for the others, and is left out when
// a constraint names no type (any, comparable, an interface of methods).
func (c GenericCall) Hint() string {
	var pattern, example, unknown []string
	exampleOK := true
	for _, p := range c.Params {
		if p.Known != "" {
			pattern = append(pattern, p.Known)
			example = append(example, p.Known)
			continue
		}
		pattern = append(pattern, p.Name)
		unknown = append(unknown, p.Name+" "+p.Constraint)
		if t := firstTerm(p.Union, c.Default); t != "" {
			example = append(example, t)
		} else {
			exampleOK = false
		}
	}
	call := func(targs []string) string {
		return c.Func + "[" + strings.Join(targs, ", ") + "](" + c.Args + ")"
	}
	var b strings.Builder
	b.WriteString("hint: write the type arguments: ")
	b.WriteString(call(pattern))
	if len(unknown) > 0 {
		b.WriteString(" with ")
		b.WriteString(strings.Join(unknown, ", "))
	}
	if exampleOK && len(unknown) > 0 {
		b.WriteString(", e.g. ")
		b.WriteString(call(example))
	}
	return b.String()
}

// firstTerm returns a type of a constraint written as a union of
// predeclared types: prefer if it is one of them, else the first ("~int |
// ~float64" gives int); "" when the constraint is not such a union.
func firstTerm(union, prefer string) string {
	var terms []string
	for _, t := range strings.Split(union, "|") {
		t = strings.TrimPrefix(strings.TrimSpace(t), "~")
		if _, ok := predeclared[t]; !ok {
			return ""
		}
		if t == prefer {
			return t
		}
		terms = append(terms, t)
	}
	return terms[0]
}

// noteGenericCall records call (of id, whose type is u) as a GenericCall:
// known are the type arguments found, written.
func (r *Rewriter) noteGenericCall(call *ast.CallExpr, id *ast.Ident, u *ast.FuncType, known map[string]ast.Expr) {
	gc := GenericCall{Pos: call.Pos(), Func: id.Name, Args: argsText(call), Lparen: call.Lparen, Rparen: call.Rparen}
	var lits []*ast.BasicLit
	for _, a := range call.Args {
		ast.Inspect(a, func(n ast.Node) bool {
			if l, ok := n.(*ast.BasicLit); ok {
				lits = append(lits, l)
			}
			return true
		})
	}
	if len(lits) > 0 {
		gc.Default = defaultType(lits)
	}
	for _, f := range u.TypeParams.List {
		cons, union := r.constraintText(f.Type)
		for _, n := range f.Names {
			p := TypeParam{Name: n.Name, Constraint: cons, Union: union}
			if t := known[n.Name]; t != nil {
				p.Known = types.ExprString(t)
			}
			gc.Params = append(gc.Params, p)
		}
	}
	r.GenericCalls = append(r.GenericCalls, gc)
}

// constraintText writes a constraint, and the union it is: written in
// place, or a notebook interface made of one (type Number interface{
// ~int | ~float64 }).
func (r *Rewriter) constraintText(e ast.Expr) (text, union string) {
	text = types.ExprString(e)
	if _, ok := e.(*ast.BinaryExpr); ok {
		return text, text
	}
	if _, ok := e.(*ast.UnaryExpr); ok {
		return text, text
	}
	id, ok := e.(*ast.Ident)
	if !ok || r.guess == nil {
		return text, ""
	}
	if _, ok := predeclared[id.Name]; ok {
		return text, text
	}
	v, found := r.guess.lookup(id.Name, nil)
	if !found || !v.isType {
		return text, ""
	}
	it, ok := v.typ.(*ast.InterfaceType)
	if !ok || it.Methods == nil || len(it.Methods.List) != 1 || len(it.Methods.List[0].Names) != 0 {
		return text, ""
	}
	return text, types.ExprString(it.Methods.List[0].Type)
}

// argsText writes a call's arguments for a message.
func argsText(call *ast.CallExpr) string {
	var parts []string
	for _, a := range call.Args {
		parts = append(parts, types.ExprString(a))
	}
	s := strings.Join(parts, ", ")
	if call.Ellipsis.IsValid() {
		s += "..."
	}
	if len(s) > 60 || strings.Contains(s, Prefix) {
		return "…"
	}
	return s
}
