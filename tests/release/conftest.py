"""The distributables, built and exercised for real: tools/build_dist.py builds them into a cached
folder (kept while their inputs do not change), the Windows ones are run under wine with a
stand-in uv.exe (fake_uv.c, compiled with mingw), the Linux bundle from a clean environment.

A test here skips only where a tool it needs cannot be installed on this machine (wine, mingw,
makensis without root), never under CI=1 (.ci/run installs them)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CACHE = Path(os.environ.get("RIGPILOT_TEST_CACHE", Path.home() / ".cache" / "rigpilot-test"))
ARTIFACTS = CACHE / "dist"
BUILD_TIMEOUT_S = 1500


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "dist: builds a distributable with tools/build_dist.py (cached by its inputs) and tests it"
    )


def unavailable(reason: str):
    """Skip, except under CI, where every tool is installed first and a skip would hide a failure."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI installs it: .ci/run)")
    pytest.skip(reason)


def build(target: str) -> Path:
    """tools/build_dist.py TARGET --out ARTIFACTS; the artifact's path (its last line)."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_dist.py"), target, "--out", str(ARTIFACTS)],
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT_S,
        cwd=str(ROOT),
    )
    assert proc.returncode == 0, (proc.stdout[-4000:], proc.stderr[-4000:])
    path = Path(proc.stdout.strip().splitlines()[-1])
    assert path.is_file(), proc.stdout[-2000:]
    print(proc.stdout.strip().splitlines()[-2])  # "NAME: SIZE MB"
    return path


def can_get_makensis() -> bool:
    return bool(shutil.which("makensis")) or (
        hasattr(os, "geteuid") and os.geteuid() == 0 and bool(shutil.which("apt-get"))
    )


@pytest.fixture(scope="session")
def wine_tools():
    if not shutil.which("wine") or not shutil.which("x86_64-w64-mingw32-gcc"):
        unavailable(
            "wine and x86_64-w64-mingw32-gcc are needed (apt-get install wine64 gcc-mingw-w64-x86-64-win32)"
        )


@pytest.fixture(scope="session")
def fake_uv_exe(wine_tools) -> Path:
    src = (HERE / "fake_uv.c").read_bytes()
    exe = CACHE / f"fakeuv-{hashlib.sha256(src).hexdigest()[:12]}.exe"
    if not exe.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        tmp = exe.with_suffix(".tmp.exe")
        subprocess.run(
            ["x86_64-w64-mingw32-gcc", "-municode", "-O1", "-o", str(tmp), str(HERE / "fake_uv.c")],
            check=True,
            timeout=120,
        )
        tmp.replace(exe)
    return exe


@pytest.fixture(scope="session")
def makensis() -> str:
    if not can_get_makensis():
        unavailable("makensis (Debian package nsis) is missing and this user cannot install it")
    from tools.build_dist import BuildError, ensure_apt_tool

    try:
        return ensure_apt_tool("makensis", "nsis")
    except BuildError as err:
        unavailable(f"{err.message} {err.hint}")
        raise


@pytest.fixture(scope="session")
def setup_exe(makensis) -> Path:
    return build("windows")


@pytest.fixture(scope="session")
def linux_tarball() -> Path:
    return build("linux")
