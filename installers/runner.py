"""Running the installer's child processes (uv, pip, the new environment's python): every one under a
timeout, its output read line by line as it comes (for the log view and progress), and stoppable.

A child runs in its own process group (POSIX: a new session; Windows: CREATE_NEW_PROCESS_GROUP) so
that cancelling or a timeout stops it *and* what it started (pip's build backends, uv's workers): first
politely (SIGTERM / CTRL_BREAK), then SIGKILL / taskkill /T /F after a grace period.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from probes.core.errors import RigPilotError
from probes.core.i18n import Text

GRACE_S = 3.0
TAIL_LINES = 40


class Cancel:
    """A flag the GUI's Cancel button (or Ctrl+C) sets; every step and every child checks it."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, seconds: float) -> bool:
        return self._event.wait(seconds)


def cancelled_error() -> RigPilotError:
    return RigPilotError(
        "install-cancelled",
        Text("execute", "The install was cancelled."),
        Text(
            "execute", "Nothing was switched: the previous environment is unchanged. Run it again to retry."
        ),
    )


@dataclass
class Completed:
    argv: tuple
    rc: int
    tail: list  # the last lines of output (stdout and stderr together)
    seconds: float


def _popen_kwargs() -> dict:
    if os.name == "nt":
        return {"creationflags": getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0x200)}
    return {"start_new_session": True}


def _stop(proc: subprocess.Popen) -> None:
    """Stop the child and its group: politely, then for good."""
    if proc.poll() is not None:
        return
    try:
        if os.name == "nt":
            proc.send_signal(getattr(signal, "CTRL_BREAK_EVENT", signal.SIGTERM))
        else:
            os.killpg(proc.pid, signal.SIGTERM)
    except (OSError, ValueError):
        pass
    try:
        proc.wait(GRACE_S)
        return
    except subprocess.TimeoutExpired:
        pass
    try:
        if os.name == "nt":
            subprocess.run(
                ["taskkill", "/PID", str(proc.pid), "/T", "/F"], capture_output=True, timeout=10, check=False
            )
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, subprocess.SubprocessError):
        proc.kill()
    try:
        proc.wait(GRACE_S)
    except subprocess.TimeoutExpired:  # pragma: no cover - a process that survives SIGKILL
        pass


def _reader(stream: Any, on_line: Callable[[str], None], tail: deque) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", "replace").rstrip("\r\n")
        # progress bars redraw with carriage returns: keep the last state of the line
        line = line.rsplit("\r", 1)[-1]
        if not line.strip():
            continue
        tail.append(line)
        try:
            on_line(line)
        except Exception:  # a broken listener must not stop the install
            pass
    stream.close()


def run(
    argv: Sequence[str],
    *,
    timeout_s: float,
    cancel: Cancel | None = None,
    on_line: Callable[[str], None] | None = None,
    env: Mapping[str, str] | None = None,
    cwd: str | None = None,
    on_start: Callable[[int], None] | None = None,
) -> Completed:
    """Run ``argv``; return its exit code and the tail of its output. Raises ``install-cancelled``,
    ``install-step-timeout`` or ``install-tool-missing`` (the program is not there)."""
    started = time.monotonic()
    full_env = dict(os.environ if env is None else env)
    full_env.setdefault("PYTHONIOENCODING", "utf-8")
    try:
        proc = subprocess.Popen(
            list(argv),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            env=full_env,
            cwd=cwd,
            **_popen_kwargs(),
        )
    except FileNotFoundError:
        raise RigPilotError(
            "install-tool-missing",
            Text("execute", "{program} was not found.", program=argv[0]),
            Text("execute", "Check the path, or choose the other installer (--executor pip or uv)."),
            context={"argv": list(argv)},
        ) from None
    except OSError as exc:
        raise RigPilotError(
            "install-tool-missing",
            Text("execute", "{program} could not be started: {error}", program=argv[0], error=str(exc)),
            Text("execute", "Check the path, or choose the other installer (--executor pip or uv)."),
            context={"argv": list(argv)},
        ) from None
    if on_start is not None:
        on_start(proc.pid)
    tail: deque = deque(maxlen=TAIL_LINES)
    reader = threading.Thread(
        target=_reader, args=(proc.stdout, on_line or (lambda _line: None), tail), daemon=True
    )
    reader.start()
    deadline = started + timeout_s
    while proc.poll() is None:
        if cancel is not None and cancel.is_set:
            _stop(proc)
            reader.join(2)
            raise cancelled_error()
        if time.monotonic() > deadline:
            _stop(proc)
            reader.join(2)
            raise RigPilotError(
                "install-step-timeout",
                Text(
                    "execute",
                    "{program} did not finish within {seconds} s.",
                    program=argv[0],
                    seconds=int(timeout_s),
                ),
                Text(
                    "execute",
                    "A slow or stalled download is the usual cause: choose a closer mirror, then run it "
                    "again.",
                ),
                context={"argv": list(argv), "tail": list(tail)},
            )
        time.sleep(0.05)
    reader.join(5)
    return Completed(tuple(argv), proc.returncode, list(tail), time.monotonic() - started)


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` exists (this process counts as alive)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if os.name == "nt":  # pragma: no cover - exercised on Windows
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)  # type: ignore[attr-defined]
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)  # type: ignore[attr-defined]
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def python_env() -> dict:
    """The environment for children: this process's, minus what would point them at RigPilot's own venv
    (a child uv or pip must install into the environment it is given, not ours)."""
    env = dict(os.environ)
    for key in (
        "VIRTUAL_ENV",
        "PYTHONHOME",
        "PYTHONPATH",
        "PIP_REQUIRE_VIRTUALENV",
        "UV_PYTHON",
        "CONDA_PREFIX",
    ):
        env.pop(key, None)
    env["PYTHONNOUSERSITE"] = "1"
    return env


def this_python() -> str:
    return sys.executable
