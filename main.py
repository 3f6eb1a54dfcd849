#!/usr/bin/env python3
"""RigPilot entry point.

    python3 main.py                 start the desktop app (bootstraps a private venv if needed)
    python3 main.py <command> ...   the command line (probe, report, match, launcher, smoke, ...)
    python3 main.py --screenshot FILE.png [--page detect] [--lang zh_CN] [--simulate RIG]

Bootstrapping uses only the standard library (and RigPilot's stdlib-only translations): when a
dependency is missing, a private virtual environment is created in ``.venv`` next to this file
(override with RIGPILOT_VENV), this script re-executes itself there, and inside it the
dependencies listed in pyproject.toml are installed whenever one is missing or no longer satisfies
its requirement (an update of RigPilot that changes a pin). RIGPILOT_NO_BOOTSTRAP=1 runs in the
current interpreter as it is.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIN_PYTHON = (3, 10)
GUI_MODULES = ("PySide6", "pyqtgraph", "numpy")
CORE_MODULES = ("packaging", "psutil") + (("tomli",) if sys.version_info < (3, 11) else ())
# set to the venv's path when this script re-executes itself there: if the interpreter it lands
# in is still not that venv, stop with a message instead of re-executing forever
_REEXEC_MARK = "RIGPILOT_BOOTSTRAP_VENV"
VENV_TIMEOUT_S = 300
INSTALL_TIMEOUT_S = 1800
# in the venv: the dependency list that was last found satisfied there
STAMP_FILE = ".rigpilot-bootstrap"


class BootstrapError(Exception):
    """A start-up failure the user can act on: a stable code, a message and a hint."""

    def __init__(self, code: str, message: str, hint: str):
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def tr(context: str, text: str, **kw) -> str:
    """Translated like every other message (RigPilot's translations need only the standard library)."""
    try:
        from probes.core.i18n import tr as core_tr

        return core_tr(context, text, **kw)
    except Exception:  # a damaged checkout must still print the English message
        return text.format(**kw)


def _missing(names) -> list[str]:
    return [n for n in names if importlib.util.find_spec(n) is None]


def venv_dir(env=None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("RIGPILOT_VENV") or HERE / ".venv")


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def inside_venv(venv: Path, prefix: str | None = None) -> bool:
    """Whether this interpreter runs *in* ``venv``. Compared by ``sys.prefix``, never by the
    interpreter's file: a venv's ``bin/python`` is a symlink to the very ``python3`` that created
    it, so both resolve to the same file although only one of them sees the venv's packages."""
    try:
        return Path(sys.prefix if prefix is None else prefix).resolve() == venv.resolve()
    except OSError:
        return False


def read_dependencies(text: str) -> list[str]:
    """The strings of ``[project] dependencies`` in pyproject.toml text, without tomllib (Python
    3.10 has none): a small scanner that knows TOML strings and comments, so a quoted word inside
    a comment is never taken for a requirement."""
    lines = text.splitlines()
    section, start = "", None
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith("[") and not stripped.startswith("[["):
            section = stripped.split("#", 1)[0].strip()
        elif section == "[project]" and stripped.replace(" ", "").startswith("dependencies=["):
            start = i
            break
    if start is None:
        return []
    body = "\n".join(lines[start:])
    body = body[body.index("[") + 1 :]
    deps: list[str] = []
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "#":
            i = body.find("\n", i)
            if i < 0:
                break
        elif ch in "\"'":
            end = body.find(ch, i + 1)
            if end < 0:
                raise ValueError("unterminated string in pyproject.toml dependencies")
            deps.append(body[i + 1 : end])
            i = end
        elif ch == "]":
            return deps
        i += 1
    raise ValueError("unterminated dependencies array in pyproject.toml")


def dependencies() -> list[str]:
    path = HERE / "pyproject.toml"
    try:
        if sys.version_info >= (3, 11):
            import tomllib

            with open(path, "rb") as fh:
                return list(tomllib.load(fh)["project"]["dependencies"])
        return read_dependencies(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        raise BootstrapError(
            "bootstrap-pyproject-unreadable",
            tr("bootstrap", "Cannot read the dependency list from {path}: {error}", path=path, error=exc),
            tr("bootstrap", "The RigPilot folder is incomplete or damaged: download or clone it again."),
        ) from None


def unsatisfied(requirements: list[str]) -> list[str]:
    """The requirements this interpreter does not meet (name missing, or a version outside the
    specifier); requirements whose environment marker excludes this Python are skipped."""
    try:
        from importlib.metadata import PackageNotFoundError, version

        from packaging.requirements import InvalidRequirement, Requirement
    except ImportError:
        return list(requirements)
    out = []
    for text in requirements:
        try:
            req = Requirement(text)
        except InvalidRequirement:
            out.append(text)
            continue
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            have = version(req.name)
        except PackageNotFoundError:
            out.append(text)
            continue
        if not req.specifier.contains(have, prereleases=True):
            out.append(text)
    return out


def _run_quiet(argv: list[str], timeout_s: float) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(argv, capture_output=True, text=True, errors="replace", timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return subprocess.CompletedProcess(argv, 124, "", f"timed out after {timeout_s:g} s")
    except OSError as exc:
        return subprocess.CompletedProcess(argv, 127, "", str(exc))


def create_venv(venv: Path) -> None:
    """``python -m venv`` with the interpreter the user started; a half-made venv is removed again.
    Debian and Ubuntu ship ``venv`` without ``ensurepip`` unless python3-venv is installed: that is
    the common failure, so it gets its own hint."""
    existed = venv.exists()
    if existed and any(venv.iterdir()) and not (venv / "pyvenv.cfg").is_file():
        raise BootstrapError(
            "bootstrap-venv-not-a-venv",
            tr(
                "bootstrap",
                "{venv} exists and is not a virtual environment; RigPilot will not write into it.",
                venv=venv,
            ),
            tr("bootstrap", "Set RIGPILOT_VENV to a new folder, or move that folder away."),
        )
    argv = [sys.executable, "-m", "venv", *(["--clear"] if existed else []), str(venv)]
    say = tr("bootstrap", "RigPilot: first start, creating {venv} (a minute or two)...", venv=venv)
    sys.stderr.write(say + "\n")
    proc = _run_quiet(argv, VENV_TIMEOUT_S)
    if proc.returncode == 0 and venv_python(venv).exists():
        return
    if not existed:
        import shutil

        shutil.rmtree(venv, ignore_errors=True)
    detail = (proc.stdout + proc.stderr).strip().splitlines()
    ver = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if any("ensurepip" in line for line in detail):
        hint = tr(
            "bootstrap",
            "Debian/Ubuntu: sudo apt install python{version}-venv (or python3-venv), then start again.",
            version=ver,
        )
    else:
        hint = tr(
            "bootstrap",
            "Check that {python} can create virtual environments (python3 -m venv), "
            "or set RIGPILOT_VENV to a writable folder.",
            python=sys.executable,
        )
    last = detail[-1] if detail else f"exit code {proc.returncode}"
    raise BootstrapError(
        "bootstrap-venv-failed",
        tr("bootstrap", "Could not create the virtual environment {venv}: {detail}", venv=venv, detail=last),
        hint,
    )


def install(python: str, requirements: list[str]) -> None:
    sys.stderr.write(tr("bootstrap", "RigPilot: installing {packages}", packages=", ".join(requirements)))
    sys.stderr.write("\n")
    argv = [python, "-m", "pip", "install", "--disable-pip-version-check", "-q", *requirements]
    try:
        rc = subprocess.run(argv, timeout=INSTALL_TIMEOUT_S).returncode
    except subprocess.TimeoutExpired:
        rc = 124
    except OSError:
        rc = 127
    if rc != 0:
        raise BootstrapError(
            "bootstrap-install-failed",
            tr(
                "bootstrap",
                "Installing the dependencies failed (exit code {rc}; pip's message is above).",
                rc=rc,
            ),
            tr(
                "bootstrap",
                "Check the network connection or your pip index settings (pip config list), "
                "then start again.",
            ),
        )


def _reexec(python: Path, venv: Path) -> None:
    env = dict(os.environ)
    env[_REEXEC_MARK] = str(venv)
    argv = [str(python), str(HERE / "main.py"), *sys.argv[1:]]
    if os.name == "nt":  # execv on Windows starts a new process and returns to the console early
        raise SystemExit(subprocess.call(argv, env=env))
    os.execve(str(python), argv, env)


def bootstrap(needed: tuple[str, ...]) -> None:
    """Run in the private venv with the dependencies satisfied, creating or repairing it as needed."""
    if os.environ.get("RIGPILOT_NO_BOOTSTRAP") or getattr(sys, "frozen", False):
        return  # asked to, or a bundle (tools/build_dist.py linux) that carries its dependencies
    venv = venv_dir()
    if not inside_venv(venv):
        if not _missing(needed):
            return  # the user's own interpreter has everything: run there
        if os.environ.get(_REEXEC_MARK) == str(venv):
            raise BootstrapError(
                "bootstrap-venv-unusable",
                tr(
                    "bootstrap",
                    "Started {python} of {venv}, but it does not run inside that environment.",
                    python=sys.executable,
                    venv=venv,
                ),
                tr("bootstrap", "Delete {venv} and start again.", venv=venv),
            )
        py = venv_python(venv)
        if not py.exists():  # never made, half made, or its base Python is gone
            create_venv(venv)
        _reexec(py, venv)
    deps = dependencies()
    stamp = venv / STAMP_FILE
    if not _missing(needed) and _read(stamp) == "\n".join(deps):
        return  # satisfied when last checked and the list has not changed: no metadata scan (~0.1 s)
    bad = unsatisfied(deps)
    if _missing(needed) or bad:
        install(sys.executable, bad or deps)
        importlib.invalidate_caches()
        still = sorted(set(_missing(needed)) | set(unsatisfied(deps)))
        if still:
            raise BootstrapError(
                "bootstrap-still-missing",
                tr(
                    "bootstrap",
                    "Still missing inside {venv} after installing: {names}.",
                    venv=venv,
                    names=", ".join(still),
                ),
                tr("bootstrap", "Delete {venv} and start again.", venv=venv),
            )
    try:
        stamp.write_text("\n".join(deps), encoding="utf-8")
    except OSError:
        pass  # a read-only venv is checked again next time


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


# GUI options that take a value: `python main.py --lang zh_CN` starts the app, not a command "zh_CN"
# (tests/gui/test_start.py checks this list against app/gui/start.py's parser)
_GUI_VALUE_OPTIONS = (
    "--lang",
    "--page",
    "--simulate",
    "--size",
    "--screenshot",
    "--probe-json",
    "--load",
    "--speed",
    "--wait",
)


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
            return False  # the first word that is not an option's value is a command
    return True


def frozen_environment(env: dict, meipass: str) -> dict:
    """The environment a bundle's child processes get (the smoke test and the runtime probe run the
    user's own Python): PyInstaller's bootloader points LD_LIBRARY_PATH at the bundle's libraries
    and keeps the user's value in LD_LIBRARY_PATH_ORIG; children get the user's value back."""
    env = dict(env)
    if "LD_LIBRARY_PATH_ORIG" in env:
        env["LD_LIBRARY_PATH"] = env.pop("LD_LIBRARY_PATH_ORIG")
    elif env.get("LD_LIBRARY_PATH"):
        kept = [p for p in env["LD_LIBRARY_PATH"].split(os.pathsep) if p and p != meipass]
        env["LD_LIBRARY_PATH"] = os.pathsep.join(kept)
    if not env.get("LD_LIBRARY_PATH"):
        env.pop("LD_LIBRARY_PATH", None)
    return env


def main() -> int:
    sys.path.insert(0, str(HERE))
    if getattr(sys, "frozen", False):
        env = frozen_environment(dict(os.environ), getattr(sys, "_MEIPASS", str(HERE)))
        os.environ.clear()
        os.environ.update(env)
        if sys.argv[1:2] and sys.argv[1].endswith("power_helper.py"):
            # the bundle has no separate Python: pkexec/UAC start it with the helper's path first
            from probes.live.power_helper import main as helper_main

            return helper_main(sys.argv[2:])
    if sys.version_info < MIN_PYTHON:
        want, have = ".".join(map(str, MIN_PYTHON)), sys.version.split()[0]
        sys.stderr.write(
            tr(
                "bootstrap",
                "RigPilot: error [python-too-old]: RigPilot needs Python {want} or newer; "
                "this is {have} ({python}).",
                want=want,
                have=have,
                python=sys.executable,
            )
        )
        sys.stderr.write(
            "\n"
            + tr(
                "bootstrap",
                "  hint: install Python {want} or newer (Ubuntu 22.04's python3 is "
                "3.10) and start RigPilot with it.",
                want=want,
            )
            + "\n"
        )
        return 2
    argv = sys.argv[1:]
    gui = _wants_gui(argv)
    try:
        bootstrap(CORE_MODULES + GUI_MODULES if gui else CORE_MODULES)
    except BootstrapError as err:
        msg = tr("bootstrap", "RigPilot: error [{code}]: {message}", code=err.code, message=err.message)
        sys.stderr.write(msg)
        sys.stderr.write("\n" + tr("bootstrap", "  hint: {hint}", hint=err.hint) + "\n")
        return 2
    if gui:
        from app.gui.start import main as gui_main

        return gui_main(argv)
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
