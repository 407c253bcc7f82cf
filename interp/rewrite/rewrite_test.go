package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"strings"
	"testing"
)

// rewriteCell parses src as the statements of a cell (plus decls, Go
// declarations before them), applies Rewrite the way the run stage does and
// returns the rewritten code as text. No interpreter is involved.
func rewriteCell(t *testing.T, r *Rewriter, decls, src string) (string, *Rewriter) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "In[1]", "package main\n"+decls+"\nfunc main() {\n"+src+"\n}\n", parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	if r == nil {
		r = &Rewriter{}
	}
	if r.Paths == nil {
		r.Paths = map[string]string{}
	}
	r.Pkgs = map[string]bool{}
	for name := range r.Paths {
		r.Pkgs[name] = true
	}
	r.Consts = map[string]bool{}
	r.Fset = fset
	MarkPanics(fset, f, r.IsDeclared)
	r.Rewrite(f)
	var sb strings.Builder
	if err := printer.Fprint(&sb, fset, f); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if _, err := parser.ParseFile(token.NewFileSet(), "", out, 0); err != nil {
		t.Fatalf("the rewritten code does not parse: %v\n%s", err, out)
	}
	return out, r
}

func TestPasses(t *testing.T) {
	paths := map[string]string{"maps": "maps", "sync": "sync", "reflect": "reflect"}
	cases := []struct {
		name        string
		decls, src  string
		declared    string // a name the notebook declares
		has, hasNot []string
	}{
		{name: "range over an integer", src: "for i := range 3 { _ = i }",
			has: []string{"i < " + Prefix + "n"}, hasNot: []string{"range 3"}},
		{name: "range over a len", src: "s := []int{1}\nfor i := range len(s) { _ = i }",
			hasNot: []string{"range len(s)"}},
		{name: "range over a slice stays", src: "s := []int{1}\nfor i := range s { _ = i }",
			has: []string{"range s"}},
		{name: "per-iteration loop variable", src: "fs := []func(){}\nfor i := 0; i < 3; i++ { fs = append(fs, func() { println(i) }) }",
			has: []string{"i := " + Prefix + "i", Prefix + "i1 = i"}, hasNot: []string{"for i := 0"}},
		{name: "loop without captures stays", src: "n := 0\nfor i := 0; i < 3; i++ { n += i }",
			has: []string{"for i := 0; i < 3; i++"}, hasNot: []string{"func("}},
		{name: "go statement through the launcher", src: "f := func(int) {}\nx := 1\ngo f(x)",
			has: []string{RuntimePkg + "." + LaunchFunc + "(func() {", ":= x"}, hasNot: []string{"go f(x)"}},
		{name: "go of a function literal with no arguments", src: "go func() { println(1) }()",
			has: []string{RuntimePkg + "." + LaunchFunc + "(func() {"}, hasNot: []string{"go func"}},
		{name: "go of a spread argument", src: "g := func(xs ...int) {}\ns := []int{1}\ngo g(s...)",
			has: []string{RuntimePkg + "." + LaunchFunc + "(func() {", "...)"}, hasNot: []string{"go g"}},
		{name: "go of a function literal with a composite literal argument", src: "go func(xs ...int) { println(len(xs)) }([]int{1, 2}...)",
			has: []string{Prefix + "f1 := func(xs ...int)", Prefix + "a2 := []int{1, 2}", Prefix + "f1(" + Prefix + "a2...)"}},
		{name: "function literal beside a composite literal", src: "f, s := func() int { return 1 }, []int{1}\nvar g, m = func() {}, map[int]int{}\n_, _, _, _ = f, s, g, m",
			has: []string{"}, ([]int{1})", "}, (map[int]int{})"}},
		{name: "composite literals without a function literal stay", src: "a, b := []int{1}, []int{2}\n_, _ = a, b",
			has: []string{"a, b := []int{1}, []int{2}"}},
		{name: "loop whose body never names its variables stays", src: "for i := 0; i < 3; i++ { go func() { println(1) }() }",
			has: []string{"for i := 0; i < 3; i++"}},
		{name: "loop whose goroutine names its variable gets a copy", src: "for i := 0; i < 3; i++ { go func() { println(i) }() }",
			has: []string{"i := " + Prefix + "i"}, hasNot: []string{"for i := 0"}},
		{name: "builtin println", src: "println(1)",
			has: []string{RuntimePkg + ".Println(1)"}},
		{name: "a declared println is not the builtin", src: "println(1)", declared: "println",
			has: []string{"\tprintln(1)"}},
		{name: "new of a value", src: "p := new(42)\n_ = p",
			has: []string{Prefix + "new(42)"}},
		{name: "new of a type stays", src: "p := new(int)\n_ = p",
			has: []string{"new(int)"}, hasNot: []string{Prefix + "new"}},
		{name: "range over maps.Keys", src: "m := map[string]int{}\nfor k := range maps.Keys(m) { _ = k }",
			has: []string{"range m"}, hasNot: []string{"maps.Keys"}},
		{name: "reflect.TypeFor", src: "_ = reflect.TypeFor[int]()",
			has: []string{"reflect.TypeOf((*int)(nil)).Elem()"}},
		{name: "sync.OnceValue", src: "f := sync.OnceValue(func() int { return 1 })\n_ = f",
			has: []string{StdGenericNames["sync.OnceValue"] + "("}, hasNot: []string{"sync.OnceValue"}},
		{name: "builtin min", src: "_ = min(1, 2)",
			hasNot: []string{"= min(1, 2)"}},
		{name: "range over a function", decls: "func count(yield func(int) bool) {}",
			src: "for v := range count { _ = v }", hasNot: []string{"range count"}},
		{name: "explicit panic marked", src: "panic(1)",
			has: []string{Prefix + "panicAt(\"In[1]:"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := &Rewriter{Paths: map[string]string{}}
			for k, v := range paths {
				r.Paths[k] = v
			}
			if c.declared != "" {
				r.IsDeclared = func(name string) bool { return name == c.declared }
			}
			out, r := rewriteCell(t, r, c.decls, c.src)
			if r.Err != nil {
				t.Fatalf("rewrite error: %v", r.Err)
			}
			for _, h := range c.has {
				if !strings.Contains(out, h) {
					t.Errorf("want %q in\n%s", h, out)
				}
			}
			for _, h := range c.hasNot {
				if strings.Contains(out, h) {
					t.Errorf("do not want %q in\n%s", h, out)
				}
			}
		})
	}
}

// TestRangeOverFunctionRecorded checks that the range-over-function pass
// reports what it did and what it could not type, which the run stage
// uses to retry (interp/run/rangeretry.go).
func TestRangeOverFunctionRecorded(t *testing.T) {
	_, r := rewriteCell(t, nil, "func count(yield func(int) bool) {}", "for v := range count { _ = v }")
	if len(r.FuncRanges) != 1 {
		t.Errorf("FuncRanges = %v, want the one range over count", r.FuncRanges)
	}
	_, r = rewriteCell(t, nil, "", "var seq any\nfor v := range seq { _ = v }")
	if len(r.FuncRanges) != 0 {
		t.Errorf("a range the guesser cannot type was rewritten: %v", r.FuncRanges)
	}
}

// TestCellDefers checks that a cell's own defer statements become calls of
// the runtime's Defer, and those of the functions it declares do not.
func TestCellDefers(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", "package main\nfunc main() {\ndefer println(1)\nf := func() { defer println(2) }\n_ = f\n}", 0)
	if err != nil {
		t.Fatal(err)
	}
	body := f.Decls[0].(*ast.FuncDecl).Body
	(&Rewriter{}).CellDefers(body)
	var sb strings.Builder
	printer.Fprint(&sb, fset, f)
	out := sb.String()
	if strings.Count(out, RuntimePkg+".Defer(") != 1 || !strings.Contains(out, "defer println(2)") {
		t.Errorf("want the cell's defer only turned into %s.Defer:\n%s", RuntimePkg, out)
	}
}
