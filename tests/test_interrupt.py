"""Interrupting a running cell: interrupt_request on control (the kernelspec's
interrupt_mode is "message") and SIGINT both stop it, and the kernel answers
the next cell normally."""

from __future__ import annotations

import signal
import time

import pytest

from helpers import Kernel

# Cells a user really gets stuck in. Each would run (or block) forever.
STUCK = {
    "busy loop": "for {\n}",
    "busy loop with work": "n := 0\nfor {\n\tn++\n}",
    "blocked receive": "<-make(chan int)",
    "blocked send": "ch := make(chan int)\nch <- 1",
    "empty select": "select {}",
    "time.Sleep": "time.Sleep(time.Hour)",
    "WaitGroup.Wait": "var wg sync.WaitGroup\nwg.Add(1)\nwg.Wait()",
    "mutex deadlock": "var mu sync.Mutex\nmu.Lock()\nmu.Lock()",
}

# Generous bound for the reply after an interrupt: the speed target (a few ms)
# is measured by bench/, this only proves the interrupt works at all.
REPLY_AFTER_INTERRUPT = 5.0


def start_stuck(k: Kernel, code: str) -> str:
    msg_id = k.kc.execute(code, allow_stdin=False)
    # Wait until the cell is really running (busy + execute_input seen).
    deadline = time.monotonic() + 10
    seen = set()
    while time.monotonic() < deadline and "execute_input" not in seen:
        msg = k.kc.get_iopub_msg(timeout=10)
        if msg["parent_header"].get("msg_id") == msg_id:
            seen.add(msg["msg_type"])
    assert "execute_input" in seen, "the cell never started"
    time.sleep(0.3)
    return msg_id


def assert_stopped(k: Kernel, msg_id: str, t0: float):
    run = k.finish(msg_id, timeout=REPLY_AFTER_INTERRUPT)
    took = time.monotonic() - t0
    print(f"reply {took * 1000:.1f} ms after the interrupt")
    assert run.status == "error", f"an interrupted cell reported {run.status}"
    assert run.errors, "an interrupted cell shows no error"
    return run


@pytest.mark.parametrize("what", list(STUCK))
def test_interrupt_request_stops_cell(kernel: Kernel, what):
    kernel.ok("interruptState := 7")
    msg_id = start_stuck(kernel, STUCK[what])
    t0 = time.monotonic()
    reply = kernel.send_interrupt()
    assert reply["msg_type"] == "interrupt_reply"
    assert reply["content"]["status"] == "ok"
    run = assert_stopped(kernel, msg_id, t0)
    text = run.text().lower()
    assert "interrupt" in text, f"the error does not say it was interrupted:\n{run.text()}"
    # The kernel is usable and kept its state.
    assert kernel.value("interruptState + 1") == "8"


def test_interrupt_via_kernel_manager(kernel: Kernel):
    # km.interrupt_kernel() is what JupyterLab's stop button ends up calling.
    msg_id = start_stuck(kernel, "for {\n}")
    t0 = time.monotonic()
    kernel.km.interrupt_kernel()
    assert_stopped(kernel, msg_id, t0)
    assert kernel.value("1 + 2") == "3"


@pytest.mark.parametrize("what", ["busy loop", "blocked receive", "time.Sleep"])
def test_sigint_stops_cell(kernel: Kernel, what):
    msg_id = start_stuck(kernel, STUCK[what])
    t0 = time.monotonic()
    kernel.km.signal_kernel(signal.SIGINT)
    assert_stopped(kernel, msg_id, t0)
    assert kernel.km.is_alive()
    assert kernel.value("2 + 3") == "5"


def test_interrupt_when_idle_is_harmless(kernel: Kernel):
    reply = kernel.send_interrupt()
    assert reply["content"]["status"] == "ok"
    kernel.km.signal_kernel(signal.SIGINT)
    time.sleep(0.2)
    assert kernel.km.is_alive()
    assert kernel.value("10 - 3") == "7"


def test_interrupt_then_queued_cell_runs(kernel: Kernel):
    stuck = start_stuck(kernel, "for {\n}")
    queued = kernel.kc.execute("100 + 1")
    kernel.send_interrupt()
    assert kernel.finish(stuck, timeout=REPLY_AFTER_INTERRUPT).status == "error"
    run = kernel.finish(queued, timeout=REPLY_AFTER_INTERRUPT)
    # ipykernel aborts the queue after an error with stop_on_error; either way
    # the kernel must answer it promptly and then run new cells.
    assert run.status in ("ok", "aborted")
    assert kernel.value("100 + 2") == "102"


def test_interrupt_goroutine_printing_loop(kernel: Kernel):
    code = ("done := make(chan bool)\n"
            "go func() {\n\tfor i := 0; ; i++ {\n\t\tfmt.Println(\"tick\", i)\n"
            "\t\ttime.Sleep(50 * time.Millisecond)\n\t}\n}()\n<-done")
    msg_id = start_stuck(kernel, code)
    t0 = time.monotonic()
    kernel.send_interrupt()
    assert_stopped(kernel, msg_id, t0)
    assert kernel.value("3 + 4") == "7"
