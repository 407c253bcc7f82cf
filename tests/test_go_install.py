"""The Go programmer's path: `go install .../cmd/golit@latest && golit install`.

`go install` builds golit module-aware and leaves one binary in GOBIN; nothing
of the module's source is on the machine afterwards (only the module cache).
This test does the same from the checkout (`go install -trimpath ./cmd/golit`
is the same module-aware build), copies the binary into an empty folder
outside the checkout, and checks that it needs nothing else: `golit install
--prefix` writes the kernelspec with its logos, a kernel started from that
kernelspec by jupyter_client runs cells and imports golit's helper packages,
and `golit workshop` writes the notebooks, all with the checkout out of reach
of the working directory and of GOPATH/GOFLAGS.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from helpers import repo_root

ROOT = Path(repo_root())

pytestmark = pytest.mark.timeout(900)


def test_go_installed_binary_needs_no_other_files(tmp_path):
    gobin = tmp_path / "gobin"
    env = dict(os.environ, GOBIN=str(gobin), CGO_ENABLED="0", GOFLAGS="-trimpath")
    subprocess.run(["go", "install", "./cmd/golit"], cwd=ROOT, env=env, check=True, timeout=800)
    exe = "golit.exe" if os.name == "nt" else "golit"

    # Alone in an empty folder outside the checkout.
    alone = tmp_path / "elsewhere" / "bin"
    alone.mkdir(parents=True)
    shutil.copy2(gobin / exe, alone / exe)
    golit = alone / exe
    data = golit.read_bytes()
    assert str(ROOT).encode() not in data, "the binary names the checkout's path (build without -trimpath?)"

    home = tmp_path / "home"
    home.mkdir()
    run_env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "GO"))}
    run_env.update(HOME=str(home), JUPYTER_PLATFORM_DIRS="1",
                   JUPYTER_DATA_DIR=str(home / "jupyter-data"), JUPYTER_CONFIG_DIR=str(home / "jupyter-config"))
    work = tmp_path / "work"
    work.mkdir()

    prefix = tmp_path / "prefix"
    out = subprocess.run([golit, "install", "--prefix", prefix], cwd=work, env=run_env,
                         capture_output=True, text=True, check=True).stdout
    assert "Installed the golit kernelspec" in out
    spec_dir = prefix / "share" / "jupyter" / "kernels" / "golit"
    spec = json.loads((spec_dir / "kernel.json").read_text())
    assert spec["argv"][0] == str(golit)
    assert (spec_dir / "logo-64x64.png").read_bytes()[:4] == b"\x89PNG"

    out = subprocess.run([golit, "workshop", "ws"], cwd=work, env=run_env,
                         capture_output=True, text=True, check=True).stdout
    assert len(list((work / "ws").glob("*.ipynb"))) == 8, out

    # A kernel from that kernelspec, found through JUPYTER_PATH alone.
    run_env["JUPYTER_PATH"] = str(prefix / "share" / "jupyter")
    script = textwrap.dedent("""
        import json, sys
        from jupyter_client.manager import start_new_kernel
        km, kc = start_new_kernel(kernel_name="golit", cwd=sys.argv[1])
        try:
            reply = kc.execute_interactive(
                'import "golit/timing"\\nsw := timing.Start()\\n_ = sw\\nfmt.Println("sum", 40+2)',
                timeout=120, output_hook=lambda m: m["msg_type"] == "stream" and print(m["content"]["text"], end=""))
            print("STATUS", reply["content"]["status"])
            print("KERNEL", km.kernel_spec.argv[0])
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    """)
    p = subprocess.run([sys.executable, "-c", script, str(work)], cwd=work, env=run_env,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "sum 42" in p.stdout and "STATUS ok" in p.stdout, p.stdout + p.stderr
    assert f"KERNEL {golit}" in p.stdout
