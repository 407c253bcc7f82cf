#!/usr/bin/env bash
# Benchmarks compiled cells (%%compile) beside interpreted golit and compiled
# Go. Usage: bash bench/compiled_cells.sh [--rounds N] [--quick]
# Set-up: bench/venv.sh (the venv, bin/golit and its kernelspec, venv only).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/venv.sh
python bench/compiled_cells.py "$@"
