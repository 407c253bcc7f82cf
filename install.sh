#!/usr/bin/env bash
# install.sh: build golit and register its Jupyter kernelspec.
#
#   ./install.sh                 build bin/golit, then install the kernelspec
#                                into the active virtualenv/conda env
#                                (--sys-prefix) if there is one, else for the
#                                user (--user)
#   ./install.sh --prefix DIR    pass your own `golit install` flags (add --replace
#                                when another golit's kernelspec is there)
#   ./install.sh --lab           the workshop: build golit, create .venv with
#                                JupyterLab (pinned in requirements-lab.txt),
#                                install the kernelspec there and open
#                                JupyterLab on notebooks/
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

if [[ ${1:-} == --lab ]]; then
  shift
  if [[ ! -x .venv/bin/jupyter-lab || ! -x .venv/bin/jupytext ]]; then
    echo "Creating .venv with JupyterLab ..."
    python3 -m venv .venv
    .venv/bin/pip install -q --upgrade pip
    .venv/bin/pip install -q -r requirements-lab.txt
  fi
  bin/golit install --prefix .venv --replace
  # Only this environment's kernelspecs and settings; the notebooks open in the Go kernel.
  export JUPYTER_PATH=$PWD/.venv/share/jupyter
  extra=()
  ((EUID == 0)) && extra+=(--allow-root) # a container or a classroom VM often runs as root
  exec .venv/bin/jupyter lab --notebook-dir=notebooks "${extra[@]}" "$@"
fi

if (($#)); then
  flags=("$@")
elif [[ -n ${VIRTUAL_ENV:-} || -n ${CONDA_PREFIX:-} ]]; then
  flags=(--sys-prefix)
else
  flags=(--user)
fi
bin/golit install "${flags[@]}"
echo "Done. Start JupyterLab and pick \"Go (golit)\", or run: jupyter console --kernel golit"
