#!/usr/bin/env bash
# Round trip of a trivial cell on golit, the no-op kernel and ipykernel,
# through jupyter_client and through a minimal pyzmq client (bench/roundtrip.py).
# Usage: bash bench/roundtrip.sh [--rounds N] [--n CELLS] [--kernels golit,golit-null,python3] [--paired]
# (--paired: all kernels at once, cells alternating between them: see roundtrip.py)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/env.sh
python bench/roundtrip.py "$@"
