"""Round trip of a trivial cell, through two clients, on several kernels.

The floor of a cell's round trip is the client's and the protocol core's
work, not the engine's. This script measures the same kernel processes with
jupyter_client (what notebooks use) and with a minimal client written here
on pyzmq (sign, send, wait for idle; no threads, no message objects), so the
report says how much of a round trip is jupyter_client's. Kernels: golit,
the no-op kernel on golit's protocol core (bench/nullkernel) and ipykernel,
measured in interleaved rounds (the machine is shared), medians reported.

    bash bench/roundtrip.sh [--rounds 5] [--n 200]

The round trip is from sending execute_request to the kernel's idle status
on iopub (as bench/harness.py measures it); the reply is then read too.

With --paired, all the kernels run at once and the cells alternate between
them (in a shuffled order for every cell), so that each kernel's cells meet
the same load from the rest of the machine; on a shared 2-CPU machine this
resolves differences of a few per cent that the rounds (seconds apart)
spread over:

    bash bench/roundtrip.sh --paired --n 2000 --kernels golit,golit-null
"""

import argparse
import hashlib
import hmac
import json
import os
import queue
import random
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone

import zmq
from jupyter_client import KernelManager

KERNELS = {
    "golit": "1 + 1",
    "golit-null": "1 + 1",
    "python3": "1 + 1",
}


class RawClient:
    """A minimal Jupyter client: one DEALER for shell, one SUB for iopub."""

    def __init__(self, conn: dict):
        key = conn["key"]
        self.key = key if isinstance(key, bytes) else key.encode()
        self.session = uuid.uuid4().hex
        self.ctx = zmq.Context()
        url = f"{conn['transport']}://{conn['ip']}:"
        self.shell = self.ctx.socket(zmq.DEALER)
        self.shell.connect(url + str(conn["shell_port"]))
        self.iopub = self.ctx.socket(zmq.SUB)
        self.iopub.setsockopt(zmq.SUBSCRIBE, b"")
        self.iopub.connect(url + str(conn["iopub_port"]))
        self.poller = zmq.Poller()
        self.poller.register(self.iopub, zmq.POLLIN)

    def sign(self, parts: list[bytes]) -> bytes:
        h = hmac.new(self.key, digestmod=hashlib.sha256)
        for p in parts:
            h.update(p)
        return h.hexdigest().encode()

    def send(self, msg_type: str, content: dict) -> str:
        mid = uuid.uuid4().hex
        header = json.dumps({
            "msg_id": mid, "session": self.session, "username": "bench",
            "date": datetime.now(timezone.utc).isoformat(),
            "msg_type": msg_type, "version": "5.3",
        }).encode()
        parts = [header, b"{}", b"{}", json.dumps(content).encode()]
        self.shell.send_multipart([b"<IDS|MSG>", self.sign(parts)] + parts)
        return mid

    def recv_iopub(self, timeout_ms: int) -> tuple[dict, dict] | None:
        if not self.poller.poll(timeout_ms):
            return None
        frames = self.iopub.recv_multipart()
        i = frames.index(b"<IDS|MSG>")
        header, parent = json.loads(frames[i + 2]), json.loads(frames[i + 3])
        content = json.loads(frames[i + 5])
        return {"msg_type": header["msg_type"], "parent": parent.get("msg_id"), "content": content}, header

    def wait_ready(self, timeout: float = 30) -> None:
        """kernel_info until an idle status for it arrives (the iopub
        subscription takes a moment to be in place)."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            mid = self.send("kernel_info_request", {})
            end = time.perf_counter() + 0.2
            while time.perf_counter() < end:
                got = self.recv_iopub(20)
                if got and got[0]["parent"] == mid and got[0]["msg_type"] == "status" \
                        and got[0]["content"]["execution_state"] == "idle":
                    self.drain()
                    return
        raise RuntimeError("raw client: kernel not ready")

    def drain(self) -> None:
        while self.recv_iopub(20):
            pass
        while self.shell.poll(20):
            self.shell.recv_multipart()

    def execute(self, code: str) -> float:
        t0 = time.perf_counter()
        mid = self.send("execute_request", {
            "code": code, "silent": False, "store_history": False,
            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True,
        })
        while True:
            got = self.recv_iopub(30000)
            if got is None:
                raise RuntimeError("raw client: no idle")
            m = got[0]
            if m["parent"] == mid and m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
                took = time.perf_counter() - t0
                break
        while True:
            frames = self.shell.recv_multipart()
            i = frames.index(b"<IDS|MSG>")
            if json.loads(frames[i + 3]).get("msg_id") == mid:
                return took

    def close(self) -> None:
        self.ctx.destroy(linger=0)


def jc_execute(kc, code: str) -> float:
    t0 = time.perf_counter()
    mid = kc.execute(code, store_history=False)
    while True:
        m = kc.get_iopub_msg(timeout=30)
        if m["parent_header"].get("msg_id") == mid and m["msg_type"] == "status" \
                and m["content"]["execution_state"] == "idle":
            took = time.perf_counter() - t0
            break
    while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != mid:
        pass
    return took


def jc_drain(kc) -> None:
    for get in (kc.get_iopub_msg, kc.get_shell_msg):
        while True:
            try:
                get(timeout=0.05)
            except queue.Empty:
                break


def paired(names: list[str], n: int) -> dict[tuple[str, str], list[float]]:
    """Every kernel started once; cell i goes to every kernel in a shuffled
    order, first through jupyter_client, then through the raw client."""
    started = []  # [name, manager, jupyter_client, raw client], for the clean-up
    try:
        for name in names:
            km = KernelManager(kernel_name=name)
            km.start_kernel()
            kc = km.client()
            kc.start_channels()
            k = [name, km, kc, None]
            started.append(k)
            kc.wait_for_ready(timeout=30)
            code = KERNELS.get(name, "1 + 1")
            for _ in range(50):
                jc_execute(kc, code)
            jc_drain(kc)
            k[3] = raw = RawClient(km.get_connection_info())
            raw.wait_ready()
            for _ in range(50):
                raw.execute(code)
        samples: dict[tuple[str, str], list[float]] = {}
        rng = random.Random(14)
        for cname in ("jupyter_client", "raw pyzmq"):
            for _ in range(n):
                for name, km, kc, raw in rng.sample(started, len(started)):
                    code = KERNELS.get(name, "1 + 1")
                    took = jc_execute(kc, code) if cname == "jupyter_client" else raw.execute(code)
                    samples.setdefault((name, cname), []).append(took * 1e3)
        return samples
    finally:
        for name, km, kc, raw in started:
            if raw is not None:
                raw.close()
            kc.stop_channels()
            km.shutdown_kernel(now=False)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--n", type=int, default=200, help="cells per client per round")
    ap.add_argument("--kernels", default=",".join(KERNELS))
    ap.add_argument("--paired", action="store_true", help="all kernels at once, cells alternating between them")
    args = ap.parse_args()
    names = args.kernels.split(",")
    load0 = os.getloadavg()
    samples: dict[tuple[str, str], list[float]] = {}
    if args.paired:
        samples = paired(names, args.n)
    for rnd in range(0 if args.paired else args.rounds):
        # Each round starts every kernel afresh and alternates the order.
        order = names if rnd % 2 == 0 else list(reversed(names))
        for name in order:
            km = KernelManager(kernel_name=name)
            km.start_kernel()
            kc = km.client()
            kc.start_channels()
            try:
                kc.wait_for_ready(timeout=30)
                code = KERNELS.get(name, "1 + 1")
                for _ in range(20):
                    jc_execute(kc, code)
                jc_drain(kc)
                raw = RawClient(km.get_connection_info())
                try:
                    raw.wait_ready()
                    clients = [("jupyter_client", lambda: jc_execute(kc, code)), ("raw pyzmq", lambda: raw.execute(code))]
                    if rnd % 2:
                        clients.reverse()
                    for cname, run in clients:
                        for _ in range(20):
                            run()
                        trips = [run() for _ in range(args.n)]
                        samples.setdefault((name, cname), []).append(statistics.median(trips) * 1e3)
                finally:
                    raw.close()
            finally:
                kc.stop_channels()
                km.shutdown_kernel(now=False)
    load1 = os.getloadavg()
    if args.paired:
        print(f"trivial cell round trip to idle, ms: median of {args.n} cells per kernel and client, kernels paired cell by cell")
    else:
        print(f"trivial cell round trip to idle, ms: median of {args.rounds} rounds of the median of {args.n} cells")
    print(f"load average {load0[0]:.2f} at the start, {load1[0]:.2f} at the end; {os.cpu_count()} CPUs")
    print()
    print("| kernel | jupyter_client | raw pyzmq client |")
    print("|---|---|---|")
    for name in names:
        row = [f"{statistics.median(samples[(name, c)]):.2f}" for c in ("jupyter_client", "raw pyzmq")]
        print(f"| {name} | {row[0]} | {row[1]} |")
    if "golit" in names and "golit-null" in names:
        for c in ("jupyter_client", "raw pyzmq"):
            g, z = statistics.median(samples[("golit", c)]), statistics.median(samples[("golit-null", c)])
            print(f"golit / no-op kernel through {c}: {g / z:.2f}x")
    print()
    if args.paired:
        print("quartiles:", json.dumps({f"{k[0]} {k[1]}": [round(q, 3) for q in statistics.quantiles(vs, n=4)] for k, vs in samples.items()}))
    else:
        print("rounds:", json.dumps({f"{k[0]} {k[1]}": [round(v, 3) for v in vs] for k, vs in samples.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
