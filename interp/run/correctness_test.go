package run

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/kernel"
)

// orderIO records stream text in the order it arrives, stream names
// included.
type orderIO struct {
	recIO
	mu   sync.Mutex
	runs []string // "stdout:text" or "stderr:text", neighbours of one stream joined
}

func (o *orderIO) Stream(name, text string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if n := len(o.runs); n > 0 && strings.HasPrefix(o.runs[n-1], name+":") {
		o.runs[n-1] += text
		return
	}
	o.runs = append(o.runs, name+":"+text)
}

func TestOutputOrder(t *testing.T) {
	e, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Shutdown(false) })
	o := &orderIO{}
	r := e.Execute(context.Background(), kernel.ExecuteRequest{ExecutionCount: 1, Code: `log.SetFlags(0)
enc := json.NewEncoder(os.Stdout)
for i := range 2 {
	fmt.Println("fmt", i)
	enc.Encode(i)
	os.Stdout.WriteString("raw\n")
	fmt.Fprintln(os.Stderr, "err", i)
	log.Print("log")
	fmt.Printf("out %d\n", i)
	println("builtin")
}`}, o)
	if r.Status != kernel.StatusOK {
		t.Fatalf("cell failed: %+v", r.Err)
	}
	want := []string{
		"stdout:fmt 0\n0\nraw\n", "stderr:err 0\nlog\n", "stdout:out 0\n", "stderr:builtin\n",
		"stdout:fmt 1\n1\nraw\n", "stderr:err 1\nlog\n", "stdout:out 1\n", "stderr:builtin\n",
	}
	if strings.Join(o.runs, "|") != strings.Join(want, "|") {
		t.Fatalf("streams arrived as\n%q\nwant\n%q", o.runs, want)
	}
}

var correctnessScenarios = []struct {
	name  string
	steps []step
}{
	{"new of an expression", []step{
		{code: "p := new(42)\n*p", result: "42"},
		{code: "type P struct{ X int }\nv := P{3}\nq := new(v)\nq.X = 4\nfmt.Println(v, *q, *new(P), *new(int))", out: "{3} {4} {0} 0\n"},
	}},
	{"log positions are the cell's", []step{
		{code: "log.SetFlags(log.Lshortfile)\nfunc lg() {\n\tlog.Println(\"in\")\n}\nlg()\nlog.Println(\"top\")", stderrs: []string{"In[1]:3: in\n", "In[1]:6: top\n"}},
	}},
	{"os.Exit runs no deferred call", []step{
		{code: "defer fmt.Println(\"cell\")\nfunc f() { defer fmt.Println(\"f\"); defer func() { recover() }(); os.Exit(2) }\nf()", ename: present.ENameExit, out: ""},
		{code: "1 + 1", result: "2"},
	}},
	{"runtime.Goexit ends the cell", []step{
		{code: "defer fmt.Println(\"deferred\")\nruntime.Goexit()", ename: present.ENameExit, errHas: []string{"runtime.Goexit"}, out: "deferred\n"},
		{code: "1 + 1", result: "2"},
	}},
	{"closed standard streams are reopened for the next cell", []step{
		{code: "os.Stdout.Close()\n_ = os.Stderr.Close()", result: "-"},
		{code: "fmt.Println(\"a\")\nos.Stdout.WriteString(\"b\\n\")\nfmt.Fprintln(os.Stderr, \"c\")", out: "a\nb\n", stderrs: []string{"c\n"}},
	}},
	{"a redefined variable is read by the functions declared before", []step{
		{code: "a := 1\nfunc fa() int { return a }\ntype B struct{}\nfunc (B) Get() int { return fa() }", result: "-"},
		{code: "a := 5\nfa() + B{}.Get()", result: "10"},
	}},
	{"newer Go golit cannot run fails clearly", []step{
		{code: "type S[T comparable] = map[T]bool", ename: present.ENameCompile, errHas: []string{"generic type aliases"}},
		{code: "v, ok := reflect.TypeAssert[int](reflect.ValueOf(5))", ename: present.ENameCompile, errHas: []string{"TypeAssert", "v.Interface().(T)"}},
	}},
}

func TestCorrectnessScenarios(t *testing.T) {
	for _, sc := range correctnessScenarios {
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
