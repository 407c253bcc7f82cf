"""Cost of importing a third-party module in a golit cell (issue 12).

For each round a fresh kernel (started from the installed kernelspec through
jupyter_client) times `import "golang.org/x/sync/errgroup"`:

  cold    with an empty module cache (GOMODCACHE in a temporary directory):
          go get downloads x/sync, go list, golit lays out and rewrites the
          sources, yaegi interprets them;
  warm    with the user's module cache, a new kernel: go get / go list from
          the cache, layout, interpretation;
  again   a later cell importing it again in the same session;
  reset   after %reset: a new interpreter reads the laid-out sources again
          (no go command runs).

Prints the medians in milliseconds (client-side wall time of the
execute_request, protocol included). Run: bash bench/modules.sh
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

from helpers import Kernel  # noqa: E402

IMPORT = 'import "golang.org/x/sync/errgroup"'
USE = "var g errgroup.Group\ng.Go(func() error { return nil })\nfmt.Println(g.Wait())"


def timed(k: Kernel, code: str) -> float:
    t0 = time.perf_counter()
    run = k.execute(code, timeout=300)
    dt = time.perf_counter() - t0
    assert run.status == "ok", run.text()
    return dt * 1000


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    res: dict[str, list[float]] = {"cold": [], "warm": [], "again": [], "reset": []}
    for _ in range(args.rounds):
        with tempfile.TemporaryDirectory() as cache:
            env = {"GOMODCACHE": os.environ.get("GOMODCACHE"), "GOFLAGS": os.environ.get("GOFLAGS")}
            os.environ["GOMODCACHE"] = cache
            os.environ["GOFLAGS"] = "-modcacherw"
            k = Kernel()
            try:
                res["cold"].append(timed(k, IMPORT))
            finally:
                k.close()
                for n, v in env.items():
                    if v is None:
                        os.environ.pop(n, None)
                    else:
                        os.environ[n] = v
        k = Kernel()
        try:
            timed(k, "1")
            res["warm"].append(timed(k, IMPORT))
            timed(k, USE)
            res["again"].append(timed(k, IMPORT))
            timed(k, "%reset -f")
            res["reset"].append(timed(k, IMPORT))
            assert k.ok(USE).stdout == "<nil>\n"
        finally:
            k.close()
    print(f"rounds: {args.rounds}")
    for name, xs in res.items():
        print(f"{name:6s} median {statistics.median(xs):8.1f} ms   (min {min(xs):.1f}, max {max(xs):.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
