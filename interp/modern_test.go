package interp

import (
	"strings"
	"testing"
)

// count is a cell declaring the iterator most cases below range over.
const count = "import \"iter\"\nfunc Count(n int) iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}"

// modernScenarios are cells using the library and language of recent Go
// releases that yaegi v0.16.1 lacks (see stdgeneric.go, iterpkg.go,
// typeddefine.go).
var modernScenarios = []struct {
	name  string
	steps []step
}{
	{"sync.OnceValue and sync.OnceValues", []step{
		{code: "o := sync.OnceValue(func() int {\n\tfmt.Println(\"computing\")\n\treturn 4\n})\no()", out: "computing\n", result: "4"},
		{code: "o() + o()", out: "", result: "8"},
		{code: "func useO() int { return o() * 10 }\nuseO()", result: "40"},
		{code: "ov := sync.OnceValues(func() (int, error) { return 7, nil })\nn, err := ov()\nfmt.Println(n, err)", out: "7 <nil>\n"},
		{code: "bad := sync.OnceValue(func() int { panic(\"no config\") })\nfunc try() (r any) {\n\tdefer func() { r = recover() }()\n\tbad()\n\treturn nil\n}\nfmt.Println(try(), try())", out: "no config no config\n"},
		{code: "type Config struct{ Name string }\nfunc load() Config {\n\tfmt.Println(\"loading\")\n\treturn Config{\"prod\"}\n}\nvar getConfig = sync.OnceValue(load)\nfunc name() string { return getConfig().Name }\nfmt.Println(name(), name())", out: "loading\nprod prod\n"},
		{code: "var calls atomic.Int32\nshared := sync.OnceValue(func() int { calls.Add(1); return 1 })\nvar wg sync.WaitGroup\nfor range 8 {\n\twg.Add(1)\n\tgo func() { defer wg.Done(); shared() }()\n}\nwg.Wait()\ncalls.Load()", result: "1"},
		{code: "import s \"sync\"\nf := s.OnceValue(func() string { return \"renamed import\" })\nf()", result: `"renamed import"`},
	}},
	{"atomic.Pointer", []step{
		{code: "type Config struct{ Name string }\nvar cur atomic.Pointer[Config]\ncur.Load() == nil", result: "true"},
		{code: "cur.Store(&Config{\"a\"})\ncur.Load().Name", result: `"a"`},
		{code: "old := cur.Swap(&Config{\"b\"})\nfmt.Println(old.Name, cur.Load().Name, cur.CompareAndSwap(old, nil), cur.CompareAndSwap(cur.Load(), nil), cur.Load())", out: "a b false true <nil>\n"},
		{code: "type Server struct{ cfg atomic.Pointer[Config] }\nvar srv Server\nsrv.cfg.Store(&Config{\"x\"})\nsrv.cfg.Load().Name", result: `"x"`},
		// n is a pointer: yaegi copies a struct receiver to look at its
		// type before calling a pointer method, which the race detector
		// reports when goroutines share it.
		{code: "n := new(atomic.Pointer[int])\nzero := 0\nn.Store(&zero)\nvar wg sync.WaitGroup\nfor range 4 {\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tfor range 100 {\n\t\t\tfor {\n\t\t\t\told := n.Load()\n\t\t\t\tnext := *old + 1\n\t\t\t\tif n.CompareAndSwap(old, &next) {\n\t\t\t\t\tbreak\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}()\n}\nwg.Wait()\n*n.Load()", result: "400"},
		{code: "cur.Store(&Config{\"shown\"})\ncur", result: `atomic.Pointer[Config]{&Config{Name: "shown"}}`},
	}},
	{"the iter package", []step{
		{code: count + "\nslices.Collect(Count(3))", result: "[]int{0, 1, 2}"},
		{code: "var pairs iter.Seq2[string, int] = func(yield func(string, int) bool) { yield(\"a\", 1) }\nmaps.Collect(pairs)", result: `map[string]int{"a": 1}`},
		{code: "next, stop := iter.Pull(Count(3))\nfmt.Println(next())\nfmt.Println(next())\nstop()\nfmt.Println(next())", out: "0 true\n1 true\n0 false\n"},
		{code: "func pull2() {\n\tnext, stop := iter.Pull2(maps.All(map[string]int{\"k\": 9}))\n\tdefer stop()\n\tk, v, ok := next()\n\tfmt.Println(k, v, ok)\n\tk, v, ok = next()\n\tfmt.Println(k, v, ok)\n}\npull2()", out: "k 9 true\n 0 false\n"},
		{code: "func broken(yield func(int) bool) { yield(1); panic(\"seq broke\") }\nfunc drain() (r any) {\n\tdefer func() { r = recover() }()\n\tnext, _ := iter.Pull(broken)\n\tnext()\n\tnext()\n\treturn nil\n}\nfmt.Printf(\"%T %v\\n\", drain(), drain())", out: "string seq broke\n"},
		{code: "next, stop := iter.Pull(Count(2))\nstop()\nfmt.Println(next())", out: "0 false\n"},
	}},
	{"iterator functions of slices and maps", []step{
		{code: "slices.AppendSeq([]int{1}, slices.Values([]int{2, 3}))", result: "[]int{1, 2, 3}"},
		{code: "maps.Collect(slices.Backward([]string{\"a\", \"b\"}))", result: `map[int]string{0: "a", 1: "b"}`},
		{code: "slices.Collect(slices.Chunk([]int{1, 2, 3, 4, 5}, 2))", result: "[][]int{{1, 2}, {3, 4}, {5}}"},
		{code: "type kv struct {\n\tk string\n\tv int\n}\nfmt.Println(slices.SortedStableFunc(slices.Values([]kv{{\"b\", 1}, {\"a\", 1}, {\"c\", 0}}), func(x, y kv) int { return x.v - y.v }))", out: "[{c 0} {b 1} {a 1}]\n"},
		{code: "m := map[string]int{\"a\": 1}\nmaps.Insert(m, maps.All(map[string]int{\"b\": 2}))\nm", result: `map[string]int{"a": 1, "b": 2}`},
	}},
	{"notebook variables from generic calls", []step{
		{code: "m := map[string]int{\"b\": 1, \"a\": 2}\nkeys := slices.Sorted(maps.Keys(m))\nkeys", result: `[]string{"a", "b"}`},
		{code: "func nKeys() int { return len(keys) }\nnKeys()", result: "2"},
		{code: "type P struct{ N int }\nps := slices.Collect(slices.Values([]P{{1}, {2}}))\nps[1].N", result: "2"},
		{code: "var xs []int = slices.Repeat([]int{1}, 2)\nvar at = slices.Index([]int{5, 6}, 6)\nfmt.Println(xs, at)", out: "[1 1] 1\n"},
		{code: "func Gen[T any](v T) func() T { return func() T { return v } }\ng := Gen(\"made\")\ng()", result: `"made"`},
	}},
	{"generic calls yaegi cannot instantiate point into the cell", []step{
		{code: "maps.Keys(map[string]int{\"a\": 1})", result: "func(func(string) bool)"},
		{code: "x := 1\nslices.Collect(nil)", ename: ENameCompile, errHas: []string{"In[2]:2:1: yaegi could not infer the type arguments of slices.Collect here (undefined type for E)"}},
		{code: "maps.Keys(nil)", ename: ENameCompile, errHas: []string{"In[3]:1:1: yaegi could not instantiate maps.Keys with these arguments"}},
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

func TestCompleteModernSymbols(t *testing.T) {
	s := newSession(t)
	for code, want := range map[string]string{
		"sync.OnceV": "OnceValues",
		"atomic.Po":  "Pointer",
		"iter.P":     "Pull2",
		"slices.Ch":  "Chunk",
	} {
		if c := s.e.Complete(code, len(code)); !contains(c.Matches, want) {
			t.Errorf("Complete(%q) = %v, want %s among them", code, c.Matches, want)
		}
	}
	for code, want := range map[string]string{
		"sync.OnceValue": "func OnceValue[T any](f func() T) func() T",
		"atomic.Pointer": "type Pointer[T any] struct",
		"iter.Pull":      "func Pull[V any](seq Seq[V])",
		"iter.Seq":       "type Seq[V any] func(yield func(V) bool)",
	} {
		in := s.e.Inspect(code, len(code), 0)
		if text, _ := in.Data["text/plain"].(string); !in.Found || !strings.Contains(text, want) {
			t.Errorf("Inspect(%q) = %v %q, want %q", code, in.Found, text, want)
		}
	}
}
