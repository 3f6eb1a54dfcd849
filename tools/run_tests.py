#!/usr/bin/env python3
"""Run the whole RigPilot test suite on a fresh machine: ``python3 tools/run_tests.py``.

Creates (or reuses) ``.venv`` with the app's dependencies, the test extras and the CPU build of
``torch==2.13.0`` (exact pin: never a range that could pull CUDA wheels), then runs ruff, the
import-linter contracts and pytest. Extra arguments go to pytest.
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


def ensure_venv() -> None:
    if not PY.exists():
        if sh(sys.executable, "-m", "venv", VENV):
            raise SystemExit("could not create the virtual environment")
    stamp = VENV / ".rigpilot-test-deps"
    spec = (ROOT / "pyproject.toml").read_bytes()
    if stamp.exists() and stamp.read_bytes() == spec:
        return
    if sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "torch==2.13.0"):
        raise SystemExit("installing torch==2.13.0 failed")
    if sh(PY, "-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", ".[test]"):
        raise SystemExit("installing the test dependencies failed")
    stamp.write_bytes(spec)


def main() -> int:
    ensure_venv()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONDONTWRITEBYTECODE="1")
    rc = sh(BIN / "ruff", "check", ".", env=env)
    rc |= sh(BIN / "lint-imports", "--no-cache", env=env)
    rc |= sh(PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", *sys.argv[1:], env=env)
    return 1 if rc else 0


if __name__ == "__main__":
    raise SystemExit(main())
