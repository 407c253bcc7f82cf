package run

import "testing"

// A cell's deferred call of a function literal with a composite literal
// argument runs the literal: the rewrite evaluates the literal in a define
// of its own (interp/rewrite/callframe.go), since yaegi v0.16.1 left the
// function nil when one define held both ("call of nil function").
func TestDeferredLiteralWithCompositeArgument(t *testing.T) {
	s := newSession(t)
	s.ok("n := 0\ndefer func(xs ...int) { n = len(xs) }([]int{1, 2}...)\ndefer func(m map[string]int) { n += m[\"a\"] }(map[string]int{\"a\": 10})")
	if _, r := s.ok("n"); textOf(r.Result) != "2" {
		t.Fatalf("n = %s after the cell's deferred calls, want 2", textOf(r.Result))
	}
}

// A function literal assigned beside a composite literal, in a define, an
// assignment or a var declaration, at the top of a cell or in a function,
// holds the function (funcLitPairs in interp/rewrite/funclitpair.go; yaegi
// v0.16.1 left it nil: "call of nil function").
func TestFuncLitBesideCompositeLit(t *testing.T) {
	s := newSession(t)
	cases := []struct{ code, want string }{
		{"f1, s1 := func() int { return 1 }, []int{1, 2}\nf1() + len(s1)", "3"},
		{"func() int { f, s := func(xs ...int) int { return len(xs) }, []int{4, 5}; return f(s...) }()", "2"},
		{"var f3, m3 = func() int { return 3 }, map[string]int{\"a\": 1}\nf3() + m3[\"a\"]", "4"},
		{"func h5() int { f, s := func() int { return 5 }, []int{1}; return f() + len(s) }\nh5()", "6"},
		{"var f4 func() int\nvar p4 struct{ X int }\nf4, p4 = func() int { return 4 }, struct{ X int }{X: 1}\nf4() + p4.X", "5"},
	}
	for _, c := range cases {
		_, r := s.ok(c.code)
		if got := textOf(r.Result); got != c.want {
			t.Errorf("cell %q = %q, want %q", c.code, got, c.want)
		}
	}
}
