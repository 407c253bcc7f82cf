"""Nothing outlives the kernel: processes a cell starts end with the kernel
(SIGTERM, SIGKILL, shutdown) and with the engine child (restart), and an
engine child that was stopped when the kernel was killed does not stay
behind, nor do the processes its cells started.

Linux only: the tests read /proc."""

from __future__ import annotations

import os
import signal
import sys
import time
import uuid

import pytest

from helpers import Kernel, wait_for_exit

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def proc_stat(pid: int) -> list[str] | None:
    """Fields of /proc/pid/stat after the command name (state first), or
    None if the process is gone."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            s = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return s[s.rindex(")") + 2:].split()


def alive(pid: int) -> bool:
    st = proc_stat(pid)
    return st is not None and st[0] not in ("Z", "X")


def children(pid: int) -> list[int]:
    out = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st is not None and int(st[1]) == pid:
                out.append(int(name))
    return out


def pids_with_arg(arg: str) -> list[int]:
    """Processes whose command line holds arg."""
    out = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as f:
                argv = f.read().split(b"\0")
        except OSError:
            continue
        if arg.encode() in argv and alive(int(name)):
            out.append(int(name))
    return out


def wait_until(cond, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def unique_seconds() -> str:
    """A sleep duration no other process on the machine uses, to find ours."""
    return f"{60 + int(uuid.uuid4().int % 1000) / 1000:.3f}"


def start_sleepers(k: Kernel) -> tuple[list[int], str]:
    """Starts `sleep` twice from cells: with os/exec, and with `!` in a
    cell left running. Returns their pids and the running cell's msg_id."""
    secs = unique_seconds()
    run = k.ok(f'cmd := exec.Command("sleep", "{secs}")\n'
               "if err := cmd.Start(); err != nil { panic(err) }\n"
               "cmd.Process.Pid")
    exec_pid = int(run.results[-1]["data"]["text/plain"])
    bang = f"{float(secs) + 1:.3f}"
    msg_id = k.kc.execute(f"!sleep {bang}", allow_stdin=False)
    assert wait_until(lambda: pids_with_arg(bang), 10), "the `!sleep` cell started no sleep"
    pids = [exec_pid, *pids_with_arg(bang)]
    assert all(alive(p) for p in pids)
    return pids, msg_id


def kill_leftovers(pids: list[int]) -> None:
    for p in pids:
        if alive(p):
            os.kill(p, signal.SIGKILL)


def test_cell_processes_end_when_the_kernel_gets_sigterm(tmp_path):
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    pids: list[int] = []
    try:
        pids, _ = start_sleepers(k)
        os.kill(k.pid(), signal.SIGTERM)
        assert wait_for_exit(k.km, 10), "the kernel did not exit on SIGTERM"
        assert wait_until(lambda: not any(alive(p) for p in pids), 5), (
            f"processes started by cells outlived the kernel: "
            f"{[p for p in pids if alive(p)]}\nkernel stderr:\n{k.stderr_text()}")
    finally:
        kill_leftovers(pids)
        k.close()


def test_cell_processes_end_when_the_kernel_gets_sigkill(tmp_path):
    # The kernel cannot clean up: its engine child gets a parent-death
    # signal and ends what the cells started.
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    pids: list[int] = []
    try:
        pids, _ = start_sleepers(k)
        engines = children(k.pid())
        os.kill(k.pid(), signal.SIGKILL)
        assert wait_for_exit(k.km, 10), "the kernel did not exit on SIGKILL"
        assert wait_until(lambda: not any(alive(p) for p in pids + engines), 5), (
            f"processes started by cells outlived the killed kernel: "
            f"{[(p, proc_stat(p)) for p in pids + engines if alive(p)]}")
    finally:
        kill_leftovers(pids)
        k.close()


def test_cell_processes_end_on_shutdown_request(tmp_path):
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    pids: list[int] = []
    try:
        pids, msg_id = start_sleepers(k)
        k.send_interrupt()
        k.finish(msg_id)
        k.km.shutdown_kernel(now=False)
        assert wait_until(lambda: not any(alive(p) for p in pids), 5), (
            f"processes started by cells outlived the kernel: {[p for p in pids if alive(p)]}")
    finally:
        kill_leftovers(pids)
        k.close()


def test_cell_processes_end_when_the_engine_restarts(fresh_kernel: Kernel):
    k = fresh_kernel
    secs = unique_seconds()
    run = k.ok(f'cmd := exec.Command("sleep", "{secs}")\n'
               "if err := cmd.Start(); err != nil { panic(err) }\n"
               "cmd.Process.Pid")
    pid = int(run.results[-1]["data"]["text/plain"])
    assert alive(pid)
    # A fatal error restarts the engine child; the kernel lives on.
    run = k.execute("m := map[int]int{}\n"
                    "for i := range 4 { go func() { for j := 0; ; j++ { m[j] = i } }() }\n"
                    "select {}", timeout=60)
    assert "concurrent map" in run.text(), run.text()
    assert k.value("1 + 1") == "2"
    ok = wait_until(lambda: not alive(pid), 5)
    kill_leftovers([pid])
    assert ok, "a process of the crashed engine lives on"


def test_stopped_engine_child_dies_with_a_killed_kernel(tmp_path):
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    kernel_pid = k.pid()
    pids, _ = start_sleepers(k)
    engines = children(kernel_pid)
    assert engines, "the kernel has no engine child"
    for e in engines:
        os.kill(e, signal.SIGSTOP)
    try:
        assert wait_until(lambda: all(proc_stat(e) and proc_stat(e)[0] == "T" for e in engines), 5)
        os.kill(kernel_pid, signal.SIGKILL)
        assert wait_for_exit(k.km, 10)
        assert wait_until(lambda: not any(alive(e) for e in engines), 5), (
            f"engine children outlived the killed kernel: "
            f"{[(e, proc_stat(e)) for e in engines if alive(e)]}")
        # What the stopped engine's cells started ends with it.
        assert wait_until(lambda: not any(alive(p) for p in pids), 5), (
            f"processes started by cells outlived the killed kernel: "
            f"{[(p, proc_stat(p)) for p in pids if alive(p)]}")
    finally:
        for e in engines:
            if alive(e):
                os.kill(e, signal.SIGKILL)
        kill_leftovers(pids)
        k.close()
