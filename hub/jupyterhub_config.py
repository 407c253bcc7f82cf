# JupyterHub configuration for a golit workshop on one machine.
#
# Every user's server runs JupyterLab with the golit kernel, and starts in
# ~/golit-workshop, written by `golit workshop` the first time the server
# starts (an attendee's edited copy is never overwritten).
#
# Two modes, chosen by the environment (see hub/README.md):
#
#   GOLIT_HUB_PASSWORD set     TEST MODE, for the load test and a dry run on
#                              a laptop ONLY: any user name logs in with this
#                              one shared password, and every server runs as
#                              the hub's own Unix user (SimpleLocalProcessSpawner),
#                              with no isolation between users.
#   GOLIT_HUB_PASSWORD unset   real users: PAM logins (the machine's Unix
#                              accounts) and LocalProcessSpawner, which runs
#                              each server as its own Unix user. The hub then
#                              runs as root. Put another authenticator here
#                              (OAuth, NativeAuthenticator) if attendees have
#                              no accounts on the machine.
#
# Other knobs (all optional):
#   GOLIT_HUB_PORT       public port on 127.0.0.1 (default: a free port, printed in the log)
#   GOLIT_HUB_IP         address to bind (default 127.0.0.1; 0.0.0.0 behind TLS for a room)
#   GOLIT_HUB_STATE      folder for the database, secrets and (test mode) the users' homes
#                        (default: the current folder)
#   GOLIT_BIN            the golit binary (default: `golit` found on PATH)
#   GOLIT_HUB_API_TOKEN  registers the service "classroom-bench" with this token and the
#                        rights to create users and start, stop and use their servers
#                        (bench/classroom/ uses it)
#   GOLIT_HUB_USERS      comma-separated user names allowed to log in (default: any)
import os
import shutil
import socket
import sys

c = get_config()  # noqa: F821 (defined by JupyterHub when it loads this file)

here = os.path.dirname(os.path.abspath(__file__))
state = os.path.abspath(os.environ.get("GOLIT_HUB_STATE") or os.getcwd())
os.makedirs(state, exist_ok=True)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---- where the hub listens ---------------------------------------------------
ip = os.environ.get("GOLIT_HUB_IP", "127.0.0.1")
port = int(os.environ.get("GOLIT_HUB_PORT") or free_port())
c.JupyterHub.bind_url = f"http://{ip}:{port}"
# The hub's own API and the proxy's API: loopback, free ports, so several hubs
# (and a developer's own Jupyter) can run side by side.
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{free_port()}"

# ---- state -----------------------------------------------------------------
c.JupyterHub.db_url = "sqlite:///" + os.path.join(state, "jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = os.path.join(state, "jupyterhub-proxy.pid")

# ---- the proxy: configurable-http-proxy from npm, installed in hub/ by install.sh
chp = os.path.join(here, "node_modules", ".bin", "configurable-http-proxy")
if not os.path.exists(chp):
    sys.exit(f"jupyterhub_config: {chp} is missing: run `bash hub/install.sh` (npm ci in hub/) first")
c.ConfigurableHTTPProxy.command = [chp]

# ---- golit and the workshop in every server -----------------------------------
golit = os.environ.get("GOLIT_BIN") or shutil.which("golit")
if not golit:
    sys.exit("jupyterhub_config: no golit binary: put golit on PATH or set GOLIT_BIN (see hub/README.md)")
golit = os.path.abspath(golit)

# The server's start command: `golit workshop ~/golit-workshop` (it writes
# missing files, updates the ones it wrote that nobody changed, and keeps an
# attendee's edited copy), then the single-user server (JupyterHub appends
# its arguments, which "$@" passes on). It runs as the user, so the files are
# the user's own. A failed `golit workshop` is logged and the server still
# starts.
start = (
    'cd "$HOME" || exit 1\n'
    '"$GOLIT_BIN" workshop golit-workshop >&2 || echo "golit workshop failed: the server starts without the workshop" >&2\n'
    'exec jupyterhub-singleuser "$@"\n'
)
c.Spawner.cmd = ["sh", "-c", start, "golit-singleuser"]
c.Spawner.environment = {"GOLIT_BIN": golit}
c.Spawner.default_url = "/lab/tree/golit-workshop"
c.Spawner.notebook_dir = "~"
# A room starts its servers at once on few cores: a server may take a minute.
c.Spawner.start_timeout = 600
c.Spawner.http_timeout = 600
c.JupyterHub.concurrent_spawn_limit = 200

# ---- the servers' ports --------------------------------------------------------
# JupyterHub picks a local server's port by binding port 0 and letting it go;
# the server binds it a few seconds later. Kernels pick their ZeroMQ ports
# the same way, from the same ephemeral range, so in a room where 30 servers
# start while kernels start too, a kernel can take a port in between and the
# server fails to start (seen in bench/classroom/ with 30 attendees). So the
# servers get ports below the ephemeral range, which port-0 binds never use,
# one per user and kept across restarts.
def ephemeral_low():
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


server_ports = range(max(1024, ephemeral_low() - 8000), ephemeral_low())
assigned_ports = {}  # user name -> port


def bindable(port):
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def pick_server_port(spawner):
    name = spawner.user.name
    port = assigned_ports.get(name)
    if port is None or not bindable(port):
        taken = set(assigned_ports.values())
        start = hash(name) % len(server_ports)
        for i in range(len(server_ports)):
            port = server_ports[(start + i) % len(server_ports)]
            if port not in taken and bindable(port):
                break
        else:
            raise RuntimeError(f"no free port in {server_ports} for the server of {name}")
        assigned_ports[name] = port
    spawner.port = port


c.Spawner.pre_spawn_hook = pick_server_port

# ---- users -------------------------------------------------------------------
password = os.environ.get("GOLIT_HUB_PASSWORD")
if password:
    # TEST MODE ONLY (see the top of this file).
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
    from jupyterhub.spawner import SimpleLocalProcessSpawner

    c.JupyterHub.authenticator_class = SharedPasswordAuthenticator
    c.SharedPasswordAuthenticator.user_password = password
    c.JupyterHub.spawner_class = SimpleLocalProcessSpawner
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(state, "home", "{username}")
    if os.geteuid() == 0:
        # Containers and CI machines run everything as root; Jupyter Server
        # refuses that unless told.
        c.Spawner.args = ["--allow-root"]
else:
    # Real Unix users: PAM (JupyterHub's default authenticator) and one
    # process per user, running as that user.
    from jupyterhub.spawner import LocalProcessSpawner

    c.JupyterHub.spawner_class = LocalProcessSpawner

# Who may log in: the names in GOLIT_HUB_USERS, else anyone the authenticator
# accepts (in test mode: any name with the shared password; with PAM: any
# account of the machine).
users = [u.strip() for u in os.environ.get("GOLIT_HUB_USERS", "").split(",") if u.strip()]
if users:
    c.Authenticator.allowed_users = set(users)
else:
    c.Authenticator.allow_all = True

# ---- the load test's service ---------------------------------------------------
token = os.environ.get("GOLIT_HUB_API_TOKEN")
if token:
    c.JupyterHub.services = [{"name": "classroom-bench", "api_token": token}]
    c.JupyterHub.load_roles = [{
        "name": "classroom-bench",
        "services": ["classroom-bench"],
        "scopes": ["admin:users", "admin:servers", "access:servers", "read:users"],
    }]
