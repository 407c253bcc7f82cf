package run

import (
	"regexp"
	"strings"
	"testing"

	"github.com/golit/golit/interp/present"

	"github.com/golit/golit/kernel"
)

var ansiRE = regexp.MustCompile("\x1b\\[[0-9;]*m")

// plainTraceback is an error's traceback without colours, one string.
func plainTraceback(e *kernel.Error) string {
	return ansiRE.ReplaceAllString(strings.Join(e.Traceback, "\n"), "")
}

const footnote = "(yaegi does not record which line of a function was running when a panic\n" +
	"passed through it: such frames show where the function is declared)"

// TestPanicStacks checks the interpreted stack of panics, exactly: which
// frames, in which order, at which cell-relative positions, with which
// source lines quoted.
func TestPanicStacks(t *testing.T) {
	tests := []struct {
		name  string
		cells []string // all but the last must succeed
		ename string
		want  string // the traceback, without colours
	}{
		{
			name: "recursion ending in an explicit panic",
			cells: []string{"func deep(n int) int {\n" +
				"\tif n == 0 { panic(fmt.Sprintf(\"bottom %d\", n)) }\n" +
				"\treturn deep(n-1)\n" +
				"}\n" +
				"deep(3)"},
			ename: present.ENamePanic,
			want: `panic: bottom 0

interpreted stack, innermost first:
  In[1]:2:14: deep
   2 |     if n == 0 { panic(fmt.Sprintf("bottom %d", n)) }
     |                 ^
  in deep (3 calls), declared at In[1]:1:6
   1 | func deep(n int) int {
     |      ^
  In[1]:5:1: cell
   5 | deep(3)
     | ^
` + footnote,
		},
		{
			name:  "frames of earlier cells point at those cells",
			cells: []string{"func deep(n int) int {\n\tif n == 0 { panic(\"bottom\") }\n\treturn deep(n-1)\n}", "x := 1\ndeep(x)"},
			ename: present.ENamePanic,
			want: `panic: bottom

interpreted stack, innermost first:
  In[1]:2:14: deep
   2 |     if n == 0 { panic("bottom") }
     |                 ^
  in deep, declared at In[1]:1:6
   1 | func deep(n int) int {
     |      ^
  In[2]:2:1: cell
   2 | deep(x)
     | ^
` + footnote,
		},
		{
			name:  "nil dereference at the top level",
			cells: []string{"var ip *int\n*ip"},
			ename: present.ENameRuntime,
			want: `runtime error: invalid memory address or nil pointer dereference

interpreted stack, innermost first:
  In[1]:2:1: cell
   2 | *ip
     | ^`,
		},
		{
			name:  "index out of range at the top level",
			cells: []string{"var arr []int\nfmt.Println(\"before\")\narr[5]"},
			ename: present.ENameRuntime,
			want: `runtime error: index out of range

interpreted stack, innermost first:
  In[1]:3:1: cell
   3 | arr[5]
     | ^`,
		},
		{
			name:  "the failing statement in the middle of the cell's statements",
			cells: []string{"s := []int{1}\nfmt.Println(s[0])\ns = s[:0]\nfmt.Println(len(s))\nfmt.Println(s[0])\nfmt.Println(\"never\")"},
			ename: present.ENameRuntime,
			want: `runtime error: index out of range

interpreted stack, innermost first:
  In[1]:5:1: cell
   5 | fmt.Println(s[0])
     | ^`,
		},
		{
			name:  "nil map at the top level",
			cells: []string{"var mm map[string]int\nmm[\"a\"] = 1"},
			ename: present.ENameRuntime,
			want: `runtime error: assignment to entry in nil map

interpreted stack, innermost first:
  In[1]:2:1: cell
   2 | mm["a"] = 1
     | ^`,
		},
		{
			name:  "runtime error in a function: its declaration, not a guessed line",
			cells: []string{"func bad() {\n\tvar a []int\n\t_ = a[3]\n}\nbad()"},
			ename: present.ENameRuntime,
			want: `runtime error: index out of range

interpreted stack, innermost first:
  in bad, declared at In[1]:1:6
   1 | func bad() {
     |      ^
  In[1]:5:1: cell
   5 | bad()
     | ^
` + footnote,
		},
		{
			name: "runtime error in a closure in a function",
			cells: []string{"func outer() {\n\tf := func() {\n\t\tvar a []int\n\t\t_ = a[1]\n\t}\n\tf()\n}",
				"outer()"},
			ename: present.ENameRuntime,
			want: `runtime error: index out of range

interpreted stack, innermost first:
  in a function literal in outer, declared at In[1]:2:7
   2 |     f := func() {
     |          ^
  in outer, declared at In[1]:1:6
   1 | func outer() {
     |      ^
  In[2]:1:1: cell
   1 | outer()
     | ^
` + footnote,
		},
		{
			name:  "explicit panic in a method",
			cells: []string{"type T struct{}\nfunc (t *T) M() { panic(\"m\") }\nnt := &T{}\nnt.M()"},
			ename: present.ENamePanic,
			want: `panic: m

interpreted stack, innermost first:
  In[1]:2:19: T.M
   2 | func (t *T) M() { panic("m") }
     |                   ^
  In[1]:4:1: cell
   4 | nt.M()
     | ^`,
		},
		{
			name:  "explicit panic in a loop of the cell",
			cells: []string{"for i := 0; i < 3; i++ {\n\tif i == 2 {\n\t\tpanic(\"in loop\")\n\t}\n}"},
			ename: present.ENamePanic,
			want: `panic: in loop

interpreted stack, innermost first:
  In[1]:3:3: cell
   3 |         panic("in loop")
     |         ^`,
		},
		{
			name:  "runtime error in a loop of the cell: the statement that was running",
			cells: []string{"x := 0\nfor i := 0; i < 3; i++ {\n\tx += i\n\tif i == 2 {\n\t\tvar m map[int]int\n\t\tm[i] = x\n\t}\n}"},
			ename: present.ENameRuntime,
			want: `runtime error: assignment to entry in nil map

interpreted stack, innermost first:
  in the cell, in the statement at In[1]:2:1
   2 | for i := 0; i < 3; i++ {
     | ^`,
		},
		{
			name:  "a definition at the top level",
			cells: []string{"func f() int { panic(\"in f\") }", "a := 1\nz := f() + a"},
			ename: present.ENamePanic,
			want: `panic: in f

interpreted stack, innermost first:
  In[1]:1:16: f
   1 | func f() int { panic("in f") }
     |                ^
  In[2]:2:1: cell
   2 | z := f() + a
     | ^`,
		},
		{
			name:  "a variable's initializer",
			cells: []string{"func f() int { panic(\"in f\") }", "var v = f()"},
			ename: present.ENamePanic,
			want: `panic: in f

interpreted stack, innermost first:
  In[1]:1:16: f
   1 | func f() int { panic("in f") }
     |                ^
  In[2]:1:1: cell
   1 | var v = f()
     | ^`,
		},
		{
			name: "a function compiled again after a redefinition keeps its cell",
			cells: []string{"func inner() { panic(\"old\") }\nfunc outer() {\n\tinner()\n}",
				"func inner() { panic(\"new\") }",
				"outer()"},
			ename: present.ENamePanic,
			want: `panic: new

interpreted stack, innermost first:
  In[2]:1:16: inner
   1 | func inner() { panic("new") }
     |                ^
  in outer, declared at In[1]:2:6
   2 | func outer() {
     |      ^
  In[3]:1:1: cell
   1 | outer()
     | ^
` + footnote,
		},
		{
			name:  "a pasted program: its main, no statement of the cell",
			cells: []string{"package main\n\nfunc helper(xs []int) int {\n\treturn xs[3]\n}\n\nfunc main() {\n\thelper(nil)\n}\n"},
			ename: present.ENameRuntime,
			want: `runtime error: index out of range

interpreted stack, innermost first:
  in helper, declared at In[1]:3:6
   3 | func helper(xs []int) int {
     |      ^
  in main, declared at In[1]:7:6
   7 | func main() {
     |      ^
` + footnote,
		},
		{
			name: "a recovered panic leaves no position behind",
			cells: []string{"func safe() (err error) {\n" +
				"\tdefer func() {\n\t\tif r := recover(); r != nil {\n\t\t\terr = fmt.Errorf(\"recovered: %v\", r)\n\t\t}\n\t}()\n" +
				"\tpanic(\"caught\")\n}\n" +
				"fmt.Println(safe())\n" +
				"var m map[string]int\n" +
				"m[\"k\"] = 1"},
			ename: present.ENameRuntime,
			want: `runtime error: assignment to entry in nil map

interpreted stack, innermost first:
  In[1]:11:1: cell
  11 | m["k"] = 1
     | ^`,
		},
		{
			name: "a panic in a goroutine has no frame of the cell",
			cells: []string{"func work(n int) {\n\tif n > 1 {\n\t\tpanic(fmt.Sprint(\"work \", n))\n\t}\n}",
				"go func() {\n\twork(2)\n}()\ntime.Sleep(300 * time.Millisecond)"},
			ename: present.ENameGoroutinePanic,
			want: `panic in a goroutine: work 2

interpreted stack, innermost first:
  In[1]:3:3: work
   3 |         panic(fmt.Sprint("work ", n))
     |         ^
  in a function literal in the cell, declared at In[2]:1:4
   1 | go func() {
     |    ^
` + footnote,
		},
		{
			name:  "deep recursion is cut in the middle, the cell's frame kept",
			cells: []string{"func a(n int) int { if n == 0 { panic(\"down\") }; return b(n) }\nfunc b(n int) int { return a(n-1) }", "a(300)"},
			ename: present.ENamePanic,
			want:  "", // checked below
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSession(t)
			for _, c := range tt.cells[:len(tt.cells)-1] {
				s.ok(c)
			}
			last := tt.cells[len(tt.cells)-1]
			r := s.run(last)
			if r.Status != kernel.StatusError || r.Err.Name != tt.ename {
				t.Fatalf("cell %q: want %s, got %+v", last, tt.ename, r.Err)
			}
			got := plainTraceback(r.Err)
			if tt.want == "" {
				// a calls b calls a ...: 601 frames of a and b, then the cell.
				for _, want := range []string{"  In[1]:1:33: a\n", "  in b, declared at In[1]:2:6\n", "  in a, declared at In[1]:1:6\n",
					"more frames)\n", "\n  In[2]:1:1: cell\n   1 | a(300)\n"} {
					if !strings.Contains(got, want) {
						t.Errorf("traceback lacks %q:\n%s", want, got)
					}
				}
				if n := strings.Count(got, "\n  in "); n > maxFrames+tailFrames {
					t.Errorf("%d frames shown", n)
				}
				return
			}
			if got != tt.want {
				t.Errorf("cell %q: traceback\n%s\n---- want\n%s", last, got, tt.want)
			}
		})
	}
}

// TestPanicSemanticsUnchanged checks that marking panic calls changes
// nothing a program can see: recover gets the value given to panic, a
// function may end in panic without a return, a re-panic keeps its value,
// and a notebook function called panic is not the builtin. (yaegi v0.16.1's
// recover returns a value that prints as the panic's value but does not
// compare equal to it, marked or not; fmt shows what it holds.)
func TestPanicSemanticsUnchanged(t *testing.T) {
	s := newSession(t)
	out, _ := s.ok("func mustPositive(n int) int {\n\tif n > 0 {\n\t\treturn n\n\t}\n\tpanic(fmt.Errorf(\"%d is not positive\", n))\n}\n" +
		"func try(f func()) (v any) {\n\tdefer func() { v = recover() }()\n\tf()\n\treturn nil\n}\n" +
		"fmt.Println(try(func() { mustPositive(-3) }))\n" +
		"fmt.Println(try(func() { panic(42) }))\n" +
		"fmt.Println(try(func() { defer func() { panic(fmt.Sprint(\"again: \", recover())) }(); panic(\"first\") }))\n" +
		"fmt.Println(try(func() {}), mustPositive(2))")
	if out != "-3 is not positive\n42\nagain: first\n<nil> 2\n" {
		t.Fatalf("stdout = %q", out)
	}
	s.ok("func panic(s string) { fmt.Println(\"my panic:\", s) }")
	out, _ = s.ok("panic(\"not the builtin\")")
	if out != "my panic: not the builtin\n" {
		t.Fatalf("a notebook panic function: stdout = %q", out)
	}
}
