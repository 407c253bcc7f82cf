"""The wire is the attack surface (issue 16): bytes from a peer that holds no
key, and clients that stop reading, must not crash, stall or slow the kernel
for its other clients. Raw sockets play the peers; jupyter_client is the
client that must keep being served. See SECURITY.md."""

from __future__ import annotations

import os
import socket
import struct
import threading
import time

import pytest
import zmq
from jupyter_client import BlockingKernelClient

from helpers import Kernel

CHANNELS = ("shell", "iopub", "hb", "control", "stdin")

# A ZMTP 3.0 greeting with the NULL mechanism, as any ZeroMQ peer sends.
GREETING = b"\xff" + b"\x00" * 8 + b"\x7f" + b"\x03\x00" + b"NULL".ljust(20, b"\x00") + b"\x00" + b"\x00" * 31
assert len(GREETING) == 64


def long_header(flags: int, size: int) -> bytes:
    return bytes([flags | 0x02]) + struct.pack(">Q", size)


def ready(sock_type: bytes) -> bytes:
    body = b"\x05READY" + b"\x0bSocket-Type" + struct.pack(">I", len(sock_type)) + sock_type
    return bytes([0x04, len(body)]) + body


def port(k: Kernel, channel: str) -> int:
    return k.km.get_connection_info()[f"{channel}_port"]


def connect(k: Kernel, channel: str) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port(k, channel)), timeout=5)
    return s


def closed_within(s: socket.socket, seconds: float) -> bool:
    """True if the kernel closes s within seconds (what it sends is read)."""
    s.settimeout(seconds)
    try:
        while s.recv(65536):
            pass
    except TimeoutError:
        return False
    except ConnectionResetError:
        pass
    return True


def new_client(k: Kernel) -> BlockingKernelClient:
    kc = BlockingKernelClient()
    kc.load_connection_info(k.km.get_connection_info())
    kc.start_channels()
    return kc


def kernel_info_time(k: Kernel, timeout: float = 10) -> float:
    """Seconds a brand-new jupyter_client waits for kernel_info_reply."""
    kc = new_client(k)
    try:
        t0 = time.monotonic()
        msg_id = kc.kernel_info()
        while True:
            reply = kc.get_shell_msg(timeout=max(0.01, timeout - (time.monotonic() - t0)))
            if reply["parent_header"].get("msg_id") == msg_id:
                return time.monotonic() - t0
    finally:
        kc.stop_channels()


def rss_bytes(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


def test_73_bytes_do_not_kill_the_kernel(fresh_kernel: Kernel):
    """A greeting and a command header announcing 2**62 bytes, on every
    channel. Before the guard, zmq4 panicked in makeslice and the kernel
    process died."""
    k = fresh_kernel
    k.ok("kept := 7")
    for ch in CHANNELS:
        s = connect(k, ch)
        s.sendall(GREETING + long_header(0x04, 2**62))
        assert closed_within(s, 5), f"{ch}: the connection stayed open"
        s.close()
        k.check_alive(f"sending 73 bytes to {ch}")
    assert k.value("kept") == "7"
    log = k.stderr_text()
    assert log.count("READY command of 4611686018427387904 bytes") == 5, log


@pytest.mark.parametrize("name,data,logged", [
    ("HTTP", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" + b"x" * 64, "not a ZMTP greeting"),
    ("ZMTP 2", GREETING[:10] + b"\x02" + GREETING[11:], "ZMTP version 2"),
    ("CURVE", GREETING[:12] + b"CURVE".ljust(20, b"\x00") + GREETING[32:], "security mechanism"),
    ("negative size", GREETING + long_header(0x04, 2**63 + 1), "READY command of"),
    ("bad metadata", GREETING + bytes([0x04, 9]) + b"\x05READY\x03ab", "malformed metadata"),
    ("2**62 data frame", GREETING + ready(b"DEALER") + long_header(0, 2**62), "message of more than"),
    ("truncated greeting", GREETING[:20], "no complete greeting"),
])
def test_malformed_peer_is_dropped_with_one_line(fresh_kernel: Kernel, name, data, logged):
    k = fresh_kernel
    s = connect(k, "shell")
    s.sendall(data)
    # A truncated greeting waits for the handshake timeout (5 s).
    assert closed_within(s, 10), "the connection stayed open"
    s.close()
    assert k.value("1 + 1") == "2"
    lines = [ln for ln in k.stderr_text().splitlines() if "closed connection" in ln]
    assert len(lines) == 1 and logged in lines[0], lines


def test_silent_connections_do_not_lock_out_a_new_client(fresh_kernel: Kernel):
    """Before the guard, zmq4 ran each handshake in its accepting goroutine:
    one silent peer held up every later connection for good."""
    k = fresh_kernel
    silent = [connect(k, ch) for ch in CHANNELS]
    # And one that sends its greeting a byte at a time.
    loris = connect(k, "shell")
    stop = threading.Event()

    def drip():
        for b in GREETING:
            if stop.wait(0.2):
                return
            try:
                loris.send(bytes([b]))
            except OSError:
                return

    threading.Thread(target=drip, daemon=True).start()
    try:
        waited = kernel_info_time(k, timeout=10)
        # Before the guard: no answer at all (over 8 s in the probe).
        assert waited < 5, f"a new client waited {waited:.1f} s"
        # The existing client too.
        assert k.value("2 + 3") == "5"
    finally:
        stop.set()
        for s in silent + [loris]:
            s.close()


def test_thousands_of_connections_opened_and_dropped(fresh_kernel: Kernel):
    k = fresh_kernel
    ports = [port(k, ch) for ch in CHANNELS]
    for i in range(3000):
        s = socket.create_connection(("127.0.0.1", ports[i % 5]), timeout=5)
        if i % 3 == 1:
            s.send(GREETING[: i % 64])
        s.close()
    assert kernel_info_time(k) < 5
    assert k.value("1 + 2") == "3"


@pytest.fixture
def low_hwm_kernel(tmp_path, monkeypatch):
    """A kernel that queues at most 20 messages per peer (GOLIT_SEND_HWM)."""
    monkeypatch.setenv("GOLIT_SEND_HWM", "20")
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    yield k
    k.close()


def test_stalled_subscriber_does_not_stall_iopub(low_hwm_kernel: Kernel):
    """A SUB socket that never reads. Before the guard, another client got a
    tenth of a cell's output and never saw idle."""
    k = low_hwm_kernel
    ctx = zmq.Context()
    sub = ctx.socket(zmq.SUB)
    sub.setsockopt(zmq.RCVHWM, 1)
    sub.setsockopt(zmq.RCVBUF, 4096)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(f"tcp://127.0.0.1:{port(k, 'iopub')}")
    try:
        time.sleep(0.5)
        lines = 300_000
        t0 = time.monotonic()
        # About 33 MB: far more than the stalled socket's buffers hold.
        pad = "." * 100
        run = k.execute(f'pad := "{pad}"\nfor i := 0; i < {lines}; i++ {{ fmt.Println("line", i, pad) }}',
                        timeout=120)
        took = time.monotonic() - t0
        assert run.status == "ok"
        out = run.stdout
        assert out.count("\n") == lines and out.endswith(f"line {lines - 1} {pad}\n"), out[-100:]
        log = k.stderr_text()
        assert log.count("is not reading") == 1, log
        print(f"{lines} lines in {took:.1f} s beside a stalled subscriber")
    finally:
        sub.close(linger=0)
        ctx.term()


def test_stalled_shell_client_does_not_delay_others(fresh_kernel: Kernel):
    """A DEALER that sends 20,000 requests and reads none of the replies.
    Before the guard, another client's 1+1 waited over 10 s."""
    k = fresh_kernel
    ctx = zmq.Context()
    dealer = ctx.socket(zmq.DEALER)
    dealer.setsockopt(zmq.RCVHWM, 1)
    dealer.setsockopt(zmq.RCVBUF, 4096)
    dealer.setsockopt(zmq.SNDHWM, 0)
    dealer.connect(f"tcp://127.0.0.1:{port(k, 'shell')}")
    try:
        session = k.kc.session
        for _ in range(20_000):
            session.send(dealer, "kernel_info_request", {})
        deadline = time.monotonic() + 60
        while "is not reading" not in k.stderr_text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "is not reading" in k.stderr_text()
        k.drain()
        t0 = time.monotonic()
        assert k.value("1 + 1") == "2"
        took = time.monotonic() - t0
        assert took < 5, f"1+1 took {took:.1f} s beside a stalled client"
        print(f"1+1 in {took:.2f} s beside a stalled shell client")
    finally:
        dealer.close(linger=0)
        ctx.term()


def test_oversized_message_is_refused_before_it_is_read(fresh_kernel: Kernel):
    k = fresh_kernel
    pid = k.pid()
    before = rss_bytes(pid)
    s = connect(k, "shell")
    s.sendall(GREETING + ready(b"DEALER") + long_header(0x01, 300 << 20) + b"x" * 65536)
    assert closed_within(s, 5), "the connection stayed open"
    s.close()
    assert k.value("1 + 1") == "2"
    log = k.stderr_text()
    assert "message of more than 268435456 bytes refused" in log, log
    assert rss_bytes(pid) < before + (64 << 20)


def test_memory_is_returned_after_a_large_message(fresh_kernel: Kernel):
    """After a 100 MB request and 40 MB of output, the kernel process's RSS
    is back within 2x of idle a few seconds later."""
    k = fresh_kernel
    pid = k.pid()
    k.value("1 + 1")
    time.sleep(1)
    idle = rss_bytes(pid)
    big = "x" * (100 << 20)
    run = k.request("kernel_info_request", {"padding": big})
    assert run.reply["msg_type"] == "kernel_info_reply"
    del big
    run = k.ok('s := strings.Repeat("y", 40<<20)\nfmt.Print(s)')
    assert len(run.stdout) == 40 << 20
    peak = rss_bytes(pid)
    time.sleep(float(os.environ.get("GOLIT_WIRE_SETTLE", "4")))
    after = rss_bytes(pid)
    print(f"kernel RSS: idle {idle >> 20} MiB, after the messages {peak >> 20} MiB, "
          f"4 s later {after >> 20} MiB")
    assert after <= 2 * idle, f"RSS {after >> 20} MiB, idle {idle >> 20} MiB"


def test_warns_about_a_connection_file_others_can_read(tmp_path):
    """Jupyter writes connection files 0600; the key in one that others can
    read lets them run code in the kernel, so golit says so."""
    import subprocess

    from jupyter_client.connect import write_connection_file

    from helpers import repo_root

    cf = str(tmp_path / "kernel-open.json")
    write_connection_file(cf, key=b"a-key")
    os.chmod(cf, 0o644)
    err_path = tmp_path / "stderr.log"
    with open(err_path, "wb") as err:
        proc = subprocess.Popen([os.path.join(repo_root(), "bin", "golit"), "kernel", "-f", cf], stderr=err)
        try:
            deadline = time.monotonic() + 10
            while "warning" not in err_path.read_text() and time.monotonic() < deadline:
                time.sleep(0.05)
        finally:
            proc.terminate()
            proc.wait(10)
    log = err_path.read_text()
    assert "has mode 0644" in log and "chmod 600" in log, log
