"""RigPilot-Setup-<version>.exe (tools/build_dist.py windows), installed and uninstalled under wine
the way IT would: silent, into a folder whose path has spaces and CJK characters, in a Chinese and
in an English system. The installed launcher is started with a stand-in Python (the real uv.exe and
Python do not run here; tests/release/test_windows_bootstrap.py runs the first start's logic)."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from app.version import VERSION
from tests.release.winetools import run_wine, wine_env, wine_user_dir, winpath

pytestmark = pytest.mark.dist
KEY = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\RigPilot"
CJK_DIR = r"C:\users\张 三 (测试)\AppData\Local\Programs\RigPilot"


def reg_query(lang="en") -> str:
    proc = subprocess.run(["wine", "reg", "query", KEY], capture_output=True, env=wine_env(lang), timeout=120)
    return proc.stdout.decode("utf-8", "replace") if proc.returncode == 0 else ""


def silent(setup_exe, *switches, lang="en"):
    """The setup program from cmd, as typed: NSIS wants /D= unquoted and last, spaces and all."""
    line = " ".join([winpath(setup_exe), "/S", *switches])
    return run_wine(["cmd", "/c", line], lang=lang, timeout=300)


def c_drive(path: str):
    from tests.release.winetools import PREFIX

    return PREFIX / "drive_c" / path[3:].replace("\\", "/")


@pytest.fixture
def clean_prefix(wine_tools):
    """No RigPilot left in the prefix by an earlier, interrupted run."""
    run_wine(["reg", "delete", KEY, "/f"])
    user = wine_user_dir() if (c_drive("C:\\users")).is_dir() else None
    for folder in [c_drive(CJK_DIR).parents[3]] + (
        [user / "AppData" / "Local" / "Programs" / "RigPilot", user / "AppData" / "Local" / "RigPilot"]
        if user
        else []
    ):
        shutil.rmtree(folder, ignore_errors=True)
    yield


def test_setup_name_and_size(setup_exe):
    assert setup_exe.name == f"RigPilot-Setup-{VERSION}.exe"
    assert setup_exe.read_bytes()[:2] == b"MZ"
    print(f"{setup_exe.name}: {setup_exe.stat().st_size / 1e6:.1f} MB")
    assert setup_exe.stat().st_size < 40e6


def test_silent_install_on_a_chinese_system_into_a_cjk_path_then_uninstall_keeps_the_data(
    setup_exe, clean_prefix, fake_uv_exe
):
    proc = silent(setup_exe, "/NODESKTOP", f"/D={CJK_DIR}", lang="zh_CN")
    inst = c_drive(CJK_DIR)
    assert (inst / "RigPilot.exe").is_file(), (proc.stdout[-2000:], proc.stderr[-2000:])
    for rel in (
        "Uninstall.exe",
        "rigpilot.ico",
        "app/main.py",
        "app/pyproject.toml",
        "app/probes/smoke/target/runner.py",
        "bootstrap/bootstrap.cmd",
        "bootstrap/uv.exe",
        "bootstrap/requirements.lock",
        "bootstrap/mirrors-zh_CN.cmd",
    ):
        assert (inst / rel).is_file(), rel
    assert not (inst / "app" / "tests").exists() and not (inst / "runtime").exists()
    assert (inst / "lang.txt").read_text() == "zh_CN"  # the installer ran in Chinese
    user = wine_user_dir()
    start_menu = user / "AppData" / "Roaming" / "Microsoft" / "Windows" / "Start Menu" / "Programs"
    assert (start_menu / "RigPilot 显卡助手.lnk").is_file(), list(start_menu.iterdir())
    assert not (user / "Desktop" / "RigPilot 显卡助手.lnk").exists()  # /NODESKTOP
    reg = reg_query()
    for value in (
        "DisplayName",
        "DisplayVersion",
        "UninstallString",
        "QuietUninstallString",
        "InstallLocation",
    ):
        assert value in reg, reg
    assert VERSION in reg and CJK_DIR in reg and "Uninstall.exe" in reg

    # the Start menu entry's target, as the first start leaves it: ready, a (stand-in) Python in runtime\
    venv = inst / "runtime" / "venv" / "Scripts"
    venv.mkdir(parents=True)
    shutil.copy(fake_uv_exe, venv / "pythonw.exe")
    (inst / "runtime" / "ready.txt").write_text((inst / "bootstrap" / "lock.sha256").read_text())
    log = inst.parents[3] / "start.jsonl"
    run_wine([str(inst / "RigPilot.exe")], extra_env={"FAKE_UV_LOG": winpath(log)})
    [call] = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert call["exe"] == "pythonw.exe" and call["argv"] == [CJK_DIR + "\\app\\main.py"]

    data = user / "AppData" / "Local" / "RigPilot"
    (data / "models").mkdir(parents=True, exist_ok=True)
    (data / "settings.json").write_text("{}")
    run_wine([str(inst / "Uninstall.exe"), "/S"], lang="zh_CN")
    assert not inst.exists(), list(inst.rglob("*"))[:10]
    assert not (start_menu / "RigPilot 显卡助手.lnk").exists()
    assert reg_query() == ""
    assert (data / "settings.json").is_file() and (data / "models").is_dir()  # the data folder stays


def test_default_install_in_english_with_desktop_shortcut_and_uninstall_deleting_data_when_asked(
    setup_exe, clean_prefix
):
    proc = silent(setup_exe)
    user = wine_user_dir()
    inst = user / "AppData" / "Local" / "Programs" / "RigPilot"  # %LOCALAPPDATA%\Programs\RigPilot
    assert (inst / "RigPilot.exe").is_file(), (proc.stdout[-2000:], proc.stderr[-2000:])
    assert (inst / "lang.txt").read_text() == "en"
    assert (user / "Desktop" / "RigPilot GPU Assistant.lnk").is_file()
    data = user / "AppData" / "Local" / "RigPilot"
    data.mkdir(parents=True, exist_ok=True)
    (data / "settings.json").write_text("{}")
    # an update: the same setup program again keeps runtime\ (Python and packages) and replaces the code
    (inst / "runtime").mkdir()
    (inst / "runtime" / "ready.txt").write_text("x")
    (inst / "app" / "stale_module.py").write_text("")
    silent(setup_exe)
    assert (inst / "runtime" / "ready.txt").is_file() and not (inst / "app" / "stale_module.py").exists()
    run_wine([str(inst / "Uninstall.exe"), "/S", "/DELETEDATA"])
    assert not inst.exists() and not data.exists()
    assert not (user / "Desktop" / "RigPilot GPU Assistant.lnk").exists()
