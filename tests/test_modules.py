"""Third-party modules in cells, through a real kernel (issue 12).

A cell importing a module path is resolved with the Go toolchain (go get /
go list in the kernel's own module) and interpreted from source with
golit's rewrites. Tests that download from the module proxy probe it first
and skip, saying so, when it cannot be reached. The failure cases use a
module proxy made by the test in a directory (GOPROXY=file://...), which
the go command reads like any proxy, so they need no network.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

from helpers import Kernel

SLOW = 180.0  # seconds for a cell that may download and interpret a module

_probe: str | None = None


def proxy_unreachable() -> str | None:
    """Why the module proxy cannot be used here (None when it can)."""
    global _probe
    if _probe is not None:
        return _probe or None
    go = shutil.which("go")
    if go is None:
        _probe = "the go command is not on PATH"
        return _probe
    with tempfile.TemporaryDirectory() as d:
        Path(d, "go.mod").write_text("module probe\n\ngo 1.22\n")
        try:
            r = subprocess.run([go, "list", "-m", "-json", "golang.org/x/sync@latest"], cwd=d,
                               capture_output=True, text=True, timeout=60,
                               env={**os.environ, "GOFLAGS": "-mod=mod"})
        except subprocess.TimeoutExpired:
            _probe = "go list -m golang.org/x/sync@latest timed out"
            return _probe
        if r.returncode != 0:
            _probe = (f"the module proxy (GOPROXY={os.environ.get('GOPROXY') or 'default'}) "
                      f"could not be reached: {r.stderr.strip()[-300:]}")
            return _probe
    _probe = ""
    return None


def need_proxy() -> None:
    why = proxy_unreachable()
    if why:
        pytest.skip(f"needs the Go module proxy, which is unreachable from here: {why}")


def need_go() -> None:
    if shutil.which("go") is None:
        pytest.skip("needs the go command on PATH")


@pytest.fixture(scope="module")
def mk():
    """A kernel with the user's module cache (warm after the first test)."""
    need_proxy()
    k = Kernel()
    yield k
    k.close()


def out(k: Kernel, code: str) -> str:
    return k.ok(code, timeout=SLOW).stdout


# ---- import just works --------------------------------------------------------------


def test_errgroup(mk):
    mk.ok('import "golang.org/x/sync/errgroup"', timeout=SLOW)
    got = out(mk, """
var g errgroup.Group
sums := make([]int, 4)
for i := range 4 {
	g.Go(func() error {
		for j := 0; j <= (i+1)*100; j++ {
			sums[i] += j
		}
		return nil
	})
}
fmt.Println(g.Wait(), sums)
g2, ctx := errgroup.WithContext(context.Background())
g2.Go(func() error { return errors.New("boom") })
g2.Go(func() error { <-ctx.Done(); return nil })
fmt.Println(g2.Wait(), ctx.Err())
""")
    assert got == "<nil> [5050 20100 45150 80200]\nboom context canceled\n"


def test_semaphore_and_singleflight(mk):
    mk.ok('import "golang.org/x/sync/semaphore"\nimport "golang.org/x/sync/singleflight"', timeout=SLOW)
    got = out(mk, """
sem := semaphore.NewWeighted(3)
fmt.Println(sem.TryAcquire(2), sem.TryAcquire(2), sem.TryAcquire(1))
sem.Release(3)
fmt.Println(sem.Acquire(context.Background(), 3))
""")
    assert got == "true false true\n<nil>\n"
    got = out(mk, """
var sf singleflight.Group
var calls atomic.Int32
var wg sync.WaitGroup
release := make(chan struct{})
res := make([]any, 5)
for i := range 5 {
	wg.Add(1)
	go func() {
		defer wg.Done()
		v, _, _ := sf.Do("key", func() (any, error) {
			calls.Add(1)
			<-release
			return "value", nil
		})
		res[i] = v
	}()
}
time.Sleep(500 * time.Millisecond)
close(release)
wg.Wait()
fmt.Println(calls.Load(), res)
""")
    assert got == "1 [value value value value value]\n"


def test_rate(mk):
    mk.ok('import "golang.org/x/time/rate"', timeout=SLOW)
    got = out(mk, """
lim := rate.NewLimiter(rate.Every(time.Hour), 3)
var allowed []bool
for range 5 {
	allowed = append(allowed, lim.Allow())
}
fmt.Println(allowed, lim.Burst(), lim.Limit() == rate.Every(time.Hour))
""")
    assert got == "[true true true false false] 3 true\n"


def test_module_using_min_max(mk):
    # go-humanize's Bytes calls the built-in max (golit rewrites module
    # sources as it does cells) and FormatFloat has 0.0 - math.MaxFloat64.
    mk.ok('import "github.com/dustin/go-humanize"', timeout=SLOW)
    got = out(mk, 'fmt.Println(humanize.Bytes(82854982), humanize.IBytes(1<<20), humanize.Comma(1234567), '
                  'humanize.FormatFloat("#,###.##", 1234.567))')
    assert got == "83 MB 1.0 MiB 1,234,567 1,234.57\n"


def test_module_with_assembly_and_pure_go_fallback(mk):
    # xxhash has amd64/arm64 assembly and a pure-Go version under the
    # purego tag; the values are the XXH64 reference ones.
    mk.ok('import "github.com/cespare/xxhash/v2"', timeout=SLOW)
    got = out(mk, 'fmt.Printf("%x %x\\n", xxhash.Sum64String(""), xxhash.Sum64([]byte("hello")))')
    assert got == "ef46db3751d8e999 26c7827d889f6da3\n"


def test_transitive_dependency(mk):
    # go-multierror's Prefix calls github.com/hashicorp/errwrap, a module
    # of its own that go get resolves and golit lays out too.
    mk.ok('import "github.com/hashicorp/go-multierror"', timeout=SLOW)
    assert out(mk, 'fmt.Println(multierror.Prefix(errors.New("boom"), "load:"))') == "load: boom\n"


def test_go_mod_and_pin_hint(mk):
    got = mk.ok("%go mod", timeout=SLOW).stdout
    assert "golang.org/x/sync v" in got and "github.com/hashicorp/errwrap v" in got


# ---- pinned and reproducible ----------------------------------------------------------


def fresh_cache(monkeypatch, tmp_path: Path, name: str) -> Path:
    cache = tmp_path / name
    monkeypatch.setenv("GOMODCACHE", str(cache))
    monkeypatch.setenv("GOFLAGS", "-modcacherw")
    return cache


def stream(cell, name: str) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream" and o.get("name") == name)


def test_pinned_notebook_reruns_with_same_versions(monkeypatch, tmp_path):
    need_proxy()
    from nbclient import NotebookClient

    nb = new_notebook(metadata={"kernelspec": {"name": "golit", "display_name": "Go (golit)", "language": "go"}})
    nb.cells = [
        new_code_cell("%go get golang.org/x/sync@v0.7.0"),
        new_code_cell('import "golang.org/x/sync/errgroup"\nvar g errgroup.Group\n'
                      'g.Go(func() error { return nil })\nfmt.Println("wait:", g.Wait())'),
        new_code_cell("%go mod"),
    ]
    cache1 = fresh_cache(monkeypatch, tmp_path, "cache1")
    NotebookClient(nb, timeout=int(SLOW), kernel_name="golit").execute()
    assert stream(nb.cells[0], "stdout") == "golang.org/x/sync v0.7.0\n"
    # The progress line of a cold cache.
    assert "golit: downloading golang.org/x/sync v0.7.0" in stream(nb.cells[0], "stderr")
    path = tmp_path / "pinned.ipynb"
    nbformat.write(nb, path)

    # Elsewhere: a fresh kernel and a fresh module cache run the saved file.
    cache2 = fresh_cache(monkeypatch, tmp_path, "cache2")
    nb2 = nbformat.read(path, as_version=4)
    for c in nb2.cells:
        c.outputs = []
    NotebookClient(nb2, timeout=int(SLOW), kernel_name="golit").execute()
    assert stream(nb2.cells[1], "stdout") == "wait: <nil>\n"
    assert stream(nb2.cells[2], "stdout") == "golang.org/x/sync v0.7.0\n"
    versions = sorted(p.name for p in (cache2 / "golang.org" / "x").glob("sync@*"))
    assert versions == ["sync@v0.7.0"]
    assert (cache1 / "golang.org" / "x" / "sync@v0.7.0").is_dir()


def test_go_get_latest_and_none(monkeypatch, tmp_path):
    need_proxy()
    k = Kernel()
    try:
        got = k.ok("%go get golang.org/x/sync@latest", timeout=SLOW).stdout
        assert got.startswith("golang.org/x/sync v0.")
        assert k.ok("%go get golang.org/x/sync@none", timeout=SLOW).stdout == "golang.org/x/sync: no longer required\n"
        assert "no requirements yet" in k.ok("%go mod", timeout=SLOW).stdout
        bad = k.execute("%go get -u golang.org/x/sync", timeout=SLOW)
        assert bad.status == "error" and "module paths only" in bad.text()
    finally:
        k.close()


# ---- clear limits ----------------------------------------------------------------------


def add_module(proxy: Path, mod: str, version: str, files: dict[str, str]) -> None:
    """Publishes a module version in a file-based module proxy directory."""
    d = proxy / mod / "@v"
    d.mkdir(parents=True, exist_ok=True)
    gomod = f"module {mod}\n\ngo 1.22\n"
    (d / f"{version}.mod").write_text(gomod)
    (d / f"{version}.info").write_text(f'{{"Version":"{version}","Time":"2024-01-01T00:00:00Z"}}')
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(f"{mod}@{version}/go.mod", gomod)
        for name, text in files.items():
            z.writestr(f"{mod}@{version}/{name}", text)
    (d / f"{version}.zip").write_bytes(buf.getvalue())
    with open(d / "list", "a") as f:
        f.write(version + "\n")


@pytest.fixture(scope="module")
def local_proxy(tmp_path_factory):
    need_go()
    proxy = tmp_path_factory.mktemp("proxy")
    add_module(proxy, "example.com/cgoonly", "v1.0.0", {
        "c.go": 'package cgoonly\n\n// int twice(int x) { return 2 * x; }\nimport "C"\n\n'
                "func Twice(x int) int { return int(C.twice(C.int(x))) }\n",
    })
    add_module(proxy, "example.com/asmonly", "v1.0.0", {
        "add.go": "package asmonly\n\n// Add is written in assembly.\nfunc Add(a, b int) int\n",
        "add_amd64.s": "TEXT ·Add(SB),4,$0-24\n\tMOVQ a+0(FP), AX\n\tADDQ b+8(FP), AX\n\tMOVQ AX, ret+16(FP)\n\tRET\n",
        "add_arm64.s": "TEXT ·Add(SB),4,$0-24\n\tMOVD a+0(FP), R0\n\tMOVD b+8(FP), R1\n\tADD R1, R0\n\tMOVD R0, ret+16(FP)\n\tRET\n",
    })
    add_module(proxy, "example.com/linkname", "v1.0.0", {
        "l.go": 'package linkname\n\nimport _ "unsafe"\n\n//go:linkname nanotime runtime.nanotime\n'
                "func nanotime() int64\n\nfunc Now() int64 { return nanotime() }\n",
    })
    add_module(proxy, "example.com/badgo", "v1.0.0", {
        # yaegi v0.16.1 cannot compile this constant expression (golit
        # fixes the float64 form only).
        "b.go": 'package badgo\n\nimport "math"\n\nfunc Low(x float32) bool { return x < 0.0-math.MaxFloat32 }\n',
    })
    add_module(proxy, "example.com/good", "v1.2.0", {
        "g.go": "package good\n\n// Top returns the largest value.\nfunc Top(xs ...int) int {\n\tm := xs[0]\n"
                "\tfor _, x := range xs {\n\t\tm = max(m, x)\n\t}\n\treturn m\n}\n",
    })
    return proxy


@pytest.fixture
def local_kernel(local_proxy, monkeypatch, tmp_path):
    monkeypatch.setenv("GOPROXY", local_proxy.as_uri())
    monkeypatch.setenv("GONOSUMDB", "example.com")
    fresh_cache(monkeypatch, tmp_path, "cache")
    k = Kernel()
    yield k
    k.close()


@pytest.mark.parametrize("path,reason", [
    ("example.com/cgoonly", 'package example.com/cgoonly needs cgo (c.go imports "C")'),
    ("example.com/asmonly", "package example.com/asmonly uses assembly (add_"),
    ("example.com/linkname", "package example.com/linkname uses //go:linkname (l.go)"),
    ("example.com/badgo", "golit could not interpret package example.com/badgo"),
])
def test_unsupported_package_fails_at_import(local_kernel, path, reason):
    k = local_kernel
    run = k.execute(f'import "{path}"', timeout=SLOW)
    assert run.status == "error"
    text = run.text()
    assert f'cannot import "{path}"' in text and reason in text, text
    # The kernel stays usable, and a good module from the same proxy imports.
    k.ok('import "example.com/good"', timeout=SLOW)
    assert k.ok("fmt.Println(good.Top(3, 9, 4))").stdout == "9\n"
    again = k.execute(f'import "{path}"', timeout=SLOW)
    assert again.status == "error" and reason in again.text()


def test_no_go_toolchain(monkeypatch):
    need_go()
    no_go = [d for d in os.environ.get("PATH", "").split(os.pathsep)
             if d and not os.path.exists(os.path.join(d, "go"))]
    monkeypatch.setenv("PATH", os.pathsep.join(no_go))
    k = Kernel()
    try:
        run = k.execute('import "golang.org/x/sync/errgroup"', timeout=SLOW)
        assert run.status == "error"
        assert 'cannot import "golang.org/x/sync/errgroup": Go is not installed' in run.text()
        assert "resolves third-party modules" in run.text()
        assert "https://go.dev/dl/" in run.text()
        get = k.execute("%go get golang.org/x/sync@v0.7.0", timeout=SLOW)
        assert get.status == "error" and "Go is not installed" in get.text()
        assert k.ok('fmt.Println("still here")').stdout == "still here\n"
    finally:
        k.close()


def test_no_network(monkeypatch, tmp_path):
    need_go()
    monkeypatch.setenv("GOPROXY", "http://127.0.0.1:9")  # nothing listens on the discard port
    fresh_cache(monkeypatch, tmp_path, "cache")
    k = Kernel()
    try:
        run = k.execute('import "golang.org/x/sync/errgroup"', timeout=SLOW)
        assert run.status == "error"
        text = run.text()
        assert "the module proxy could not be reached" in text, text
        assert "go get golang.org/x/sync/errgroup" in text and "GOPROXY=http://127.0.0.1:9" in text
        assert k.ok('fmt.Println("still here")').stdout == "still here\n"
    finally:
        k.close()


# ---- compiled-in modules ---------------------------------------------------------------


def test_golit_with_modules_compiled_in(monkeypatch, tmp_path):
    """scripts/golit-with-modules.sh builds a golit with go-humanize compiled
    in and installs it as the golit-humanize kernelspec; that kernel imports
    the package without the go command (which interpreting would need)."""
    need_proxy()
    from jupyter_client.manager import KernelManager

    from helpers import repo_root

    prefix = tmp_path / "prefix"
    r = subprocess.run(["bash", "scripts/golit-with-modules.sh", "--prefix", str(prefix), "humanize",
                        "github.com/dustin/go-humanize@v1.0.1"], cwd=repo_root(),
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-2000:]
    spec = prefix / "share" / "jupyter" / "kernels" / "golit-humanize" / "kernel.json"
    assert spec.is_file() and "Go (golit + humanize)" in spec.read_text()
    monkeypatch.setenv("JUPYTER_PATH", f"{prefix / 'share' / 'jupyter'}{os.pathsep}{os.environ.get('JUPYTER_PATH', '')}")
    no_go = [d for d in os.environ.get("PATH", "").split(os.pathsep)
             if d and not os.path.exists(os.path.join(d, "go"))]
    monkeypatch.setenv("PATH", os.pathsep.join(no_go))
    km = KernelManager(kernel_name="golit-humanize")
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=60)
        outputs: list[str] = []
        reply = kc.execute_interactive('import "github.com/dustin/go-humanize"\n'
                                       'fmt.Println(humanize.Comma(1234567), humanize.Ordinal(3))',
                                       timeout=60, output_hook=lambda m: outputs.append(
                                           m["content"].get("text", "") if m["msg_type"] == "stream" else ""))
        assert reply["content"]["status"] == "ok", reply["content"]
        assert "".join(outputs) == "1,234,567 3rd\n"
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        (Path(repo_root()) / "bin" / "golit-humanize").unlink(missing_ok=True)
