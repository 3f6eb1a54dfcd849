"""GUI test fixtures: offscreen Qt, saved probe results, and a guard against leftover threads/timers.

The guard (autouse) records every QThread, QTimer and QThreadPool started during a test and fails
the test when one is still running afterwards (the napari idea: leftover threads segfault later).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QThread, QThreadPool, QTimer  # noqa: E402

DATA = Path(__file__).resolve().parents[1] / "data" / "gui"


@pytest.fixture(autouse=True)
def no_leftover_threads(monkeypatch, request):
    threads, timers, pools = [], [], []
    orig_thread_start, orig_timer_start, orig_pool_start = QThread.start, QTimer.start, QThreadPool.start

    def thread_start(self, *a, **kw):
        threads.append(self)
        return orig_thread_start(self, *a, **kw)

    def timer_start(self, *a, **kw):
        timers.append(self)
        return orig_timer_start(self, *a, **kw)

    def pool_start(self, *a, **kw):
        pools.append(self)
        return orig_pool_start(self, *a, **kw)

    monkeypatch.setattr(QThread, "start", thread_start)
    monkeypatch.setattr(QTimer, "start", timer_start)
    monkeypatch.setattr(QThreadPool, "start", pool_start)
    yield
    leftovers = []
    for t in threads:
        try:
            if t.isRunning():
                leftovers.append(f"QThread {t!r}")
                t.quit()
                t.wait(2000)
        except RuntimeError:  # already deleted on the C++ side: not running
            pass
    for t in timers:
        try:
            if t.isActive():
                leftovers.append(f"QTimer {t!r} ({t.interval()} ms)")
                t.stop()
        except RuntimeError:
            pass
    for p in pools:
        try:
            if p.activeThreadCount() > 0:
                leftovers.append(f"QThreadPool job(s) in {p!r}")
                p.waitForDone(5000)
        except RuntimeError:
            pass
    if leftovers and not request.node.get_closest_marker("allow_leftover_threads"):
        pytest.fail("left running after the test (stop them in shutdown()): " + ", ".join(leftovers))


@pytest.fixture(autouse=True)
def english_core():
    """Each test starts in English and leaves the core language as it found it."""
    from probes.core import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


def load_result(name: str):
    from app.report import load_probe_json

    return load_probe_json(DATA / f"{name}.json")


@pytest.fixture
def ctx(qapp, tmp_path):
    from app.gui.context import AppContext
    from probes.core.host import Host

    context = AppContext(host=Host(root=str(tmp_path / "root"), env={"PATH": ""}), data_dir=tmp_path / "data")
    yield context
    context.wait_for_workers(15000)


@pytest.fixture
def window(qtbot, ctx, tmp_path):
    from app.gui.i18n import Translations
    from app.gui.main_window import MainWindow

    # fonts are not what these tests are about: Chinese counts as drawable whatever is installed
    translations = Translations(qtbot_app(), tmp_path / "data" / "i18n", can_render=lambda _lang: True)
    win = MainWindow(ctx, translations)
    qtbot.addWidget(win)
    yield win
    win.shutdown()
    translations.switch("en")


def qtbot_app():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance()


def pytest_configure(config):
    config.addinivalue_line("markers", "allow_leftover_threads: the test may leave a QThread/QTimer running")
