"""Small shared GUI helpers: icons drawn from our own SVGs, wrapped labels, the app stylesheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QLabel

ICONS = Path(__file__).resolve().parents[2] / "assets" / "icons"
VENDOR_LABELS = {
    "nvidia": "NVIDIA",
    "amd": "AMD",
    "intel": "Intel",
    "mthreads": "Moore Threads",
    "biren": "Biren",
    "innosilicon": "Innosilicon",
    "iluvatar": "Iluvatar CoreX",
    "metax": "MetaX",
    "hygon": "Hygon",
    "apple": "Apple",
    "other": "?",
}


def svg_pixmap(name: str, size: int, dpr: float = 1.0) -> QPixmap:
    """Render ``assets/icons/<name>.svg`` (falls back to vendor-other) at ``size`` px."""
    path = ICONS / f"{name}.svg"
    if not path.is_file():
        path = ICONS / "vendor-other.svg"
    renderer = QSvgRenderer(str(path))
    pm = QPixmap(int(size * dpr), int(size * dpr))
    pm.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pm)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size * dpr, size * dpr))
    painter.end()
    pm.setDevicePixelRatio(dpr)
    return pm


def vendor_icon_name(vendor: str | None) -> str:
    return f"vendor-{vendor if vendor in VENDOR_LABELS else 'other'}"


def wrapped(text: str = "", *, selectable: bool = False, object_name: str | None = None) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if selectable:
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        label.setObjectName(object_name)
    return label


STYLESHEET = """
QMainWindow, QWidget#centralArea { background: #f4f6f9; }
QListWidget#stepList { background: #1f2633; color: #d7dde8; border: none; font-size: 14px;
                       padding-top: 8px; outline: 0; }
QListWidget#stepList::item { padding: 10px 14px; border-left: 4px solid transparent; }
QListWidget#stepList::item:selected { background: #2e3a4f; color: #ffffff; border-left: 4px solid #f0883e; }
QWidget#sidebar { background: #1f2633; }
QLabel#appTitle { color: #ffffff; font-size: 18px; font-weight: bold; padding: 14px 14px 2px 14px; }
QLabel#appSubtitle { color: #8d99ae; font-size: 11px; padding: 0 14px 8px 14px; }
QLabel#sidebarLabel { color: #8d99ae; font-size: 11px; }
QLabel#simBanner { background: #ffd54a; color: #3b2f00; font-weight: bold; padding: 6px 12px;
                   border-bottom: 1px solid #c9a400; }
QLabel#noticeBanner { background: #dbeafe; color: #1e3a5f; padding: 6px 12px;
                      border-bottom: 1px solid #93c5fd; }
QLabel#pageTitle { font-size: 20px; font-weight: bold; color: #1f2633; }
QLabel#pageSubtitle { color: #4a5568; }
QLabel#sectionTitle { font-size: 15px; font-weight: bold; color: #1f2633; padding-top: 6px; }
QFrame#card { background: #ffffff; border: 1px solid #d5dbe5; border-radius: 8px; }
QFrame#card QLabel { background: transparent; }
QLabel#cardTitle { font-size: 15px; font-weight: bold; color: #1f2633; }
QLabel#cardMeta { color: #5a6578; }
QLabel#fieldName { color: #5a6578; }
QLabel#hint { color: #4a5568; }
QLabel#code { color: #6b7280; font-family: "DejaVu Sans Mono", monospace; font-size: 11px; }
QLabel#badgeOk { color: #1b6e2a; font-weight: bold; }
QLabel#badgeBad { color: #b3261e; font-weight: bold; }
QLabel#emptyTitle { font-size: 17px; font-weight: bold; color: #1f2633; }
QLabel#plannedTag { color: #8a5a00; background: #fff1cc; border: 1px solid #e8c766; border-radius: 4px;
                    padding: 2px 8px; font-weight: bold; }
"""
