"""Correctness under pressure (issue 15, items 1, 2 and 5): output in the order
the program wrote it, no silent wrong values, cells that end strangely still
end. Each test runs cells in a real kernel through jupyter_client."""

from __future__ import annotations

import time

from helpers import Kernel

TIMEOUT = 60


def stream_runs(run) -> list[tuple[str, str]]:
    """The cell's stream output as (name, text) runs, neighbouring messages
    of one stream joined: what a notebook shows, in order."""
    out: list[tuple[str, str]] = []
    for m in run.of_type("stream"):
        name, text = m["content"]["name"], m["content"]["text"]
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + text)
        else:
            out.append((name, text))
    return out


# -- 1. Output keeps its order ------------------------------------------------

def test_fmt_and_os_stdout_writes_keep_program_order(kernel: Kernel):
    # The cell: fmt's lines used to come first, then the rest.
    run = kernel.ok("""enc := json.NewEncoder(os.Stdout)
for i := range 5 {
    fmt.Println("fmt", i)
    enc.Encode(map[string]int{"enc": i})
    os.Stdout.WriteString("raw\\n")
}""")
    want = "".join(f'fmt {i}\n{{"enc":{i}}}\nraw\n' for i in range(5))
    assert run.stdout == want, run.text()


def test_every_way_to_write_stdout_keeps_order(kernel: Kernel):
    run = kernel.ok("""lg := log.New(os.Stdout, "log: ", 0)
tw := tabwriter.NewWriter(os.Stdout, 0, 8, 1, ' ', 0)
bw := bufio.NewWriter(os.Stdout)
for i := range 3 {
    fmt.Print("print ", i, "\\n")
    fmt.Fprintln(os.Stdout, "fprintln", i)
    lg.Println("line", i)
    fmt.Fprintf(tw, "tab\\t%d\\n", i)
    tw.Flush()
    fmt.Fprintf(bw, "bufio %d\\n", i)
    bw.Flush()
    io.WriteString(os.Stdout, "io\\n")
    fmt.Printf("printf %d\\n", i)
}""")
    want = "".join(f"print {i}\nfprintln {i}\nlog: line {i}\ntab {i}\nbufio {i}\nio\nprintf {i}\n"
                   for i in range(3))
    assert run.stdout == want, run.text()


def test_stdout_and_stderr_interleave_in_program_order(kernel: Kernel):
    # As ipykernel's bar: a write to one stream first sends what the other
    # holds. fmt, fmt.Fprint* to os.Stderr, log and println are all seen by
    # the engine.
    run = kernel.ok("""log.SetFlags(0)
for i := range 3 {
    fmt.Println("out", i)
    fmt.Fprintln(os.Stderr, "err", i)
    fmt.Printf("out2 %d\\n", i)
    log.Println("log", i)
    fmt.Fprintf(os.Stdout, "out3 %d\\n", i)
    println("builtin", i)
}
log.SetFlags(log.LstdFlags)""")
    want: list[tuple[str, str]] = []
    for i in range(3):
        want += [("stdout", f"out {i}\n"), ("stderr", f"err {i}\n"), ("stdout", f"out2 {i}\n"),
                 ("stderr", f"log {i}\n"), ("stdout", f"out3 {i}\n"), ("stderr", f"builtin {i}\n")]
    assert stream_runs(run) == want, run.text()


def test_each_goroutine_writes_in_its_own_order(kernel: Kernel):
    run = kernel.ok("""var wg sync.WaitGroup
for g := range 4 {
    wg.Add(1)
    go func() {
        defer wg.Done()
        for j := range 200 {
            if j%2 == 0 {
                fmt.Printf("g%d %d\\n", g, j)
            } else {
                fmt.Fprintf(os.Stdout, "g%d %d\\n", g, j)
            }
        }
    }()
}
wg.Wait()""", timeout=TIMEOUT)
    seen: dict[str, list[int]] = {}
    for line in run.stdout.splitlines():
        g, j = line.split()
        seen.setdefault(g, []).append(int(j))
    assert sorted(seen) == ["g0", "g1", "g2", "g3"], run.stdout[:500]
    for g, js in seen.items():
        assert js == list(range(200)), f"{g} out of order: {js[:20]}..."


def test_output_before_a_display_comes_before_it(kernel: Kernel):
    run = kernel.ok("""os.Stdout.WriteString("before\\n")
display.Show(display.HTML("<b>shown</b>"))
os.Stdout.WriteString("after\\n")""")
    kinds = []
    for m in run.iopub:
        if m["msg_type"] == "stream":
            kinds.append(m["content"]["text"].strip())
        elif m["msg_type"] == "display_data":
            kinds.append("display")
    assert [k for k in kinds if k] == ["before", "display", "after"], run.text()


# -- 2. No silent wrong values ------------------------------------------------

def test_new_of_an_expression(kernel: Kernel):
    # Go 1.26: new(expr) points to a copy of expr's value.
    assert kernel.value("p := new(42)\n*p") == "42"
    run = kernel.ok("""type Pt struct{ X, Y int }
v := Pt{1, 2}
q := new(v)
q.X = 9
func half(n int) float64 { return float64(n) / 2 }
fmt.Println(v, *q, *new(half(3)), *new("s"), *new([]int{1, 2}), *new(1.5))
fmt.Println(*new(int), *new(Pt), new(time.Time).IsZero())""")
    assert run.stdout == "{1 2} {9 2} 1.5 s [1 2] 1.5\n0 {0 0} true\n", run.text()
    assert kernel.value("func gen[T any]() *T { return new(T) }\n*gen[string]() == \"\"") == "true"


def test_log_shortfile_names_the_cell_line(kernel: Kernel):
    run = kernel.ok("""log.SetFlags(log.Lshortfile)
func warn(msg string) {
    log.Println("warn:", msg)
}
log.Println("top")
warn("inner")
lg := log.New(os.Stdout, "", log.Llongfile)
lg.Printf("custom %d", 1)
log.SetFlags(log.LstdFlags)""")
    n = run.reply["content"]["execution_count"]
    assert run.stderr == f"In[{n}]:5: top\nIn[{n}]:3: warn: inner\n", run.text()
    assert run.stdout == f"In[{n}]:8: custom 1\n", run.text()
    assert "value.go" not in run.text()


def test_os_exit_runs_no_deferred_calls(kernel: Kernel):
    run = kernel.execute("""defer fmt.Println("cell defer ran")
func leave() {
    defer fmt.Println("function defer ran")
    defer func() { recover() }()
    os.Exit(3)
}
leave()
fmt.Println("after os.Exit")""", timeout=TIMEOUT)
    assert run.status == "error"
    assert run.content["ename"] == "Exit" and "os.Exit(3)" in run.content["evalue"], run.text()
    assert "ran" not in run.stdout and "after" not in run.stdout, run.text()
    # In a goroutine too; the cell ends at once.
    run = kernel.execute("""var wg sync.WaitGroup
wg.Add(1)
go func() {
    defer wg.Done()
    defer fmt.Println("goroutine defer ran")
    log.Fatal("fatal in goroutine")
}()
wg.Wait()""", timeout=TIMEOUT)
    assert run.status == "error" and run.content["ename"] == "Exit", run.text()
    assert "goroutine defer ran" not in run.stdout, run.text()
    assert kernel.value("40 + 2") == "42"


def test_os_exit_between_groups_or_in_a_deferred_call_ends_the_cell(fresh_kernel: Kernel):
    # log.Fatal lands while the kernel compiles the declarations between
    # the statements that started the goroutine and wg.Wait(): the cell
    # used to take it for one between cells and then wait for ever.
    slow = "".join(f"func slow{i}(a, b int) int {{ if a > b {{ return a - b }}; return b + a*{i} }}\n"
                   for i in range(3000))
    run = fresh_kernel.execute("""var wg sync.WaitGroup
wg.Add(1)
go func() {
    defer wg.Done()
    time.Sleep(30 * time.Millisecond)
    log.Fatal("fatal between groups")
}()
""" + slow + """wg.Wait()
fmt.Println("after wg.Wait")""", timeout=30)
    assert run.status == "error" and run.content["ename"] == "Exit", run.text()
    assert "fatal between groups" in run.content["evalue"], run.text()
    assert "after" not in run.stdout, run.text()
    # os.Exit in the cell's own deferred call: the earlier one never runs.
    run = fresh_kernel.execute("""defer fmt.Println("never")
defer os.Exit(5)
fmt.Println("body")""", timeout=30)
    assert run.status == "error" and "os.Exit(5)" in run.content["evalue"], run.text()
    assert run.stdout == "body\n", run.text()
    assert fresh_kernel.value("40 + 2") == "42"


CRASH = """func() {
    m := map[int]int{}
    var wg sync.WaitGroup
    for g := 0; g < 4; g++ {
        wg.Add(1)
        go func() {
            defer wg.Done()
            for i := 0; i < 1000000; i++ {
                m[i] = i
            }
        }()
    }
    wg.Wait()
}()"""


def test_variables_lost_in_a_restart_are_never_zero(fresh_kernel: Kernel):
    k = fresh_kernel
    defined = k.ok("keepVar := 11").reply["content"]["execution_count"]
    k.ok("func keepFn2() int { return keepVar * 2 }\ntype Box struct{}\nfunc (Box) Get() int { return keepFn2() }")
    assert k.value("keepFn2()") == "22"
    run = k.execute(CRASH, timeout=TIMEOUT)
    assert run.status == "error" and "concurrent map" in run.text(), run.text()
    # The functions came back; the variable's value did not, and reading it
    # (directly, through a function or a method) says which cell to run.
    for code, through in [("keepVar", None), ("keepFn2()", "keepFn2"), ("Box{}.Get()", "Get"),
                          ("fmt.Println(keepVar + 1)", None)]:
        run = k.execute(code, timeout=TIMEOUT)
        assert run.status == "error", f"{code} gave {run.text()!r} after the restart"
        assert run.content["ename"] == "LostVariable", run.text()
        msg = run.content["evalue"]
        assert "keepVar" in msg and f"defined in In[{defined}]" in msg, msg
        assert f"lost when the engine restarted: run In[{defined}] again" in msg, msg
        if through:
            assert msg.startswith(through + " uses keepVar"), msg
    # Running the cell again brings everything back.
    k.ok("keepVar := 11")
    assert k.value("keepFn2()") == "22"
    assert k.value("Box{}.Get()") == "22"


# -- 5. Cells that end strangely still end ----------------------------------

def test_runtime_goexit_ends_the_cell(kernel: Kernel):
    t0 = time.monotonic()
    run = kernel.execute("""defer fmt.Println("deferred before Goexit")
runtime.Goexit()
fmt.Println("not reached")""", timeout=TIMEOUT)
    assert time.monotonic() - t0 < 10
    assert run.status == "error", run.text()
    assert "runtime.Goexit" in run.content["evalue"], run.text()
    assert run.stdout == "deferred before Goexit\n", run.text()
    assert kernel.value("1 + 1") == "2"


def test_closing_stderr_or_stdout_spares_later_cells(fresh_kernel: Kernel):
    k = fresh_kernel
    k.ok("os.Stderr.Close()\nos.Stdout.Close()")
    run = k.execute("""fmt.Fprintln(os.Stderr, "to stderr")
os.Stdout.WriteString("to stdout\\n")
log.Print("logged")
panic("boom after close")""", timeout=TIMEOUT)
    assert "to stderr" in run.stderr and "logged" in run.stderr, run.text()
    assert run.stdout == "to stdout\n", run.text()
    assert run.status == "error" and "boom after close" in run.content["evalue"]
    assert any("boom after close" in e["evalue"] for e in run.errors), run.text()
