#!/usr/bin/env bash
# install.sh: build golit and register its Jupyter kernelspec.
#
#   ./install.sh                 build bin/golit, then install the kernelspec
#                                into the active virtualenv/conda env
#                                (--sys-prefix) if there is one, else for the
#                                user (--user)
#   ./install.sh --prefix DIR    pass your own `golit install` flags
#
# Needs Go (see go.mod for the version); no Python, no cgo. The kernelspec
# points at the absolute path of bin/golit, so keep the checkout where it is
# (or copy bin/golit elsewhere and run `golit install` from there).
# Remove it again with: bin/golit uninstall (same flag as the install).
set -euo pipefail
cd "$(dirname "$0")"

if ! command -v go >/dev/null 2>&1; then
  echo "install.sh: Go is not on PATH; install it from https://go.dev/dl/" >&2
  exit 1
fi

mkdir -p bin
echo "Building bin/golit ..."
CGO_ENABLED=0 go build -trimpath -o bin/golit ./cmd/golit

if (($#)); then
  flags=("$@")
elif [[ -n ${VIRTUAL_ENV:-} || -n ${CONDA_PREFIX:-} ]]; then
  flags=(--sys-prefix)
else
  flags=(--user)
fi
bin/golit install "${flags[@]}"
echo "Done. Start JupyterLab and pick \"Go (golit)\", or run: jupyter console --kernel golit"
