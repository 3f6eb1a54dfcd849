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
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    device: str = "auto",
    dtype: str = "auto",
    steps: int | None = None,
    resolution: int | None = None,
    model: str | None = None,
    out: str | None = None,
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


def failure_result(code: str, detail: str, python: str, **extra: object) -> dict:
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


def _child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(REPO_ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class _Output:
    """Reads the runner's stdout (JSON events; the last ``result`` kept) and stderr (its tail) on two
    threads, so that neither pipe fills up."""

    def __init__(self, proc: subprocess.Popen, on_event: Callable[[dict], object] | None) -> None:
        self.proc, self.on_event = proc, on_event
        self.stderr_tail: deque[str] = deque(maxlen=40)
        self.result: dict | None = None
        self.lock = threading.Lock()
        self.threads = [
            threading.Thread(target=self._read_stdout, daemon=True),
            threading.Thread(target=self._read_stderr, daemon=True),
        ]
        for t in self.threads:
            t.start()

    def _read_stdout(self) -> None:
        assert self.proc.stdout is not None  # started with stdout=PIPE
        stdout = self.proc.stdout
        skipping = False
        for raw in iter(lambda: stdout.readline(MAX_LINE_BYTES), b""):
            whole = raw.endswith(b"\n")
            if skipping or (not whole and len(raw) >= MAX_LINE_BYTES):
                skipping = not whole  # not one of the runner's JSON lines: never buffer it whole
                continue
            event = _event(raw)
            if event is None:
                continue
            if event.get("event") == "result":
                with self.lock:
                    self.result = event
            if self.on_event:
                self.on_event(event)

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None  # started with stderr=PIPE
        stderr = self.proc.stderr
        for raw in iter(lambda: stderr.readline(MAX_LINE_BYTES), b""):
            self.stderr_tail.append(raw.decode("utf-8", errors="replace").rstrip())

    def join(self, timeout_s: float) -> None:
        for t in self.threads:
            t.join(timeout_s)


def _event(raw: bytes) -> dict | None:
    """One line of the runner's stdout as an event dict; None for anything else."""
    line = raw.decode("utf-8", errors="replace").strip()
    if not line.startswith("{"):
        return None
    try:
        event = json.loads(line)
    except ValueError:
        return None
    return event if isinstance(event, dict) else None


def _wait(proc: subprocess.Popen, timeout_s: float, cancel: threading.Event | None) -> str | None:
    """Wait for the runner; stop it (terminate, then kill) on cancel or timeout: which, or None."""
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
    return stopped


def run_smoke(
    python: str | None = None,
    *,
    on_event: Callable[[dict], object] | None = None,
    timeout_s: float = 300.0,
    cancel: threading.Event | None = None,
    **options: Any,  # build_argv's keyword arguments
) -> dict:
    """Run the smoke test and return its result; ``on_event(dict)`` gets each progress event."""
    python = python or sys.executable
    argv = build_argv(python, **options)
    command = " ".join(argv)
    try:
        proc = subprocess.Popen(
            argv,
            cwd=str(REPO_ROOT),
            env=_child_env(),
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

    output = _Output(proc, on_event)
    stopped = _wait(proc, timeout_s, cancel)
    output.join(5)
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
    with output.lock:
        if output.result is not None:
            output.result.setdefault("python", python)
            return output.result
    tail = "\n".join(list(output.stderr_tail)[-8:])
    return failure_result(
        "smoke-runner-failed", tail or "no output", python, rc=proc.returncode, command=command
    )
