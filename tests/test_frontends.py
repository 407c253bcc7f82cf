"""Real frontends drive golit: jupyter console (in a pseudo-terminal), and
nbconvert/nbclient executing a notebook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import nbformat
import pexpect
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import repo_root

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")


def jupyter() -> str:
    exe = os.path.join(os.path.dirname(sys.executable), "jupyter")
    return exe if os.path.exists(exe) else shutil.which("jupyter")


# ---- jupyter console ---------------------------------------------------------------


@pytest.fixture
def console():
    child = pexpect.spawn(
        jupyter(),
        ["console", "--kernel", "golit", "--simple-prompt",
         "--no-confirm-exit"],
        encoding="utf-8", timeout=30, dimensions=(50, 200), env=dict(os.environ, TERM="dumb"),
    )
    log = []
    child.logfile_read = _Tee(log)
    try:
        yield child
    finally:
        if child.isalive():
            child.sendeof()  # Ctrl-D at the prompt: the console shuts the kernel down
            try:
                child.expect(pexpect.EOF, timeout=15)
            except pexpect.TIMEOUT:
                child.terminate(force=True)  # a failed test left it mid-cell
        child.close()
        print("".join(log))  # shown by pytest when the test fails


class _Tee:
    def __init__(self, sink):
        self.sink = sink

    def write(self, s):
        self.sink.append(s)

    def flush(self):
        pass


def test_console_runs_cells(console):
    c = console
    c.expect(r"In \[1\]: ")
    c.sendline('fmt.Println("hello from console")')
    # The output line, not the echo of the typed line.
    c.expect(r"[\r\n]hello from console[\r\n]")
    c.expect(r"In \[2\]: ")
    c.sendline("6 * 7")
    c.expect(r"Out\[2\]: 42")
    c.expect(r"In \[3\]: ")
    # --simple-prompt reads one line per cell (multi-line input and so
    # is_complete need prompt_toolkit's full terminal UI; tests/test_protocol.py
    # checks is_complete itself).
    c.sendline("func add(a, b int) int { return a + b }")
    c.expect(r"In \[4\]: ")
    c.sendline("add(2, 3)")
    c.expect(r"Out\[4\]: 5")
    c.expect(r"In \[5\]: ")
    c.sendline('panic("console boom")')
    c.expect("console boom")
    c.expect(r"In \[6\]: ")
    c.sendline("add(20, 22)")
    c.expect(r"Out\[6\]: 42")


def test_console_shows_help(console):
    """Help is a page payload; jupyter console prints it through its pager
    (which, on a dumb terminal or for a short text, prints it in place)."""
    c = console
    c.expect(r"In \[1\]: ")
    c.sendline("?strings.Split")
    c.expect(r"func Split\(s, sep string\) \[\]string\s+Split slices s into all substrings separated by sep")
    c.expect(r"In \[2\]: ")
    c.sendline("nosuchname?")
    c.expect(r"Object `nosuchname` not found\.")
    c.expect(r"In \[3\]: ")
    c.sendline("6 * 7")
    c.expect(r"Out\[3\]: 42")


def test_console_stdin(console):
    c = console
    c.expect(r"In \[1\]: ")
    c.sendline('fmt.Print("name? "); var name string; fmt.Scanln(&name); fmt.Println("hi", name)')
    # The printed prompt (not the echo of the typed code, which has a quote
    # before it), then the console forwards the kernel's input_request.
    c.expect(r'(?<!")name\? ')
    # Type as a person would, once the console waits for the line: text
    # typed before it handles the input_request is not taken as the answer.
    time.sleep(1.0)
    c.sendline("gopher")
    c.expect(r"[\r\n]hi gopher[\r\n]")
    c.expect(r"In \[2\]: ")


# ---- nbconvert and nbclient ---------------------------------------------------------


def test_nbconvert_execute_notebook(tmp_path):
    src = os.path.join(DATA, "hello.ipynb")
    out = subprocess.run(
        [jupyter(), "nbconvert", "--to", "notebook", "--execute", src,
         "--output-dir", str(tmp_path), "--output", "executed",
         "--ExecutePreprocessor.timeout=60"],
        capture_output=True, text=True, timeout=180, cwd=repo_root(),
    )
    assert out.returncode == 0, out.stderr
    nb = nbformat.read(str(tmp_path / "executed.ipynb"), as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == [1, 2, 3, 4]
    assert code[0].outputs == []
    assert [o.output_type for o in code[1].outputs] == ["stream"]
    assert code[1].outputs[0].name == "stdout"
    assert code[1].outputs[0].text == "hello, notebook\n"
    assert [o.output_type for o in code[2].outputs] == ["execute_result"]
    assert code[2].outputs[0].data["text/plain"] == "4"
    assert code[2].outputs[0].execution_count == 3
    assert [o.output_type for o in code[3].outputs] == ["display_data"]
    assert code[3].outputs[0].data["text/html"] == "<b>bold</b>"
    assert nb.metadata["language_info"]["name"] == "go"
    assert nb.metadata["language_info"]["file_extension"] == ".go"


def test_nbconvert_reports_failing_cell(tmp_path):
    nb = new_notebook(metadata={"kernelspec": {"name": "golit", "display_name": "Go (golit)",
                                               "language": "go"}})
    nb.cells = [new_code_cell("x := 1"), new_code_cell('panic("notebook boom")'),
                new_code_cell("x + 1")]
    path = tmp_path / "fails.ipynb"
    nbformat.write(nb, str(path))
    out = subprocess.run(
        [jupyter(), "nbconvert", "--to", "notebook", "--execute", str(path),
         "--output", "fails-out"],
        capture_output=True, text=True, timeout=180,
    )
    assert out.returncode != 0
    assert "notebook boom" in out.stderr
    # --allow-errors keeps going and records the error as an output.
    out = subprocess.run(
        [jupyter(), "nbconvert", "--to", "notebook", "--execute", "--allow-errors", str(path),
         "--output", "fails-out"],
        capture_output=True, text=True, timeout=180,
    )
    assert out.returncode == 0, out.stderr
    done = nbformat.read(str(tmp_path / "fails-out.ipynb"), as_version=4)
    err = done.cells[1].outputs[0]
    assert err.output_type == "error" and "notebook boom" in err.evalue
    assert done.cells[2].outputs[0].data["text/plain"] == "2"


def test_nbclient_streams_and_state(tmp_path):
    from nbclient import NotebookClient

    nb = new_notebook(metadata={"kernelspec": {"name": "golit", "display_name": "Go (golit)",
                                               "language": "go"}})
    nb.cells = [
        new_code_cell("type P struct{ X, Y int }\nps := []P{{1, 2}, {3, 4}}"),
        new_code_cell("for _, p := range ps {\n\tfmt.Println(p.X + p.Y)\n}"),
        new_code_cell('fmt.Fprintln(os.Stderr, "warn")\nlen(ps)'),
    ]
    NotebookClient(nb, timeout=60, kernel_name="golit", resources={"metadata": {"path": str(tmp_path)}}).execute()
    assert nb.cells[1].outputs[0].text == "3\n7\n"
    kinds = [(o.output_type, o.get("name")) for o in nb.cells[2].outputs]
    assert ("stream", "stderr") in kinds and ("execute_result", None) in kinds
