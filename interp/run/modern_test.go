package run

import (
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/kernel"
)

// count is a cell declaring the iterator most cases below range over.
const count = "import \"iter\"\nfunc Count(n int) iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n\t\tfor i := 0; i < n; i++ {\n\t\t\tif !yield(i) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}"

// modernScenarios are cells using the library and language of recent Go
// releases that yaegi v0.16.1 lacks (see rangefunc.go, stdgeneric.go,
// iterpkg.go, typeddefine.go).
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
	{"range over function iterators", []step{
		{code: "seq := func(yield func(int) bool) {\n\tfor i := range 3 {\n\t\tif !yield(i * 10) {\n\t\t\treturn\n\t\t}\n\t}\n}\nfor x := range seq {\n\tfmt.Println(x)\n}", out: "0\n10\n20\n"},
		{code: count + "\ntotal := 0\nfor v := range Count(5) {\n\ttotal += v\n}\ntotal", result: "10"},
		{code: "func Sum(s iter.Seq[int]) int {\n\tt := 0\n\tfor v := range s {\n\t\tt += v\n\t}\n\treturn t\n}\nSum(Count(4))", result: "6"},
		{code: "vals := slices.Values([]string{\"a\", \"b\"})\nfor v := range vals {\n\tfmt.Print(v)\n}", out: "ab"},
		{code: "for v := range vals {\n\tfmt.Print(v, v)\n}", out: "aabb"},
		{code: "type Tree struct{ vals []int }\nfunc (t *Tree) All() iter.Seq[int] {\n\treturn func(yield func(int) bool) {\n\t\tfor _, v := range t.vals {\n\t\t\tif !yield(v) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\nt := &Tree{vals: []int{5, 6}}\nfor v := range t.All() {\n\tfmt.Println(v)\n}", out: "5\n6\n"},
		{code: "func Pairs() iter.Seq2[string, int] {\n\treturn func(yield func(string, int) bool) {\n\t\t_ = yield(\"a\", 1) && yield(\"b\", 2)\n\t}\n}\nfor k, v := range Pairs() {\n\tfmt.Print(k, v, \" \")\n}\nfor k := range Pairs() {\n\tfmt.Print(k)\n}\nfor range Pairs() {\n\tfmt.Print(\".\")\n}", out: "a1 b2 ab.."},
		{code: "func Filter[V any](seq iter.Seq[V], keep func(V) bool) iter.Seq[V] {\n\treturn func(yield func(V) bool) {\n\t\tfor v := range seq {\n\t\t\tif keep(v) && !yield(v) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\nfor v := range Filter(Count(10), func(i int) bool { return i%3 == 0 }) {\n\tfmt.Print(v, \" \")\n}", out: "0 3 6 9 "},
		{code: "for part := range strings.SplitSeq(\"a,b,c\", \",\") {\n\tfmt.Print(part, \";\")\n}\nfor line := range strings.Lines(\"x\\ny\\n\") {\n\tfmt.Printf(\"%q \", line)\n}", out: "a;b;c;\"x\\n\" \"y\\n\" "},
		{code: "all := maps.All(map[string]int{\"k\": 1})\nfor k, v := range all {\n\tfmt.Println(k, v)\n}", out: "k 1\n"},
		{code: "var x int\nfor x = range Count(3) {\n}\nx", result: "2"},
		{code: "seqs := map[string]iter.Seq[int]{\"a\": Count(2)}\nfor v := range seqs[\"a\"] {\n\tfmt.Print(v)\n}", out: "01"},
		{code: "func zero(yield func() bool) { _ = yield() && yield() }\nfor range zero {\n\tfmt.Print(\"z\")\n}", out: "zz"},
		{code: "type List[T any] struct{ xs []T }\nfunc (l *List[T]) All() iter.Seq[T] {\n\treturn func(yield func(T) bool) {\n\t\tfor _, x := range l.xs {\n\t\t\tif !yield(x) {\n\t\t\t\treturn\n\t\t\t}\n\t\t}\n\t}\n}\nl := &List[string]{xs: []string{\"p\", \"q\"}}\nfor v := range l.All() {\n\tfmt.Print(v)\n}\nfunc joined(l *List[string]) (s string) {\n\tfor v := range l.All() {\n\t\ts += v\n\t}\n\treturn\n}\njoined(l)", out: "pq", result: `"pq"`},
		{code: "var anySeq any = Count(2)\nfor v := range anySeq.(iter.Seq[int]) {\n\tfmt.Print(v)\n}", out: "01"},
		// The guesser does not follow receives: yaegi fails, and the
		// range is compiled again as a range over a function.
		{code: "ch := make(chan iter.Seq[int], 1)\nch <- Count(3)\nfor v := range <-ch {\n\tfmt.Print(v)\n}", out: "012"},
		{code: "var notSeq any = 1\nfor v := range notSeq {\n\tfmt.Print(v)\n}", ename: present.ENameCompile, errHas: []string{"yaegi could not type this code; a range over a function whose type golit could not follow is the usual cause"}},
	}},
	{"range over function control flow", []step{
		{code: count},
		{code: "for v := range Count(10) {\n\tif v%2 == 0 {\n\t\tcontinue\n\t}\n\tif v > 5 {\n\t\tbreak\n\t}\n\tfmt.Print(v, \" \")\n}", out: "1 3 5 "},
		{code: "rows:\nfor i := range 4 {\n\tfor v := range Count(4) {\n\t\tif v > i {\n\t\t\tcontinue rows\n\t\t}\n\t\tif i == 3 {\n\t\t\tbreak rows\n\t\t}\n\t\tfmt.Print(i, v, \" \")\n\t}\n}", out: "0 0 1 0 1 1 2 0 2 1 2 2 "},
		{code: "outer:\nfor x := range Count(3) {\n\tfor y := range Count(3) {\n\t\tif y == 2 {\n\t\t\tcontinue outer\n\t\t}\n\t\tif x == 2 {\n\t\t\tbreak outer\n\t\t}\n\t\tfmt.Print(x, y, \" \")\n\t}\n}", out: "0 0 0 1 1 0 1 1 "},
		{code: "func first(s iter.Seq[int], min int) (int, bool) {\n\tfor v := range s {\n\t\tif v >= min {\n\t\t\treturn v, true\n\t\t}\n\t}\n\treturn 0, false\n}\nfmt.Println(first(Count(10), 4))\nfmt.Println(first(Count(3), 4))", out: "4 true\n0 false\n"},
		{code: "func find(target int) (a, b int, ok bool) {\n\tfor x := range Count(5) {\n\t\tfor y := range Count(5) {\n\t\t\tif x*y == target {\n\t\t\t\treturn x, y, true\n\t\t\t}\n\t\t}\n\t}\n\treturn\n}\nfmt.Println(find(6))\nfmt.Println(find(100))", out: "2 3 true\n0 0 false\n"},
		{code: "func withDefer() {\n\tdefer fmt.Println(\"function ends\")\n\tfor v := range Count(3) {\n\t\tdefer fmt.Println(\"deferred\", v)\n\t\tfmt.Println(\"body\", v)\n\t}\n\tdefer fmt.Println(\"after the loop\")\n}\nwithDefer()", out: "body 0\nbody 1\nbody 2\nafter the loop\ndeferred 2\ndeferred 1\ndeferred 0\nfunction ends\n"},
		{code: "for v := range Count(2) {\n\tdefer fmt.Println(\"cell defer\", v)\n}\nfmt.Println(\"cell body\")", out: "cell body\ncell defer 1\ncell defer 0\n"},
		{code: "var fs []func() int\nfor v := range Count(3) {\n\tfs = append(fs, func() int { return v })\n}\nfor _, f := range fs {\n\tfmt.Print(f(), \" \")\n}", out: "0 1 2 "},
		{code: "var mu sync.Mutex\nvar got []int\nvar wg sync.WaitGroup\nfor v := range Count(4) {\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tmu.Lock()\n\t\tgot = append(got, v)\n\t\tmu.Unlock()\n\t}()\n}\nwg.Wait()\nslices.Sort(got)\ngot", result: "[]int{0, 1, 2, 3}"},
		{code: "for v := range Count(5) {\n\tswitch {\n\tcase v == 1:\n\t\tcontinue\n\tcase v == 3:\n\t\tbreak\n\t}\n\tfor {\n\t\tif v == 4 {\n\t\t\tbreak\n\t\t}\n\t\tbreak\n\t}\n\tfmt.Print(v, \" \")\n}", out: "0 2 3 4 "},
		{code: "func bad() {\n\tfor v := range Count(3) {\n\t\tif v == 1 {\n\t\t\tpanic(\"boom at 1\")\n\t\t}\n\t}\n}\nbad()", ename: present.ENamePanic, errHas: []string{"boom at 1", "In[12]:4:4: bad", "in a function literal in Count", "In[12]:8:1: cell"}},
		{code: "func recovering(yield func(int) bool) {\n\tdefer func() { recover() }()\n\tyield(1)\n}\nfor v := range recovering {\n\tpanic(v)\n}", ename: present.ENamePanic, errHas: []string{"the iterator recovered a panic of the loop body"}},
		{code: "func ignoresFalse(yield func(int) bool) { yield(1); yield(2) }\nfor v := range ignoresFalse {\n\tfmt.Println(v)\n\tbreak\n}", out: "1\n", ename: present.ENamePanic, errHas: []string{"the iterator called yield again after the loop body returned false"}},
		{code: "for v := range Count(5) {\n\tif v == 2 {\n\t\tgoto done\n\t}\n}\ndone:", ename: present.ENameCompile, errHas: []string{"In[15]:3:3: goto done leaves the body of a range over a function"}},
		{code: "for i, v := range Count(3) {\n\tfmt.Println(i, v)\n}", ename: present.ENameCompile, errHas: []string{"In[16]:1:1: range over Count(…) (an iterator of 1 value per iteration) permits only 1 iteration variable"}},
		{code: "fmt.Println(\"still fine\")", out: "still fine\n"},
	}},
	{"iterator functions of slices and maps", []step{
		{code: "slices.AppendSeq([]int{1}, slices.Values([]int{2, 3}))", result: "[]int{1, 2, 3}"},
		{code: "for i, v := range slices.Backward([]string{\"a\", \"b\"}) {\n\tfmt.Print(i, v, \" \")\n}", out: "1b 0a "},
		{code: "for c := range slices.Chunk([]int{1, 2, 3, 4, 5}, 2) {\n\tfmt.Print(c, \" \")\n}", out: "[1 2] [3 4] [5] "},
		{code: "type kv struct {\n\tk string\n\tv int\n}\nfmt.Println(slices.SortedStableFunc(slices.Values([]kv{{\"b\", 1}, {\"a\", 1}, {\"c\", 0}}), func(x, y kv) int { return x.v - y.v }))", out: "[{c 0} {b 1} {a 1}]\n"},
		{code: "m := map[string]int{\"a\": 1}\nmaps.Insert(m, maps.All(map[string]int{\"b\": 2}))\nm", result: `map[string]int{"a": 1, "b": 2}`},
	}},
	{"slices and maps functions yaegi's sources declare with S ~[]E", []step{
		{code: "xs := []int{3, 1, 3, 3, 2}\nys := slices.Clone(xs)\nslices.Reverse(ys)\nfmt.Println(ys, xs, slices.Equal(xs, ys), slices.Compare(xs, ys))", out: "[2 3 3 1 3] [3 1 3 3 2] false 1\n"},
		{code: "fmt.Println(slices.Compact([]int{1, 1, 2, 2, 1}), slices.Delete([]int{0, 1, 2, 3}, 1, 3), slices.Insert([]int{1, 4}, 1, 2, 3), slices.Replace([]int{1, 9, 4}, 1, 2, 2, 3))", out: "[1 2 1] [0 3] [1 2 3 4] [1 2 3 4]\n"},
		{code: "fmt.Println(slices.DeleteFunc([]int{1, 2, 3, 4}, func(v int) bool { return v%2 == 0 }), cap(slices.Grow([]int{1}, 10)) >= 11, len(slices.Clip(make([]int, 2, 8))))", out: "[1 3] true 2\n"},
		{code: "m := map[string]int{\"a\": 1}\nc := maps.Clone(m)\nmaps.Copy(c, map[string]int{\"b\": 2})\nfmt.Println(len(m), len(c), maps.Equal(m, c))", out: "1 2 false\n"},
		{code: "slices.Concat([]int{1}, []int{2})", ename: present.ENameCompile, errHas: []string{"In[5]:1:1: yaegi could not infer the type arguments of slices.Concat here (undefined type for E)", "golit's version is func Concat[E any](ss ...[]E) []E"}},
		{code: "slices.Concat[int]([]int{1}, []int{2})", result: "[]int{1, 2}"},
		{code: "cmp.Or(0, 3)", ename: present.ENameCompile, errHas: []string{"In[7]:1:1: yaegi could not infer the type arguments of cmp.Or here (undefined type for T); write them: cmp.Or[...](...)"}},
		{code: "cmp.Or[int](0, 3)", result: "3"},
	}},
	{"the built-ins min, max and clear", []step{
		{code: "x := 2.5\nfmt.Println(min(3, 1, 2), max(0, x), max(1, 2.5), min(\"b\", \"a\"))", out: "1 2.5 2.5 a\n"},
		{code: "m := map[string]int{\"a\": 1}\ns := []int{1, 2}\nclear(m)\nclear(s)\nfmt.Println(len(m), s)", out: "0 [0 0]\n"},
		{code: "type Span struct{ min, max int }\nfunc widest(a, b Span) Span { return Span{min(a.min, b.min), max(a.max, b.max)} }\nfmt.Println(widest(Span{1, 3}, Span{2, 5}))", out: "{1 5}\n"},
		{code: "func max(a, b int) int { return 42 }\nmax(1, 2)", result: "42"},
	}},
	{"notebook variables from generic calls", []step{
		{code: "m := map[string]int{\"b\": 1, \"a\": 2}\nkeys := slices.Sorted(maps.Keys(m))\nkeys", result: `[]string{"a", "b"}`},
		{code: "func nKeys() int { return len(keys) }\nnKeys()", result: "2"},
		{code: "type P struct{ N int }\nps := slices.Collect(slices.Values([]P{{1}, {2}}))\nps[1].N", result: "2"},
		{code: "var xs []int = slices.Repeat([]int{1}, 2)\nvar at = slices.Index([]int{5, 6}, 6)\nfmt.Println(xs, at)", out: "[1 1] 1\n"},
		{code: "func Gen[T any](v T) func() T { return func() T { return v } }\ng := Gen(\"made\")\ng()", result: `"made"`},
		// yaegi cannot type a two-value receive at the top level either.
		{code: "ch := make(chan int, 1)\nch <- 7\nv, ok := <-ch\nfunc got() string { return fmt.Sprint(v, ok) }\ngot()", result: `"7 true"`},
	}},
	{"generic calls yaegi cannot instantiate point into the cell", []step{
		{code: "h := url.Values{\"b\": {\"2\"}, \"a\": {\"1\"}}\nslices.Sorted(maps.Keys(h))", result: `[]string{"a", "b"}`},
		{code: "slices.Sorted(strings.SplitSeq(\"b,a\", \",\"))", result: `[]string{"a", "b"}`},
		{code: "maps.Keys(map[string]int{\"a\": 1})", result: "func(func(string) bool)"},
		{code: "x := 1\nslices.Collect(nil)", ename: present.ENameCompile, errHas: []string{"In[4]:2:1: yaegi could not infer the type arguments of slices.Collect here (undefined type for E)"}},
		{code: "maps.Keys(nil)", ename: present.ENameCompile, errHas: []string{"In[5]:1:1: yaegi could not instantiate maps.Keys with these arguments"}},
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

// TestRangeFuncInterrupt stops a cell spinning inside the body of a range
// over a function, and the iterator's own loop.
func TestRangeFuncInterrupt(t *testing.T) {
	s := newSession(t)
	// Each cell makes its iterator: a closure made before an interrupt
	// does nothing after it (see LIMITS.md).
	const forever = "forever := func(yield func(int) bool) {\n\tfor i := 0; yield(i); i++ {\n\t}\n}\n"
	for _, c := range []string{forever + "for v := range forever {\n\t_ = v\n}", forever + "for v := range forever {\n\tfor {\n\t\t_ = v\n\t}\n}"} {
		done := make(chan kernel.ExecuteReply, 1)
		go func() { done <- s.run(c) }()
		if !eventually(10*time.Second, s.cellRunning) {
			select {
			case r := <-done:
				t.Fatalf("cell %q ended before the interrupt: %+v", c, r.Err)
			default:
				t.Fatalf("cell %q never started", c)
			}
		}
		time.Sleep(50 * time.Millisecond)
		s.e.Interrupt()
		select {
		case r := <-done:
			if r.Status != kernel.StatusError || r.Err.Name != present.ENameInterrupted {
				t.Errorf("cell %q: reply %+v, want %s", c, r.Err, present.ENameInterrupted)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("cell %q did not stop after an interrupt", c)
		}
	}
	if out, _ := s.ok("fmt.Println(\"after\")"); out != "after\n" {
		t.Fatalf("after the interrupts: %q", out)
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
