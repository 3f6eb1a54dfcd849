"""The Install page: the dry-run plan (blocked steps with code and hint, the driver's page), the choices
(mirrors, wheelhouse), a real install of a stand-in torch from a local index (progress, log, result, the
Launch and Verify pages filled in), Cancel during a slow download, Repair and Rollback."""

from __future__ import annotations

import dataclasses
import json
import os
import sys
import time
from pathlib import Path

import pytest

from . import standin
from .conftest import load_result

pytest.importorskip("PySide6")


def _this_python(result):
    """The probe result with this interpreter as the Python it found (no download, no search)."""
    version = ".".join(map(str, sys.version_info[:3]))
    host = dataclasses.replace(result.host, pythons=[{"path": sys.executable, "version": version}])
    return dataclasses.replace(result, host=host)


@pytest.fixture
def page(qtbot, ctx):
    from app.gui.pages.install import InstallPage

    p = InstallPage(ctx)
    qtbot.addWidget(p)
    yield p
    p.shutdown()
    ctx.wait_for_workers(60000)


@pytest.fixture
def stand_in(tmp_path, monkeypatch):
    """A local index serving a stand-in torch, and the fallback profile pointing at it."""

    def make(bytes_per_s: int = 0, pad_bytes: int = 0, broken_companion: bool = False):
        wheels = tmp_path / "wheels"
        index = standin.LocalIndex(tmp_path / "index", bytes_per_s=bytes_per_s or None).__enter__()
        started.append(index)
        index.add(standin.torch_wheel(wheels, pad_bytes=pad_bytes))
        extra = ()
        if broken_companion:
            companion = standin.broken_torchvision(wheels)
            index.add(companion)
            extra = ("torchvision==" + companion.name.split("-")[1],)
        standin.cpu_profile(tmp_path / "profiles", index.url, extra=extra)
        monkeypatch.setenv("RIGPILOT_PROFILES", str(tmp_path / "profiles"))
        monkeypatch.setenv("UV_CACHE_DIR", str(tmp_path / "uv-cache"))
        monkeypatch.setenv("UV_NO_CONFIG", "1")
        monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
        return index

    started: list = []
    yield make
    for index in started:
        index.stop()


def plan_text(page) -> str:
    return page.plan_view.toPlainText()


# ------------------------------------------------------------------------------------------ the plan
def test_without_a_probe_there_is_no_plan_and_install_says_why(page):
    assert page.job is None
    assert not page.install_button.isEnabled()
    assert "Detect" in page.reason.text()


def test_plan_of_a_card_without_driver_shows_blocked_step_with_code_and_the_driver_page(page, ctx):
    ctx.set_probe_result(load_result("s80-no-driver"))
    assert page.job is not None and page.job.plan.profile == "mthreads-s80-linux"
    text = plan_text(page)
    assert "BLOCKED" in text and "Code: install-wheelhouse-needed" in text
    assert "needs you" in text and "install-driver-needed" in text
    assert "Why: Profile mthreads-s80-linux needs Python 3.10." in text
    assert 'href="https://www.mthreads.com/download/driver"' in page.plan_view.toHtml()
    assert page.step_status["torch-stack"] == "blocked" and page.step_status["driver"] == "needs-user"
    # Install is refused with the blocked step's code and hint, in red
    assert not page.install_button.isEnabled()
    reason = page.reason.text()
    assert "[install-wheelhouse-needed]" in reason and "--wheelhouse" in reason and "#b00020" in reason
    assert "Wheelhouse folder" in reason
    # a wheelhouse unblocks the torch step; the driver stays the user's, with its page
    page.wheelhouse.setText(str(Path(ctx.data_dir) / "wheels"))
    assert page.step_status["torch-stack"] == "planned"
    assert "wheelhouse:" in plan_text(page)
    assert page.install_button.isEnabled()
    assert "mthreads.com/download/driver" in page.reason.text()


def test_a_simulated_rig_gets_a_plan_but_no_install(page, ctx):
    result = load_result("no-gpu")
    ctx.set_probe_result(
        dataclasses.replace(result, host=dataclasses.replace(result.host, simulated="no-gpu"))
    )
    assert page.job is not None and page.job.plan.simulated == "no-gpu"
    assert "SIMULATED" in page.profile_line.text()
    assert not page.install_button.isEnabled() and "simulated rig no-gpu" in page.reason.text()


def test_app_folder_and_installer_choices_reach_the_plan(page, ctx, tmp_path):
    ctx.set_probe_result(load_result("no-gpu"))
    assert page.dir.text().endswith(str(Path("RigPilot") / "comfyui"))
    page.app.setCurrentIndex(page.app.findData("generic"))
    assert page.dir.text().endswith(str(Path("RigPilot") / "generic"))  # follows the app until edited
    assert page.job.plan.app == "generic" and page.step_status["app"] == "skipped"
    page.dir.setText(str(tmp_path / "mine"))
    page.app.setCurrentIndex(page.app.findData("comfyui"))
    assert page.dir.text() == str(tmp_path / "mine") and page.job.plan.dir == str(tmp_path / "mine")
    page.executor.setCurrentIndex(page.executor.findData("pip"))
    env = page.job.plan.step("environment")
    assert env.commands[0][1:3] == ("-m", "venv")


def test_mirrors_from_the_table_change_the_job(page, ctx):
    ctx.set_probe_result(load_result("no-gpu"))  # cpu-fallback: download.pytorch.org/whl/cpu
    names = {k: [c.itemData(i) for i in range(c.count())] for k, c in page.mirror.items()}
    assert names["pypi"][0] is None and "tuna" in names["pypi"] and "pypi" in names["pypi"]
    assert "aliyun-pytorch" in names["torch"] and "ghproxy" in names["github"]
    assert "nju-python" in names["python"]
    assert page.mirror["torch"].isEnabled()
    page.mirror["pypi"].setCurrentIndex(page.mirror["pypi"].findData("tuna"))
    page.mirror["torch"].setCurrentIndex(page.mirror["torch"].findData("aliyun-pytorch"))
    page.mirror["github"].setCurrentIndex(page.mirror["github"].findData("ghproxy"))
    job = page.job
    assert job.pypi_url == "https://pypi.tuna.tsinghua.edu.cn/simple"
    assert job.github_prefix == "https://ghfast.top/"
    assert job.options.index_url == "flat+https://mirrors.aliyun.com/pytorch-wheels/cpu/"
    # a profile whose torch does not come from download.pytorch.org: the PyTorch mirror does not apply
    ctx.set_probe_result(load_result("s80-no-driver"))
    assert page.mirror["torch"].currentData() is None and not page.mirror["torch"].isEnabled()
    assert page.plan_error is None and page.job.options.index_url is None


def test_mirrors_are_listed_china_first_in_chinese(qtbot, ctx):
    from app.gui.pages.install import InstallPage
    from probes.core import i18n

    i18n.set_language("zh_CN")
    p = InstallPage(ctx)
    qtbot.addWidget(p)
    assert p.mirror["pypi"].itemData(1) == "tuna" and p.mirror["pypi"].itemData(p.mirror["pypi"].count() - 1)
    i18n.set_language("en")
    p.retranslate()
    assert p.mirror["pypi"].itemData(1) == "pypi"
    p.shutdown()


# ------------------------------------------------------------------------------------------ installing
def _install(qtbot, page, timeout_ms=180000):
    assert page.install_button.isEnabled(), page.reason.text()
    page.install_button.click()
    assert page.running == "install" and page.cancel_button.isEnabled()
    assert not page.install_button.isEnabled() and not page.dir.isEnabled()
    qtbot.waitUntil(lambda: page.running is None, timeout=timeout_ms)
    return page.result


def test_a_real_install_from_a_local_index_fills_launch_and_verify(qtbot, window, ctx, tmp_path, stand_in):
    index = stand_in()
    ctx.set_probe_result(_this_python(load_result("no-gpu")))
    page = window.pages["install"]
    qtbot.waitUntil(lambda: ctx.match_result is not None and page.job is not None, timeout=20000)
    assert page.job.selection.index_url == index.url
    page.app.setCurrentIndex(page.app.findData("generic"))
    page.dir.setText(str(tmp_path / "inst"))
    overall, steps = [], []
    page.overall.valueChanged.connect(overall.append)
    page.step_bar.valueChanged.connect(steps.append)

    result = _install(qtbot, page)

    assert result.status == "ok", result.error and (result.error.code, str(result.error.message))
    assert overall == sorted(overall) and overall[-1] == page.overall.maximum() == 10
    assert len(set(overall)) >= 5  # it advanced step by step
    log = page.log.toPlainText()
    assert "[1/10] ✓ Check the pins and the disk" in log and "torch==2.13.0+standin" in log
    assert "$ " in log  # the commands the children ran, with their output
    assert any(r.startswith("/files/torch-") for r in index.requests)  # the wheel came from the index
    assert page.step_status["torch-stack"] == "ok" and page.step_status["app"] == "skipped"
    shown = page.result_label.text()
    assert "Installed in" in shown and result.python in shown and "rigpilot-lock.json" in shown
    assert Path(result.python).exists()
    # the installs: recorded, listed on this page, offered and filled in on Launch and Verify
    records = json.loads((Path(ctx.data_dir) / "installs.json").read_text(encoding="utf-8"))["installs"]
    assert records[0]["dir"] == str(tmp_path / "inst") and records[0]["profile"] == "cpu-fallback"
    assert page.table.rowCount() == 1 and page.table.item(0, 3).text() == "2.13.0+standin"
    launch, verify = window.pages["launch"], window.pages["verify"]
    assert launch.python.text() == result.python
    assert launch.app.currentData() == "generic" and launch.profile.currentData() == "cpu-fallback"
    assert launch.installs.currentData()["dir"] == str(tmp_path / "inst")
    assert verify.python.currentText() == result.python
    assert verify.installs.count() == 2
    # the choices are remembered for the next start
    from app import settings

    stored = settings.load(ctx.data_dir)["install"]
    assert stored["app"] == "generic" and stored["dir"] == str(tmp_path / "inst")


def test_cancel_stops_a_slow_download_and_switches_nothing(qtbot, page, ctx, tmp_path, stand_in):
    stand_in(bytes_per_s=100_000, pad_bytes=4_000_000)  # 40 s to download
    ctx.set_probe_result(_this_python(load_result("no-gpu")))
    page.app.setCurrentIndex(page.app.findData("generic"))
    page.dir.setText(str(tmp_path / "inst"))
    page.install_button.click()
    qtbot.waitUntil(lambda: " of " in page.step_label.text(), timeout=60000)  # bytes are arriving
    assert page.step_bar.maximum() > 1 and "MB" in page.step_label.text()
    started = time.monotonic()
    page.cancel_button.click()
    assert not page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: page.running is None, timeout=30000)
    assert time.monotonic() - started < 20
    result = page.result
    assert result.status == "cancelled" and result.error.code == "install-cancelled"
    assert "cancelled" in page.result_label.text() and "install-cancelled" in page.result_label.text()
    assert page.step_status["torch-stack"] == "cancelled"
    assert not (tmp_path / "inst" / "rigpilot-install.json").exists()
    assert not list((tmp_path / "inst" / "envs").glob("*/bin/python"))  # the half-built env is gone
    assert page.install_button.isEnabled()  # it can be started again


def test_a_failed_verification_shows_the_checks_and_the_kept_environment(
    qtbot, page, ctx, tmp_path, stand_in
):
    stand_in(broken_companion=True)  # the profile pins a torchvision that does not import beside torch
    ctx.set_probe_result(_this_python(load_result("no-gpu")))
    page.app.setCurrentIndex(page.app.findData("generic"))
    page.dir.setText(str(tmp_path / "inst"))
    result = _install(qtbot, page)
    assert result.status == "verify-failed" and result.error.code == "verify-torchvision-mismatch"
    shown = page.result_label.text()
    assert "failed verification" in shown and "[verify-torchvision-mismatch]" in shown
    assert "✓ torch 2.13.0+standin as pinned." in shown  # every check, passed ones too
    assert "kept for inspection" in shown and result.env in shown and Path(result.env).is_dir()
    assert page.step_status["verify"] == "failed" and page.step_status["launch-script"] == "planned"
    assert not (tmp_path / "inst" / "rigpilot-install.json").exists()  # nothing was switched
    assert not page.installs  # and nothing recorded


def test_repair_and_rollback_of_an_install(qtbot, page, ctx, tmp_path, stand_in):
    stand_in()
    ctx.set_probe_result(_this_python(load_result("no-gpu")))
    page.app.setCurrentIndex(page.app.findData("generic"))
    page.dir.setText(str(tmp_path / "inst"))
    first = _install(qtbot, page)
    second = _install(qtbot, page)
    assert first.status == second.status == "ok" and first.env != second.env
    page.select_install(str(tmp_path / "inst"))
    assert page.repair_button.isEnabled() and page.rollback_button.isEnabled()

    page.repair_button.click()
    assert page.running == "repair"
    qtbot.waitUntil(lambda: page.running is None, timeout=120000)
    assert page.outcome is not None and page.outcome.status == "nothing-to-do", page.result_label.text()
    assert "nothing to repair" in page.result_label.text()

    changed = []
    ctx.installs_changed.connect(lambda: changed.append(True))
    page.select_install(str(tmp_path / "inst"))
    page.rollback_button.click()
    qtbot.waitUntil(lambda: page.running is None, timeout=60000)
    assert page.outcome.action == "rollback" and page.outcome.env_id == first.env_id
    assert "is current again" in page.result_label.text() and changed
    rec = page.installs[0]
    assert rec["python"] == first.python and rec["previous"] == second.env_id


def test_the_page_is_translated(qtbot, window, ctx):
    page = window.pages["install"]
    ctx.set_probe_result(load_result("s80-no-driver"))
    window.set_language("zh_CN")
    try:
        assert page.install_button.text() == "安装"
        assert page.labels["dir"].text() == "安装文件夹"
        assert "已阻止" in plan_text(page) or "受阻" in plan_text(page)
        assert window.pages["launch"].labels["installed"].text() == "已安装的环境"
    finally:
        window.set_language("en")
    assert page.install_button.text() == "Install"


def test_a_url_typed_into_a_mirror_box_is_a_custom_index(page, ctx):
    """The listed mirrors or a URL of the user's own: typed into the package-index and PyTorch-index boxes,
    it becomes the install's --pypi-url and --index-url, and the job uses them."""
    from app.gui.pages import install as page_module

    ctx.set_probe_result(load_result("no-gpu"))
    page.mirror["torch"].setEditText("https://mirror.example.org/whl/cu128")
    page.mirror["pypi"].setEditText("https://pypi.example.org/simple")
    args = page.args()
    assert args.index_url == "https://mirror.example.org/whl/cu128"
    assert args.pypi_url == "https://pypi.example.org/simple"
    assert "pypi" not in " ".join(args.mirror or [])
    page.replan()
    assert page.job.pypi_url == "https://pypi.example.org/simple"
    assert page.job.options.index_url == "https://mirror.example.org/whl/cu128"
    page.mirror["pypi"].setEditText("not a url")
    assert page.args().pypi_url is None
    page.mirror["pypi"].setCurrentIndex(page.mirror["pypi"].findData("tuna"))  # a listed mirror again
    assert page.custom_url("pypi") is None and page.args().mirror
    assert page_module.URL_RE.match("file:///srv/wheels/simple")
