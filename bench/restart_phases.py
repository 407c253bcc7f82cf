"""Where the time of a restart goes, per kernel: jupyter_client's
restart_kernel (shutdown_request with restart=true, the same kernelspec on
the same ports, the client keeping its sockets), then the moments the new
kernel's shell port accepts a TCP connection, a client made at that moment
gets its kernel_info_reply, the old client (whose sockets reconnect on
their own timer) gets its kernel_info_reply, and the first iopub message;
all from the restart call. wait_for_ready adds 0.2 s of reading
iopub until it is quiet after the last of these.

    bash bench/run.sh --only restart       # makes the venv and kernelspecs
    .venv/bin/python bench/restart_phases.py golit python3 --rounds 8

(with JUPYTER_PATH=.venv/share/jupyter, as bench/run.sh sets it).
"""

from __future__ import annotations

import argparse
import math
import queue
import socket
import statistics
import time

from jupyter_client.manager import start_new_kernel

PHASES = ("restart_kernel returns", "port accepts", "new client's reply", "kernel_info_reply", "first iopub message")


def port_accepts(port: int, timeout: float = 30) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        s = socket.socket()
        s.settimeout(0.05)
        try:
            s.connect(("127.0.0.1", port))
            return
        except OSError:
            time.sleep(0.002)
        finally:
            s.close()
    raise TimeoutError(f"port {port} never accepted")


def fresh_reply(km) -> float:
    """A client made now connects at once: the moment the new kernel itself
    answers, without the old client's reconnect timer (NaN when no reply
    comes within 5 s: ipykernel, which binds before it serves, did not
    answer such a client in our runs, and then delays the next reply)."""
    fresh = km.client()
    fresh.start_channels(iopub=False, stdin=False, hb=False)
    try:
        msg_id = fresh.kernel_info()
        while fresh.get_shell_msg(timeout=5)["parent_header"].get("msg_id") != msg_id:
            pass
        return time.perf_counter()
    except queue.Empty:
        return math.nan
    finally:
        fresh.stop_channels()


def phases(name: str, rounds: int, fresh_client: bool) -> list[tuple[float, ...]]:
    km, kc = start_new_kernel(kernel_name=name)
    rows = []
    try:
        for _ in range(rounds):
            kc.execute_interactive("1 + 1", timeout=30, output_hook=lambda m: None)
            t0 = time.perf_counter()
            km.restart_kernel(now=False)
            t1 = time.perf_counter()
            port_accepts(km.shell_port)
            t2 = time.perf_counter()
            t2f = fresh_reply(km) if fresh_client else math.nan
            msg_id = kc.kernel_info()
            while kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") != msg_id:
                pass
            t3 = time.perf_counter()
            kc.get_iopub_msg(timeout=10)
            t4 = time.perf_counter()
            while True:  # drain, as wait_for_ready does
                try:
                    kc.get_iopub_msg(timeout=0.2)
                except Exception:
                    break
            rows.append((t1 - t0, t2 - t0, t2f - t0, t3 - t0, t4 - t0))
    finally:
        km.shutdown_kernel(now=True)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("kernels", nargs="+")
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--fresh", action="store_true", help="also time a client made when the port accepts")
    args = ap.parse_args()
    print("seconds from the restart call, median of", args.rounds)
    print(f"{'kernel':10s}" + "".join(f"{p:>24s}" for p in PHASES))
    for name in args.kernels:
        rows = phases(name, args.rounds, args.fresh)
        meds = [statistics.median([x for x in c if not math.isnan(x)] or [math.nan]) for c in zip(*rows)]
        print(f"{name:10s}" + "".join(f"{m:24.3f}" for m in meds))


if __name__ == "__main__":
    main()
