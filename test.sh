#!/usr/bin/env bash
# test.sh: golit's one test command (the README's, and what .ci/run calls).
#
#   bash test.sh                 every stage, in order
#   bash test.sh pytest          only the named stages (setup and build run first when needed)
#   bash test.sh pytest -- -k stdin    extra arguments after -- go to pytest
#
# Stages: gofmt vet gotest fuzz pytest e2e bench. Before them, "setup" makes
# the repo-local virtualenv .venv from tests/requirements.txt and
# tests/constraints.txt (reused while those files and python3 are unchanged),
# and "build" builds bin/golit and installs its kernelspec into .venv only.
# setup (pip) and the e2e stage's installs (Chromium, npm) start in the
# background at once and run while the Go stages do; the Python stages wait
# for them.
#
# Jupyter is isolated: JUPYTER_DATA_DIR, JUPYTER_PATH, JUPYTER_CONFIG_DIR,
# JUPYTER_RUNTIME_DIR and IPYTHONDIR point into .venv and a temporary
# directory, so the user's own Jupyter files are neither read nor written.
#
# Environment knobs: GOLIT_FUZZTIME (default 10s per fuzz target),
# GOLIT_FUZZ_PKGS (packages whose Fuzz targets are fuzzed, default ./kernel/...;
# "./..." for all: every package's seed corpus runs in the gotest stage anyway),
# GOLIT_PYTEST_TIMEOUT (default 180 s per test), GOLIT_SKIP="e2e bench"
# (stages to skip).
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD

all_stages=(gofmt vet gotest fuzz pytest e2e bench)
stages=()
pytest_args=()
while (($#)); do
  case $1 in
    --) shift; pytest_args=("$@"); break ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) stages+=("$1"); shift ;;
  esac
done
((${#stages[@]})) || stages=("${all_stages[@]}")
for s in "${stages[@]}"; do
  case " ${all_stages[*]} " in *" $s "*) ;; *) echo "test.sh: unknown stage '$s' (stages: ${all_stages[*]})" >&2; exit 2 ;; esac
done

# Nothing here reads a terminal (CI has no stdin).
exec </dev/null

export CI=${CI:-}
export GOFLAGS=${GOFLAGS:-}
export PYTHONDONTWRITEBYTECODE=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golit-test.XXXXXX")
cleanup() {
  local p
  for p in "${bg_pid[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
declare -A bg_pid=()
trap cleanup EXIT

# ---- bookkeeping ---------------------------------------------------------------
declare -a sum_name=() sum_status=() sum_secs=() sum_note=()
failed=0
now() { date +%s.%N; }
record() { # name status secs note
  sum_name+=("$1"); sum_status+=("$2"); sum_secs+=("$3"); sum_note+=("$4")
  [[ $2 == FAIL ]] && failed=$((failed + 1))
  return 0
}
banner() { printf '\n==== %s ====\n' "$*"; }
# run_stage NAME NOTE CMD...: runs CMD, records pass/fail and its duration.
run_stage() {
  local name=$1 note=$2; shift 2
  banner "$name"
  local t0 rc=0
  t0=$(now)
  "$@" || rc=$?
  local secs
  secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')
  if ((rc == 0)); then record "$name" PASS "$secs" "$note"
  else record "$name" FAIL "$secs" "$note (exit $rc)"; fi
  printf '==== %s: %s in %ss\n' "$name" "$([[ $rc == 0 ]] && echo PASS || echo FAIL)" "$secs"
}
skip_stage() { banner "$1"; echo "SKIP $1: $2"; record "$1" SKIP 0 "$2"; }
wanted() { local s; for s in "${stages[@]}"; do [[ $s == "$1" ]] && return 0; done; return 1; }
skipped_by_env() { [[ " ${GOLIT_SKIP:-} " == *" $1 "* ]]; }
print_summary() {
  banner "summary"
  local i passed=0 skipped=0
  for i in "${!sum_name[@]}"; do
    printf '  %-8s %-5s %7ss  %s\n' "${sum_name[$i]}" "${sum_status[$i]}" "${sum_secs[$i]}" "${sum_note[$i]}"
    [[ ${sum_status[$i]} == PASS ]] && passed=$((passed + 1))
    [[ ${sum_status[$i]} == SKIP ]] && skipped=$((skipped + 1))
  done
  printf '  total    %7ss\n' "$(awk -v a="$t_start" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}')"
  echo "stages: $passed passed, $failed failed, $skipped skipped"
}
t_start=$(now)

# ---- setup: the virtualenv -----------------------------------------------------
setup_venv() {
  local py=${PYTHON:-python3}
  local want have=""
  want=$( { cat tests/requirements.txt tests/constraints.txt; "$py" -c 'import sys; print(sys.version)'; } | sha256sum | cut -d' ' -f1)
  [[ -f .venv/.golit-requirements.sha256 ]] && have=$(cat .venv/.golit-requirements.sha256)
  if [[ -x .venv/bin/python && $have == "$want" ]]; then
    echo ".venv is up to date (requirements hash ${want:0:12})"
    return 0
  fi
  if [[ -x .venv/bin/python ]]; then
    echo "requirements changed: updating .venv"
  else
    echo "creating .venv with $($py --version)"
    "$py" -m venv .venv
  fi
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -r tests/requirements.txt -c tests/constraints.txt
  echo "$want" >.venv/.golit-requirements.sha256
}

# Isolated Jupyter directories: only the venv's kernelspecs are seen.
export VIRTUAL_ENV=$root/.venv
export PATH=$root/.venv/bin:$root/bin:$PATH
export JUPYTER_DATA_DIR=$root/.venv/share/jupyter
export JUPYTER_PATH=$root/.venv/share/jupyter
export JUPYTER_CONFIG_DIR=$root/.venv/etc/jupyter
export JUPYTER_RUNTIME_DIR=$tmp/runtime
export IPYTHONDIR=$tmp/ipython
export JUPYTER_PLATFORM_DIRS=1
mkdir -p "$JUPYTER_RUNTIME_DIR" "$IPYTHONDIR"

build_golit() {
  mkdir -p bin
  CGO_ENABLED=0 go build -trimpath -o bin/golit ./cmd/golit  # as install.sh
  bin/golit install --prefix .venv --replace
  # The kernelspec must be the one just built, found through the venv alone.
  .venv/bin/python - <<'EOF'
import json, os, sys
from jupyter_client.kernelspec import KernelSpecManager
ksm = KernelSpecManager()
specs = ksm.find_kernel_specs()
print("kernelspecs:", ", ".join(f"{k} ({v})" for k, v in sorted(specs.items())))
if "golit" not in specs:
    sys.exit("golit kernelspec not found after golit install --prefix .venv")
spec = ksm.get_kernel_spec("golit")
want = os.path.realpath(os.path.join("bin", "golit"))
if os.path.realpath(spec.argv[0]) != want:
    sys.exit(f"golit kernelspec runs {spec.argv[0]}, expected {want}")
EOF
}

needs_venv=0 needs_build=0
for s in "${stages[@]}"; do
  case $s in pytest|e2e|bench) needs_venv=1; needs_build=1 ;; esac
done

# ---- background preparation -------------------------------------------------------
# Installing Python packages, Chromium and npm packages waits mostly on the
# network and the disk, so it runs in the background while the Go stages keep
# the cores busy; the stages that need it wait for it (the wait is what the
# summary shows for them).
bg_start() { # NAME CMD...: runs CMD in the background, output to a log
  local name=$1; shift
  ("$@") >"$tmp/$name.log" 2>&1 &
  bg_pid[$name]=$!
  echo "test.sh: $name runs in the background (pid ${bg_pid[$name]})"
}
bg_wait() { # NAME: waits for the job, shows its output, returns its status
  local rc=0
  wait "${bg_pid[$1]}" || rc=$?
  unset "bg_pid[$1]"
  cat "$tmp/$1.log"
  return $rc
}
if ((needs_venv)); then bg_start setup setup_venv; fi
if wanted e2e && ! skipped_by_env e2e && [[ -f e2e/run.sh ]]; then
  bg_start e2e-prepare bash e2e/run.sh --prepare
fi
# Python stages need the venv and the build: wait for them once, before the first.
venv_and_build() {
  if ((needs_venv)); then
    run_stage setup ".venv from tests/requirements.txt (in the background since the start)" bg_wait setup
    if [[ ${sum_status[-1]} == FAIL ]]; then print_summary; exit 1; fi
  fi
  if ((needs_build)); then
    run_stage build "bin/golit + kernelspec in .venv" build_golit
    if [[ ${sum_status[-1]} == FAIL ]]; then print_summary; exit 1; fi
  fi
  needs_venv=0 needs_build=0
}

# The e2e stage: Chromium and the npm packages (prepared in the background),
# then the browser tests.
e2e_stage() {
  if [[ -n ${bg_pid[e2e-prepare]:-} ]]; then bg_wait e2e-prepare || return 1; fi
  bash e2e/run.sh
}

# ---- Go checks --------------------------------------------------------------------
go_files() {
  # Like the go tool, skip testdata and names starting with _ (notebooks/_src holds jupytext notebooks).
  find . \( -path ./.venv -o -path ./.git -o -name node_modules -o -name testdata -o -name '_*' -o -path ./build \) -prune \
    -o -name '*.go' -print
}
check_gofmt() {
  local out
  out=$(go_files | xargs -r gofmt -l)
  if [[ -n $out ]]; then
    echo "gofmt would change these files (run gofmt -w):"
    echo "$out"
    return 1
  fi
  echo "gofmt: $(go_files | wc -l) files clean"
}
run_fuzz() {
  local fuzztime=${GOLIT_FUZZTIME:-10s} found=0 rc=0 pkg dir target
  while read -r pkg dir; do
    [[ -n $dir ]] || continue
    compgen -G "$dir/*_test.go" >/dev/null || continue
    for target in $(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go | sed 's/^func //' | sort -u); do
      found=$((found + 1))
      echo "--- fuzz $pkg $target for $fuzztime"
      go test -run '^$' -fuzz "^${target}\$" -fuzztime "$fuzztime" "$pkg" || rc=1
    done
  done < <(go list -f '{{.ImportPath}} {{.Dir}}' ${GOLIT_FUZZ_PKGS:-./kernel/...})
  if ((found == 0)); then
    echo "no Fuzz targets found in ${GOLIT_FUZZ_PKGS:-./kernel/...}"
    return 1
  fi
  return $rc
}

wanted gofmt && run_stage gofmt "gofmt -l" check_gofmt
wanted vet && run_stage vet "go vet ./..." go vet ./...
wanted gotest && run_stage gotest "go test -race ./..." go test -race -timeout 15m ./...
if wanted fuzz; then
  if skipped_by_env fuzz; then skip_stage fuzz "GOLIT_SKIP"; else
    run_stage fuzz "go test -fuzz, ${GOLIT_FUZZTIME:-10s} per target" run_fuzz
  fi
fi

# ---- Jupyter-level tests ---------------------------------------------------------
venv_and_build
if wanted pytest; then
  mkdir -p tests/artifacts
  # Without a test path among the extra arguments, the whole of tests/ runs.
  targets=(tests/)
  for a in "${pytest_args[@]}"; do [[ -e ${a%%::*} ]] && targets=(); done
  run_stage pytest "pytest tests/" .venv/bin/python -m pytest "${targets[@]}" -ra \
    --timeout="${GOLIT_PYTEST_TIMEOUT:-180}" --junitxml=tests/artifacts/pytest.xml "${pytest_args[@]}"
fi
if wanted e2e; then
  if skipped_by_env e2e; then skip_stage e2e "GOLIT_SKIP"
  elif [[ -f e2e/run.sh ]]; then
    run_stage e2e "e2e/run.sh (JupyterLab in headless Chromium)" e2e_stage
  else skip_stage e2e "e2e/run.sh does not exist yet"; fi
fi
if wanted bench; then
  if skipped_by_env bench; then skip_stage bench "GOLIT_SKIP"
  elif [[ -f bench/run.sh ]]; then run_stage bench "bench/run.sh --quick" bash bench/run.sh --quick
  else skip_stage bench "bench/run.sh does not exist yet"; fi
fi

print_summary
((failed == 0))
