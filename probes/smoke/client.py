"""Run the smoke test (``python -m probes.smoke.target --json-lines``) in any interpreter as a subprocess.

Qt-free and shared by the CLI and the Verify page: argv list (no shell), the repository root as
working directory and on PYTHONPATH, stdout read line by line as events, an overall timeout and a
cooperative cancel (terminate, then kill). Whatever happens, the caller gets one result dict in
the ``rigpilot.smoke/1`` shape — a missing interpreter, a crash or a timeout become codes too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

from probes.core.paths import default_data_dir

REPO_ROOT = Path(__file__).resolve().parents[2]
SCHEMA = "rigpilot.smoke/1"
MAX_LINE_BYTES = 1024 * 1024  # stdout/stderr are read line by line, each line cut at this size


def default_out_dir() -> Path:
    """Where the generated images go: ``<data dir>/smoke``."""
    return default_data_dir() / "smoke"


def build_argv(
    python: str,
    *,
    device="auto",
    dtype="auto",
    steps=None,
    resolution=None,
    model=None,
    out=None,
    inject: str = "",
) -> list[str]:
    argv = [python, "-m", "probes.smoke.target", "--json-lines", "--device", device, "--dtype", dtype]
    if steps is not None:
        argv += ["--steps", str(int(steps))]
    if resolution is not None:
        argv += ["--resolution", str(int(resolution))]
    if model:
        argv += ["--model", str(model)]
    if out:
        argv += ["--out", str(out)]
    if inject:
        argv += ["--inject", inject]
    return argv


def failure_result(code: str, detail: str, python: str, **extra) -> dict:
    result = {
        "event": "result",
        "schema": SCHEMA,
        "verdict": "fail",
        "codes": [code],
        "problems": [{"code": code, "severity": "fail", "detail": detail, **extra}],
        "device": None,
        "dtype": None,
        "steps_per_s": None,
        "dequant_gbps": None,
        "peak_memory_bytes": None,
        "psnr_db_vs_cpu": None,
        "image": None,
        "python": python,
    }
    return result


def run_smoke(
    python: str | None = None,
    *,
    on_event=None,
    timeout_s: float = 300.0,
    cancel: threading.Event | None = None,
    **options,
) -> dict:
    """Run the smoke test and return its result; ``on_event(dict)`` gets each progress event."""
    python = python or sys.executable
    argv = build_argv(python, **options)
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    command = " ".join(argv)
    try:
        proc = subprocess.Popen(
            argv,
            cwd=str(REPO_ROOT),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
    except FileNotFoundError:
        return failure_result(
            "smoke-runner-failed", f"{python} was not found", python, rc=None, command=command
        )
    except OSError as exc:
        return failure_result(
            "smoke-runner-failed",
            f"{python} could not be started: {exc.strerror or exc}",
            python,
            rc=None,
            command=command,
        )

    stderr_tail: deque[str] = deque(maxlen=40)
    result: dict | None = None
    lock = threading.Lock()

    def read_stdout():
        nonlocal result
        skipping = False
        for raw in iter(lambda: proc.stdout.readline(MAX_LINE_BYTES), b""):
            whole = raw.endswith(b"\n")
            if skipping or not whole and len(raw) >= MAX_LINE_BYTES:
                skipping = not whole  # not one of the runner's JSON lines: never buffer it whole
                continue
            line = raw.decode("utf-8", errors="replace").strip()
            if not line.startswith("{"):
                continue
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if not isinstance(event, dict):
                continue
            if event.get("event") == "result":
                with lock:
                    result = event
            if on_event:
                on_event(event)

    def read_stderr():
        for raw in iter(lambda: proc.stderr.readline(MAX_LINE_BYTES), b""):
            stderr_tail.append(raw.decode("utf-8", errors="replace").rstrip())

    readers = [
        threading.Thread(target=read_stdout, daemon=True),
        threading.Thread(target=read_stderr, daemon=True),
    ]
    for t in readers:
        t.start()
    deadline = time.monotonic() + timeout_s
    stopped = None
    while proc.poll() is None:
        if cancel is not None and cancel.is_set():
            stopped = "cancelled"
        elif time.monotonic() > deadline:
            stopped = "timeout"
        if stopped:
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            break
        time.sleep(0.05)
    for t in readers:
        t.join(5)
    if stopped == "cancelled":
        out = failure_result("smoke-cancelled", "the smoke test was cancelled", python, command=command)
        out["verdict"] = "cancelled"
        out["codes"] = []
        out["problems"] = []
        return out
    if stopped == "timeout":
        return failure_result(
            "smoke-timeout", f"no result within {timeout_s:g} s", python, timeout=timeout_s, command=command
        )
    with lock:
        if result is not None:
            result.setdefault("python", python)
            return result
    tail = "\n".join(list(stderr_tail)[-8:])
    return failure_result(
        "smoke-runner-failed", tail or "no output", python, rc=proc.returncode, command=command
    )
