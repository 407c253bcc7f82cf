package compiled

import (
	"context"
	"errors"
	"go/scanner"
	"os/exec"
	"strings"
	"testing"
)

// cell pads src as the magic package does: line 1 is the %%compile line.
func cell(src string) string { return "\n" + src }

func TestFuncsOfSaysWhichValuesCannotCross(t *testing.T) {
	pc, err := parseCell(4, cell(`type P struct{ X int; C chan int }
type Q struct{ N []map[string]float64 }
func Ok(a int, b ...string) (Q, error) { return Q{}, nil }
func Ch(c chan int) {}
func Ptr() *int { return nil }
func F(f func()) {}
func I(x any) {}
func Sp(p P) {}
func G[T any](x T) T { return x }
func (q Q) M() {}
func (q *Q) Set(n int) {}
type hidden struct{ n int }
func (h hidden) Get() int { return h.n }
type Stack[T any] struct{ Items []T }
func (s *Stack[T]) Push(x T) {}
type Stamp struct{ time.Time; Q }
func (s Stamp) Day() int { return s.Day() }
`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"Ok":            "",
		"Ch":            "parameter 1 (chan int) is a channel",
		"Ptr":           "result 1 (*int) is a pointer",
		"F":             "parameter 1 (func()) is a function",
		"I":             "parameter 1 (any) is an interface",
		"Sp":            "is a channel: a channel cannot be shared between the interpreter and the worker process (use it inside compiled code) (in type P)",
		"G":             "generic",
		"Q.M":           "",
		"(*Q).Set":      "",
		"hidden.Get":    "receiver (hidden) is a struct with the unexported field n",
		"(*Stack).Push": "receiver's type Stack is generic",
		"Stamp.Day":     "", // embedded exported fields cross
	}
	fs := funcsOf(pc.decls, pc.decls)
	if len(fs) != len(want) {
		t.Fatalf("funcs %v, want %d", fs, len(want))
	}
	for _, f := range fs {
		w, ok := want[f.key]
		if !ok || (w == "") != (f.why == "") || !strings.Contains(f.why, w) {
			t.Errorf("%s: why %q, want %q", f.key, f.why, w)
		}
	}
	if fs[0].pos != "In[4]:4:1" || !fs[0].variadic || !fs[0].results[1].isErr {
		t.Errorf("Ok: %+v", fs[0])
	}
	if f := fs[8]; f.key != "(*Q).Set" || !f.ptrRecv || f.recv != "Q" || f.name != "Set" {
		t.Errorf("Set: %+v", f)
	}
}

func TestParseErrorsHaveCellPositions(t *testing.T) {
	_, err := parseCell(7, cell("func f() {}\nx := 1\n"))
	var list scanner.ErrorList
	if !errors.As(err, &list) || list[0].Pos.String() != "In[7]:3:1" || !strings.Contains(list[0].Msg, "declarations only") {
		t.Fatalf("got %v", err)
	}
}

func TestReplaceDeclsKeepsOthers(t *testing.T) {
	a, _ := parseCell(1, cell("func f() int { return 1 }\nfunc g() int { return 2 }\n"))
	b, _ := parseCell(2, cell("func f() int { return 3 }\n"))
	got := replaceDecls(a.decls, b.decls)
	if len(got) != 2 || got[0].names[0] != "g" || got[1].cell != 2 {
		t.Fatalf("got %v", got)
	}
}

func TestSessionBuildsCallsAndReportsPanics(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	s := New(Config{})
	defer s.Close()
	ctx := context.Background()
	def, err := s.Define(ctx, 1, cell(`type P struct{ X, Y int }
func Add(p P, ds ...int) (P, error) {
	for _, d := range ds {
		if d < 0 {
			panic("negative")
		}
		p.X += d
	}
	return p, nil
}`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(def.Source, "golit__rt.Compiled(\"Add\"") || len(def.Funcs) != 1 {
		t.Fatalf("stubs:\n%s", def.Source)
	}
	type P struct{ X, Y int } // the interpreter's copy of the type
	var r P
	var msg string
	var set bool
	if err := s.Call("Add", []any{P{1, 2}, []int{3, 4}}, []any{&r, &msg, &set}); err != nil {
		t.Fatal(err)
	}
	if r != (P{8, 2}) || set {
		t.Fatalf("got %+v %q %v", r, msg, set)
	}
	err = s.Call("Add", []any{P{}, []int{-1}}, []any{&r, &msg, &set})
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "negative" || len(pe.Frames) == 0 || !strings.HasPrefix(pe.Frames[0], "  In[1]:6:4: Add") {
		t.Fatalf("got %#v", err)
	}
	_, err = s.Define(ctx, 2, cell("func Bad() int { return nope }"))
	var be *BuildError
	if !errors.As(err, &be) || len(be.List) != 1 || be.List[0].Error() != "In[2]:2:25: undefined: nope" {
		t.Fatalf("got %v", err)
	}
	// The last good build still answers.
	if err := s.Call("Add", []any{P{}, []int{1}}, []any{&r, &msg, &set}); err != nil || r.X != 1 {
		t.Fatalf("after a failed build: %v %+v", err, r)
	}
}

// BenchmarkCall measures a call of a trivial compiled function from Go,
// without the interpreted stub: the transport's share of the call overhead.
func BenchmarkCall(b *testing.B) {
	if _, err := exec.LookPath("go"); err != nil {
		b.Skip("no go command")
	}
	s := New(Config{})
	defer s.Close()
	if _, err := s.Define(context.Background(), 1, cell("func Inc(x int) int { return x + 1 }")); err != nil {
		b.Fatal(err)
	}
	var r int
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.Call("Inc", []any{i}, []any{&r}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestSessionCallsMethodsAndCopiesPointerReceiversBack(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	s := New(Config{})
	defer s.Close()
	def, err := s.Define(context.Background(), 1, cell(`type V struct{ X, Y int }
func (v V) Sum() int { return v.X + v.Y }
func (v *V) Scale(k int) int { v.X *= k; v.Y *= k; return v.Sum() }`))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"func (golit__p V) Sum(", "func (golit__p *V) Scale(", `golit__rt.Compiled("(*V).Scale", []any{*golit__p, golit__a0}, []any{&golit__n, &golit__r0}); *golit__p = golit__n;`} {
		if !strings.Contains(def.Source, want) {
			t.Errorf("stubs lack %q:\n%s", want, def.Source)
		}
	}
	type V struct{ X, Y int }
	var sum int
	if err := s.Call("V.Sum", []any{V{2, 3}}, []any{&sum}); err != nil || sum != 5 {
		t.Fatalf("V.Sum: %v %d", err, sum)
	}
	var back V
	if err := s.Call("(*V).Scale", []any{V{2, 3}, 10}, []any{&back, &sum}); err != nil || back != (V{20, 30}) || sum != 50 {
		t.Fatalf("(*V).Scale: %v %+v %d", err, back, sum)
	}
}
