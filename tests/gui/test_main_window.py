"""The main window: six steps, planned pages, SIMULATED banner, status bar, shutdown on close."""

from __future__ import annotations

import sys
import types

from PySide6.QtWidgets import QLabel

from app.gui.main_window import BrokenPage, MainWindow, PlannedPage, load_page, step_plan
from app.gui.pages import STEPS

from .conftest import load_result


def texts(widget) -> list[str]:
    return [w.text() for w in widget.findChildren(QLabel)]


def test_window_lists_the_six_steps(window):
    items = [window.step_list.item(i).text() for i in range(window.step_list.count())]
    assert [i.split()[-1] for i in items] == ["Detect", "Match", "Install", "Launch", "Verify", "Monitor"]
    assert window.stack.count() == len(STEPS) == 6
    assert window.current_step() == "detect"
    assert "Not scanned yet" in window._summary.text()


def test_each_step_switches_to_its_page(window, qtbot):
    for i, step in enumerate(STEPS):
        window.show_step(step)
        assert window.stack.currentIndex() == i
        assert window.stack.currentWidget().widget() is window.pages[step]
        assert window.current_step() == step
        assert not isinstance(window.pages[step], BrokenPage), f"page {step} failed to load"
    window.step_list.setCurrentRow(2)  # clicking in the sidebar does the same
    assert window.stack.currentWidget().widget() is window.pages["install"]


def test_every_step_has_its_page_and_a_missing_one_would_say_what_it_will_do(window, ctx, qtbot):
    from app.gui.pages.install import InstallPage

    assert isinstance(window.pages["install"], InstallPage)
    assert not any(isinstance(p, PlannedPage) for p in window.pages.values())
    page = PlannedPage("install")
    qtbot.addWidget(page)
    shown = " ".join(texts(page))
    assert "Planned" in shown
    assert "separate Python environment" in shown
    assert step_plan("install") in shown


def test_missing_module_is_planned_and_broken_module_is_reported(ctx, qtbot, monkeypatch):
    page = load_page("no_such_step", ctx)
    qtbot.addWidget(page)
    assert isinstance(page, PlannedPage)

    broken = types.ModuleType("app.gui.pages.verify")
    broken.STEP = "verify"

    class VerifyPage:
        def __init__(self, ctx, parent=None):
            raise ValueError("boom in a page")

    broken.VerifyPage = VerifyPage
    monkeypatch.setitem(sys.modules, "app.gui.pages.verify", broken)
    page = load_page("verify", ctx)
    qtbot.addWidget(page)
    assert isinstance(page, BrokenPage)
    assert any("boom in a page" in t for t in texts(page))
    assert any(t == "gui-page-failed" for t in texts(page))


def test_simulated_banner_only_when_simulating(qtbot, ctx):
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert win.sim_banner.isHidden()
    win.shutdown()
    ctx.simulate = "s80-linux"
    win2 = MainWindow(ctx)
    qtbot.addWidget(win2)
    assert not win2.sim_banner.isHidden()
    assert "SIMULATED" in win2.sim_banner.text() and "s80-linux" in win2.sim_banner.text()
    assert "SIMULATED" in win2.windowTitle()
    win2.shutdown()


def test_saved_result_is_labelled_as_not_this_machine(window, ctx):
    window.show_saved_result(load_result("no-gpu"), "saved.json")
    assert not window.sim_banner.isHidden()
    assert "saved.json" in window.sim_banner.text() and "not a live scan" in window.sim_banner.text()


def test_status_bar_summarises_the_probe(window, ctx):
    ctx.set_probe_result(load_result("two-gpus-linux"))
    assert window._summary.text() == "2 GPU(s) · 2 error(s) · 1 warning(s)"
    ctx.status_message.emit("hello there")
    assert window.statusBar().currentMessage() == "hello there"


def test_closing_calls_every_page_shutdown(window, qtbot):
    calls = []
    for step in STEPS:
        page = window.pages[step]
        orig = getattr(page, "shutdown", None)

        def stop(step=step, orig=orig):
            calls.append(step)
            if orig:
                orig()

        page.shutdown = stop
    window.show()
    window.close()
    assert sorted(calls) == sorted(STEPS)
    window.close()  # idempotent
    assert len(calls) == len(STEPS)


def test_language_choice_is_remembered_for_the_next_start(window, ctx):
    from app import settings

    window.lang_combo.setCurrentIndex(window.lang_combo.findData("zh_CN"))
    assert settings.load(ctx.data_dir)["app"]["language"] == "zh_CN"
    window.set_language("en")
    assert settings.load(ctx.data_dir)["app"]["language"] == "en"
