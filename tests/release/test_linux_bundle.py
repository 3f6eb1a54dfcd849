"""The Linux bundle (tools/build_dist.py linux), unpacked and started from a clean environment
(env -i: no venv, no PYTHONPATH, only /usr/bin:/bin on PATH): --version, a simulated probe, zh_CN
screenshots, the target-interpreter parts (runtime probe, smoke test), the Qt X11 check, install.sh."""

from __future__ import annotations

import json
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest

from app.version import VERSION

pytestmark = pytest.mark.dist
MAX_UNPACKED_MB = 300  # measured 220 MB (PySide6's Qt with ICU 90, numpy 42, Python 35)


@pytest.fixture(scope="module")
def bundle(linux_tarball, tmp_path_factory) -> Path:
    assert linux_tarball.name == f"RigPilot-{VERSION}-linux-x86_64.tar.gz" or linux_tarball.name.startswith(
        f"RigPilot-{VERSION}-linux-"
    )
    dest = tmp_path_factory.mktemp("unpacked") / "下载 folder"
    dest.mkdir()
    with tarfile.open(linux_tarball) as tar:
        names = tar.getnames()
        assert all(n == f"RigPilot-{VERSION}" or n.startswith(f"RigPilot-{VERSION}/") for n in names)
        tar.extractall(dest, filter="tar") if sys.version_info >= (3, 12) else tar.extractall(dest)  # noqa: S202
    root = dest / f"RigPilot-{VERSION}"
    size = sum(p.stat().st_size for p in root.rglob("*") if p.is_file() and not p.is_symlink())
    print(f"bundle {linux_tarball.stat().st_size / 1e6:.1f} MB packed, {size / 1e6:.1f} MB unpacked")
    assert size < MAX_UNPACKED_MB * 1e6
    return root


def clean_env(home: Path, **extra) -> dict:
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8", **extra}


def start(bundle: Path, *args, env=None, timeout=120, cwd=None):
    return subprocess.run(
        [str(bundle / "RigPilot"), *args],
        capture_output=True,
        text=True,
        errors="replace",
        env=env,
        timeout=timeout,
        cwd=cwd,
    )


def test_no_python_qt_or_torch_of_this_machine_is_needed(bundle):
    internal = bundle / "_internal"
    assert list(internal.glob("libpython3*.so*")), "the bundle carries its Python"
    assert (internal / "PySide6" / "Qt" / "lib").is_dir(), "the bundle carries its Qt"
    assert not (internal / "torch").exists() and not list(internal.rglob("libtorch*")), (
        "torch is never inside"
    )
    assert not list(internal.rglob("*WebEngine*")) and not list(internal.rglob("libQt6Quick*"))
    # what runs inside the user's own Python is shipped as source, where client.py / runtime.py look
    assert (internal / "probes" / "smoke" / "target" / "__main__.py").is_file()
    assert (internal / "probes" / "detect" / "runtime_script.py").is_file()
    assert (internal / "assets" / "i18n" / "gui_zh_CN.qm").is_file()


def test_version_and_a_simulated_probe_from_a_clean_environment(bundle, tmp_path):
    env = clean_env(tmp_path)
    proc = start(bundle, "--version", env=env, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stdout.strip() == f"RigPilot {VERSION}", proc
    proc = start(bundle, "probe", "--simulate", "s80-linux", "--json", env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    data = json.loads(proc.stdout)
    assert data["schema"] == "rigpilot.probe/1" and data["gpus"][0]["name"] == "MTT S80"
    assert data["gpus"][0]["compute"]["api"] == "musa"


@pytest.mark.parametrize("page", ["detect", "monitor"])
def test_offscreen_screenshot_in_chinese(bundle, tmp_path, page):
    from PySide6.QtGui import QImage

    png = tmp_path / f"{page}.png"
    env = clean_env(tmp_path, RIGPILOT_DATA_DIR=str(tmp_path / "data"))
    proc = start(
        bundle,
        "--screenshot",
        str(png),
        "--page",
        page,
        "--lang",
        "zh_CN",
        "--simulate",
        "s80-linux",
        "--size",
        "1180x780",
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Traceback" not in proc.stderr and "failed to import" not in proc.stderr, proc.stderr[-3000:]
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1180, 780)
    colours = {image.pixel(x, y) for x in range(0, 1180, 23) for y in range(0, 780, 17)}
    assert len(colours) > 20, "the screenshot is blank"
    assert "截图" in proc.stdout + proc.stderr  # the command line answered in Chinese too


@pytest.mark.needs_torch
def test_target_interpreter_parts_run_from_the_bundle(bundle, tmp_path):
    """probe --python and smoke --python start scripts of the bundle in another Python (this test
    venv's, which has the CPU torch): they must be found as files and get the user's environment."""
    env = clean_env(tmp_path, RIGPILOT_DATA_DIR=str(tmp_path / "data"))
    proc = start(bundle, "probe", "--python", sys.executable, "--json", env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    [rt] = json.loads(proc.stdout)["runtimes"]
    assert rt["error"] is None and rt["torch"].startswith("2.13.0"), rt
    proc = start(
        bundle,
        "smoke",
        "--python",
        sys.executable,
        "--device",
        "cpu",
        "--steps",
        "2",
        "--json",
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    result = json.loads(proc.stdout[proc.stdout.index("{") :])
    assert result["verdict"] == "pass", result


def test_the_qt_x11_check_names_what_is_missing(bundle, tmp_path):
    """With a display but without the X11 libraries Qt needs, the bundle says which (as main.py does
    from a checkout) instead of letting Qt abort; with no display at all it says that."""
    env = clean_env(tmp_path, DISPLAY=":97", RIGPILOT_DATA_DIR=str(tmp_path / "data"))
    plugin = bundle / "_internal" / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    ldd = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=30).stdout
    missing = sorted({line.split("=>")[0].strip() for line in ldd.splitlines() if "not found" in line})
    if missing:
        proc = start(bundle, env=env, cwd=tmp_path, timeout=60)
        assert proc.returncode == 2 and "gui-missing-library" in proc.stderr, proc.stderr[-2000:]
        for name in missing:
            assert name in proc.stderr
    env.pop("DISPLAY")
    proc = start(bundle, env=env, cwd=tmp_path, timeout=60)
    assert proc.returncode == 2 and "gui-no-display" in proc.stderr, proc.stderr[-2000:]


def test_install_sh_puts_the_bundle_in_the_menu_and_uninstalls_keeping_the_data(bundle, tmp_path):
    home = tmp_path / "home of 用户"
    data = home / ".local" / "share" / "rigpilot"
    data.mkdir(parents=True)
    (data / "settings.json").write_text("{}", encoding="utf-8")
    env = clean_env(home, LANG="zh_CN.UTF-8")
    proc = subprocess.run(
        ["sh", str(bundle / "install.sh")], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert "已安装到" in proc.stdout and str(home / ".local" / "opt" / "rigpilot") in proc.stdout
    desktop = (home / ".local" / "share" / "applications" / "rigpilot.desktop").read_text(encoding="utf-8")
    exe = home / ".local" / "opt" / "rigpilot" / "RigPilot"
    assert f'Exec="{exe}"' in desktop and "Icon=rigpilot" in desktop
    assert "GenericName[zh_CN]=显卡配置助手" in desktop
    assert (home / ".local" / "share" / "icons" / "hicolor" / "scalable" / "apps" / "rigpilot.svg").is_file()
    proc = subprocess.run(
        [str(home / ".local" / "bin" / "rigpilot"), "--version"],
        capture_output=True,
        text=True,
        env=clean_env(home),
        timeout=60,
    )
    assert proc.stdout.strip() == f"RigPilot {VERSION}", proc
    proc = subprocess.run(
        ["sh", str(exe.parent / "install.sh"), "--uninstall"],
        capture_output=True,
        text=True,
        env=clean_env(home),
        timeout=60,
    )
    assert proc.returncode == 0 and "was kept" in proc.stdout, proc
    assert not exe.parent.exists() and not (home / ".local" / "bin" / "rigpilot").exists()
    assert (data / "settings.json").is_file()
