#!/usr/bin/env bash
# Benchmarks golit side by side with ipykernel. Usage: bash bench/run.sh [--quick] [--rounds N]
# Uses the repo's .venv (made by test.sh from tests/requirements.txt, or here),
# builds golit into bin/ and installs both kernelspecs into the venv only.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r tests/requirements.txt
fi
export VIRTUAL_ENV=$root/.venv PATH=$root/.venv/bin:$PATH
# Only the venv's kernelspecs are used; nothing in the user's own Jupyter dirs.
export JUPYTER_DATA_DIR=$root/.venv/share/jupyter JUPYTER_PATH=$root/.venv/share/jupyter
export JUPYTER_CONFIG_DIR=$root/.venv/etc/jupyter JUPYTER_RUNTIME_DIR=${TMPDIR:-/tmp}/golit-bench-runtime
mkdir -p bin "$JUPYTER_RUNTIME_DIR"
go build -o bin/golit ./cmd/golit
bin/golit install --prefix .venv >/dev/null
python -m ipykernel install --sys-prefix --name python3 >/dev/null
exec python bench/harness.py "$@"
