"""A classroom on one machine: N attendees on golit's JupyterHub at once.

    python bench/classroom/classroom.py --users 30 --think 5

It starts the hub of hub/jupyterhub_config.py in test mode (shared password,
SimpleLocalProcessSpawner) on a free port of 127.0.0.1, in a temporary folder,
and then N simulated attendees, all at the same moment, each:

  1. logs in through the hub's login form (the shared password),
  2. has its server started through the hub's REST API (an admin service
     token) and waits until it is ready,
  3. finds the workshop that `golit workshop` wrote into its home (the
     server's contents API, as JupyterLab's file browser does),
  4. opens notebook 01 as JupyterLab does (a session with a golit kernel,
     then the kernel's websocket /user/NAME/api/kernels/ID/channels), runs
     its code cells in order with a think time between them, and after each
     notebook cell runs a trivial cell (`1 + 1`) whose latency is the
     figure "trivial cell under load";
  5. closes that notebook (its kernel shuts down) and does the same with 04.

One attendee (the first; --no-kill turns this off) has its golit engine
process killed with SIGKILL at the end of notebook 01, while a long cell
runs: its cell must report the crash, the kernel must keep working (a
trivial cell, and a function declared earlier in the notebook, restored
by the supervisor), and the other attendees must see no failure at all.

While it runs, /proc is sampled every second: proportional set size (PSS)
and RSS of each attendee's process tree (server, kernels, engines, workers)
and of the hub and proxy, and the box's used memory (MemTotal-MemAvailable).

Failures (each must be 0): a cell that errors, a cell that prints but whose
output never arrives or a trivial cell whose result is not 2 (lost output),
a websocket that closes or a kernel that dies or stops answering (dead
kernel), a login, spawn or workshop that does not work.

Results: DIR/results.json and DIR/summary.txt (--out, default
bench/classroom/results/N<users>), and the summary on stdout. The exit
status is 0 when there were no failures and the crash stayed with its
attendee.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
HUB_DIR = os.path.join(ROOT, "hub")
NOTEBOOKS = {
    "01": "01-timing-and-spinners.ipynb",
    "04": "04-futures.ipynb",
}
WORKSHOP = "golit-workshop"
TRIVIAL = "1 + 1"
CELL_TIMEOUT = 240.0


# ---- small helpers -----------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pct(xs, p):
    """The p-th percentile (nearest rank) of xs, or None when xs is empty."""
    if not xs:
        return None
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(p / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def stats(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return {"n": 0}
    return {"n": len(xs), "median": statistics.median(xs), "p95": pct(xs, 95),
            "min": min(xs), "max": max(xs)}


def loadavg():
    with open("/proc/loadavg") as f:
        return [float(x) for x in f.read().split()[:3]]


def meminfo():
    out = {}
    with open("/proc/meminfo") as f:
        for line in f:
            k, v = line.split(":", 1)
            out[k] = int(v.split()[0]) * 1024
    return out


def expects_output(src: str) -> bool:
    """Whether a notebook cell must show something: it prints at its top
    level (not only inside a function it declares), is a %time magic, or
    ends in a bare name or a chart expression (a display)."""
    if re.search(r"^fmt\.Print", src, re.M) or src.lstrip().startswith("%"):
        return True
    lines = [l for l in src.strip().splitlines() if l.strip() and not l.strip().startswith("//")]
    if not lines:
        return False
    if re.fullmatch(r"[A-Za-z_]\w*", lines[-1].strip()):
        return True
    return lines[0].startswith("chart.New")


# ---- /proc: process trees and their memory ------------------------------------

CLK_TCK = os.sysconf("SC_CLK_TCK")


def read_procs(cpu=None):
    """pid -> (ppid, argv); with a dict cpu, also pid -> CPU seconds used
    (user + system) into it."""
    procs = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        pid = int(d)
        try:
            with open(f"/proc/{pid}/stat") as f:
                stat = f.read()
            fields = stat[stat.rindex(")") + 2:].split()
            ppid = int(fields[1])
            if cpu is not None:
                # Fields 14 and 15 of /proc/PID/stat (utime, stime).
                cpu[pid] = (int(fields[11]) + int(fields[12])) / CLK_TCK
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = [a.decode(errors="replace") for a in f.read().split(b"\0") if a]
        except (OSError, ValueError):
            continue
        procs[pid] = (ppid, argv)
    return procs


def environ_of(pid):
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return dict(kv.split(b"=", 1) for kv in f.read().split(b"\0") if b"=" in kv)
    except OSError:
        return {}


def mem_of(pid):
    """(pss, rss) in bytes, from smaps_rollup (0, 0 when the process is gone)."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1]) * 1024
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1]) * 1024
    except OSError:
        pass
    return pss, rss


def descendants(procs, root):
    kids = {}
    for pid, (ppid, _) in procs.items():
        kids.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def find_engine(kernel_id):
    """The pid of the golit engine child of the kernel with this id, or None."""
    procs = read_procs()
    for pid, (_, argv) in procs.items():
        if len(argv) >= 2 and argv[1] == "kernel" and any(f"kernel-{kernel_id}.json" in a for a in argv):
            for cpid, (cppid, cargv) in procs.items():
                if cppid == pid and len(cargv) >= 2 and cargv[1] == "engine":
                    return cpid
    return None


class Sampler:
    """Samples memory every second: per attendee tree, hub+proxy, box."""

    def __init__(self, hub_pid):
        self.hub_pid = hub_pid
        self.servers = {}  # user -> pid of its jupyterhub-singleuser
        self.peak_user = {}  # user -> {"pss": .., "rss": .., "procs": ..}
        self.peak_hub = {"pss": 0, "rss": 0}
        self.peak_total_pss = 0
        self.base_used = None
        self.peak_used = 0
        self.load = []
        self.all_pids = set()
        self.cpu_seen = {}  # user -> {pid: last CPU seconds seen}
        self.cpu_series = {}  # user -> [(monotonic time, CPU seconds so far)]

    def sample(self):
        cpu = {}
        procs = read_procs(cpu)
        now = time.monotonic()
        for pid, (ppid, argv) in procs.items():
            if pid in self.servers.values() or not any("jupyterhub-singleuser" in a for a in argv):
                continue
            user = environ_of(pid).get(b"JUPYTERHUB_USER")
            if user:
                self.servers[user.decode()] = pid
        total = 0
        for user, spid in self.servers.items():
            if spid not in procs:
                continue
            tree = descendants(procs, spid)
            self.all_pids.update(tree)
            pss = rss = 0
            for p in tree:
                a, b = mem_of(p)
                pss += a
                rss += b
            total += pss
            # CPU: every process ever seen in the tree, at its last reading
            # (a process that ended counts with what it had used by then).
            seen = self.cpu_seen.setdefault(user, {})
            for p in tree:
                if p in cpu:
                    seen[p] = cpu[p]
            self.cpu_series.setdefault(user, []).append((now, sum(seen.values())))
            peak = self.peak_user.setdefault(user, {"pss": 0, "rss": 0, "procs": 0})
            if pss > peak["pss"]:
                peak.update(pss=pss, rss=rss, procs=len(tree))
        # The hub and the proxy (its child), without the servers.
        hub = [p for p in descendants(procs, self.hub_pid) if p not in self.all_pids] if self.hub_pid in procs else []
        hp = hr = 0
        for p in hub:
            a, b = mem_of(p)
            hp += a
            hr += b
        self.peak_hub["pss"] = max(self.peak_hub["pss"], hp)
        self.peak_hub["rss"] = max(self.peak_hub["rss"], hr)
        self.peak_total_pss = max(self.peak_total_pss, total + hp)
        m = meminfo()
        used = m["MemTotal"] - m["MemAvailable"]
        if self.base_used is None:
            self.base_used = used
        self.peak_used = max(self.peak_used, used)
        self.load.append(loadavg()[0])

    def cpu_figures(self, window=10.0):
        """Per attendee: CPU seconds in all, the mean in cores over the time
        its server ran, and the busiest window of `window` seconds, in cores."""
        out = {}
        for user, series in self.cpu_series.items():
            if len(series) < 2:
                continue
            t0, c0 = series[0]
            t1, c1 = series[-1]
            peak, j = 0.0, 0
            for i in range(len(series)):
                while series[i][0] - series[j][0] > window:
                    j += 1
                dt = series[i][0] - series[j][0]
                if dt >= window / 2:
                    peak = max(peak, (series[i][1] - series[j][1]) / dt)
            out[user] = {"cpu_s": c1, "mean_cores": (c1 - c0) / max(t1 - t0, 1e-9), "peak_cores": peak}
        return out

    async def run(self, stop: asyncio.Event):
        while not stop.is_set():
            await asyncio.to_thread(self.sample)
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except asyncio.TimeoutError:
                pass


# ---- the hub -------------------------------------------------------------------

def ensure_proxy():
    """npm ci in hub/ when its node_modules is missing or older than the lock."""
    lock = os.path.join(HUB_DIR, "package-lock.json")
    stamp = os.path.join(HUB_DIR, "node_modules", ".golit-lock.sha")
    import hashlib
    with open(lock, "rb") as f:
        want = hashlib.sha256(f.read()).hexdigest()
    try:
        with open(stamp) as f:
            if f.read().strip() == want:
                return
    except OSError:
        pass
    if not shutil.which("npm"):
        raise SystemExit("classroom: npm is needed for configurable-http-proxy (apt-get install npm)")
    subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HUB_DIR, check=True)
    with open(stamp, "w") as f:
        f.write(want)


class Hub:
    def __init__(self, golit, state, log):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = secrets.token_hex(24)
        self.password = secrets.token_urlsafe(12)
        self.state = state
        env = dict(os.environ)
        env.update(
            GOLIT_BIN=golit,
            GOLIT_HUB_STATE=state,
            GOLIT_HUB_PORT=str(self.port),
            GOLIT_HUB_PASSWORD=self.password,
            GOLIT_HUB_API_TOKEN=self.token,
            PATH=os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", ""),
        )
        self.logf = open(log, "wb")
        self.proc = subprocess.Popen(
            [os.path.join(os.path.dirname(sys.executable), "jupyterhub"),
             "-f", os.path.join(HUB_DIR, "jupyterhub_config.py")],
            cwd=state, env=env, stdout=self.logf, stderr=subprocess.STDOUT, start_new_session=True)

    async def wait_ready(self, timeout=300):
        client = AsyncHTTPClient()
        t_end = time.monotonic() + timeout
        while time.monotonic() < t_end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited with status {self.proc.returncode} (see its log)")
            try:
                r = await client.fetch(self.url + "/hub/api/", headers=self.auth(), raise_error=False,
                                       request_timeout=10)
                if r.code == 200:
                    return
            except OSError:
                pass
            await asyncio.sleep(1)
        raise RuntimeError(f"jupyterhub did not answer on {self.url} within {timeout} s")

    def auth(self):
        return {"Authorization": f"token {self.token}"}

    def stop(self, server_pids):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # stops the servers (cleanup_servers), then the proxy
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        # Anything of ours still alive (a server the hub could not stop).
        for pid in server_pids:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        self.logf.close()


# ---- one attendee ----------------------------------------------------------------

@dataclass
class Cell:
    notebook: str
    index: int
    kind: str  # "notebook", "trivial", "crash", "restored"
    latency: float = 0.0
    status: str = ""
    text: str = ""
    outputs: int = 0


@dataclass
class Attendee:
    name: str
    victim: bool = False
    t_login: float | None = None
    t_server: float | None = None
    t_first_output: float | None = None
    cells: list = field(default_factory=list)
    failures: list = field(default_factory=list)
    crash: dict = field(default_factory=dict)

    def fail(self, kind, detail, nb="", cell=-1):
        self.failures.append({"kind": kind, "notebook": nb, "cell": cell, "detail": str(detail)[:500]})


class KernelChannel:
    """A kernel websocket as JupyterLab uses it (JSON messages, one socket
    for all channels)."""

    def __init__(self, ws, session):
        self.ws = ws
        self.session = session
        self.closed = False

    def msg(self, msg_type, content, channel="shell"):
        return {
            "header": {"msg_id": uuid.uuid4().hex, "username": "attendee", "session": self.session,
                       "date": time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime()),
                       "msg_type": msg_type, "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": [],
        }

    async def request(self, msg_type, content, on_output=None, timeout=CELL_TIMEOUT):
        """Sends a shell request and collects what answers it until both
        the reply and the idle status have come. Returns (reply, outputs)."""
        m = self.msg(msg_type, content)
        mid = m["header"]["msg_id"]
        await self.ws.write_message(json.dumps(m))
        reply, idle, outputs = None, False, []
        t_end = time.monotonic() + timeout
        while reply is None or not idle:
            left = t_end - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no {'reply' if reply is None else 'idle status'} within {timeout:.0f} s")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                self.closed = True
                raise ConnectionError("the kernel websocket closed")
            r = json.loads(raw)
            if r.get("parent_header", {}).get("msg_id") != mid:
                continue
            t = r["msg_type"]
            if r.get("channel") == "shell" and t.endswith("_reply"):
                reply = r
            elif t == "status":
                state = r["content"]["execution_state"]
                if state == "idle":
                    idle = True
                elif state in ("dead", "restarting"):
                    raise ConnectionError(f"kernel status {state}")
            elif t in ("stream", "execute_result", "display_data", "error", "update_display_data"):
                outputs.append(r)
                if on_output:
                    on_output(r)
        return reply, outputs


def output_text(outputs):
    parts = []
    for o in outputs:
        c = o["content"]
        if o["msg_type"] == "stream":
            parts.append(c.get("text", ""))
        elif o["msg_type"] == "error":
            parts.append(f"{c.get('ename')}: {c.get('evalue')}")
        else:
            parts.append(c.get("data", {}).get("text/plain", ""))
    return "".join(parts)


class Classroom:
    def __init__(self, args, hub: Hub, sampler: Sampler):
        self.args = args
        self.hub = hub
        self.sampler = sampler
        # Its own client: the shared AsyncHTTPClient queues beyond 10
        # requests at once, which a room's starting servers exceed.
        self.client = AsyncHTTPClient(force_instance=True, max_clients=4 * args.users + 10)
        self.t0 = 0.0
        self.crash_at = None  # wall time (since t0) of the kill

    async def http(self, method, path, body=None, headers=None, **kw):
        h = dict(self.hub.auth())
        h.update(headers or {})
        data = None if body is None else (body if isinstance(body, (str, bytes)) else json.dumps(body))
        if method in ("POST", "PUT", "PATCH") and data is None:
            data = "" if "Content-Type" in h else "{}"
        r = await self.client.fetch(HTTPRequest(self.hub.url + path, method=method, headers=h, body=data,
                                                connect_timeout=600, request_timeout=kw.pop("timeout", 600), **kw),
                                    raise_error=False)
        return r

    async def login(self, a: Attendee):
        """The hub's login form with the shared password: the authenticator's
        real path (xsrf cookie, form post, login cookie)."""
        r = await self.client.fetch(self.hub.url + "/hub/login", raise_error=False, connect_timeout=600,
                                    request_timeout=600)
        if r.code != 200:
            raise RuntimeError(f"GET /hub/login: {r.code}")
        cookies = {}
        for c in r.headers.get_list("Set-Cookie"):
            k, v = c.split(";", 1)[0].split("=", 1)
            cookies[k] = v
        m = re.search(r'name="_xsrf"\s+value="([^"]+)"', r.body.decode())
        form = {"username": a.name, "password": self.hub.password}
        if m:
            form["_xsrf"] = m.group(1)
        r = await self.client.fetch(HTTPRequest(
            self.hub.url + "/hub/login", method="POST", body=urllib.parse.urlencode(form),
            headers={"Content-Type": "application/x-www-form-urlencoded",
                     "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
            follow_redirects=False, connect_timeout=600, request_timeout=600), raise_error=False)
        got = [c.split("=", 1)[0] for c in r.headers.get_list("Set-Cookie")]
        if r.code != 302 or "jupyterhub-hub-login" not in got:
            raise RuntimeError(f"login as {a.name}: HTTP {r.code}, cookies {got}")

    async def start_server(self, a: Attendee):
        r = await self.http("POST", f"/hub/api/users/{a.name}/server")
        if r.code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"start server: HTTP {r.code} {r.body[:200]!r}")
        while True:
            r = await self.http("GET", f"/hub/api/users/{a.name}")
            u = json.loads(r.body)
            s = u.get("servers", {}).get("")
            if s and s.get("ready"):
                return
            if not s or (s.get("stopped") and not s.get("pending")):
                raise RuntimeError(f"server of {a.name} stopped while starting: {s}")
            await asyncio.sleep(0.5)

    async def open_notebook(self, a: Attendee, path):
        r = await self.http("POST", f"/user/{a.name}/api/sessions", {
            "path": path, "name": os.path.basename(path), "type": "notebook", "kernel": {"name": "golit"}})
        if r.code != 201:
            raise RuntimeError(f"POST /api/sessions: HTTP {r.code} {r.body[:300]!r}")
        sess = json.loads(r.body)
        kid = sess["kernel"]["id"]
        client_session = uuid.uuid4().hex
        ws_url = (self.hub.url.replace("http", "ws", 1) +
                  f"/user/{a.name}/api/kernels/{kid}/channels?session_id={client_session}")
        ws = await websocket_connect(HTTPRequest(ws_url, headers=self.hub.auth(), connect_timeout=600,
                                                 request_timeout=600),
                                     max_message_size=64 << 20)
        ch = KernelChannel(ws, client_session)
        reply, _ = await ch.request("kernel_info_request", {}, timeout=600)
        if reply["content"].get("status") != "ok":
            raise RuntimeError(f"kernel_info: {reply['content']}")
        return sess, kid, ch

    async def run_cell(self, a, ch, nb, index, kind, code, first=False):
        cell = Cell(nb, index, kind)
        t = time.monotonic()

        def on_output(_):
            if first and a.t_first_output is None:
                a.t_first_output = time.monotonic() - self.t0

        reply, outputs = await ch.request("execute_request", {
            "code": code, "silent": False, "store_history": True, "user_expressions": {},
            "allow_stdin": False, "stop_on_error": True}, on_output=on_output)
        cell.latency = time.monotonic() - t
        cell.status = reply["content"].get("status")
        cell.text = output_text(outputs)
        cell.outputs = len(outputs)
        a.cells.append(cell)
        if kind != "crash" and cell.status != "ok":
            a.fail("cell_error", cell.text or reply["content"], nb, index)
        return cell, reply, outputs

    async def think(self):
        await asyncio.sleep(self.args.think * random.uniform(0.5, 1.5))

    async def attendee(self, a: Attendee, start: asyncio.Event):
        await start.wait()
        try:
            await self.login(a)
            a.t_login = time.monotonic() - self.t0
            await self.start_server(a)
            a.t_server = time.monotonic() - self.t0
            r = await self.http("GET", f"/user/{a.name}/api/contents/{WORKSHOP}")
            names = {c["name"] for c in json.loads(r.body).get("content", [])} if r.code == 200 else set()
            missing = [n for n in NOTEBOOKS.values() if n not in names]
            if missing:
                a.fail("workshop", f"not in ~/{WORKSHOP} (HTTP {r.code}): {missing}")
                return
            first = True
            for key in self.args.notebooks:
                await self.notebook(a, key, first)
                first = False
        except Exception as e:  # noqa: BLE001 (every failure is counted, not raised)
            kind = "dead_kernel" if isinstance(e, (ConnectionError, TimeoutError, asyncio.TimeoutError)) else "error"
            a.fail(kind, f"{type(e).__name__}: {e}")

    async def notebook(self, a: Attendee, key, first):
        path = f"{WORKSHOP}/{NOTEBOOKS[key]}"
        r = await self.http("GET", f"/user/{a.name}/api/contents/{urllib.parse.quote(path)}?content=1")
        if r.code != 200:
            a.fail("workshop", f"GET {path}: HTTP {r.code}", key)
            return
        nb = json.loads(r.body)["content"]
        sess, kid, ch = await self.open_notebook(a, path)
        try:
            cells = [(i, "".join(c["source"]) if isinstance(c["source"], list) else c["source"])
                     for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"]
            for n, (i, src) in enumerate(cells):
                cell, _, outputs = await self.run_cell(a, ch, key, i, "notebook", src, first=first and n == 0)
                if cell.status == "ok" and expects_output(src) and not outputs:
                    a.fail("lost_output", f"no output from a cell that prints:\n{src[:200]}", key, i)
                if "RESULT" in src and "RESULT" not in cell.text:
                    a.fail("lost_output", f"RESULT line missing: {cell.text[:200]!r}", key, i)
                await self.think()
                cell, _, _ = await self.run_cell(a, ch, key, i, "trivial", TRIVIAL)
                if cell.status == "ok" and cell.text.strip() != "2":
                    a.fail("lost_output", f"{TRIVIAL} gave {cell.text!r}", key, i)
                await self.think()
            if a.victim and key == self.args.notebooks[0]:
                await self.crash(a, ch, kid, key)
        finally:
            # Closing the notebook and shutting its kernel down, as
            # JupyterLab does: deleting the session ends its kernel.
            ch.ws.close()
            await self.http("DELETE", f"/user/{a.name}/api/sessions/{sess['id']}")

    async def crash(self, a: Attendee, ch: KernelChannel, kid, key):
        """Kills this attendee's engine process while a long cell runs."""
        run = asyncio.ensure_future(self.run_cell(a, ch, key, -1, "crash", "time.Sleep(30 * time.Second)"))
        await asyncio.sleep(2)
        pid = await asyncio.to_thread(find_engine, kid)
        if pid is None:
            a.fail("crash_test", "could not find the golit engine process of the kernel")
            run.cancel()
            return
        os.kill(pid, signal.SIGKILL)
        self.crash_at = time.monotonic() - self.t0
        t_kill = time.monotonic()
        cell, reply, outputs = await run
        c = reply["content"]
        a.crash = {"engine_pid": pid, "at_s": self.crash_at, "status": c.get("status"),
                   "ename": c.get("ename"), "evalue": (c.get("evalue") or "")[:300],
                   "reported_after_s": time.monotonic() - t_kill}
        if c.get("status") != "error" or "crash" not in (c.get("ename", "") + cell.text).lower():
            a.fail("crash_test", f"the killed engine's cell did not report the crash: {c}")
        # The kernel keeps working, and declarations survive the restart.
        t = time.monotonic()
        cell, _, _ = await self.run_cell(a, ch, key, -1, "restored", TRIVIAL)
        a.crash["next_cell_s"] = time.monotonic() - t
        if cell.text.strip() != "2":
            a.fail("crash_test", f"after the crash, {TRIVIAL} gave {cell.text!r}")
        cell, _, _ = await self.run_cell(a, ch, key, -1, "restored", "busy(10)")
        if cell.text.strip() != "24":  # the sum of i%7 for i < 10
            a.fail("crash_test", f"after the crash, busy(10) (declared in notebook {key}) gave {cell.text!r}")
        a.crash["new_engine_pid"] = await asyncio.to_thread(find_engine, kid)


# ---- the run ------------------------------------------------------------------------

async def main_async(args):
    golit = args.golit or shutil.which("golit")
    if not golit:
        raise SystemExit("classroom: no golit on PATH (build it: go build -o bin/golit ./cmd/golit; or --golit)")
    golit = os.path.abspath(golit)
    ensure_proxy()
    os.makedirs(args.out, exist_ok=True)
    state = tempfile.mkdtemp(prefix="golit-classroom-")
    result = {
        "command": " ".join([os.path.relpath(sys.argv[0], ROOT)] + sys.argv[1:]),
        "users": args.users, "think_s": args.think, "notebooks": args.notebooks,
        "cpus": os.cpu_count(), "mem_total": meminfo()["MemTotal"],
        "load_before": loadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
    }
    hub = Hub(golit, state, os.path.join(args.out, "hub.log"))
    sampler = Sampler(hub.proc.pid)
    stop = asyncio.Event()
    attendees = [Attendee(f"attendee{i:03d}", victim=(i == 0 and args.kill)) for i in range(args.users)]
    try:
        await hub.wait_ready()
        sampler.sample()  # the baseline: the hub alone
        mon = asyncio.ensure_future(sampler.run(stop))
        room = Classroom(args, hub, sampler)
        start = asyncio.Event()
        tasks = [asyncio.ensure_future(room.attendee(a, start)) for a in attendees]
        room.t0 = time.monotonic()
        start.set()
        await asyncio.gather(*tasks)
        result["wall_s"] = time.monotonic() - room.t0
        stop.set()
        await mon
    finally:
        stop.set()
        result["load_after"] = loadavg()
        await asyncio.to_thread(hub.stop, list(sampler.servers.values()))
        if not args.keep:
            shutil.rmtree(state, ignore_errors=True)
    summarize(result, attendees, sampler)
    with open(os.path.join(args.out, "results.json"), "w") as f:
        json.dump(result, f, indent=1)
    text = human(result)
    with open(os.path.join(args.out, "summary.txt"), "w") as f:
        f.write(text)
    print(text)
    return 0 if result["ok"] else 1


def summarize(result, attendees, sampler):
    others = [a for a in attendees if not a.victim]
    victim = next((a for a in attendees if a.victim), None)
    trivial = [c.latency for a in attendees for c in a.cells if c.kind == "trivial"]
    mib = 1 << 20
    per_user_pss = [p["pss"] / mib for p in sampler.peak_user.values()]
    per_user_rss = [p["rss"] / mib for p in sampler.peak_user.values()]
    cpu = sampler.cpu_figures()
    result.update({
        "time_to_server_s": stats([a.t_server for a in attendees]),
        "time_to_first_output_s": stats([a.t_first_output for a in attendees]),
        "trivial_cell_ms": stats([x * 1000 for x in trivial]),
        "notebook_cell_s": stats([c.latency for a in attendees for c in a.cells if c.kind == "notebook"]),
        "memory_per_attendee_peak_pss_mib": stats(per_user_pss),
        "memory_per_attendee_peak_rss_mib": stats(per_user_rss),
        "cpu_per_attendee_s": stats([c["cpu_s"] for c in cpu.values()]),
        "cpu_per_attendee_mean_cores": stats([c["mean_cores"] for c in cpu.values()]),
        "cpu_per_attendee_peak10s_cores": stats([c["peak_cores"] for c in cpu.values()]),
        "memory_hub_and_proxy_peak_pss_mib": sampler.peak_hub["pss"] / mib,
        "memory_all_attendees_and_hub_peak_pss_mib": sampler.peak_total_pss / mib,
        "memory_box_used_before_mib": (sampler.base_used or 0) / mib,
        "memory_box_used_peak_mib": sampler.peak_used / mib,
        "load_during": stats(sampler.load),
        "failures": sum(len(a.failures) for a in attendees),
        "failures_others": sum(len(a.failures) for a in others),
        "failures_victim": len(victim.failures) if victim else 0,
        "crash": victim.crash if victim else None,
        "attendees": [{
            "name": a.name, "victim": a.victim, "login_s": a.t_login, "server_s": a.t_server,
            "first_output_s": a.t_first_output, "cells": len(a.cells),
            "notebook_cells": sum(c.kind == "notebook" for c in a.cells),
            "trivial_cells": sum(c.kind == "trivial" for c in a.cells),
            "peak_pss_mib": sampler.peak_user.get(a.name, {}).get("pss", 0) / mib,
            "peak_rss_mib": sampler.peak_user.get(a.name, {}).get("rss", 0) / mib,
            "cpu": cpu.get(a.name),
            "failures": a.failures,
        } for a in attendees],
    })
    expected_cells = all(any(c.kind == "notebook" for c in a.cells) for a in attendees)
    crash_ok = victim is None or (victim.crash.get("status") == "error" and not victim.failures)
    result["crash_isolated"] = bool(victim and crash_ok and result["failures_others"] == 0)
    result["ok"] = result["failures"] == 0 and expected_cells and crash_ok


def human(r):
    def s(st, unit, f="{:.2f}"):
        if not st.get("n"):
            return "n/a"
        return f"median {f.format(st['median'])} {unit}, p95 {f.format(st['p95'])} {unit} (n={st['n']})"
    lines = [
        f"classroom: {r['users']} attendees at once, notebooks {', '.join(r['notebooks'])}, "
        f"think time {r['think_s']} s (x0.5-1.5), {r['cpus']} cores, {r['mem_total'] / (1 << 30):.0f} GiB",
        f"  started {r['started']}, load average before {r['load_before']}, during "
        f"{s(r['load_during'], '', '{:.1f}')}, after {r['load_after']}",
        f"  wall time           {r.get('wall_s', 0):.0f} s",
        f"  time to server      {s(r['time_to_server_s'], 's')}",
        f"  time to 1st output  {s(r['time_to_first_output_s'], 's')}",
        f"  trivial cell        {s(r['trivial_cell_ms'], 'ms', '{:.0f}')}",
        f"  notebook cell       {s(r['notebook_cell_s'], 's')}",
        f"  memory / attendee   PSS {s(r['memory_per_attendee_peak_pss_mib'], 'MiB', '{:.0f}')}; "
        f"RSS {s(r['memory_per_attendee_peak_rss_mib'], 'MiB', '{:.0f}')} (peak of server + kernel tree)",
        f"  CPU / attendee      {s(r['cpu_per_attendee_s'], 's', '{:.1f}')} in all; mean "
        f"{s(r['cpu_per_attendee_mean_cores'], 'cores')}; busiest 10 s "
        f"{s(r['cpu_per_attendee_peak10s_cores'], 'cores')}",
        f"  memory, all         hub+proxy {r['memory_hub_and_proxy_peak_pss_mib']:.0f} MiB PSS; "
        f"hub+all attendees {r['memory_all_attendees_and_hub_peak_pss_mib']:.0f} MiB PSS; box used "
        f"{r['memory_box_used_before_mib']:.0f} -> peak {r['memory_box_used_peak_mib']:.0f} MiB (whole machine)",
        f"  failures            {r['failures']} (others {r['failures_others']}, killed attendee {r['failures_victim']})",
    ]
    if r["crash"]:
        c = r["crash"]
        lines.append(f"  engine killed       {c.get('engine_pid')} at {c.get('at_s', 0):.0f} s: cell {c.get('status')} "
                     f"{c.get('ename')} after {c.get('reported_after_s', 0):.2f} s; next cell "
                     f"{c.get('next_cell_s', 0):.2f} s; new engine {c.get('new_engine_pid')}; "
                     f"crash isolated: {r['crash_isolated']}")
    for a in r["attendees"]:
        for f in a["failures"]:
            lines.append(f"  FAIL {a['name']} {f['kind']} nb {f['notebook']} cell {f['cell']}: {f['detail'][:300]}")
    lines.append("  result: " + ("OK" if r["ok"] else "FAILED"))
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--users", type=int, default=10, help="attendees at once (default 10)")
    p.add_argument("--think", type=float, default=5.0,
                   help="mean think time between cells in seconds, drawn from 0.5x..1.5x (default 5)")
    p.add_argument("--notebooks", default="01,04", help="workshop notebooks to run, in order (default 01,04)")
    p.add_argument("--no-kill", dest="kill", action="store_false",
                   help="do not kill the first attendee's engine")
    p.add_argument("--golit", help="the golit binary (default: golit on PATH)")
    p.add_argument("--out", help="results folder (default bench/classroom/results/N<users>)")
    p.add_argument("--keep", action="store_true", help="keep the hub's temporary folder")
    p.add_argument("--seed", type=int, default=1, help="seed of the think times")
    args = p.parse_args()
    args.notebooks = [n.strip() for n in args.notebooks.split(",") if n.strip()]
    for n in args.notebooks:
        if n not in NOTEBOOKS:
            p.error(f"unknown notebook {n!r} (known: {', '.join(NOTEBOOKS)})")
    args.out = args.out or os.path.join(HERE, "results", f"N{args.users}")
    random.seed(args.seed)
    sys.exit(asyncio.run(main_async(args)))


if __name__ == "__main__":
    main()
