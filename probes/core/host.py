"""The Host seam: the one object through which every probe touches the machine.

* ``run(argv, timeout_s)``: argv list, never a shell, always a timeout, at most
  ``MAX_OUTPUT_BYTES`` read from each stream (a tool printing gigabytes is stopped, not buffered),
  bytes decoded with the console code page and ``errors="replace"`` (Chinese Windows prints GBK;
  some tools print UTF-16), a typed :class:`CommandResult` instead of exceptions.
* file reads under ``RIGPILOT_ROOT`` (default ``/``) for sysfs/procfs/registry exports;
* ``which()``: PATH first, then the tool's well-known install directories;
* ``platform``: ``RIGPILOT_PLATFORM`` (``linux``/``windows``/``darwin``) or the real one;
* ``import_module()``: optional Python bindings (pynvml, pymtml) as a seam.

``RecordingHost`` and ``ReplayHost`` (probes/core/replay.py) implement the same interface.
"""

from __future__ import annotations

import codecs
import importlib
import locale
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath, PurePosixPath, PureWindowsPath
from typing import IO, Any

DEFAULT_TIMEOUT_S = 5.0
MAX_READ_BYTES = 4 * 1024 * 1024
MAX_OUTPUT_BYTES = 8 * 1024 * 1024  # per stream of one command; more and the tool is stopped
OUTPUT_TOO_LARGE = "output-too-large"


@dataclass(frozen=True)
class CommandResult:
    """What one command did. ``error`` is None, 'not-found', 'timeout', 'os-error' or
    'output-too-large' (the tool printed more than MAX_OUTPUT_BYTES and was stopped)."""

    argv: tuple[str, ...]
    rc: int | None
    stdout: str
    stderr: str
    duration_s: float = 0.0
    error: str | None = None
    detail: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and self.rc == 0

    @property
    def ran(self) -> bool:
        return self.error is None

    def to_json(self) -> dict:
        return {
            "argv": list(self.argv),
            "rc": self.rc,
            "stdout": self.stdout,
            "stderr": self.stderr,
            "duration_s": round(self.duration_s, 4),
            "error": self.error,
            "detail": self.detail,
        }

    @classmethod
    def from_json(cls, data: dict) -> CommandResult:
        return cls(
            argv=tuple(data["argv"]),
            rc=data.get("rc"),
            stdout=data.get("stdout", ""),
            stderr=data.get("stderr", ""),
            duration_s=float(data.get("duration_s", 0.0)),
            error=data.get("error"),
            detail=data.get("detail"),
        )


def platform_name(env: Mapping[str, str] | None = None) -> str:
    """'linux', 'windows' or 'darwin'; RIGPILOT_PLATFORM overrides the real platform."""
    env = os.environ if env is None else env
    forced = (env.get("RIGPILOT_PLATFORM") or "").strip().lower()
    if forced in ("linux", "windows", "darwin"):
        return forced
    if forced in ("win32", "win", "nt"):
        return "windows"
    if forced in ("mac", "macos", "osx"):
        return "darwin"
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "darwin"
    return "linux"


def _console_encoding() -> str | None:
    """The console/ANSI code page on Windows (e.g. cp936 on Chinese Windows), else None."""
    if not sys.platform.startswith("win"):
        return None
    try:  # pragma: no cover - Windows only
        import ctypes

        cp = ctypes.windll.kernel32.GetConsoleOutputCP() or ctypes.windll.kernel32.GetACP()
        return f"cp{cp}"
    except Exception:  # pragma: no cover
        return locale.getpreferredencoding(False)


def decode_output(data: bytes, encoding_hint: str | None = None) -> str:
    """Decode tool output robustly. Never raises.

    Order: BOMs; UTF-16 without BOM (every other byte NUL, as PowerShell redirected output);
    strict UTF-8; the hinted/console code page; strict GB18030 (Chinese Windows tools on a Linux
    replay); finally UTF-8 with replacement characters.
    """
    if not data:
        return ""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="replace")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    if len(data) >= 4:
        sample = data[:512]
        odd_nuls = sample[1::2].count(0)
        even_nuls = sample[0::2].count(0)
        half = len(sample) // 2
        if odd_nuls > 0.4 * half and even_nuls < 0.1 * half:
            return data.decode("utf-16-le", errors="replace")
        if even_nuls > 0.4 * half and odd_nuls < 0.1 * half:
            return data.decode("utf-16-be", errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for enc in (encoding_hint, _console_encoding(), "gb18030"):
        if not enc:
            continue
        try:
            return data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


# Well-known install directories of the smi tools, searched after PATH.
WELL_KNOWN_DIRS: dict[str, tuple[str, ...]] = {
    "linux": (
        "/usr/bin",
        "/usr/local/bin",
        "/usr/sbin",
        "/usr/local/musa/bin",
        "/opt/rocm/bin",
        "/usr/local/corex/bin",
        "/opt/maca/bin",
        "/opt/hyhal/bin",
        "/opt/dtk/bin",
        "/usr/local/cuda/bin",
    ),
    "windows": (
        r"C:\Windows\System32",
        r"C:\Program Files\NVIDIA Corporation\NVSMI",
        r"C:\Windows\System32\WindowsPowerShell\v1.0",
        r"C:\Program Files\Moore Threads\Driver",
        r"C:\Program Files\AMD\ROCm",
    ),
    "darwin": ("/usr/sbin", "/usr/bin"),
}


@dataclass
class Host:
    """The real machine. All arguments are seams with production defaults."""

    root: str | None = None
    env: dict | None = None
    platform: str | None = None
    default_timeout_s: float = DEFAULT_TIMEOUT_S
    extra_dirs: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(WELL_KNOWN_DIRS))
    simulated: str | None = None
    max_output_bytes: int = MAX_OUTPUT_BYTES

    def __post_init__(self) -> None:
        if self.env is None:
            self.env = dict(os.environ)
        if self.root is None:
            self.root = self.env.get("RIGPILOT_ROOT") or "/"
        if self.platform is None:
            self.platform = platform_name(self.env)

    # ---- commands -------------------------------------------------------------------------
    def run(
        self,
        argv: Sequence[object],
        timeout_s: float | None = None,
        *,
        env: dict | None = None,
        cwd: str | None = None,
        input_bytes: bytes | None = None,
        encoding: str | None = None,
    ) -> CommandResult:
        args = tuple(str(a) for a in argv)
        timeout = self.default_timeout_s if timeout_s is None else timeout_s
        full_env = dict(self.env or {})
        if env:
            full_env.update(env)
        kwargs: dict = {}
        if os.name == "posix":
            kwargs["start_new_session"] = True  # so a timeout kills the tool's children too
        else:  # pragma: no cover - Windows only
            kwargs["creationflags"] = getattr(subprocess, "CREATE_NO_WINDOW", 0)
        start = time.monotonic()
        try:
            proc = subprocess.Popen(  # noqa: S603 - argv list, never a shell
                list(args),
                stdin=subprocess.PIPE if input_bytes is not None else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=full_env,
                cwd=cwd,
                **kwargs,
            )
        except FileNotFoundError as exc:
            return CommandResult(args, None, "", "", time.monotonic() - start, "not-found", str(exc))
        except (PermissionError, OSError) as exc:
            return CommandResult(args, None, "", "", time.monotonic() - start, "os-error", str(exc))
        out, err = bytearray(), bytearray()
        too_much = threading.Event()
        pumps = [
            threading.Thread(
                target=_pump, args=(proc.stdout, out, self.max_output_bytes, too_much, proc), daemon=True
            ),
            threading.Thread(
                target=_pump, args=(proc.stderr, err, self.max_output_bytes, too_much, proc), daemon=True
            ),
        ]
        if input_bytes is not None:
            pumps.append(threading.Thread(target=_feed, args=(proc.stdin, input_bytes), daemon=True))
        for t in pumps:
            t.start()
        error = detail = None
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            error, detail = "timeout", f"no answer within {timeout:g} s"
        for t in pumps:
            t.join(2.0)
        if too_much.is_set():
            error, detail = (
                OUTPUT_TOO_LARGE,
                f"printed more than {self.max_output_bytes // (1024 * 1024)} MiB",
            )
        for stream in (proc.stdout, proc.stderr):
            try:
                if stream is not None:
                    stream.close()
            except OSError:
                pass
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:  # pragma: no cover - a process that ignores SIGKILL
            pass
        return CommandResult(
            args,
            None if error else proc.returncode,
            decode_output(bytes(out), encoding),
            decode_output(bytes(err), encoding),
            time.monotonic() - start,
            error,
            detail,
        )

    def which(self, name: str, extra_dirs: tuple[str, ...] | list[str] = ()) -> str | None:
        """Find a tool on PATH, then in ``extra_dirs`` and the platform's well-known dirs."""
        path_var = (self.env or {}).get("PATH", "")
        names = [name]
        if self.platform == "windows" and not name.lower().endswith(".exe"):
            names.insert(0, name + ".exe")
        for n in names:
            found = shutil.which(n, path=path_var)
            if found:
                return found
        for d in list(extra_dirs) + list(self.extra_dirs.get(self.platform or "linux", ())):
            for n in names:
                candidate = os.path.join(d, n)
                if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
                    return candidate
        return None

    # ---- files ------------------------------------------------------------------------------
    def path(self, path: str) -> Path:
        """Map an absolute machine path (``/sys/...``) under RIGPILOT_ROOT."""
        if self.root in (None, "", "/"):
            return Path(path)
        return Path(self.root) / relative_machine_path(path)

    def read_text(self, path: str, max_bytes: int = MAX_READ_BYTES) -> str | None:
        data = self.read_bytes(path, max_bytes)
        return None if data is None else decode_output(data)

    def read_bytes(self, path: str, max_bytes: int = MAX_READ_BYTES) -> bytes | None:
        try:
            with open(self.path(path), "rb") as fh:
                return fh.read(max_bytes)
        except (OSError, ValueError):
            return None

    def listdir(self, path: str) -> list[str]:
        try:
            return sorted(os.listdir(self.path(path)))
        except (OSError, ValueError):
            return []

    def exists(self, path: str) -> bool:
        try:
            return self.path(path).exists()
        except (OSError, ValueError):
            return False

    def is_dir(self, path: str) -> bool:
        try:
            return self.path(path).is_dir()
        except (OSError, ValueError):
            return False

    def readlink(self, path: str) -> str | None:
        """Target of a symlink (sysfs ``driver`` links), as stored; None if not a link."""
        try:
            return os.readlink(self.path(path))
        except (OSError, ValueError):
            return None

    def stat(self, path: str) -> os.stat_result | None:
        try:
            return os.stat(self.path(path))
        except (OSError, ValueError):
            return None

    def write_text(self, path: str, text: str) -> None:
        """Write a sysfs node (power caps). Raises OSError; callers turn it into a RigPilotError."""
        with open(self.path(path), "w", encoding="ascii") as fh:
            fh.write(text)

    # ---- identity -------------------------------------------------------------------------
    def user_groups(self) -> set[int]:
        try:
            return set(os.getgroups()) | {os.getegid()}
        except (AttributeError, OSError):  # pragma: no cover - Windows
            return set()

    def uid(self) -> int | None:
        return os.geteuid() if hasattr(os, "geteuid") else None

    def is_admin(self) -> bool:
        if hasattr(os, "geteuid"):
            return os.geteuid() == 0
        try:  # pragma: no cover - Windows only
            import ctypes

            return bool(ctypes.windll.shell32.IsUserAnAdmin())  # type: ignore[attr-defined]  # Windows only
        except Exception:  # pragma: no cover
            return False

    def getenv(self, name: str, default: str | None = None) -> str | None:
        return (self.env or {}).get(name, default)

    def import_module(self, name: str) -> Any:  # the module (duck-typed bindings), or None
        """Optional bindings (``pynvml``, ``pymtml``); None when not importable."""
        try:
            return importlib.import_module(name)
        except Exception:
            return None

    def monotonic(self) -> float:
        return time.monotonic()

    def machine_path(self, path: str) -> PurePath:
        """Pure path type for the target platform (for joining tool paths in argv)."""
        return PureWindowsPath(path) if self.platform == "windows" else PurePosixPath(path)


def relative_machine_path(path: str) -> str:
    """'/sys/bus/pci/devices/0000:01:00.0/x' -> 'sys/bus/pci/devices/0000:01:00.0/x';
    'C:\\Windows\\x' -> 'C/Windows/x' (only a drive letter's colon is dropped)."""
    rel = str(path).replace("\\", "/").lstrip("/")
    if len(rel) > 1 and rel[1] == ":" and rel[0].isalpha():
        rel = rel[0] + rel[2:]
    return rel


def _pump(
    stream: IO[bytes], sink: bytearray, cap: int, too_much: threading.Event, proc: subprocess.Popen
) -> None:
    """Copy a pipe into ``sink`` up to ``cap`` bytes; past that, stop the tool (never buffer more)."""
    if stream is None:
        return
    read = getattr(stream, "read1", stream.read)
    try:
        while True:
            chunk = read(65536)
            if not chunk:
                return
            room = cap - len(sink)
            sink += chunk[: max(0, room)]
            if len(chunk) > room:
                too_much.set()
                _kill(proc)
                return
    except (OSError, ValueError):
        return


def _feed(stream: IO[bytes], data: bytes) -> None:
    try:
        stream.write(data)
        stream.close()
    except (OSError, ValueError):
        pass


def _kill(proc: subprocess.Popen) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:  # pragma: no cover - Windows only
            proc.kill()
    except (ProcessLookupError, PermissionError, OSError):
        try:
            proc.kill()
        except OSError:
            pass
