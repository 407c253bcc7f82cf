"""Restart as JupyterLab does it, without the browser: a Jupyter server
(jupyter_server, which JupyterLab runs on) with a kernel and a websocket on
its channels, as a notebook tab holds; POST /api/kernels/ID/restart (the
Restart button), which returns once the new kernel has answered the
server's kernel_info_request; then an execute_request over the same
websocket, timed to its first output.

    bash bench/run.sh --only restart       # makes the venv and kernelspecs
    .venv/bin/python bench/restart_server.py golit python3 --rounds 8

(with JUPYTER_PATH=.venv/share/jupyter, as bench/run.sh sets it).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

TOKEN = uuid.uuid4().hex


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def execute_msg(code: str) -> dict:
    msg_id = uuid.uuid4().hex
    return {
        "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "bench",
                   "session": "bench", "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
        "content": {"code": code, "silent": False, "store_history": True,
                    "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
    }


async def first_output(ws, code: str) -> None:
    msg = execute_msg(code)
    await ws.write_message(json.dumps(msg))
    while True:
        raw = await asyncio.wait_for(ws.read_message(), 30)
        if raw is None:
            raise RuntimeError("websocket closed")
        m = json.loads(raw)
        if m.get("parent_header", {}).get("msg_id") == msg["header"]["msg_id"] and \
                m["msg_type"] in ("execute_result", "stream"):
            return


async def drain(ws, quiet: float = 0.3) -> None:
    while True:
        try:
            await asyncio.wait_for(ws.read_message(), quiet)
        except asyncio.TimeoutError:
            return


async def run(base: str, name: str, rounds: int) -> list[tuple[float, float]]:
    http = AsyncHTTPClient()
    hdr = {"Authorization": f"token {TOKEN}"}
    r = await http.fetch(HTTPRequest(f"http{base}/api/kernels", method="POST", headers=hdr,
                                     body=json.dumps({"name": name}), request_timeout=60))
    kid = json.loads(r.body)["id"]
    ws = await websocket_connect(HTTPRequest(f"ws{base}/api/kernels/{kid}/channels?session_id=bench",
                                             headers=hdr))
    code = "1 + 1"
    rows = []
    try:
        await first_output(ws, code)
        for _ in range(rounds):
            await first_output(ws, code)
            await drain(ws)
            t0 = time.perf_counter()
            await http.fetch(HTTPRequest(f"http{base}/api/kernels/{kid}/restart", method="POST",
                                         headers=hdr, body="{}", request_timeout=60))
            t1 = time.perf_counter()
            await first_output(ws, code)
            t2 = time.perf_counter()
            rows.append((t1 - t0, t2 - t0))
            await drain(ws)
    finally:
        ws.close()
        await http.fetch(HTTPRequest(f"http{base}/api/kernels/{kid}", method="DELETE", headers=hdr))
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("kernels", nargs="+")
    ap.add_argument("--rounds", type=int, default=8)
    args = ap.parse_args()
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", "--ServerApp.log_level=WARN", "--allow-root"],
        env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.1)
        print(f"seconds from POST .../restart, median of {args.rounds}")
        print(f"{'kernel':10s}{'restart POST returns':>24s}{'first output of a cell':>26s}")
        for name in args.kernels:
            rows = asyncio.run(run(base, name, args.rounds))
            a, b = (statistics.median(c) for c in zip(*rows))
            print(f"{name:10s}{a:24.3f}{b:26.3f}")
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main()
