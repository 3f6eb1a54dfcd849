"""The Monitor page's preferences between runs: the ``monitor`` section of app/settings.py's
``<data dir>/settings.json`` (time window, thermal guard and its settings, CSV logging)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app import settings

if TYPE_CHECKING:
    from app.gui.pages.monitor.page import MonitorPage

SECTION = "monitor"
# stored key -> the page's spin box holding it (its range is GuardSettings' valid range)
GUARD_BOXES = (
    ("threshold_c", "threshold"),
    ("hold_s", "hold"),
    ("step_pct", "step"),
    ("hysteresis_c", "hysteresis"),
    ("recover_s", "recover"),
)


def current(page: MonitorPage) -> dict:
    return {
        "window_s": page.window_s,
        "guard": page.guard_box.isChecked(),
        "threshold_c": page.threshold.value(),
        "hold_s": page.hold.value(),
        "step_pct": page.step.value(),
        "hysteresis_c": page.hysteresis.value(),
        "recover_s": page.recover.value(),
        "csv": page.csv_box.isChecked(),
    }


def restore(page: MonitorPage) -> None:
    """Apply the stored preferences; a missing, foreign or out-of-range value is ignored."""
    prefs = settings.load(page.ctx.data_dir).get(SECTION)
    if not isinstance(prefs, dict):
        return
    index = page.window_box.findData(prefs.get("window_s"))
    if index >= 0:
        page.window_box.setCurrentIndex(index)
    for key, attr in GUARD_BOXES:
        box = getattr(page, attr)
        value = prefs.get(key)
        if isinstance(value, (int, float)) and box.minimum() <= value <= box.maximum():
            box.setValue(float(value))
    page.guard_box.setChecked(prefs.get("guard") is True)
    page.csv_box.setChecked(prefs.get("csv") is True)


def save(page: MonitorPage) -> bool:
    return settings.update(page.ctx.data_dir, SECTION, current(page))
