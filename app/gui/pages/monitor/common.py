"""What the Monitor page's modules share: the translation context, the plots and their series,
the time windows and simulation speeds on offer."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

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
