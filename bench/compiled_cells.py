"""Compiled cells (%%compile) against interpreted golit and compiled Go.

Figures, each a median over rounds (one kernel per round):
- recursive fib(27): interpreted cell, compiled cell called from an
  interpreted cell (timed inside the calling cell, so the call's pipes and
  encoding are included), the same function in a compiled Go program;
- CPU-bound parallel speedup (2 x cores calls of fib(n) on goroutines, all
  cores against GOMAXPROCS(1)) of the compiled cell and of the same code as a
  compiled Go program (the control);
- call overhead: 20,000 calls of a trivial compiled function from an
  interpreted loop, minus the same loop calling an interpreted function;
- build: redefining a small compiled cell (warm build cache), cell round trip;
- fib(27) in ipykernel (CPython), timed inside the cell, for the table.

--kernels golit,golit-base runs two kernelspecs in turn each round (an A/B
of two builds); --only overhead times the call overhead alone.

Run through bench/compiled_cells.sh, which sets up the venv and kernelspec.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import KernelError, Session  # noqa: E402

FIB = "func fib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn fib(n-1) + fib(n-2)\n}\n"

PAR = (
    "func burn(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn burn(n-1) + burn(n-2)\n}\n\n"
    "func Par(procs, tasks, n int) float64 {\n"
    "\told := runtime.GOMAXPROCS(procs)\n\tdefer runtime.GOMAXPROCS(old)\n"
    "\tstart := time.Now()\n\tvar wg sync.WaitGroup\n"
    "\tfor t := 0; t < tasks; t++ {\n\t\twg.Add(1)\n\t\tgo func() {\n\t\t\tdefer wg.Done()\n\t\t\tburn(n)\n\t\t}()\n\t}\n"
    "\twg.Wait()\n\treturn time.Since(start).Seconds()\n}\n"
)

CELL = (
    '%%compile\nimport (\n\t"runtime"\n\t"sync"\n\t"time"\n)\n\n'
    + FIB + "\n" + PAR + "\nfunc Nop() {}\n\nfunc Inc(x int) int { return x + 1 }\n\nfunc Spin() {\n\tfor {\n\t}\n}\n"
)

CONTROL = (
    'package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"runtime"\n\t"strconv"\n\t"sync"\n\t"time"\n)\n\n'
    + FIB + "\n" + PAR
    + "\nvar sink int\n\nfunc main() {\n"
    "\tif os.Args[1] == \"fib\" {\n\t\tt0 := time.Now()\n\t\tsink += fib(27)\n"
    "\t\tfmt.Println(time.Since(t0).Seconds())\n\t\treturn\n\t}\n"
    "\tcpus := runtime.NumCPU()\n\tn, _ := strconv.Atoi(os.Args[2])\n"
    "\tone := Par(1, 2*cpus, n)\n\tall := Par(cpus, 2*cpus, n)\n\tfmt.Println(one / all)\n}\n"
)

TIMED = "t0 := time.Now()\n{call}\ntime.Since(t0).Seconds()"


PYFIB = (
    "import time\n"
    "def fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n"
)


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def run_golit(kernel: str, r: dict, args, exe: str, cpus: int, n_par: int, calls: int) -> None:
    """One round in a fresh kernel: every figure, or only the call overhead."""
    only_overhead = args.only == "overhead"
    s = Session.start(kernel)
    try:
        t0 = time.perf_counter()
        out = s.execute(CELL, timeout=300)
        assert out["reply"]["status"] == "ok", out
        r["first_build_s"].append(time.perf_counter() - t0)
        s.value("func ifib(n int) int {\n\tif n < 2 {\n\t\treturn n\n\t}\n\treturn ifib(n-1) + ifib(n-2)\n}\n"
                "func inop() {}")
        for _ in range(1 if args.quick else 3):
            loop = f"for i := 0; i < {calls}; i++ {{ {{fn}} }}"
            base = float(s.value(TIMED.format(call=loop.replace("{fn}", "inop()"))))
            nop = float(s.value(TIMED.format(call=loop.replace("{fn}", "Nop()"))))
            inc = float(s.value(TIMED.format(call=loop.replace("{fn}", "Inc(i)"))))
            r["nop_us"].append((nop - base) / calls * 1e6)
            r["inc_us"].append((inc - base) / calls * 1e6)
            if only_overhead:
                continue
            r["cell_fib"].append(float(s.value(TIMED.format(call="fib(27)"))))
            r["interp_fib"].append(float(s.value(TIMED.format(call="ifib(27)"))))
            r["go_fib"].append(float(subprocess.run([exe, "fib"], capture_output=True, text=True,
                                                    check=True).stdout))
            # The cell and the control side by side, each as one/all cores.
            one = float(s.value(f"Par(1, {2 * cpus}, {n_par})"))
            alln = float(s.value(f"Par({cpus}, {2 * cpus}, {n_par})"))
            r["cell_par"].append(one / alln)
            r["go_par"].append(float(subprocess.run([exe, "par", str(n_par)], capture_output=True,
                                                    text=True, check=True).stdout))
            r["load"].append(os.getloadavg()[0])
            mid = s.kc.execute("Spin()")
            time.sleep(0.5)
            t0 = time.perf_counter()
            s.kc.control_channel.send(s.kc.session.msg("interrupt_request", {}))
            while True:
                m = s.kc.get_iopub_msg(timeout=30)
                if (m["parent_header"].get("msg_id") == mid and m["msg_type"] == "status"
                        and m["content"]["execution_state"] == "idle"):
                    break
            r["interrupt_ms"].append((time.perf_counter() - t0) * 1e3)
            s.drain()
            t0 = time.perf_counter()
            s.value("%%compile\nfunc Small(x int) int { return x * 2 }")
            r["build_s"].append(time.perf_counter() - t0)
    finally:
        s.stop()


def run_python(r: dict, args) -> None:
    """fib(27) in ipykernel (CPython), timed inside the cell."""
    try:
        s = Session.start("python3")
    except KernelError as e:  # a loaded machine can take ipykernel past the harness's 30 s
        print(f"ipykernel skipped this round: {e}", file=sys.stderr)
        return
    try:
        s.value(PYFIB)
        for _ in range(1 if args.quick else 3):
            r["py_fib"].append(float(s.value("t0 = time.perf_counter(); fib(27); time.perf_counter() - t0")))
    finally:
        s.stop()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--kernels", default="golit",
                    help="comma-separated golit kernelspecs, run in turn each round (A/B of two builds)")
    ap.add_argument("--only", choices=["overhead"], help="time only the call overhead")
    args = ap.parse_args()
    rounds = 1 if args.quick else args.rounds
    n_par = 27 if args.quick else 38  # about 0.2 s a task: runs long enough to see past scheduling noise
    cpus = os.cpu_count() or 1
    calls = 2000 if args.quick else 20000
    kernels = args.kernels.split(",")
    keys = ("interp_fib", "cell_fib", "go_fib", "py_fib", "cell_par", "go_par", "load",
            "nop_us", "inc_us", "build_s", "first_build_s", "interrupt_ms")
    res = {k: {key: [] for key in keys} for k in kernels}
    load0 = os.getloadavg()

    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "main.go"), "w") as f:
            f.write(CONTROL)
        with open(os.path.join(tmp, "go.mod"), "w") as f:
            f.write("module control\n\ngo 1.22\n")
        exe = os.path.join(tmp, "control")
        subprocess.run(["go", "build", "-o", exe, "."], cwd=tmp, check=True)

        for _ in range(rounds):
            for k in kernels:
                run_golit(k, res[k], args, exe, cpus, n_par, calls)
            if args.only is None:
                run_python(res[kernels[0]], args)

    load1 = os.getloadavg()
    print(f"rounds: {rounds}, cores: {cpus}, calls per overhead sample: {calls}, "
          f"load average (1 min) {load0[0]:.1f} at the start, {load1[0]:.1f} at the end")
    for k in kernels:
        m = {key: med(v) for key, v in res[k].items()}
        print(f"\nkernel {k}:")
        print("| figure | golit interpreted | compiled cell | compiled Go | ipykernel (CPython) | cell/compiled Go | target |")
        print("|---|---|---|---|---|---|---|")
        if args.only is None:
            print(f"| recursive fib(27), call included | {m['interp_fib']:.3f} s | {m['cell_fib'] * 1e3:.2f} ms | "
                  f"{m['go_fib'] * 1e3:.2f} ms | {m['py_fib']:.3f} s | {m['cell_fib'] / m['go_fib']:.2f} | <= 2 |")
            ratios = [c / g for c, g in zip(res[k]["cell_par"], res[k]["go_par"])]
            print(f"| CPU-bound speedup, {cpus} cores vs GOMAXPROCS(1) | | {m['cell_par']:.2f}x | "
                  f"{m['go_par']:.2f}x (control) | | {med(ratios):.2f} (median of paired runs; "
                  f"range {min(ratios):.2f}-{max(ratios):.2f}) | >= 0.95 |")
        print(f"| call overhead, func Nop() | | {m['nop_us']:.1f} us | | | | < 20 us |")
        print(f"| call overhead, func Inc(int) int | | {m['inc_us']:.1f} us | | | | < 20 us |")
        print(f"|   samples (Nop) | | {', '.join(f'{x:.1f}' for x in res[k]['nop_us'])} | | | | |")
        if args.only is None:
            print(f"| interrupt a compiled busy loop: time to idle | | {m['interrupt_ms']:.1f} ms | | | | <= 100 ms |")
            print(f"| redefine a one-function compiled cell (warm cache), round trip | | {m['build_s']:.2f} s | | | | < 1 s |")
            print(f"| first compiled cell of a kernel (build + worker start), round trip | | {m['first_build_s']:.2f} s | | | | |")
            print(f"| load average (1 min) during the parallel runs | | {', '.join(f'{x:.1f}' for x in res[k]['load'])} | | | | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
