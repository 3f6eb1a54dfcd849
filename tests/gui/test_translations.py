"""Translations: every .ts compiles with lrelease, every GUI string has zh_CN, the window switches live."""

from __future__ import annotations

import logging
import os
import re
import time

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication

from app.gui.i18n import Translations, compile_all, find_lrelease
from probes.core import i18n as core_i18n

from .conftest import load_result
from .i18n_scan import all_literals

TS_FILES = sorted(core_i18n.I18N_DIR.glob("*.ts"))
PLACEHOLDER = re.compile(r"\{[^{}]*\}")


def test_lrelease_is_found_next_to_pyside6():
    tool = find_lrelease()
    assert tool and os.path.exists(tool[0])


@pytest.mark.parametrize("ts", TS_FILES, ids=[p.name for p in TS_FILES])
def test_every_ts_file_compiles_and_loads(ts, tmp_path):
    lang = ts.stem.rsplit("_", 2)[-2] + "_" + ts.stem.rsplit("_", 1)[-1] if "_zh_CN" in ts.name else None
    assert lang == "zh_CN", f"{ts.name}: translation files are named <area>_zh_CN.ts"
    core_i18n.parse_ts(ts)  # the core reads it too
    qms = compile_all("zh_CN", tmp_path, i18n_dir=ts.parent)
    qm = tmp_path / (ts.stem + ".qm")
    assert qm in qms and qm.stat().st_size > 0
    assert QTranslator().load(str(qm))


def test_every_gui_string_has_a_chinese_translation_with_the_same_placeholders():
    zh = core_i18n.catalog("zh_CN")
    missing = [(c, s) for c, s in all_literals() if (c, s) not in zh]
    assert not missing, f"no zh_CN translation for: {missing}"
    for c, s in all_literals():
        assert sorted(PLACEHOLDER.findall(zh[(c, s)])) == sorted(PLACEHOLDER.findall(s)), (c, s)
        assert re.search(r"[\u4e00-\u9fff]", zh[(c, s)]) or s in (
            "PCI",
            "CPU",
            "Python",
            "GPU {index}: {name}",
        ), (c, s)


def test_compiles_only_when_stale(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    ts = src / "demo_zh_CN.ts"
    ts.write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n<TS version="2.1" language="zh_CN">'
        "<context><name>Demo</name><message><source>Hello</source><translation>你好</translation>"
        "</message></context></TS>\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    (qm,) = compile_all("zh_CN", cache, i18n_dir=src)
    first = qm.stat().st_mtime_ns
    assert compile_all("zh_CN", cache, i18n_dir=src, lrelease=["/nonexistent/lrelease"]) == [
        qm
    ]  # fresh: not run
    assert qm.stat().st_mtime_ns == first
    later = time.time() + 5
    os.utime(ts, (later, later))
    (qm2,) = compile_all("zh_CN", cache, i18n_dir=src)
    assert qm2.stat().st_mtime_ns != first
    t = QTranslator()
    assert t.load(str(qm2)) and t.translate("Demo", "Hello") == "你好"


def test_without_lrelease_the_gui_stays_english_with_a_warning(tmp_path, qapp, caplog, monkeypatch):
    monkeypatch.setattr("app.gui.i18n.find_lrelease", lambda: None)
    with caplog.at_level(logging.WARNING, logger="app.gui.i18n"):
        assert compile_all("zh_CN", tmp_path / "empty-cache") == []
        tr = Translations(qapp, tmp_path / "empty-cache", can_render=lambda _lang: True)
        assert tr.switch("zh_CN") == "zh_CN"
    assert "lrelease was not found" in caplog.text
    assert QApplication.translate("DetectPage", "Re-scan") == "Re-scan"
    tr.switch("en")


def test_a_broken_ts_is_skipped_with_a_warning(tmp_path, caplog):
    src = tmp_path / "src"
    src.mkdir()
    (src / "bad_zh_CN.ts").write_text("<TS><context>not closed", encoding="utf-8")
    with caplog.at_level(logging.WARNING, logger="app.gui.i18n"):
        assert compile_all("zh_CN", tmp_path / "cache", i18n_dir=src) == []
    assert "lrelease failed for bad_zh_CN.ts" in caplog.text


def test_switching_language_changes_the_visible_texts(window, ctx, qtbot):
    ctx.set_probe_result(load_result("two-gpus-linux"))
    detect = window.pages["detect"]
    assert detect.rescan_button.text() == "Re-scan"
    assert window.step_list.item(0).text().endswith("Detect")
    rows = {r.problem.code: r for r in detect.problem_rows}
    english_hint = rows["render-group-missing"].hint.text()
    with qtbot.waitSignal(ctx.language_changed) as sig:
        window.set_language("zh_CN")
    assert sig.args == ["zh_CN"]
    assert core_i18n.language() == "zh_CN"
    assert window.translations.installed >= 1
    assert window.step_list.item(0).text().endswith("检测")
    assert detect.rescan_button.text() == "重新扫描"
    assert detect.gpu_cards[0].values["VRAM"].text() == "16.0 GiB"
    assert window.lang_combo.currentData() == "zh_CN"
    assert window._summary.text() == "2 块显卡 · 2 个错误 · 1 个警告"
    # core Text re-renders after the switch (the hint prefix is ours; the message is the core's)
    rows = {r.problem.code: r for r in detect.problem_rows}
    assert rows["render-group-missing"].hint.text().startswith("提示：")
    assert rows["render-group-missing"].hint.text() != english_hint
    window.lang_combo.setCurrentIndex(window.lang_combo.findData("en"))  # the combo switches back
    assert detect.rescan_button.text() == "Re-scan"
    assert core_i18n.language() == "en"
    assert window.step_list.item(0).text().endswith("Detect")
