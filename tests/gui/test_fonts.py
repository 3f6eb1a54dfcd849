"""Chinese without a Chinese font: the window stays English and says which package to install.

The font lookups are injected, so these tests behave the same on a machine with or without CJK
fonts; one test runs the real Qt lookup and only checks it agrees with itself.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QLabel

from app.gui import fonts
from app.gui.i18n import Translations
from app.gui.main_window import MainWindow
from probes.core import i18n as core_i18n

ZH_CHARS = fonts.translation_chars("zh_CN")


def has_cjk(text: str) -> bool:
    return any(fonts._is_cjk(ch) for ch in text)


def test_the_characters_come_from_the_zh_cn_translations():
    assert len(ZH_CHARS) > 300 and {"检", "测", "显", "卡"} <= ZH_CHARS
    assert not any(ch.isascii() for ch in ZH_CHARS)
    assert fonts.translation_chars("en") == set()


def test_no_cjk_family_means_chinese_cannot_be_drawn():
    assert not fonts.can_render("zh_CN", families=list, covers=lambda f, c: set(c))
    assert fonts.can_render("en", families=list, covers=lambda f, c: set())


def test_one_family_covering_the_characters_is_enough():
    def covers(family, chars):
        return set(chars) if family == "Noto Sans CJK SC" else {ch for ch in chars if ch in "的一"}

    assert fonts.can_render("zh_CN", families=lambda: ["Fake Partial", "Noto Sans CJK SC"], covers=covers)
    assert not fonts.can_render("zh_CN", families=lambda: ["Fake Partial"], covers=covers)


def test_a_rare_missing_character_does_not_switch_the_language():
    rare = sorted(ZH_CHARS)[:2]
    assert fonts.can_render("zh_CN", families=lambda: ["Almost"], covers=lambda f, c: set(c) - set(rare))
    half = set(sorted(ZH_CHARS)[: len(ZH_CHARS) // 2])
    assert not fonts.can_render("zh_CN", families=lambda: ["Half"], covers=lambda f, c: set(c) & half)


def test_install_command_per_distribution():
    assert fonts.install_command({"ID": "ubuntu", "ID_LIKE": "debian"}) == "sudo apt install fonts-noto-cjk"
    assert (
        fonts.install_command({"ID": "linuxmint", "ID_LIKE": "ubuntu debian"})
        == "sudo apt install fonts-noto-cjk"
    )
    assert fonts.install_command({"ID": "fedora"}) == "sudo dnf install google-noto-sans-cjk-fonts"
    assert fonts.install_command({"ID": "endeavouros", "ID_LIKE": "arch"}) == "sudo pacman -S noto-fonts-cjk"
    other = fonts.install_command({"ID": "gentoo"})
    assert "fonts-noto-cjk" in other and "google-noto-sans-cjk-fonts" in other and "noto-fonts-cjk" in other
    assert fonts.install_command(None) == other


def test_the_real_qt_lookup_runs(qapp):
    families = fonts.qt_cjk_families()
    missing = fonts.missing_characters(ZH_CHARS, families, fonts.qt_covers)
    assert fonts.can_render("zh_CN") is (len(missing) <= fonts.MAX_MISSING_SHARE * len(ZH_CHARS))
    assert families or missing == ZH_CHARS


def test_translations_fall_back_to_english_without_a_font(qapp, tmp_path, caplog):
    tr = Translations(qapp, tmp_path / "cache", can_render=lambda lang: False)
    with caplog.at_level(logging.WARNING, logger="app.gui.i18n"):
        assert tr.switch("zh_CN") == "en"
    assert tr.font_missing == "zh_CN" and tr.installed == 0 and core_i18n.language() == "en"
    assert "no installed font can show zh_CN" in caplog.text
    assert tr.switch("en") == "en" and tr.font_missing is None


def test_window_without_a_chinese_font_is_english_and_says_what_to_install(qtbot, ctx, monkeypatch):
    from app import settings

    monkeypatch.setattr(fonts, "read_os_release", lambda host=None: {"ID": "ubuntu", "ID_LIKE": "debian"})
    checked = []
    tr = Translations(
        qtbot_app(), ctx.data_dir / "i18n", can_render=lambda lang: checked.append(lang) or False
    )
    tr.switch("zh_CN")  # what start-up does with --lang zh_CN
    win = MainWindow(ctx, tr)
    qtbot.addWidget(win)
    try:
        assert win.font_banner.isVisibleTo(win)
        banner = win.font_banner.text()
        assert "Chinese cannot be shown" in banner and "sudo apt install fonts-noto-cjk" in banner
        assert win.lang_combo.currentData() == "en"
        assert win.lang_combo.itemText(win.lang_combo.findData("zh_CN")) == "Chinese (needs a Chinese font)"
        drawn = [w.text() for w in win.findChildren(QLabel) if w.isVisibleTo(win)]
        drawn += [win.lang_combo.itemText(i) for i in range(win.lang_combo.count())]
        assert not [t for t in drawn if has_cjk(t)], "CJK text would be boxes"
        win.set_language("zh_CN")  # picking Chinese again changes nothing
        assert win.font_banner.isVisibleTo(win) and core_i18n.language() == "en"
        assert (settings.load(ctx.data_dir).get("app") or {}).get("language") is None  # choice not lost
        win.set_language("en")
        assert not win.font_banner.isVisibleTo(win)
        assert checked == ["zh_CN"]  # checked once, not per switch
    finally:
        win.shutdown()
        tr.switch("en")


def test_window_with_a_chinese_font_shows_chinese(qtbot, ctx):
    tr = Translations(qtbot_app(), ctx.data_dir / "i18n", can_render=lambda lang: True)
    win = MainWindow(ctx, tr)
    qtbot.addWidget(win)
    try:
        win.set_language("zh_CN")
        assert not win.font_banner.isVisibleTo(win) and core_i18n.language() == "zh_CN"
        assert win.lang_combo.itemText(win.lang_combo.findData("zh_CN")) == "简体中文"
    finally:
        win.shutdown()
        tr.switch("en")


def qtbot_app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()
