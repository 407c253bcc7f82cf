#!/usr/bin/env python3
"""Keeps the workshop notebooks and their jupytext sources in step.

Every notebook NN-name.ipynb in notebooks/ is paired with a jupytext
percent-format source _src/NN-name.go (the leading underscore keeps the Go
tool, which would try to compile a .go file, out of that folder). Edit either
one: JupyterLab with jupytext saves both, and an editor changes only the .go.
Run with the Python that has jupytext (the repo's .venv):

    .venv/bin/python notebooks/make.py sync    jupytext --sync on every pair (the newer file wins)
    .venv/bin/python notebooks/make.py check   exit 1 unless each .ipynb has the cells of its .go
    .venv/bin/python notebooks/make.py student [OUTDIR]   handouts without solutions (default build/student)
    .venv/bin/python notebooks/make.py teacher [OUTDIR]   the same with solutions open (default build/teacher)

check is what tests/test_notebooks.py runs: same cells, in the same order,
with the same kind, source and metadata (slide type, tags, collapsed source).

Cell tags:
  solution     an exercise's solution (and the Solutions heading): the student
               build drops it, the teacher build shows its source, the
               committed notebook keeps it collapsed.
  remove-cell  a check that the prose's claim holds in this run (it fails the
               cell when not): kept, collapsed, in every notebook build, and
               dropped from HTML and slides by nbconvert's TagRemovePreprocessor
               (notebooks/export-slides.sh).
Both builds write notebooks without outputs, without the jupytext pairing, and
copy data/, so the folder opens and runs on its own.
"""
from __future__ import annotations

import pathlib
import shutil
import sys

HERE = pathlib.Path(__file__).resolve().parent
SRC = HERE / "_src"
FORMATS = "ipynb,_src//go:percent"
ROOT = HERE.parent
SOLUTION = "solution"
REMOVE = "remove-cell"


def pairs():
    """Returns (ipynb, go) paths of the workshop notebooks, and the names missing a partner."""
    books = {p.stem: p for p in HERE.glob("[0-9][0-9]-*.ipynb")}
    sources = {p.stem: p for p in SRC.glob("[0-9][0-9]-*.go")}
    missing = [f"{n}.ipynb has no _src/{n}.go" for n in sorted(books.keys() - sources.keys())]
    missing += [f"_src/{n}.go has no {n}.ipynb" for n in sorted(sources.keys() - books.keys())]
    both = sorted(books.keys() & sources.keys())
    return [(books[n], sources[n]) for n in both], missing


def cells(nb):
    """The parts of each cell that the .go source holds."""
    return [(c.cell_type, c.source, dict(c.metadata)) for c in nb.cells]


def check() -> int:
    import jupytext
    import nbformat

    found, problems = pairs()
    if not found:
        problems.append("no notebooks found")
    for ipynb, go in found:
        nb = nbformat.read(ipynb, as_version=4)
        src = jupytext.read(go)
        rel = f"{ipynb.name} and _src/{go.name}"
        if nb.metadata.get("jupytext", {}).get("formats") != FORMATS:
            problems.append(f"{ipynb.name}: metadata.jupytext.formats is not {FORMATS!r}")
        a, b = cells(nb), cells(src)
        if len(a) != len(b):
            problems.append(f"{rel}: {len(a)} cells against {len(b)}")
            continue
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                what = "kind" if x[0] != y[0] else "source" if x[1] != y[1] else "metadata"
                problems.append(f"{rel}: cell {i} differs in its {what}")
                break
    for p in problems:
        print(f"make.py check: {p}")
    if problems:
        print("make.py check: run `.venv/bin/python notebooks/make.py sync` and commit both files")
    return 1 if problems else 0


def sync() -> int:
    from jupytext.cli import jupytext as jupytext_cli

    # A .go without its notebook makes one; a notebook paired in its metadata
    # but without its .go makes that.
    files = {p.stem: p for p in HERE.glob("[0-9][0-9]-*.ipynb")}
    files.update({p.stem: p for p in SRC.glob("[0-9][0-9]-*.go")})
    return jupytext_cli(["--sync", *[str(files[n]) for n in sorted(files)]]) or 0


def handouts(out: pathlib.Path, student: bool) -> int:
    import nbformat

    found, missing = pairs()
    if missing or not found:
        print("make.py: run `make.py check` first:", *missing)
        return 1
    out.mkdir(parents=True, exist_ok=True)
    for ipynb, _ in found:
        nb = nbformat.read(ipynb, as_version=4)
        nb.metadata.pop("jupytext", None)
        kept = []
        for cell in nb.cells:
            tags = cell.metadata.get("tags", [])
            if SOLUTION in tags:
                if student:
                    continue
                cell.metadata.get("jupyter", {}).pop("source_hidden", None)
                if not cell.metadata.get("jupyter", True):
                    del cell.metadata["jupyter"]
            kept.append(cell)
        nb.cells = kept
        nbformat.write(nb, out / ipynb.name)
        print(f"wrote {out / ipynb.name} ({len(kept)} cells)")
    if (HERE / "data").is_dir():
        shutil.copytree(HERE / "data", out / "data", dirs_exist_ok=True)
    return 0


def main(argv) -> int:
    commands = {"sync": sync, "check": check}
    builds = {"student": True, "teacher": False}
    if argv and argv[0] in builds and len(argv) <= 2:
        out = pathlib.Path(argv[1]) if len(argv) == 2 else ROOT / "build" / argv[0]
        return handouts(out, builds[argv[0]])
    if len(argv) != 1 or argv[0] not in commands:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    return commands[argv[0]]()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
