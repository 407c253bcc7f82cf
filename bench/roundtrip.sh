#!/usr/bin/env bash
# Round trip of a trivial cell on golit, the no-op kernel and ipykernel,
# through jupyter_client and through a minimal pyzmq client (bench/roundtrip.py).
# Usage: bash bench/roundtrip.sh [--rounds N] [--n CELLS] [--kernels golit,golit-null,python3]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r tests/requirements.txt
fi
export VIRTUAL_ENV=$root/.venv PATH=$root/.venv/bin:$PATH
export JUPYTER_DATA_DIR=$root/.venv/share/jupyter JUPYTER_PATH=$root/.venv/share/jupyter
export JUPYTER_CONFIG_DIR=$root/.venv/etc/jupyter JUPYTER_RUNTIME_DIR=${TMPDIR:-/tmp}/golit-bench-runtime
mkdir -p bin "$JUPYTER_RUNTIME_DIR"
go build -o bin/golit ./cmd/golit
bin/golit install --prefix .venv --replace >/dev/null
null_dir=$(mktemp -d "${TMPDIR:-/tmp}/golit-bench-null.XXXXXX")
trap 'rm -rf "$null_dir"' EXIT
go build -o "$null_dir/nullkernel" ./bench/nullkernel
mkdir -p "$null_dir/kernels/golit-null"
printf '{"argv": ["%s", "-f", "{connection_file}"], "display_name": "golit protocol core, no engine", "language": "go", "interrupt_mode": "message"}\n' \
  "$null_dir/nullkernel" >"$null_dir/kernels/golit-null/kernel.json"
export JUPYTER_PATH=$null_dir:$JUPYTER_PATH
python -m ipykernel install --sys-prefix --name python3 >/dev/null
python bench/roundtrip.py "$@"
