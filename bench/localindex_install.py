#!/usr/bin/env python3
"""Benchmark: install time of uv vs pip from a local index (tools/localindex.py), cold caches.

Each run makes a new ``uv venv`` and a new empty cache folder, then installs from the local index only:
the stand-ins (``torchvision==0.28.0+standin``, which pulls ``torch==2.13.0+standin``) with uv and with
pip, and, given ``--torch-wheel`` and ``--deps`` (a folder of torch's dependency wheels, e.g. the one the
``torch_index`` fixture caches), the real CPU torch. Prints each run and the medians. No assertions: this
is a measurement, not a test.

    python bench/localindex_install.py [--runs 3] [--torch-wheel WHEEL --deps FOLDER]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.localindex import LocalIndex, isolated_env, standin_companion, standin_torch  # noqa: E402


def one_install(tool: str, uv: str, index: LocalIndex, requirement: str, work: Path) -> float:
    shutil.rmtree(work, ignore_errors=True)
    env = isolated_env(work / "cache")
    subprocess.run(
        [uv, "venv", "-q", "--python", sys.executable, str(work / "venv")], check=True, env=env, timeout=120
    )
    python = str(work / "venv" / "bin" / "python")
    if tool == "uv":
        argv = [uv, "pip", "install", "-q", "--python", python, "--index-url", index.url, requirement]
    else:
        argv = [
            sys.executable,
            "-m",
            "pip",
            "--python",
            python,
            "install",
            "-q",
            "--no-cache-dir",
            "--index-url",
            index.url,
            requirement,
        ]
    start = time.perf_counter()
    subprocess.run(argv, check=True, env=env, timeout=900)
    took = time.perf_counter() - start
    shutil.rmtree(work, ignore_errors=True)
    return took


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--torch-wheel", type=Path)
    ap.add_argument("--deps", type=Path)
    args = ap.parse_args()
    from uv import find_uv_bin

    uv = find_uv_bin()
    cases = [("stand-ins", "torchvision==0.28.0+standin", tool) for tool in ("uv", "pip")]
    with tempfile.TemporaryDirectory(prefix="rigpilot-bench-") as tmp, LocalIndex() as index:
        work = Path(tmp)
        index.add(standin_torch(work / "wheels"))
        index.add(standin_companion(work / "wheels"))
        if args.torch_wheel and args.deps:
            (torch_file,) = [index.add(args.torch_wheel)]
            index.add_folder(args.deps)
            cases += [("real torch", f"torch=={torch_file.version}", tool) for tool in ("uv", "pip")]
        for label, requirement, tool in cases:
            times = []
            for i in range(args.runs):
                times.append(one_install(tool, uv, index, requirement, work / "run"))
                print(f"  {label} with {tool}, run {i + 1}: {times[-1]:.2f} s", flush=True)
            print(f"{label} with {tool}: median {statistics.median(times):.2f} s", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
