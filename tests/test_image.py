"""The container image (Dockerfile): built, and a golit kernel started in it.

Needs a Docker daemon and the base images' registries; where there is none
(as on golit's CI machine, which reaches only PyPI, npm, Debian and the Go
module proxy), the test skips and says so.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from helpers import repo_root

TAG = "golit-test-image:latest"

# Run inside the image: the kernelspec Jupyter finds there, a kernel started
# from it by jupyter_client, one cell, and the workshop in the home folder.
INSIDE = r"""
import os, sys
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import start_new_kernel
spec = KernelSpecManager().get_kernel_spec("golit")
print("kernelspec", spec.argv[0], spec.display_name)
km, kc = start_new_kernel(kernel_name="golit")
out = []
reply = kc.execute_interactive('fmt.Println("hello from", runtime.Version())', timeout=120,
                               output_hook=lambda m: out.append(m["content"].get("text", "")))
print("status", reply["content"]["status"], "output", "".join(out).strip())
kc.stop_channels(); km.shutdown_kernel(now=True)
nbs = sorted(n for n in os.listdir(os.path.expanduser("~/golit-workshop")) if n.endswith(".ipynb"))
print("workshop", len(nbs), nbs[0] if nbs else "")
"""


def docker_unavailable():
    if not shutil.which("docker"):
        return "no docker command on this machine"
    r = subprocess.run(["docker", "info"], capture_output=True, text=True)
    if r.returncode != 0:
        return "no Docker daemon reachable (`docker info`: " + (r.stderr.strip().splitlines() or ["?"])[-1] + ")"
    return None


@pytest.mark.timeout(3600)
def test_image_builds_and_runs_a_golit_kernel():
    why = docker_unavailable()
    if why:
        pytest.skip(f"the Dockerfile was not built: {why}")
    build = subprocess.run(["docker", "build", "-t", TAG, repo_root()], capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    try:
        run = subprocess.run(["docker", "run", "--rm", TAG, "python", "-c", INSIDE],
                             capture_output=True, text=True, timeout=600)
        assert run.returncode == 0, run.stdout + run.stderr
        lines = dict(l.split(" ", 1) for l in run.stdout.splitlines() if " " in l)
        assert lines["kernelspec"].startswith("/usr/local/bin/golit"), run.stdout
        assert lines["status"].startswith("ok output hello from go"), run.stdout
        assert lines["workshop"].startswith("8 01-"), run.stdout
    finally:
        subprocess.run(["docker", "rmi", "-f", TAG], capture_output=True)

