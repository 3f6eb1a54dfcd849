"""The Monitor page, in small modules: ``page`` (:class:`MonitorPage`: controls, lifecycle, logs),
``panel`` (one GPU's tiles, power slider and plots), ``worker`` (the sampler thread),
``power_confirm`` (the keep-or-revert countdown), ``notify`` (tray messages), ``preferences``
(remembered settings) and ``common`` (plots, windows, translation context).

The decisions live in the core (probes/live): sampling and the guard loop, the guard-event and CSV
logs, keep-or-revert of a power limit; ``monitor`` and ``power`` on the command line use the same.
"""

from app.gui.pages.monitor.common import PLOTS, SERIES_LABELS, STEP
from app.gui.pages.monitor.page import MonitorPage
from app.gui.pages.monitor.panel import GpuPanel
from app.gui.pages.monitor.worker import SamplerWorker

__all__ = ["PLOTS", "SERIES_LABELS", "STEP", "GpuPanel", "MonitorPage", "SamplerWorker"]
