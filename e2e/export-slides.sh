#!/usr/bin/env bash
# Exports a notebook to a reveal.js slide deck that works offline.
#
#   bash e2e/export-slides.sh NOTEBOOK.ipynb [OUTDIR]
#
# Writes OUTDIR/NAME.slides.html (OUTDIR defaults to slides/ at the repo root,
# which git ignores). The deck loads reveal.js, require.js and jQuery from
# e2e/node_modules (the versions pinned in e2e/package-lock.json) through
# relative paths, so it needs no network; open it in a browser as a file, or
# serve the repo root over HTTP. Move the deck and the relative paths break:
# export again instead. MathJax and Mermaid still come from their CDNs: the
# slides show no formulas or diagrams offline.
#
# Environment: GOLIT_E2E_VENV (default <repo>/.venv) supplies jupyter-nbconvert;
# any other `jupyter` on PATH is used when that venv has none.
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
	sed -n '4,5p' "$0" >&2
	exit 2
fi
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$E2E_DIR/.." && pwd)
NB=$1
OUT=${2:-$ROOT/slides}
[ -f "$NB" ] || { echo "export-slides: no such notebook: $NB" >&2; exit 1; }
mkdir -p "$OUT"

# The pinned JavaScript packages.
if [ ! -f "$E2E_DIR/node_modules/reveal.js/dist/reveal.js" ] || [ ! -f "$E2E_DIR/node_modules/requirejs/require.js" ]; then
	(cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)
fi

VENV=${GOLIT_E2E_VENV:-$ROOT/.venv}
if [ -x "$VENV/bin/jupyter-nbconvert" ]; then
	NBCONVERT=("$VENV/bin/jupyter-nbconvert")
	PY=$VENV/bin/python
else
	NBCONVERT=(jupyter nbconvert)
	PY=python3
fi

# Paths from the deck's folder to the packages, with forward slashes.
rel=$("$PY" -c 'import os,sys; print(os.path.relpath(os.path.realpath(sys.argv[1]), os.path.realpath(sys.argv[2])).replace(os.sep, "/"))' "$E2E_DIR/node_modules" "$OUT")

"${NBCONVERT[@]}" --to slides "$NB" --output-dir "$OUT" \
	--reveal-prefix "$rel/reveal.js" \
	--SlidesExporter.require_js_url="$rel/requirejs/require.js" \
	--SlidesExporter.jquery_url="$rel/jquery/dist/jquery.min.js" \
	--TagRemovePreprocessor.remove_cell_tags=remove-cell
