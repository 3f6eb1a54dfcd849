#!/usr/bin/env python3
"""Render the application icon (assets/icons/rigpilot.svg) into the files the distributables need:

    .venv/bin/python tools/make_app_icon.py

assets/icons/rigpilot-256.png (the Linux .desktop entry's icon, the window icon where SVG is not
available) and assets/icons/rigpilot.ico (the Windows setup program, launcher and shortcuts: one
PNG image per size, a layout every Windows since Vista reads). Run it after changing the SVG and
commit the three files together; tests/release/test_dist_inputs.py checks that they agree in size.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "assets" / "icons" / "rigpilot.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def ico_bytes(pngs: list[tuple[int, bytes]]) -> bytes:
    """An .ico file holding PNG images: ICONDIR, one ICONDIRENTRY per image, then the images."""
    head = struct.pack("<HHH", 0, 1, len(pngs))
    offset = len(head) + 16 * len(pngs)
    entries, blobs = b"", b""
    for size, data in pngs:
        dim = 0 if size >= 256 else size  # 0 means 256
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(data), offset + len(blobs))
        blobs += data
    return head + entries + blobs


def render_png(size: int) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    QSvgRenderer(str(SVG)).render(painter)
    painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    return bytes(data.data())


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - fonts/images need it
    pngs = [(size, render_png(size)) for size in ICO_SIZES]
    (SVG.parent / "rigpilot-256.png").write_bytes(pngs[-1][1])
    (SVG.parent / "rigpilot.ico").write_bytes(ico_bytes(pngs))
    print(SVG.parent / "rigpilot.ico")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
