"""The Monitor page: live plots per GPU, numeric tiles, power-limit slider, thermal guard, CSV export.

Threads (docs/ARCHITECTURE.md, GUI conventions): a parentless :class:`SamplerWorker` moved to a
QThread polls the backends and runs the guard; it sends immutable ``Sample``/``GuardEvent`` tuples
through signals. Plots (same section): one preallocated ring buffer per GPU, one curve item per
series updated with ``setData`` (a light :class:`SeriesCurve`, see app/gui/curve.py for why not PlotDataItem), redrawn
by a GUI timer at 10 Hz only when new data arrived; pens of width 1, clipped to the window + peak
downsampling (done incrementally on the ring's views by app/gui/decimate.py, so pyqtgraph's own
``setClipToView``/``setDownsampling`` passes are off), None → NaN drawn as a gap.
"""

from __future__ import annotations

import math
import time
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QPoint, QRect, Qt, QThread, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFrame,
    QGraphicsItem,
    QGraphicsView,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSlider,
    QSpinBox,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

# isort: split
# PySide6 must be imported before pyqtgraph (pyqtgraph picks the Qt binding already imported)
import pyqtgraph as pg

# isort: split
from app.gui.curve import SeriesCurve
from app.gui.decimate import PeakDecimator, bin_size
from app.gui.ringbuffer import SampleRing
from probes.core.errors import RigPilotError
from probes.core.i18n import render
from probes.live.csv_log import CsvLog, default_base, write_csv
from probes.live.guard import GuardSettings, ThermalGuard
from probes.live.guard_log import GuardLog
from probes.live.guard_log import default_path as default_guard_log
from probes.live.monitor import GuardLoop, Sampler, SimClock

STEP = "monitor"
CTX = "MonitorPage"
WINDOWS_S = ((300, "5 min"), (3600, "1 h"), (86400, "24 h"))
REDRAW_MS = 100  # ≤ 10 Hz, and only when something new arrived
MIN_SIM_TIMER_MS = 20  # a sped-up simulation samples at most 50 times per real second
SIM_SPEEDS = (1, 10, 60, 600)
GUARD_LIST_MAX = 200
GIB = float(2**30)

# (plot key, title, unit, [(series field, pen colour, scale)]); colours chosen to stand out on
# pyqtgraph's black background (the first palette had a navy VRAM line that was nearly invisible)
PLOTS = (
    ("temp", "Temperature", "°C", (("temperature_c", "#ff7043", 1.0), ("hotspot_c", "#ffca28", 1.0))),
    (
        "vram",
        "VRAM",
        "GiB",
        (("memory_used_bytes", "#42a5f5", 1 / GIB), ("memory_total_bytes", "#9e9e9e", 1 / GIB)),
    ),
    ("power", "Power", "W", (("power_draw_w", "#66bb6a", 1.0), ("power_limit_w", "#ef5350", 1.0))),
    ("util", "Utilisation", "%", (("utilization_pct", "#26c6da", 1.0),)),
)


# the series' names in the plot titles, in their pen colours (the legend)
SERIES_LABELS = {
    "temperature_c": "GPU",
    "hotspot_c": "hotspot",
    "memory_used_bytes": "used",
    "memory_total_bytes": "total",
    "power_draw_w": "draw",
    "power_limit_w": "limit",
}


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


class SamplerWorker(QObject):
    """Lives in its own QThread; polls on a QTimer there, runs the guard, emits values."""

    samples = Signal(object)  # tuple[Sample, ...]
    events = Signal(object)  # tuple[GuardEvent, ...]
    constraints = Signal(object)  # {gpu: PowerConstraints} (slow field, read in this thread)
    failed = Signal(object)  # RigPilotError of the CSV log (logging stops, sampling goes on)

    def __init__(self, sampler: Sampler, host, bus_ids: dict, guard_log: Path | None = None):
        super().__init__()  # parentless: it is moved to the thread
        self.sampler = sampler
        self.host = host
        self.bus_ids = bus_ids
        self.guard_log = guard_log  # the guard loop appends every action here as a JSON line
        self.csv: CsvLog | None = None
        self.loop: GuardLoop | None = None
        self.timer: QTimer | None = None

    @Slot()
    def start(self) -> None:
        self.timer = QTimer(self)
        self.timer.setInterval(int(self.sampler.interval_s * 1000))
        self.timer.timeout.connect(self.tick)
        self.timer.start()
        self.refresh_constraints()
        self.tick()

    @Slot()
    def refresh_constraints(self) -> None:
        self.sampler.invalidate()
        self.constraints.emit({g: self.sampler.constraints(g, fresh=True) for g in self.sampler.gpus()})

    @Slot()
    def tick(self) -> None:
        samples = tuple(self.sampler.poll())
        self.samples.emit(samples)
        if self.csv is not None:
            try:
                for sample in samples:
                    self.csv.write(sample)
            except (RigPilotError, OSError) as exc:
                self.csv.close()
                self.csv = None
                self.failed.emit(exc)
        if self.loop is not None:
            self._publish(tuple(self.loop.feed(samples)))

    def _publish(self, events: tuple) -> None:
        """Hand the guard's actions to the page (the guard loop has appended them to its log)."""
        if events:
            self.events.emit(events)

    @Slot(object)
    def set_csv(self, path) -> None:
        """Start (a path: ``stem-YYYY-MM-DD.csv`` files, one per day) or stop (None) the CSV log."""
        if self.csv is not None:
            self.csv.close()
            self.csv = None
        if path is not None:
            self.csv = CsvLog(path)

    @Slot(bool, object)
    def set_guard(self, enabled: bool, settings) -> None:
        if self.loop is not None:
            events = tuple(self.loop.release(self.sampler.clock()))
            self.loop = None
            self._publish(events)
        if enabled:
            log = GuardLog(self.guard_log) if self.guard_log is not None else None
            self.loop = GuardLoop(
                ThermalGuard(settings), self.sampler, host=self.host, bus_ids=self.bus_ids, log=log
            )

    @Slot(float, float)
    def set_simulation(self, load_pct: float, speed: float) -> None:
        """Simulated rigs only: the load of every simulated card and how fast simulated time runs
        (samples stay ``interval_s`` of simulated time apart, so they come ``speed``x as often)."""
        clock = self.sampler.clock
        if isinstance(clock, SimClock):
            clock.set_speed(speed)
            if self.timer is not None:
                self.timer.setInterval(max(MIN_SIM_TIMER_MS, int(self.sampler.interval_s * 1000 / speed)))
        now = clock()
        for backend in {id(b): b for b in self.sampler.backends.values()}.values():
            if hasattr(backend, "set_load"):
                backend.set_load(load_pct, now=now)

    @Slot(int, float)
    def user_limit(self, gpu: int, watts: float) -> None:
        if self.loop is not None:
            self.loop.guard.set_user_limit(gpu, watts)
        self.refresh_constraints()

    @Slot()
    def stop(self) -> None:
        if self.timer is not None:
            self.timer.stop()
            self.timer.deleteLater()
            self.timer = None
        if self.loop is not None:
            self.loop.release(self.sampler.clock())
            self.loop = None
        if self.csv is not None:
            self.csv.close()
            self.csv = None
        self.sampler.close()
        app = QCoreApplication.instance()
        if app is not None:  # hand the object back so the GUI thread can delete it
            self.moveToThread(app.thread())


class GpuPanel(QWidget):
    """Tiles, power controls and the four linked plots of one GPU."""

    def __init__(self, page: Page, gpu, capacity: int):
        super().__init__(page)
        self.page = page
        self.gpu = gpu.index
        self.name = gpu.name or "?"
        self.ring = SampleRing(capacity)
        self._scales = {field: scale for _k, _ti, _u, series in PLOTS for field, _c, scale in series}
        self.decimator = PeakDecimator(self.ring, tuple(self._scales))
        self.constraints = None
        self._drawn_t: float | None = None
        self._drawn_window: float | None = None
        self._drawn_threshold: float | None = None
        self._x_right: float | None = None
        self.stale = False
        self.frames = 0  # curve rebuilds (benchmarks and tests read it)
        lay = QVBoxLayout(self)
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold")
        lay.addWidget(self.title)
        tiles = QHBoxLayout()
        self.tiles: dict[str, QLabel] = {}
        for key in ("temp", "power", "vram", "util", "clock", "fan"):
            lab = QLabel("-")
            lab.setFrameShape(QFrame.Shape.StyledPanel)
            lab.setMinimumWidth(110)
            tiles.addWidget(lab)
            self.tiles[key] = lab
        lay.addLayout(tiles)
        row = QHBoxLayout()
        self.power_label = QLabel()
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setEnabled(False)
        self.slider_value = QLabel("-")
        self.apply_button = QPushButton()
        self.apply_button.setEnabled(False)
        self.apply_button.clicked.connect(lambda: page.request_limit(self.gpu, self.slider.value()))
        self.slider.valueChanged.connect(lambda v: self.slider_value.setText(f"{v} W"))
        row.addWidget(self.power_label)
        row.addWidget(self.slider, 1)
        row.addWidget(self.slider_value)
        row.addWidget(self.apply_button)
        lay.addLayout(row)
        self.power_reason = QLabel()
        self.power_reason.setWordWrap(True)
        lay.addWidget(self.power_reason)
        self.readout = QLabel(" ")
        lay.addWidget(self.readout)

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setMinimumHeight(520)
        # the background is one solid colour: filling it is cheaper than copying a cached pixmap
        self.graphics.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
        self.plots: dict[str, pg.PlotItem] = {}
        self.curves: dict[str, SeriesCurve] = {}
        self.cross: list[pg.InfiniteLine] = []
        first = None
        for r, (key, _title, _unit, series) in enumerate(PLOTS):
            last = r == len(PLOTS) - 1
            plot = self.graphics.addPlot(
                row=r, col=0, axisItems={"bottom": pg.DateAxisItem()} if last else None
            )
            if not last:  # one time axis per GPU, under the last plot (the x axes are linked)
                plot.hideAxis("bottom")
            # no grid: pyqtgraph draws it as alpha-blended lines inside every axis paint, which
            # was ~85 % of a frame in software rendering (bench/monitor.py)
            plot.setMenuEnabled(False)
            for name in ("left", "bottom", "top", "right"):
                # units live in the title: no SI-prefix pass (an HTML label re-layout) per range change
                plot.getAxis(name).enableAutoSIPrefix(False)
            # axes and titles change far less often than the curves: Qt keeps them as pixmaps
            # (redrawn when they call update()) instead of replaying their text every paint
            for item in (plot.getAxis("left"), plot.getAxis("bottom"), plot.titleLabel.item):
                item.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
            if first is None:
                first = plot
            else:
                plot.setXLink(first)
            for field, colour, _scale in series:
                curve = SeriesCurve(pg.mkPen(colour, width=1))
                plot.addItem(curve)
                self.curves[field] = curve
            line = pg.InfiniteLine(angle=90, movable=False, pen=pg.mkPen("#999999", width=1))
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self.cross.append(line)
            self.plots[key] = plot
        # fixed ranges where the scale is known: no auto-range pass over the data every frame
        for plot in self.plots.values():
            plot.enableAutoRange(x=False)
        self.plots["util"].setYRange(0, 100, padding=0.02)
        self._y_fixed: dict = {}
        self._threshold_c = 85.0
        self.threshold_line = pg.InfiniteLine(
            angle=0, movable=False, pen=pg.mkPen("#b00020", width=1, style=Qt.PenStyle.DashLine)
        )
        self.plots["temp"].addItem(self.threshold_line, ignoreBounds=False)
        self.graphics.scene().sigMouseMoved.connect(self._mouse_moved)
        lay.addWidget(self.graphics)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_t("GPU {index}: {name}").format(index=self.gpu, name=self.name))
        for key, title, unit, series in PLOTS:
            names = [
                f'<span style="color:{colour}">━ {_t(SERIES_LABELS[field])}</span>'
                for field, colour, _scale in series
                if field in SERIES_LABELS
            ]
            if key == "temp":
                names.append(f'<span style="color:#b00020">┅ {_t("threshold")}</span>')
            self.plots[key].setTitle(
                f"{_t(title)} ({unit})" + ("&nbsp;&nbsp;" + "&nbsp;&nbsp;".join(names) if names else "")
            )
        self.power_label.setText(_t("Power limit"))
        self.apply_button.setText(_t("Apply"))
        self.set_constraints(self.constraints)

    def set_constraints(self, c) -> None:
        self.constraints = c
        ok = bool(c is not None and c.supported and c.min_w is not None and c.max_w is not None)
        self.slider.setEnabled(ok)
        self.apply_button.setEnabled(ok)
        if ok:
            self.slider.blockSignals(True)
            self.slider.setRange(int(math.ceil(c.min_w)), int(math.floor(c.max_w)))
            current = c.current_w if c.current_w is not None else c.default_w
            if current is not None:
                self.slider.setValue(int(round(current)))
            self.slider.blockSignals(False)
            self.slider_value.setText(f"{self.slider.value()} W")
            self.power_reason.setText(
                _t("Range {min_w}–{max_w} W, default {default} W.").format(
                    min_w=f"{c.min_w:.0f}",
                    max_w=f"{c.max_w:.0f}",
                    default="-" if c.default_w is None else f"{c.default_w:.0f}",
                )
            )
        else:
            reason = render(c.reason) if c is not None and c.reason else _t("No power information yet.")
            self.power_reason.setText(
                _t("The power limit cannot be changed here: {reason}").format(reason=reason)
            )

    def ingest(self, s) -> None:
        self.ring.append(s)

    def update_tiles(self) -> None:
        s = self.ring.last
        if s is None:
            return

        def num(v, fmt):
            return "-" if v is None else fmt.format(v)

        if s.state != "ok":
            self.tiles["temp"].setText(_t("GPU state: {state}").format(state=s.state))
            return
        self.tiles["temp"].setText(_t("Temp {v} °C").format(v=num(s.temperature_c, "{:.0f}")))
        self.tiles["power"].setText(
            _t("Power {draw} / {limit} W").format(
                draw=num(s.power_draw_w, "{:.0f}"), limit=num(s.power_limit_w, "{:.0f}")
            )
        )
        self.tiles["vram"].setText(
            _t("VRAM {used} / {total} GiB").format(
                used=num(None if s.memory_used_bytes is None else s.memory_used_bytes / GIB, "{:.1f}"),
                total=num(None if s.memory_total_bytes is None else s.memory_total_bytes / GIB, "{:.1f}"),
            )
        )
        self.tiles["util"].setText(_t("Load {v} %").format(v=num(s.utilization_pct, "{:.0f}")))
        self.tiles["clock"].setText(_t("Clock {v} MHz").format(v=num(s.clock_mhz, "{:.0f}")))
        self.tiles["fan"].setText(_t("Fan {v} %").format(v=num(s.fan_pct, "{:.0f}")))

    def redraw(self, window_s: float, threshold_c: float, *, force: bool = False) -> bool:
        """Update the curves (if a pixel column's worth of time passed) and the tiles.

        Returns True when the curves were rebuilt. Long windows are decimated here to two
        points (min, max) per pixel column, so ``setData`` never sees 86 400 points.
        """
        self.update_tiles()
        if not len(self.ring):
            return False
        t = self.ring.view()
        now = float(t[-1])
        width_px = max(200, int(self.plots["temp"].vb.width()) or 800)
        column_s = window_s / width_px
        fresh = (
            force
            or window_s != self._drawn_window
            or self._drawn_t is None
            or now - self._drawn_t >= column_s
            or threshold_c != self._drawn_threshold
        )
        if not fresh:
            return False
        a, _b = self.ring.window(now - window_s)
        # a min/max pair per 2 px: looks the same, half the path; complete bins are cached
        xs, series_ys = self.decimator.update(a, bin_size(len(t) - a, width_px // 2))
        for field, curve in self.curves.items():
            ys, scale = series_ys[field], self._scales[field]
            curve.setData(xs, ys * scale if scale != 1.0 else ys)  # NaN: a gap; all NaN: no repaint
        # the time axis moves in steps of 5 % of the window, not every second: its tick labels
        # are re-rendered only on a step, which is most of the paint cost of a frame
        if force or window_s != self._drawn_window or self._x_right is None or now > self._x_right:
            self._x_right = now + 0.05 * window_s
            self.plots["temp"].setXRange(self._x_right - window_s, self._x_right, padding=0)
        if threshold_c != self._drawn_threshold:
            self.threshold_line.setValue(threshold_c)
        self._threshold_c = threshold_c
        self._fix_y_ranges()
        self._drawn_t, self._drawn_window, self._drawn_threshold = now, window_s, threshold_c
        self.frames += 1
        return True

    def _fix_y_ranges(self) -> None:
        """VRAM 0..total and power 0..max limit are known scales: set them once (grow if needed)."""
        s = self.ring.last
        c = self.constraints
        vram = None if s is None else s.memory_total_bytes or s.memory_used_bytes  # used: no total known
        tops = {
            "vram": None if vram is None else vram / GIB,
            "power": max(
                [
                    v
                    for v in (c and c.max_w, c and c.default_w, s and s.power_limit_w, s and s.power_draw_w)
                    if v is not None
                ],
                default=None,
            ),
        }
        for key, top in tops.items():
            if top and top > self._y_fixed.get(key, 0.0):
                self._y_fixed[key] = top * 1.1
                self.plots[key].setYRange(0, top * 1.1, padding=0)
            elif key not in self._y_fixed:  # no value at all: a fixed range, no auto-range pass per frame
                self._y_fixed[key] = 0.0
                self.plots[key].setYRange(0, 1, padding=0)
        # temperature: 20 °C to 100 °C (or threshold + 10), widened only when a reading leaves it
        temps = [v for v in (s and s.temperature_c, s and s.hotspot_c) if v is not None]
        lo = min([20.0] + temps)
        hi = max([100.0, self._threshold_c + 10.0] + temps)
        if (lo, hi) != self._y_fixed.get("temp"):
            if self._y_fixed.get("temp"):
                lo = min(lo, self._y_fixed["temp"][0])
                hi = max(hi, self._y_fixed["temp"][1])
            self._y_fixed["temp"] = (lo, hi)
            self.plots["temp"].setYRange(lo, hi, padding=0.02)

    def _mouse_moved(self, pos) -> None:
        plot = self.plots["temp"]
        if (
            not len(self.ring)
            or not plot.sceneBoundingRect().contains(pos)
            and not any(p.sceneBoundingRect().contains(pos) for p in self.plots.values())
        ):
            return
        x = plot.vb.mapSceneToView(pos).x()
        t = self.ring.view()
        k = int(min(max(0, int(t.searchsorted(x))), len(t) - 1))
        for line in self.cross:
            line.setValue(t[k])
            line.setVisible(True)
        vals = {f: float(self.ring.view(f)[k]) for f in self.ring.fields}

        def num(f, fmt, scale=1.0):
            v = vals[f]
            return "-" if math.isnan(v) else fmt.format(v * scale)

        self.readout.setText(
            _t("{time}: {temp} °C, {draw}/{limit} W, VRAM {used} GiB, load {util} %").format(
                time=time.strftime("%H:%M:%S", time.localtime(float(t[k]))),
                temp=num("temperature_c", "{:.1f}"),
                draw=num("power_draw_w", "{:.0f}"),
                limit=num("power_limit_w", "{:.0f}"),
                used=num("memory_used_bytes", "{:.1f}", 1 / GIB),
                util=num("utilization_pct", "{:.0f}"),
            )
        )


class Page(QWidget):
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
        self.confirm_dialog: QMessageBox | None = None
        self._dirty = False
        self._tray: QSystemTrayIcon | None = None
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
        if self._tray is not None:
            self._tray.hide()
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
            self._notify(text)
            if e.to_w is not None and e.gpu in self.panels:
                self.panels[e.gpu].slider_value.setText(f"{e.to_w:.0f} W")

    def _notify(self, text: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self._tray is None:
            self._tray = QSystemTrayIcon(self.windowIcon(), self)
            self._tray.show()
        self._tray.showMessage(_t("RigPilot thermal guard"), text)

    # ---- controls -------------------------------------------------------------------------------
    def _window_changed(self, _index: int) -> None:
        self.window_s = int(self.window_box.currentData())
        self.redraw(force=True)
        self._save_preferences()

    # ---- preferences (app/settings.py: <data dir>/settings.json) -----------------------------
    def preferences(self) -> dict:
        return {
            "window_s": self.window_s,
            "guard": self.guard_box.isChecked(),
            "threshold_c": self.threshold.value(),
            "hold_s": self.hold.value(),
            "step_pct": self.step.value(),
            "hysteresis_c": self.hysteresis.value(),
            "recover_s": self.recover.value(),
            "csv": self.csv_box.isChecked(),
        }

    def _restore_preferences(self) -> None:
        from app import settings

        prefs = settings.load(self.ctx.data_dir).get("monitor")
        if not isinstance(prefs, dict):
            return
        index = self.window_box.findData(prefs.get("window_s"))
        if index >= 0:
            self.window_box.setCurrentIndex(index)
        for key, box in (
            ("threshold_c", self.threshold),
            ("hold_s", self.hold),
            ("step_pct", self.step),
            ("hysteresis_c", self.hysteresis),
            ("recover_s", self.recover),
        ):
            value = prefs.get(key)
            if isinstance(value, (int, float)) and box.minimum() <= value <= box.maximum():
                box.setValue(float(value))  # the boxes' ranges are GuardSettings' valid ranges
        self.guard_box.setChecked(prefs.get("guard") is True)
        self.csv_box.setChecked(prefs.get("csv") is True)

    def _save_preferences(self) -> None:
        if getattr(self, "_restoring", True):
            return
        from app import settings

        settings.update(self.ctx.data_dir, "monitor", self.preferences())

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
        box = QMessageBox(QMessageBox.Icon.Question, _t("Keep the new power limit?"), "", parent=self)
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        timer = QTimer(box)
        timer.setInterval(1000)

        def text():
            box.setText(
                _t("GPU {gpu} now runs at {watts} W. Keep it? Reverting to {previous} W in {n} s.").format(
                    gpu=gpu,
                    watts=f"{result.requested_w:.0f}",
                    previous="-" if result.previous_w is None else f"{result.previous_w:.0f}",
                    n=pending.countdown(),
                )
            )

        def tick():
            if pending.countdown() <= 0:
                box.done(QMessageBox.StandardButton.No)
            else:
                text()

        def finished(code):
            timer.stop()
            self.confirm_dialog = None
            if self._closed:
                return
            if pending.kept(code == QMessageBox.StandardButton.Yes):
                self.status.setText(
                    _t("GPU {gpu} keeps {watts} W.").format(gpu=gpu, watts=f"{result.requested_w:.0f}")
                )
            else:
                self._revert(pending)

        timer.timeout.connect(tick)
        box.finished.connect(finished)
        text()
        self.confirm_dialog = box
        timer.start()
        box.open()

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
