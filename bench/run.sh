#!/usr/bin/env bash
# Benchmarks golit side by side with ipykernel. Usage: bash bench/run.sh [--quick] [--rounds N]
# Uses the repo's .venv (made by test.sh from tests/requirements.txt, or here),
# builds golit into bin/ and installs both kernelspecs into the venv only.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/env.sh
python bench/harness.py "$@"
