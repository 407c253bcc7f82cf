#!/usr/bin/env bash
# End-to-end tests of golit in JupyterLab 4, driven through headless Chromium.
#
# One command: `bash e2e/run.sh` from the repository root (or from anywhere).
# `bash e2e/run.sh --prepare` only installs Chromium and the npm packages
# (test.sh runs it in the background while the Go stages run).
# It installs what it needs (Debian's chromium, the npm packages pinned in
# e2e/package-lock.json, JupyterLab in the repo's .venv, the golit kernelspec),
# starts JupyterLab on a free localhost port with a random token in isolated
# Jupyter directories, runs the browser tests with node's test runner, exports
# the workshop to reveal.js decks and checks them offline and at 1280x720, and stops
# everything it started, also on failure or Ctrl-C.
#
# Screenshots and the JupyterLab log land in e2e/artifacts/ (gitignored).
#
# Environment knobs (all optional):
#   GOLIT_E2E_VENV     virtualenv to use (default: <repo>/.venv)
#   GOLIT_E2E_KERNEL   kernelspec name under test (default: golit)
#   GOLIT_E2E_ONLY     a regular expression passed to node --test-name-pattern
#   GOLIT_E2E_KEEP     1 keeps the temporary Jupyter directories after the run
#   GOLIT_E2E_TIMEOUT  seconds the browser tests may take in all (default 480)
set -Eeuo pipefail

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$E2E_DIR/.." && pwd)
VENV=${GOLIT_E2E_VENV:-$ROOT/.venv}
KERNEL=${GOLIT_E2E_KERNEL:-golit}
ART=$E2E_DIR/artifacts
CHROMIUM=/usr/bin/chromium
T0=$(date +%s)

log() { printf '[e2e %3ss] %s\n' "$(($(date +%s) - T0))" "$*"; }
die() { log "ERROR: $*"; exit 1; }

as_root() {
	if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

PREPARE=0
if [ "${1:-}" = --prepare ]; then PREPARE=1; fi

if [ "$PREPARE" = 0 ]; then
	rm -rf "$ART"
	mkdir -p "$ART"
fi

# --- 1. Chromium from Debian ------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
	log "installing Debian's chromium (apt-get)"
	as_root apt-get update -qq
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
fi
[ -x "$CHROMIUM" ] || die "$CHROMIUM is missing after apt-get install chromium"

# --- 2. npm packages (playwright-core; reveal.js and the rest for the decks) --
stamp=$E2E_DIR/node_modules/.golit-lock.sha
want=$(sha256sum "$E2E_DIR/package-lock.json" | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
	log "npm ci (e2e/package-lock.json)"
	(cd "$E2E_DIR" && npm ci --no-audit --no-fund --loglevel=error)
	echo "$want" >"$stamp"
fi
# The packages that exported decks inline (notebooks/export/package-lock.json).
log "notebooks/export-slides.sh --prepare"
bash "$ROOT/notebooks/export-slides.sh" --prepare
if [ "$PREPARE" = 1 ]; then
	log "prepared: $("$CHROMIUM" --version 2>/dev/null || echo chromium), npm packages from e2e/package-lock.json"
	exit 0
fi

# --- 3. JupyterLab in the repo's virtualenv --------------------------------
if [ ! -x "$VENV/bin/python" ]; then
	log "creating $VENV"
	python3 -m venv "$VENV"
fi
if [ ! -x "$VENV/bin/jupyter-lab" ] || [ ! -x "$VENV/bin/jupyter-nbconvert" ]; then
	log "pip install -r e2e/requirements.txt into $VENV"
	"$VENV/bin/python" -m pip install -q -r "$E2E_DIR/requirements.txt"
fi
export PATH="$VENV/bin:$PATH"
export VIRTUAL_ENV="$VENV"

# --- 4. golit and its kernelspec ---------------------------------------------
if [ "$KERNEL" = golit ]; then
	log "go build ./cmd/golit"
	(cd "$ROOT" && go build -o "$ROOT/bin/golit" ./cmd/golit) || die "go build ./cmd/golit failed"
	spec=$VENV/share/jupyter/kernels/golit/kernel.json
	specbin=""
	if [ -f "$spec" ]; then
		specbin=$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["argv"][0])' "$spec" 2>/dev/null || true)
	fi
	if [ ! -f "$spec" ] || [ ! -x "$specbin" ] || [ "${GOLIT_E2E_REINSTALL:-0}" = 1 ]; then
		log "golit install --prefix $VENV"
		"$ROOT/bin/golit" install --prefix "$VENV" --replace
		specbin=$("$VENV/bin/python" -c 'import json,sys; print(json.load(open(sys.argv[1]))["argv"][0])' "$spec")
	fi
	log "kernelspec golit runs $specbin"
fi

# --- 5. Isolated Jupyter directories and a copy of the workshop -------------
RUN=$(mktemp -d "${TMPDIR:-/tmp}/golit-e2e.XXXXXX")
export JUPYTER_CONFIG_DIR=$RUN/config
export JUPYTER_DATA_DIR=$RUN/data
export JUPYTER_RUNTIME_DIR=$RUN/runtime
export IPYTHONDIR=$RUN/ipython
mkdir -p "$JUPYTER_CONFIG_DIR/labconfig" "$JUPYTER_DATA_DIR" "$JUPYTER_RUNTIME_DIR" "$RUN/work"
# No news/update pop-ups; notebooks keep every cell in the DOM; no autosave;
# completions may take a while.
cat >"$JUPYTER_CONFIG_DIR/labconfig/page_config.json" <<'EOF'
{"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": true}}
EOF
us=$JUPYTER_CONFIG_DIR/lab/user-settings/@jupyterlab
mkdir -p "$us/notebook-extension" "$us/docmanager-extension" "$us/apputils-extension" "$us/completer-extension"
echo '{"windowingMode": "none", "kernelShutdown": false}' >"$us/notebook-extension/tracker.jupyterlab-settings"
echo '{"autosave": false}' >"$us/docmanager-extension/plugin.jupyterlab-settings"
# A loaded 2-core machine can take over a second to answer a first completion.
echo '{"providerTimeout": 5000}' >"$us/completer-extension/manager.jupyterlab-settings"
echo '{"fetchNews": "false", "checkForUpdates": false}' >"$us/apputils-extension/notification.jupyterlab-settings"
# The tests run a copy of the workshop so that nothing in the repo changes.
if [ -d "$ROOT/notebooks" ]; then
	cp -r "$ROOT/notebooks" "$RUN/work/notebooks"
fi

LAB_PID=""
NODE_PID=""
WATCHDOG=""
STATUS=1
LIMIT=${GOLIT_E2E_TIMEOUT:-480}
cleanup() {
	local rc=$?
	set +e # clean up everything, whatever fails on the way
	trap - EXIT INT TERM
	if [ -n "$WATCHDOG" ]; then kill "$WATCHDOG" 2>/dev/null; fi
	if [ -n "$NODE_PID" ] && kill -0 "$NODE_PID" 2>/dev/null; then
		log "stopping the browser tests (pid $NODE_PID)"
		kill -TERM -- "-$NODE_PID" 2>/dev/null
		sleep 1
		kill -KILL -- "-$NODE_PID" 2>/dev/null
	fi
	if [ -n "$LAB_PID" ] && kill -0 "$LAB_PID" 2>/dev/null; then
		log "stopping JupyterLab (pid $LAB_PID) and its kernels"
		kill -TERM -- "-$LAB_PID" 2>/dev/null || kill -TERM "$LAB_PID" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$LAB_PID" 2>/dev/null || break; sleep 0.1; done
		kill -KILL -- "-$LAB_PID" 2>/dev/null
	fi
	if [ -f "$RUN/jupyterlab.log" ]; then cp "$RUN/jupyterlab.log" "$ART/jupyterlab.log"; fi
	if [ "${GOLIT_E2E_KEEP:-0}" = 1 ]; then
		log "kept $RUN"
	else
		rm -rf "$RUN"
	fi
	if [ "$STATUS" != 0 ] || [ "$rc" != 0 ]; then
		log "FAILED after $(($(date +%s) - T0)) s; screenshots and the JupyterLab log are in $ART"
		exit $((rc == 0 ? 1 : rc))
	fi
	log "passed in $(($(date +%s) - T0)) s; screenshots in $ART"
	exit 0
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 6. JupyterLab on a free localhost port with a token -----------------------
PORT=$("$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
TOKEN=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(24))')
log "starting JupyterLab on 127.0.0.1:$PORT"
# setsid gives JupyterLab its own process group so that cleanup reaches its kernels too.
setsid "$VENV/bin/jupyter-lab" --no-browser --allow-root \
	--ServerApp.ip=127.0.0.1 --ServerApp.port="$PORT" --ServerApp.port_retries=0 \
	--IdentityProvider.token="$TOKEN" --ServerApp.root_dir="$RUN/work" \
	--ServerApp.open_browser=False --LabApp.news_url= \
	>"$RUN/jupyterlab.log" 2>&1 </dev/null &
LAB_PID=$!
URL=http://127.0.0.1:$PORT
for i in $(seq 600); do
	if curl -fsS -o /dev/null "$URL/api/status?token=$TOKEN" 2>/dev/null; then break; fi
	kill -0 "$LAB_PID" 2>/dev/null || { tail -40 "$RUN/jupyterlab.log"; die "JupyterLab exited"; }
	[ "$i" = 600 ] && die "JupyterLab did not answer in 60 s"
	sleep 0.1
done
log "JupyterLab is up"

# --- 7. The browser tests -------------------------------------------------------
export GOLIT_E2E_URL=$URL GOLIT_E2E_TOKEN=$TOKEN GOLIT_E2E_WORK=$RUN/work
export GOLIT_E2E_ARTIFACTS=$ART GOLIT_E2E_CHROMIUM=$CHROMIUM GOLIT_E2E_KERNEL=$KERNEL
export GOLIT_E2E_ROOT=$ROOT GOLIT_E2E_PROFILE=$RUN/chromium-profile
args=(--test --test-concurrency=1 --test-reporter=spec)
if [ -n "${GOLIT_E2E_ONLY:-}" ]; then args+=(--test-name-pattern="$GOLIT_E2E_ONLY"); fi
# node runs in its own process group (with its browsers) and in the background,
# so that a watchdog and signals can stop it even when a browser call hangs.
setsid node "${args[@]}" "$E2E_DIR/tests/lab.test.mjs" "$E2E_DIR/tests/slides.test.mjs" "$E2E_DIR/tests/schedchart.test.mjs" </dev/null &
NODE_PID=$!
(
	trap 'kill "$nap" 2>/dev/null; exit 0' TERM
	sleep "$LIMIT" &
	nap=$!
	wait "$nap"
	echo "[e2e] the tests ran past GOLIT_E2E_TIMEOUT=$LIMIT s: stopping them" >&2
	kill -TERM -- "-$NODE_PID" 2>/dev/null
	sleep 5
	kill -KILL -- "-$NODE_PID" 2>/dev/null
) &
WATCHDOG=$!
set +e
wait "$NODE_PID"
STATUS=$?
set -e
if kill "$WATCHDOG" 2>/dev/null; then :; fi
WATCHDOG=""
NODE_PID=""
exit "$STATUS"
