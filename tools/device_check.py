#!/usr/bin/env python3
"""Run every real-GPU check of RigPilot in one go and keep the raw outputs as fixture material.

For a session that is lent a GPU machine (the `device` tool): the machine has python3 with torch
and nvidia-ml-py but no network and no Qt, so the core CLI runs there with the bootstrap off.

    RIGPILOT_NO_BOOTSTRAP=1 python3 tools/device_check.py --out "$OUT" [--quick]

What it runs (each with a timeout; a failing step is recorded, the others still run):
  1. nvidia-smi: the CSV queries the NVIDIA source and telemetry send, ``-q``, ``topo -m``, ``--version``
     (verbatim outputs for tests/data/nvidia-smi/);
  2. ``main.py probe --json`` and ``probe --record`` (a replayable recording of this machine);
  3. ``main.py smoke --json`` with the automatic device and dtype, then float16, then a larger
     resolution (issue 4: "on a GPU it runs on the GPU in the right dtype");
  4. ``bench/dequant.py`` on the GPU (GB/s of the kernels vs the straightforward references);
  5. ``main.py monitor --json`` for a few seconds (real NVML telemetry) and ``power show --json``.

Writes ``device-check.jsonl`` (one record per step: argv, rc, seconds, stdout, stderr) and
``recording.tar.gz`` into ``--out``: two files, well inside what the device tool brings back.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def steps(py: str, rec_dir: str, quick: bool) -> list[tuple[str, list[str], float]]:
    sys.path.insert(0, str(ROOT))
    from probes.detect.parsers.nvidia_smi import (  # the probes' own queries
        QUERY_FIELDS,
        TELEMETRY_FIELDS,
        query_argv,
    )

    main = [py, str(ROOT / "main.py")]
    out = [
        ("nvidia-smi-version", ["nvidia-smi", "--version"], 20),
        ("nvidia-smi-csv", query_argv("nvidia-smi", QUERY_FIELDS), 20),
        ("nvidia-smi-telemetry", query_argv("nvidia-smi", TELEMETRY_FIELDS), 20),
        ("nvidia-smi-q", ["nvidia-smi", "-q"], 30),
        ("nvidia-smi-topo", ["nvidia-smi", "topo", "-m"], 20),
        ("probe", main + ["probe", "--json"], 60),
        ("probe-record", main + ["probe", "--record", rec_dir], 60),
        ("smoke-auto", main + ["smoke", "--json"], 300),
        ("smoke-fp16", main + ["smoke", "--json", "--dtype", "fp16"], 300),
    ]
    if not quick:
        out += [
            ("smoke-512px", main + ["smoke", "--json", "--resolution", "512"], 300),
            ("dequant-bench", [py, str(ROOT / "bench" / "dequant.py"), "--device", "cuda", "--json"], 300),
        ]
    out += [
        ("monitor", main + ["monitor", "--json", "--duration", "5"], 60),
        ("power-show", main + ["power", "show", "--gpu", "0", "--json"], 60),
    ]
    return out


def run_step(name: str, argv: list[str], timeout_s: float) -> dict:
    env = dict(os.environ, RIGPILOT_NO_BOOTSTRAP="1", PYTHONDONTWRITEBYTECODE="1")
    t0 = time.monotonic()
    record = {"step": name, "argv": argv}
    try:
        proc = subprocess.run(argv, capture_output=True, text=True, timeout=timeout_s, env=env, cwd=ROOT)
        record.update(rc=proc.returncode, stdout=proc.stdout, stderr=proc.stderr[-20000:])
    except FileNotFoundError as exc:
        record.update(rc=None, error="not-found", stderr=str(exc))
    except subprocess.TimeoutExpired as exc:
        record.update(
            rc=None,
            error="timeout",
            stdout=(exc.stdout or b"").decode("utf-8", "replace")
            if isinstance(exc.stdout, bytes)
            else exc.stdout,
            stderr=str(exc),
        )
    record["seconds"] = round(time.monotonic() - t0, 2)
    return record


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="folder for device-check.jsonl and recording.tar.gz")
    ap.add_argument(
        "--quick", action="store_true", help="skip the 512 px smoke run and the dequant benchmark"
    )
    ap.add_argument(
        "--python", default=sys.executable, help="interpreter that runs main.py (default: this one)"
    )
    args = ap.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="rigpilot-rec-") as tmp:
        rec_dir = os.path.join(tmp, "recording")
        with open(out / "device-check.jsonl", "w", encoding="utf-8") as log:
            for name, cmd, timeout_s in steps(args.python, rec_dir, args.quick):
                record = run_step(name, cmd, timeout_s)
                failed += record.get("rc") != 0
                log.write(json.dumps(record, ensure_ascii=False) + "\n")
                log.flush()
                print(f"{name:18} rc={record.get('rc')} {record['seconds']:7.2f} s", flush=True)
        if os.path.isdir(rec_dir):
            buf = io.BytesIO()
            with tarfile.open(fileobj=buf, mode="w:gz") as tar:
                tar.add(rec_dir, arcname="recording")
            (out / "recording.tar.gz").write_bytes(buf.getvalue())
    print(f"{failed} step(s) did not exit 0; outputs in {out}", flush=True)
    for line in summary(out / "device-check.jsonl"):
        print(line, flush=True)
    return 0


def summary(log_path: Path) -> list[str]:
    """The lines that answer the issues' questions at a glance: where the smoke test ran, in which
    dtype, its verdict; the dequant benchmark's ratios."""
    lines = []
    for line in log_path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        name, stdout = record["step"], record.get("stdout") or ""
        if name.startswith("smoke"):
            try:
                r = json.loads(stdout)
            except ValueError:
                lines.append(f"{name}: no result (rc={record.get('rc')})")
                continue
            lines.append(
                f"{name}: device={r.get('device')} ({r.get('device_name')}) dtype={r.get('dtype')} "
                f"verdict={r.get('verdict')} codes={r.get('codes')} steps/s={r.get('steps_per_s')} "
                f"psnr={r.get('psnr_db_vs_cpu')} peak_bytes={r.get('peak_memory_bytes')}"
            )
        elif name == "dequant-bench":
            for row_text in stdout.splitlines():
                if row_text.startswith("{"):
                    row = json.loads(row_text)
                    lines.append(
                        f"dequant {row['type']} {row['dtype']}: {row['kernel_gbps']} GB/s, "
                        f"{row['x_vs_straight']}x straight, {row['x_vs_fp32_cast']}x fp32-cast"
                    )
    return lines


if __name__ == "__main__":
    sys.exit(main())
