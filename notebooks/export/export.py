#!/usr/bin/env python3
"""Exports workshop notebooks to reveal.js decks and HTML pages that work offline.

Run through notebooks/export-slides.sh, which installs the JavaScript packages
first (see that script and notebooks/README.md for the options).

Each notebook NN-name.ipynb gives, in OUTDIR:

    NN-name.slides.html   the deck: one file, reveal.js and every asset inside
    NN-name.html          the plain HTML page, one file as well
    NN-name.ipynb         the executed notebook (only when it was run here)

Outputs are folded as a terminal shows them: consecutive stream outputs are
merged and a line rewritten with carriage returns keeps its last state (a
spinner shows its last frame). Cells tagged remove-cell (claim checks) are
dropped, and with --student the cells tagged solution too.

The exported pages reference no URL: nbconvert is pointed at placeholder
URLs (golit-inline:PACKAGE/FILE) that are then replaced by the files of
notebooks/export/node_modules: scripts as data: URLs, style sheets inline with
their fonts as data: URLs. MathJax and Mermaid go into a page only when it has
math or a Mermaid diagram. Anything left that would load from a network makes
the export fail.
"""
from __future__ import annotations

import argparse
import base64
import mimetypes
import pathlib
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbconvert import HTMLExporter, SlidesExporter
from nbconvert.preprocessors import Preprocessor
from traitlets.config import Config

HERE = pathlib.Path(__file__).resolve().parent
NB_DIR = HERE.parent
ROOT = NB_DIR.parent
MODULES = HERE / "node_modules"
TEMPLATES = HERE / "templates"
INLINE = "golit-inline:"

# The slide size reveal.js lays out and then scales to the window: 16:9 like
# a 1280x720 projector.
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720

MATH = re.compile(r"\$\$|\$[^\s$][^$\n]*\$|\\\(|\\\[|\\begin\{")
MERMAID = re.compile(r"^```mermaid", re.M)


class FoldCarriageReturns(Preprocessor):
    """Merges consecutive stream outputs and keeps what a terminal shows of a line
    rewritten with \\r (nbconvert's CoalesceStreamsPreprocessor does the same; this
    one also runs on the notebook saved by the export)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            cell.outputs = fold_outputs(cell.outputs)
        return cell, resources


def fold_line(line: str) -> str:
    """What a terminal shows of one line written with carriage returns."""
    if "\r" not in line:
        return line
    shown: list[str] = []
    for part in line.split("\r"):
        shown[: len(part)] = part
    return "".join(shown)


def fold_text(text: str) -> str:
    """Folds every line of a stream's text; a trailing \\r (the line is still being
    written) is dropped too."""
    return "\n".join(fold_line(line) for line in text.split("\n"))


def fold_outputs(outputs):
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged and merged[-1].get("output_type") == "stream"
                and merged[-1].get("name") == out.get("name")):
            merged[-1]["text"] += out["text"]
        else:
            merged.append(out)
    for out in merged:
        if out.get("output_type") == "stream" and "\r" in out["text"]:
            out["text"] = fold_text(out["text"])
    return merged


def needs(nb, pattern: re.Pattern, mime: str) -> bool:
    """Whether a markdown cell matches pattern or an output carries mime."""
    for cell in nb.cells:
        if cell.cell_type == "markdown" and pattern.search(cell.source):
            return True
        for out in cell.get("outputs", []):
            if mime in out.get("data", {}):
                return True
    return False


def data_url(path: pathlib.Path, mime: str | None = None) -> str:
    mime = mime or mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def asset(name: str) -> pathlib.Path:
    path = (MODULES / name).resolve()
    if not path.is_file() or MODULES.resolve() not in path.parents:
        raise SystemExit(f"export: {name} is not in {MODULES}; run notebooks/export-slides.sh, which installs it")
    return path


def inline_css(path: pathlib.Path, depth: int = 0) -> str:
    """A style sheet with its @imports pulled in and its fonts and images as data: URLs.
    Of a font's sources only the WOFF ones are kept (every browser reads them)."""
    css = path.read_text(encoding="utf-8")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)

    def imp(m):
        target = m.group(1).strip("'\"")
        if re.match(r"[a-z]+:", target):
            raise SystemExit(f"export: {path.name} imports {target} from the network")
        return inline_css((path.parent / target).resolve(), depth + 1)

    css = re.sub(r"@import\s+url\(([^)]*)\)\s*;", imp, css)

    def srcs(m):
        parts = [p for p in re.split(r",(?![^(]*\))", m.group(1)) if ".woff" in p]
        return f"src: {', '.join(p.strip() for p in parts)};" if parts else ""

    css = re.sub(r"src:\s*([^;]*);", srcs, css)

    def url(m):
        target = m.group(1).strip("'\"")
        if target.startswith(("data:", "#")):
            return m.group(0)
        if re.match(r"[a-z]+:", target):
            raise SystemExit(f"export: {path.name} loads {target} from the network")
        file = (path.parent / target.split("?")[0].split("#")[0]).resolve()
        return f'url("{data_url(file)}")'

    return re.sub(r"url\(([^)]*)\)", url, css)


def inline_assets(html: str) -> str:
    """Replaces the placeholder URLs by the files they name."""

    def script(m):
        js = asset(m.group(1)).read_text(encoding="utf-8")
        js = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js)
        return '<script src="data:text/javascript;base64,' + base64.b64encode(js.encode()).decode("ascii") + '">'

    html = re.sub(r'<script[^>]*\ssrc="' + INLINE + r'([^"]+)"[^>]*>', script, html)

    def style(m):
        css = inline_css(asset(m.group(1)))
        if "</style" in css.lower():
            raise SystemExit(f"export: {m.group(1)} cannot be inlined")
        return f"<style>\n{css}\n</style>"

    html = re.sub(r'<link[^>]*\shref="' + INLINE + r'([^"]+)"[^>]*>', style, html)
    if INLINE in html:
        left = sorted(set(re.findall(INLINE + r"[^\"' )]+", html)))
        raise SystemExit(f"export: placeholders left in the page: {left}")
    remote = re.findall(r'''(?:<script[^>]+src|<link[^>]+href|<img[^>]+src|@import\s+url\(|\bimport\s*\(?)\s*=?\s*["']?((?:https?:)?//[^"')\s]+)''', html)
    if remote:
        raise SystemExit(f"export: the page would load from the network: {sorted(set(remote))[:5]}")
    return html


def exporters(student: bool):
    c = Config()
    remove = ["remove-cell"] + (["solution"] if student else [])
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_cell_tags = set(remove)
    c.TemplateExporter.extra_template_basedirs = [str(TEMPLATES)]
    c.HTMLExporter.require_js_url = INLINE + "requirejs/require.js"
    c.HTMLExporter.jquery_url = INLINE + "jquery/dist/jquery.min.js"
    c.HTMLExporter.mathjax_url = INLINE + "mathjax/es5/tex-svg-full.js"
    c.SlidesExporter.reveal_url_prefix = INLINE + "reveal.js"
    c.SlidesExporter.reveal_theme = "white"
    c.SlidesExporter.reveal_transition = "none"
    c.SlidesExporter.reveal_width = str(SLIDE_WIDTH)
    c.SlidesExporter.reveal_height = str(SLIDE_HEIGHT)
    c.SlidesExporter.reveal_number = "c/t"
    slides = SlidesExporter(config=c, template_name="golit-reveal")
    page = HTMLExporter(config=c, template_name="golit-lab")
    for e in (slides, page):
        e.register_preprocessor(FoldCarriageReturns(), enabled=True)
        # Not a configurable trait in nbconvert 7.17.
        e.mermaid_js_url = INLINE + "mermaid/dist/mermaid.min.js"
        e.mermaid_layout_elk_js_url = ""
    return slides, page


def export(path: pathlib.Path, out: pathlib.Path, execute: bool, student: bool, kernel: str | None) -> list[pathlib.Path]:
    nb = nbformat.read(path, as_version=4)
    stem = path.name[: -len(".ipynb")]
    written = []
    if execute:
        print(f"running {path.name}", flush=True)
        name = kernel or nb.metadata.get("kernelspec", {}).get("name", "golit")
        NotebookClient(nb, kernel_name=name, timeout=300, allow_errors=True,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = fold_outputs(cell.outputs)
        nbformat.write(nb, out / path.name)
        written.append(out / path.name)
    slides, page = exporters(student)
    resources = {"metadata": {"name": stem, "path": str(path.parent)},
                 "golit": {"math": needs(nb, MATH, "text/latex"), "mermaid": needs(nb, MERMAID, "text/vnd.mermaid")}}
    for exporter, suffix in ((slides, ".slides.html"), (page, ".html")):
        body, _ = exporter.from_notebook_node(nb, resources={**resources, "golit": dict(resources["golit"])})
        target = out / (stem + suffix)
        target.write_text(inline_assets(body), encoding="utf-8")
        written.append(target)
    return written


def main(argv) -> int:
    ap = argparse.ArgumentParser(prog="notebooks/export-slides.sh", description=__doc__.split("\n\n")[0])
    ap.add_argument("notebooks", nargs="*", type=pathlib.Path,
                    help="notebooks to export (default: the eight workshop notebooks)")
    ap.add_argument("-o", "--out", type=pathlib.Path, default=ROOT / "slides", help="output folder (default: slides/)")
    ap.add_argument("--no-execute", dest="execute", action="store_false",
                    help="export the notebooks as they are (with their saved outputs) instead of running them first")
    ap.add_argument("--student", action="store_true", help="leave out the solutions (cells tagged solution)")
    ap.add_argument("--kernel", help="kernel to run them on (default: the notebook's, golit)")
    args = ap.parse_args(argv)
    books = args.notebooks or sorted(NB_DIR.glob("[0-9][0-9]-*.ipynb"))
    args.out.mkdir(parents=True, exist_ok=True)
    for path in books:
        if not path.is_file():
            print(f"export: no such notebook: {path}", file=sys.stderr)
            return 1
        for w in export(path.resolve(), args.out, args.execute, args.student, args.kernel):
            print(f"wrote {w} ({w.stat().st_size // 1024} KiB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
