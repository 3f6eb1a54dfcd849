"""The Windows first start, for real under wine's cmd: release/windows/bootstrap.cmd as the build
writes it (tools/build_dist.write_bootstrap), with a stand-in uv.exe that records every call and
exits as told (fake_uv.c), in an install folder whose path has spaces, CJK characters, & and ().
The launcher RigPilot.exe (release/windows/launcher.nsi, built with makensis) is run too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.release.winetools import run_wine, winpath
from tools import build_dist, dist_text

HOSTILE = "张 三 & co (测试)"


def _install(tmp_path: Path, uv_exe: Path, lang: str = "zh_CN") -> Path:
    home = tmp_path / HOSTILE / "RigPilot"
    (home / "app").mkdir(parents=True)
    (home / "app" / "main.py").write_text("# stand-in\n", encoding="utf-8")
    build_dist.write_bootstrap(
        home / "bootstrap", uv_exe, build_dist.LOCK.read_text(encoding="utf-8"), "9.8.7"
    )
    (home / "lang.txt").write_text(lang, encoding="ascii")
    return home


def _boot(home: Path, *, answer: str = "", codes: list[int] | None = None, env=None):
    """bootstrap.cmd under wine's cmd in a UTF-8 console (the language of its messages is lang.txt's)."""
    log = home.parent / "calls.jsonl"
    extra = {"FAKE_UV_LOG": winpath(log), **(env or {})}
    if codes is not None:
        (home.parent / "codes.txt").write_text("\n".join(map(str, codes)) + "\n", encoding="ascii")
        extra["FAKE_UV_CODES"] = winpath(home.parent / "codes.txt")
    stdin = (answer + "\r\n").encode() if answer else b""
    proc = run_wine(["cmd", "/c", "bootstrap.cmd"], extra_env=extra, cwd=home / "bootstrap", stdin=stdin)
    calls = (
        [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()] if log.exists() else []
    )
    log.unlink(missing_ok=True)
    return proc, calls


def _steps(calls):
    return [c["argv"][0] if c["exe"] == "uv.exe" else c["exe"] for c in calls]


def _text(proc) -> str:
    return (proc.stdout + proc.stderr).decode("utf-8", "replace")


def _msg(key: str, lang: str) -> str:
    return dist_text.render(dist_text.BOOTSTRAP[key], lang, version="9.8.7", python=build_dist.WINDOWS_PYTHON)


def _urls(kind: str, lang: str) -> list[str]:
    return [r["url"] for r in build_dist.ordered_mirrors(build_dist.mirror_rows(), kind, lang)]


def test_first_start_installs_python_venv_and_the_hashed_lock_then_later_starts_are_instant(
    tmp_path, fake_uv_exe
):
    home = _install(tmp_path, fake_uv_exe, "zh_CN")
    # the package index asked at the prompt (3rd of the zh_CN list), the Python mirror chosen without asking
    proc, calls = _boot(home, answer="3", env={"RIGPILOT_PYTHON_MIRROR": "2"})
    out = _text(proc)
    assert proc.returncode == 0, out
    assert _steps(calls) == ["python", "venv", "pip", "pythonw.exe"], calls
    py, venv, sync, start = calls
    rt = winpath(home / "runtime")
    assert py["argv"] == [
        "python",
        "install",
        "3.12",
        "--mirror",
        _urls("python", "zh_CN")[1],
        "--no-bin",
        "--no-registry",
        "--no-config",
    ]
    assert (
        py["env"]["UV_PYTHON_INSTALL_DIR"] == rt + "\\python" and py["env"]["UV_CACHE_DIR"] == rt + "\\cache"
    )
    assert venv["argv"][:2] == ["venv", rt + "\\venv"] and "--no-python-downloads" in venv["argv"]
    assert sync["argv"] == [
        "pip",
        "sync",
        winpath(home / "bootstrap" / "requirements.lock"),
        "--python",
        rt + "\\venv\\Scripts\\python.exe",
        "--index-url",
        _urls("pypi", "zh_CN")[2],
        "--require-hashes",
        "--no-config",
    ]
    assert start["argv"] == [winpath(home / "app" / "main.py")]
    assert start["env"].get("RIGPILOT_NO_BOOTSTRAP") == "1" and not any(
        k.startswith("UV_") for k in start["env"]
    )
    lock_sha = (home / "bootstrap" / "lock.sha256").read_text().strip()
    assert (home / "runtime" / "ready.txt").read_text().strip() == lock_sha
    # in the installer's language, China mainland mirrors listed first
    for key in ("TITLE", "CHOOSE_INDEX", "STEP_PYTHON", "STEP_PACKAGES", "READY"):
        assert _msg(key, "zh_CN") in out, key
    assert out.index(_urls("pypi", "zh_CN")[0]) < out.index("https://pypi.org/simple")
    # a later start: no download, no question, straight to RigPilot
    proc, calls = _boot(home)
    assert proc.returncode == 0 and _steps(calls) == ["pythonw.exe"], (calls, _text(proc))


def test_english_system_lists_the_global_mirrors_first(tmp_path, fake_uv_exe):
    home = _install(tmp_path, fake_uv_exe, "en")
    proc, calls = _boot(home, answer="")
    out = _text(proc)
    assert proc.returncode == 0, out
    assert calls[0]["argv"][4] == _urls("python", "en")[0]
    assert calls[2]["argv"][calls[2]["argv"].index("--index-url") + 1] == "https://pypi.org/simple"
    assert out.index("https://pypi.org/simple") < out.index(_urls("pypi", "zh_CN")[0])
    assert _msg("STEP_VENV", "en") in out


def test_offline_says_what_failed_and_where_then_quits_without_marking_ready(tmp_path, fake_uv_exe):
    home = _install(tmp_path, fake_uv_exe, "en")
    proc, calls = _boot(
        home, codes=[2, 2, 2], env={"RIGPILOT_PYPI_MIRROR": "1", "RIGPILOT_PYTHON_MIRROR": "1"}
    )
    out = _text(proc)
    assert proc.returncode == 1, out
    assert _steps(calls) == ["python"]
    for key in ("FAIL_PYTHON", "FAIL_HINT", "RETRY_MENU", "QUIT"):
        assert _msg(key, "en") in out, key
    assert _urls("python", "en")[0] in out and "bootstrap.log" in out
    assert not (home / "runtime" / "ready.txt").exists()
    assert "step python failed, exit code 2" in (home / "runtime" / "bootstrap.log").read_text(
        encoding="utf-8"
    )


def test_a_download_cut_off_halfway_is_retried_and_reuses_what_is_there(tmp_path, fake_uv_exe):
    home = _install(tmp_path, fake_uv_exe, "zh_CN")
    env = {"RIGPILOT_PYPI_MIRROR": "2", "RIGPILOT_PYTHON_MIRROR": "1"}
    proc, calls = _boot(home, codes=[0, 0, 2, 0, 0], answer="R", env=env)
    out = _text(proc)
    assert proc.returncode == 0, out
    # the venv made before the failure is kept: the retry syncs into it
    assert _steps(calls) == ["python", "venv", "pip", "python", "pip", "pythonw.exe"], calls
    assert _msg("FAIL_PACKAGES", "zh_CN") in out and _urls("pypi", "zh_CN")[1] in out
    assert (home / "runtime" / "ready.txt").exists()


def test_choosing_other_mirrors_after_a_failure(tmp_path, fake_uv_exe):
    home = _install(tmp_path, fake_uv_exe, "en")
    env = {"RIGPILOT_PYPI_MIRROR": "1", "RIGPILOT_PYTHON_MIRROR": "1"}
    proc, calls = _boot(home, codes=[2, 0, 0, 0], answer="M", env=env)
    assert proc.returncode == 0, _text(proc)
    assert _steps(calls) == ["python", "python", "venv", "pip", "pythonw.exe"]


def test_an_update_with_a_new_lock_syncs_the_existing_environment(tmp_path, fake_uv_exe):
    home = _install(tmp_path, fake_uv_exe, "en")
    env = {"RIGPILOT_PYPI_MIRROR": "1", "RIGPILOT_PYTHON_MIRROR": "1"}
    assert _boot(home, env=env)[0].returncode == 0
    (home / "runtime" / "ready.txt").write_text("hash-of-the-previous-version\r\n")  # what an update leaves
    proc, calls = _boot(home, env=env)
    assert proc.returncode == 0, _text(proc)
    assert _steps(calls) == ["python", "pip", "pythonw.exe"]  # no new venv, no re-download of Python


def test_an_incomplete_installation_says_so(tmp_path, fake_uv_exe):
    home = _install(tmp_path, fake_uv_exe, "zh_CN")
    (home / "bootstrap" / "uv.exe").unlink()
    proc, calls = _boot(home)
    assert proc.returncode == 2 and calls == []
    assert _msg("INCOMPLETE", "zh_CN") in _text(proc)


@pytest.mark.dist
def test_launcher_runs_the_bootstrap_first_then_rigpilot_directly(tmp_path, fake_uv_exe, makensis):
    home = _install(tmp_path, fake_uv_exe, "en")
    lock_sha = (home / "bootstrap" / "lock.sha256").read_text().strip()
    build_dist.build_launcher(makensis, home / "RigPilot.exe", "9.8.7", lock_sha)
    log = home.parent / "calls.jsonl"
    env = {"FAKE_UV_LOG": winpath(log), "RIGPILOT_PYPI_MIRROR": "1", "RIGPILOT_PYTHON_MIRROR": "1"}

    def start():
        proc = run_wine([str(home / "RigPilot.exe")], extra_env=env, cwd=tmp_path)
        calls = (
            [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
            if log.exists()
            else []
        )
        log.unlink(missing_ok=True)
        return proc, calls

    proc, calls = start()  # the double-click on a fresh install
    assert _steps(calls) == ["python", "venv", "pip", "pythonw.exe"], (calls, _text(proc))
    proc, calls = start()  # every later one
    assert _steps(calls) == ["pythonw.exe"], calls
    assert calls[0]["argv"] == [winpath(home / "app" / "main.py")]
    assert calls[0]["env"].get("RIGPILOT_NO_BOOTSTRAP") == "1"
    assert calls[0]["cwd"].rstrip("\\") == winpath(home)
