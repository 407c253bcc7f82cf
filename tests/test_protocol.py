"""Every message type of Jupyter protocol 5.4 that a kernel answers, checked
through jupyter_client against the installed golit kernel."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import time
import uuid

import pytest
import zmq
from jupyter_client.session import Session

from helpers import REPLY_TIMEOUT, Kernel, go_version, wait_for_exit


def assert_bracketed(run, msg_type_reply: str):
    """busy first, idle last, both with the request as parent."""
    assert run.reply["msg_type"] == msg_type_reply
    states = [m["content"]["execution_state"] for m in run.of_type("status")]
    assert run.iopub[0]["msg_type"] == "status", [m["msg_type"] for m in run.iopub]
    assert states[0] == "busy" and states[-1] == "idle", states
    assert states.count("busy") == 1 and states.count("idle") == 1, states
    # The reply's parent is the request (routing and parent_header echoed).
    assert run.reply["parent_header"]["msg_id"] == run.msg_id


# ---- kernel_info ---------------------------------------------------------------


def test_kernel_info_fields(kernel: Kernel):
    run = kernel.request("kernel_info_request", {})
    assert_bracketed(run, "kernel_info_reply")
    c = run.content
    assert c["status"] == "ok"
    assert c["implementation"] == "golit"
    assert c["implementation_version"], c
    assert c["protocol_version"] == "5.4"
    li = c["language_info"]
    assert li["name"] == "go"
    assert li["version"] == go_version() or li["version"] == "go" + go_version(), li
    assert li["mimetype"] == "text/x-go"
    assert li["file_extension"] == ".go"
    assert li["pygments_lexer"] == "go"
    assert li["codemirror_mode"] == "go"
    assert isinstance(c["banner"], str) and c["banner"].strip()
    assert isinstance(c["help_links"], list) and c["help_links"]
    for link in c["help_links"]:
        assert set(link) >= {"text", "url"}, link
        assert link["url"].startswith("http"), link


def test_kernel_info_on_control(kernel: Kernel):
    # Frontends (jupyter_server's nudge) also send kernel_info on control.
    run = kernel.request("kernel_info_request", {}, channel="control")
    assert_bracketed(run, "kernel_info_reply")
    assert run.content["implementation"] == "golit"


def test_kernelspec_as_installed():
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("golit")
    assert spec.display_name == "Go (golit)"
    assert spec.language == "go"
    assert spec.interrupt_mode == "message"
    assert "{connection_file}" in spec.argv
    assert os.path.isabs(spec.argv[0]) and os.access(spec.argv[0], os.X_OK), spec.argv
    files = set(os.listdir(spec.resource_dir))
    assert {"kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"} <= files, files


# ---- busy/idle around every request ----------------------------------------------


@pytest.mark.parametrize(
    "msg_type,content,reply_type",
    [
        ("kernel_info_request", {}, "kernel_info_reply"),
        ("complete_request", {"code": "strings.Sp", "cursor_pos": 10}, "complete_reply"),
        ("inspect_request", {"code": "strings.Split", "cursor_pos": 13, "detail_level": 0},
         "inspect_reply"),
        ("history_request", {"hist_access_type": "tail", "n": 5, "output": False, "raw": True},
         "history_reply"),
        ("is_complete_request", {"code": "x := 1"}, "is_complete_reply"),
        ("comm_info_request", {}, "comm_info_reply"),
        ("execute_request", {"code": "1 + 1", "silent": False, "store_history": True,
                             "user_expressions": {}, "allow_stdin": False,
                             "stop_on_error": True}, "execute_reply"),
    ],
)
def test_busy_idle_brackets_every_shell_request(kernel: Kernel, msg_type, content, reply_type):
    run = kernel.request(msg_type, content)
    assert_bracketed(run, reply_type)
    if reply_type == "is_complete_reply":  # its status says whether the code is complete
        assert run.content["status"] == "complete", run.content
    else:
        assert run.content["status"] == "ok", run.content


# ---- execute ---------------------------------------------------------------------


def test_execute_input_and_execution_count(fresh_kernel: Kernel):
    k = fresh_kernel
    r1 = k.ok("a := 1")
    inputs = r1.of_type("execute_input")
    assert len(inputs) == 1
    assert inputs[0]["content"]["code"] == "a := 1"
    n = r1.content["execution_count"]
    assert n == 1, "a fresh kernel's first stored cell is In[1]"
    assert inputs[0]["content"]["execution_count"] == n

    r2 = k.ok("a = 2")
    assert r2.content["execution_count"] == n + 1

    # store_history=False does not advance the counter ...
    r3 = k.ok("a = 3", store_history=False)
    assert r3.content["execution_count"] in (n + 1, n + 2)  # reply always carries a count
    r4 = k.ok("a = 4")
    assert r4.content["execution_count"] == n + 2, "store_history=False advanced the counter"

    # ... and an execute_result carries the count of its cell.
    r5 = k.execute("a * 10")
    assert r5.results and r5.results[0]["execution_count"] == r5.content["execution_count"] == n + 3
    assert r5.results[0]["data"]["text/plain"] == "40"


def test_silent_publishes_nothing_but_runs(kernel: Kernel):
    before = kernel.ok("silentProbe := 0").content["execution_count"]
    run = kernel.execute('silentProbe = 5\nfmt.Println("printed quietly")\nsilentProbe',
                         silent=True)
    assert run.status == "ok"
    types = [m["msg_type"] for m in run.iopub]
    # No execute_input and no execute_result. Streams may still be published:
    # ipykernel does so for silent requests too, and frontends rely on it.
    assert types[0] == "status" and types[-1] == "status", types
    assert set(types) <= {"status", "stream"}, f"silent execute published {types}"
    after = kernel.execute("silentProbe")
    assert after.results[0]["data"]["text/plain"] == "5"
    assert after.content["execution_count"] == before + 1, "silent execute advanced the counter"


def test_user_expressions(kernel: Kernel):
    kernel.ok("ueX := 21")
    run = kernel.ok("ueX = ueX * 2", user_expressions={"double": "ueX", "sum": "ueX + 1",
                                                       "bad": "noSuchName + 1"})
    ue = run.content["user_expressions"]
    assert set(ue) == {"double", "sum", "bad"}
    assert ue["double"]["status"] == "ok"
    assert ue["double"]["data"]["text/plain"] == "42"
    assert ue["sum"]["data"]["text/plain"] == "43"
    assert ue["bad"]["status"] == "error"
    assert ue["bad"]["ename"] and "noSuchName" in ue["bad"]["evalue"] + "".join(
        ue["bad"]["traceback"])
    assert isinstance(ue["bad"]["traceback"], list)


def test_stop_on_error_aborts_queued_requests(fresh_kernel: Kernel, tmp_path):
    k = fresh_kernel
    marker = tmp_path / "ran"
    first = k.kc.execute('time.Sleep(300 * time.Millisecond)\npanic("first cell fails")')
    second = k.kc.execute(f'os.WriteFile({json.dumps(str(marker))}, []byte("x"), 0o644)')
    third = k.kc.execute("3 + 3")
    r1, r2, r3 = k.finish(first), k.finish(second), k.finish(third)
    assert r1.status == "error"
    assert r2.status == "aborted", r2.content
    assert r3.status == "aborted", r3.content
    assert not r2.results and not r3.results
    assert not marker.exists(), "an aborted request ran"
    # The queue is only aborted up to the failure: the next request runs.
    assert k.value("4 + 4") == "8"


def test_stop_on_error_false_keeps_queue(fresh_kernel: Kernel):
    k = fresh_kernel
    first = k.kc.execute('time.Sleep(200 * time.Millisecond)\npanic("fails")', stop_on_error=False)
    second = k.kc.execute("5 + 5")
    r1, r2 = k.finish(first), k.finish(second)
    assert r1.status == "error"
    assert r2.status == "ok" and r2.results[0]["data"]["text/plain"] == "10"


def test_execute_result(kernel: Kernel):
    run = kernel.ok("6 * 7")
    assert len(run.results) == 1
    res = run.results[0]
    assert res["data"]["text/plain"] == "42"
    assert "metadata" in res


def test_error_compile(kernel: Kernel):
    run = kernel.execute("undefinedThing + 1")
    assert run.status == "error"
    c = run.content
    assert c["ename"] and "undefinedThing" in c["evalue"]
    assert isinstance(c["traceback"], list) and all(isinstance(t, str) for t in c["traceback"])
    errs = run.errors
    assert len(errs) == 1
    assert errs[0]["ename"] == c["ename"] and errs[0]["evalue"] == c["evalue"]
    assert isinstance(errs[0]["traceback"], list) and errs[0]["traceback"]


def test_error_panic(kernel: Kernel):
    run = kernel.execute('panic("something broke")')
    assert run.status == "error"
    assert "something broke" in run.content["evalue"]
    assert run.errors and "something broke" in run.errors[0]["evalue"]
    # The kernel keeps serving.
    assert kernel.value("1 + 1") == "2"


# ---- is_complete, complete, inspect ------------------------------------------------


@pytest.mark.parametrize(
    "code,status",
    [
        ('fmt.Println("hi")', "complete"),
        ("x := 1", "complete"),
        ("func f() int {\n\treturn 1\n}", "complete"),
        ("func f() int {", "incomplete"),
        ("for i := 0; i < 3; i++ {\n\tfmt.Println(i)", "incomplete"),
        ("s := `raw\nstring", "incomplete"),
        ("x := )", "invalid"),
        ('fmt.Println("a" "b")', "invalid"),
    ],
)
def test_is_complete(kernel: Kernel, code, status):
    run = kernel.request("is_complete_request", {"code": code})
    assert run.content["status"] == status, (code, run.content)
    if status == "incomplete":
        assert "indent" in run.content and isinstance(run.content["indent"], str)


def test_is_complete_suggests_indent(kernel: Kernel):
    run = kernel.request("is_complete_request", {"code": "func f() {"})
    assert run.content["status"] == "incomplete"
    assert run.content["indent"].strip() == "" and run.content["indent"] != "", run.content


def _completed(code: str, content: dict) -> list[str]:
    cs, ce = content["cursor_start"], content["cursor_end"]
    return [code[:cs] + m + code[ce:] for m in content["matches"]]


def test_complete_package_member(kernel: Kernel):
    code = "strings.Sp"
    run = kernel.request("complete_request", {"code": code, "cursor_pos": len(code)})
    c = run.content
    assert c["status"] == "ok"
    assert c["cursor_end"] == len(code)
    done = _completed(code, c)
    assert "strings.Split" in done and "strings.SplitN" in done, done
    assert all(d.startswith("strings.Sp") for d in done), done


def test_complete_notebook_identifiers(kernel: Kernel):
    kernel.ok("type completePoint struct{ Xcoord, Ycoord int }\n"
              "completeVariable := completePoint{1, 2}")
    code = "completeVar"
    c = kernel.request("complete_request", {"code": code, "cursor_pos": len(code)}).content
    assert "completeVariable" in _completed(code, c), c
    code = "completeVariable."
    c = kernel.request("complete_request", {"code": code, "cursor_pos": len(code)}).content
    done = _completed(code, c)
    assert "completeVariable.Xcoord" in done and "completeVariable.Ycoord" in done, c


def test_complete_in_the_middle_uses_cursor_pos(kernel: Kernel):
    code = 'x := strings.ToUp("a")'
    pos = code.index("(")
    c = kernel.request("complete_request", {"code": code, "cursor_pos": pos}).content
    assert any(d.startswith('x := strings.ToUpper("a")') for d in _completed(code, c)), c


def test_inspect_stdlib(kernel: Kernel):
    code = "strings.Split"
    c = kernel.request("inspect_request",
                       {"code": code, "cursor_pos": len(code), "detail_level": 0}).content
    assert c["status"] == "ok" and c["found"] is True
    text = c["data"]["text/plain"]
    assert "Split" in text and "sep" in text, text


def test_inspect_notebook_identifier(kernel: Kernel):
    kernel.ok("func inspectMe(a, b int) int { return a + b }")
    code = "inspectMe"
    c = kernel.request("inspect_request",
                       {"code": code, "cursor_pos": len(code), "detail_level": 0}).content
    assert c["found"] is True
    assert "inspectMe" in c["data"]["text/plain"] and "int" in c["data"]["text/plain"], c


def test_inspect_unknown(kernel: Kernel):
    code = "zzNothingHere"
    c = kernel.request("inspect_request",
                       {"code": code, "cursor_pos": len(code), "detail_level": 0}).content
    assert c["status"] == "ok"
    assert c["found"] is False


# ---- history ------------------------------------------------------------------------


def test_history_tail_range_search(fresh_kernel: Kernel):
    k = fresh_kernel
    cells = ["h1 := 10", "h2 := 20", "h1 + h2", 'fmt.Println("histmarker")', "h2 - h1"]
    for code in cells:
        k.ok(code)
    k.ok("h1 * 100", store_history=False)  # not in history

    tail = k.request("history_request", {"hist_access_type": "tail", "n": 3,
                                         "output": False, "raw": True}).content
    assert tail["status"] == "ok"
    hist = tail["history"]
    assert [h[2] for h in hist] == cells[-3:], hist
    session = hist[0][0]
    lines = [h[1] for h in hist]
    assert lines == [3, 4, 5], lines  # line numbers are execution counts

    with_out = k.request("history_request", {"hist_access_type": "tail", "n": 5,
                                             "output": True, "raw": True}).content["history"]
    assert all(len(h[2]) == 2 for h in with_out), with_out
    assert with_out[2][2][0] == "h1 + h2"
    assert "30" in str(with_out[2][2][1]), with_out[2]

    rng = k.request("history_request", {"hist_access_type": "range", "session": session,
                                        "start": 2, "stop": 4, "output": False,
                                        "raw": True}).content["history"]
    assert [h[2] for h in rng] == ["h2 := 20", "h1 + h2"], rng

    found = k.request("history_request", {"hist_access_type": "search", "pattern": "*histmarker*",
                                          "output": False, "raw": True}).content["history"]
    assert [h[2] for h in found] == ['fmt.Println("histmarker")'], found

    # unique drops repeated sources, n keeps the last ones.
    k.ok('fmt.Println("histmarker")')
    found = k.request("history_request", {"hist_access_type": "search", "pattern": "*histmarker*",
                                          "unique": False, "output": False,
                                          "raw": True}).content["history"]
    assert len(found) == 2, found
    found = k.request("history_request", {"hist_access_type": "search", "pattern": "*histmarker*",
                                          "unique": True, "output": False,
                                          "raw": True}).content["history"]
    assert len(found) == 1, found
    found = k.request("history_request", {"hist_access_type": "search", "pattern": "h*",
                                          "n": 2, "output": False,
                                          "raw": True}).content["history"]
    assert [h[2] for h in found] == ["h1 + h2", "h2 - h1"], found


# ---- comms --------------------------------------------------------------------------


def test_comm_info_empty(kernel: Kernel):
    run = kernel.request("comm_info_request", {})
    assert run.content["status"] == "ok"
    assert run.content["comms"] == {}
    run = kernel.request("comm_info_request", {"target_name": "jupyter.widget"})
    assert run.content["comms"] == {}


def test_comm_open_unknown_target_is_closed(kernel: Kernel):
    comm_id = uuid.uuid4().hex
    msg = kernel.kc.session.msg("comm_open", {"comm_id": comm_id, "target_name": "no.such.target",
                                              "data": {}})
    kernel.kc.shell_channel.send(msg)
    msgs, _ = kernel.collect_iopub(msg["header"]["msg_id"], timeout=10)
    types = [m["msg_type"] for m in msgs]
    assert types[0] == "status" and types[-1] == "status", types
    closes = [m for m in msgs if m["msg_type"] == "comm_close"]
    assert closes and closes[0]["content"]["comm_id"] == comm_id, types
    # comm_msg / comm_close for an unknown comm are ignored without harm.
    for t, content in (("comm_msg", {"comm_id": comm_id, "data": {"x": 1}}),
                       ("comm_close", {"comm_id": comm_id, "data": {}})):
        m = kernel.kc.session.msg(t, content)
        kernel.kc.shell_channel.send(m)
        kernel.collect_iopub(m["header"]["msg_id"], timeout=10)
    assert kernel.value("2 + 2") == "4"


# ---- heartbeat, transports ----------------------------------------------------------


def test_heartbeat_echoes(kernel: Kernel):
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.REQ)
    sock.linger = 0
    try:
        sock.connect(kernel.km._make_url("hb"))
        for payload in (b"ping", b"\x00\x01binary\xff", uuid.uuid4().bytes):
            sock.send(payload)
            assert sock.poll(5000), "no heartbeat echo within 5 s"
            assert sock.recv() == payload
    finally:
        sock.close()
    assert kernel.kc.hb_channel.is_beating()


def test_ipc_transport(tmp_path):
    k = Kernel(transport="ipc", connection_file=str(tmp_path / "kernel-ipc.json"))
    try:
        info = json.loads((tmp_path / "kernel-ipc.json").read_text())
        assert info["transport"] == "ipc"
        assert k.value("3 * 3") == "9"
    finally:
        k.close()


def test_listens_on_the_ip_the_connection_file_names(tmp_path):
    # jupyter_client's KernelManager only launches on 127.0.0.1 here, so launch
    # the kernelspec's command by hand with a connection file naming 127.0.0.2.
    from jupyter_client.blocking import BlockingKernelClient
    from jupyter_client.connect import write_connection_file
    from jupyter_client.kernelspec import KernelSpecManager

    cf = str(tmp_path / "kernel-ip.json")
    write_connection_file(cf, ip="127.0.0.2", key=uuid.uuid4().hex.encode())
    argv = [a.replace("{connection_file}", cf)
            for a in KernelSpecManager().get_kernel_spec("golit").argv]
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL)
    kc = BlockingKernelClient(connection_file=cf)
    kc.load_connection_file()
    assert kc.ip == "127.0.0.2"
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=REPLY_TIMEOUT)
        msg_id = kc.execute("2 * 2")
        reply = kc.get_shell_msg(timeout=REPLY_TIMEOUT)
        assert reply["parent_header"]["msg_id"] == msg_id
        assert reply["content"]["status"] == "ok"
        kc.shutdown()
        proc.wait(timeout=10)
        assert proc.returncode == 0
    finally:
        kc.stop_channels()
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_unsigned_when_key_is_empty():
    # An empty key means messages are not signed (and not checked).
    k = Kernel(session=Session(key=b""))
    try:
        assert k.km.session.key == b""
        assert k.value("5 * 5") == "25"
    finally:
        k.close()


# ---- forged and malformed messages ----------------------------------------------------


def _raw_dealer(kernel: Kernel, channel: str) -> zmq.Socket:
    ctx = zmq.Context.instance()
    sock = ctx.socket(zmq.DEALER)
    sock.linger = 0
    sock.identity = uuid.uuid4().hex.encode()
    sock.connect(kernel.km._make_url(channel))
    return sock


def test_forged_signature_is_ignored(fresh_kernel: Kernel, tmp_path):
    k = fresh_kernel
    marker = tmp_path / "forged"
    code = f'os.WriteFile({json.dumps(str(marker))}, []byte("pwned"), 0o644)'
    forger = Session(key=b"not-the-kernel-key", signature_scheme=k.km.session.signature_scheme,
                     username="mallory")
    shell = _raw_dealer(k, "shell")
    control = _raw_dealer(k, "control")
    try:
        forged = forger.msg("execute_request", {"code": code, "silent": False,
                                                "store_history": True, "user_expressions": {},
                                                "allow_stdin": False, "stop_on_error": True})
        forger.send(shell, forged)
        # Right key, tampered content: the signature no longer matches.
        good = k.km.session
        msg = good.msg("execute_request", {"code": "1", "silent": False, "store_history": True,
                                           "user_expressions": {}, "allow_stdin": False,
                                           "stop_on_error": True})
        frames = good.serialize(msg)
        idx = frames.index(b"<IDS|MSG>")
        frames[idx + 5] = json.dumps({"code": code, "silent": False, "store_history": True,
                                      "user_expressions": {}, "allow_stdin": False,
                                      "stop_on_error": True}).encode()
        shell.send_multipart(frames)
        # Missing signature.
        frames = good.serialize(msg)
        frames[idx + 1] = b""
        shell.send_multipart(frames)
        # A forged shutdown on control must not stop the kernel.
        forger.send(control, forger.msg("shutdown_request", {"restart": False}))
        # Garbage frames.
        shell.send_multipart([b"<IDS|MSG>", b"junk"])
        shell.send_multipart([b"no delimiter at all"])

        for sock in (shell, control):
            assert not sock.poll(2000), "the kernel answered a forged or malformed message"
    finally:
        shell.close()
        control.close()
    assert not marker.exists(), "a forged execute_request was executed"
    # No iopub traffic for the forged requests (busy/idle would show it ran).
    forged_ids = {forged["header"]["msg_id"], msg["header"]["msg_id"]}
    assert not [m for m in k.drain(0.2) if m["parent_header"].get("msg_id") in forged_ids]
    assert k.km.is_alive()
    assert k.value("7 * 6") == "42"
    assert not marker.exists()
    log = k.stderr_text().lower()
    assert "signature" in log or "hmac" in log, f"no log line about the bad signature:\n{log}"


# ---- shutdown and restart -------------------------------------------------------------


@pytest.mark.parametrize("restart", [False, True])
def test_shutdown_on_control(fresh_kernel: Kernel, restart):
    k = fresh_kernel
    msg = k.kc.session.msg("shutdown_request", {"restart": restart})
    k.kc.control_channel.send(msg)
    reply = k.wait_reply("control", msg["header"]["msg_id"], timeout=10)
    assert reply["msg_type"] == "shutdown_reply"
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["restart"] is restart
    assert wait_for_exit(k.km, 5), "kernel still running 5 s after shutdown_reply"
    code = k.km.provisioner.process.poll() if k.km.provisioner else None
    assert code == 0, f"kernel exit status {code}"


def test_shutdown_on_shell(fresh_kernel: Kernel):
    k = fresh_kernel
    msg = k.kc.session.msg("shutdown_request", {"restart": False})
    k.kc.shell_channel.send(msg)
    reply = k.wait_reply("shell", msg["header"]["msg_id"], timeout=10)
    assert reply["msg_type"] == "shutdown_reply" and reply["content"]["restart"] is False
    assert wait_for_exit(k.km, 5), "kernel still running 5 s after shutdown_reply"


def test_restart_gives_fresh_state(fresh_kernel: Kernel):
    k = fresh_kernel
    k.ok("survivor := 42")
    assert k.value("survivor") == "42"
    old_pid = k.pid()
    k.km.restart_kernel()
    k.kc.wait_for_ready(timeout=REPLY_TIMEOUT)
    k.drain()
    assert k.pid() != old_pid
    run = k.execute("survivor")
    assert run.status == "error", "state survived a restart"
    first = k.ok("1 + 1")
    assert first.content["execution_count"] == 2  # the failed cell was In[1]


def test_shutdown_kernel_via_manager_is_clean(tmp_path):
    k = Kernel(stderr_path=str(tmp_path / "err.log"))
    k.ok('fmt.Println("bye")')
    start = time.monotonic()
    k.km.shutdown_kernel()  # polite: shutdown_request, waits, then kills
    took = time.monotonic() - start
    k.kc.stop_channels()
    assert not k.km.is_alive()
    assert took < 3, f"shutdown took {took:.1f} s (the manager had to kill the kernel?)"


def test_survives_client_noise(kernel: Kernel):
    # Unknown message types get no crash; the kernel keeps working.
    msg = kernel.kc.session.msg("no_such_request", {})
    kernel.kc.shell_channel.send(msg)
    time.sleep(0.3)
    assert kernel.km.is_alive()
    assert kernel.value("9 + 9") == "18"
    try:
        while True:
            kernel.kc.get_shell_msg(timeout=0.1)
    except queue.Empty:
        pass
