#!/usr/bin/env bash
# Runs every workshop notebook and exports it, with its outputs, as a reveal.js
# deck that works offline.
#
#   bash notebooks/export-slides.sh [OUTDIR]     (OUTDIR defaults to slides/ at the repo root)
#
# Each notebook is executed on the golit kernel into a temporary copy (the
# committed notebooks stay without outputs), then exported with
# e2e/export-slides.sh, the documented single-deck command, which points the
# deck at the local reveal.js, require.js and jQuery in e2e/node_modules.
# Needs the repo's .venv with the golit kernelspec (bash test.sh makes both).
set -euo pipefail
NB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$NB_DIR/.." && pwd)
OUT=${1:-$ROOT/slides}
VENV=${GOLIT_E2E_VENV:-$ROOT/.venv}
export JUPYTER_PATH=${JUPYTER_PATH:-$VENV/share/jupyter}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/golit-slides.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
for nb in "$NB_DIR"/[0-9][0-9]-*.ipynb; do
	name=$(basename "$nb")
	echo "running $name"
	(cd "$NB_DIR" && "$VENV/bin/jupyter-nbconvert" --to notebook --execute \
		--ExecutePreprocessor.kernel_name=golit --ExecutePreprocessor.timeout=300 \
		--output-dir "$tmp" "$name")
	bash "$ROOT/e2e/export-slides.sh" "$tmp/$name" "$OUT"
done
echo "decks in $OUT"
