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
