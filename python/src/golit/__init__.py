"""golit: a Jupyter kernel for Go, packaged for pip.

The wheel carries the prebuilt ``golit`` binary (in the environment's
``bin/``) and its kernelspec (in ``{sys.prefix}/share/jupyter/kernels/golit``).
This module only finds and runs the binary: ``python -m golit ARGS`` is
``golit ARGS``.
"""

import os
import shutil
import sys
import sysconfig
from importlib import metadata

__all__ = ["binary", "main"]

try:
    __version__ = metadata.version("golit")
except metadata.PackageNotFoundError:  # a source checkout
    __version__ = "0+unknown"

_EXE = "golit.exe" if os.name == "nt" else "golit"


def binary():
    """Return the path of the golit binary this package installed.

    Looks in the scripts directories of this environment (also for a
    ``pip install --user``) before PATH, so that the binary of the wheel that
    holds this module wins over another golit.
    """
    dirs = [sysconfig.get_path("scripts")]
    try:
        user_scheme = sysconfig.get_preferred_scheme("user")  # Python 3.10+
    except AttributeError:
        user_scheme = f"{os.name}_user"
    try:
        dirs.append(sysconfig.get_path("scripts", user_scheme))
    except KeyError:
        pass
    dirs.append(os.path.dirname(sys.executable))
    for d in dirs:
        p = os.path.join(d, _EXE)
        if d and os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    p = shutil.which("golit")
    if p:
        return p
    raise FileNotFoundError(
        "the golit binary is not installed next to this Python "
        f"(looked in {', '.join(d for d in dirs if d)} and on PATH); reinstall with: pip install --force-reinstall golit"
    )


def _args(argv):
    """Translate ``install --sys-prefix`` to this interpreter's prefix.

    ``python -m golit install --sys-prefix`` means this Python's
    environment even when it is not activated ($VIRTUAL_ENV unset), as for
    ``python -m ipykernel install --sys-prefix``.
    """
    argv = list(argv)
    if argv[:1] in (["install"], ["uninstall"]) and "--sys-prefix" in argv:
        i = argv.index("--sys-prefix")
        argv[i : i + 1] = ["--prefix", sys.prefix]
    return argv


def main(argv=None):
    """Run the golit binary with argv (default: the command line)."""
    argv = _args(sys.argv[1:] if argv is None else argv)
    try:
        exe = binary()
    except FileNotFoundError as e:
        print(f"golit: {e}", file=sys.stderr)
        return 1
    if os.name == "nt":
        import subprocess

        return subprocess.call([exe, *argv])
    os.execv(exe, [exe, *argv])
