"""Goroutines as cheap as the interpreter allows: the classic "start 100,000
goroutines" demo runs in an engine whose memory limit is 1 GiB, the default
limit on a machine with 2 GiB of RAM (half the RAM, interp/supervise). A
sleeping interpreted goroutine costs about 10 KB (8 KB of it stack, the
floor with yaegi v0.16.1: interp/run/golaunch.go); it cost 12 KB, and 100,000 of
them were killed at 1 GiB. bench/goroutines measures the cost beside
compiled Go (BENCHMARKS.md)."""

from __future__ import annotations

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
