# bench/env.sh: sourced from the repository root by bench/run.sh and
# bench/roundtrip.sh. bench/venv.sh (the venv, bin/golit and its
# kernelspec), then ipykernel's kernelspec and the no-op kernel
# (bench/nullkernel) as kernel "golit-null".
source bench/venv.sh
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
