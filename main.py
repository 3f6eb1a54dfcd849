#!/usr/bin/env python3
"""RigPilot entry point.

    python3 main.py                 start the desktop app (bootstraps a private venv if needed)
    python3 main.py <command> ...   the command line (probe, report, match, launcher, smoke, ...)
    python3 main.py --screenshot FILE.png [--page detect] [--lang zh_CN] [--simulate RIG]

Bootstrapping uses only the standard library: when a dependency is missing, a private virtual
environment is created in ``.venv`` next to this file (override with RIGPILOT_VENV), the
dependencies from pyproject.toml are installed into it, and this script re-executes itself there.
"""
from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
GUI_MODULES = ("PySide6", "pyqtgraph", "numpy")
CORE_MODULES = ("packaging", "psutil")


def _missing(names) -> list[str]:
    return [n for n in names if importlib.util.find_spec(n) is None]


def _venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def _dependencies() -> list[str]:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import re

        text = (HERE / "pyproject.toml").read_text(encoding="utf-8")
        block = re.search(r"^dependencies = \[(.*?)^\]", text, re.S | re.M)
        return re.findall(r'"([^"]+)"', block.group(1)) if block else []
    with open(HERE / "pyproject.toml", "rb") as fh:
        return list(tomllib.load(fh)["project"]["dependencies"])


def bootstrap(needed: tuple[str, ...]) -> None:
    """Re-exec inside a private venv with the dependencies when some are missing."""
    missing = _missing(needed)
    if not missing or os.environ.get("RIGPILOT_NO_BOOTSTRAP"):
        return
    venv = Path(os.environ.get("RIGPILOT_VENV") or HERE / ".venv")
    py = _venv_python(venv)
    if Path(sys.executable).resolve() == py.resolve() if py.exists() else False:
        sys.stderr.write(f"RigPilot: still missing {', '.join(missing)} inside {venv}.\n"
                         f"  hint: delete {venv} and start again, or run "
                         f"'{py} -m pip install -e {HERE}'.\n")
        raise SystemExit(2)
    if not py.exists():
        sys.stderr.write(f"RigPilot: first start, creating {venv} (missing: {', '.join(missing)})...\n")
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
    deps = _dependencies()
    sys.stderr.write("RigPilot: installing " + ", ".join(deps) + "\n")
    rc = subprocess.run([str(py), "-m", "pip", "install", "--disable-pip-version-check", "-q", *deps],
                        timeout=1800).returncode
    if rc != 0:
        sys.stderr.write("RigPilot: installing the dependencies failed (see pip's message above).\n"
                         "  hint: check the network connection or your pip index settings, then start again.\n")
        raise SystemExit(2)
    os.execv(str(py), [str(py), str(HERE / "main.py"), *sys.argv[1:]])


# GUI options that take a value: `python main.py --lang zh_CN` starts the app, not a command "zh_CN"
# (tests/gui/test_launch.py checks this list against app/gui/launch.py's parser)
_GUI_VALUE_OPTIONS = ("--lang", "--page", "--simulate", "--size", "--screenshot", "--probe-json",
                      "--load", "--speed", "--wait")


def _wants_gui(argv: list[str]) -> bool:
    if any(a in ("-h", "--help", "--version") for a in argv[:1]):
        return False
    if "--screenshot" in argv:
        return True
    skip = False
    for a in argv:
        if skip:
            skip = False
        elif a in _GUI_VALUE_OPTIONS:
            skip = True
        elif not a.startswith("-"):
            return False   # the first word that is not an option's value is a command
    return True


def main() -> int:
    sys.path.insert(0, str(HERE))
    argv = sys.argv[1:]
    if _wants_gui(argv):
        bootstrap(CORE_MODULES + GUI_MODULES)
        from app.gui.launch import main as gui_main

        return gui_main(argv)
    bootstrap(CORE_MODULES)
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
