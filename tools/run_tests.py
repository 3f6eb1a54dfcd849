#!/usr/bin/env python3
"""Run the whole RigPilot test suite on a fresh machine: ``python3 tools/run_tests.py``.

Creates (or reuses) ``.venv`` (or ``$RIGPILOT_VENV``) with the app's dependencies, the test extras
and the CPU build of torch 2.13.0, then runs ruff, the import-linter contracts, mypy, the fresh-clone
start check on every claimed Python (tools/fresh_check.py) and pytest. Extra arguments go to pytest;
``--no-fresh`` skips the fresh-clone check (quicker local runs; CI always runs it).

torch is asked for as ``torch==2.13.0+cpu`` with the PyTorch CPU index as an extra index: PyPI has
no version with a local ``+cpu`` label, so this can never fall back to PyPI's multi-GB CUDA build.
Where no CPU build can be had (no network to that index and no local wheel for this Python), the
torch tests are skipped with a warning, except under CI, where that is a failure.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV = Path(os.environ.get("RIGPILOT_VENV") or ROOT / ".venv")
PY = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
BIN = PY.parent


def sh(*argv, **kw) -> int:
    print("+", " ".join(str(a) for a in argv), flush=True)
    return subprocess.run([str(a) for a in argv], cwd=ROOT, **kw).returncode


TORCH_VERSION = "2.13.0"
TORCH_CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def torch_requirement(platform: str = sys.platform) -> list[str]:
    """pip arguments for the CPU build of torch on this platform (macOS wheels on PyPI are CPU/MPS
    builds without a local label; Linux and Windows CPU builds are ``+cpu`` on the CPU index)."""
    if platform == "darwin":
        return [f"torch=={TORCH_VERSION}"]
    return [f"torch=={TORCH_VERSION}+cpu", "--extra-index-url", TORCH_CPU_INDEX]


def install_torch() -> bool:
    rc = sh(
        PY,
        "-m",
        "pip",
        "install",
        "--disable-pip-version-check",
        "-q",
        "--timeout",
        "30",
        "--retries",
        "1",
        *torch_requirement(),
    )
    if rc == 0:
        return True
    ver = "{}.{}".format(*sys.version_info[:2])
    msg = (
        f"no CPU build of torch {TORCH_VERSION} for Python {ver} could be installed (from "
        f"{TORCH_CPU_INDEX} or a local wheel)"
    )
    if os.environ.get("CI"):
        raise SystemExit(f"error: {msg}")
    print(f"WARNING: {msg}: the tests that need torch will be SKIPPED.", flush=True)
    return False


def ensure_venv() -> None:
    if not PY.exists():
        if sh(sys.executable, "-m", "venv", VENV):
            raise SystemExit("could not create the virtual environment")
    stamp = VENV / ".rigpilot-test-deps"
    spec = (ROOT / "pyproject.toml").read_bytes()
    if stamp.exists() and stamp.read_bytes() == spec:
        return
    has_torch = install_torch()
    if sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", ".[test]"):
        raise SystemExit("installing the test dependencies failed")
    if has_torch:  # without torch the next run tries again
        stamp.write_bytes(spec)


def main() -> int:
    args = sys.argv[1:]
    fresh = "--no-fresh" not in args
    args = [a for a in args if a != "--no-fresh"]
    ensure_venv()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    rc = sh(BIN / "ruff", "check", ".", env=env)
    rc |= sh(BIN / "lint-imports", "--no-cache", env=env)
    rc |= sh(BIN / "mypy", env=env)  # the files of pyproject's [tool.mypy]
    if fresh:
        # the user's way in: this interpreter (no venv active) starts main.py, which must find the
        # venv just made for the tests; then a fresh copy on every claimed Python
        rc |= sh(sys.executable, ROOT / "main.py", "--version")
        rc |= sh(sys.executable, ROOT / "tools" / "fresh_check.py")
    rc |= sh(PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args, env=env)
    return 1 if rc else 0


if __name__ == "__main__":
    raise SystemExit(main())
