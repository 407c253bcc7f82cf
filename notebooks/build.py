#!/usr/bin/env python3
"""Builds the workshop notebooks (*.ipynb) from their readable sources in src/.

    python3 notebooks/build.py           write notebooks/NN-name.ipynb from notebooks/src/NN-name.go.txt
    python3 notebooks/build.py --check   exit 1 if a committed .ipynb differs from its source

A source file is a sequence of cells. Each cell starts with a header line

    %%% KIND SLIDE [hidden] [tag=NAME ...]

KIND is "md" (markdown) or "go" (code); SLIDE is the reveal.js slide type that
nbconvert reads: slide, subslide, fragment, skip, notes or "-" (continue the
current slide). "hidden" collapses the cell's source in JupyterLab (used for
the solutions of exercises). Everything up to the next header is the cell's
text. The notebooks are written without outputs and with stable cell ids, so
rebuilding an unchanged source gives byte-identical files.
"""
import hashlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SRC = HERE / "src"
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}


def parse(path):
    """Returns the list of cells (dicts) of one source file."""
    cells = []
    cur = None
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.startswith("%%% "):
            words = line[4:].split()
            if len(words) < 2 or words[0] not in ("md", "go") or words[1] not in SLIDE_TYPES:
                raise SystemExit(f"{path.name}:{lineno}: bad cell header: {line!r}")
            cur = {"kind": words[0], "slide": words[1], "hidden": "hidden" in words[2:],
                   "tags": [w[4:] for w in words[2:] if w.startswith("tag=")], "lines": []}
            cells.append(cur)
        elif cur is None:
            if line.strip():
                raise SystemExit(f"{path.name}:{lineno}: text before the first cell header")
        else:
            cur["lines"].append(line)
    return cells


def notebook(path):
    """Returns the nbformat 4 JSON text of the notebook built from path."""
    stem = path.name[: -len(".go.txt")]
    out = []
    for i, c in enumerate(parse(path)):
        lines = c["lines"]
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        src = [l + "\n" for l in lines]
        if src:
            src[-1] = src[-1][:-1]
        meta = {"slideshow": {"slide_type": c["slide"]}}
        if c["hidden"]:
            meta["jupyter"] = {"source_hidden": True}
        if c["tags"]:
            meta["tags"] = c["tags"]
        cid = hashlib.sha1(f"{stem}/{i}".encode()).hexdigest()[:8]
        cell = {"cell_type": "markdown" if c["kind"] == "md" else "code", "id": cid,
                "metadata": meta, "source": src}
        if c["kind"] == "go":
            cell["execution_count"] = None
            cell["outputs"] = []
        out.append(cell)
    nb = {
        "cells": out,
        "metadata": {
            "kernelspec": {"display_name": "Go (golit)", "language": "go", "name": "golit"},
            "language_info": {"name": "go", "file_extension": ".go", "mimetype": "text/x-go"},
            "rise": {"scroll": True, "theme": "simple"},
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    bad = 0
    sources = sorted(SRC.glob("*.go.txt"))
    if not sources:
        raise SystemExit("build.py: no sources in src/")
    for path in sources:
        target = HERE / (path.name[: -len(".go.txt")] + ".ipynb")
        text = notebook(path)
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                print(f"build.py: {target.name} does not match src/{path.name}; run notebooks/build.py")
                bad += 1
        elif not target.exists() or target.read_text(encoding="utf-8") != text:
            target.write_text(text, encoding="utf-8")
            print(f"wrote {target.name}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
