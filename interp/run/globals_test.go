package run

import (
	"context"
	"testing"

	"github.com/golit/golit/kernel"
)

// global must see exactly what yaegi's Globals returns, name by name: it
// reads yaegi's symbols directly.
func TestGlobalMatchesGlobals(t *testing.T) {
	if !yaegiSym.ok {
		t.Fatal("yaegi's symbol layout was not recognised: global falls back to Globals (slow on long sessions)")
	}
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer e.Shutdown(false)
	for i, c := range []string{"const K = 3\nconst S = \"s\"", "var a, b = 1, \"two\"", "x := []int{1, 2}", "func f() int { return 1 }\ntype T struct{ A int }", "var t T", "x := 2.5"} {
		if r := e.Execute(context.Background(), kernel.ExecuteRequest{Code: c, ExecutionCount: i + 1}, declsIO{}); r.Status != kernel.StatusOK {
			t.Fatalf("%q: %s", c, r.Err.Value)
		}
	}
	all := e.yi.Globals()
	for n, want := range all {
		got, ok := e.global(n)
		if !ok || got.Type() != want.Type() || (got.CanInterface() && want.CanInterface() && got.Type().Comparable() && got.Interface() != want.Interface()) {
			t.Errorf("global(%q) = %v, %v; Globals has %v", n, got, ok, want)
		}
	}
	for _, n := range []string{"x", "a", "K", "t"} {
		if _, ok := all[n]; !ok {
			t.Errorf("Globals lacks %q", n)
		}
	}
	for _, n := range []string{"f", "T", "nosuch"} {
		if _, ok := e.global(n); ok {
			t.Errorf("global(%q) found a function, type or nothing", n)
		}
	}
}
