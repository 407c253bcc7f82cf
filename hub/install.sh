#!/usr/bin/env bash
# Installs golit's classroom JupyterHub into a virtualenv:
#
#   bash hub/install.sh [VENV]     (default VENV: hub/.venv)
#
# - JupyterHub and JupyterLab from PyPI (hub/requirements.txt) into VENV,
# - configurable-http-proxy from npm into hub/node_modules (npm ci, pinned by
#   hub/package-lock.json; nothing is installed globally),
# - golit built from this checkout (Go needed) into bin/golit, and its
#   kernelspec into VENV (golit install --prefix VENV).
#
# Then start the hub with hub/run.sh (see hub/README.md).
set -euo pipefail
hub=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$hub")
venv=${1:-$hub/.venv}
command -v npm >/dev/null || { echo "hub/install.sh: npm is needed (apt-get install npm)" >&2; exit 1; }
command -v go >/dev/null || { echo "hub/install.sh: Go is needed to build golit (https://go.dev/dl/)" >&2; exit 1; }
[[ -x $venv/bin/python ]] || python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q -r "$hub/requirements.txt"
(cd "$hub" && npm ci --no-audit --no-fund --loglevel=error)
sha256sum "$hub/package-lock.json" | cut -d' ' -f1 >"$hub/node_modules/.golit-lock.sha"
(cd "$root" && mkdir -p bin && CGO_ENABLED=0 go build -trimpath -o bin/golit ./cmd/golit)
"$root/bin/golit" install --prefix "$venv"
echo "hub/install.sh: done. Start the hub with: bash hub/run.sh $venv"
