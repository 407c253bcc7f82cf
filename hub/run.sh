#!/usr/bin/env bash
# Starts golit's classroom JupyterHub (hub/jupyterhub_config.py) from the
# virtualenv that hub/install.sh made:
#
#   bash hub/run.sh [VENV]        (default VENV: hub/.venv)
#
# Its state (database, cookie secret, in test mode the users' homes) goes to
# $GOLIT_HUB_STATE, default hub/state. The environment variables at the top
# of hub/jupyterhub_config.py choose the mode, the port and the users.
set -euo pipefail
hub=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$hub")
venv=${1:-$hub/.venv}
export GOLIT_HUB_STATE=${GOLIT_HUB_STATE:-$hub/state}
export GOLIT_BIN=${GOLIT_BIN:-$root/bin/golit}
export PATH=$venv/bin:$PATH
mkdir -p "$GOLIT_HUB_STATE"
cd "$GOLIT_HUB_STATE"
exec "$venv/bin/jupyterhub" -f "$hub/jupyterhub_config.py"
