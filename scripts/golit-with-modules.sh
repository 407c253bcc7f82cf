#!/usr/bin/env bash
# Builds a golit with third-party packages compiled in, for packages that
# are too slow or too unusual to interpret, and installs it as a kernelspec
# of its own ("golit-NAME", shown as "Go (golit + NAME)").
#
#   bash scripts/golit-with-modules.sh [--prefix DIR] NAME PKG[@VERSION]...
#
# e.g. bash scripts/golit-with-modules.sh humanize github.com/dustin/go-humanize@v1.0.1
#
# A module golit itself depends on (golang.org/x/sync, ...) is compiled in at
# the version golit uses or later: pinning it lower would downgrade golit.
#
# It works on a copy of this source tree (the repository is not changed):
# go get adds the packages' modules to the copy's go.mod, gensyms writes
# their symbol tables into interp/symbols (yaegi extract, as for golit's
# helper packages), go build makes bin/golit-NAME in this repository, and
# golit install puts its kernelspec into the user's Jupyter directory (or
# DIR/share/jupyter/kernels with --prefix). Cells of that kernel import the
# packages compiled; other modules are still interpreted.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
prefix_args=(--user)
if [[ ${1:-} == --prefix ]]; then
  prefix_args=(--prefix "$2")
  shift 2
fi
if [[ $# -lt 2 ]]; then
  echo "usage: bash scripts/golit-with-modules.sh [--prefix DIR] NAME PKG[@VERSION]..." >&2
  exit 2
fi
name=$1
shift
if ! [[ $name =~ ^[a-z0-9][a-z0-9_-]*$ ]]; then
  echo "golit-with-modules: NAME must be lower-case letters, digits, - or _" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/golit-with-modules.XXXXXX")
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
tar --exclude=./.venv --exclude=./bin --exclude=./node_modules --exclude=./e2e/node_modules \
  --exclude=./.git -cf - . | tar -xf - -C "$work"
pkgs=()
for arg in "$@"; do
  pkgs+=("${arg%@*}")
done
(
  cd "$work"
  GOFLAGS=-mod=mod go get "$@"
  GOFLAGS=-mod=mod go run ./interp/internal/gensyms -kind modules -pkgs "$(IFS=,; echo "${pkgs[*]}")" -out interp/symbols
  GOFLAGS=-mod=mod go build -o "$root/bin/golit-$name" ./cmd/golit
)
# Install the kernelspec as golit-NAME: golit install writes .../kernels/golit,
# in a scratch prefix first, then moved to its own name.
spec=$(mktemp -d "${TMPDIR:-/tmp}/golit-spec.XXXXXX")
"$root/bin/golit-$name" install --prefix "$spec" >/dev/null
python3 - "$spec/share/jupyter/kernels/golit/kernel.json" "$name" <<'PY'
import json, sys
path, name = sys.argv[1], sys.argv[2]
spec = json.load(open(path))
spec["display_name"] = f"Go (golit + {name})"
json.dump(spec, open(path, "w"), indent=1)
PY
if [[ ${prefix_args[0]} == --prefix ]]; then
  dest=${prefix_args[1]}/share/jupyter/kernels
else
  dest=$(jupyter --data-dir 2>/dev/null || echo "$HOME/.local/share/jupyter")/kernels
fi
mkdir -p "$dest"
rm -rf "$dest/golit-$name"
mv "$spec/share/jupyter/kernels/golit" "$dest/golit-$name"
rm -rf "$spec"
echo "installed kernelspec golit-$name in $dest (binary bin/golit-$name) with: ${pkgs[*]}"
