"""The attendee's path: `pip install golit` on a machine without Go.

Builds the wheel for this machine and the wheel for the other Linux
architecture with python/build-wheels.sh (hatchling), installs the native one
into a fresh virtualenv whose PATH has no `go` (and no other golit), and
checks through that environment's own Jupyter packages that

- pip refuses the other architecture's wheel;
- Jupyter finds the "Go (golit)" kernelspec with its logos in the virtualenv;
- `python -m golit install` and `golit version` work from the wheel;
- a workshop notebook written by `golit workshop` runs through nbclient
  (03-processes: it starts a process pool, whose workers are golit itself);
- cells that need the Go toolchain say that Go is not installed and where to
  get it, through a real kernel;
- `golit workshop --lab` starts JupyterLab there (when JupyterLab is
  installed in the test's own environment it is used through PATH).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from helpers import repo_root

ROOT = Path(repo_root())

# Building two wheels (one cross-compiled) and a virtualenv takes minutes on a
# loaded machine; nothing here is a timing assertion.
pytestmark = [
    pytest.mark.timeout(1500),
    pytest.mark.skipif(sys.platform != "linux", reason="the wheel test runs on Linux"),
]

ARCH = {"x86_64": "amd64", "aarch64": "arm64"}.get(platform.machine(), "")
NATIVE = f"linux-{ARCH}"
FOREIGN = "linux-arm64" if ARCH == "amd64" else "linux-amd64"


def run(cmd, env=None, cwd=None, timeout=900, check=True):
    p = subprocess.run(
        [str(c) for c in cmd], env=env, cwd=cwd, timeout=timeout,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    if check and p.returncode != 0:
        pytest.fail(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{p.stdout}\n{p.stderr}")
    return p


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    if not ARCH:
        pytest.skip(f"no golit wheel for {platform.machine()}")
    out = tmp_path_factory.mktemp("dist")
    env = dict(os.environ, GOLIT_WHEEL_OUT=str(out), PYTHON=sys.executable)
    run(["bash", ROOT / "python" / "build-wheels.sh", NATIVE, FOREIGN], env=env)
    found = {}
    for plat, arch in ((NATIVE, ARCH), (FOREIGN, "arm64" if ARCH == "amd64" else "amd64")):
        tag = {"amd64": "x86_64", "arm64": "aarch64"}[arch]
        ws = sorted(out.glob(f"golit-*-py3-none-manylinux_2_17_{tag}*.whl"))
        assert len(ws) == 1, f"{plat}: {list(out.iterdir())}"
        found[plat] = ws[0]
    return found


def no_go_path(venv: Path) -> str:
    """The venv's bin, then the directories of PATH that hold neither go
    nor golit nor this test's own virtualenv (sh, ls, ... stay)."""
    dirs = [str(venv / "bin")]
    test_venv = Path(sys.prefix).resolve()
    for d in os.environ.get("PATH", "").split(os.pathsep):
        if not d or not os.path.isdir(d):
            continue
        p = Path(d).resolve()
        if p == test_venv / "bin" or any((p / n).exists() for n in ("go", "golit", "jupyter")):
            continue
        dirs.append(d)
    return os.pathsep.join(dirs)


@pytest.fixture(scope="module")
def attendee(tmp_path_factory, wheels):
    """A fresh virtualenv with the wheel and nbclient, and an environment
    without Go, without the test's Jupyter paths and with an empty home."""
    base = tmp_path_factory.mktemp("attendee")
    venv = base / "venv"
    run([sys.executable, "-m", "venv", venv])
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER", "GO", "IPYTHON", "PYTHON")) and k not in ("VIRTUAL_ENV", "CONDA_PREFIX")}
    env.update(
        PATH=no_go_path(venv), HOME=str(home), VIRTUAL_ENV=str(venv),
        JUPYTER_PLATFORM_DIRS="1", PIP_DISABLE_PIP_VERSION_CHECK="1",
    )
    assert shutil.which("go", path=env["PATH"]) is None, env["PATH"]
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", wheels[NATIVE],
         "nbclient", "nbformat", "jupyter_client", "-c", ROOT / "tests" / "constraints.txt"], env=env)
    golit = shutil.which("golit", path=env["PATH"])
    assert golit and Path(golit).resolve() == (venv / "bin" / "golit").resolve(), golit
    return venv, env, base


def test_foreign_wheel_is_refused(wheels, attendee):
    venv, env, _ = attendee
    p = run([venv / "bin" / "python", "-m", "pip", "install", "--no-deps", wheels[FOREIGN]], env=env, check=False)
    assert p.returncode != 0, p.stdout
    assert "is not a supported wheel on this platform" in p.stderr, p.stderr
    # The native golit is still the one installed, and it runs.
    assert run([venv / "bin" / "golit", "version"], env=env).stdout.startswith("golit ")


def test_jupyter_sees_the_kernelspec_with_its_logo(attendee):
    venv, env, _ = attendee
    out = run([venv / "bin" / "jupyter", "kernelspec", "list", "--json"], env=env).stdout
    specs = json.loads(out)["kernelspecs"]
    assert "golit" in specs, out
    golit = specs["golit"]
    resources = Path(golit["resource_dir"])
    assert resources.resolve() == (venv / "share" / "jupyter" / "kernels" / "golit").resolve()
    spec = golit["spec"]
    assert spec["display_name"] == "Go (golit)"
    assert spec["language"] == "go"
    # A command name found on PATH (the wheel's bin/), not a build machine's path.
    assert spec["argv"] == ["golit", "kernel", "-f", "{connection_file}"]
    assert (resources / "logo-64x64.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (resources / "logo-32x32.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert b"<svg" in (resources / "logo-svg.svg").read_bytes()


def test_version_and_python_m_golit_install(attendee):
    venv, env, base = attendee
    want = (ROOT / "VERSION").read_text().strip()
    assert run([venv / "bin" / "golit", "version"], env=env).stdout.startswith(f"golit {want} ")
    meta = run([venv / "bin" / "python", "-c", "import golit; print(golit.__version__)"], env=env).stdout.strip()
    assert meta == want
    # python -m golit install: the bundled binary's install, with its absolute path.
    prefix = base / "prefix"
    out = run([venv / "bin" / "python", "-m", "golit", "install", "--prefix", prefix], env=env).stdout
    assert "Installed the golit kernelspec" in out
    spec = json.loads((prefix / "share/jupyter/kernels/golit/kernel.json").read_text())
    assert Path(spec["argv"][0]).resolve() == (venv / "bin" / "golit").resolve()
    # --sys-prefix means this Python's environment even when it is not activated.
    env2 = {k: v for k, v in env.items() if k != "VIRTUAL_ENV"}
    run([venv / "bin" / "python", "-m", "golit", "install", "--sys-prefix", "--replace"], env=env2)
    spec = json.loads((venv / "share/jupyter/kernels/golit/kernel.json").read_text())
    assert Path(spec["argv"][0]).resolve() == (venv / "bin" / "golit").resolve()
    # Back to what the wheel installed, for the tests below.
    run([venv / "bin" / "golit", "install", "--sys-prefix", "--kernel-command", "golit"], env=env)


NBRUN = textwrap.dedent("""
    import json, sys, nbformat
    from nbclient import NotebookClient
    path, cwd = sys.argv[1], sys.argv[2]
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, kernel_name="golit", timeout=600, resources={"metadata": {"path": cwd}}).execute()
    nbformat.write(nb, path + ".out.ipynb")
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []) if o.output_type == "error"]
    print(json.dumps({"code_cells": sum(c.cell_type == "code" for c in nb.cells),
                      "with_output": sum(bool(c.get("outputs")) for c in nb.cells if c.cell_type == "code"),
                      "errors": errors}))
""")


def test_workshop_notebook_runs_without_go(attendee):
    venv, env, base = attendee
    ws = base / "work" / "golit-workshop"
    ws.parent.mkdir()
    out = run(["golit", "workshop"], env=env, cwd=ws.parent).stdout
    assert "Wrote the workshop" in out, out
    nb = ws / "03-processes.ipynb"
    assert nb.is_file() and (ws / "data" / "unicode-names.txt").is_file()
    script = base / "nbrun.py"
    script.write_text(NBRUN)
    p = run([venv / "bin" / "python", script, nb, ws], env=env, cwd=ws)
    result = json.loads(p.stdout.strip().splitlines()[-1])
    assert result["errors"] == [], result["errors"]
    assert result["code_cells"] > 5 and result["with_output"] > 3, result
    # The process pool ran: its workers answered (the notebook prints their results).
    text = (ws / "03-processes.ipynb.out.ipynb").read_text()
    assert "ProcessPool" in text or "process pool" in text.lower()


KERNELRUN = textwrap.dedent("""
    import json, sys
    from jupyter_client.manager import start_new_kernel
    km, kc = start_new_kernel(kernel_name="golit", cwd=sys.argv[1])
    results = []
    try:
        for code in json.loads(sys.argv[2]):
            if code.startswith("inspect "):
                name = code.removeprefix("inspect ")
                kc.inspect(name, len(name), detail_level=0)
                c = kc.get_shell_msg(timeout=120)["content"]
                results.append({"status": c["status"], "text": c.get("data", {}).get("text/plain", "")})
                continue
            msg_id = kc.execute(code)
            out = []
            while True:
                m = kc.get_iopub_msg(timeout=120)
                if m["parent_header"].get("msg_id") != msg_id:
                    continue
                t, c = m["msg_type"], m["content"]
                if t == "stream":
                    out.append(c["text"])
                elif t == "error":
                    out.append(c["ename"] + ": " + c["evalue"])
                elif t == "execute_result":
                    out.append(c["data"].get("text/plain", ""))
                elif t == "status" and c["execution_state"] == "idle":
                    break
            reply = kc.get_shell_msg(timeout=120)
            results.append({"status": reply["content"]["status"], "text": "".join(out)})
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(json.dumps(results))
""")


def test_go_toolchain_cells_say_go_is_missing(attendee):
    venv, env, base = attendee
    cwd = base / "cells"
    cwd.mkdir()
    cells = [
        "!go version",
        "%%writefile hello.go\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hi\") }\n",
        "!go run hello.go",
        "%%bash\ngo build -o hello hello.go\n",
        "%go get golang.org/x/text",
        "x := 40\nx + 2",
        "inspect strings.Split",
    ]
    script = base / "kernelrun.py"
    script.write_text(KERNELRUN)
    p = run([venv / "bin" / "python", script, cwd, json.dumps(cells)], env=env)
    res = json.loads(p.stdout.strip().splitlines()[-1])
    for i in (0, 2, 3):
        assert "Go is not installed" in res[i]["text"], res[i]
        assert "https://go.dev/dl/" in res[i]["text"], res[i]
    assert (cwd / "hello.go").is_file()
    assert res[3]["status"] == "error"  # %%bash fails the cell on a non-zero exit
    assert "not supported" in res[4]["text"], res[4]  # %go get explains itself
    assert res[5] == {"status": "ok", "text": "42"}, res[5]  # the kernel is fine
    # Shift-Tab on a standard-library function: the signature, and why there is no doc comment.
    assert res[6]["text"].startswith("func strings.Split: func(string, string) []string"), res[6]
    words = " ".join(res[6]["text"].split())  # the doc text is wrapped
    assert "Go is not installed" in words and "https://go.dev/dl/" in words, res[6]


WSRUN = textwrap.dedent("""
    import asyncio, json, sys, uuid
    from tornado.websocket import websocket_connect

    async def main(url):
        ws = await websocket_connect(url)
        mid, session = uuid.uuid4().hex, uuid.uuid4().hex
        header = {"msg_id": mid, "msg_type": "execute_request", "username": "attendee",
                  "session": session, "version": "5.4", "date": ""}
        await ws.write_message(json.dumps({
            "header": header, "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": "40 + 2", "silent": False, "store_history": True,
                        "user_expressions": {}, "allow_stdin": False, "stop_on_error": True}}))
        while True:
            m = json.loads(await asyncio.wait_for(ws.read_message(), 120))
            if m.get("parent_header", {}).get("msg_id") != mid:
                continue
            if m["msg_type"] == "execute_result":
                print(m["content"]["data"]["text/plain"])
                return
            if m["msg_type"] == "error":
                sys.exit(m["content"]["ename"] + ": " + m["content"]["evalue"])

    asyncio.run(main(sys.argv[1]))
""")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_workshop_lab_starts_jupyterlab(attendee):
    """`golit workshop --lab` with JupyterLab installed in the attendee's
    environment: the server answers and lists the notebooks."""
    venv, env, base = attendee
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", "jupyterlab",
         "-c", ROOT / "tests" / "constraints.txt"], env=env)
    port = free_port()
    token = "golit-wheel-test"
    work = base / "lab"
    work.mkdir()
    # Not activated: golit is called by its path, as a shortcut would.
    env2 = {k: v for k, v in env.items() if k != "VIRTUAL_ENV"}
    env2["PATH"] = os.pathsep.join(d for d in env["PATH"].split(os.pathsep) if d != str(venv / "bin"))
    proc = subprocess.Popen(
        [venv / "bin" / "golit", "workshop", "--lab", "--", "--no-browser", f"--port={port}",
         f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0"],
        cwd=work, env=env2, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 180
        listing = None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/api/contents?token={token}", timeout=5
                ) as r:
                    listing = json.load(r)
                    break
            except OSError:
                time.sleep(1)
        assert listing is not None, f"JupyterLab did not answer (exit {proc.poll()})"
        names = {c["name"] for c in listing["content"]}
        assert "01-timing-and-spinners.ipynb" in names and "data" in names, names
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/kernelspecs?token={token}", timeout=10) as r:
            specs = json.load(r)
        assert "golit" in specs["kernelspecs"], specs
        assert "logo-64x64" in specs["kernelspecs"]["golit"]["resources"]
        # A kernel starts although the venv's bin is not on the caller's PATH.
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/kernels?token={token}",
            data=json.dumps({"name": "golit"}).encode(), method="POST",
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=60) as r:
            kid = json.load(r)["id"]
        # Run a cell over the kernel's websocket, as JupyterLab does.
        script = base / "wsrun.py"
        script.write_text(WSRUN)
        p = run([venv / "bin" / "python", script,
                 f"ws://127.0.0.1:{port}/api/kernels/{kid}/channels?token={token}"], env=env, timeout=300)
        assert p.stdout.strip().splitlines()[-1] == "42", p.stdout + p.stderr
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    assert "Opening JupyterLab" in out, out
