"""Record/replay of everything a probe reads: ``probe --record DIR`` / ``--replay DIR``.

A recording is a folder::

    DIR/manifest.json   {"schema": "rigpilot.recording/1", "platform", "commands": [...],
                         "which": {name: path|null}, "links": {path: target}, "dirs": {path: [..]},
                         "stats": {path: {"mode", "gid"}}, "identity": {...}, "env": {...},
                         "modules": {name: data}, "simulation": {...}}
    DIR/root/...        every file read, at its machine path (``/sys/...`` -> ``root/sys/...``)

Simulated rigs (``--simulate NAME``) are recordings shipped in ``assets/rigs/NAME``; they run
through exactly the same probes as a real machine. A user's bug report becomes a regression test by
dropping their recording into ``tests/data/recordings``.
"""

from __future__ import annotations

import importlib
import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from probes.core import jsonfile
from probes.core.errors import RigPilotError
from probes.core.host import CommandResult, Host, decode_output, platform_name, relative_machine_path
from probes.core.i18n import Text

SCHEMA = "rigpilot.recording/1"
RIGS_DIR = Path(__file__).resolve().parents[2] / "assets" / "rigs"

# Python bindings a recording can stand in for: module name -> "module:factory(data)".
MODULE_FACTORIES = {
    "pynvml": "probes.core.nvml_sim:from_manifest",
    "pymtml": "probes.core.mtml_sim:from_manifest",
}

# Environment variables worth keeping in a recording (never the whole environment: secrets).
RECORDED_ENV = (
    "RIGPILOT_PLATFORM",
    "CUDA_VISIBLE_DEVICES",
    "MUSA_VISIBLE_DEVICES",
    "HIP_VISIBLE_DEVICES",
    "ROCR_VISIBLE_DEVICES",
    "HSA_OVERRIDE_GFX_VERSION",
    "PROCESSOR_ARCHITECTURE",
    "NUMBER_OF_PROCESSORS",
)


class RecordingHost(Host):
    """A real Host that also writes every command and file read into ``record_dir``."""

    def __init__(self, record_dir: str | os.PathLike, **kwargs: Any) -> None:  # Host's fields
        super().__init__(**kwargs)
        self.record_dir = Path(record_dir)
        (self.record_dir / "root").mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        env = self.env or {}
        self._manifest: dict = {
            "schema": SCHEMA,
            "platform": self.platform,
            "commands": [],
            "which": {},
            "links": {},
            "dirs": {},
            "stats": {},
            "identity": {
                "groups": sorted(super().user_groups()),
                "uid": super().uid(),
                "admin": super().is_admin(),
            },
            "env": {k: env[k] for k in RECORDED_ENV if k in env},
            "modules": {},
        }
        self.save()

    def save(self) -> None:
        # sources record from several threads at once: one writer at a time, and each write atomic,
        # so a reader (or a crash) never sees two manifests interleaved in one file
        with self._lock:
            jsonfile.write_atomic(self.record_dir / "manifest.json", self._manifest)

    def run(self, argv: Sequence[object], timeout_s: float | None = None, **kwargs: Any) -> CommandResult:
        result = super().run(argv, timeout_s, **kwargs)
        with self._lock:
            self._manifest["commands"].append(result.to_json())
        self.save()
        return result

    def which(self, name, extra_dirs=()):
        found = super().which(name, extra_dirs)
        with self._lock:
            self._manifest["which"][name] = found
        return found

    def read_bytes(self, path, max_bytes=4 * 1024 * 1024):
        data = super().read_bytes(path, max_bytes)
        if data is not None:
            target = self.record_dir / "root" / storage_path(path)
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            except OSError:
                pass
        return data

    def listdir(self, path):
        names = super().listdir(path)
        with self._lock:
            self._manifest["dirs"][str(path)] = names
        return names

    def readlink(self, path):
        target = super().readlink(path)
        if target is not None:
            with self._lock:
                self._manifest["links"][str(path)] = target
        return target

    def stat(self, path):
        st = super().stat(path)
        if st is not None:
            with self._lock:
                self._manifest["stats"][str(path)] = {"mode": st.st_mode, "gid": st.st_gid}
        return st

    def exists(self, path):
        ok = super().exists(path)
        if ok and not super().is_dir(path):
            self.read_bytes(path, 65536)
        return ok


class _Stat:
    def __init__(self, mode: int, gid: int) -> None:
        self.st_mode = mode
        self.st_gid = gid


class ReplayHost(Host):
    """Serves a recording back. Unknown commands are 'not-found', unknown files are absent."""

    def __init__(
        self, replay_dir: str | os.PathLike, *, simulated: str | None = None, env: dict | None = None
    ) -> None:
        self.replay_dir = Path(replay_dir)
        manifest_path = self.replay_dir / "manifest.json"
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise RigPilotError(
                "recording-not-found",
                Text("errors", "No recording at {path}.", path=str(manifest_path)),
                Text("errors", "Pass the folder written by 'probe --record DIR'."),
            ) from None
        except (OSError, ValueError) as exc:
            raise RigPilotError(
                "recording-unreadable",
                Text(
                    "errors",
                    "The recording {path} cannot be read: {detail}",
                    path=str(manifest_path),
                    detail=str(exc),
                ),
                Text("errors", "Record it again with 'probe --record DIR'."),
            ) from None
        self.manifest = manifest
        base_env = dict(manifest.get("env") or {})
        base_env.update(env or {})
        base_env.setdefault("PATH", "")
        super().__init__(
            root=str(self.replay_dir / "root"),
            env=base_env,
            platform=manifest.get("platform") or platform_name({}),
            simulated=simulated,
        )
        self._commands: dict[tuple, list[dict]] = {}
        self._by_tool: dict[tuple, list[dict]] = {}
        for cmd in manifest.get("commands", []):
            argv = tuple(cmd["argv"])
            self._commands.setdefault(argv, []).append(cmd)
            self._by_tool.setdefault(_tool_key(argv), []).append(cmd)
        self._served: dict[tuple, int] = {}
        self._lock = threading.Lock()

    def run(self, argv: Sequence[object], timeout_s: float | None = None, **kwargs: Any) -> CommandResult:
        args = tuple(str(a) for a in argv)
        entries = self._commands.get(args) or self._by_tool.get(_tool_key(args))
        if not entries:
            return CommandResult(args, None, "", "", 0.0, "not-found", "not in the recording")
        with self._lock:
            n = self._served.get(args, 0)
            self._served[args] = n + 1
        data = dict(entries[min(n, len(entries) - 1)])
        data["argv"] = list(args)
        for key in ("stdout", "stderr"):
            if isinstance(data.get(key), dict) and "hex" in data[key]:
                data[key] = decode_output(bytes.fromhex(data[key]["hex"]))
        return CommandResult.from_json(data)

    def path(self, path: str) -> Path:
        """Files are stored with ':' escaped (see ``storage_path``); plain names are accepted too."""
        assert self.root is not None  # set by Host.__post_init__
        stored = Path(self.root) / storage_path(path)
        if stored.exists():
            return stored
        return super().path(path)

    def which(self, name, extra_dirs=()):
        table = self.manifest.get("which", {})
        if name in table:
            return table[name]
        if self.platform == "windows" and name + ".exe" in table:
            return table[name + ".exe"]
        return None

    def listdir(self, path):
        dirs = self.manifest.get("dirs", {})
        if str(path) in dirs:
            return list(dirs[str(path)])
        return sorted(name.replace("%3A", ":") for name in super().listdir(path))

    def readlink(self, path):
        links = self.manifest.get("links", {})
        if str(path) in links:
            return links[str(path)]
        return super().readlink(path)

    def stat(self, path):
        st = self.manifest.get("stats", {}).get(str(path))
        if st is not None:
            return _Stat(int(st["mode"]), int(st["gid"]))
        return super().stat(path)

    def user_groups(self):
        return set(self.manifest.get("identity", {}).get("groups", []))

    def uid(self):
        return self.manifest.get("identity", {}).get("uid")

    def is_admin(self):
        return bool(self.manifest.get("identity", {}).get("admin", False))

    def import_module(self, name):
        data = self.manifest.get("modules", {}).get(name)
        if data is None or name not in MODULE_FACTORIES:
            return None
        mod_name, func = MODULE_FACTORIES[name].split(":")
        try:
            return getattr(importlib.import_module(mod_name), func)(data)
        except (ImportError, AttributeError):
            return None

    def write_text(self, path, text):
        raise PermissionError("a replayed machine cannot be written to")

    @property
    def simulation(self) -> dict:
        return dict(self.manifest.get("simulation") or {})


def storage_path(path: str) -> str:
    """Where a recording stores a machine path: relative, with ':' written as '%3A' so that a
    recording of ``/sys/bus/pci/devices/0000:01:00.0`` also checks out on Windows."""
    return relative_machine_path(path).replace(":", "%3A")


def _tool_key(argv: tuple) -> tuple:
    """argv with the executable reduced to its base name (C:\\...\\nvidia-smi.exe -> nvidia-smi)."""
    if not argv:
        return argv
    exe = argv[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    if exe.endswith(".exe"):
        exe = exe[:-4]
    return (exe,) + tuple(argv[1:])


def rig_names() -> list[str]:
    if not RIGS_DIR.is_dir():
        return []
    return sorted(p.name for p in RIGS_DIR.iterdir() if (p / "manifest.json").is_file())


def simulated_host(name: str) -> ReplayHost:
    """The host of a built-in simulated rig (assets/rigs/NAME)."""
    path = RIGS_DIR / name
    if not (path / "manifest.json").is_file():
        raise RigPilotError(
            "unknown-rig",
            Text("errors", "There is no simulated rig called '{name}'.", name=name),
            Text("errors", "Choose one of: {names}.", names=", ".join(rig_names()) or "-"),
        )
    return ReplayHost(path, simulated=name)
