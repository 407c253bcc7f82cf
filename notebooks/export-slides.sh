#!/usr/bin/env bash
# Exports the workshop notebooks to reveal.js decks and HTML pages that work offline.
#
#   bash notebooks/export-slides.sh [-o OUTDIR] [--student] [--no-execute] [NOTEBOOK.ipynb ...]
#
# Without notebooks it runs the eight workshop notebooks on the golit kernel and
# writes, for each, into OUTDIR (default: slides/ at the repo root, ignored by git):
#   NN-name.slides.html  the deck, one self-contained file (reveal.js, fonts and the
#                        rest inside: it works moved, e-mailed and with the network off)
#   NN-name.html         the plain HTML page, self-contained as well
#   NN-name.ipynb        the executed notebook, outputs folded as a terminal shows them
# --student leaves the solutions out; --no-execute exports notebooks as they are
# (with the outputs they were saved with). Claim checks (cells tagged remove-cell)
# are never exported.
#
# --prepare only installs the JavaScript packages. The first run installs reveal.js, require.js, jQuery, MathJax and Mermaid from
# npm into notebooks/export/node_modules (the versions pinned in
# notebooks/export/package-lock.json). Python: the repo's .venv (./test.sh or
# ./install.sh --lab make it), or GOLIT_EXPORT_PYTHON.
set -euo pipefail
NB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$NB_DIR/.." && pwd)
EXPORT=$NB_DIR/export

stamp=$EXPORT/node_modules/.golit-lock.sha
want=$(sha256sum "$EXPORT/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	echo "installing the deck's JavaScript packages (npm ci in notebooks/export)" >&2
	(cd "$EXPORT" && npm ci --no-audit --no-fund --loglevel=error >&2)
	echo "$want" >"$stamp"
fi
if [ "${1:-}" = --prepare ]; then exit 0; fi

PY=${GOLIT_EXPORT_PYTHON:-$ROOT/.venv/bin/python}
if [ ! -x "$PY" ]; then
	echo "export-slides: no $PY; run ./install.sh --lab or ./test.sh first (or set GOLIT_EXPORT_PYTHON)" >&2
	exit 1
fi
# The golit kernelspec installed into the venv.
export JUPYTER_PATH=${JUPYTER_PATH:-$(dirname "$(dirname "$PY")")/share/jupyter}
exec "$PY" "$EXPORT/export.py" "$@"
