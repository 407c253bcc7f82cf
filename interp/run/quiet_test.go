package run

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/interp/present"
	"github.com/golit/golit/kernel"
)

// TestQuiet checks which programs quiet lets run on the calling goroutine:
// only those that can neither block, loop, call code nor end their
// goroutine.
func TestQuiet(t *testing.T) {
	declared := func(name string) bool { return name == "cap" }
	imported := func(name string) string {
		return map[string]string{"fmt": "fmt", "f2": "fmt", "log": "log"}[name]
	}
	block := func(src string) ast.Node {
		f, err := parser.ParseFile(token.NewFileSet(), "", "package main;func main(){"+src+"\n}", parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %q: %v", src, err)
		}
		return f.Decls[0].(*ast.FuncDecl).Body
	}
	file := func(src string) ast.Node {
		f, err := parser.ParseFile(token.NewFileSet(), "", "package main\n"+src, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %q: %v", src, err)
		}
		return f
	}
	cases := []struct {
		n    ast.Node
		want bool
	}{
		{block("x := 1 + 1"), true},
		{block("golit__result(x[3] * 2)"), true},
		{block("golit__stmt++\ngolit__result(float64(x) / 2)"), true},
		{block("defer golit__rt.Done(3)\ny = len(s)"), true},
		{block("if x > 1 { x = 1 } else { x = 2 }"), true},
		{block("f := func() { for {} }"), true}, // not called
		{block("golit__result(cap(s))"), false}, // the notebook declares cap
		{block(`fmt.Println("hello", 1+2)`), true},
		{block(`f2.Printf("%d\n", -3)`), true},
		{block("fmt.Println(x)"), false}, // x's String method would run
		{block(`fmt.Sprint("a")`), false},
		{block(`fmt.Println(<-ch)`), false},
		{block(`log.Println("a")`), false},
		{block(`strings.ToUpper("a")`), false},
		{block("golit__result(f())"), false},
		{block("x := T(1)"), false},
		{block("for {}"), false},
		{block("for i := range 3 { _ = i }"), false},
		{block("v := <-ch"), false},
		{block("ch <- 1"), false},
		{block("go f()"), false},
		{block("defer f()"), false},
		{block("select {}"), false},
		{block("L: goto L"), false},
		{block("switch { case x > 1: }"), false},
		{file("func add(a, b int) int { for {} }"), true}, // declared, not run
		{file("type T struct{}\nfunc (T) M() { for {} }\nconst c = 1"), true},
		{file("var y = 7\nvar z int"), true},
		{file("var y = f()"), false},
		{file("func init() { for {} }"), false},
		{file("func init() { x = 1 }"), true},
	}
	for _, c := range cases {
		if got := quiet(c.n, declared, imported); got != c.want {
			t.Errorf("quiet(%s) = %v, want %v", nodeText(c.n), got, c.want)
		}
	}
}

func nodeText(n ast.Node) string {
	var sb strings.Builder
	ast.Fprint(&sb, token.NewFileSet(), n, ast.NotNilFilter)
	s := sb.String()
	if len(s) > 80 {
		s = s[:80]
	}
	return s
}

// TestQuietCells runs cells whose programs are quiet, and cells that only
// look so, through a session: results, a notebook function named like a
// builtin, a panic's stack, an interrupted init function.
func TestQuietCells(t *testing.T) {
	s := newSession(t)
	s.ok("x := 41")
	if _, r := s.ok("x + 1"); textOf(r.Result) != "42" {
		t.Fatalf("x + 1 = %v", r.Result)
	}
	if _, r := s.ok("float64(x) / 2"); textOf(r.Result) != "20.5" {
		t.Fatalf("float64(x) / 2 = %v", r.Result)
	}
	s.ok("func len(s string) int { return 7 }")
	if _, r := s.ok(`len("abc")`); textOf(r.Result) != "7" {
		t.Fatalf(`len("abc") with a notebook len = %v`, r.Result)
	}
	r := s.run("var a []int\na[3]")
	if r.Status != kernel.StatusError || !strings.Contains(strings.Join(r.Err.Traceback, "\n"), "In[6]:2:1: cell") {
		t.Fatalf("a[3]: %+v", r.Err)
	}
	done := make(chan kernel.ExecuteReply, 1)
	go func() { done <- s.run("func init() { for {} }") }()
	if !eventually(10*time.Second, s.cellRunning) {
		t.Fatal("the init cell never started")
	}
	time.Sleep(50 * time.Millisecond)
	s.e.Interrupt()
	select {
	case r := <-done:
		if r.Status != kernel.StatusError || r.Err.Name != present.ENameInterrupted {
			t.Fatalf("interrupted init: %+v", r.Err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("an init function's loop did not stop after an interrupt")
	}
	if _, r := s.ok("x"); textOf(r.Result) != "41" {
		t.Fatalf("x after the interrupt = %v", r.Result)
	}
}

// TestImportsBoundInLaterCells checks imports made in a later cell's file
// from the symbols of the first (importscope.go): compiled packages, a
// renamed import, and a package yaegi interprets from source.
func TestImportsBoundInLaterCells(t *testing.T) {
	s := newSession(t)
	s.ok("import (\n\t\"strings\"\n\tm \"math\"\n\t\"slices\"\n)")
	for range 3 {
		s.ok("n := 1")
	}
	if _, r := s.ok(`strings.Repeat("ab", 2)`); textOf(r.Result) != `"abab"` {
		t.Fatalf("strings.Repeat = %v", r.Result)
	}
	if _, r := s.ok("m.Sqrt(16)"); textOf(r.Result) != "4" {
		t.Fatalf("m.Sqrt = %v", r.Result)
	}
	if _, r := s.ok("slices.Max([]int{3, 9, 2})"); textOf(r.Result) != "9" {
		t.Fatalf("slices.Max = %v", r.Result)
	}
	if len(s.e.importSyms) == 0 && mainScope.ok && binPkgField.ok {
		t.Fatal("no import symbol was kept for later cells")
	}
}

// TestRunners checks the goroutine that runs programs (runner.go): reused
// from cell to cell, as fresh as a new goroutine for each program (the
// frames of a panic recovered in one program do not show in the next
// one's failure), replaced after runtime.Goexit ends it.
func TestRunners(t *testing.T) {
	s := newSession(t)
	s.ok("func inner() { panic(\"first\") }\nfunc f() { defer func() { recover() }(); inner() }\nfunc g() int { var a []int; return a[5] }")
	s.ok("f()")
	r1 := s.e.runners.idle
	if r1 == nil {
		t.Fatal("no idle runner after a call cell")
	}
	s.ok("f()")
	if s.e.runners.idle != r1 {
		t.Fatal("the runner was not reused")
	}
	r := s.run("f()\ny := g()")
	tb := strings.Join(r.Err.Traceback, "\n")
	if r.Status != kernel.StatusError || !strings.Contains(tb, "in g,") || strings.Contains(tb, "in inner") {
		t.Fatalf("g's failure after f's recovered panic on the same runner:\n%s", tb)
	}
	if s.e.runners.idle != r1 {
		t.Fatal("the runner was not reused within a cell")
	}
	r = s.run("runtime.Goexit()")
	if r.Status != kernel.StatusError {
		t.Fatalf("runtime.Goexit: %+v", r)
	}
	s.ok("f()")
	if s.e.runners.idle == nil || s.e.runners.idle == r1 {
		t.Fatal("no new runner after runtime.Goexit ended the old one")
	}
}
