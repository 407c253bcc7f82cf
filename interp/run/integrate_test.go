package run

import (
	"strings"
	"testing"

	"github.com/golit/golit/interp/present"

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
	_, r := s2.ok("up(\"go\") + fmt.Sprint(P{A: K}.Double())")
	if textOf(r.Result) != `"GO6"` {
		t.Fatalf("after Restore: %v\n%s", r.Result, decls)
	}
	// The variables' values are lost: reading one is an error naming the
	// cell that defined it, never a silent zero.
	for _, c := range []string{"counter", "n + 1", "func twice() int { return 2 * n }\ntwice()"} {
		r = s2.run(c)
		if r.Status != kernel.StatusError || r.Err.Name != ENameLost || !strings.Contains(r.Err.Value, "In[1]") {
			t.Fatalf("%q after Restore: %+v %v", c, r.Err, r.Result)
		}
	}
	if _, r = s2.ok("n = 4\nn * 2"); textOf(r.Result) != "8" {
		t.Fatalf("assigned again: %v", r.Result)
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

// pageText returns the text/plain of a reply's page payloads, joined.
func pageText(t *testing.T, r kernel.ExecuteReply) (string, int) {
	t.Helper()
	var texts []string
	for _, p := range r.Payload {
		d, ok := p["data"].(kernel.Bundle)
		if p["source"] != kernel.PayloadPage || p["start"] != 0 || !ok {
			t.Errorf("malformed page payload %#v", p)
			continue
		}
		texts = append(texts, d["text/plain"].(string))
	}
	return strings.Join(texts, "|"), len(r.Payload)
}

// TestHelpIsAPagePayload runs help requests through the engine: the
// documentation comes back as one page payload of the reply, not as output,
// and falls back to stdout when the cell fails.
func TestHelpIsAPagePayload(t *testing.T) {
	const split = "func Split(s, sep string) []string\n\nSplit slices s into all substrings separated by sep"
	tests := []struct {
		code   string
		ename  string   // "" when the cell must succeed
		page   []string // substrings of the one page, in this order; nil: no payload
		out    string   // exact stdout, unless outHas
		outHas []string // substrings of stdout, in this order
	}{
		{code: "?strings.Split", page: []string{split}},
		{code: "strings.Split?", page: []string{split}},
		{code: "strings.Split??", page: []string{split}},
		{code: "%help strings.Split", page: []string{split}},
		{code: "%help %timeit", page: []string{"%timeit [-n N] [-r R] [-q] STATEMENT\n    time a Go statement"}},
		{code: "%help", page: []string{"golit magics", "?NAME, NAME?, %help NAME"}},
		{code: "func double(n int) int { return 2 * n }", page: nil},
		{code: "double?", page: []string{"func double(n int) int { return 2 * n }"}},
		{code: "n := 21\nn?", page: []string{"var n int\n\nvalue: 21"}},
		// In the middle of code: the code runs in order, the help of every
		// line is one page, in order.
		{code: "x := 2\n?strings.Split\nfmt.Println(x)\nfmt?\nfmt.Println(x * 2)", out: "2\n4\n",
			page: []string{split, "\n\npackage fmt // import \"fmt\""}},
		{code: "nosuchname?", out: "Object `nosuchname` not found.\n", page: nil},
		// A failed cell shows its help on stdout (frontends ignore the
		// payloads of failed cells).
		{code: "?strings.Split\npanic(\"boom\")", ename: present.ENamePanic, outHas: []string{split}, page: nil},
		{code: "fmt.Println(\"first\")\ndouble?\nvar m map[string]int\nm[\"a\"] = 1", ename: present.ENameRuntime,
			outHas: []string{"first\n", "func double(n int) int"}, page: nil},
		{code: "?strings.Split\ngo func() { panic(\"late\") }()\ntime.Sleep(200 * time.Millisecond)", ename: present.ENameGoroutinePanic,
			outHas: []string{split}, page: nil},
	}
	s := newSession(t)
	for _, tt := range tests {
		s.io.reset()
		r := s.run(tt.code)
		if tt.ename == "" && r.Status != kernel.StatusOK {
			t.Fatalf("cell %q: %s: %s", tt.code, r.Err.Name, r.Err.Value)
		}
		if tt.ename != "" && (r.Status != kernel.StatusError || r.Err.Name != tt.ename) {
			t.Fatalf("cell %q: want %s, got %+v", tt.code, tt.ename, r.Err)
		}
		text, n := pageText(t, r)
		if tt.page == nil && n != 0 {
			t.Errorf("cell %q: unexpected payload %q", tt.code, text)
		}
		if tt.page != nil {
			if n != 1 {
				t.Errorf("cell %q: %d payloads, want one page", tt.code, n)
			}
			rest := text
			for _, want := range tt.page {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Errorf("cell %q: page lacks %q (in order):\n%s", tt.code, want, text)
					break
				}
				rest = rest[i+len(want):]
			}
		}
		if tt.outHas == nil && s.io.out() != tt.out {
			t.Errorf("cell %q: stdout = %q, want %q", tt.code, s.io.out(), tt.out)
		}
		rest := s.io.out()
		for _, want := range tt.outHas {
			i := strings.Index(rest, want)
			if i < 0 {
				t.Errorf("cell %q: stdout lacks %q (in order): %q", tt.code, want, s.io.out())
				break
			}
			rest = rest[i+len(want):]
		}
	}
}
