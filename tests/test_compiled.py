"""Compiled cells (%%compile, issue 13) through a real kernel: a cell of Go
declarations built with the Go toolchain into a native worker process, whose
functions interpreted cells call like any function."""

from __future__ import annotations

import os
import re
import shutil
import time

import pytest

from helpers import Kernel

BUILD_TIMEOUT = 120.0  # a cold build cache compiles the standard library packages used

LIB = """%%compile
import (
\t"fmt"
\t"strings"
\t"time"
)

type Point struct {
\tX, Y int
\tName string
}

const Scale = 3

func fib(n int) int {
\tif n < 2 {
\t\treturn n
\t}
\treturn fib(n-1) + fib(n-2)
}

func Mid(a, b Point) Point {
\treturn Point{(a.X + b.X) / 2, (a.Y + b.Y) / 2, a.Name + b.Name}
}

func Sum(xs ...int) int {
\ts := 0
\tfor _, x := range xs {
\t\ts += x
\t}
\treturn s
}

func Div(a, b int) (int, error) {
\tif b == 0 {
\t\treturn 0, fmt.Errorf("divide %d by zero", a)
\t}
\treturn a / b, nil
}

type Temp float64

func Later(t time.Time, d time.Duration) time.Time { return t.Add(d) }

func Hotter(ts []Temp, by Temp) []Temp {
	out := make([]Temp, len(ts))
	for i, t := range ts {
		out[i] = t + by
	}
	return out
}

func Grid(n int) map[string][]Point {
	g := map[string][]Point{}
	for i := range n {
		g["row"] = append(g["row"], Point{i, i * i, fmt.Sprint(i)})
	}
	return g
}

func Words(s string) (map[string]int, []string, bool, float64) {
\tw := strings.Fields(s)
\tm := map[string]int{}
\tfor _, x := range w {
\t\tm[x]++
\t}
\treturn m, w, len(w) > 2, float64(len(w)) / 2
}
"""


def count(run) -> int:
    return run.content["execution_count"]


def compile_ok(k: Kernel, code: str):
    return k.ok(code, timeout=BUILD_TIMEOUT)


@pytest.fixture(scope="module")
def lib(kernel: Kernel) -> int:
    """The LIB cell compiled in the module's kernel; its execution count."""
    return count(compile_ok(kernel, LIB))


def test_define_and_call_with_values_of_several_types(kernel: Kernel, lib: int):
    assert kernel.value("fib(20)") == "6765"
    assert kernel.value('Mid(Point{0, 0, "a"}, Point{4, 6, "b"})') == 'Point{X: 2, Y: 3, Name: "ab"}'
    assert kernel.value("Sum(1, 2, 3, 4) * Scale") == "30"
    run = kernel.ok(
        "q, err := Div(7, 0)\nfmt.Println(q, err)\nq, err = Div(7, 2)\nfmt.Println(q, err == nil)\n"
        'm, w, many, half := Words("a b a c")\nfmt.Println(m["a"], len(w), w[3], many, half)')
    assert run.stdout == "0 divide 7 by zero\n3 true\n2 4 c true 2\n"
    assert kernel.ok("fmt.Println(Hotter([]Temp{1.5, 2}, 0.5))").stdout == "[2 2.5]\n"
    assert kernel.value("Later(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), 90 * time.Minute).String()") == \
        '"2020-01-01 01:30:00 +0000 UTC"'
    assert kernel.value('Grid(3)["row"][2]') == 'Point{X: 2, Y: 4, Name: "2"}'


def test_later_compiled_cell_calls_earlier_one(kernel: Kernel, lib: int):
    # strings is not imported: as in interpreted cells, it is found by name.
    compile_ok(kernel, "%%compile\nfunc FibSum(n int) int { return fib(n) + Sum(1, 2) }\n"
               "func Shout(s string) string { return strings.ToUpper(s) + \"!\" }")
    assert kernel.value("FibSum(10)") == "58"
    assert kernel.value('Shout("go")') == '"GO!"'


def test_output_of_compiled_goroutines_streams_live(kernel: Kernel, lib: int):
    compile_ok(kernel, """%%compile
import (
\t"fmt"
\t"sync"
\t"time"
)

func Ticks(n int) int {
\tvar wg sync.WaitGroup
\tfor i := range n {
\t\twg.Add(1)
\t\tgo func() {
\t\t\tdefer wg.Done()
\t\t\ttime.Sleep(time.Duration(i) * 400 * time.Millisecond)
\t\t\tfmt.Println("tick", i)
\t\t}()
\t}
\twg.Wait()
\treturn n
}
""")
    run = kernel.ok("Ticks(3)")
    ticks = [(t, m["content"]["text"]) for m, t in zip(run.iopub, run.arrivals)
             if m["msg_type"] == "stream" and "tick" in m["content"]["text"]]
    assert "".join(x for _, x in ticks) == "tick 0\ntick 1\ntick 2\n"
    # Live: the first tick reached the frontend well before the last one.
    assert ticks[-1][0] - ticks[0][0] > 0.5, ticks
    assert run.results[0]["data"]["text/plain"] == "3"


def test_panic_is_reported_at_its_line_in_the_compiled_cell(kernel: Kernel):
    n = count(compile_ok(kernel, """%%compile
import "fmt"

func Check(n int) int {
\tif n > 2 {
\t\tpanic(fmt.Sprint("too deep ", n))
\t}
\treturn Check(n + 1)
}
"""))
    run = kernel.execute("Check(0)")
    assert run.status == "error"
    text = run.text()
    assert "too deep 3" in text
    assert f"In[{n}]:6:3: Check" in text, text
    assert f"In[{n}]:8:2: Check" in text, text
    assert 'panic(fmt.Sprint("too deep ", n))' in text
    # A panic is an error of the call only: the worker keeps running.
    run = kernel.execute("Check(7)")
    assert run.status == "error" and "too deep 7" in run.content["evalue"]
    assert "restarted" not in run.stderr

def test_interrupt_stops_a_running_compiled_function(kernel: Kernel, lib: int):
    compile_ok(kernel, "%%compile\nvar calls int\n\nfunc Spin() int {\n\tcalls++\n\tfor {\n\t}\n}\n"
               "func Calls() int { calls++; return calls }")
    assert kernel.value("Calls()") == "1"
    msg_id = kernel.kc.execute("Spin()", allow_stdin=False)
    time.sleep(1.0)
    t0 = time.monotonic()
    kernel.send_interrupt()
    run = kernel.finish(msg_id, timeout=10)
    took = time.monotonic() - t0
    print(f"reply {took * 1000:.1f} ms after the interrupt")
    assert run.status == "error"
    assert run.content["ename"] == "Interrupted"
    assert "package-level variables" in run.stderr and "lost" in run.stderr
    # The worker was restarted: the compiled state starts afresh, and says so.
    run = kernel.ok("Calls()")
    assert run.results[0]["data"]["text/plain"] == "1"
    assert "restarted" in run.stderr
    assert kernel.value("fib(15)") == "610"


def test_or_interpret_compiles_when_there_is_go(kernel: Kernel):
    run = compile_ok(kernel, "%%compile --or-interpret\nimport \"os\"\n\nfunc WorkerPid() int { return os.Getpid() }")
    assert "interpreted" not in run.stderr
    pid = int(kernel.value("WorkerPid()"))
    assert pid != int(kernel.value("os.Getpid()"))  # it ran in the worker


def test_redefinition_rebuilds(kernel: Kernel):
    compile_ok(kernel, "%%compile\nfunc Version() string { return \"one\" }")
    assert kernel.value("Version()") == '"one"'
    compile_ok(kernel, "%%compile\nfunc Version() string { return \"two\" }")
    assert kernel.value("Version()") == '"two"'


def test_build_error_is_shown_at_the_cell_position(kernel: Kernel, lib: int):
    run = kernel.execute("%%compile\nfunc Broken() int {\n\treturn undefinedThing + 1\n}",
                         timeout=BUILD_TIMEOUT)
    assert run.status == "error"
    n = count(run)
    assert run.content["ename"] == "CompileError"
    text = run.text()
    assert f"In[{n}]:3:9: undefined: undefinedThing" in text, text
    assert "return undefinedThing + 1" in text
    # The last good build is kept.
    assert kernel.value("fib(10)") == "55"
    run = kernel.execute("Broken()")
    assert run.status == "error" and "Broken" in run.text()


def test_values_that_cannot_cross_say_which_and_why(kernel: Kernel):
    run = compile_ok(kernel, "%%compile\nfunc Feed(c chan int) { c <- 1 }\n"
                     "func Ref() *int { x := 1; return &x }\nfunc Fine() int { return 2 }")
    assert "Feed cannot be called" in run.stderr and "channel" in run.stderr
    assert "Ref cannot be called" in run.stderr and "pointer" in run.stderr
    run = kernel.execute("Feed(make(chan int))")
    assert run.status == "error"
    assert "channel" in run.content["evalue"]
    assert "Feed cannot be called from an interpreted cell" in run.content["evalue"]
    run = kernel.execute("Ref()")
    assert run.status == "error" and "pointer" in run.content["evalue"]
    assert kernel.value("Fine()") == "2"


def test_worker_exit_is_reported_and_the_next_call_works(kernel: Kernel):
    compile_ok(kernel, '%%compile\nimport "os"\n\nfunc Quit() { os.Exit(4) }\nfunc Alive() bool { return true }')
    run = kernel.execute("Quit()")
    assert run.status == "error"
    assert "exited (exit status 4) while running Quit" in run.content["evalue"]
    assert kernel.value("Alive()") == "true"


def test_without_go_a_compiled_cell_says_it_needs_go(tmp_path):
    go = shutil.which("go")
    assert go
    # A PATH with everything but the directory holding go.
    path = os.pathsep.join(d for d in os.environ["PATH"].split(os.pathsep)
                           if not os.path.exists(os.path.join(d, "go")))
    k = Kernel(env={"PATH": path})
    try:
        run = k.execute("%%compile\nfunc F() int { return 1 }")
        assert run.status == "error"
        assert "needs the Go toolchain" in run.content["evalue"]
        assert "https://go.dev/dl/" in run.content["evalue"]
        assert k.value("1 + 1") == "2"
        # --or-interpret (as the workshop's notebooks use it): the cell runs interpreted, and says so.
        run = k.ok("%%compile --or-interpret\nfunc G(x int) int { return 2 * x }")
        assert "runs interpreted (--or-interpret)" in run.stderr and "https://go.dev/dl/" in run.stderr
        assert k.value("G(21)") == "42"
    finally:
        k.close()


def test_a_busy_worker_does_not_outlive_its_kernel():
    k = Kernel()
    try:
        k.ok('%%compile\nimport "os"\n\nfunc Pid() int { return os.Getpid() }\nfunc Spin() {\n\tfor {\n\t}\n}',
             timeout=BUILD_TIMEOUT)
        pid = int(k.value("Pid()"))
        assert os.path.exists(f"/proc/{pid}")
        k.kc.execute("Spin()", allow_stdin=False)
        time.sleep(0.5)
    finally:
        k.close()  # shutdown_kernel(now=True): the kernel is killed
    deadline = time.monotonic() + 5
    while os.path.exists(f"/proc/{pid}") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists(f"/proc/{pid}"), "the compiled worker outlived its kernel"


METHODS = """%%compile
import (
\t"fmt"
\t"math"
)

type Vec struct{ X, Y float64 }

func (v Vec) Len() float64 { return math.Hypot(v.X, v.Y) }

func (v Vec) String() string { return fmt.Sprintf("(%g, %g)", v.X, v.Y) }

func (v *Vec) Scale(k float64) float64 {
\tv.X *= k
\tv.Y *= k
\treturn v.Len()
}

func (v *Vec) Zero() { *v = Vec{} }

func (v *Vec) Fail() {
\tv.X = 99
\tpanic("no")
}

type Bag struct {
\tItems []string
\tSeen  map[string]int
}

func (b *Bag) Add(xs ...string) int {
\tif b.Seen == nil {
\t\tb.Seen = map[string]int{}
\t}
\tfor _, x := range xs {
\t\tb.Items = append(b.Items, x)
\t\tb.Seen[x]++
\t}
\treturn len(b.Items)
}

type counter struct{ n int }

func (c *counter) Inc() int { c.n++; return c.n }

func NewCounter() int { c := counter{}; c.Inc(); return c.Inc() }

func Total[T int | float64](xs []T) T {
\tvar s T
\tfor _, x := range xs {
\t\ts += x
\t}
\treturn s
}

func TotalInts(xs []int) int { return Total(xs) }
"""


def test_methods_of_compiled_types_run_compiled(kernel: Kernel):
    run = compile_ok(kernel, METHODS)
    # Value receivers: the method runs in the worker on a copy.
    assert kernel.value("Vec{3, 4}.Len()") == "5"
    # The stub makes the interpreter's Vec a fmt.Stringer whose String is compiled.
    assert kernel.ok('v := Vec{1, 2}\nfmt.Println(v, v.String())').stdout == "(1, 2) (1, 2)\n"
    # Pointer receivers: copied in, run, copied back into the interpreter's value.
    assert kernel.ok("l := v.Scale(3)\nfmt.Println(v.X, v.Y, l > 6.7 && l < 6.71)").stdout == "3 6 true\n"
    assert kernel.ok("p := &v\np.Scale(2)\nfmt.Println(v.X, v.Y)").stdout == "6 12\n"
    # Fields set to zero come back as zero (gob leaves zero fields out).
    assert kernel.ok("v.Zero()\nfmt.Println(v.X, v.Y)").stdout == "0 0\n"
    # Maps and slices inside the receiver, variadic arguments.
    assert kernel.ok('var b Bag\nb.Add("a", "b")\nn := b.Add("a")\nfmt.Println(n, b.Items, b.Seen["a"])').stdout == \
        "3 [a b a] 2\n"
    # A method's panic leaves the receiver as it was and says where.
    n = count(run)
    run = kernel.execute("v.X = 5\nv.Fail()")
    assert run.status == "error" and "no" in run.content["evalue"]
    assert f"In[{n}]:" in run.text() and "Vec).Fail" in run.text()
    assert kernel.value("v.X") == "5"
    var_nil = kernel.execute("var np *Vec\nnp.Scale(2)")
    assert var_nil.status == "error" and "nil *Vec" in var_nil.content["evalue"]


def test_methods_and_generics_that_cannot_cross_name_the_limit(kernel: Kernel):
    run = compile_ok(kernel, METHODS)
    # A type with unexported fields would lose them on the way: said at definition and at the call.
    assert "counter).Inc cannot be called" in run.stderr and "unexported field n" in run.stderr
    assert kernel.value("NewCounter()") == "2"  # inside compiled code it works
    bad = kernel.execute("var c counter\nc.Inc()")
    assert bad.status == "error"
    assert "unexported field n" in bad.content["evalue"] and "gob" in bad.content["evalue"]
    # Generic functions: the concrete wrapper works; the generic one says why not.
    assert kernel.value("TotalInts([]int{1, 2, 3})") == "6"
    assert "Total cannot be called" in run.stderr
    bad = kernel.execute("Total([]int{1, 2})")
    assert bad.status == "error"
    assert "Total cannot be called from an interpreted cell: it is generic" in bad.content["evalue"]
    assert "function of concrete types" in bad.content["evalue"]
    # A generic type's methods: the same limit, named at the call.
    compile_ok(kernel, "%%compile\ntype Stack[T any] struct{ Items []T }\n\n"
               "func (s *Stack[T]) Push(x T) { s.Items = append(s.Items, x) }\n"
               "func Pushed(n int) int { var s Stack[int]; for i := range n { s.Push(i) }; return len(s.Items) }")
    assert kernel.value("Pushed(4)") == "4"
    bad = kernel.execute("var st Stack[int]\nst.Push(1)")
    assert bad.status == "error" and "Stack is generic" in bad.content["evalue"]


def test_methods_follow_redefinitions_of_their_type_or_themselves(kernel: Kernel):
    compile_ok(kernel, "%%compile\ntype Cel struct{ C float64 }\n\nfunc (c Cel) F() float64 { return c.C*9/5 + 32 }")
    assert kernel.value("Cel{100}.F()") == "212"
    # The method alone, in a later cell: the interpreter's Cel calls the new code.
    compile_ok(kernel, "%%compile\nfunc (c Cel) F() float64 { return c.C*9/5 + 32 + 1000 }")
    assert kernel.value("Cel{100}.F()") == "1212"
    # The type alone, redefined: it keeps the method declared in another cell.
    compile_ok(kernel, "%%compile\ntype Cel struct {\n\tC    float64\n\tNote string\n}")
    assert kernel.value('Cel{C: 0, Note: "x"}.F()') == "1032"


def test_values_larger_than_a_pipe_cross_both_ways(kernel: Kernel):
    # Several pipe buffers each way: the writers wait for room instead of failing.
    compile_ok(kernel, "%%compile\nfunc Double(xs []int64) []int64 {\n\tout := make([]int64, len(xs))\n"
               "\tfor i, x := range xs {\n\t\tout[i] = 2 * x\n\t}\n\treturn out\n}")
    run = kernel.ok("big := make([]int64, 400_000)\nfor i := range big { big[i] = int64(i) * 1_000_003 }\n"
                    "got := Double(big)\nfmt.Println(len(got), got[1], got[399_999] == 2*big[399_999])")
    assert run.stdout == "400000 2000006 true\n"
