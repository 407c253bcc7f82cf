#!/usr/bin/env bash
# The classroom load test: N attendees on golit's JupyterHub (hub/) at once.
#
#   bash bench/classroom/run.sh --users 30 --think 5     (see --help)
#
# Uses the repository's .venv (made by test.sh from tests/requirements.txt,
# or here), builds bin/golit, installs its kernelspec into the venv only and
# runs bench/classroom/classroom.py, which installs the proxy (npm ci in hub/)
# when needed. Results: bench/classroom/results/N<users>/ (or --out).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
if [[ ! -x .venv/bin/jupyterhub ]]; then
  [[ -x .venv/bin/python ]] || python3 -m venv .venv
  .venv/bin/python -m pip install -q -r tests/requirements.txt -c tests/constraints.txt
fi
export VIRTUAL_ENV=$root/.venv PATH=$root/.venv/bin:$root/bin:$PATH
mkdir -p bin
CGO_ENABLED=0 go build -trimpath -o bin/golit ./cmd/golit
bin/golit install --prefix .venv >/dev/null
exec python bench/classroom/classroom.py --golit bin/golit "$@"
