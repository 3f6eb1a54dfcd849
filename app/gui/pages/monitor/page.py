"""The Monitor page: live plots per GPU, numeric tiles, power-limit slider, thermal guard, CSV log and export.

The page only shows and asks; the decisions are the core's (probes/live): the sampler and guard
loop (run in :class:`SamplerWorker`'s thread, which also writes the CSV log and the guard-event
log), keep-or-revert of a new power limit (:class:`probes.live.power.PendingChange`, counted down
by :class:`PowerConfirmDialog`), where the logs go (``csv_log.default_base``,
``guard_log.default_path``). Each GPU is a :class:`GpuPanel`; guard actions also go to the tray
(:class:`TrayNotifier`); the settings are remembered (``preferences``).
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.gui.pages.monitor import preferences
from app.gui.pages.monitor.common import GUARD_LIST_MAX, REDRAW_MS, SIM_SPEEDS, WINDOWS_S, _t
from app.gui.pages.monitor.notify import TrayNotifier
from app.gui.pages.monitor.panel import GpuPanel
from app.gui.pages.monitor.power_confirm import PowerConfirmDialog
from app.gui.pages.monitor.worker import SamplerWorker
from probes.core.i18n import render
from probes.live.csv_log import default_base, write_csv
from probes.live.guard import GuardSettings
from probes.live.guard_log import default_path as default_guard_log
from probes.live.monitor import Sampler, SimClock


class MonitorPage(QWidget):
    """The Monitor page: a row of controls, the guard's settings and log, one :class:`GpuPanel` per GPU."""

    guard_changed = Signal(bool, object)
    user_limit_changed = Signal(int, float)
    refresh_requested = Signal()
    simulation_changed = Signal(float, float)  # load %, speed factor (simulated rigs)
    csv_changed = Signal(object)  # CSV log base path, or None to stop logging

    def __init__(self, ctx, parent=None, *, interval_s: float = 1.0, confirm_seconds: int = 15):
        super().__init__(parent)
        self.ctx = ctx
        self.interval_s = interval_s
        self.confirm_seconds = confirm_seconds
        self.window_s = WINDOWS_S[0][0]
        self.panels: dict[int, GpuPanel] = {}
        self.backends: dict = {}
        self.result = None
        self.thread: QThread | None = None
        self.worker: SamplerWorker | None = None
        self.events_seen: list = []
        self.confirm_dialog: PowerConfirmDialog | None = None
        self._dirty = False
        self.notifier = TrayNotifier(self)
        self._closed = False

        root = QVBoxLayout(self)
        # one row: SIMULATED badge and the model's controls (simulated rigs only), the time window,
        # CSV logging and export; the guard and its settings in the row below
        top = QHBoxLayout()
        self.badge = QLabel()
        self.badge.setStyleSheet("background: #a62639; color: white; font-weight: bold; padding: 2px 8px")
        self.badge.setVisible(False)
        top.addWidget(self.badge)
        # simulated rigs: drive the thermal model from here (the CLI's monitor --load/--speed)
        self.sim_load_label = QLabel()
        self.sim_load = QSpinBox()
        self.sim_load.setRange(0, 100)
        self.sim_load.setSuffix(" %")
        self.sim_load.setValue(int(getattr(ctx, "sim_load", None) or 0))
        self.sim_speed_label = QLabel()
        self.sim_speed = QComboBox()
        for factor in SIM_SPEEDS:
            self.sim_speed.addItem(f"{factor}×", factor)
        speed = getattr(ctx, "sim_speed", None) or 1
        if speed not in SIM_SPEEDS:
            self.sim_speed.addItem(f"{speed:g}×", speed)
        self.sim_speed.setCurrentIndex(self.sim_speed.findData(speed))
        self.sim_controls = (self.sim_load_label, self.sim_load, self.sim_speed_label, self.sim_speed)
        for w in self.sim_controls:
            w.setVisible(False)
            top.addWidget(w)
        self.sim_load.valueChanged.connect(self._simulation_changed)
        self.sim_speed.currentIndexChanged.connect(self._simulation_changed)
        self.window_label = QLabel()
        top.addWidget(self.window_label)
        self.window_box = QComboBox()
        for seconds, label in WINDOWS_S:
            self.window_box.addItem(label, seconds)
        self.window_box.currentIndexChanged.connect(self._window_changed)
        top.addWidget(self.window_box)
        top.addStretch(1)
        self.csv_box = QCheckBox()
        self.csv_box.toggled.connect(self._csv_toggled)
        top.addWidget(self.csv_box)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self._export_clicked)
        top.addWidget(self.export_button)
        # the thermal guard and its settings (GuardSettings; the CLI has the same as monitor flags)
        guard_row = QHBoxLayout()
        self.guard_box = QCheckBox()
        self.guard_box.toggled.connect(self._guard_settings_changed)
        guard_row.addWidget(self.guard_box)
        defaults = GuardSettings()

        def spin(label_attr: str, lo: float, hi: float, value: float, suffix: str, decimals: int = 0):
            label = QLabel()
            setattr(self, label_attr, label)
            box = QDoubleSpinBox()
            box.setDecimals(decimals)
            box.setRange(lo, hi)
            box.setValue(value)
            box.setSuffix(suffix)
            box.valueChanged.connect(self._guard_settings_changed)
            guard_row.addWidget(label)
            guard_row.addWidget(box)
            return box

        self.threshold = spin("threshold_label", 40, 110, defaults.threshold_c, " °C", 1)
        self.hold = spin("hold_label", 1, 600, defaults.hold_s, " s")
        self.step = spin("step_label", 1, 50, defaults.step_fraction * 100, " %")
        self.hysteresis = spin("hysteresis_label", 1, 40, defaults.hysteresis_c, " °C")
        self.recover = spin("recover_label", 1, 3600, defaults.recover_s, " s")
        guard_row.addStretch(1)
        root.addLayout(top)
        root.addLayout(guard_row)
        self.status = QLabel()
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        # the guard's actions, newest first (also appended to guard-events.jsonl in the data folder)
        self.guard_list = QListWidget()
        self.guard_list.setVisible(False)
        root.addWidget(self.guard_list)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.body = QWidget()
        self.body_layout = QGridLayout(self.body)
        self.scroll.setWidget(self.body)
        root.addWidget(self.scroll, 1)

        self._restoring = True  # the stored preferences, then main.py --guard
        self._restore_preferences()
        if getattr(ctx, "guard_on", False):
            self.guard_box.setChecked(True)
        self._restoring = False
        self.redraw_timer = QTimer(self)
        self.redraw_timer.setInterval(REDRAW_MS)
        self.redraw_timer.timeout.connect(self._redraw_if_dirty)
        self.retranslate()
        ctx.probe_changed.connect(self.set_probe_result)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        if getattr(ctx, "probe_result", None) is not None:
            self.set_probe_result(ctx.probe_result)
        elif ctx.host is not None and getattr(ctx.host, "simulated", None):
            self.status.setText(_t("Waiting for the first scan…"))

    # ---- texts ----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.badge.setText(_t("SIMULATED"))
        self.window_label.setText(_t("Window"))
        self.guard_box.setText(_t("Thermal guard"))
        self.guard_box.setToolTip(
            _t(
                "Lower the power limit when the GPU stays above the threshold for the hold "
                "time; restore it when the GPU has cooled down."
            )
        )
        self.threshold_label.setText(_t("Threshold"))
        self.hold_label.setText(_t("Hold"))
        self.step_label.setText(_t("Step"))
        self.hysteresis_label.setText(_t("Cool by"))
        self.recover_label.setText(_t("for"))
        for widget, tip in (
            (self.threshold, _t("The guard acts when the GPU temperature stays above this.")),
            (self.hold, _t("How long the temperature must stay above the threshold before a step down.")),
            (
                self.step,
                _t(
                    "Each step lowers the power limit by this share of the default limit, "
                    "never below the card's minimum."
                ),
            ),
            (self.hysteresis, _t("The limit steps back up once the GPU is this much below the threshold…")),
            (self.recover, _t("…for this long; never above your own limit.")),
        ):
            widget.setToolTip(tip)
        self.export_button.setText(_t("Export CSV…"))
        self.csv_box.setText(_t("Log to CSV"))
        self.csv_box.setToolTip(
            _t("Write every sample to {path} (one file per day).").format(
                path=str(self.csv_base().with_name("monitor-YYYY-MM-DD.csv"))
            )
        )
        self.sim_load_label.setText(_t("Simulated load"))
        self.sim_load.setToolTip(
            _t("Load of the simulated GPUs: the thermal model heats up and draws power accordingly.")
        )
        self.sim_speed_label.setText(_t("Speed"))
        self.sim_speed.setToolTip(
            _t("Run simulated time faster, to watch an hour of the thermal guard in a minute.")
        )
        for panel in self.panels.values():
            panel.retranslate()

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # ---- lifecycle ------------------------------------------------------------------------------
    @Slot(object)
    def set_probe_result(self, result) -> None:
        if self._closed or result is None:
            return
        self.stop_sampling()
        self.result = result
        simulated = bool(getattr(self.ctx.host, "simulated", None) or getattr(result.host, "simulated", None))
        self.badge.setVisible(simulated)
        for w in self.sim_controls:
            w.setVisible(simulated)
        host = self.ctx.host

        def open_all(_progress):
            from probes.live.telemetry.registry import open_backends

            return open_backends(host, result)

        self.status.setText(_t("Opening telemetry…"))
        self.ctx.run_in_worker(open_all, on_done=self._backends_ready, on_error=self._backends_failed)

    def _backends_ready(self, backends) -> None:
        if self._closed:
            for b in {id(b): b for b in backends.values()}.values():
                b.close()
            return
        self.backends = backends
        for panel in self.panels.values():
            panel.setParent(None)
            panel.deleteLater()
        self.panels.clear()
        if not backends:
            self.status.setText(_t("No telemetry source can read these GPUs."))
            return
        self.status.setText("")
        capacity = int(math.ceil(86400 / self.interval_s)) + 2
        for row, gpu in enumerate(g for g in self.result.gpus if g.index in backends):
            panel = GpuPanel(self, gpu, capacity)
            self.body_layout.addWidget(panel, row, 0)
            self.panels[gpu.index] = panel
        simulated = bool(getattr(self.ctx.host, "simulated", None))
        clock = SimClock(1.0) if simulated else time.time
        sampler = Sampler(backends, interval_s=self.interval_s, clock=clock)
        self.worker = SamplerWorker(
            sampler, self.ctx.host, self.result.bus_ids(), guard_log=self.guard_log_path()
        )
        self.thread = QThread()
        self.thread.setObjectName("rigpilot-monitor-sampler")
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.start)
        self.worker.samples.connect(self.on_samples)
        self.worker.events.connect(self.on_events)
        self.worker.constraints.connect(self.on_constraints)
        self.worker.failed.connect(self._csv_failed)
        self.csv_changed.connect(self.worker.set_csv)
        self.refresh_requested.connect(self.worker.refresh_constraints)
        self.guard_changed.connect(self.worker.set_guard)
        self.user_limit_changed.connect(self.worker.user_limit)
        self.simulation_changed.connect(self.worker.set_simulation)
        self.thread.start()
        self.redraw_timer.start()
        if simulated:
            if getattr(self.ctx, "sim_load", None) is None:  # show the rig's own starting load
                loads = [b.load_pct() for b in backends.values() if hasattr(b, "load_pct")]
                self.sim_load.blockSignals(True)
                self.sim_load.setValue(int(round(max(loads, default=0.0))))
                self.sim_load.blockSignals(False)
            self._simulation_changed()
        if self.guard_box.isChecked():
            self._guard_settings_changed()
        if self.csv_box.isChecked():
            self.csv_changed.emit(self.csv_base())

    def _backends_failed(self, exc) -> None:
        self.status.setText(
            _t("Telemetry could not be opened: {detail}").format(
                detail=render(getattr(exc, "message", None) or str(exc))
            )
        )

    def stop_sampling(self) -> None:
        self.redraw_timer.stop()
        if self.worker is not None and self.thread is not None:
            from PySide6.QtCore import QMetaObject

            if self.thread.isRunning():
                QMetaObject.invokeMethod(self.worker, "stop", Qt.ConnectionType.BlockingQueuedConnection)
                self.thread.quit()
                self.thread.wait(5000)
            for signal, slot in (
                (self.guard_changed, self.worker.set_guard),
                (self.user_limit_changed, self.worker.user_limit),
                (self.simulation_changed, self.worker.set_simulation),
                (self.csv_changed, self.worker.set_csv),
                (self.refresh_requested, self.worker.refresh_constraints),
            ):
                try:
                    signal.disconnect(slot)
                except (RuntimeError, TypeError):
                    pass
            self.worker.deleteLater()
        self.worker = None
        self.thread = None

    def shutdown(self) -> None:
        """Stop the timers and the sampler thread (window closes, tests)."""
        self._closed = True
        self.stop_sampling()
        if self.confirm_dialog is not None:
            self.confirm_dialog.done(0)
        self.notifier.hide()
        self.ctx.wait_for_workers(10000)

    # ---- data -----------------------------------------------------------------------------------
    @Slot(object)
    def on_samples(self, samples) -> None:
        self.ingest(samples)

    def ingest(self, samples) -> None:
        for s in samples:
            panel = self.panels.get(s.gpu)
            if panel is not None:
                panel.ingest(s)
        self._dirty = True

    def _redraw_if_dirty(self) -> None:
        if self._dirty:
            self.redraw()

    def redraw(self, *, force: bool = False) -> int:
        """Redraw every GPU panel; returns how many rebuilt their curves."""
        self._dirty = False
        rebuilt = 0
        for panel in self.panels.values():
            if not force and not self.panel_on_screen(panel):
                panel.stale = True  # scrolled away or another page is shown: no plotting work
                continue
            rebuilt += bool(panel.redraw(self.window_s, self.threshold.value(), force=force or panel.stale))
            panel.stale = False
        return rebuilt

    def panel_on_screen(self, panel: GpuPanel) -> bool:
        """The page is shown (not another page) and the panel is inside the scroll viewport."""
        if not (self.isVisible() and panel.isVisible()):
            return False
        viewport = self.scroll.viewport()
        top_left = panel.mapTo(viewport, QPoint(0, 0))
        return viewport.rect().intersects(QRect(top_left, panel.size()))

    def screenshot_ready(self) -> bool:
        """For --screenshot: a few samples are plotted (or there is nothing to sample)."""
        if self.result is not None and not self.result.gpus:
            return True
        return self.sample_count() >= 3

    def sample_count(self) -> int:
        return min((p.ring.count for p in self.panels.values()), default=0)

    @Slot(object)
    def on_events(self, events) -> None:
        for e in events:
            self.events_seen.append(e)
            text = render(e.reason)
            self.guard_list.insertItem(0, f"{time.strftime('%H:%M:%S', time.localtime(e.t))}  {text}")
            while self.guard_list.count() > GUARD_LIST_MAX:
                self.guard_list.takeItem(self.guard_list.count() - 1)
            rows = min(self.guard_list.count(), 4)  # grows to 4 rows, then scrolls
            self.guard_list.setFixedHeight(
                rows * max(1, self.guard_list.sizeHintForRow(0)) + 2 * self.guard_list.frameWidth() + 2
            )
            self.guard_list.setVisible(True)
            self.status.setText(text)
            self.ctx.status_message.emit(text)
            self.notifier.notify(text)
            if e.to_w is not None and e.gpu in self.panels:
                self.panels[e.gpu].slider_value.setText(f"{e.to_w:.0f} W")

    # ---- controls -------------------------------------------------------------------------------
    def _window_changed(self, _index: int) -> None:
        self.window_s = int(self.window_box.currentData())
        self.redraw(force=True)
        self._save_preferences()

    # ---- preferences (app/settings.py: <data dir>/settings.json) -----------------------------
    def preferences(self) -> dict:
        return preferences.current(self)

    def _restore_preferences(self) -> None:
        preferences.restore(self)

    def _save_preferences(self) -> None:
        if getattr(self, "_restoring", True):
            return
        preferences.save(self)

    def _simulation_changed(self, *_args) -> None:
        self.simulation_changed.emit(float(self.sim_load.value()), float(self.sim_speed.currentData()))

    def guard_settings(self) -> GuardSettings:
        return GuardSettings(
            threshold_c=self.threshold.value(),
            hold_s=float(self.hold.value()),
            step_fraction=self.step.value() / 100.0,
            hysteresis_c=self.hysteresis.value(),
            recover_s=float(self.recover.value()),
        ).validate()

    def _guard_settings_changed(self, *_args) -> None:
        self.guard_changed.emit(self.guard_box.isChecked(), self.guard_settings())
        self._dirty = True
        self._save_preferences()

    def request_limit(self, gpu: int, watts: float) -> None:
        """Write the slider's value in a worker, then ask to keep it (countdown) or revert."""
        from probes.live import power

        backend = self.backends.get(gpu)
        if backend is None:
            return
        host = self.ctx.host
        bus = self.result.bus_ids().get(gpu)
        self.status.setText(_t("Setting GPU {gpu} to {watts} W…").format(gpu=gpu, watts=watts))

        def job(_progress):
            return power.apply(backend, gpu, watts, host=host, bus_id=bus)

        self.ctx.run_in_worker(job, on_done=lambda res: self._confirm(gpu, res), on_error=self._power_failed)

    def _power_failed(self, exc) -> None:
        self._show_error(exc)
        self._refresh_constraints()

    def _show_error(self, exc) -> None:
        message = render(getattr(exc, "message", None) or str(exc))
        hint = render(getattr(exc, "hint", None))
        code = getattr(exc, "code", "error")
        self.status.setText(f"[{code}] {message}" + (f" — {hint}" if hint else ""))

    def _confirm(self, gpu: int, result) -> None:
        from probes.live import power

        self._refresh_constraints()
        self.user_limit_changed.emit(gpu, float(result.requested_w))
        pending = power.PendingChange(
            self.backends.get(gpu),
            result,
            host=self.ctx.host,
            confirm_seconds=self.confirm_seconds,
            bus_id=self.result.bus_ids().get(gpu),
        )
        box = PowerConfirmDialog(pending, self)
        box.finished.connect(lambda code: self._confirm_finished(box, code))
        self.confirm_dialog = box
        box.start()

    def _confirm_finished(self, box: PowerConfirmDialog, code) -> None:
        self.confirm_dialog = None
        if self._closed:
            return
        if box.keeps(code):
            self.status.setText(
                _t("GPU {gpu} keeps {watts} W.").format(
                    gpu=box.pending.gpu, watts=f"{box.pending.result.requested_w:.0f}"
                )
            )
        else:
            self._revert(box.pending)

    def _revert(self, pending) -> None:
        gpu = pending.gpu

        def done(_res):
            self.user_limit_changed.emit(gpu, float(pending.restored_w))
            self.status.setText(
                _t("Not confirmed: GPU {gpu} is back at {watts} W.").format(
                    gpu=gpu, watts=f"{pending.restored_w:.0f}"
                )
            )
            self._refresh_constraints()

        self.ctx.run_in_worker(lambda _progress: pending.revert(), on_done=done, on_error=self._power_failed)

    def _refresh_constraints(self) -> None:
        """Re-read the power constraints in the sampler thread (they may run a tool)."""
        self.refresh_requested.emit()

    @Slot(object)
    def on_constraints(self, constraints: dict) -> None:
        for gpu, c in constraints.items():
            if gpu in self.panels:
                self.panels[gpu].set_constraints(c)

    # ---- logs -----------------------------------------------------------------------------------
    def csv_base(self) -> Path:
        """CSV log base name: the sampler writes monitor-YYYY-MM-DD.csv beside it, one per day."""
        return default_base(self.ctx.data_dir)

    def guard_log_path(self) -> Path:
        return default_guard_log(self.ctx.data_dir)

    def _csv_toggled(self, on: bool) -> None:
        self.csv_changed.emit(self.csv_base() if on else None)
        self._save_preferences()
        if on:
            self.status.setText(
                _t("Logging every sample to {path} (one file per day).").format(
                    path=str(self.csv_base().parent)
                )
            )
        else:
            self.status.setText(_t("CSV logging stopped."))

    def _csv_failed(self, exc) -> None:
        self.csv_box.blockSignals(True)
        self.csv_box.setChecked(False)
        self.csv_box.blockSignals(False)
        self._show_error(exc)

    def _export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, _t("Export CSV"), str(self.ctx.data_dir / "monitor.csv"), "CSV (*.csv)"
        )
        if path:
            self.export_csv(path)

    def export_csv(self, path) -> int:
        def all_samples():
            for gpu, panel in self.panels.items():
                yield from panel.ring.samples(gpu)

        n = write_csv(path, all_samples())
        self.status.setText(_t("Exported {n} samples to {path}.").format(n=n, path=str(path)))
        return n
