package rewrite

import (
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/golit/golit/interp/parse"
)

// genericNotebook is a Notebook declaring the functions of src (cell 1).
func genericNotebook(t *testing.T, src string) Notebook {
	t.Helper()
	fset := token.NewFileSet()
	text := "package main\n" + src
	f, err := parser.ParseFile(fset, "In[1]", text, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*parse.Declaration{}
	for _, d := range parse.Declarations(f, fset, text, len("package main\n"), src, 0, 1) {
		for _, n := range d.Names {
			byName[n] = d
		}
	}
	return Notebook{Decl: func(name string) *parse.Declaration { return byName[name] }}
}

const genericDecls = "type Number interface{ ~int | ~float64 }\nfunc Sum[T Number](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}\nfunc Map[T, U any](xs []T, f func(T) U) []U { return nil }"

// Arguments the guesser types from receives, unary and binary
// expressions get their type arguments written.
func TestExplicitTypeArgsExpressions(t *testing.T) {
	nb := genericNotebook(t, genericDecls)
	for _, c := range []struct{ src, want string }{
		{"ch := make(chan float64, 1)\n_ = Sum(<-ch)", "Sum[float64"},
		{"xs := []float64{1}\n_ = Sum(xs[0]+0.5, 1)", "Sum[float64"},
		{"var n int\n_ = Sum(-n, 2)", "Sum[int"},
		{"var n int64\n_ = Sum(1<<n, 2)", "Sum[int"},
		{"rs := []rune(\"ab\")\n_ = Sum(float64(rs[0]))", "Sum[float64"},
		{"_ = Sum(len(\"ab\"))", "Sum[int"},
		{"for _, v := range map[string]float64{} {\n\t_ = Sum(v)\n}", "Sum[float64"},
		{"for i, v := range []int32{} {\n\t_ = Sum(i)\n\t_ = Sum(v)\n}", "Sum[int32"},
		{"for i := range \"ab\" {\n\t_ = Sum(i)\n}", "Sum[int"},
	} {
		out, _ := rewriteCell(t, &Rewriter{Notebook: nb}, "", c.src)
		if !strings.Contains(out, c.want) {
			t.Errorf("%s: want %q in\n%s", c.src, c.want, out)
		}
	}
}

// A call whose type arguments the guesser cannot find is recorded with
// its function's type parameters, constraints and the types it did find,
// and its hint writes the instantiation.
func TestGenericCallHint(t *testing.T) {
	nb := genericNotebook(t, genericDecls+"\nfunc Pair[K comparable, V any](k K, v V) map[K]V { return nil }")
	for _, c := range []struct{ src, hint string }{
		{"p := &struct{ X float64 }{1}\n_ = Sum(p.X)",
			"hint: write the type arguments: Sum[T](p.X) with T Number, e.g. Sum[int](p.X)"},
		{"p := &struct{ X float64 }{1}\n_ = Sum(p.X, 2.5)",
			"hint: write the type arguments: Sum[T](p.X, 2.5) with T Number, e.g. Sum[float64](p.X, 2.5)"},
		{"p := &struct{ X float64 }{1}\n_ = Pair(p.X, \"v\")",
			"hint: write the type arguments: Pair[K, string](p.X, \"v\") with K comparable"},
	} {
		_, r := rewriteCell(t, &Rewriter{Notebook: nb}, "", c.src)
		if len(r.GenericCalls) != 1 {
			t.Fatalf("%s: %d generic calls recorded, want 1", c.src, len(r.GenericCalls))
		}
		if got := r.GenericCalls[0].Hint(); got != c.hint {
			t.Errorf("%s\ngot  %s\nwant %s", c.src, got, c.hint)
		}
	}
	// Calls it types are not recorded.
	if _, r := rewriteCell(t, &Rewriter{Notebook: nb}, "", "_ = Sum(1.5, 2)"); len(r.GenericCalls) != 0 {
		t.Errorf("recorded %+v", r.GenericCalls)
	}
}

// plainNotebookFunc tells a notebook function without type parameters from
// a generic one, and from a name the cell's own code declares, as lookup
// would.
func TestPlainNotebookFunc(t *testing.T) {
	nb := genericNotebook(t, genericDecls+"\n// add is not add[T].\nfunc add(a, b int) int { return a + b }\nfunc twice(x int) int { return 2 * x }\nvar v = 1")
	g := newGuesser(nb, nil, nil)
	local := newScope(nil)
	local.vars["twice"] = gvar{}
	for _, c := range []struct {
		name string
		sc   *gscope
		want bool
	}{
		{"twice", newScope(nil), true},
		{"twice", local, false}, // the cell's own twice
		{"Sum", newScope(nil), false},
		{"Map", newScope(nil), false},
		{"add", newScope(nil), false}, // its doc comment mentions add[T]: asked the long way
		{"v", newScope(nil), false},
		{"nothing", newScope(nil), false},
	} {
		if got := g.plainNotebookFunc(c.name, c.sc); got != c.want {
			t.Errorf("plainNotebookFunc(%q) = %v, want %v", c.name, got, c.want)
		}
		if c.want {
			ft, _ := g.lookup(c.name, c.sc)
			if ft.typ == nil || isGenericFunc(&gtype{expr: ft.typ}) {
				t.Errorf("lookup(%q) disagrees: %+v", c.name, ft)
			}
		}
	}
}
