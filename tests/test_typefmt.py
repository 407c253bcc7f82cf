"""fmt of types declared in cells, through a real kernel (issue 12, item 5).

Each program below is pasted into a fresh kernel and run with `go run`;
the cell must print what the Go toolchain's program prints, on stdout and
stderr. yaegi builds a cell's struct type as an unnamed reflect type with
unexported fields renamed (x becomes Xx); golit prints them with their Go
names (interp/typefmt). What cannot be told apart at run time is in
interp/LIMITS.md ("fmt and notebook types") and is left out of the table.
"""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest

PROGRAMS: dict[str, str] = {}

# Go by Example, "String Formatting" (without %p, whose address differs).
PROGRAMS["gobyexample_string_formatting"] = r'''
package main

import (
	"fmt"
	"os"
)

type point struct {
	x, y int
}

func main() {
	p := point{1, 2}
	fmt.Printf("struct1: %v\n", p)
	fmt.Printf("struct2: %+v\n", p)
	fmt.Printf("struct3: %#v\n", p)
	fmt.Printf("type: %T\n", p)
	fmt.Printf("bool: %t\n", true)
	fmt.Printf("int: %d\n", 123)
	fmt.Printf("bin: %b\n", 14)
	fmt.Printf("char: %c\n", 33)
	fmt.Printf("hex: %x\n", 456)
	fmt.Printf("float1: %f\n", 78.9)
	fmt.Printf("float2: %e\n", 123400000.0)
	fmt.Printf("str2: %q\n", "\"string\"")
	fmt.Printf("width1: |%6d|%6d|\n", 12, 345)
	fmt.Printf("width3: |%-6.2f|%-6.2f|\n", 1.2, 3.45)
	fmt.Printf("width5: |%-6s|%-6s|\n", "foo", "b")
	s := fmt.Sprintf("sprintf: a %s", "string")
	fmt.Println(s)
	fmt.Fprintf(os.Stderr, "io: an %s\n", "error")
	fmt.Fprintf(os.Stderr, "struct on stderr: %+v %T\n", p, p)
}
'''

# Named structs, pointers to them, and slices, maps and arrays of them,
# under every printing function.
PROGRAMS["structs_and_containers"] = r'''
package main

import (
	"fmt"
	"os"
	"strings"
)

type point struct{ x, y int }

type P struct{ X, Y int }

type line struct {
	a, b point
	name string
}

func main() {
	p := point{1, 2}
	fmt.Printf("%T %v %+v %#v\n", p, p, p, p)
	fmt.Printf("%T %v %+v %#v\n", &p, &p, &p, &p)
	q := P{3, 4}
	fmt.Printf("%T %v %+v %#v\n", q, q, q, q)
	ps := []point{{1, 2}, {3, 4}}
	fmt.Printf("%T %v %+v %#v\n", ps, ps, ps, ps)
	m := map[string]point{"b": {1, 2}, "a": {5, 6}}
	fmt.Printf("%T %v %+v %#v\n", m, m, m, m)
	arr := [2]point{{1, 2}}
	fmt.Printf("%T %v %+v %#v\n", arr, arr, arr, arr)
	l := line{point{1, 2}, point{3, 4}, "l"}
	fmt.Printf("%T %v %+v %#v\n", l, l, l, l)
	fmt.Printf("%8v|%-10v|%d|%x\n", p, p, l, p)
	fmt.Println(p, &p, ps, l)
	fmt.Print(p, q, "\n")
	fmt.Println(fmt.Sprint(p) + fmt.Sprintf("|%+v|", l) + fmt.Sprintln(p, q))
	var sb strings.Builder
	fmt.Fprintf(&sb, "%+v %#v", p, ps)
	fmt.Println(sb.String())
	fmt.Fprintln(os.Stdout, m, arr)
	fmt.Println(string(fmt.Appendf(nil, "%#v", q)))
	err := fmt.Errorf("bad point %+v", p)
	fmt.Println(err)
}
'''

# Values behind interface-typed fields, in []any and map[string]any, and
# embedded structs.
PROGRAMS["interfaces_and_embedding"] = r'''
package main

import "fmt"

type point struct{ x, y int }

type box struct {
	v    any
	name string
}

type inner struct{ X int }

type outer struct {
	inner
	Y int
}

func main() {
	b := box{point{7, 8}, "b"}
	fmt.Printf("%v %+v %#v\n", b, b, b)
	e := box{}
	fmt.Printf("%v %+v %#v\n", e, e, e)
	anys := []any{point{1, 2}, 3, "s", nil, outer{inner{1}, 2}}
	fmt.Printf("%v\n%+v\n%#v\n", anys, anys, anys)
	fmt.Println(anys...)
	m := map[string]any{"p": point{1, 2}, "n": 1}
	fmt.Printf("%v %#v\n", m, m)
	o := outer{inner{1}, 2}
	fmt.Printf("%v %+v %#v %d\n", o, o, o, o.X)
	var x any = point{3, 4}
	fmt.Printf("%T %v\n", x, x)
}
'''

# Methods fmt calls: String, Error and Format, on values and pointers.
PROGRAMS["methods"] = r'''
package main

import "fmt"

type ServerState int

const (
	StateIdle ServerState = iota
	StateConnected
	StateError
)

var stateName = map[ServerState]string{
	StateIdle:      "idle",
	StateConnected: "connected",
	StateError:     "error",
}

func (ss ServerState) String() string { return stateName[ss] }

type temp struct{ c float64 }

func (t temp) String() string { return fmt.Sprintf("%.1f°C", t.c) }

type vec struct{ x, y int }

func (v *vec) String() string { return fmt.Sprintf("<%d,%d>", v.x, v.y) }

type money struct{ cents int }

func (m money) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, "$%d.%02d", m.cents/100, m.cents%100)
}

type report struct {
	State ServerState
	T     temp
}

func main() {
	fmt.Println(StateIdle, StateConnected)
	fmt.Printf("%v %s %d\n", StateError, StateError, StateError)
	t := temp{21.5}
	fmt.Println(t)
	fmt.Printf("%v %s %+v\n", t, t, t)
	v := &vec{1, 2}
	fmt.Println(v)
	fmt.Printf("%v %+v\n", v, v)
	m := money{1234}
	fmt.Println(m)
	fmt.Printf("%v %s %d\n", m, m, m)
	r := report{StateConnected, t}
	fmt.Printf("%v %+v\n", r, r)
	fmt.Println([]report{r})
}
'''

# Go by Example, "Custom Errors" and "Errors": errors.As and errors.Is
# with error types and sentinels declared in the program, and %w.
PROGRAMS["errors"] = r'''
package main

import (
	"errors"
	"fmt"
)

type argError struct {
	arg     int
	message string
}

func (e *argError) Error() string {
	return fmt.Sprintf("%d - %s", e.arg, e.message)
}

var ErrOutOfTea = fmt.Errorf("no more tea available")

var ErrPower = &argError{0, "can't boil water"}

func f(arg int) (int, error) {
	if arg == 42 {
		return -1, &argError{arg, "can't work with it"}
	}
	return arg + 3, nil
}

func makeTea(arg int) error {
	if arg == 2 {
		return ErrOutOfTea
	} else if arg == 4 {
		return fmt.Errorf("making tea: %w", ErrPower)
	}
	return nil
}

func main() {
	_, err := f(42)
	var ae *argError
	if errors.As(err, &ae) {
		fmt.Println(ae.arg)
		fmt.Println(ae.message)
	} else {
		fmt.Println("err doesn't match argError")
	}
	for i := range 5 {
		if err := makeTea(i); err != nil {
			if errors.Is(err, ErrOutOfTea) {
				fmt.Println("We should buy new tea!")
			} else if errors.Is(err, ErrPower) {
				fmt.Println("Now it is dark.")
			} else {
				fmt.Printf("unknown error: %s\n", err)
			}
			continue
		}
		fmt.Println("Tea is ready!")
	}
	w := fmt.Errorf("wrapped: %w", err)
	var ae2 *argError
	fmt.Println(w, errors.As(w, &ae2), ae2.arg)
	fmt.Println(errors.As(errors.New("plain"), &ae2))
	fmt.Printf("%v|%s|%T\n", err, err, err)
	if a, ok := errors.AsType[*argError](w); ok {
		fmt.Println("AsType", a.arg)
	}
}
'''

# log's functions, with the flags that make its output reproducible.
PROGRAMS["log"] = r'''
package main

import (
	"log"
	"os"
)

type item struct {
	Name  string
	price int
}

func main() {
	log.SetFlags(0)
	log.SetOutput(os.Stdout)
	it := item{"pen", 3}
	log.Printf("%v %+v %T", it, it, it)
	log.Println(it, []item{it})
	log.Print(it)
}
'''

# Structs marshalled to JSON with tags, next to printing them (JSON must
# stay as it was).
PROGRAMS["json"] = r'''
package main

import (
	"encoding/json"
	"fmt"
)

type response struct {
	Page   int      `json:"page"`
	Fruits []string `json:"fruits"`
}

func main() {
	r := response{1, []string{"apple", "peach"}}
	b, err := json.Marshal(r)
	fmt.Println(string(b), err)
	fmt.Printf("%+v %#v\n", r, r)
	var back response
	fmt.Println(json.Unmarshal(b, &back), back.Fruits[1])
	fmt.Printf("%#v\n", back)
}
'''


# encoding/json leaves out the fields a declaration did not export, at any
# depth (embedded structs promote their fields), keeps tags, omitempty and
# MarshalJSON, and decodes into no unexported field (interp/run/celljson.go).
PROGRAMS["json_unexported_fields"] = r'''
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type base struct {
	ID   int `json:"id"`
	kind string
}

type Meta struct{ Tag string }

type item struct {
	base
	Meta
	Name  string `json:"name"`
	note  string
	Price float64 `json:"price,omitempty"`
	Sub   *item   `json:"sub,omitempty"`
}

type hidden struct{ a, b int }

type money int

func (m money) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("\"$%d\"", m)), nil }

func main() {
	it := item{base{1, "k"}, Meta{"t"}, "a", "secret", 0, &item{Name: "b", note: "x"}}
	b, err := json.Marshal(it)
	fmt.Println(string(b), err)
	b, _ = json.MarshalIndent([]item{it}, "", "  ")
	fmt.Println(string(b))
	m := map[string]any{"x": it, "list": []*item{&it}}
	b, _ = json.Marshal(m)
	fmt.Println(string(b))
	json.NewEncoder(os.Stdout).Encode(it)
	b, _ = json.Marshal(money(5))
	fmt.Println(string(b))
	b, _ = json.Marshal([]hidden{{1, 2}})
	fmt.Println(string(b))
	var out item
	out.note = "keep"
	err = json.Unmarshal([]byte(`{"id":7,"name":"z","note":"no","Xnote":"no","xnote":"no","kind":"no","Tag":"q","sub":{"name":"s"}}`), &out)
	sub := out.Sub
	out.Sub = nil
	fmt.Printf("%+v %+v %v\n", out, *sub, err)
	var list []item
	err = json.NewDecoder(strings.NewReader(`[{"name":"p","note":"n"}]`)).Decode(&list)
	fmt.Printf("%+v %v\n", list, err)
}
'''


# MarshalJSON and UnmarshalJSON of notebook types, at the top and inside
# slices, maps, fields and pointers (yaegi's reflect types have no
# methods; golit calls the notebook's, interp/typefmt/shadow.go).
PROGRAMS["json_methods"] = r'''
package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
)

type temp struct{ c float64 }

func (t temp) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("\"%gC\"", t.c)), nil }

func (t *temp) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	_, err := fmt.Sscanf(s, "%gC", &t.c)
	return err
}

type reading struct {
	At   temp
	Max  *temp `json:"max,omitempty"`
	note string
	Cost money  `json:"cost,omitempty"`
	Tip  *money `json:"tip,omitempty"`
}

type money int

func (m money) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("\"$%d\"", int(m))), nil }

func (m *money) UnmarshalJSON(b []byte) error {
	_, err := fmt.Sscanf(string(b), "\"$%d\"", (*int)(m))
	return err
}

func main() {
	b, err := json.Marshal(temp{1.5})
	fmt.Println(string(b), err)
	b, err = json.Marshal([]temp{{1}, {2}})
	fmt.Println(string(b), err)
	tip := money(2)
	b, err = json.Marshal(map[string]reading{"a": {temp{3}, &temp{4}, "n", 7, &tip}, "b": {At: temp{5}}})
	fmt.Println(string(b), err)
	var t temp
	fmt.Println(json.Unmarshal([]byte(`"21.5C"`), &t), t.c)
	var rs []reading
	err = json.NewDecoder(strings.NewReader(`[{"At":"1C","max":"2C","note":"x","cost":"$3","tip":"$4"},{"At":"3C"}]`)).Decode(&rs)
	fmt.Println(err, len(rs), rs[0].At.c, rs[0].Max.c, rs[0].note == "", rs[1].At.c, rs[1].Max == nil, rs[0].Cost, *rs[0].Tip, rs[1].Tip == nil)
	fmt.Println(json.Unmarshal([]byte(`{"At":"oops"}`), &rs[1]) != nil)
	json.NewEncoder(os.Stdout).Encode(rs)
}
'''


# encoding/xml: unexported fields left out and not filled, the root
# element named after the notebook type (interp/run/celljson.go).
PROGRAMS["xml_unexported_fields"] = r'''
package main

import (
	"encoding/xml"
	"fmt"
)

type addr struct {
	City string `xml:"city"`
	zip  string
}

type person struct {
	Name  string `xml:"name,attr"`
	age   int
	Home  addr
	Other *addr `xml:"other,omitempty"`
}

type named struct {
	XMLName xml.Name `xml:"who"`
	N       string
	hidden  int
}

func main() {
	b, err := xml.Marshal(person{"ann", 30, addr{"Oslo", "0150"}, nil})
	fmt.Println(string(b), err)
	b, err = xml.MarshalIndent(&named{N: "x", hidden: 1}, "", " ")
	fmt.Println(string(b), err)
	var p person
	p.age = 7
	err = xml.Unmarshal([]byte(`<person name="bo"><age>9</age><Xage>9</Xage><Home><city>Rome</city><zip>1</zip></Home></person>`), &p)
	fmt.Println(p.Name, p.age, p.Home.City, p.Home.zip == "", err)
}
'''


# Generic functions: type arguments inferred from a function argument and
# from variadic parameters only (issue 12 item 5), which yaegi v0.16.1
# gets wrong or fails on; golit writes them (interp/typeargs.go).
PROGRAMS["generics_inference"] = r'''
package main

import (
	"fmt"
	"strconv"
)

type Number interface {
	~int | ~int64 | ~float64
}

func Map[T, U any](xs []T, f func(T) U) []U {
	out := make([]U, 0, len(xs))
	for _, x := range xs {
		out = append(out, f(x))
	}
	return out
}

func Sum[T Number](xs ...T) T {
	var s T
	for _, x := range xs {
		s += x
	}
	return s
}

func Reduce[T, A any](xs []T, init A, f func(A, T) A) A {
	acc := init
	for _, x := range xs {
		acc = f(acc, x)
	}
	return acc
}

func SumIntsOrFloats[K comparable, V Number](m map[K]V) V {
	var s V
	for _, v := range m {
		s += v
	}
	return s
}

func main() {
	xs := []int{1, 2, 3}
	ys := Map(xs, func(i int) string { return strconv.Itoa(i * 2) })
	fmt.Printf("%q %T\n", ys, ys)
	fmt.Println(Sum(1.5, 2.5), Sum(1, 2, 3), Sum(1, 2.5))
	fmt.Printf("%T %T\n", Sum(1, 2), Sum(0.5))
	fmt.Println(Sum(xs...))
	fmt.Println(Reduce(xs, 0.5, func(a float64, x int) float64 { return a + float64(x) }))
	fmt.Println(SumIntsOrFloats(map[string]int64{"first": 34, "second": 12}))
}
'''

# Go by Example, "Generics".
PROGRAMS["gobyexample_generics"] = r'''
package main

import "fmt"

func SlicesIndex[S ~[]E, E comparable](s S, v E) int {
	for i := range s {
		if v == s[i] {
			return i
		}
	}
	return -1
}

type List[T any] struct {
	head, tail *element[T]
}

type element[T any] struct {
	next *element[T]
	val  T
}

func (lst *List[T]) Push(v T) {
	if lst.tail == nil {
		lst.head = &element[T]{val: v}
		lst.tail = lst.head
	} else {
		lst.tail.next = &element[T]{val: v}
		lst.tail = lst.tail.next
	}
}

func (lst *List[T]) AllElements() []T {
	var elems []T
	for e := lst.head; e != nil; e = e.next {
		elems = append(elems, e.val)
	}
	return elems
}

func main() {
	var s = []string{"foo", "bar", "zoo"}
	fmt.Println("index of zoo:", SlicesIndex(s, "zoo"))
	_ = SlicesIndex[[]string, string](s, "zoo")
	lst := List[int]{}
	lst.Push(10)
	lst.Push(13)
	lst.Push(23)
	fmt.Println("list:", lst.AllElements())
}
'''


# Corners: nil pointers, maps and slices of notebook types, fields of
# compiled types with methods behind unexported names (fmt calls no method
# there), struct map keys, local and anonymous struct types, flags, width,
# explicit argument indexes, missing operands, function and channel types.
PROGRAMS["corners"] = r'''
package main

import (
	"fmt"
	"time"
)

type point struct{ x, y int }

type node struct {
	val  int
	next *node
}

type weird struct {
	ch chan int
	f  func()
	m  map[point]string
	e  error
	b  []byte
	t  time.Duration
	ip *int
}

type Exp struct {
	*point
	Name string
}

func main() {
	var p *point
	fmt.Println(p)
	fmt.Printf("%v %+v %#v\n", p, p, p)
	var mp map[string]point
	fmt.Printf("%v %#v\n", mp, mp)
	var sp []point
	fmt.Printf("%v %#v %d\n", sp, sp, len(sp))
	w := weird{m: map[point]string{{2, 1}: "b", {1, 2}: "a"}, b: []byte("hi"), t: 1500 * time.Millisecond}
	fmt.Printf("%v\n%+v\n", w, w)
	type local struct{ a int }
	fmt.Printf("%v %+v\n", local{1}, local{1})
	dog := struct {
		name   string
		isGood bool
	}{"Rex", true}
	fmt.Printf("%v %+v\n", dog, dog)
	fmt.Printf("%x %X %q\n", point{10, 11}, point{10, 11}, point{1, 2})
	fmt.Printf("%v|%6.2v|%-8v|\n", []point{{1, 2}}, point{3, 4}, point{5, 6})
	e := Exp{&point{1, 2}, "n"}
	fmt.Printf("%v %+v\n", e.Name, e.x)
	ch := make(chan point)
	_ = ch
	fmt.Printf("%T\n", ch)
	fmt.Printf("%T %T\n", map[point][]*point{}, func(point) int { return 0 })
	fmt.Println(fmt.Sprintf("%5.1f|%v", 3.14159, [3]point{}))
	fmt.Printf("%v %v\n", struct{}{}, []struct{}{{}})
	fmt.Printf("%[2]v %[1]v %v\n", point{1, 1}, point{2, 2})
	fmt.Printf("%d %v\n", point{1, 2})
	fmt.Printf("%!\n", point{1, 2})
}
'''


# What reflection cannot tell, golit reads in the source (the operand's
# declared type, interp/typeargs.go typedPrintArgs): named types that are
# not structs, slices of a type with String, struct values whose type has
# String or Error (yaegi's wrapper loses their fields), two struct types
# with the same fields, instances of generic types, local types.
PROGRAMS["declared_types"] = r'''
package main

import (
	"errors"
	"fmt"
)

type celsius float64
type names []string
type dict map[string]int

type state int

const (
	idle state = iota
	busy
)

func (s state) String() string { return [...]string{"idle", "busy"}[s] }

type temp struct{ c float64 }

func (t temp) String() string { return fmt.Sprintf("%.1f°C", t.c) }

type vec struct{ x, y int }

func (v *vec) String() string { return "vec!" }

type valErr struct{ what string }

func (e valErr) Error() string { return "bad " + e.what }

type a struct{ x int }
type b struct{ x int }

type Pair[K comparable, V any] struct {
	Key K
	Val V
}

func main() {
	c := celsius(1.5)
	fmt.Printf("%T %v %+v %#v\n", c, c, c, c)
	n := names{"a", "b"}
	fmt.Printf("%T %v %#v\n", n, n, n)
	d := dict{"k": 1}
	fmt.Printf("%T %v %#v\n", d, d, d)
	ss := []state{idle, busy}
	fmt.Println(ss, idle)
	fmt.Printf("%T %v %d %#v\n", ss, ss, ss, ss)
	t := temp{21.5}
	fmt.Printf("%T %v %s %#v %d\n", t, t, t, t, t)
	v := vec{1, 2}
	fmt.Printf("%v %v %+v\n", v, &v, v)
	ve := valErr{"x"}
	fmt.Printf("%T %v %#v\n", ve, ve, ve)
	fmt.Println(fmt.Errorf("w: %w", ve), errors.Unwrap(fmt.Errorf("w: %w", ve)) != nil)
	fmt.Printf("%T %T %#v %#v\n", a{1}, b{2}, a{1}, b{2})
	p := Pair[string, int]{"k", 1}
	fmt.Printf("%T %v %+v %#v\n", p, p, p, p)
	fmt.Print(c, n, "\n")
	fmt.Println(c, n, d)
	type local struct{ q int }
	fmt.Printf("%T %#v\n", local{1}, local{1})
}
'''


def go_run(tmp_path, src: str) -> subprocess.CompletedProcess:
    go = shutil.which("go")
    if go is None:
        pytest.skip("needs the go command on PATH to know what the program prints")
    f = tmp_path / "main.go"
    f.write_text(src)
    env = {**os.environ, "GOTOOLCHAIN": "local", "GOFLAGS": "", "GOWORK": "off"}
    return subprocess.run([go, "run", str(f)], cwd=tmp_path, capture_output=True, text=True,
                          timeout=180, env=env)


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_program_prints_what_go_run_prints(name, fresh_kernel, tmp_path):
    src = PROGRAMS[name]
    want = go_run(tmp_path, src)
    assert want.returncode == 0, f"go run failed:\n{want.stderr}"
    run = fresh_kernel.ok(src, timeout=60)
    assert run.stdout == want.stdout
    assert run.stderr == want.stderr


def test_out_display_uses_declared_names(kernel):
    """The text/plain of a cell's value names the cell's types and their
    fields as declared (golit's display, close to a Go literal)."""
    kernel.ok("type point struct{ x, y int }\ntype shape struct{ corners []point; Name string }")
    assert kernel.value("point{1, 2}") == "point{x: 1, y: 2}"
    assert kernel.value("&point{1, 2}") == "&point{x: 1, y: 2}"
    assert kernel.value("[]point{{1, 2}}") == "[]point{point{x: 1, y: 2}}"
    assert kernel.value('map[string]point{"a": {1, 2}}') == 'map[string]point{"a": point{x: 1, y: 2}}'
    assert (kernel.value('shape{[]point{{0, 0}}, "dot"}')
            == 'shape{corners: {point{x: 0, y: 0}}, Name: "dot"}')


def test_redefined_type_prints_new_fields(kernel):
    """A type declared again with other fields prints with the new ones."""
    kernel.ok("type cfg struct{ a int }")
    kernel.ok("type cfg struct{ a int; b string }")
    got = kernel.ok('fmt.Printf("%+v %#v\\n", cfg{1, "x"}, cfg{2, "y"})').stdout
    assert got == '{a:1 b:x} main.cfg{a:2, b:"y"}\n'


def test_failed_inference_shows_instantiation(kernel):
    """A generic call whose arguments golit cannot type, where yaegi's
    inference fails, is reported at the call (In[n]:line:col) with the
    explicit instantiation to write; written, it runs (issue 12 item 5)."""
    kernel.ok("type Number interface{ ~int | ~float64 }\n"
              "func Sum[T Number](xs ...T) T {\n\tvar s T\n\tfor _, x := range xs {\n\t\ts += x\n\t}\n\treturn s\n}")
    run = kernel.execute("vp := &struct{ X float64 }{1.5}\nfmt.Println(Sum(vp.X))")
    assert run.status == "error"
    evalue = run.content["evalue"]
    count = run.content["execution_count"]
    assert evalue.startswith(f"In[{count}]:2:13: undefined type for T"), evalue
    assert "hint: write the type arguments: Sum[T](vp.X) with T Number, e.g. Sum[int](vp.X)" in evalue
    run = kernel.execute("fmt.Println(Sum(min(1.5, 2)))")
    assert "hint: write the type arguments: Sum[T](min(1.5, 2)) with T Number, " \
        "e.g. Sum[float64](min(1.5, 2))" in run.content["evalue"]
    assert kernel.ok("vp := &struct{ X float64 }{1.5}\nfmt.Println(Sum[float64](vp.X), Sum[float64](min(1.5, 2)))").stdout == "1.5 1.5\n"
