#!/usr/bin/env bash
# Times importing golang.org/x/sync/errgroup in golit cells (cold module
# cache, warm cache, again in a session, after %reset). Needs the Go module
# proxy. Usage: bash bench/modules.sh [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
python bench/modules.py "$@"
