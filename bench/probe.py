#!/usr/bin/env python3
"""Benchmark: wall time of ``python main.py probe --json`` vs ``python -m torch.utils.collect_env``.

Both run with the same interpreter on the same machine; each is run several times and the
median is taken. Prints the numbers and the ratio (target from docs/ARCHITECTURE.md: <= 0.25). No
assertions: this is a measurement, not a test.

    python bench/probe.py [--runs 5] [--python /path/to/python] [--root CHECKOUT] [-- extra probe args]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def wall(argv: list[str], cwd: Path, timeout_s: float) -> tuple[float, int]:
    env = dict(os.environ, RIGPILOT_NO_BOOTSTRAP="1", PYTHONDONTWRITEBYTECODE="1")
    t0 = time.perf_counter()
    proc = subprocess.run(
        argv, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout_s
    )
    return time.perf_counter() - t0, proc.returncode


def measure(name: str, argv: list[str], runs: int, cwd: Path, timeout_s: float) -> list[float]:
    times = []
    wall(argv, cwd, timeout_s)  # warm-up: page cache, .pyc files
    for i in range(runs):
        t, rc = wall(argv, cwd, timeout_s)
        times.append(t)
        print(f"  {name} run {i + 1}: {t:.3f} s (exit {rc})", flush=True)
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--python", default=sys.executable, help="interpreter for both commands")
    ap.add_argument("--root", default=str(HERE), help="the RigPilot checkout to run main.py from")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("probe_args", nargs="*", help="extra arguments for 'probe --json'")
    args = ap.parse_args()
    root = Path(args.root).resolve()
    probe_argv = [args.python, str(root / "main.py"), "probe", "--json", *args.probe_args]
    torch_argv = [args.python, "-m", "torch.utils.collect_env"]
    print(f"interpreter: {args.python}")
    print(f"checkout:    {root}")
    print(f"runs:        {args.runs} (+1 warm-up each)")
    probe_t = measure("probe --json", probe_argv, args.runs, root, args.timeout)
    torch_t = measure("collect_env", torch_argv, args.runs, root, args.timeout)
    p, t = statistics.median(probe_t), statistics.median(torch_t)
    print(f"median probe --json:              {p:.3f} s  (min {min(probe_t):.3f}, max {max(probe_t):.3f})")
    print(f"median torch.utils.collect_env:   {t:.3f} s  (min {min(torch_t):.3f}, max {max(torch_t):.3f})")
    print(f"ratio probe/collect_env:          {p / t:.3f}  (target <= 0.25)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
