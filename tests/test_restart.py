"""Restarts as JupyterLab and jupyter_client do them: shutdown_request with
restart=true, then a new kernel on the same ports while the client keeps its
sockets. The new kernel must answer at once and lose nothing it publishes
before the client's iopub subscription has come back.

bench/harness.py --only restart measures how long it takes (BENCHMARKS.md)."""

from __future__ import annotations

import time
import uuid

from helpers import Kernel


def send_unique(k: Kernel, msg_type: str, content: dict) -> str:
    """Sends a shell request with a msg_id of its own. jupyter_client's
    restart sends its shutdown_request from another Session object with the
    same session id, whose message counter can give the same msg_id as the
    client's next request; the old kernel's statuses for it would then look
    like the new request's."""
    msg = k.kc.session.msg(msg_type, content)
    msg["header"]["msg_id"] = msg["msg_id"] = uuid.uuid4().hex
    k.kc.shell_channel.send(msg)
    return msg["msg_id"]


def statuses(msgs: list[dict]) -> list[str]:
    return [m["content"]["execution_state"] for m in msgs if m["msg_type"] == "status"]


def test_kernel_info_after_restart_is_answered_at_once_and_its_statuses_arrive(fresh_kernel: Kernel):
    k = fresh_kernel
    assert k.value("40 + 2") == "42"
    k.km.restart_kernel(now=False)
    # As jupyter_client's wait_for_ready does: kernel_info_request, then wait
    # for its reply on shell without touching iopub. libzmq sends the
    # reconnected SUB's subscription only when iopub is next used, so a
    # kernel that waited for a subscriber before replying would wait out its
    # whole timeout here.
    t0 = time.monotonic()
    msg_id = send_unique(k, "kernel_info_request", {})
    reply = k.wait_reply("shell", msg_id, timeout=10)
    took = time.monotonic() - t0
    assert reply["msg_type"] == "kernel_info_reply"
    # The busy and idle statuses of that request were published before any
    # subscriber existed: they must still arrive, in order.
    msgs, _ = k.collect_iopub(msg_id, timeout=5)
    assert statuses(msgs) == ["busy", "idle"], [m["msg_type"] for m in msgs]
    assert took < 1.9, f"kernel_info_reply took {took:.2f} s after the restart"
    assert "no iopub subscriber" not in k.stderr_text()
    assert k.value("1 + 1") == "2"


def test_first_cell_after_restart_keeps_all_its_messages(fresh_kernel: Kernel):
    k = fresh_kernel
    k.ok('fmt.Println("before")')
    for i in range(3):
        k.km.restart_kernel(now=False)
        # No wait_for_ready: the cell goes out as soon as the new kernel runs,
        # as when a user restarts and runs a cell at once.
        msg_id = send_unique(k, "execute_request", {
            "code": f'fmt.Println("after restart {i}")\n{i} + 1', "silent": False,
            "store_history": True, "user_expressions": {}, "allow_stdin": False,
            "stop_on_error": True})
        run = k.finish(msg_id, timeout=30)
        assert run.status == "ok", run.text()
        assert statuses(run.iopub) == ["busy", "idle"], [m["msg_type"] for m in run.iopub]
        assert run.stdout == f"after restart {i}\n"
        assert run.results and run.results[0]["data"]["text/plain"] == str(i + 1)
        assert run.iopub[0]["msg_type"] == "status", "the busy status must come first"
