#!/usr/bin/env python3
"""Benchmark-style fuzzing of every parser, plus the end-to-end probe with garbage-printing tools.

Part 1: for each public parse function (tests/fuzzing.py), ``--inputs`` hostile inputs (default
10,000): random bytes/text, deep JSON, 100k/1M-character lines, and mutations of the real captures
in tests/data (huge/negative numbers, Unicode digits, truncation, NUL, CRLF, GBK/UTF-16, junk).
Counts per parser: inputs, crashes (any exception but ParseError), over the per-input time bound,
random inputs accepted (returned facts instead of the parse error; in parentheses for the
one-value helpers such as ``parse_int`` or ``parse_size``, where a random '7' or '4 GB' *is* a
valid value and accepting it is right). ``--save`` writes each crasher
or slow input into tests/data/fuzz-corpus/<parser>/ (the regression corpus).

Part 3: ``--smoke`` corrupted copies of the shipped smoke model (bit flips, truncation, inserted
bytes, swapped blocks) with its manifest next to them: each must end as ``model-corrupt``.

Part 2: ``main.py probe --json`` with a fake ``mthreads-gmi`` / ``nvidia-smi`` on PATH that prints
garbage (exit 0): the JSON must name the tool in a problem, stderr must hold no traceback, and the
run must take under 2 s (the probe is restricted to that tool's source with --source when the CLI
has it, otherwise it runs whole).

    python bench/fuzz_parsers.py [--inputs 10000] [--only NAME] [--e2e 30] [--save] [--seed 1]

No assertions: it prints numbers (a measurement, like the other bench scripts).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests import fuzzing  # noqa: E402


def fuzz_parsers(n: int, only: str | None, seed: int, save: bool) -> list[dict]:
    rows = []
    for target in fuzzing.targets():
        if only and only not in target.name:
            continue
        rng = random.Random(f"{seed}:{target.name}")
        crashes = slow = accepted = randoms = 0
        worst = 0.0
        examples: list[str] = []
        t_start = time.perf_counter()
        for i in range(n):
            kind, text, parser = fuzzing.hostile(rng, target, i)
            out = fuzzing.run_one(parser, text)
            worst = max(worst, out.seconds)
            bad = None
            if not out.ok:
                crashes += 1
                bad = "crash"
                if len(examples) < 3:
                    examples.append(out.error or "?")
            elif out.seconds > fuzzing.TIME_BOUND_S:
                slow += 1
                bad = "slow"
            if kind == "random":
                randoms += 1
                if out.accepted:
                    accepted += 1
                    bad = bad or "accepted"
            if bad and save:
                folder = fuzzing.CORPUS / target.name
                folder.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
                (folder / f"{bad}-{digest}.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
        rows.append(
            {
                "parser": target.name,
                "strict": target.strict,
                "inputs": n,
                "random": randoms,
                "crashes": crashes,
                "over_time": slow,
                "accepted": accepted,
                "worst_s": round(worst, 3),
                "total_s": round(time.perf_counter() - t_start, 1),
                "examples": examples,
            }
        )
        print(
            f"{target.name:45s} {n:6d} {crashes:7d} {slow:9d} "
            f"{accepted if target.strict else f'({accepted})':>8} {worst:8.3f}",
            flush=True,
        )
        for e in examples:
            print("      ", e)
    return rows


FLOOD = "<flood>"  # the fake tool prints without end (yes): Host.run must stop it, not buffer it
GARBAGE = [
    FLOOD,
    "",
    "   \n\t\n",
    "\x00\x01\x02",
    "MTBios Version: 1\n",
    "Key: value\nOther:  thing\n",
    "9" * 400 + "\n",
    "0, " + " " * 40000 + "x\n",
    "{" * 50000,
    "Driver Version:\n",
    "| 0 | x |\n",
    "mthreads-gmi:2.0.0 Driver Version:3.0.0\n+"
    + "-" * 40
    + "+\n0 X |00000000:01:00.0 |"
    + "9" * 500
    + "%\n",
    "0, 00000000:01:00.0, 0x250410DE, RTX, GPU-1, 550.54.14, "
    + "9" * 400
    + ", 1, 40, 1, 1, 1, 1, 1, 1, 1, 1, 1, 8.6\n",
]


def _fake_tool(folder: Path, name: str, text: str) -> None:
    data = folder / f"{name}.out"
    data.write_bytes(text.encode("utf-8", "surrogatepass"))
    script = folder / name
    body = "exec yes 'garbage 1234567890 | x : 45C'" if text == FLOOD else f"cat '{data}'\nexit 0"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)


def end_to_end(runs: int, seed: int) -> list[dict]:
    rng = random.Random(f"{seed}:e2e")
    results = []
    for tool in ("mthreads-gmi", "nvidia-smi"):
        named = traceback = 0
        times = []
        for i in range(runs):
            text = GARBAGE[i] if i < len(GARBAGE) else fuzzing.random_text(rng)
            with tempfile.TemporaryDirectory() as tmp:
                bin_dir = Path(tmp) / "bin"
                bin_dir.mkdir()
                _fake_tool(bin_dir, tool, text)
                env = dict(
                    os.environ,
                    PATH=f"{bin_dir}:/usr/bin:/bin",
                    RIGPILOT_NO_BOOTSTRAP="1",
                    RIGPILOT_ROOT=tmp,
                    RIGPILOT_PLATFORM="linux",
                    PYTHONDONTWRITEBYTECODE="1",
                )
                env.pop("PYTHONPATH", None)
                t0 = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, str(ROOT / "main.py"), "probe", "--json"],
                    cwd=ROOT,
                    env=env,
                    capture_output=True,
                    timeout=60,
                )
                seconds = time.perf_counter() - t0
            times.append(seconds)
            try:
                problems = json.loads(proc.stdout.decode("utf-8", "replace")).get("problems", [])
            except ValueError:
                problems = []
            if any(tool in (p.get("message") or "") for p in problems):
                named += 1
            if b"Traceback" in proc.stderr:
                traceback += 1
        results.append(
            {
                "tool": tool,
                "runs": runs,
                "problem_names_tool": named,
                "tracebacks": traceback,
                "max_s": round(max(times), 2),
                "median_s": round(sorted(times)[len(times) // 2], 2),
                "over_2s": sum(t > 2.0 for t in times),
            }
        )
        r = results[-1]
        print(
            f"{tool:14s} runs {runs:3d}  problem naming the tool {named:3d}  tracebacks {traceback}  "
            f"median {r['median_s']:.2f} s  max {r['max_s']:.2f} s  over 2 s {r['over_2s']}",
            flush=True,
        )
    return results


def smoke_model(n: int, seed: int) -> dict:
    """Corrupted copies of the shipped smoke model (next to a copy of its manifest) -> the runner."""
    from probes.smoke.target import runner

    rng = random.Random(f"{seed}:smoke")
    data = runner.DEFAULT_MODEL.read_bytes()
    manifest = runner.manifest_path(runner.DEFAULT_MODEL).read_bytes()
    corrupt = other = 0
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / runner.DEFAULT_MODEL.name
        runner.manifest_path(path).write_bytes(manifest)
        for _ in range(n):
            raw = bytearray(data)
            how = rng.randrange(4)
            if how == 0:
                for _ in range(rng.randrange(1, 4)):
                    raw[rng.randrange(len(raw))] ^= 1 << rng.randrange(8)
            elif how == 1:
                raw = raw[: rng.randrange(len(raw))]
            elif how == 2:
                at = rng.randrange(len(raw))
                raw[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 64)))
            else:
                a = rng.randrange(len(raw) - 64)
                raw[a : a + 32], raw[a + 32 : a + 64] = raw[a + 32 : a + 64], raw[a : a + 32]
                if raw == data:
                    raw[a] ^= 0xFF
            path.write_bytes(bytes(raw))
            t0 = time.perf_counter()
            result = runner.run(device="cpu", model=str(path), out=tmp)
            times.append(time.perf_counter() - t0)
            if result["codes"] == ["model-corrupt"]:
                corrupt += 1
            else:
                other += 1
    out = {"copies": n, "model_corrupt": corrupt, "other": other, "max_s": round(max(times or [0]), 3)}
    print(
        f"smoke model    corrupted copies {n}  model-corrupt {corrupt}  other {other}  "
        f"max {out['max_s']:.3f} s",
        flush=True,
    )
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=int, default=10_000)
    ap.add_argument("--only", default=None, help="only parsers whose name contains this")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--e2e", type=int, default=30, help="garbage runs per fake tool (0: skip)")
    ap.add_argument("--smoke", type=int, default=1000, help="corrupted copies of the smoke model (0: skip)")
    ap.add_argument("--save", action="store_true", help="save crashers/slow/accepted inputs to the corpus")
    ap.add_argument("--json", default=None, help="also write the figures to this file")
    args = ap.parse_args(argv)
    print(f"{'parser':45s} {'inputs':>6s} {'crashes':>7s} {'over-time':>9s} {'accepted':>8s} {'worst s':>8s}")
    rows = fuzz_parsers(args.inputs, args.only, args.seed, args.save)
    total = {k: sum(r[k] or 0 for r in rows) for k in ("inputs", "crashes", "over_time")}
    total["accepted"] = sum(r["accepted"] for r in rows if r["strict"])
    print(
        f"{'TOTAL':45s} {total['inputs']:6d} {total['crashes']:7d} {total['over_time']:9d} "
        f"{total['accepted']:>8d}"
    )
    e2e = end_to_end(args.e2e, args.seed) if args.e2e else []
    smoke = smoke_model(args.smoke, args.seed) if args.smoke else None
    if args.json:
        Path(args.json).write_text(
            json.dumps({"parsers": rows, "total": total, "end_to_end": e2e, "smoke_model": smoke}, indent=1),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
