"""The instructor's hub, for real: bench/classroom/ with three attendees.

A real JupyterHub (hub/jupyterhub_config.py in its test mode: shared
password, SimpleLocalProcessSpawner) with configurable-http-proxy from npm;
three simulated attendees log in at once, get their servers and the workshop
from `golit workshop`, and run notebooks 01 and 04 cell by cell over the
kernels' websockets. The first attendee's golit engine is killed with SIGKILL
midway: its cell must report the crash, its kernel must keep working, and
the other two must see no failure.

The full-size run (30 attendees) is a benchmark, not this test: see
BENCHMARKS.md, "Classroom".
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from helpers import repo_root

USERS = 3


@pytest.fixture(scope="module")
def classroom(tmp_path_factory):
    if not shutil.which("npm"):
        pytest.fail("npm is needed for configurable-http-proxy (apt-get install npm)")
    golit = os.path.join(repo_root(), "bin", "golit")
    out = tmp_path_factory.mktemp("classroom")
    proc = subprocess.run(
        [sys.executable, os.path.join(repo_root(), "bench", "classroom", "classroom.py"),
         "--users", str(USERS), "--think", "0.5", "--golit", golit, "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=1500)
    print(proc.stdout[-6000:])
    path = out / "results.json"
    if not path.exists():
        pytest.fail(f"bench/classroom/classroom.py wrote no results (exit {proc.returncode}):\n"
                    f"{proc.stdout[-4000:]}\nhub log:\n{_tail(out / 'hub.log')}")
    with open(path) as f:
        r = json.load(f)
    r["_exit"] = proc.returncode
    r["_hub_log"] = _tail(out / "hub.log")
    return r


def _tail(p, n=6000):
    try:
        return p.read_text(errors="replace")[-n:]
    except OSError:
        return "(none)"


def _code_cells(name):
    with open(os.path.join(repo_root(), "notebooks", name)) as f:
        return sum(c["cell_type"] == "code" for c in json.load(f)["cells"])


def _failures(r):
    return "\n".join(f"{a['name']}: {f}" for a in r["attendees"] for f in a["failures"])


@pytest.mark.timeout(1600)
def test_every_attendee_runs_the_workshop_without_failure(classroom):
    r = classroom
    assert r["failures"] == 0, _failures(r) + "\n" + r["_hub_log"]
    assert r["_exit"] == 0
    assert len(r["attendees"]) == USERS
    # Every code cell of notebooks 01 and 04 ran, each followed by a trivial one.
    code_cells = sum(_code_cells(n) for n in ("01-timing-and-spinners.ipynb", "04-futures.ipynb"))
    assert code_cells > 30
    for a in r["attendees"]:
        assert a["server_s"] is not None and a["first_output_s"] is not None, a
        assert a["notebook_cells"] == code_cells, a
        assert a["trivial_cells"] == code_cells, a
    assert r["trivial_cell_ms"]["n"] == code_cells * USERS
    # Memory was sampled from /proc for every attendee's server and kernel.
    assert r["memory_per_attendee_peak_pss_mib"]["n"] == USERS
    assert r["memory_per_attendee_peak_pss_mib"]["min"] > 20


@pytest.mark.timeout(1600)
def test_a_killed_engine_stays_with_its_attendee(classroom):
    r = classroom
    c = r["crash"]
    assert c and c["engine_pid"], r
    # The killed attendee's cell said so, and its kernel went on (a trivial
    # cell and a function declared before the crash both answered).
    assert c["status"] == "error" and c["ename"] == "EngineCrashed", c
    assert c["new_engine_pid"] and c["new_engine_pid"] != c["engine_pid"], c
    assert r["failures_victim"] == 0, _failures(r)
    # The others did not notice.
    assert r["failures_others"] == 0, _failures(r)
    assert r["crash_isolated"] is True
