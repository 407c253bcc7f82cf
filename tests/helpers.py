"""Small helpers over jupyter_client for golit's integration tests.

A Kernel starts the installed "golit" kernelspec with jupyter_client's
KernelManager (the same path JupyterLab, nbclient and jupyter console take)
and runs requests while recording every message with its arrival time.
"""

from __future__ import annotations

import os
import queue
import time
from dataclasses import dataclass, field
from typing import Any

from jupyter_client.manager import KernelManager

KERNEL_NAME = "golit"
REPLY_TIMEOUT = 30.0  # seconds to wait for a reply that should come at once


@dataclass
class Run:
    """The reply to one request and the iopub messages it caused, in order."""

    msg_id: str
    reply: dict[str, Any]
    iopub: list[dict[str, Any]] = field(default_factory=list)
    arrivals: list[float] = field(default_factory=list)  # monotonic time of each iopub message

    @property
    def content(self) -> dict[str, Any]:
        return self.reply["content"]

    @property
    def status(self) -> str:
        return self.reply["content"]["status"]

    def of_type(self, *types: str) -> list[dict[str, Any]]:
        return [m for m in self.iopub if m["msg_type"] in types]

    def stream(self, name: str = "stdout") -> str:
        return "".join(
            m["content"]["text"] for m in self.of_type("stream") if m["content"]["name"] == name
        )

    @property
    def stdout(self) -> str:
        return self.stream("stdout")

    @property
    def stderr(self) -> str:
        return self.stream("stderr")

    @property
    def results(self) -> list[dict[str, Any]]:
        return [m["content"] for m in self.of_type("execute_result")]

    @property
    def errors(self) -> list[dict[str, Any]]:
        return [m["content"] for m in self.of_type("error")]

    def text(self) -> str:
        """Everything a user would read in the cell's output area, plus the
        error in the reply: streams, error names, values and tracebacks,
        and the text/plain of results and displays."""
        parts: list[str] = []
        for m in self.iopub:
            c = m["content"]
            if m["msg_type"] == "stream":
                parts.append(c["text"])
            elif m["msg_type"] == "error":
                parts += [c.get("ename", ""), c.get("evalue", ""), *c.get("traceback", [])]
            elif m["msg_type"] in ("execute_result", "display_data", "update_display_data"):
                parts.append(str(c.get("data", {}).get("text/plain", "")))
        c = self.reply.get("content", {})
        if c.get("status") == "error":
            parts += [c.get("ename", ""), c.get("evalue", ""), *c.get("traceback", [])]
        return "\n".join(parts)


class Kernel:
    """A running golit kernel and a blocking client connected to it."""

    def __init__(self, stderr_path: str | None = None, env: dict[str, str] | None = None,
                 **km_kwargs: Any) -> None:
        self.km = KernelManager(kernel_name=KERNEL_NAME, **km_kwargs)
        self.stderr_path = stderr_path
        self._stderr = open(stderr_path, "wb") if stderr_path else None  # noqa: SIM115
        start_kwargs: dict[str, Any] = {}
        if self._stderr is not None:
            start_kwargs["stderr"] = self._stderr
        if env is not None:  # added to the kernel's environment
            start_kwargs["env"] = {**os.environ, **env}
        self.km.start_kernel(**start_kwargs)
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            self.kc.wait_for_ready(timeout=REPLY_TIMEOUT)
        except Exception:
            self.close()
            raise
        # Messages of other requests seen while waiting for one request.
        self.stray: list[dict[str, Any]] = []
        self.drain()

    # -- plumbing ---------------------------------------------------------------
    def close(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            try:
                if self.km.has_kernel:
                    self.km.shutdown_kernel(now=True)
            finally:
                if self._stderr is not None:
                    self._stderr.close()

    def check_alive(self, doing: str) -> None:
        """Fails at once, with the kernel's last stderr lines, if the kernel
        process has died."""
        if self.km.is_alive():
            return
        proc = getattr(self.km.provisioner, "process", None)
        code = proc.poll() if proc is not None else None
        tail = "\n".join(self.stderr_text().splitlines()[:15])
        raise AssertionError(
            f"the kernel process died (exit status {code}) while {doing}; "
            f"stderr begins:\n{tail}")

    def stderr_text(self) -> str:
        if not self.stderr_path:
            return ""
        self._stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def drain(self, wait: float = 0.05) -> list[dict[str, Any]]:
        """Reads and returns whatever iopub holds now."""
        got = []
        while True:
            try:
                got.append(self.kc.get_iopub_msg(timeout=wait))
            except queue.Empty:
                return got

    def pid(self) -> int | None:
        prov = self.km.provisioner
        proc = getattr(prov, "process", None)
        return proc.pid if proc is not None else None

    def wait_reply(self, channel: str, msg_id: str, timeout: float = REPLY_TIMEOUT) -> dict:
        """Waits for the reply to msg_id on shell, control or stdin."""
        get = {
            "shell": self.kc.get_shell_msg,
            "control": self.kc.get_control_msg,
        }[channel]
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {channel} reply to {msg_id} within {timeout} s")
            try:
                msg = get(timeout=min(left, 1.0))
            except queue.Empty:
                self.check_alive(f"waiting for the {channel} reply to {msg_id}")
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg
            self.stray.append(msg)

    def collect_iopub(self, msg_id: str, timeout: float = REPLY_TIMEOUT, run: Run | None = None):
        """Reads iopub until the idle status whose parent is msg_id.

        Returns the messages (and arrival times) whose parent is msg_id, busy
        and idle included. Others are kept in self.stray."""
        msgs, times = [], []
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"no idle status for {msg_id} within {timeout} s; got "
                    f"{[m['msg_type'] for m in msgs]}"
                )
            try:
                msg = self.kc.get_iopub_msg(timeout=min(left, 1.0))
            except queue.Empty:
                self.check_alive(f"waiting for the idle status of {msg_id}")
                continue
            t = time.monotonic()
            if msg["parent_header"].get("msg_id") != msg_id:
                self.stray.append(msg)
                continue
            msgs.append(msg)
            times.append(t)
            if run is not None:
                run.iopub.append(msg)
                run.arrivals.append(t)
            if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                return msgs, times

    # -- requests ---------------------------------------------------------------
    def request(self, msg_type: str, content: dict, channel: str = "shell",
                timeout: float = REPLY_TIMEOUT) -> Run:
        """Sends any request and returns its reply with the iopub messages it caused
        (busy and idle included)."""
        msg = self.kc.session.msg(msg_type, content)
        getattr(self.kc, f"{channel}_channel").send(msg)
        msg_id = msg["header"]["msg_id"]
        run = Run(msg_id, {})
        # iopub is read as it arrives (arrival times are real), then the reply.
        self.collect_iopub(msg_id, timeout, run)
        run.reply = self.wait_reply(channel, msg_id, timeout)
        return run

    def execute(self, code: str, timeout: float = REPLY_TIMEOUT, **kwargs: Any) -> Run:
        """Runs one cell; returns its reply and all its iopub messages."""
        kwargs.setdefault("allow_stdin", False)
        msg_id = self.kc.execute(code, **kwargs)
        return self.finish(msg_id, timeout)

    def finish(self, msg_id: str, timeout: float = REPLY_TIMEOUT) -> Run:
        """Completes a Run for an execute_request already sent."""
        run = Run(msg_id, {})
        # iopub is read as it arrives (arrival times are real), then the reply.
        self.collect_iopub(msg_id, timeout, run)
        run.reply = self.wait_reply("shell", msg_id, timeout)
        return run

    def ok(self, code: str, timeout: float = REPLY_TIMEOUT, **kwargs: Any) -> Run:
        """Runs a cell that must succeed."""
        run = self.execute(code, timeout=timeout, **kwargs)
        assert run.status == "ok", f"cell failed:\n{code}\n---\n{run.text()}"
        return run

    def value(self, code: str) -> str:
        """The text/plain of the cell's execute_result."""
        run = self.ok(code)
        assert run.results, f"no execute_result for {code!r}; output:\n{run.text()}"
        return run.results[-1]["data"]["text/plain"]

    def send_interrupt(self) -> dict:
        """Sends interrupt_request on control and returns interrupt_reply."""
        msg = self.kc.session.msg("interrupt_request", {})
        self.kc.control_channel.send(msg)
        return self.wait_reply("control", msg["header"]["msg_id"], timeout=10)


def wait_for_exit(km: KernelManager, timeout: float) -> bool:
    """Waits until the kernel process has exited by itself."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not km.is_alive():
            return True
        time.sleep(0.05)
    return not km.is_alive()


def go_version() -> str:
    """The Go version that builds golit, e.g. "1.26.8"."""
    import subprocess

    out = subprocess.run(["go", "env", "GOVERSION"], capture_output=True, text=True, check=True)
    return out.stdout.strip().removeprefix("go")


def repo_root() -> str:
    return os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
