"""Crashes named right in a busy engine: with many goroutines alive, a fatal
error is reported by its cause, the cell shows the frames that help (not the
runtime's dump of every goroutine, which goes to a file the message names),
and the answer comes quickly."""

from __future__ import annotations

import os
import re
import time

from helpers import Kernel

GOROUTINES = 1000
SLEEPERS = "for i := 0; i < %d; i++ { go func() { time.Sleep(time.Hour) }() }" % GOROUTINES


def dump_file(text: str) -> str | None:
    m = re.search(r"full report \(.*?\) is in (\S+?\.txt)", text)
    return m.group(1) if m else None


def test_stack_overflow_with_many_goroutines(fresh_kernel: Kernel):
    k = fresh_kernel
    k.ok(SLEEPERS)
    k.ok("func rec(n int) int { return rec(n+1) + 1 }")
    t0 = time.monotonic()
    run = k.execute("rec(0)", timeout=120)
    took = time.monotonic() - t0
    text = run.text()
    assert run.status == "error"
    assert run.content["ename"] == "EngineCrashed", run.content
    assert "stack overflow" in run.content["evalue"], run.content["evalue"]
    # The cell keeps to the crashing goroutine; the dump is in a file.
    assert len(text) < 20_000, f"{len(text)} characters in the cell"
    path = dump_file(text)
    assert path and os.path.isfile(path), f"no crash report file named in:\n{text}"
    with open(path, errors="replace") as f:
        dump = f.read()
    assert "fatal error: stack overflow" in dump and "goroutine " in dump
    # The recursion itself fills 64 MiB of stack in about half a second;
    # the answer must not wait for the runtime to print 1,000 goroutines.
    assert took < 10, f"the crash was reported after {took:.1f} s"
    assert k.value("40 + 2") == "42"


def test_concurrent_map_writes_with_many_goroutines(fresh_kernel: Kernel):
    k = fresh_kernel
    k.ok(SLEEPERS)
    run = k.execute("m := map[int]int{}\n"
                    "for i := range 4 { go func() { for j := 0; ; j++ { m[j] = i } }() }\n"
                    "select {}", timeout=120)
    assert run.status == "error"
    assert "concurrent map" in run.content["evalue"], run.content["evalue"]
    assert len(run.text()) < 20_000, f"{len(run.text())} characters in the cell"
    assert k.value("40 + 2") == "42"
