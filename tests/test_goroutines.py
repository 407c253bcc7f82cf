"""Goroutines as cheap as the interpreter allows: the classic "start 100,000
goroutines" demo runs in an engine whose memory limit is 1 GiB, the default
limit on a machine with 2 GiB of RAM (half the RAM, interp/supervise). A
sleeping interpreted goroutine costs about 10 KB (8 KB of it stack, the
floor with yaegi v0.16.1: interp/run/golaunch.go); it cost 12 KB, and 100,000 of
them were killed at 1 GiB. bench/goroutines measures the cost beside
compiled Go (BENCHMARKS.md)."""

from __future__ import annotations

import time

from helpers import Kernel

N = 100_000


def test_hundred_thousand_sleeping_goroutines(tmp_path):
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"), env={"GOLIT_MEMORY_LIMIT": "1GiB"})
    try:
        run = k.execute(
            "var wg sync.WaitGroup\n"
            f"for i := 0; i < {N}; i++ {{\n"
            "\twg.Add(1)\n"
            "\tgo func() {\n\t\twg.Done()\n\t\ttime.Sleep(time.Hour)\n\t}()\n"
            "}\n"
            "wg.Wait()\n"
            f"runtime.NumGoroutine() >= {N}", timeout=300)
        assert run.status == "ok", run.text()
        assert run.results[-1]["data"]["text/plain"] == "true"
        # The engine that holds them still answers, and they still sleep.
        assert k.value("40 + 2") == "42"
        assert k.value(f"runtime.NumGoroutine() >= {N}") == "true"
    finally:
        k.close()


def test_sleeping_goroutines_started_with_arguments(tmp_path):
    # As in the worker-pool examples: the arguments are evaluated when the
    # go statement runs, each goroutine sees its own.
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"), env={"GOLIT_MEMORY_LIMIT": "1GiB"})
    try:
        run = k.execute(
            "var started [20000]bool\n"
            "func sleeper(id int, d time.Duration, done *sync.WaitGroup) { started[id] = true; done.Done(); time.Sleep(d) }\n"
            "var wg2 sync.WaitGroup\n"
            "for i := 0; i < 20000; i++ { wg2.Add(1); go sleeper(i, time.Hour, &wg2) }\n"
            "wg2.Wait()\n"
            "n := 0\nfor _, s := range started { if s { n++ } }\n"
            "n", timeout=300)
        assert run.status == "ok", run.text()
        assert run.results[-1]["data"]["text/plain"] == "20000"
        assert k.value("runtime.NumGoroutine() >= 20000") == "true"
    finally:
        k.close()


def test_go_function_literal_with_composite_literal_arguments(tmp_path):
    # go func(xs ...int) { ... }([]int{1, 2}...) hung: the function literal
    # and its composite-literal argument were evaluated in one define, after
    # which yaegi v0.16.1 held a nil function, so the goroutine panicked
    # while the cell waited for it (interp/rewrite/callframe.go).
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    try:
        assert k.value(
            "res := make(chan int)\n"
            "go func(xs ...int) { res <- len(xs) }([]int{1, 2, 3}...)\n"
            "<-res") == "3"
        assert k.value(
            "go func(m map[string]int, tag string) { res <- m[tag] }(map[string]int{\"a\": 7}, \"a\")\n"
            "<-res") == "7"
        assert k.value(
            "s := []int{4, 5}\n"
            "go func(xs ...int) { res <- xs[0] + xs[1] }(s...)\n"
            "<-res") == "9"
    finally:
        k.close()


def test_goroutine_panic_ends_the_waiting_cell(tmp_path):
    # In Go a panic in a goroutine crashes the program at once. A cell that
    # waits for the panicking goroutine (wg.Wait, a receive that never comes)
    # used to wait until interrupted; it now fails within moments with the
    # panic, placed at In[n], and the kernel and its state stay
    # (interp/run/exit.go).
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    try:
        k.ok("kept := 7")
        cells = [
            ("var wg sync.WaitGroup\nwg.Add(1)\n"
             "go func() {\n\tdefer wg.Done()\n\tvar m map[string]int\n\tm[\"x\"] = 1\n}()\n"
             "wg.Wait()", "assignment to entry in nil map", ":3:"),
            ("var wg2 sync.WaitGroup\nwg2.Add(1)\n"
             "go func() {\n\tpanic(\"no Done for you\")\n}()\n"
             "wg2.Wait()", "no Done for you", ":4:"),
            ("never := make(chan int)\n"
             "go func() {\n\tvar xs []int\n\tnever <- xs[3]\n}()\n"
             "<-never", "index out of range", ":2:"),
        ]
        for code, msg, pos in cells:
            start = time.monotonic()
            run = k.execute(code, timeout=2)
            elapsed = time.monotonic() - start
            assert run.status == "error", run.text()
            assert elapsed < 2, f"{elapsed:.2f}s"
            n = run.content["execution_count"]
            text = run.text()
            assert msg in text, text
            assert f"In[{n}]{pos}" in text, text
            assert k.value("kept + 1") == "8"
    finally:
        k.close()
