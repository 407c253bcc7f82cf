"""The workshop notebooks: paired with their jupytext sources, run top to bottom, exported as slides.

Every notebook in notebooks/ is executed with nbclient on the golit kernel,
solutions included, with the working directory set to notebooks/ as JupyterLab
does. A cell error fails the test. Cells marked as results print lines such as
``RESULT speedup=10.51 flags=20``; the assertions below read those numbers, so
they check what the lesson claims (sequential against concurrent, GOMAXPROCS(1)
against all cores, ...), measured in this run. Each notebook runs three times (GOLIT_NOTEBOOK_RUNS), so a
claim that holds only by luck fails; cells tagged remove-cell check such claims
and fail the run when they do not hold. After the first run the executed
notebook is exported with notebooks/export-slides.sh into tests/artifacts/decks
(e2e/tests/slides.test.mjs measures those decks in Chromium) and the files are
checked: self-contained, claim checks left out, carriage returns folded.

The CPU-bound comparisons (notebooks 02 and 03) need two cores that other
programs leave free. When such a check fails, the test asks whether the machine
could have shown it: the 1-minute load average above the core count + 1, the
notebook's process getting less than 0.8 of a core while running on all cores,
or compiled Go (bench/compiled -parallel, run right then) getting less than
1.75x from all cores mean it could not, and the test is skipped with the
measurements instead of failed. Goroutines serialized by a bug in golit still
fail: compiled Go gets its speedup beside them. A check that misses on a
machine that looked able is measured once more by running the notebook again;
the second miss fails the test.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html import escape as html_escape

import nbformat
import pytest
from nbclient import NotebookClient

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from helpers import KERNEL_NAME, repo_root  # noqa: E402

ROOT = repo_root()
NB_DIR = os.path.join(ROOT, "notebooks")
NOTEBOOKS = sorted(f for f in os.listdir(NB_DIR) if re.match(r"\d\d-.*\.ipynb$", f)) if os.path.isdir(NB_DIR) else []
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
TIMES: dict[str, float] = {}


def results(nb) -> dict[str, float]:
    """Collects key=value pairs from the RESULT lines printed by the notebook."""
    found: dict[str, float] = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream":
                for line in out.get("text", "").splitlines():
                    if line.startswith("RESULT "):
                        for key, value in re.findall(r"(\w+)=(\S+)", line):
                            try:
                                found[key] = float(value)
                            except ValueError:
                                found[key] = value
    return found


def test_sources_match_notebooks():
    """Each committed .ipynb has the cells of its jupytext source notebooks/_src/NN-name.go."""
    proc = subprocess.run([sys.executable, os.path.join(NB_DIR, "make.py"), "check"],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_eight_notebooks():
    assert len(NOTEBOOKS) >= 8, NOTEBOOKS


# A line of a code cell that asks for help: golit answers it with a page
# payload, which nbclient and nbconvert drop (as for ipykernel).
HELP_LINE = re.compile(r"^\s*(\?{1,2}\s*[A-Za-z_%][\w.]*|[A-Za-z_%][\w.]*\s*\?{1,2}|%help\b.*)\s*$")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_committed_form(name):
    """No outputs, slideshow metadata on every cell, a hidden solution, the golit kernel,
    and no help lines, whose answer an executed or exported notebook would not keep.
    Solutions and claim checks (tags solution and remove-cell) are collapsed."""
    nb = nbformat.read(os.path.join(NB_DIR, name), as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == KERNEL_NAME
    hidden = 0
    for i, cell in enumerate(nb.cells):
        assert cell.metadata.get("slideshow", {}).get("slide_type") in SLIDE_TYPES, f"cell {i}"
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"cell {i} has outputs"
            asks = [line for line in cell.source.splitlines() if HELP_LINE.match(line)]
            assert not asks, f"cell {i} asks for help, which nbconvert drops: {asks}"
        hidden += bool(cell.metadata.get("jupyter", {}).get("source_hidden"))
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and ("solution" in tags or "remove-cell" in tags):
            assert cell.metadata.get("jupyter", {}).get("source_hidden"), f"cell {i} ({tags}) is not collapsed"
    assert nb.cells[0].metadata.slideshow.slide_type == "slide"
    assert hidden >= 1, "no hidden solution cell"
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "What you will learn" in text and "Exercises" in text


def test_student_and_teacher_builds(tmp_path):
    """make.py student drops the cells tagged solution; make.py teacher keeps them, open.
    Both keep the claim checks (remove-cell), collapsed, and carry data/ along."""
    for kind in ("student", "teacher"):
        proc = subprocess.run([sys.executable, os.path.join(NB_DIR, "make.py"), kind, str(tmp_path / kind)],
                              capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (tmp_path / "student" / "data" / "unicode-names.txt").is_file()
    checks = 0
    for name in NOTEBOOKS:
        nb = nbformat.read(os.path.join(NB_DIR, name), as_version=4)
        student = nbformat.read(str(tmp_path / "student" / name), as_version=4)
        teacher = nbformat.read(str(tmp_path / "teacher" / name), as_version=4)
        for built in (student, teacher):
            nbformat.validate(built)
            assert "jupytext" not in built.metadata  # a handout is not paired with a source
        is_solution = ["solution" in c.metadata.get("tags", []) for c in nb.cells]
        assert any(is_solution), f"{name} has no cell tagged solution"
        # Cell by cell, not by source: a guard cell such as steps.Need(...) may
        # open a solution section and a lesson section with the same text.
        assert [c.source for c in student.cells] == [c.source for c, sol in zip(nb.cells, is_solution) if not sol]
        assert [c.source for c in teacher.cells] == [c.source for c in nb.cells]
        for c in teacher.cells:
            if "solution" in c.metadata.get("tags", []):
                assert not c.metadata.get("jupyter", {}).get("source_hidden"), f"{name}: a solution stays collapsed"
        for c in student.cells:
            if "remove-cell" in c.metadata.get("tags", []):
                checks += 1
                assert c.metadata.jupyter.source_hidden
    assert checks >= 1, "no claim check (tag remove-cell) in any notebook"


_CONTROL_EXE: list[str] = []


def compiled_control() -> float | None:
    """The speedup compiled Go gets from all cores right now, or None without Go.

    bench/compiled -parallel runs fib(35) on 2 goroutines per core, first with
    GOMAXPROCS(1), then with all cores (about half a second in all).
    """
    if not shutil.which("go"):
        return None
    if not _CONTROL_EXE:
        exe = os.path.join(tempfile.mkdtemp(prefix="golit-control-"), "compiled")
        subprocess.run(["go", "build", "-o", exe, "./bench/compiled"], cwd=ROOT, check=True, timeout=300)
        _CONTROL_EXE.append(exe)
    out = subprocess.run([_CONTROL_EXE[0], "-parallel"], capture_output=True, text=True, check=True, timeout=120)
    return float(json.loads(out.stdout)["parallel_speedup"])


def busy_machine(r=None) -> str:
    """Explains why the machine could not show a parallel speedup, or returns ""."""
    load = os.getloadavg()[0]
    if load > (os.cpu_count() or 1) + 1:
        return f"1-minute load average {load:.1f} on {os.cpu_count()} cores"
    if r is not None and r.get("cpu_wall_all", 1.0) < 0.8:
        return f"the kernel got {r['cpu_wall_all']:.2f} of a core while running on all cores"
    if (os.cpu_count() or 1) >= 2:
        control = compiled_control()
        if control is not None and control < 1.75:
            return f"compiled Go, run right after, got only {control:.2f}x from {os.cpu_count()} cores"
    return ""


def parallel_check(ok: bool, what: str, r: dict, with_cpu: bool = False):
    """Asserts a CPU-bound speedup, or skips when the machine was too busy to show one."""
    if ok:
        return
    why = busy_machine(r if with_cpu else None)
    if why:
        pytest.skip(f"{what} not shown because the machine is busy ({why}): {r}")
    raise SpeedupMissed(f"{what}: {r}")


class SpeedupMissed(AssertionError):
    """A CPU-bound speedup below its threshold on a machine that looked quiet."""


# What each notebook must show; r is the dict of RESULT values.
def check_01(r):
    for k in ("goroutine_s", "process_s", "loop_s"):
        assert 1.8 <= r[k] <= 3.0, (k, r[k])  # the answer comes after slow()'s 2 s
    assert r["goroutine_frames"] >= 10 and r["loop_frames"] >= 10 and r["process_bytes"] > 0
    assert r["frozen_frames"] == 0  # time.Sleep inside a loop task: no spinner
    assert r["fixed_frames"] >= 10  # ToThread unfreezes it


def check_02(r):
    # A GIL of our own: no gain from goroutines (a busy machine can slow
    # the sequential run, which looks like a gain).
    parallel_check(r["speedup_p1"] < 1.25, "GOMAXPROCS(1) no faster than sequential", r, with_cpu=True)
    assert r["io_seq_s"] / r["io_p1_s"] >= 5, r  # waits overlap even at GOMAXPROCS(1)
    assert r["go_frames"] >= 1 and r["loop_frames"] == 0 and r["yield_frames"] >= 1, r
    if r["cores"] >= 2:  # no GIL: all cores help
        parallel_check(r["speedup_all"] >= 1.5, "all cores >= 1.5x faster", r, with_cpu=True)
    # The same check in a %%compile cell: far faster per division, and all cores help there too.
    if r["compiled"] == 1:
        assert r["div_interp_ns"] >= 10 * r["div_compiled_ns"], r
        if r["cores"] >= 2:
            parallel_check(r["speedup_compiled"] >= 1.5, "compiled goroutines on all cores >= 1.5x faster", r)


def check_03(r):
    assert r["overhead_process_us"] > 3 * r["overhead_goroutine_us"], r
    assert r["crash_isolated"] == "true", r
    parallel_check(r["proc2_s"] < r["proc1_s"] / 1.3, "2 worker processes >= 1.3x faster than 1", r)


def check_04(r):
    assert r["flags"] == 20 and r["seq_flags"] == 20 and r["speedup"] >= 3, r
    want = [0, 1, 2, 3, 5]
    got = [float(x) for x in str(r["loiter_units"]).split(",")]
    assert len(got) == 5 and all(abs(g - w) < 0.5 for g, w in zip(got, want)), got


def check_05(r):
    assert r["c1_total"] == 8 and r["c30_total"] == 100, r
    assert r["all_ok"] + r["all_nf"] + r["all_err"] == 676 and r["all_err"] > 0 and r["all_nf"] > 0, r
    assert r["all_s"] >= 1.5, r  # long enough for the progress bar to be seen moving
    assert r["stall_last_s"] - r["stall_first_s"] < 0.25 * r["stall_first_s"] and r["early"] >= 4, r


def check_06(r):
    assert abs(r["boys_kg"] - 40.42) < 0.01 and abs(r["girls_m"] - 1.43) < 0.01, r
    assert r["taxi_events"] >= 20 and r["sched_steps"] == 9, r
    assert 0.9 <= r["sched_s"] < 1.5, r  # the longest task (1 s), not the sum (2 s)


def check_07(r):
    assert r["countdown_s"] < 0.6 * r["countdown_sum_s"], r
    assert abs(r["countdown_s"] - r["countdown_longest_s"]) < 0.5, r
    assert r["loop_flags_s"] < 1.5 * r["pool_flags_s"] + 0.3, r  # the loop keeps up with the pool


def check_08(r):
    assert r["names"] > 5000 and r["chess_black"] > 0 and r["loop_answers"] == 3, r
    assert r["cat_hits"] > 0 and r["http_seq_s"] >= 3 * r["http_conc_s"], r


CHECKS = {f"{i:02d}": globals()[f"check_{i:02d}"] for i in range(1, 9)}


def execute(name):
    """Runs a workshop notebook top to bottom; returns it executed, and the seconds it took."""
    nb = nbformat.read(os.path.join(NB_DIR, name), as_version=4)
    client = NotebookClient(nb, kernel_name=KERNEL_NAME, timeout=180, allow_errors=True,
                            resources={"metadata": {"path": NB_DIR}})
    t0 = time.monotonic()
    client.execute()
    return nb, time.monotonic() - t0


DECKS = os.path.join(ROOT, "tests", "artifacts", "decks")
EXPORT = os.path.join(NB_DIR, "export-slides.sh")


def export(args, timeout=300):
    """Runs the documented export command with this Python (the .venv with nbconvert)."""
    env = dict(os.environ, GOLIT_EXPORT_PYTHON=sys.executable)
    proc = subprocess.run(["bash", EXPORT, *args], capture_output=True, text=True, timeout=timeout, env=env)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc


def pre_texts(html: str) -> list[str]:
    """The text outputs of an exported page."""
    return re.findall(r"""<div[^>]*jp-OutputArea-output[^>]*data-mime-type="text/plain"[^>]*>\s*<pre[^>]*>(.*?)</pre>""", html, re.S)


def export_and_check(nb, executed, tmp_path):
    """Exports the executed notebook with the documented command into tests/artifacts/decks
    (where e2e/tests/slides.test.mjs measures every slide in Chromium) and checks the files:
    self-contained, charts in, claim checks out, carriage returns folded."""
    name = executed.name
    export(["--no-execute", "-o", DECKS, str(executed)])
    for suffix in (".slides.html", ".html"):
        html = open(os.path.join(DECKS, name.replace(".ipynb", suffix)), encoding="utf-8").read()
        assert "golit-inline:" not in html and "data:text/javascript;base64," in html
        assert not re.search(r"""<(?:script|link)[^>]+(?:src|href)=["']?(?:https?:)?//""", html), "a script or style sheet from the network"
        assert 'data-mime-type="image/svg+xml"' in html  # the charts are in
        # Claim checks (tag remove-cell) stay out.
        for c in nb.cells:
            if "remove-cell" in c.metadata.get("tags", []):
                first = next(line for line in c.source.splitlines() if line.strip())
                assert html_escape(first) not in html and first not in html, f"a remove-cell cell is in {suffix}: {first}"
        # What a terminal shows: no line of output keeps the frames it overwrote.
        assert not any("\r" in t for t in pre_texts(html)), f"a carriage return in an output of {suffix}"
    deck = open(os.path.join(DECKS, name.replace(".ipynb", ".slides.html")), encoding="utf-8").read()
    assert deck.count("<section") >= 5


@pytest.mark.timeout(300)
def test_export_runs_folds_and_drops(tmp_path):
    """The export command run as instructors do: it runs a notebook on golit, saves it with a
    spinner's output folded to what a terminal shows, and with --student leaves out the
    solutions; claim checks are left out always."""
    from nbformat.v4 import new_code_cell, new_notebook

    spin = 'for i := 0; i < 20; i++ {\n\tfmt.Printf("\\r%c thinking", "|/-\\\\"[i%4])\n\ttime.Sleep(5 * time.Millisecond)\n}\nfmt.Printf("\\r%s\\rdone: 42\\n", strings.Repeat(" ", 12))'
    nb = new_notebook(cells=[
        new_code_cell(spin),
        new_code_cell("// claim check\nfmt.Println(\"CHECKED\")", metadata={"tags": ["remove-cell"]}),
        new_code_cell("// the solution\nfmt.Println(\"SOLVED\")", metadata={"tags": ["solution"]}),
    ], metadata={"kernelspec": {"name": KERNEL_NAME, "display_name": "Go", "language": "go"}})
    src = tmp_path / "spin.ipynb"
    nbformat.write(nb, str(src))
    export(["--student", "-o", str(tmp_path / "out"), str(src)])
    saved = nbformat.read(str(tmp_path / "out" / "spin.ipynb"), as_version=4)
    streams = [o for o in saved.cells[0].outputs if o.output_type == "stream"]
    assert len(streams) == 1 and streams[0].text.rstrip() == "done: 42", saved.cells[0].outputs
    assert "CHECKED" in saved.cells[1].outputs[0].text  # it ran
    for suffix in (".slides.html", ".html"):
        html = (tmp_path / "out" / f"spin{suffix}").read_text(encoding="utf-8")
        texts = "".join(pre_texts(html))
        assert "done: 42" in texts and "thinking" not in texts and "\r" not in texts, texts
        assert "CHECKED" not in html and "SOLVED" not in html and "the solution" not in html


# Each notebook runs this many times (GOLIT_NOTEBOOK_RUNS, default 3): a claim
# that holds once by luck fails in one of them. The first run also exports.
RUNS = int(os.environ.get("GOLIT_NOTEBOOK_RUNS", "3"))


@pytest.mark.timeout(420)
@pytest.mark.parametrize("name", NOTEBOOKS)
@pytest.mark.parametrize("run", range(1, RUNS + 1))
def test_notebook_runs_and_exports(run, name, tmp_path):
    nb, TIMES[name] = execute(name)
    print(f"{name} run {run}: {TIMES[name]:.1f} s")
    executed = tmp_path / name
    nbformat.write(nb, str(executed))

    errors = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {i} did not run"
        for out in cell.outputs:
            if out.output_type == "error":
                errors.append(f"cell {i}: {out.ename}: {out.evalue}")
    assert not errors, "\n".join(errors)

    r = results(nb)
    print(name, json.dumps(r))

    # Every comparison chart renders as SVG.
    svgs = sum("image/svg+xml" in out.get("data", {}) for c in nb.cells if c.cell_type == "code" for out in c.outputs)
    assert svgs >= 1

    if run == 1:
        export_and_check(nb, executed, tmp_path)

    # Last, as it may skip: what the lesson claims, measured in this run.
    try:
        CHECKS[name[:2]](r)
    except SpeedupMissed as first:
        print(f"{name}: {first}; measuring once more")
        nb, _ = execute(name)
        CHECKS[name[:2]](results(nb))
