"""One GPU on the Monitor page: numeric tiles, the power-limit slider and four linked plots.

Plots (docs/ARCHITECTURE.md, GUI conventions): one preallocated ring buffer per GPU, one curve item
per series updated with ``setData`` (a light :class:`SeriesCurve`, see app/gui/curve.py for why
not PlotDataItem), redrawn by the page's timer at 10 Hz only when new data arrived; pens of width 1,
clipped to the window + peak downsampling (done incrementally on the ring's views by
app/gui/decimate.py, so pyqtgraph's own ``setClipToView``/``setDownsampling`` passes are off),
None → NaN drawn as a gap.
"""

from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

# isort: split
# PySide6 must be imported before pyqtgraph (pyqtgraph picks the Qt binding already imported)
import pyqtgraph as pg

# isort: split
from app.gui.curve import SeriesCurve
from app.gui.decimate import PeakDecimator, bin_size
from app.gui.pages.monitor.common import GIB, PLOTS, SERIES_LABELS, _t
from app.gui.ringbuffer import SampleRing
from probes.core.i18n import render

if TYPE_CHECKING:
    from app.gui.pages.monitor.page import MonitorPage


class GpuPanel(QWidget):
    """Tiles, power controls and the four linked plots of one GPU."""

    def __init__(self, page: MonitorPage, gpu, capacity: int):
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
