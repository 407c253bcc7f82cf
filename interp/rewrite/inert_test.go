package rewrite

import (
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"reflect"
	"strings"
	"testing"

	"github.com/golit/golit/interp/parse"
)

// cellBody parses src as a cell's statements in a function body.
func cellBody(t *testing.T, fset *token.FileSet, src string) *ast.BlockStmt {
	t.Helper()
	f, err := parser.ParseFile(fset, "In[1]", "package main\nfunc main() {\n"+src+"\n}\n", parser.SkipObjectResolution)
	if err != nil {
		t.Fatalf("parse %q: %v", src, err)
	}
	return f.Decls[0].(*ast.FuncDecl).Body
}

// TestInert checks Inert against the passes it lets Rewrite skip: on the
// code it calls inert, running every pass anyway (MarkPanics,
// MarkLogCalls, CellDefers and Rewrite's passes, with a notebook that
// declares names) changes nothing; each construct a pass rewrites is not
// inert.
func TestInert(t *testing.T) {
	inert := []string{
		"1 + 1",
		"x := 42",
		"x = x*2 + 1",
		"x++",
		"a[3]",
		"-x + *p",
		"!ok && (a == b)",
		"a, b := 1, 2",
		`s := "a" + "b"`,
		Prefix + "result(1 + 1)",
		Prefix + "result(a[i] << 2)",
		"{ y := 1; y-- }",
		"min", // a name, not a call
	}
	for _, src := range inert {
		fset := token.NewFileSet()
		blk := cellBody(t, fset, src)
		if !Inert(blk) {
			t.Errorf("Inert(%q) = false, want true", src)
			continue
		}
		before := printNode(t, fset, blk)
		r := &Rewriter{
			Paths:      map[string]string{"fmt": "fmt", "log": "log", "sync": "sync", "reflect": "reflect", "maps": "maps"},
			Pkgs:       map[string]bool{"fmt": true, "log": true},
			Consts:     map[string]bool{},
			Fset:       fset,
			IsDeclared: func(name string) bool { return name == "x" || name == "a" },
			Notebook: Notebook{
				Global:  func(string) reflect.Value { return reflect.ValueOf(1) },
				Decl:    func(string) *parse.Declaration { return nil },
				Methods: func(string) []*parse.Declaration { return nil },
				Symbol:  func(string, string) (reflect.Value, bool) { return reflect.Value{}, false },
			},
		}
		MarkPanics(fset, blk, r.IsDeclared)
		MarkLogCalls(fset, blk, r.Paths)
		r.CellDefers(blk)
		r.passes(blk)
		if after := printNode(t, fset, blk); after != before || r.Err != nil || len(r.FuncRanges)+len(r.GenericCalls)+len(r.UnknownRanges) > 0 {
			t.Errorf("%q is inert, but the passes made it\n%s\n(err %v)", src, after, r.Err)
		}
	}
	notInert := []string{
		"p := new(int)",
		"m := min(1, 2)",
		"clear(m)",
		`println("x")`,
		`panic("x")`,
		`fmt.Println("x")`,
		`log.Print("x")`,
		"t := reflect.TypeFor[int]()",
		"var o sync.Once",
		"f := func() {}",
		"for i := range 3 { _ = i }",
		"for {}",
		"go f()",
		"defer f()",
		"v = <-ch",
		"ch <- 1",
		"select {}",
		"x := T{1}",
		"s.f",
		"f(x)",
		Prefix + "result(f(x))",
		"if x > 1 { x = 1 }",
	}
	for _, src := range notInert {
		if Inert(cellBody(t, token.NewFileSet(), src)) {
			t.Errorf("Inert(%q) = true, want false", src)
		}
	}
}

func printNode(t *testing.T, fset *token.FileSet, n ast.Node) string {
	t.Helper()
	var sb strings.Builder
	if err := printer.Fprint(&sb, fset, n); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}
