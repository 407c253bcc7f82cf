package yaegiheap

import (
	"bytes"
	"fmt"
	"go/parser"
	"runtime"
	"strings"
	"testing"

	yaegi "github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"
)

func newInterp(t *testing.T) (*yaegi.Interpreter, *bytes.Buffer) {
	t.Helper()
	var out bytes.Buffer
	yi := yaegi.New(yaegi.Options{Stdout: &out})
	if err := yi.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	return yi, &out
}

func eval(t *testing.T, yi *yaegi.Interpreter, src string) {
	t.Helper()
	if _, err := yi.Eval(src); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
}

// TestForgetScopeChildren runs cells the way a notebook does, dropping the
// child scopes after each, and checks that the lists really empty and that
// what earlier cells declared (functions, closures, methods, generic
// functions, goroutines) keeps working in later cells.
func TestForgetScopeChildren(t *testing.T) {
	if !Supported() {
		t.Fatal("yaegi's layout is not the one this package knows: update it for the new yaegi")
	}
	yi, out := newInterp(t)
	eval(t, yi, `import "fmt"`)
	eval(t, yi, `
type counter struct{ n int }
func (c *counter) add(k int) int { c.n += k; return c.n }
func adder(k int) func(int) int { return func(x int) int { return x + k } }
func max2[T int | float64](a, b T) T { if a > b { return a }; return b }
var c = &counter{}
var add2 = adder(2)
var done = make(chan int)
var got int
`)
	if n := ScopeChildren(yi); n <= 0 {
		t.Fatalf("after declarations: %d child scopes, want some (the test no longer sees what it forgets)", n)
	}
	ForgetScopeChildren(yi)
	if n := ScopeChildren(yi); n != 0 {
		t.Fatalf("after ForgetScopeChildren: %d child scopes, want 0", n)
	}
	eval(t, yi, `go func() { done <- add2(40) }(); got = <-done`)
	ForgetScopeChildren(yi)
	runtime.GC()
	for i := range 50 {
		eval(t, yi, `func() { for i := 0; i < 3; i++ { c.add(i) } }()`)
		if i%7 == 0 {
			ForgetScopeChildren(yi)
			runtime.GC()
		}
	}
	eval(t, yi, `fmt.Println(got, c.n, max2(6, 3), max2(1.5, 2.5), adder(1)(1))`)
	if got, want := strings.TrimSpace(out.String()), "42 150 6 2.5 2"; got != want {
		t.Fatalf("output %q, want %q", got, want)
	}
}

// TestForgetScopeChildrenNil checks the nil interpreter is ignored.
func TestForgetScopeChildrenNil(t *testing.T) {
	ForgetScopeChildren(nil)
	if n := ScopeChildren(nil); n != -1 {
		t.Fatalf("ScopeChildren(nil) = %d, want -1", n)
	}
}

// run compiles src, grows the frame as the engine does, and runs it.
func run(t *testing.T, yi *yaegi.Interpreter, src string) {
	t.Helper()
	f, err := parser.ParseFile(yi.FileSet(), "cell.go", "package main\n"+src, 0)
	if err != nil {
		t.Fatal(err)
	}
	prog, err := yi.CompileAST(f)
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	GrowFrame(yi)
	if _, err := yi.Execute(prog); err != nil {
		t.Fatalf("%s: %v", src, err)
	}
}

// TestGrowFrame declares a variable per cell, as a long notebook does, and
// checks that the global frame is reallocated a logarithmic number of
// times (yaegi alone reallocates and copies it for every cell), and that
// every variable keeps its value and stays shared with the functions that
// use it.
func TestGrowFrame(t *testing.T) {
	if !Supported() {
		t.Fatal("yaegi's layout is not the one this package knows: update it for the new yaegi")
	}
	yi, out := newInterp(t)
	eval(t, yi, `import "fmt"`)
	const cells = 500
	caps := map[int]bool{}
	for i := range cells {
		run(t, yi, fmt.Sprintf("var v%d = %d\nfunc f%d() int { return v%d }", i, i, i, i))
		n, c := FrameSlots(yi)
		if n < i || c < n {
			t.Fatalf("cell %d: frame of %d slots, capacity %d", i, n, c)
		}
		caps[c] = true
	}
	if len(caps) > 16 {
		t.Fatalf("the frame was reallocated %d times over %d cells, want a few (doubling)", len(caps), cells)
	}
	eval(t, yi, `v3 = 33; p := &v50; *p = 55`)
	eval(t, yi, `fmt.Println(f0(), f1(), f3(), f50(), v450, f499())`)
	if got, want := strings.TrimSpace(out.String()), "0 1 33 55 450 499"; got != want {
		t.Fatalf("output %q, want %q", got, want)
	}
}

// TestSymbols checks that Symbols counts what programs declare in a
// package's scope (TestCellFuncsForgotten in interp/run counts with it
// that running a cell's statements declares nothing), and -1 for a package
// or an interpreter it cannot read.
func TestSymbols(t *testing.T) {
	yi, out := newInterp(t)
	eval(t, yi, `import "fmt"`)
	n := Symbols(yi, "main")
	if n < 1 {
		t.Fatalf("%d symbols in main after an import", n)
	}
	// The file's import of fmt is a symbol too.
	run(t, yi, "import \"fmt\"\nfunc f() { fmt.Println(\"ran\", v) }\nvar v = 2\ntype T int")
	m := Symbols(yi, "main")
	if m < n+3 {
		t.Fatalf("%d symbols after declaring f, v and T, want at least %d", m, n+3)
	}
	run(t, yi, "func init() { f() }")
	if got := Symbols(yi, "main"); got != m {
		t.Fatalf("%d symbols after an init function, want %d", got, m)
	}
	eval(t, yi, `var w = 1`)
	if got := Symbols(yi, "main"); got != m+1 {
		t.Fatalf("%d symbols after declaring w, want %d", got, m+1)
	}
	if got := strings.TrimSpace(out.String()); got != "ran 2" {
		t.Fatalf("output %q, want %q", got, "ran 2")
	}
	if got := Symbols(yi, "nopkg"); got != -1 {
		t.Fatalf("Symbols of an unknown package: %d, want -1", got)
	}
	if got := Symbols(nil, "main"); got != -1 {
		t.Fatalf("Symbols of no interpreter: %d, want -1", got)
	}
}
