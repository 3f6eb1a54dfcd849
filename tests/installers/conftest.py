"""Fixtures for real installs against a local package index (tools/localindex.py), never the internet.

* ``local_index`` (function): a fresh LocalIndex serving the stand-ins ``torch==2.13.0+standin`` and
  ``torchvision==0.28.0+standin`` (which requires it). Add more with ``local_index.add(path)``,
  ``local_index.build(name, version, ...)`` or the prebuilt ``standin_wheels``.
* ``standin_wheels`` (session): {"torch", "torchvision", "torchvision-broken", "torchaudio"} -> wheel path;
  the broken torchvision has the same name and version as the good one (so one index holds one of them)
  and raises ``RuntimeError: operator torchvision::nms does not exist`` on import.
* ``torch_wheel`` (session): the real CPU wheel of torch (``tools/run_tests.py``'s version) for this
  Python, from ``RIGPILOT_TORCH_WHEEL`` or a folder in ``PIP_FIND_LINKS``.
* ``torch_index`` (session): a LocalIndex serving that wheel and every wheel its dependencies need on
  this Python, downloaded once with ``pip download`` into the test cache (``RIGPILOT_TEST_CACHE``), so
  ``uv pip install --index-url <torch_index.url> torch==<version>`` needs no other index.
  ``torch_index.files_of("torch")[0].version`` is the version (``2.13.0+cpu``).
* ``comfyui_archive`` (function): the ComfyUI v0.3.64 release archive from the developers' fixtures
  folder (``RIGPILOT_FIXTURES``, else ``fixtures`` in the ``shared`` folder beside the clone, where CI
  puts it) served by ``local_index`` at ``/archive/ComfyUI-0.3.64.tar.gz``: a ServedFile (url, path,
  sha256, size).
* ``uv_bin`` (session), ``installer_env`` (function: pip/uv environment reading no machine or user
  configuration, caches under tmp_path), ``fresh_venv`` (function: a new ``uv venv``'s python, no pip).

The real torch wheel and the dependency download skip their tests with the reason when missing, except
under CI (the ``CI`` variable set), where they fail; a missing ComfyUI archive skips.
"""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

from tools.localindex import (
    LocalIndex,
    ServedFile,
    isolated_env,
    pip_download,
    standin_companion,
    standin_torch,
    wheel_requirements,
)
from tools.run_tests import TORCH_VERSION

ROOT = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("RIGPILOT_TEST_CACHE") or Path.home() / ".cache" / "rigpilot-test")
COMFYUI_ARCHIVE = "comfyui-v0.3.64.tar.gz"
COMFYUI_URL_PATH = "/archive/ComfyUI-0.3.64.tar.gz"


def skip_or_fail(reason: str):
    """Skip, or fail under CI where every test must run."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: this must not be skipped)", pytrace=False)
    pytest.skip(reason)


def _pytag() -> str:
    return f"cp{sys.version_info[0]}{sys.version_info[1]}"


def find_torch_wheel() -> Path | None:
    explicit = os.environ.get("RIGPILOT_TORCH_WHEEL")
    if explicit:
        return Path(explicit) if Path(explicit).is_file() else None
    tag = _pytag()
    pattern = f"torch-{TORCH_VERSION}+cpu-{tag}-{tag}-*{platform.machine().lower()}.whl"
    for folder in os.environ.get("PIP_FIND_LINKS", "").split():
        if "://" in folder:
            continue
        found = sorted(Path(folder).glob(pattern))
        if found:
            return found[-1]
    return None


def fixtures_dir() -> Path:
    """The developers' fixtures folder: RIGPILOT_FIXTURES, else "fixtures" in "shared" beside the clone."""
    explicit = os.environ.get("RIGPILOT_FIXTURES")
    return Path(explicit) if explicit else ROOT.parent / "shared" / "fixtures"


@pytest.fixture(scope="session")
def uv_bin() -> str:
    try:
        from uv import find_uv_bin
    except ImportError:
        skip_or_fail("uv is not installed in the test venv (it is a dependency: pip install -e .)")
    return find_uv_bin()


@pytest.fixture
def installer_env(tmp_path) -> dict[str, str]:
    return isolated_env(tmp_path / "installer-cache")


@pytest.fixture
def fresh_venv(tmp_path, uv_bin, installer_env) -> Path:
    """The python of a new virtual environment (``uv venv``: no pip in it; use ``pip --python``)."""
    venv = tmp_path / "venv"
    subprocess.run(
        [uv_bin, "venv", "-q", "--python", sys.executable, str(venv)],
        check=True,
        env=installer_env,
        timeout=120,
    )
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


@pytest.fixture(scope="session")
def standin_wheels(tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("standins")
    return {
        "torch": standin_torch(out),
        "torchvision": standin_companion(out, "torchvision"),
        "torchvision-broken": standin_companion(out / "broken", "torchvision", broken=True),
        "torchaudio": standin_companion(out, "torchaudio"),
    }


@pytest.fixture
def local_index(standin_wheels):
    with LocalIndex() as index:
        index.add(standin_wheels["torch"])
        index.add(standin_wheels["torchvision"])
        yield index


@pytest.fixture(scope="session")
def torch_wheel() -> Path:
    wheel = find_torch_wheel()
    if wheel is None:
        skip_or_fail(
            f"no CPU wheel of torch {TORCH_VERSION} for {_pytag()} on {platform.machine()}: set "
            "RIGPILOT_TORCH_WHEEL to its path, or PIP_FIND_LINKS to the folder that holds it"
        )
    return wheel


def _torch_dependencies(wheel: Path) -> Path:
    """The wheels torch needs on this Python, downloaded once into the test cache."""
    requirements = wheel_requirements(wheel)
    key = hashlib.sha256("\n".join([wheel.name, *requirements]).encode()).hexdigest()[:12]
    folder = CACHE / "localindex" / f"torch-deps-{_pytag()}-{platform.machine().lower()}-{key}"
    if (folder / ".complete").is_file():
        return folder
    part = folder.with_name(folder.name + ".part")
    try:
        pip_download(part, requirements, timeout_s=900)
    except (RuntimeError, subprocess.TimeoutExpired, OSError) as err:
        skip_or_fail(f"could not download torch's dependencies ({', '.join(requirements)}): {err}")
    (part / ".complete").write_text("\n".join(requirements) + "\n", encoding="utf-8")
    if folder.exists():  # another run finished first
        return folder
    part.rename(folder)
    return folder


@pytest.fixture(scope="session")
def torch_index(torch_wheel, tmp_path_factory):
    deps = _torch_dependencies(torch_wheel)
    with LocalIndex(tmp_path_factory.mktemp("torch-index")) as index:
        index.add(torch_wheel)
        index.add_folder(deps)
        yield index


@pytest.fixture
def comfyui_archive(local_index) -> ServedFile:
    archive = fixtures_dir() / COMFYUI_ARCHIVE
    if not archive.is_file():
        pytest.skip(f"the ComfyUI fixture {COMFYUI_ARCHIVE} is not in {fixtures_dir()} (RIGPILOT_FIXTURES)")
    return local_index.serve(COMFYUI_URL_PATH, archive, content_type="application/gzip")
