"""The light curve item of the live plots: gaps, flat series, bounds, pixels on screen."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("PySide6")
pytest.importorskip("pyqtgraph")

import pyqtgraph as pg  # noqa: E402
from PySide6.QtGui import QColor, QPainterPath  # noqa: E402

from app.gui.curve import SeriesCurve  # noqa: E402

RED = "#e4572e"


def _subpaths(path: QPainterPath) -> int:
    return sum(1 for i in range(path.elementCount()) if path.elementAt(i).isMoveTo())


def _red_pixels(widget) -> int:
    img = widget.grab().toImage()
    want = QColor(RED)
    return sum(
        1
        for y in range(img.height())
        for x in range(img.width())
        if abs(img.pixelColor(x, y).red() - want.red()) < 40
        and abs(img.pixelColor(x, y).green() - want.green()) < 40
        and abs(img.pixelColor(x, y).blue() - want.blue()) < 40
    )


def test_nan_breaks_the_line_and_bounds_ignore_it():
    c = SeriesCurve(pg.mkPen(RED, width=1))
    c.setData([0.0, 1.0, 2.0, 3.0, 4.0], [1.0, 5.0, math.nan, 2.0, 3.0])
    assert _subpaths(c._path) == 2
    assert c.dataBounds(0) == pytest.approx((0.0, 4.0), abs=1e-6)
    assert c.dataBounds(1) == pytest.approx((1.0, 5.0), abs=1e-6)
    c.setData([0.0, 1.0], [math.nan, math.nan])  # nothing finite: nothing to draw
    assert c.boundingRect().isNull() and c.dataBounds(1) == (None, None)
    c.setData([], [])
    assert c.boundingRect().isNull() and c.getData()[0].size == 0
    with pytest.raises(ValueError):
        c.setData([0.0, 1.0], [1.0])


@pytest.mark.parametrize("ys", [[50.0] * 50, list(np.linspace(20, 80, 50))], ids=["flat", "ramp"])
def test_series_is_painted(qtbot, ys):
    """A flat series (zero-height data) is painted too, and new data is repainted."""
    w = pg.GraphicsLayoutWidget()
    qtbot.addWidget(w)
    w.resize(400, 300)
    plot = w.addPlot()
    plot.setXRange(0, 49, padding=0.05)
    plot.setYRange(0, 100, padding=0)
    curve = SeriesCurve(pg.mkPen(RED, width=1))
    plot.addItem(curve)
    w.show()
    qtbot.waitExposed(w)
    assert _red_pixels(w) == 0
    curve.setData(np.arange(50.0), np.array(ys))
    qtbot.wait(20)
    assert _red_pixels(w) > 100
    curve.setData([], [])
    qtbot.wait(20)
    assert _red_pixels(w) == 0
