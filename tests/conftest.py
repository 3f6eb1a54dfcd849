"""Shared fixtures: fake executables on PATH, sysfs trees under RIGPILOT_ROOT, hosts."""

from __future__ import annotations

import importlib.util
import json
import os
import stat
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("RIGPILOT_LANG", "en")

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
sys.path.insert(0, str(ROOT))

HAS_TORCH = importlib.util.find_spec("torch") is not None


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "needs_torch: runs the smoke test with this interpreter's torch (the CPU "
        "build tools/run_tests.py installs); skipped where none could be installed",
    )
    config.addinivalue_line(
        "markers",
        "slow: takes minutes (the real ComfyUI install); CI runs it, skip locally with -m 'not slow'",
    )


def pytest_collection_modifyitems(config, items):
    if HAS_TORCH:
        return
    skip = pytest.mark.skip(reason="torch is not installed in the test venv (tools/run_tests.py said why)")
    for item in items:
        if item.get_closest_marker("needs_torch"):
            item.add_marker(skip)


class FakeTools:
    """Writes fake executables into a bin dir. Each replays a recorded output (or runs a script)."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        bindir.mkdir(parents=True, exist_ok=True)

    def script(self, name: str, body: str) -> Path:
        """A Python script as executable ``name`` (``body`` sees ``sys.argv``)."""
        path = self.bindir / name
        path.write_text(f"#!{sys.executable}\nimport sys, os, time\n{body}\n", encoding="utf-8")
        path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        return path

    def replay(self, name: str, outputs: dict, default: dict | None = None) -> Path:
        """``outputs``: {"arg string": {"stdout": str|bytes-hex, "stderr": str, "rc": int, "sleep": s}}.

        The key is the argv after the program joined by spaces; "*" matches anything.
        """
        table = json.dumps({"outputs": outputs, "default": default}, ensure_ascii=False)
        return self.script(
            name,
            f"""
import json
T = json.loads({table!r})
key = " ".join(sys.argv[1:])
spec = T["outputs"].get(key) or T["outputs"].get("*") or T["default"]
if spec is None:
    sys.stderr.write("fake {name}: unknown arguments: " + key + "\\n")
    sys.exit(2)
if spec.get("sleep"):
    time.sleep(spec["sleep"])
out = spec.get("stdout", "")
if spec.get("stdout_hex"):
    sys.stdout.buffer.write(bytes.fromhex(spec["stdout_hex"]))
else:
    sys.stdout.buffer.write(out.encode(spec.get("encoding", "utf-8")))
sys.stderr.write(spec.get("stderr", ""))
sys.stdout.flush()
sys.exit(spec.get("rc", 0))
""",
        )

    @property
    def path(self) -> str:
        return str(self.bindir)


@pytest.fixture
def fake_tools(tmp_path) -> FakeTools:
    return FakeTools(tmp_path / "bin")


class SysfsTree:
    """Builds a fake machine filesystem (sysfs/procfs/...) under a root folder."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def write(self, path: str, content: str | bytes) -> Path:
        target = self.root / path.lstrip("/")
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
        return target

    def link(self, path: str, target: str) -> Path:
        link = self.root / path.lstrip("/")
        link.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, link)
        return link

    def pci_device(
        self,
        bus_id: str,
        vendor: str,
        device: str,
        cls: str = "0x030000",
        driver: str | None = None,
        subsystem_vendor: str = "0x0000",
        subsystem_device: str = "0x0000",
        extra: dict | None = None,
    ) -> str:
        base = f"/sys/bus/pci/devices/{bus_id}"
        self.write(f"{base}/vendor", f"0x{vendor}\n")
        self.write(f"{base}/device", f"0x{device}\n")
        self.write(f"{base}/class", f"{cls}\n")
        self.write(f"{base}/subsystem_vendor", f"{subsystem_vendor}\n")
        self.write(f"{base}/subsystem_device", f"{subsystem_device}\n")
        if driver:
            self.write(f"/sys/bus/pci/drivers/{driver}/bind", "")
            self.link(f"{base}/driver", f"../../../bus/pci/drivers/{driver}")
            self.write(f"/sys/module/{driver}/initstate", "live\n")
        for rel, value in (extra or {}).items():
            self.write(f"{base}/{rel}", value)
        return base


@pytest.fixture
def sysfs(tmp_path) -> SysfsTree:
    return SysfsTree(tmp_path / "root")


@pytest.fixture
def make_host(tmp_path):
    """make_host(platform="linux", path=[...], root=SysfsTree|None, env={...}) -> Host."""
    from probes.core.host import Host

    def factory(
        platform: str = "linux", path: list | None = None, root=None, env: dict | None = None, **kwargs
    ) -> Host:
        e = {
            "PATH": os.pathsep.join(str(p) for p in (path or [])),
            "HOME": str(tmp_path),
            "LANG": "C.UTF-8",
            "RIGPILOT_LANG": "en",
        }
        e.update(env or {})
        r = str(root.root if isinstance(root, SysfsTree) else (root or tmp_path / "emptyroot"))
        Path(r).mkdir(parents=True, exist_ok=True)
        return Host(root=r, env=e, platform=platform, extra_dirs={}, **kwargs)

    return factory
