package interp

import (
	"strings"
	"testing"
)

// modernScenarios are cells using the library and language of recent Go
// releases that yaegi v0.16.1 lacks (see typeddefine.go).
var modernScenarios = []struct {
	name  string
	steps []step
}{
	{"notebook variables from generic calls", []step{
		{code: "m := map[string]int{\"b\": 1, \"a\": 2}\nkeys := slices.Sorted(maps.Keys(m))\nkeys", result: `[]string{"a", "b"}`},
		{code: "func nKeys() int { return len(keys) }\nnKeys()", result: "2"},
		{code: "type P struct{ N int }\nps := slices.Collect(slices.Values([]P{{1}, {2}}))\nps[1].N", result: "2"},
		{code: "var xs []int = slices.Repeat([]int{1}, 2)\nvar at = slices.Index([]int{5, 6}, 6)\nfmt.Println(xs, at)", out: "[1 1] 1\n"},
		{code: "func Gen[T any](v T) func() T { return func() T { return v } }\ng := Gen(\"made\")\ng()", result: `"made"`},
	}},
}

func TestModernGo(t *testing.T) {
	for _, sc := range modernScenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := newSession(t)
			for _, st := range sc.steps {
				s.io.reset()
				r := s.run(st.code)
				checkStep(t, s, st, r)
				for _, m := range []string{"golit-", "golit__"} {
					if r.Err != nil && strings.Contains(r.Err.Value, m) {
						t.Errorf("cell %q: the error names golit's internals: %s", st.code, r.Err.Value)
					}
				}
			}
		})
	}
}
