#!/usr/bin/env python3
"""Start RigPilot the way a new user does, on every Python the project claims.

    python3 tools/fresh_check.py [--python 3.10,3.12] [--keep]

For each Python version listed in pyproject.toml's classifiers (``Programming Language :: Python ::
3.X``) that can be found on this machine — ``python3.X`` on PATH, else a pyenv version — the
working tree's files (tracked and untracked-but-not-ignored, as a clone of it would hold them,
without ``.venv``) are copied into a new temporary folder whose path has a space, and from
*another* folder, with no virtual environment active and the bootstrap variables unset:

1. ``main.py probe --json``  — the first start: creates ``.venv``, installs, answers JSON;
2. ``main.py probe``         — the second start: must neither fail nor install again;
3. ``main.py --version``;
4. ``main.py`` without a display — a clear ``gui-no-display`` error and exit code 2.

No step may print a traceback. A version that is not present is reported as skipped, visibly.
The pip cache is the user's own, shared by every copy, so repeated runs download nothing.
Exit code 0 when every present version passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_START_TIMEOUT_S = 1200
STEP_TIMEOUT_S = 180
# variables that would make the check test something other than a new user's start
SCRUB = (
    "VIRTUAL_ENV",
    "RIGPILOT_VENV",
    "RIGPILOT_NO_BOOTSTRAP",
    "RIGPILOT_BOOTSTRAP_VENV",
    "PYTHONPATH",
    "PYTHONHOME",
    "DISPLAY",
    "WAYLAND_DISPLAY",
    "QT_QPA_PLATFORM",
    "CONDA_PREFIX",
)


def claimed_versions(pyproject: Path) -> list[str]:
    """``3.10``, ``3.11`` … from the ``Programming Language :: Python :: 3.X`` classifiers."""
    text = pyproject.read_text(encoding="utf-8")
    found = re.findall(r'"Programming Language :: Python :: (3\.\d{1,2})"', text)
    return sorted(set(found), key=lambda v: tuple(int(x) for x in v.split(".")))


def _run(argv: list[str], timeout_s: float, **kw) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout_s, **kw)
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode(errors="replace") if isinstance(exc.stdout, bytes) else exc.stdout or ""
        err = exc.stderr.decode(errors="replace") if isinstance(exc.stderr, bytes) else exc.stderr or ""
        return subprocess.CompletedProcess(argv, 124, out, err + f"\n[timed out after {timeout_s:g} s]")
    except OSError as exc:
        return subprocess.CompletedProcess(argv, 127, "", str(exc))


def _version_of(python: str) -> str | None:
    res = _run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], 30)
    return res.stdout.strip() if res.returncode == 0 else None


def find_python(version: str) -> str | None:
    """An interpreter of ``version``: ``python3.X`` on PATH (a pyenv shim that is not active for
    that version fails to run and is skipped), else the newest matching pyenv version."""
    exe = shutil.which(f"python{version}")
    if exe and _version_of(exe) == version:
        return exe
    if shutil.which("pyenv"):
        res = _run(["pyenv", "root"], 30)
        versions = Path(res.stdout.strip()) / "versions" if res.returncode == 0 else None
        if versions and versions.is_dir():
            pattern = re.compile(rf"^{re.escape(version)}\.\d+$")
            for cand in sorted(
                (d for d in versions.iterdir() if pattern.match(d.name)),
                key=lambda d: int(d.name.rsplit(".", 1)[1]),
                reverse=True,
            ):
                exe = cand / "bin" / f"python{version}"
                if exe.is_file() and _version_of(str(exe)) == version:
                    return str(exe)
    return None


def tree_files(root: Path) -> list[str]:
    res = _run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], 60, cwd=root)
    if res.returncode != 0:
        raise SystemExit(f"fresh check: git ls-files failed: {res.stderr.strip()}")
    return [f for f in res.stdout.split("\0") if f and (root / f).is_file()]


def copy_tree(root: Path, dest: Path) -> None:
    for rel in tree_files(root):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / rel, target)


def user_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    parts = [
        p
        for p in env.get("PATH", "").split(os.pathsep)
        if p and not re.search(r"[\\/]\.?venv[^\\/]*[\\/](bin|Scripts)$", p)
    ]
    env["PATH"] = os.pathsep.join(parts)
    env["RIGPILOT_DATA_DIR"] = str(data_dir)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def _problem(step: str, res: subprocess.CompletedProcess, why: str) -> str:
    tail = " | ".join((res.stderr or res.stdout).strip().splitlines()[-3:])
    return f"{step}: {why} (exit {res.returncode}; {tail[:400]})"


def check_python(python: str, version: str, work: Path) -> list[str]:
    """Run the four starts for one interpreter; the list of failures (empty: all good)."""
    clone = work / f"fresh clone {version}" / "rigpilot"
    copy_tree(ROOT, clone)
    elsewhere = work / "elsewhere"
    elsewhere.mkdir(exist_ok=True)
    env = user_env(work / f"data {version}")
    main = str(clone / "main.py")
    failures: list[str] = []

    def step(name: str, args: list[str], timeout_s: float):
        t0 = time.monotonic()
        res = _run([python, main, *args], timeout_s, cwd=elsewhere, env=env)
        print(f"  {version} {name}: exit {res.returncode}, {time.monotonic() - t0:.1f} s", flush=True)
        if "Traceback (most recent call last)" in res.stderr + res.stdout:
            failures.append(_problem(name, res, "printed a traceback"))
        return res

    res = step("first start (probe --json)", ["probe", "--json"], FIRST_START_TIMEOUT_S)
    if res.returncode != 0:
        failures.append(_problem("first start", res, "failed"))
        return failures  # nothing after it can work
    try:
        doc = json.loads(res.stdout)
        if doc.get("schema") != "rigpilot.probe/1":
            failures.append(f"first start: unexpected schema {doc.get('schema')!r}")
    except ValueError:
        failures.append(_problem("first start", res, "did not print JSON"))
    res = step("second start (probe)", ["probe"], STEP_TIMEOUT_S)
    if res.returncode != 0:
        failures.append(_problem("second start", res, "failed"))
    if "installing" in res.stderr.lower():
        failures.append(_problem("second start", res, "installed again"))
    res = step("--version", ["--version"], STEP_TIMEOUT_S)
    if res.returncode != 0 or not res.stdout.startswith("RigPilot "):
        failures.append(_problem("--version", res, "did not print the version"))
    res = step("app without a display", [], STEP_TIMEOUT_S)
    if res.returncode != 2 or "gui-no-display" not in res.stderr:
        failures.append(
            _problem("app without a display", res, "expected error gui-no-display and exit code 2")
        )
    return failures


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--python", help="comma-separated versions to check (default: every claimed one)")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = ap.parse_args(argv)
    versions = args.python.split(",") if args.python else claimed_versions(ROOT / "pyproject.toml")
    if not versions:
        print("fresh check: pyproject.toml names no 'Programming Language :: Python :: 3.X' classifier")
        return 1
    work = Path(tempfile.mkdtemp(prefix="rigpilot-fresh-"))
    results: dict[str, str] = {}
    failed = False
    try:
        for version in versions:
            python = find_python(version)
            if python is None:
                results[version] = "skipped (not installed here)"
                print(f"fresh check: Python {version} is not installed here: SKIPPED", flush=True)
                continue
            print(f"fresh check: Python {version} ({python})", flush=True)
            failures = check_python(python, version, work)
            results[version] = "FAILED" if failures else "ok"
            for f in failures:
                print(f"  FAILED {version} {f}", flush=True)
            failed |= bool(failures)
    finally:
        if args.keep:
            print(f"fresh check: kept {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print("fresh check: " + ", ".join(f"Python {v} {r}" for v, r in results.items()), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
