"""What an attendee does to the workshop notebooks, through a real kernel.

test_notebooks.py runs each notebook top to bottom. Attendees do not: they
restart the kernel and jump to a section, run a cell twice, type 0 for the
number of workers, interrupt a measurement. These tests do that with the
golit kernel and jupyter_client:

- every section (a "## " heading on a new slide, up to the next) runs in a
  fresh kernel after the notebook's setup cells. Each cell either runs, or
  stops with the steps.Need message naming the cell to run first, and that
  cell's heading exists in the notebook. Any other error fails the test;
- running a server cell again reuses (flags.Serve) or closes (notebook 08's
  listeners) the old server, and the cells that use it keep working;
- 0 or fewer workers is an error that says so, and the kernel lives on;
- an interrupted measurement leaves no value behind, even after the
  goroutines it started would have finished.
"""

from __future__ import annotations

import os
import re
import time

import nbformat
import pytest

from helpers import Kernel, repo_root

ROOT = repo_root()
NB_DIR = os.path.join(ROOT, "notebooks")
NOTEBOOKS = sorted(f for f in os.listdir(NB_DIR) if re.match(r"\d\d-.*\.ipynb$", f))
NEED = re.compile(r"this cell needs \"([^\"]+)\", which has not run since the kernel started: run (.+) first")


def sections(nb):
    """Splits a notebook into its setup cells and its sections.

    A section starts at a markdown cell on a new slide whose first line is a
    "## " heading; the setup is the code before the first section.
    Returns (setup code cells, [(heading, code cells)]).
    """
    setup, parts = [], []
    for cell in nb.cells:
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if (cell.cell_type == "markdown" and first.startswith("## ")
                and cell.metadata.get("slideshow", {}).get("slide_type") == "slide"):
            parts.append((first[3:].strip(), []))
        elif cell.cell_type == "code":
            (parts[-1][1] if parts else setup).append(cell.source)
    return setup, parts


def headings(nb) -> list[str]:
    """Every markdown heading of the notebook, without the #s and backquotes."""
    out = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    out.append(line.lstrip("#").strip().replace("`", ""))
    return out


def names_a_heading(where: str, heads: list[str]) -> bool:
    """Whether the cell named in a steps.Need message is under a heading that exists."""
    quoted = re.findall(r"“([^”]+)”", where)
    if not quoted:
        return False
    for q in quoted:
        q = q.rstrip("…").replace("`", "")
        if not any(h.startswith(q) for h in heads):
            return False
    return True


@pytest.mark.timeout(600)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_section_runs_after_a_restart(name):
    nb = nbformat.read(os.path.join(NB_DIR, name), as_version=4)
    setup, parts = sections(nb)
    heads = headings(nb)
    assert parts, "no sections found"
    complete, report = 0, []
    for heading, cells in parts:
        k = Kernel()
        try:
            for code in setup:
                k.ok(code, timeout=120)
            stopped = None
            for i, code in enumerate(cells):
                run = k.execute(code, timeout=120)
                if run.status == "ok":
                    continue
                m = NEED.search(run.text())
                assert m, f"{name}, section “{heading}”, cell {i}: fails without naming a cell to run:\n{code}\n---\n{run.text()}"
                assert names_a_heading(m.group(2), heads), f"{name}, section “{heading}”: names a cell under no heading: {m.group(2)}"
                stopped = m.group(1)
                break
        finally:
            k.close()
        report.append(f"{heading}: {'needs ' + stopped if stopped else 'ran'}")
        complete += stopped is None
    print(name, "\n  " + "\n  ".join(report))
    # Some sections must stand on their own; a notebook whose every section
    # stops at a guard would pass trivially.
    assert complete >= 1, report


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_guard_names_the_cell_that_provides_it(name):
    """steps.Need(step, where): an earlier cell calls steps.Done(step), under a heading quoted in where."""
    nb = nbformat.read(os.path.join(NB_DIR, name), as_version=4)
    section = sub = ""
    done: dict[str, tuple[int, set[str]]] = {}
    needs = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            new_slide = cell.metadata.get("slideshow", {}).get("slide_type") == "slide"
            for line in cell.source.splitlines():
                if line.startswith("#"):
                    sub = line.lstrip("#").strip().replace("`", "")
                    if new_slide and line.startswith("## "):
                        section = sub
            continue
        for step in re.findall(r'steps\.Done\("([^"]+)"\)', cell.source):
            done.setdefault(step, (i, {section, sub}))
        needs += [(i, step, where) for step, where in re.findall(r'steps\.Need\("([^"]+)", "([^"]+)"\)', cell.source)]
    for i, step, where in needs:
        assert step in done, f"cell {i} needs {step!r}, which no cell provides"
        at, heads = done[step]
        assert at < i, f"cell {i} needs {step!r}, provided only later (cell {at})"
        quoted = [q.rstrip("…").replace("`", "") for q in re.findall(r"“([^”]+)”", where)]
        assert any(h.startswith(q) for q in quoted for h in heads), \
            f"cell {i} sends the reader to {where!r} for {step!r}, but cell {at} under {heads} provides it"


def provides_and_needs(cells):
    """The steps a list of code cells marks done, and the steps it needs from elsewhere."""
    text = "\n".join(cells)
    done = set(re.findall(r'steps\.Done\("([^"]+)"\)', text))
    return done, set(re.findall(r'steps\.Need\("([^"]+)"', text)) - done


@pytest.mark.timeout(900)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_each_section_runs_after_the_sections_it_names(name):
    """Doing what the guards say works: after the sections that provide what a section needs,
    run in order in a fresh kernel, every cell of the section runs (no other hidden dependency)."""
    nb = nbformat.read(os.path.join(NB_DIR, name), as_version=4)
    setup, parts = sections(nb)
    info = [provides_and_needs(cells) for _, cells in parts]
    for target, (heading, cells) in enumerate(parts):
        if not info[target][1]:
            continue  # stands alone: test_each_section_runs_after_a_restart ran it
        want, todo = set(), list(info[target][1])
        while todo:
            step = todo.pop()
            providers = [i for i, (done, _) in enumerate(info) if step in done and i < target]
            assert providers, f"{name}, “{heading}”: nothing before it provides {step!r}"
            if providers[0] not in want:
                want.add(providers[0])
                todo += info[providers[0]][1]
        k = Kernel()
        try:
            for code in setup:
                k.ok(code, timeout=120)
            for i in sorted(want) + [target]:
                for code in parts[i][1]:
                    run = k.execute(code, timeout=120)
                    assert run.status == "ok", \
                        f"{name}, “{heading}” after {[parts[j][0] for j in sorted(want)]}: “{parts[i][0]}” fails:\n{code}\n---\n{run.text()}"
        finally:
            k.close()


def _section(nb, title):
    setup, parts = sections(nb)
    for heading, cells in parts:
        if heading.replace("`", "").startswith(title):
            return setup, cells
    raise AssertionError(f"no section {title!r}")


def test_flags_server_cell_runs_again_with_one_server():
    nb = nbformat.read(os.path.join(NB_DIR, "04-futures.ipynb"), as_version=4)
    setup, cells = _section(nb, "A flags server with latency")
    k = Kernel()
    try:
        for code in setup:
            k.ok(code)
        server_cell, download_cell = cells[0], cells[1]
        assert "flags.Serve(" in server_cell, server_cell
        k.ok(server_cell)
        first = k.ok('fmt.Println(srv.URL)').stdout.strip()
        k.ok(download_cell)
        k.ok(server_cell)  # run again: the same server, not a second one
        again = k.ok('fmt.Println(srv.URL)').stdout.strip()
        assert first == again and first.startswith("http://127.0.0.1:"), (first, again)
        # downloadOne was declared before the re-run and still holds the old value: it works.
        out = k.ok('cc, err := downloadOne("BR"); fmt.Println("\\n", cc, err)').stdout
        assert "BR <nil>" in out, out
    finally:
        k.close()


def test_tcp_and_http_server_cells_run_again_and_close_the_old_server():
    nb = nbformat.read(os.path.join(NB_DIR, "08-async-networking.ipynb"), as_version=4)
    setup, names = _section(nb, "The names")
    _, tcp = _section(nb, "A TCP server")
    _, http = _section(nb, "The HTTP version")
    k = Kernel()
    try:
        for code in setup + names:
            k.ok(code)
        listen = [c for c in tcp if "ln.Close()" in c and "net.Listen" in c]
        assert len(listen) == 1, tcp
        for code in tcp[: tcp.index(listen[0]) + 1]:
            k.ok(code)
        old = k.ok('fmt.Println(ln.Addr())').stdout.strip()
        k.ok(listen[0])
        new = k.ok('fmt.Println(ln.Addr())').stdout.strip()
        assert old != new
        probe = ('_, errOld := net.DialTimeout("tcp", "%s", time.Second)\n'
                 'fmt.Println("old:", errOld != nil)\n'
                 'counts, errNew := ask("%s", "cat face")\n'
                 'fmt.Println("new:", counts, errNew)')
        for code in tcp[tcp.index(listen[0]) + 1:]:
            k.ok(code)
        out = k.ok(probe % (old, new)).stdout
        assert "old: true" in out and re.search(r"new: \[\d+\] <nil>", out), out

        start = [c for c in http if "httpSrv.Close()" in c]
        assert len(start) == 1, http
        for code in http[: http.index(start[0]) + 1]:
            k.ok(code)
        old = k.ok('fmt.Println(base)').stdout.strip()
        k.ok(start[0])
        new = k.ok('fmt.Println(base)').stdout.strip()
        out = k.ok(f'_, errOld := http.Get("{old}/search?q=cat")\nfmt.Println("old:", errOld != nil)\n'
                   f'resp, errNew := http.Get("{new}/search?q=cat")\nfmt.Println("new:", errNew, resp.StatusCode)').stdout
        assert "old: true" in out and "new: <nil> 200" in out, out
    finally:
        k.close()


@pytest.mark.parametrize("code, says", [
    ("futures.NewThreadPool(0)", "futures.NewThreadPool(0): a pool needs at least 1 worker"),
    ("futures.NewGoroutinePool(-2)", "futures.NewGoroutinePool(-2): a pool needs at least 1 worker"),
    ("futures.NewProcessPool(0)", "futures.NewProcessPool(0): a pool needs at least 1 worker"),
    ("pool.NewGroup(context.Background(), 0)", "a limit of 0 tasks at once lets no task run"),
    ('_, err := pool.Map(context.Background(), -1, pool.Items([]int{1}), func(ctx context.Context, x any) (any, error) { return x, nil })\n'
     'if err != nil { panic(err) }', "a limit of -1 tasks at once lets no task run"),
])
def test_fewer_than_one_worker_is_an_error_that_says_so(code, says):
    k = Kernel()
    try:
        run = k.execute(code)
        assert run.status == "error" and says in run.text(), run.text()
        assert "2" in k.ok("fmt.Println(1 + 1)").stdout  # the kernel lives on
    finally:
        k.close()


def test_an_interrupted_measurement_leaves_no_value():
    nb = nbformat.read(os.path.join(NB_DIR, "08-async-networking.ipynb"), as_version=4)
    setup, names = _section(nb, "The names")
    _, http = _section(nb, "The HTTP version")
    measure = [c for c in http if "queryAll(100)" in c]
    assert len(measure) == 1, http
    k = Kernel()
    try:
        for code in setup + names + http[: http.index(measure[0])]:
            k.ok(code)
        msg_id = k.kc.execute(measure[0])
        time.sleep(1.0)  # inside the 100 queries one after another (3 s or more)
        k.send_interrupt()
        run = k.finish(msg_id, timeout=30)
        assert run.status == "error", run.text()
        time.sleep(4)  # longer than what was left of the measurement
        probe = k.execute('fmt.Println("hits:", len(httpHits), "wall:", concWall)')
        text = probe.text()
        assert probe.status == "error" and "undefined" in text or "hits: 0 wall: 0s" in text, text
    finally:
        k.close()
