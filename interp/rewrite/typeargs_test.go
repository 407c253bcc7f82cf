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
