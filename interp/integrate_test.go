package interp

import (
	"strings"
	"testing"

	"github.com/golit/golit/kernel"
)

func TestMagicsThroughEngine(t *testing.T) {
	s := newSession(t)
	out, _ := s.ok("%%time\nx := 0\nfor i := range 1000 { x += i }\nfmt.Println(x)")
	if !strings.Contains(out, "499500") || !strings.Contains(out, "Wall time") {
		t.Fatalf("%%%%time output = %q", out)
	}
	out, _ = s.ok("!echo from-shell")
	if !strings.Contains(out, "from-shell") {
		t.Fatalf("!echo output = %q", out)
	}
	_, r := s.ok("x")
	if textOf(r.Result) != "499500" {
		t.Fatalf("x after %%%%time = %v", r.Result)
	}
	s.io.reset()
	r = s.run("%nosuchmagic")
	if r.Status != kernel.StatusError {
		t.Fatalf("unknown magic did not fail: %+v", r)
	}
}

func TestCompleteAndInspect(t *testing.T) {
	s := newSession(t)
	s.ok("type Point struct{ X, Y int }\np := Point{1, 2}")
	c := s.e.Complete("strings.Sp", 10)
	if !contains(c.Matches, "Split") {
		t.Fatalf("strings.Sp completions = %v", c.Matches)
	}
	c = s.e.Complete("p.", 2)
	if !contains(c.Matches, "X") {
		t.Fatalf("p. completions = %v", c.Matches)
	}
	in := s.e.Inspect("strings.Split", 10, 0)
	if !in.Found {
		t.Fatalf("inspect strings.Split found nothing")
	}
	if r := s.e.IsComplete("func f() {"); r.Status != "incomplete" {
		t.Fatalf("is_complete of an open brace = %+v", r)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestGlobalsAndDeclarations(t *testing.T) {
	s := newSession(t)
	s.ok("import \"strings\"\nconst K = 3\ntype P struct{ A int }\nfunc (p P) Double() int { return 2 * p.A }\nfunc up(s string) string { return strings.ToUpper(s) }\nvar counter int\nn := 5")
	names := map[string]string{}
	for _, g := range s.e.Globals() {
		names[g.Name] = g.Kind
	}
	for name, kind := range map[string]string{"K": "const", "P": "type", "P.Double": "method", "up": "func", "counter": "var", "n": "var", "strings": "import"} {
		if names[name] != kind {
			t.Errorf("Globals: %s is %q, want %q (all: %v)", name, names[name], kind, names)
		}
	}
	decls := s.e.Declarations()
	// A fresh engine restores the declarations and can call the functions.
	s2 := newSession(t)
	if err := s2.e.Restore(decls); err != nil {
		t.Fatalf("Restore: %v\n%s", err, decls)
	}
	_, r := s2.ok("up(\"go\") + fmt.Sprint(P{A: K}.Double(), counter, n)")
	if textOf(r.Result) != `"GO6 0 0"` {
		t.Fatalf("after Restore: %v\n%s", r.Result, decls)
	}
}

func TestReset(t *testing.T) {
	s := newSession(t)
	s.ok("gone := 1")
	s.ok("%reset -f")
	s.io.reset()
	r := s.run("gone")
	if r.Status != kernel.StatusError {
		t.Fatalf("variable survived %%reset: %v", r.Result)
	}
	s.ok("fmt.Println(\"still works\")")
}

func TestTimeit(t *testing.T) {
	s := newSession(t)
	s.ok("func work() int { s := 0; for i := range 100 { s += i }; return s }")
	out, _ := s.ok("%timeit -n 10 -r 2 work()")
	if !strings.Contains(out, "per loop") {
		t.Fatalf("%%timeit output = %q", out)
	}
	for _, g := range s.e.Globals() {
		if strings.HasPrefix(g.Name, "_golit") {
			t.Errorf("hidden variable %s listed by Globals", g.Name)
		}
	}
}
