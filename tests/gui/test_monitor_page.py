"""The Monitor page offscreen: sampling thread, plots (pixel smoke test), guard, power slider, export,
the keep-or-revert dialog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

from PySide6.QtCore import QThread  # noqa: E402
from PySide6.QtGui import QColor  # noqa: E402
from PySide6.QtWidgets import QMessageBox  # noqa: E402

from app.gui.context import AppContext  # noqa: E402
from app.gui.pages import monitor as page_mod  # noqa: E402
from probes.core.model import ProbeResult  # noqa: E402
from probes.core.replay import ReplayHost  # noqa: E402

RIG = Path(__file__).resolve().parents[1] / "data" / "rigs" / "monitor-test"


@pytest.fixture
def page(qtbot, tmp_path):
    ctx = AppContext(host=ReplayHost(RIG, simulated="monitor-test"), data_dir=tmp_path)
    p = page_mod.MonitorPage(ctx, interval_s=0.5, confirm_seconds=1)
    qtbot.addWidget(p)
    p.resize(1100, 1400)
    p.show()
    result = ProbeResult.from_json(json.loads((RIG / "probe.json").read_text("utf-8")))
    result.host.simulated = "monitor-test"
    ctx.set_probe_result(result)
    qtbot.waitUntil(lambda: p.sample_count() >= 3, timeout=15000)
    yield p
    p.shutdown()


def _colour_pixels(widget, rect, colour: str) -> int:
    img = widget.grab(rect).toImage()
    want = QColor(colour)
    hits = 0
    for y in range(0, img.height(), 1):
        for x in range(0, img.width(), 2):
            c = img.pixelColor(x, y)
            if (
                abs(c.red() - want.red()) < 40
                and abs(c.green() - want.green()) < 40
                and abs(c.blue() - want.blue()) < 40
            ):
                hits += 1
    return hits


def test_page_samples_in_a_thread_and_draws_every_plot(page, qtbot):
    assert page.badge.isVisible() and page.badge.text() == "SIMULATED"
    assert sorted(page.panels) == [0, 1]
    assert page.thread.isRunning() and page.thread is not QThread.currentThread()
    assert page.redraw(force=True) == 2
    qtbot.wait(50)
    for panel in page.panels.values():
        for key, _title, _unit, series in page_mod.PLOTS:
            vb = panel.plots[key].vb
            rect = panel.graphics.mapFromScene(vb.sceneBoundingRect()).boundingRect().adjusted(2, 2, -2, -2)
            field, colour, _scale = series[0]
            assert panel.curves[field].getData()[0] is not None
            assert _colour_pixels(panel.graphics, rect, colour) > 0, f"no {field} pixels in the {key} plot"
    panel = page.panels[1]
    # tiles show the latest values; the S80 has no power limit (null, not 0)
    assert "°C" in panel.tiles["temp"].text()
    assert page.panels[0].tiles["power"].text().endswith("/ - W")
    assert not page.panels[0].slider.isEnabled() and "MTML" in page.panels[0].power_reason.text()
    assert page.panels[1].slider.isEnabled()
    assert (page.panels[1].slider.minimum(), page.panels[1].slider.maximum()) == (100, 170)


def test_window_switch_and_crosshair(page, qtbot):
    page.window_box.setCurrentIndex(2)
    assert page.window_s == 86400
    panel = page.panels[1]
    page.redraw()
    vb = panel.plots["temp"].vb
    x0, x1 = vb.viewRange()[0]
    assert x1 - x0 == pytest.approx(86400, rel=0.01)
    page.window_box.setCurrentIndex(0)
    t = panel.ring.view()
    scene_pos = vb.mapViewToScene(vb.mapSceneToView(vb.sceneBoundingRect().center()))
    scene_pos.setX(vb.mapViewToScene(pg_point(float(t[-1]), 50.0)).x())
    panel._mouse_moved(scene_pos)
    assert "°C" in panel.readout.text()
    assert panel.cross[0].isVisible()


def pg_point(x, y):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


def test_power_slider_reverts_unless_confirmed(page, qtbot):
    backend = page.backends[1]
    page.request_limit(1, 130)
    qtbot.waitUntil(lambda: page.confirm_dialog is not None, timeout=5000)
    assert backend.power(1).current_w == 130
    qtbot.waitUntil(lambda: page.confirm_dialog is None, timeout=5000)  # 1 s countdown runs out
    qtbot.waitUntil(lambda: backend.power(1).current_w == 170, timeout=5000)
    page.request_limit(1, 140)
    qtbot.waitUntil(lambda: page.confirm_dialog is not None, timeout=5000)
    page.confirm_dialog.done(QMessageBox.StandardButton.Yes)
    qtbot.wait(300)
    assert backend.power(1).current_w == 140
    page.request_limit(1, 500)  # out of range: refused with the code shown
    qtbot.waitUntil(lambda: "power-limit-out-of-range" in page.status.text(), timeout=5000)


def test_guard_toggle_reaches_the_worker_and_export(page, qtbot, tmp_path):
    page.guard_box.setChecked(True)
    qtbot.waitUntil(lambda: page.worker.loop is not None, timeout=5000)
    assert page.worker.loop.guard.settings.threshold_c == 85
    page.threshold.setValue(70)
    qtbot.waitUntil(lambda: page.worker.loop.guard.settings.threshold_c == 70, timeout=5000)
    # the guard's events reach the page (fed directly: real time is too slow to heat the card)
    from probes.core.i18n import Text
    from probes.live.guard import GuardEvent

    page.on_events((GuardEvent(1.0, 1, "step-down", Text("guard", "x"), 90.0, 170.0, 153.0),))
    assert page.events_seen and page.status.text() == "x"
    page.guard_box.setChecked(False)
    qtbot.waitUntil(lambda: page.worker.loop is None, timeout=5000)
    n = page.export_csv(tmp_path / "out.csv")
    assert n >= 6 and len((tmp_path / "out.csv").read_text().splitlines()) == n + 1


def test_shutdown_leaves_no_thread_or_timer_running(page, qtbot):
    thread, worker = page.thread, page.worker
    page.shutdown()
    assert not thread.isRunning()
    assert not page.redraw_timer.isActive()
    assert worker.timer is None
    n = page.sample_count()
    qtbot.wait(1200)
    assert page.sample_count() == n


def test_ring_buffer_wraps_without_copies():
    from app.gui.ringbuffer import SampleRing
    from probes.live.telemetry.base import Sample

    ring = SampleRing(4)
    for i in range(10):
        ring.append(Sample(t=float(i), gpu=0, temperature_c=None if i == 8 else float(i)))
    assert list(ring.view()) == [6.0, 7.0, 8.0, 9.0]
    temps = ring.view("temperature_c")
    assert temps[0] == 6 and temps[3] == 9 and temps[2] != temps[2]  # NaN for None
    assert ring.view().base is not None  # a view into the preallocated array
    assert [s.temperature_c for s in ring.samples(0)] == [6.0, 7.0, None, 9.0]
    assert ring.window(7.5) == (2, 4)


def test_hidden_page_does_no_plotting_and_catches_up_when_shown(page, qtbot):
    page.redraw(force=True)
    frames = {g: p.frames for g, p in page.panels.items()}
    page.hide()
    qtbot.wait(1300)  # new samples arrive while hidden
    assert page.redraw() == 0
    assert all(p.frames == frames[g] for g, p in page.panels.items())
    assert all(p.stale for p in page.panels.values())
    page.show()
    qtbot.wait(50)
    assert page.redraw() >= 1


def test_simulation_controls_drive_the_thermal_model(page, qtbot):
    """Simulated rigs: the page's load and speed controls reach the model in the sampler thread."""
    assert all(w.isVisible() for w in page.sim_controls)
    panel = page.panels[1]
    start_temp = panel.ring.last.temperature_c
    page.sim_speed.setCurrentIndex(page.sim_speed.findData(600))
    page.sim_load.setValue(100)
    qtbot.waitUntil(lambda: panel.ring.last.utilization_pct == 100, timeout=5000)
    qtbot.waitUntil(lambda: panel.ring.count > 20, timeout=5000)
    t = panel.ring.view()
    assert t[-1] - t[-2] > 5.0  # 600x: samples are seconds of simulated time apart
    qtbot.waitUntil(lambda: panel.ring.last.temperature_c > start_temp + 5, timeout=10000)
    page.guard_box.setChecked(True)  # the hot card makes the guard act, in simulated time
    qtbot.waitUntil(lambda: any(e.gpu == 1 and e.to_w is not None for e in page.events_seen), timeout=15000)
    # shown in the page's guard log and appended to guard-events.jsonl in the data folder
    assert page.guard_list.isVisible() and page.guard_list.count() >= 1
    assert "GPU 1" in page.guard_list.item(0).text()
    logged = [json.loads(line) for line in page.guard_log_path().read_text("utf-8").splitlines()]
    assert any(r["gpu"] == 1 and r["to_w"] is not None and r["reason"] for r in logged)
    page.sim_load.setValue(0)
    qtbot.waitUntil(lambda: panel.ring.last.utilization_pct == 0, timeout=5000)


def test_simulation_controls_hidden_for_real_hardware(qtbot, tmp_path):
    from probes.core.host import Host

    ctx = AppContext(host=Host(), data_dir=tmp_path)
    p = page_mod.MonitorPage(ctx, interval_s=1.0)
    qtbot.addWidget(p)
    p.show()
    assert not any(w.isVisible() for w in p.sim_controls)
    p.shutdown()


def test_csv_log_writes_every_sample_per_day_and_reports_failures(page, qtbot, tmp_path):
    import datetime as dt

    page.csv_box.setChecked(True)
    day = dt.date.today().isoformat()
    path = page.csv_base().with_name(f"monitor-{day}.csv")
    qtbot.waitUntil(lambda: path.exists() and len(path.read_text("utf-8").splitlines()) >= 5, timeout=10000)
    header, *rows = path.read_text("utf-8").splitlines()
    assert header.startswith("time,t,gpu,") and {r.split(",")[2] for r in rows} == {"0", "1"}
    page.csv_box.setChecked(False)
    qtbot.wait(1200)
    n = len(path.read_text("utf-8").splitlines())
    qtbot.wait(1200)
    assert len(path.read_text("utf-8").splitlines()) == n  # stopped
    # a folder that cannot be created: the error is shown, the box unticks, sampling goes on
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    page.csv_base = lambda: blocker / "monitor" / "monitor.csv"
    page.csv_box.setChecked(True)
    qtbot.waitUntil(lambda: not page.csv_box.isChecked(), timeout=5000)
    assert "[monitor-csv-unwritable]" in page.status.text()
    count = page.sample_count()
    qtbot.waitUntil(lambda: page.sample_count() > count, timeout=5000)


def test_preferences_survive_a_restart_of_the_page(qtbot, tmp_path):
    """Window, guard and its settings, CSV logging: stored on change, restored by the next page."""
    from app import settings

    ctx = AppContext(host=ReplayHost(RIG, simulated="monitor-test"), data_dir=tmp_path)
    first = page_mod.MonitorPage(ctx, interval_s=1.0)
    qtbot.addWidget(first)
    first.window_box.setCurrentIndex(1)
    first.threshold.setValue(78)
    first.step.setValue(15)
    first.guard_box.setChecked(True)
    first.shutdown()
    stored = settings.load(tmp_path)["monitor"]
    assert stored["window_s"] == 3600 and stored["threshold_c"] == 78 and stored["guard"] is True
    second = page_mod.MonitorPage(
        AppContext(host=ReplayHost(RIG, simulated="monitor-test"), data_dir=tmp_path), interval_s=1.0
    )
    qtbot.addWidget(second)
    assert second.window_s == 3600 and second.guard_box.isChecked()
    assert second.guard_settings().threshold_c == 78 and second.guard_settings().step_fraction == 0.15
    assert not second.csv_box.isChecked()
    second.shutdown()
    # out-of-range or foreign values are ignored, not applied
    settings.save(tmp_path, {"monitor": {"threshold_c": 500, "window_s": 7, "guard": "yes"}})
    third = page_mod.MonitorPage(
        AppContext(host=ReplayHost(RIG, simulated="monitor-test"), data_dir=tmp_path), interval_s=1.0
    )
    qtbot.addWidget(third)
    assert third.threshold.value() == 85 and third.window_s == 300 and not third.guard_box.isChecked()
    third.shutdown()


class _Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def _pending(clock, seconds=15):
    from probes.live import power

    written = power.WriteResult(
        gpu=1,
        requested_w=130.0,
        previous_w=170.0,
        current_w=130.0,
        enforced_w=130.0,
        via="direct",
        verified=True,
    )
    return power.PendingChange(object(), written, host=None, confirm_seconds=seconds, clock=clock)


def test_power_confirm_dialog_counts_down_the_pending_change_and_answers_no_at_zero(qtbot):
    from app.gui.pages.monitor.power_confirm import PowerConfirmDialog

    clock = _Clock()
    box = PowerConfirmDialog(_pending(clock, 3))
    qtbot.addWidget(box)
    assert "GPU 1 now runs at 130 W" in box.text() and "170 W in 3 s" in box.text()
    codes = []
    box.finished.connect(codes.append)
    box.start()
    assert box.timer.isActive()
    clock.t += 1.02  # a tick a little late shows the same whole second
    box.timer.timeout.emit()
    assert "in 2 s" in box.text() and not codes
    clock.t += 2
    box.timer.timeout.emit()
    assert codes == [QMessageBox.StandardButton.No] and not box.timer.isActive()
    assert not box.keeps(QMessageBox.StandardButton.Yes)  # too late for a yes


def test_power_confirm_dialog_yes_before_the_deadline_keeps(qtbot):
    from app.gui.pages.monitor.power_confirm import PowerConfirmDialog

    box = PowerConfirmDialog(_pending(_Clock()))
    qtbot.addWidget(box)
    box.start()
    box.done(QMessageBox.StandardButton.Yes)
    assert not box.timer.isActive()
    assert box.keeps(QMessageBox.StandardButton.Yes) and not box.keeps(QMessageBox.StandardButton.No)
