# bench/env.sh: sourced from the repository root by bench/run.sh and
# bench/roundtrip.sh. Uses the repo's .venv (made by test.sh from
# tests/requirements.txt, or here), builds bin/golit, installs its
# kernelspec and ipykernel's into the venv only, and the no-op kernel
# (bench/nullkernel) as kernel "golit-null".
root=$PWD
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r tests/requirements.txt
fi
export VIRTUAL_ENV=$root/.venv PATH=$root/.venv/bin:$PATH
# Only the venv's kernelspecs are used; nothing in the user's own Jupyter dirs.
export JUPYTER_DATA_DIR=$root/.venv/share/jupyter JUPYTER_PATH=$root/.venv/share/jupyter
export JUPYTER_CONFIG_DIR=$root/.venv/etc/jupyter JUPYTER_RUNTIME_DIR=${TMPDIR:-/tmp}/golit-bench-runtime
mkdir -p bin "$JUPYTER_RUNTIME_DIR"
go build -o bin/golit ./cmd/golit
bin/golit install --prefix .venv --replace >/dev/null
# The no-op kernel (bench/nullkernel): golit's protocol core without an
# engine. Its kernelspec lives in a temporary Jupyter path for this run only,
# so it never shows up in a JupyterLab launcher.
null_dir=$(mktemp -d "${TMPDIR:-/tmp}/golit-bench-null.XXXXXX")
trap 'rm -rf "$null_dir"' EXIT
go build -o "$null_dir/nullkernel" ./bench/nullkernel
mkdir -p "$null_dir/kernels/golit-null"
printf '{"argv": ["%s", "-f", "{connection_file}"], "display_name": "golit protocol core, no engine", "language": "go", "interrupt_mode": "message"}\n' \
  "$null_dir/nullkernel" >"$null_dir/kernels/golit-null/kernel.json"
export JUPYTER_PATH=$null_dir:$JUPYTER_PATH
python -m ipykernel install --sys-prefix --name python3 >/dev/null
