"""Goroutines as cheap as the interpreter allows: the classic "start 100,000
goroutines" demo runs in an engine whose memory limit is 1.5 GiB (a sleeping
interpreted goroutine costs about 11.5 KB; it cost 22 KB, 2.2 GB for the
demo). bench/goroutines measures the cost beside compiled Go (BENCHMARKS.md)."""

from __future__ import annotations

from helpers import Kernel

N = 100_000


def test_hundred_thousand_sleeping_goroutines(tmp_path):
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"), env={"GOLIT_MEMORY_LIMIT": "1536MiB"})
    try:
        run = k.execute(
            "var wg sync.WaitGroup\n"
            f"for i := 0; i < {N}; i++ {{\n"
            "\twg.Add(1)\n"
            "\tgo func() {\n\t\twg.Done()\n\t\ttime.Sleep(time.Hour)\n\t}()\n"
            "}\n"
            "wg.Wait()\n"
            "runtime.NumGoroutine() >= " + str(N), timeout=300)
        assert run.status == "ok", run.text()
        assert run.results[-1]["data"]["text/plain"] == "true"
        # Started with arguments, as in the worker-pool examples.
        run = k.execute(
            "func sleeper(d time.Duration, done *sync.WaitGroup) { done.Done(); time.Sleep(d) }\n"
            "var wg2 sync.WaitGroup\n"
            "for i := 0; i < 20000; i++ { wg2.Add(1); go sleeper(time.Hour, &wg2) }\n"
            "wg2.Wait()\nruntime.NumGoroutine() >= " + str(N + 20000), timeout=300)
        assert run.status == "ok", run.text()
        assert run.results[-1]["data"]["text/plain"] == "true"
        assert k.value("40 + 2") == "42"
    finally:
        k.close()
