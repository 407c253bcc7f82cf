#!/usr/bin/env bash
# build-wheels.sh: golit's platform wheels, for `pip install golit` without Go.
#
#   python/build-wheels.sh                    linux x86_64 and aarch64, macOS x86_64 and arm64
#   python/build-wheels.sh linux-amd64 ...    only these platforms (GOOS-GOARCH)
#   python/build-wheels.sh windows-amd64      tried on request only: golit does not build
#                                             for Windows yet (see python/README.md)
#
# Wheels land in python/dist/ (or $GOLIT_WHEEL_OUT). Each one is built by hatchling (python/pyproject.toml
# and python/hatch_build.py) from a golit cross-compiled here with
# CGO_ENABLED=0 -trimpath, so it needs Go (see go.mod) and a Python; hatchling comes
# from PyPI through pip's build isolation, or from the environment when it is
# installed there. Set PYTHON to choose the Python (default python3).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
py=${PYTHON:-python3}
platforms=("$@")
((${#platforms[@]})) || platforms=(linux-amd64 linux-arm64 darwin-amd64 darwin-arm64)

command -v go >/dev/null 2>&1 || { echo "build-wheels.sh: needs Go on PATH (https://go.dev/dl/)" >&2; exit 1; }
build=$here/build
dist=${GOLIT_WHEEL_OUT:-$here/dist}
mkdir -p "$build" "$dist"

# The kernelspec the wheel installs: kernel.json runs the command "golit", which
# Jupyter finds on PATH (the wheel puts the binary in the environment's bin/).
# It is the same for every platform, so the host's golit writes it.
echo "kernelspec (kernel.json runs \"golit\" from PATH)"
(cd "$root" && CGO_ENABLED=0 go build -trimpath -o "$build/host/golit" ./cmd/golit)
rm -rf "$build/spec" "$build/kernelspec"
"$build/host/golit" install --prefix "$build/spec" --kernel-command golit >/dev/null
mv "$build/spec/share/jupyter/kernels/golit" "$build/kernelspec"
rm -rf "$build/spec"

isolation=()
if "$py" -c 'import hatchling' 2>/dev/null; then isolation=(--no-build-isolation); fi
for plat in "${platforms[@]}"; do
  goos=${plat%-*} goarch=${plat#*-}
  exe=golit
  [[ $goos == windows ]] && exe=golit.exe
  out=$build/$plat
  rm -rf "$out" && mkdir -p "$out"
  echo "$plat: go build"
  if ! (cd "$root" && CGO_ENABLED=0 GOOS=$goos GOARCH=$goarch go build -trimpath -ldflags='-s -w' -o "$out/$exe" ./cmd/golit); then
    echo "build-wheels.sh: golit does not build for $plat" >&2
    exit 1
  fi
  cp -r "$build/kernelspec" "$out/kernelspec"
  echo "$plat: wheel"
  GOLIT_WHEEL_PLATFORM=$plat "$py" -m pip wheel -q --no-deps "${isolation[@]}" -w "$dist" "$here"
done
ls -l "$dist"
