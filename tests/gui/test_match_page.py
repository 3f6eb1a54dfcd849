"""Match and Launch pages, standalone with pytest-qt (offscreen), fed a saved probe."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
from PySide6.QtCore import Qt  # noqa: E402

from probes.core.i18n import set_language  # noqa: E402
from probes.core.model import ProbeResult  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "match"


@pytest.fixture
def ctx(qtbot, tmp_path):
    from app.gui.context import AppContext

    set_language("en")
    c = AppContext(host=object(), data_dir=tmp_path)
    yield c
    c.wait_for_workers(10000)


def load(name):
    return ProbeResult.from_json(json.loads((DATA / f"{name}.json").read_text(encoding="utf-8")))


def make_match_page(qtbot, ctx, probe):
    from app.gui.pages import match as page_mod

    ctx.set_probe_result(probe)
    page = page_mod.MatchPage(ctx)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: page.result is not None, timeout=10000)
    return page


def items(page):
    return {
        page.tree.topLevelItem(i).data(0, Qt.UserRole): page.tree.topLevelItem(i)
        for i in range(page.tree.topLevelItemCount())
    }


def test_match_page_explains_the_choice(qtbot, ctx):
    page = make_match_page(qtbot, ctx, load("gtx1080ti-560-linux"))
    assert page.result.chosen.id == "nvidia-cuda/cu126"
    assert page.badge.text() == "OFFICIAL"
    assert "cu126" in page.title.text()
    assert "torch==2.11.0" in page.details.text() and "Pascal" in page.details.text()
    assert "not covered" in page.why.text() or "preferred" in page.why.text()
    assert "nvidia-cuda/cu128" in page.why.text()  # rejected for this card, named
    assert '<a href="https://github.com/Comfy-Org/comfy-cli">' in page.sources.text()
    it = items(page)
    cu128 = it["nvidia-cuda/cu128"]
    assert cu128.text(1) == "rejected"
    kids = [cu128.child(i) for i in range(cu128.childCount())]
    assert any(
        "not covered" in k.text(0) and k.text(1) == "fails" and "unsloth" in k.toolTip(0) for k in kids
    )
    page.shutdown()


def test_match_page_labels_unverified(qtbot, ctx):
    page = make_match_page(qtbot, ctx, load("s80-windows"))
    assert page.result.chosen.id == "mthreads-directml-windows" and page.badge.text() == "COMMUNITY"
    guide = items(page)["mthreads-musa-windows-guide"]
    assert "[unverified]" in guide.text(0) and "Unverified" in guide.toolTip(0)
    page.os_combo.setCurrentIndex(page.os_combo.findData("linux"))
    qtbot.waitUntil(lambda: page.result.os == "linux", timeout=10000)
    assert page.result.chosen.id == "mthreads-s80-linux"
    page.shutdown()


def test_match_page_unverified_badge_and_gpu_switch(qtbot, ctx):
    page = make_match_page(qtbot, ctx, load("biren-br104-linux"))
    assert page.badge.text() == "UNVERIFIED" and "b00020" in page.badge.styleSheet()
    ctx.set_probe_result(load("rx7900xtx-rx6600-linux"))
    qtbot.waitUntil(lambda: page.result.chosen.profile_id == "amd-rocm-linux", timeout=10000)
    page.gpu_combo.setCurrentIndex(page.gpu_combo.findData(1))
    qtbot.waitUntil(lambda: page.result.gpu.index == 1, timeout=10000)
    assert "HSA_OVERRIDE_GFX_VERSION_1=10.3.0" in page.details.text()
    page.shutdown()


def test_match_page_advisor(qtbot, ctx):
    page = make_match_page(qtbot, ctx, load("rtx3060-520-linux"))
    assert page.vram.value() == pytest.approx(12.0)
    page.vram.setValue(8)
    page.quant.setCurrentIndex(page.quant.findData("q4"))
    page.width_spin.setValue(1536)
    page.height_spin.setValue(1536)
    assert "does not fit" in page.advice_label.text() and page.last_advice.width < 1536
    page.shutdown()


def test_launch_page_previews_and_writes(qtbot, ctx, tmp_path):
    from app.gui.pages import launch as page_mod

    ctx.set_probe_result(load("s80-linux"))
    page = page_mod.LaunchPage(ctx)
    qtbot.addWidget(page)
    app_dir = tmp_path / "我的 ComfyUI (v2) & co's"
    page.app_dir.setText(str(app_dir))
    page.python.setText("/opt/venv/bin/python")
    page.out_dir.setText(str(tmp_path / "out"))
    page.restart.setChecked(True)
    text = page.preview.toPlainText()
    assert text.startswith("#!/usr/bin/env bash") and "torchada" in text and "rp_log" in text
    assert "'" + str(app_dir).replace("'", "'\\''") + "'" in text
    assert "mthreads-s80-linux" in page.status.text()
    page.write_button.click()
    assert (tmp_path / "out" / "run-comfyui.sh").is_file() and page.open_button.isEnabled()
    assert os.access(tmp_path / "out" / "run-comfyui.sh", os.X_OK)
    page.os_combo.setCurrentIndex(page.os_combo.findData("windows"))
    assert page.fmt.currentData() == "bat"
    page.python.setText("D:\\venv\\python.exe")
    page.app_dir.setText('D:\\say "hi"')
    assert "launch-unsafe-value" in page.status.text() and not page.write_button.isEnabled()
    page.env.setPlainText("NOT A PAIR")
    assert "launch-bad-env" in page.status.text()
    page.env.setPlainText("")
    page.app_dir.setText("D:\\我的 AI (v2)\\ComfyUI")
    page.profile.setCurrentIndex(page.profile.findData("mthreads-musa-windows-guide"))
    page.port.setValue(9100)
    page.listen.setChecked(True)
    text = page.preview.toPlainText()
    assert "mthreads-musa-windows-guide" in text and "unverified" in text
    assert '"--listen" "--port" "9100"' in text
    assert "guide" in page.status.text()
    page.shutdown()


def test_match_page_switches_to_chinese(qtbot, ctx, tmp_path):
    import shutil
    import subprocess

    from PySide6.QtCore import QCoreApplication, QTranslator

    exe = shutil.which("pyside6-lrelease") or str(Path(sys_prefix()) / "bin" / "pyside6-lrelease")
    if not Path(exe).exists():
        pytest.skip("pyside6-lrelease is not installed")
    ts = Path(__file__).resolve().parents[2] / "assets" / "i18n" / "match_zh_CN.ts"
    qm = tmp_path / "match_zh_CN.qm"
    subprocess.run([exe, str(ts), "-qm", str(qm)], check=True, capture_output=True, timeout=60)
    page = make_match_page(qtbot, ctx, load("biren-br104-linux"))
    translator = QTranslator()
    assert translator.load(str(qm))
    set_language("zh_CN")
    QCoreApplication.installTranslator(translator)
    try:
        ctx.language_changed.emit("zh_CN")
        qtbot.waitUntil(lambda: page.chosen_box.title() == "所选配置", timeout=5000)
        assert page.badge.text() == "未验证"
        assert "壁仞" in page.title.text() and "教程的说法" in page.details.text()
    finally:
        QCoreApplication.removeTranslator(translator)
        set_language("en")
        page.shutdown()


def sys_prefix():
    import sys

    return sys.prefix
