"""One series of a live plot: a light pyqtgraph curve item with ``setData`` (docs/ARCHITECTURE.md,
GUI conventions).

Why not ``PlotDataItem``: its ``setData`` rebuilds a dataset, checks finiteness, recomputes data
bounds with ``nanmin``/``nanmax`` inside a ``warnings.catch_warnings`` block and forwards to a
``PlotCurveItem`` that repeats most of it at paint time — about 0.5 ms of Python per series and
update. The Monitor page updates up to 7 series per GPU every second (every sample is a new pixel
column in the 5 min window) and already does what those layers offer (window clipping, min/max
decimation, fixed axis ranges); measured in one process on the same data (bench/monitor.py, two
GPUs, curves rebuilt every frame), this item made such a frame 1.7x faster.

The path is built once per ``setData`` with pyqtgraph's ``arrayToQPath`` (``connect="finite"``: a
NaN is a gap); the bounding rectangle comes from the same arrays (min/max ignoring NaN). The pen is
cosmetic (1 px whatever the view's scale).
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath, QPen

# isort: split
# PySide6 must be imported before pyqtgraph (pyqtgraph picks the Qt binding already imported)
import pyqtgraph as pg


class SeriesCurve(pg.GraphicsObject):
    def __init__(self, pen: QPen):
        super().__init__()
        self._pen = QPen(pen)
        self._pen.setCosmetic(True)
        self._path = QPainterPath()
        self._rect = QRectF()
        self.xData: np.ndarray | None = None
        self.yData: np.ndarray | None = None

    def setData(self, x, y) -> None:
        """Show ``y`` over ``x`` (x ascending; NaN in ``y`` breaks the line)."""
        x = np.asarray(x, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if x.shape != y.shape:
            raise ValueError(f"x and y differ in shape: {x.shape} vs {y.shape}")
        lo = float(np.fmin.reduce(y)) if len(y) else float("nan")
        if lo != lo and self._rect.isNull():  # nothing to draw, and nothing drawn: no repaint
            self.xData, self.yData = x, y
            return
        self.prepareGeometryChange()
        self.xData, self.yData = x, y
        if lo != lo:  # no point, or no finite value: nothing to draw
            self._path, self._rect = QPainterPath(), QRectF()
        else:
            hi = float(np.fmax.reduce(y))
            x0, x1 = float(x[0]), float(x[-1])
            self._rect = QRectF(x0, lo, x1 - x0, hi - lo)  # flat (height 0) is painted too: tested
            self._path = pg.arrayToQPath(x, y, connect="finite")
        self.update()

    def getData(self):
        return self.xData, self.yData

    def pen(self) -> QPen:
        return QPen(self._pen)

    def boundingRect(self) -> QRectF:
        return self._rect

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):
        """For a ViewBox auto-range (the Monitor page sets its ranges; kept for correctness)."""
        if self._rect.isNull():
            return (None, None)
        r = self._rect
        return (r.left(), r.right()) if ax == 0 else (r.top(), r.bottom())

    def paint(self, painter, *_args) -> None:
        painter.setPen(self._pen)
        painter.drawPath(self._path)
