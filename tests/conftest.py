"""pytest fixtures: a golit kernel started from its installed kernelspec.

Run through test.sh, which builds bin/golit and installs the kernelspec into
.venv. Run directly (``.venv/bin/python -m pytest tests/``) after test.sh has
done so once: the Jupyter paths below then default to the venv's.
"""

from __future__ import annotations

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from helpers import KERNEL_NAME, Kernel, repo_root  # noqa: E402

_venv_share = os.path.join(repo_root(), ".venv", "share", "jupyter")
os.environ.setdefault("JUPYTER_PATH", _venv_share)
os.environ.setdefault("JUPYTER_DATA_DIR", _venv_share)
os.environ.setdefault("JUPYTER_PLATFORM_DIRS", "1")


def pytest_sessionstart(session: pytest.Session) -> None:
    from jupyter_client.kernelspec import KernelSpecManager

    specs = KernelSpecManager().find_kernel_specs()
    if KERNEL_NAME not in specs:
        pytest.exit(
            f"the {KERNEL_NAME!r} kernelspec is not installed where Jupyter looks "
            f"(JUPYTER_PATH={os.environ.get('JUPYTER_PATH')}); run `bash test.sh` first",
            returncode=3,
        )


@pytest.fixture(scope="module")
def kernel():
    """One kernel shared by a test module (tests must not break its state)."""
    k = Kernel()
    yield k
    k.close()


@pytest.fixture
def fresh_kernel(tmp_path):
    """A kernel of its own for one test; its stderr is kept in tmp_path."""
    k = Kernel(stderr_path=str(tmp_path / "kernel-stderr.log"))
    yield k
    k.close()
