"""A stand-in install for the Install page's tests: the stand-in torch of ``tools/localindex.py`` (optionally
padded, so that a throttled index takes a while to serve it), served by its ``LocalIndex``, and a local
hardware profile that replaces ``cpu-fallback`` (``RIGPILOT_PROFILES``) so that a machine without a GPU
installs it. Nothing leaves the machine.
"""

from __future__ import annotations

import os
import sys
import zipfile
from pathlib import Path

from tools.localindex import LocalIndex, build_wheel, standin_companion, standin_torch

__all__ = ["PYTHON", "VERSION", "LocalIndex", "broken_torchvision", "cpu_profile", "torch_wheel"]

VERSION = "2.13.0+standin"
PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"


def torch_wheel(folder: Path, version: str = VERSION, pad_bytes: int = 0) -> Path:
    """The stand-in torch (imports, reports its version, sees no device, computes nothing); ``pad_bytes``
    of random data added as ``torch/_pad.bin`` make the wheel that much bigger."""
    wheel = standin_torch(folder, version)
    if not pad_bytes:
        return wheel
    with zipfile.ZipFile(wheel) as zf:
        files = {n: zf.read(n) for n in zf.namelist() if ".dist-info/" not in n}
    files["torch/_pad.bin"] = os.urandom(pad_bytes)
    return build_wheel(folder, "torch", version, files=files)


def broken_torchvision(folder: Path, torch: str = VERSION) -> Path:
    """A torchvision that fails on import the way one built for another torch does."""
    return standin_companion(folder, "torchvision", torch_pin=torch, broken=True)


def cpu_profile(folder: Path, index_url: str, version: str = VERSION, extra: tuple = ()) -> Path:
    """``<folder>/hardware/cpu-fallback.toml``: the fallback profile with the stand-in torch from
    ``index_url`` (and the ``extra`` pins) and this interpreter's Python version. Point RIGPILOT_PROFILES
    at ``folder``."""
    hw = folder / "hardware"
    hw.mkdir(parents=True, exist_ok=True)
    path = hw / "cpu-fallback.toml"
    pins = ", ".join(f'"{p}"' for p in (f"torch=={version}", *extra))
    path.write_text(
        "\n".join(
            [
                'id = "cpu-fallback"',
                'title = "CPU only (stand-in torch for tests)"',
                'confidence = "official"',
                'sources = ["https://download.pytorch.org/whl/cpu"]',
                f'python = "{PYTHON}"',
                f'index_url = "{index_url}"',
                f"packages = [{pins}]",
                "priority = 1000",
                "",
                "[match]",
                "fallback = true",
                "",
                "[tuning]",
                'vram_mode = "cpu"',
                'precision = "fp32"',
                "",
            ]
        ),
        encoding="utf-8",
    )
    return path
