"""Live output and display: what a cell prints reaches the frontend while it
runs, complete and in order; values and rich outputs are displayed as
Jupyter users expect."""

from __future__ import annotations

import json
import time

from helpers import Kernel

# ---- streaming -------------------------------------------------------------------


def test_output_arrives_while_the_cell_runs(kernel: Kernel):
    code = ('for i := 0; i < 5; i++ {\n\tfmt.Println("tick", i)\n'
            '\ttime.Sleep(300 * time.Millisecond)\n}')
    run = kernel.ok(code)
    # Arrival time of each line at the client.
    when = {}
    for msg, t in zip(run.iopub, run.arrivals):
        if msg["msg_type"] == "stream":
            for line in msg["content"]["text"].splitlines():
                when.setdefault(line, t)
    lines = [f"tick {i}" for i in range(5)]
    assert run.stdout == "".join(line + "\n" for line in lines)
    assert len(run.of_type("stream")) >= 4, "output was not sent while the cell ran"
    t0 = when["tick 0"]
    for i, line in enumerate(lines):
        offset = when[line] - t0
        # Printed at ~0.3*i s: it must not arrive in one batch at the end,
        # nor be held back for long.
        assert 0.3 * i - 0.15 <= offset <= 0.3 * i + 0.6, f"{line} arrived at +{offset:.2f} s"
    idle_at = run.arrivals[-1]
    assert idle_at - when["tick 4"] >= 0.15, "the last line came only with the idle status"


def test_flood_of_lines_is_complete_ordered_and_coalesced(kernel: Kernel):
    code = "for i := 0; i < 100000; i++ {\n\tfmt.Println(i)\n}"
    run = kernel.ok(code, timeout=120)
    want = "".join(f"{i}\n" for i in range(100000))
    got = run.stdout
    assert len(got) == len(want), f"{len(got)} characters arrived, {len(want)} printed"
    assert got == want, "lines lost, duplicated or reordered"
    n = len(run.of_type("stream"))
    assert n <= 50, f"100,000 lines took {n} stream messages"


def test_stderr_and_log_and_os_stdout(kernel: Kernel):
    code = ('fmt.Fprintln(os.Stderr, "to stderr")\n'
            'log.SetFlags(0)\nlog.Println("from log")\n'
            'os.Stdout.Write([]byte("raw write\\n"))\n'
            'fmt.Fprintf(os.Stdout, "%d-%s\\n", 1, "x")')
    run = kernel.ok(code)
    assert "to stderr\n" in run.stderr
    assert "from log\n" in run.stderr
    assert run.stdout == "raw write\n1-x\n"


def test_builtin_println_writes_stderr(kernel: Kernel):
    # As in compiled Go, the builtins print and println write to standard error.
    run = kernel.ok('println("from println", 1)')
    assert "from println 1\n" in run.stderr, run.iopub
    assert "from println" not in run.stdout


def test_output_without_trailing_newline(kernel: Kernel):
    run = kernel.ok('fmt.Print("no newline")')
    assert run.stdout == "no newline"


def test_goroutine_output_after_the_cell_shows_in_next_cell(kernel: Kernel):
    first = kernel.ok('go func() {\n\ttime.Sleep(400 * time.Millisecond)\n'
                      '\tfmt.Println("late line")\n}()\nfmt.Println("cell done")')
    assert "late line" not in first.stdout
    time.sleep(1.0)
    second = kernel.ok('fmt.Println("next cell")')
    late_elsewhere = [m for m in kernel.stray if m.get("msg_type") == "stream"
                      and "late line" in m["content"]["text"]]
    assert "late line" in second.stdout, (
        f"goroutine output was lost or went elsewhere: {late_elsewhere}")
    assert second.stdout.count("late line") == 1


def test_goroutine_output_reaches_the_running_cell(kernel: Kernel):
    kernel.ok('go func() {\n\tfor i := 0; i < 10; i++ {\n\t\tfmt.Println("bg", i)\n'
              '\t\ttime.Sleep(100 * time.Millisecond)\n\t}\n}()')
    run = kernel.ok("time.Sleep(700 * time.Millisecond)")
    assert "bg " in run.stdout, "output of an earlier cell's goroutine did not appear"
    time.sleep(0.5)
    rest = kernel.ok("1")
    seen = (run.stdout + rest.stdout).split()
    # Every line is shown exactly once, in order, across the cells.
    nums = [int(seen[i + 1]) for i, w in enumerate(seen) if w == "bg"]
    assert nums == sorted(nums) and len(nums) == len(set(nums))


def test_goroutines_of_a_cell_all_report(kernel: Kernel):
    code = ("var wg sync.WaitGroup\nfor i := 0; i < 3; i++ {\n\twg.Add(1)\n"
            "\tgo func() {\n\t\tdefer wg.Done()\n\t\tfmt.Println(\"worker\", i)\n\t}()\n}\n"
            "wg.Wait()")
    run = kernel.ok(code)
    assert sorted(run.stdout.split("\n")[:-1]) == ["worker 0", "worker 1", "worker 2"], run.stdout


# ---- display rules -----------------------------------------------------------------


def test_final_expression_is_execute_result(kernel: Kernel):
    assert kernel.value("2 + 3") == "5"
    assert kernel.value('"gopher"') in ('"gopher"', "gopher")


def test_println_as_last_line_shows_no_result(kernel: Kernel):
    run = kernel.ok('fmt.Println("printed")')
    assert run.stdout == "printed\n"
    assert not run.results, f"fmt.Println produced an execute_result: {run.results}"
    run = kernel.ok('fmt.Printf("%d\\n", 7)')
    assert not run.results


def test_statement_shows_no_result(kernel: Kernel):
    run = kernel.ok("dispX := 5")
    assert not run.results
    run = kernel.ok("dispX++")
    assert not run.results


def test_struct_map_slice_error_nil_rendering(kernel: Kernel):
    kernel.ok("type dispPoint struct{ X, Y int }")
    struct = kernel.value("dispPoint{X: 1, Y: 2}")
    assert "1" in struct and "2" in struct and "X" in struct, struct
    sl = kernel.value("[]int{1, 2, 3}")
    assert "1" in sl and "3" in sl, sl
    m = kernel.value('map[string]int{"a": 1}')
    assert "a" in m and "1" in m, m
    e = kernel.value('errors.New("bad thing")')
    assert "bad thing" in e, e
    d = kernel.value("1500 * time.Millisecond")
    assert d == "1.5s", d


def test_display_package_show_and_update(kernel: Kernel):
    code = ('import "github.com/golit/golit/display"\n'
            'id := display.ShowBundle(display.Bundle{"text/html": "<b>first</b>", '
            '"text/plain": "first"})\n'
            'display.UpdateBundle(id, display.Bundle{"text/html": "<b>second</b>", '
            '"text/plain": "second"})\n'
            'fmt.Println("id=" + id)')
    run = kernel.ok(code)
    shown = run.of_type("display_data")
    updates = run.of_type("update_display_data")
    assert len(shown) == 1 and len(updates) == 1, [m["msg_type"] for m in run.iopub]
    did = run.stdout.strip().removeprefix("id=")
    assert shown[0]["content"]["data"]["text/html"] == "<b>first</b>"
    assert shown[0]["content"]["transient"]["display_id"] == did
    assert updates[0]["content"]["data"]["text/html"] == "<b>second</b>"
    assert updates[0]["content"]["transient"]["display_id"] == did
    # Order on iopub is the order of calls.
    types = [m["msg_type"] for m in run.iopub]
    assert types.index("display_data") < types.index("update_display_data")


def test_display_update_from_a_later_cell(kernel: Kernel):
    kernel.ok('import "golit/display"\n'
              'progressID := display.ShowBundle(display.Bundle{"text/plain": "0%"})')
    run = kernel.ok('display.UpdateBundle(progressID, display.Bundle{"text/plain": "100%"})')
    ups = run.of_type("update_display_data")
    assert ups and ups[0]["content"]["data"]["text/plain"] == "100%"


def test_display_clear_output(kernel: Kernel):
    run = kernel.ok('import "github.com/golit/golit/display"\n'
                    'fmt.Println("old")\ndisplay.Clear(true)\nfmt.Println("new")')
    clears = run.of_type("clear_output")
    assert clears and clears[0]["content"]["wait"] is True
    types = [(m["msg_type"], m["content"].get("text")) for m in run.iopub
             if m["msg_type"] in ("stream", "clear_output")]
    assert types[0] == ("stream", "old\n") and types[1][0] == "clear_output", types


def test_renderer_value_renders_richly(kernel: Kernel):
    kernel.ok('import "github.com/golit/golit/display"\n'
              "type badge string\n"
              "func (b badge) Render() display.Bundle {\n"
              '\treturn display.Bundle{"text/html": "<span>" + string(b) + "</span>", '
              '"text/plain": string(b)}\n}')
    run = kernel.ok('badge("ok")')
    assert run.results, run.text()
    data = run.results[0]["data"]
    assert data.get("text/html") == "<span>ok</span>", data
    assert data.get("text/plain") == "ok"


def test_display_json_bundle(kernel: Kernel):
    run = kernel.ok('import "github.com/golit/golit/display"\n'
                    'display.ShowBundle(display.Bundle{"application/json": '
                    'map[string]any{"n": 1, "list": []int{1, 2}}, "text/plain": "json"})')
    shown = run.of_type("display_data")
    assert shown, run.text()
    assert shown[0]["content"]["data"]["application/json"] == {"n": 1, "list": [1, 2]}
    json.dumps(shown[0]["content"])  # the whole content is plain JSON
