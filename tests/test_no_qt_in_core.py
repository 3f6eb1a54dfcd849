"""The CLI and the core never import Qt (and `probe` never imports torch)."""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("probes", "profiles", "installers")


def imported_top_level(stderr: str) -> set[str]:
    """Top-level package names from ``python -X importtime`` output."""
    names = set()
    for line in stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            names.add(name.split(".")[0])
    return names


def test_probe_json_imports_neither_qt_nor_torch(tmp_path):
    env = dict(os.environ, RIGPILOT_NO_BOOTSTRAP="1")
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", str(ROOT / "main.py"), "probe", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert json.loads(proc.stdout)["schema"] == "rigpilot.probe/1"
    names = imported_top_level(proc.stderr)
    assert "probes" in names  # the parser above really sees our imports
    for banned in ("PySide6", "shiboken6", "pyqtgraph", "torch"):
        assert banned not in names, f"probe imported {banned}"


def core_modules() -> list[str]:
    mods = []
    for pkg in CORE:
        mods.append(pkg)
        path = ROOT / pkg
        for info in pkgutil.walk_packages([str(path)], prefix=pkg + "."):
            mods.append(info.name)
    return mods


def test_every_core_module_and_the_cli_import_without_qt():
    mods = (
        core_modules()
        + ["app.cli", "app.report"]
        + [f"app.commands.{m.name}" for m in pkgutil.iter_modules([str(ROOT / "app" / "commands")])]
    )
    assert "probes.detect.engine" in mods and "app.commands.report" in mods
    script = (
        "import importlib, json, sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"mods = {mods!r}\n"
        "failed = {}\n"
        "for m in mods:\n"
        "    try:\n"
        "        importlib.import_module(m)\n"
        "    except ImportError as exc:\n"
        "        failed[m] = repr(exc)\n"
        "qt = sorted(k for k in sys.modules if k.split('.')[0] in ('PySide6', 'shiboken6', 'pyqtgraph'))\n"
        "print(json.dumps({'qt': qt, 'failed': failed}))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["qt"] == [], f"Qt imported by the core: {out['qt']}"
    # a core module may need torch (probes.smoke runs inside the target venv), never Qt
    assert all("torch" in v for v in out["failed"].values()), out["failed"]
