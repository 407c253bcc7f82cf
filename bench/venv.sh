# bench/venv.sh: sourced from the repository root by the bench scripts.
# Uses the repo's .venv (made by test.sh from tests/requirements.txt, or
# here), builds bin/golit and installs its kernelspec into the venv only;
# only the venv's kernelspecs are used, nothing in the user's Jupyter dirs.
root=$PWD
if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv
  .venv/bin/pip install -q -r tests/requirements.txt
fi
export VIRTUAL_ENV=$root/.venv PATH=$root/.venv/bin:$PATH
export JUPYTER_DATA_DIR=$root/.venv/share/jupyter JUPYTER_PATH=$root/.venv/share/jupyter
export JUPYTER_CONFIG_DIR=$root/.venv/etc/jupyter JUPYTER_RUNTIME_DIR=${TMPDIR:-/tmp}/golit-bench-runtime
mkdir -p bin "$JUPYTER_RUNTIME_DIR"
go build -o bin/golit ./cmd/golit
bin/golit install --prefix .venv --replace >/dev/null
