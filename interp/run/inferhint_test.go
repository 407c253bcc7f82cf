package run

import (
	"strings"
	"testing"

	"github.com/golit/golit/kernel"
)

// yaegi's "undefined type for T", reported at the generic function's
// declaration in an earlier cell, moves to the call and shows the
// instantiation to write; a call golit types runs.
func TestInferenceHint(t *testing.T) {
	s := newSession(t)
	s.ok("type Number interface{ ~int | ~float64 }\nfunc Sum[T Number](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}")
	r := s.run("vp := &struct{ X float64 }{1.5}\nfmt.Println(Sum(vp.X))")
	if r.Status != kernel.StatusError || r.Err == nil {
		t.Fatalf("want an error, got %+v", r)
	}
	want := "In[2]:2:13: undefined type for T (yaegi could not infer the type arguments of Sum)\nhint: write the type arguments: Sum[T](vp.X) with T Number, e.g. Sum[int](vp.X)"
	if r.Err.Value != want {
		t.Errorf("got  %q\nwant %q", r.Err.Value, want)
	}
	for _, c := range []struct{ code, out string }{
		{"ch := make(chan float64, 1)\nch <- 2.5\nfmt.Println(Sum(<-ch), Sum(float64(len(\"ab\"))))", "2.5 2\n"},
		{"for _, v := range map[string]float64{\"a\": 0.5} {\n\tfmt.Println(Sum(v, 1))\n}", "1.5\n"},
		{"xs := []float64{1}\nfmt.Println(Sum(xs[0]+0.5, 1))", "2.5\n"},
	} {
		if got, _ := s.ok(c.code); got != c.out {
			t.Errorf("%s\ngot  %q\nwant %q", c.code, got, c.out)
		}
	}
	if r := s.run("fmt.Println(Sum(1.5, 2))"); r.Status != kernel.StatusOK || strings.Contains(s.io.out(), "hint") {
		t.Errorf("a typed call failed: %+v", r.Err)
	}
}
