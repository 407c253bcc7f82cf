"""golit/sched through a real kernel: a cell records an execution trace of
goroutines it starts and gets the scheduler chart as its value, with the
lanes named by the cell (the interpreter runs in the supervised child)."""

from __future__ import annotations

import re
import time

from helpers import Kernel

SETUP = """
import (
	"fmt"
	"runtime"
	"sync"
	"time"

	"golit/sched"
)

func spin(n int) int {
	s := 0
	for j := 0; j < n; j++ {
		s += j % 7
	}
	return s
}
"""


def test_cell_records_scheduler_chart_with_named_lanes(kernel: Kernel):
    kernel.ok(SETUP)
    run = kernel.ok("""
old := runtime.GOMAXPROCS(1)
c, err := sched.Record("isPrime at P=1", func() {
	var wg sync.WaitGroup
	for i := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched.Name(fmt.Sprintf("isPrime #%d", i))
			spin(3_000_000)
		}()
	}
	wg.Wait()
})
runtime.GOMAXPROCS(old)
if err != nil {
	panic(err)
}
c.PerGoroutine = true
c
""", timeout=120)
    assert run.results, run.text()
    data = run.results[0]["data"]
    svg = data.get("image/svg+xml", "")
    assert svg.startswith("<svg"), data.keys()
    # One P lane (GOMAXPROCS(1)), lanes for the cell and the three named
    # goroutines, and the legend.
    assert ">P0<" in svg and ">P1<" not in svg, svg[:2000]
    for name in ("cell", "isPrime #0", "isPrime #1", "isPrime #2"):
        assert f">{name}<" in svg, f"no lane {name!r}"
    assert ">runnable<" in svg and ">running<" in svg
    text = data.get("text/plain", "")
    assert "GOMAXPROCS=1" in text, text
    # Each named goroutine ran, and spent time runnable (waiting for the
    # one P) while the others ran.
    for i in range(3):
        m = re.search(rf"isPrime #{i}\s+(\S+ \S+)\s+(\S+ \S+)", text)
        assert m, text
        assert not m.group(1).startswith("0 "), text
        assert not m.group(2).startswith("0 "), text


def test_cell_uses_the_numbers_and_errors_are_clear(kernel: Kernel):
    kernel.ok(SETUP)
    run = kernel.ok("""
c, _ := sched.Record("sleepers", func() {
	var wg sync.WaitGroup
	for i := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sched.Name(fmt.Sprintf("sleeper %d", i))
			time.Sleep(100 * time.Millisecond)
		}()
	}
	wg.Wait()
})
for _, g := range c.Goroutines() {
	if g.Name != "cell" {
		fmt.Printf("%s slept %v\\n", g.Name, g.Blocked[sched.Sleeping] >= 80*time.Millisecond)
	}
}
""", timeout=60)
    out = run.stdout
    assert "sleeper 0 slept true" in out and "sleeper 1 slept true" in out, run.text()
    # Record inside Record: the runtime allows one trace; the inner call
    # returns an error that says so and the outer chart still comes.
    run = kernel.ok("""
var inner error
outer, err := sched.Record("outer", func() {
	_, inner = sched.Record("inner", func() {})
})
fmt.Println(err == nil, outer != nil, inner)
""", timeout=60)
    assert "true true sched: cannot start the execution tracer" in run.stdout, run.text()


def test_interrupt_during_record_stops_tracing(kernel: Kernel):
    """An interrupt while the recorded work runs ends the cell and the trace:
    the next Record starts a trace of its own."""
    kernel.ok(SETUP)
    msg_id = kernel.kc.execute("""
sched.Record("endless", func() {
	fmt.Println("recording")
	for {
		time.Sleep(10 * time.Millisecond)
	}
})
""", allow_stdin=False)
    deadline = time.monotonic() + 60
    seen = ""
    while time.monotonic() < deadline and "recording" not in seen:
        for m in kernel.drain(0.2):
            if m["header"]["msg_type"] == "stream":
                seen += m["content"]["text"]
    assert "recording" in seen, "the recorded work never started"
    kernel.send_interrupt()
    run = kernel.finish(msg_id, timeout=60)
    assert run.status == "error", run.text()
    run = kernel.ok("""
c, err := sched.Record("after the interrupt", func() { time.Sleep(20 * time.Millisecond) })
fmt.Println(err, c.Duration() >= 20*time.Millisecond)
""", timeout=60)
    assert "<nil> true" in run.stdout, run.text()
