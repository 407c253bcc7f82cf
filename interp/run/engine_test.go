package run

import (
	"strings"
	"testing"
	"time"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/kernel"
)

// step is one cell of a scenario and what it must produce.
type step struct {
	code    string
	out     string // expected stdout, exact unless outHas is used
	outHas  []string
	result  string // expected text/plain result; "-" means no result
	ename   string // expected error name; "" means success
	errHas  []string
	stderrs []string // substrings expected on stderr
}

// scenarios are notebooks typed the way users type them.
var scenarios = []struct {
	name  string
	steps []step
}{
	{"mixed cell with import, var, func and statements", []step{
		{code: "import \"fmt\"\nx := 1\nfmt.Println(x)\nfunc f() int { return 2 }\nfmt.Println(f())", out: "1\n2\n", result: "-"},
		{code: "x + f()", result: "3"},
		{code: "var z = 3\nfmt.Println(z)", out: "3\n", result: "-"},
	}},
	{"declarations after statements and re-run imports", []step{
		{code: "import \"fmt\"\nfmt.Println(\"a\")", out: "a\n"},
		{code: "import \"fmt\"\nfmt.Println(\"b\")", out: "b\n"},
		{code: "import (\n\t\"fmt\"\n\t\"strings\"\n)\nfmt.Println(strings.Repeat(\"c\", 2))", out: "cc\n"},
	}},
	{"unused variables and imports are fine", []step{
		{code: "import \"os\"\nunused := 5", result: "-"},
		{code: "func g() { y := 1 }\ng()", result: "-"},
	}},
	{"redefined function is used by earlier callers", []step{
		{code: "func f() int { return 1 }\nfunc g() int { return f() + 1 }\ng()", result: "2"},
		{code: "func f() int { return 10 }\ng()", result: "11"},
		{code: "func h() int { return g() * 2 }\nh()", result: "22"},
		{code: "func f() int { return 100 }\nh()", result: "202"},
	}},
	{"redefined type and methods", []step{
		{code: "type T struct{ A int }\nfunc (t T) Sum() int { return t.A }\nT{1}.Sum()", result: "1"},
		{code: "type T struct{ A, B int }\nT{1, 2}", result: "T{A: 1, B: 2}"},
		{code: "func (t T) Sum() int { return t.A + t.B }\nT{3, 4}.Sum()", result: "7"},
	}},
	{"method of a redefined type is carried over", []step{
		{code: "type S struct{ N int }\nfunc (s S) Twice() int { return 2 * s.N }", result: "-"},
		{code: "type S struct{ N, M int }\nS{N: 4}.Twice()", result: "8"},
	}},
	{"variable redefined with another type", []step{
		{code: "v := 1", result: "-"},
		{code: "v := \"now a string\"\nv", result: `"now a string"`},
		{code: "var w = 1.5", result: "-"},
		{code: "var w = \"s\"\nw", result: `"s"`},
	}},
	{"pasted whole program", []step{
		{code: "package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println(\"hello from main\")\n}\n", out: "hello from main\n"},
		{code: "fmt.Println(\"next cell\")", out: "next cell\n"},
	}},
	{"per-iteration loop variables with goroutines", []step{
		{code: "import (\"fmt\"; \"sync\"; \"sort\")\nvar mu sync.Mutex\nvar got []int\nvar wg sync.WaitGroup\nfor i := 0; i < 3; i++ {\n\twg.Add(1)\n\tgo func() {\n\t\tdefer wg.Done()\n\t\tmu.Lock()\n\t\tgot = append(got, i)\n\t\tmu.Unlock()\n\t}()\n}\nwg.Wait()\nsort.Ints(got)\nfmt.Println(got)", out: "[0 1 2]\n"},
	}},
	{"per-iteration loop variables with closures, mutation, continue and break", []step{
		{code: "var fs []func() int\nfor i := 0; i < 6; i++ {\n\tif i == 1 {\n\t\ti++\n\t\tcontinue\n\t}\n\tif i == 5 {\n\t\tbreak\n\t}\n\tfs = append(fs, func() int { return i })\n}\nfor _, f := range fs {\n\tfmt.Print(f(), \" \")\n}", out: "0 3 4 "},
		{code: "var gs []func() string\nfor _, s := range []string{\"a\", \"b\"} {\n\tgs = append(gs, func() string { return s })\n}\nfmt.Println(gs[0](), gs[1]())", out: "a b\n"},
	}},
	{"go statement arguments are evaluated at once", []step{
		{code: "ch := make(chan int, 3)\ns := 0\nfor i := 0; i < 3; i++ {\n\tgo func(n int) { ch <- n * 10 }(i)\n}\nfor k := 0; k < 3; k++ { s += <-ch }\ns", result: "30"},
	}},
	{"range over int", []step{
		{code: "for i := range 3 {\n\tfmt.Print(i)\n}", out: "012"},
		{code: "n := 4\ntotal := 0\nfor i := range n { total += i }\ntotal", result: "6"},
		{code: "for range 2 {\n\tfmt.Print(\"x\")\n}", out: "xx"},
	}},
	{"auto-import", []step{
		{code: "strings.ToUpper(\"go\")", result: `"GO"`},
		{code: "math.Sqrt(16)", result: "4"},
		{code: "n := rand.Int()\nn >= 0", result: "true", stderrs: []string{"auto-imported math/rand for rand"}},
		{code: "r := rand.Intn(1)\nr", result: "0"},
		{code: "once := sync.OnceFunc(func() { fmt.Println(\"once\") })\nonce()\nonce()", out: "once\n"},
	}},
	{"display of results", []step{
		{code: "type P struct{ X, Y int; Name string }\nP{1, 2, \"a\"}", result: `P{X: 1, Y: 2, Name: "a"}`},
		{code: "map[string]int{\"b\": 2, \"a\": 1, \"c\": 3}", result: `map[string]int{"a": 1, "b": 2, "c": 3}`},
		{code: "[]int{1, 2, 3}", result: "[]int{1, 2, 3}"},
		{code: "errors.New(\"boom\")", result: `error("boom")`},
		{code: "1500 * time.Millisecond", result: "1.5s"},
		{code: "var e error\ne", result: "nil"},
		{code: "&P{X: 1}", result: `&P{X: 1, Y: 0, Name: ""}`},
		{code: "fmt.Println(\"printed\")", out: "printed\n", result: "-"},
		{code: "fmt.Printf(\"%d\\n\", 5)", out: "5\n", result: "-"},
		{code: "fmt.Sprintf(\"%03d\", 7)", result: `"007"`},
		{code: "func nothing() {}\nnothing()", result: "-"},
		{code: "import \"sync\"\nvar wg sync.WaitGroup\nwg.Wait()", result: "-"},
	}},
	{"rich display", []step{
		{code: "type H struct{ N int }\nfunc (H) HTML() string { return \"<b>hi</b>\" }\nfunc (H) Markdown() string { return \"**hi**\" }\nH{1}", result: "H{N: 1}"},
	}},
	{"stringer", []step{
		{code: "type C int\nfunc (c C) String() string { return fmt.Sprintf(\"C#%d\", int(c)) }\nC(3)", result: "C#3"},
	}},
	{"compile errors point into the cell", []step{
		{code: "a := 1\nb := a +\n", ename: present.ENameCompile, errHas: []string{"In[1]:2:9: expected operand, found the end of the cell"}},
		{code: "x := 1\nx.Foo()", ename: present.ENameCompile, errHas: []string{"In[2]:2:"}},
		{code: "func f() {\n\treturn 1\n}", ename: present.ENameCompile, errHas: []string{"In[3]:2:"}},
		{code: "y := 2\nz := undefinedthing + y", ename: present.ENameCompile, errHas: []string{"In[4]:2:6: undefined: undefinedthing"}},
		{code: "import \"nosuch/pkg\"", ename: present.ENameCompile, errHas: []string{"In[5]:1:8", "standard library"}},
		{code: "seq := func(yield func(int) bool) { yield(1) }\nfor x := range seq {\n\tgoto out\n}\nout:", ename: present.ENameCompile, errHas: []string{"In[6]:3:2: goto out leaves the body of a range over a function"}},
	}},
	{"panics", []step{
		{code: "panic(\"boom\")", ename: present.ENamePanic, errHas: []string{"boom", "In[1]:1:1"}},
		{code: "func bad() {\n\tvar a []int\n\t_ = a[3]\n}\nbad()", ename: present.ENameRuntime, errHas: []string{"index out of range", "bad", "In[2]:5:1", "bad()"}},
		{code: "fmt.Println(\"alive\")", out: "alive\n"},
	}},
	{"panic in a goroutine is reported, state kept", []step{
		{code: "keep := 42\ngo func() { panic(\"in goroutine\") }()\ntime.Sleep(100 * time.Millisecond)", ename: present.ENameGoroutinePanic, errHas: []string{"in goroutine"}},
		{code: "keep", result: "42"},
	}},
	{"panic in time.AfterFunc", []step{
		{code: "time.AfterFunc(time.Millisecond, func() { panic(\"timer\") })\ntime.Sleep(100 * time.Millisecond)", ename: present.ENameGoroutinePanic, errHas: []string{"timer"}},
		{code: "1 + 1", result: "2"},
	}},
	{"os.Exit and log.Fatal stop the cell only", []step{
		{code: "kept := 7\nos.Exit(3)", ename: present.ENameExit, errHas: []string{"os.Exit(3)"}},
		{code: "log.Fatal(\"fatal message\")", ename: present.ENameExit, errHas: []string{"fatal message"}, stderrs: []string{"fatal message"}},
		{code: "kept", result: "7"},
	}},
	{"output through os.Stdout and os.Stderr", []step{
		{code: "fmt.Fprintln(os.Stdout, \"to stdout\")\nfmt.Fprintln(os.Stderr, \"to stderr\")", out: "to stdout\n", stderrs: []string{"to stderr"}},
		{code: "w := bufio.NewWriter(os.Stdout)\nfmt.Fprintf(w, \"buffered\\n\")\nw.Flush()", out: "buffered\n"},
		{code: "println(\"builtin\")", stderrs: []string{"builtin\n"}},
	}},
	{"cell-level defer runs at the end of the cell only", []step{
		{code: "defer fmt.Println(\"deferred\")\nfmt.Println(\"body\")", out: "body\ndeferred\n"},
		{code: "fmt.Println(\"next\")", out: "next\n"},
	}},
	{"generics", []step{
		{code: "func Map[T, U any](xs []T, f func(T) U) []U {\n\tvar out []U\n\tfor _, x := range xs { out = append(out, f(x)) }\n\treturn out\n}\nMap[int, string]([]int{1, 2}, func(i int) string { return fmt.Sprint(i * 2) })", result: `[]string{"2", "4"}`},
		{code: "slices.Contains([]int{1, 2}, 2)", result: "true"},
		{code: "slices.Max([]int{3, 9, 2})", result: "9"},
	}},
	{"multi-value := at top level defines notebook variables", []step{
		{code: "destA, _ := os.MkdirTemp(\"\", \"x-\")", result: "-"},
		{code: "func useA(cc string) string { fmt.Print(cc, \" \"); return filepath.Join(destA, cc) }\nfmt.Println(useA(\"a\") == filepath.Join(destA, \"a\"))\nos.Remove(destA)", out: "a true\n"},
		{code: "func two() (string, int) { return \"s\", 3 }\nb2, n2 := two()\nhead, _, found := strings.Cut(\"k=v\", \"=\")", result: "-"},
		{code: "func useB() string { return fmt.Sprint(b2, n2, head, found) }\nuseB()", result: `"s3ktrue"`},
		{code: "b2, n2 := two()\nuseB()", result: `"s3ktrue"`},
	}},
	{"comma-ok := at top level defines notebook variables", []step{
		{code: "m := map[string]int{\"a\": 1}\nv, ok := m[\"a\"]\nw, found := m[\"zz\"]\nfmt.Println(v, ok, w, found)", out: "1 true 0 false\n"},
		{code: "func seen() string { return fmt.Sprint(v, ok, w, found) }\nseen()", result: `"1 true 0 false"`},
		{code: "var x any = 3\nn, isInt := x.(int)\ns, isStr := x.(string)\n_, isErr := x.(error)\nfmt.Printf(\"%d %v %q %v %v\\n\", n, isInt, s, isStr, isErr)", out: "3 true \"\" false false\n"},
		{code: "func seen2() string { return fmt.Sprint(n, isInt, isStr) }\nseen2()", result: `"3 true false"`},
		{code: "v, ok := m[\"a\"]\nv + 1", result: "2"},
	}},
	{"syscall signals", []step{
		{code: "import \"syscall\"\nsyscall.SIGTERM", result: "terminated"},
	}},
	{"receive assigned to a captured variable in a closure", []step{
		{code: "func outer2(ch chan int) int {\n\tnow := 1\n\tnext := func() { now = <-ch }\n\tnext()\n\treturn now\n}\nch := make(chan int, 1)\nch <- 7\nfmt.Println(outer2(ch))", out: "7\n"},
		{code: "func outer3(ch chan int) (int, bool) {\n\tv, ok := 1, false\n\tnext := func() { v, ok = <-ch }\n\tnext()\n\treturn v, ok\n}\nch2 := make(chan int, 1)\nch2 <- 8\nfmt.Println(outer3(ch2))\nclose(ch2)\nfmt.Println(outer3(ch2))", out: "8 true\n0 false\n"},
		{code: "func outer4(ch chan int) int {\n\tv := 1\n\tfunc() {\n\t\tselect {\n\t\tcase v = <-ch:\n\t\t}\n\t}()\n\treturn v\n}\nch3 := make(chan int, 1)\nch3 <- 5\nfmt.Println(outer4(ch3))", out: "5\n"},
		// Outside closures the receive is not rewritten: now := <-ch holds a
		// value yaegi can replace but not set.
		{code: "func recvAgain(ch chan int) int {\n\tnow := <-ch\n\tfor i := 0; i < 2; i++ {\n\t\tnow = <-ch\n\t}\n\treturn now\n}\nch4 := make(chan int, 3)\nch4 <- 1\nch4 <- 2\nch4 <- 3\nfmt.Println(recvAgain(ch4))", out: "3\n"},
	}},
	{"closures given to compiled code capture loop body variables per iteration", []step{
		{code: "var mu5 sync.Mutex\ngot5 := []string{}\nvar wg5 sync.WaitGroup\nn5 := 0\nfor n5 < 3 {\n\ts := fmt.Sprint(\"t\", n5)\n\tn5++\n\twg5.Add(1)\n\ttime.AfterFunc(10*time.Millisecond, func() { mu5.Lock(); got5 = append(got5, s); mu5.Unlock(); wg5.Done() })\n}\nwg5.Wait()\nsort.Strings(got5)\nfmt.Println(got5)", out: "[t0 t1 t2]\n"},
		{code: "import \"github.com/golit/golit/eventloop\"\nfunc tasksOf(items []any) (any, error) {\n\treturn eventloop.New(eventloop.Options{}).Run(func(l *eventloop.Loop) (any, error) {\n\t\tvar ts []*eventloop.Task\n\t\ti := 0\n\t\tfor {\n\t\t\tif i == len(items) {\n\t\t\t\treturn l.Gather(ts...)\n\t\t\t}\n\t\t\tc, _ := l.ToThread(func() (any, error) { return items[i], nil })\n\t\t\ti++\n\t\t\tname := c.(string)\n\t\t\tts = append(ts, l.CreateTask(func() (any, error) {\n\t\t\t\treturn l.ToThread(func() (any, error) { return strings.ToUpper(name), nil })\n\t\t\t}))\n\t\t}\n\t})\n}\nfmt.Println(tasksOf([]any{\"a\", \"b\", \"c\"}))", out: "[A B C] <nil>\n"},
		// A body variable that a closure changes stays shared with the body.
		{code: "m := 0\nout := []int{}\nfor m < 3 {\n\tx := m\n\tinc := func() { x += 10 }\n\tinc()\n\ty := m\n\tf := func() int { return y }\n\tout = append(out, x, f()+y)\n\tm++\n}\nfmt.Println(out)", out: "[10 0 11 2 12 4]\n"},
	}},
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			s := newSession(t)
			for _, st := range sc.steps {
				s.io.reset()
				r := s.run(st.code)
				checkStep(t, s, st, r)
			}
		})
	}
}

func checkStep(t *testing.T, s *session, st step, r kernel.ExecuteReply) {
	t.Helper()
	if st.ename == "" && r.Status != kernel.StatusOK {
		t.Fatalf("cell %q: unexpected error %s: %s\n%s", st.code, r.Err.Name, r.Err.Value, strings.Join(r.Err.Traceback, "\n"))
	}
	if st.ename != "" {
		if r.Status != kernel.StatusError || r.Err == nil {
			t.Fatalf("cell %q: want error %s, got status %s", st.code, st.ename, r.Status)
		}
		if r.Err.Name != st.ename {
			t.Errorf("cell %q: ename = %q, want %q (%s)", st.code, r.Err.Name, st.ename, r.Err.Value)
		}
		all := r.Err.Value + "\n" + strings.Join(r.Err.Traceback, "\n")
		for _, h := range st.errHas {
			if !strings.Contains(all, h) {
				t.Errorf("cell %q: error lacks %q:\n%s", st.code, h, all)
			}
		}
	}
	for _, h := range st.outHas {
		if !strings.Contains(s.io.out()+s.io.errOut(), h) {
			t.Errorf("cell %q: output %q lacks %q", st.code, s.io.out()+s.io.errOut(), h)
		}
	}
	if st.out != "" && s.io.out() != st.out {
		t.Errorf("cell %q: stdout = %q, want %q", st.code, s.io.out(), st.out)
	}
	for _, h := range st.stderrs {
		if !strings.Contains(s.io.errOut(), h) {
			t.Errorf("cell %q: stderr %q lacks %q", st.code, s.io.errOut(), h)
		}
	}
	switch st.result {
	case "":
	case "-":
		if r.Result != nil {
			t.Errorf("cell %q: want no result, got %v", st.code, r.Result)
		}
	default:
		if got := textOf(r.Result); got != st.result {
			t.Errorf("cell %q: result = %q, want %q", st.code, got, st.result)
		}
	}
}

func TestRichResult(t *testing.T) {
	s := newSession(t)
	_, r := s.ok("type H struct{ N int }\nfunc (H) HTML() string { return \"<b>hi</b>\" }\nfunc (H) Markdown() string { return \"**hi**\" }\nfunc (H) PNG() []byte { return []byte{1, 2} }\nH{}")
	if r.Result["text/html"] != "<b>hi</b>" || r.Result["text/markdown"] != "**hi**" || r.Result["image/png"] != "AQI=" {
		t.Fatalf("rich result = %v", r.Result)
	}
	_, r = s.ok("import \"github.com/golit/golit/display\"\ntype R struct{ N int }\nfunc (R) Render() display.Bundle { return display.Bundle{\"text/html\": \"<i>r</i>\", \"text/plain\": \"R!\"} }\nR{}")
	if r.Result["text/html"] != "<i>r</i>" || r.Result["text/plain"] != "R!" {
		t.Fatalf("Renderer result = %v", r.Result)
	}
}

func TestDisplayPackage(t *testing.T) {
	s := newSession(t)
	s.ok("import \"golit/display\"\nid := display.ShowBundle(display.Bundle{\"text/plain\": \"0%\"})\ndisplay.UpdateBundle(id, display.Bundle{\"text/plain\": \"100%\"})\ndisplay.Clear(true)")
	ev := strings.Join(s.io.events, "\n")
	if !strings.Contains(ev, "display ") || !strings.Contains(ev, "update ") || !strings.Contains(ev, "100%") || !strings.Contains(ev, "clear") {
		t.Fatalf("events = %v", s.io.events)
	}
}

func TestGoroutineOutputOutlivesCell(t *testing.T) {
	s := newSession(t)
	s.ok("go func() {\n\ttime.Sleep(150 * time.Millisecond)\n\tfmt.Println(\"late\")\n}()")
	if !eventually(2*time.Second, func() bool { return strings.Contains(s.io.out(), "late") }) {
		t.Fatalf("output of a goroutine that outlived its cell was lost: %q", s.io.out())
	}
}

func TestInterrupt(t *testing.T) {
	cells := []string{
		"for {}",
		"x := 0\nfor { x++ }",
		"<-make(chan int)",
		"time.Sleep(time.Hour)",
		"import \"sync\"\nvar wg sync.WaitGroup\nwg.Add(1)\nwg.Wait()",
		"select {}",
		"ch := make(chan int)\nch <- 1",
	}
	if !raceEnabled {
		// A goroutine blocked for ever in a compiled sync.Mutex keeps the
		// memory it touched before blocking unsynchronised with the next
		// cell: harmless (it never runs again), but the race detector
		// reports it.
		cells = append(cells, "var mu sync.Mutex\nmu.Lock()\nmu.Lock()")
	}
	s := newSession(t)
	s.ok("kept := \"state\"")
	for _, c := range cells {
		done := make(chan kernel.ExecuteReply, 1)
		go func() { done <- s.run(c) }()
		// An interrupt only reaches a running cell: wait until Execute has
		// started (not a fixed sleep, which a loaded machine can outlast),
		// then give the cell a moment to reach its loop or blocking call.
		if !eventually(10*time.Second, s.cellRunning) {
			t.Fatalf("cell %q never started", c)
		}
		time.Sleep(50 * time.Millisecond)
		start := time.Now()
		s.e.Interrupt()
		select {
		case r := <-done:
			limit := 100 * time.Millisecond
			if raceEnabled {
				limit = 300 * time.Millisecond // the race detector slows everything
			}
			if d := time.Since(start); d > limit {
				t.Errorf("cell %q stopped %v after the interrupt", c, d)
			}
			if r.Status != kernel.StatusError || r.Err.Name != present.ENameInterrupted {
				t.Errorf("cell %q: reply %+v, want %s", c, r.Err, present.ENameInterrupted)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("cell %q did not stop after an interrupt", c)
		}
		_, r := s.ok("kept")
		if textOf(r.Result) != `"state"` {
			t.Fatalf("after interrupting %q: kept = %v", c, r.Result)
		}
	}
}

func TestStdin(t *testing.T) {
	s := newSession(t)
	s.io.inputs = []string{"Ada", "42"}
	out, _ := s.ok("var name string\nfmt.Scanln(&name)\nr := bufio.NewReader(os.Stdin)\nline, _ := r.ReadString('\\n')\nfmt.Println(\"hi\", name, strings.TrimSpace(line))")
	if out != "hi Ada 42\n" {
		t.Fatalf("stdout = %q", out)
	}
	s.io.noStdin = true
	s.io.reset()
	r := s.run("var n int\n_, err := fmt.Scanln(&n)\nerr")
	if r.Status != kernel.StatusOK || !strings.Contains(textOf(r.Result), "allow_stdin") {
		t.Fatalf("without stdin: %+v %v", r.Err, r.Result)
	}
}

func TestGoroutinePanicBetweenCells(t *testing.T) {
	s := newSession(t)
	s.ok("kept := 1\ngo func() {\n\ttime.Sleep(100 * time.Millisecond)\n\tpanic(\"later\")\n}()")
	if !eventually(2*time.Second, func() bool { return strings.Contains(s.io.errOut(), "later") }) {
		t.Fatalf("a goroutine's panic after its cell ended was not reported: %q", s.io.errOut())
	}
	if !strings.Contains(s.io.errOut(), "panic in a goroutine") {
		t.Errorf("report = %q", s.io.errOut())
	}
	_, r := s.ok("kept")
	if textOf(r.Result) != "1" {
		t.Fatalf("state lost: %v", r.Result)
	}
}
