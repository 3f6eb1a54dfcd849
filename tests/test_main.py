"""main.py's bootstrap: a user's python3 starts RigPilot again and again, on Python 3.10 too.

The end-to-end cases run real interpreters: the base Python of the test venv with ``-S`` (no
site-packages: a fresh system python3 without RigPilot's dependencies) and a real venv made from
it, whose ``bin/python`` is a symlink to that very interpreter — the case that broke every second
start when "am I inside the venv?" compared resolved executables.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import main as entry
from tools.fresh_check import claimed_versions, find_python

ROOT = Path(__file__).resolve().parent.parent
STUB_CLI = """import json, sys

def main(argv):
    print(json.dumps({"prefix": sys.prefix, "argv": argv}))
    return 0
"""


def _base_python() -> str:
    base = getattr(sys, "_base_executable", None) or sys.executable
    return base if Path(base).is_file() else sys.executable


@pytest.fixture
def checkout(tmp_path):
    """A RigPilot folder with the real main.py, pyproject.toml and i18n, and a stub CLI that
    reports which environment it ran in."""
    co = tmp_path / "my rigpilot"
    (co / "app").mkdir(parents=True)
    shutil.copy2(ROOT / "main.py", co / "main.py")
    shutil.copy2(ROOT / "pyproject.toml", co / "pyproject.toml")
    (co / "app" / "__init__.py").write_text("", encoding="utf-8")
    (co / "app" / "cli.py").write_text(STUB_CLI, encoding="utf-8")
    shutil.copytree(ROOT / "probes", co / "probes", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "assets" / "i18n", co / "assets" / "i18n")
    return co


def _make_venv_with_our_packages(path: Path) -> Path:
    """A real venv (symlinked python, as `python3 -m venv` makes on Linux) that sees the test
    venv's packages through a .pth file, so it has every dependency without installing."""
    venv.EnvBuilder(with_pip=False, symlinks=os.name != "nt").create(path)
    py = path / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    site = subprocess.run(
        [str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    Path(site, "rigpilot-test.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")
    return py


def _start(checkout: Path, *args: str, env_extra: dict | None = None, cwd: Path | None = None):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "VIRTUAL_ENV",
            "RIGPILOT_VENV",
            "RIGPILOT_NO_BOOTSTRAP",
            "RIGPILOT_BOOTSTRAP_VENV",
            "PYTHONPATH",
        )
    }
    env.update(env_extra or {})
    # -S: no site-packages, like a system python3 that has none of RigPilot's dependencies
    return subprocess.run(
        [_base_python(), "-S", str(checkout / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd or checkout.parent,
    )


@pytest.mark.skipif(os.name == "nt", reason="the symlinked venv interpreter is the POSIX layout")
def test_the_python_that_made_the_venv_starts_rigpilot_every_time(checkout):
    py = _make_venv_with_our_packages(checkout / ".venv")
    assert py.resolve() == Path(_base_python()).resolve()  # the trap: both are the same file
    for _ in range(2):
        proc = _start(checkout, "probe", "--json")
        assert proc.returncode == 0, proc.stderr
        assert "Traceback" not in proc.stderr and "installing" not in proc.stderr.lower()
        ran = json.loads(proc.stdout)
        assert Path(ran["prefix"]).resolve() == (checkout / ".venv").resolve()
        assert ran["argv"] == ["probe", "--json"]


def test_inside_venv_compares_prefixes_not_interpreter_files(tmp_path):
    assert entry.inside_venv(Path(sys.prefix))
    assert not entry.inside_venv(tmp_path / ".venv")
    assert not entry.inside_venv(tmp_path / ".venv", prefix=sys.base_prefix)


@pytest.mark.skipif(os.name == "nt", reason="POSIX venv layout")
def test_a_venv_that_is_not_the_one_we_execd_into_stops_instead_of_looping(checkout):
    _make_venv_with_our_packages(checkout / ".venv")
    proc = _start(
        checkout, "probe", env_extra={entry._REEXEC_MARK: str(checkout / ".venv"), "RIGPILOT_LANG": "en"}
    )
    assert proc.returncode == 2
    assert "error [bootstrap-venv-unusable]" in proc.stderr and "hint:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_folder_that_is_not_a_venv_is_never_written_into(checkout, tmp_path):
    mine = tmp_path / "my files"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    proc = _start(checkout, "probe", env_extra={"RIGPILOT_VENV": str(mine), "RIGPILOT_LANG": "en"})
    assert proc.returncode == 2 and "error [bootstrap-venv-not-a-venv]" in proc.stderr
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_errors_are_translated(checkout, tmp_path):
    mine = tmp_path / "stuff"
    mine.mkdir()
    (mine / "x").write_text("", encoding="utf-8")
    proc = _start(checkout, "probe", env_extra={"RIGPILOT_VENV": str(mine), "RIGPILOT_LANG": "zh_CN"})
    assert "错误 [bootstrap-venv-not-a-venv]" in proc.stderr and "提示" in proc.stderr


def test_missing_ensurepip_names_the_debian_package(monkeypatch, tmp_path):
    """Ubuntu's python3 without python3-venv: venv prints this and leaves a half-made folder."""
    target = tmp_path / ".venv"

    def fake_run(argv, timeout_s):
        (target / "bin").mkdir(parents=True)  # what venv leaves behind before failing
        msg = (
            "The virtual environment was not created successfully because ensurepip is not\n"
            "available.  On Debian/Ubuntu systems, you need to install the python3-venv\n"
            "package using the following command.\n\n    apt install python3.10-venv\n"
        )
        return subprocess.CompletedProcess(argv, 1, msg, "")

    monkeypatch.setattr(entry, "_run_quiet", fake_run)
    monkeypatch.setenv("RIGPILOT_LANG", "en")
    with pytest.raises(entry.BootstrapError) as info:
        entry.create_venv(target)
    assert info.value.code == "bootstrap-venv-failed"
    assert f"python{sys.version_info[0]}.{sys.version_info[1]}-venv" in info.value.hint
    assert not target.exists()  # the half-made venv is gone


def test_dependencies_are_read_the_same_without_tomllib():
    """Python 3.10 has no tomllib: the fallback reader must agree with it on the real file, and a
    quoted word in a comment is not a requirement (it once ran `pip install "Fatal Python error…"`)."""
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    if sys.version_info >= (3, 11):
        import tomllib

        assert entry.read_dependencies(text) == tomllib.loads(text)["project"]["dependencies"]
    tricky = """[tool.other]
dependencies = ["not-this"]

[project]
name = "x"
dependencies = [
    # "Fatal Python error: none_dealloc" after a few thousand calls
    "a>=1",  # "b" in a comment
    'c; python_version < "3.11"',
    "d @ https://example.org/d.whl#sha256=00",
]
[project.optional-dependencies]
test = ["e"]
"""
    assert entry.read_dependencies(tricky) == [
        "a>=1",
        'c; python_version < "3.11"',
        "d @ https://example.org/d.whl#sha256=00",
    ]
    with pytest.raises(ValueError):
        entry.read_dependencies('[project]\ndependencies = [\n  "a",\n')


def test_unsatisfied_sees_versions_and_markers():
    assert entry.unsatisfied(["packaging>=1", "pytest"]) == []
    assert entry.unsatisfied(["packaging>=9999"]) == ["packaging>=9999"]
    assert entry.unsatisfied(["no-such-dist-rigpilot"]) == ["no-such-dist-rigpilot"]
    assert entry.unsatisfied(["no-such-dist-rigpilot; python_version < '3'"]) == []
    assert entry.unsatisfied(["not a requirement ("]) == ["not a requirement ("]


def test_python_310_gets_a_toml_parser_as_a_dependency():
    deps = entry.read_dependencies((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert any(d.startswith("tomli") and "python_version < '3.11'" in d for d in deps)
    assert claimed_versions(ROOT / "pyproject.toml")[0] == "3.10"


def test_too_old_python_gets_a_clear_message():
    py = find_python("3.9")
    if py is None:
        pytest.skip("no Python 3.9 on this machine")
    proc = subprocess.run(
        [py, str(ROOT / "main.py"), "probe"],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, RIGPILOT_LANG="en"),
    )
    assert proc.returncode == 2 and "error [python-too-old]" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.skipif(os.name == "nt", reason="POSIX venv layout")
def test_an_update_that_changes_a_pin_is_checked_again(checkout):
    """The venv remembers the dependency list it last satisfied (a start then skips the ~0.1 s
    metadata scan); a RigPilot update with a new pin is checked, and here cannot be installed (the
    test venv has no pip), which is said with its code instead of running with the old version."""
    _make_venv_with_our_packages(checkout / ".venv")
    assert _start(checkout, "probe").returncode == 0
    stamp = checkout / ".venv" / entry.STAMP_FILE
    assert "packaging" in stamp.read_text(encoding="utf-8")
    text = (checkout / "pyproject.toml").read_text(encoding="utf-8")
    (checkout / "pyproject.toml").write_text(text.replace('"packaging>=23.0"', '"packaging>=9999"'), "utf-8")
    proc = _start(checkout, "probe", env_extra={"RIGPILOT_LANG": "en"})
    assert proc.returncode == 2 and "error [bootstrap-install-failed]" in proc.stderr
    assert "packaging>=9999" in proc.stderr and "Traceback" not in proc.stderr
