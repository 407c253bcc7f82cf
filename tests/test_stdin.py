"""Cells that read standard input ask the frontend (input_request on stdin)."""

from __future__ import annotations

import queue
import time

from helpers import Kernel


def answer_inputs(k: Kernel, msg_id: str, answers: list[str], timeout: float = 15):
    """Answers input_requests of msg_id in order; returns the prompts seen."""
    prompts = []
    for answer in answers:
        deadline = time.monotonic() + timeout
        while True:
            assert time.monotonic() < deadline, "no input_request arrived"
            try:
                req = k.kc.get_stdin_msg(timeout=1)
            except queue.Empty:
                continue
            assert req["msg_type"] == "input_request"
            assert req["parent_header"]["msg_id"] == msg_id
            prompts.append(req["content"])
            k.kc.input(answer)
            break
    return prompts


def test_scanln_gets_input_reply(kernel: Kernel):
    code = 'var name string\nfmt.Scanln(&name)\nfmt.Println("hello,", name)'
    msg_id = kernel.kc.execute(code, allow_stdin=True)
    prompts = answer_inputs(kernel, msg_id, ["gopher"])
    assert prompts[0]["password"] is False
    run = kernel.finish(msg_id)
    assert run.status == "ok", run.text()
    assert "hello, gopher" in run.stdout
    # The value stays in the notebook.
    assert kernel.value("name") in ('"gopher"', "gopher")


def test_bufio_reader_reads_lines(kernel: Kernel):
    code = ('r := bufio.NewReader(os.Stdin)\n'
            'a, _ := r.ReadString(\'\\n\')\n'
            'b, _ := r.ReadString(\'\\n\')\n'
            'fmt.Printf("%q %q\\n", a, b)')
    msg_id = kernel.kc.execute(code, allow_stdin=True)
    answer_inputs(kernel, msg_id, ["first line", "second line"])
    run = kernel.finish(msg_id)
    assert run.status == "ok", run.text()
    assert '"first line\\n" "second line\\n"' in run.stdout


def test_scan_numbers_over_two_inputs(kernel: Kernel):
    code = 'var a, b int\nfmt.Scanln(&a)\nfmt.Scanln(&b)\na + b'
    msg_id = kernel.kc.execute(code, allow_stdin=True)
    answer_inputs(kernel, msg_id, ["40", "2"])
    run = kernel.finish(msg_id)
    assert run.status == "ok", run.text()
    assert run.results and run.results[0]["data"]["text/plain"] == "42"


def test_prompt_printed_before_input_is_shown(kernel: Kernel):
    code = 'fmt.Print("Your name: ")\nvar who string\nfmt.Scanln(&who)\nfmt.Println("hi", who)'
    msg_id = kernel.kc.execute(code, allow_stdin=True)
    req = kernel.kc.get_stdin_msg(timeout=15)
    assert req["msg_type"] == "input_request"
    # Everything published up to now, read before answering.
    early = [m for m in kernel.drain(0.3) if m["parent_header"].get("msg_id") == msg_id]
    kernel.kc.input("ada")  # answer first: a failed assert must not leave the cell waiting
    run = kernel.finish(msg_id)
    assert "hi ada" in run.stdout
    prompt_msgs = [m for m in early + run.iopub
                   if m["msg_type"] == "stream" and "Your name:" in m["content"]["text"]]
    assert prompt_msgs or "Your name:" in req["content"]["prompt"], "the printed prompt was lost"
    if prompt_msgs:
        # The text printed before the read must be sent before input_request
        # (the kernel flushes pending output first, as ipykernel does).
        assert prompt_msgs[0]["header"]["date"] <= req["header"]["date"], (
            "input_request was sent before the printed prompt was flushed")


def test_no_stdin_fails_fast_with_clear_error(kernel: Kernel):
    code = 'var s string\n_, err := fmt.Scanln(&s)\nif err != nil {\n\tfmt.Println("err:", err)\n}'
    t0 = time.monotonic()
    run = kernel.execute(code, allow_stdin=False, timeout=10)
    took = time.monotonic() - t0
    assert took < 5, f"reading stdin without allow_stdin took {took:.1f} s"
    text = run.text()
    assert "stdin" in text.lower(), f"no clear error about stdin:\n{text}"
    try:
        kernel.kc.get_stdin_msg(timeout=0.2)
        raise AssertionError("input_request sent although allow_stdin was false")
    except queue.Empty:
        pass
    assert kernel.value("1 + 1") == "2"


def test_interrupt_while_waiting_for_input(kernel: Kernel):
    msg_id = kernel.kc.execute("var never string\nfmt.Scanln(&never)", allow_stdin=True)
    req = kernel.kc.get_stdin_msg(timeout=15)
    assert req["msg_type"] == "input_request"
    kernel.send_interrupt()
    run = kernel.finish(msg_id, timeout=5)
    assert run.status == "error"
    assert kernel.value("2 + 2") == "4"
