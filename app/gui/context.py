"""AppContext: the state every page shares, and the way pages run work off the GUI thread."""

from __future__ import annotations

import traceback
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from probes.core.paths import default_data_dir


class _JobSignals(QObject):
    done = Signal(object)
    failed = Signal(object)  # the exception instance (RigPilotError or other)
    progress = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn, signals: _JobSignals):
        super().__init__()
        self.fn = fn
        self.signals = signals
        self.setAutoDelete(True)

    @Slot()
    def run(self) -> None:
        try:
            value = self.fn(self.signals.progress.emit)
        except BaseException as exc:  # delivered to the GUI thread, shown with code + hint
            exc.__rigpilot_tb__ = traceback.format_exc()
            self.signals.failed.emit(exc)
        else:
            self.signals.done.emit(value)


class AppContext(QObject):
    """Shared state. ``host`` is the real machine or the simulated rig's replay host."""

    probe_changed = Signal(object)  # ProbeResult
    language_changed = Signal(str)  # "en" / "zh_CN"
    status_message = Signal(str)
    match_changed = Signal(object)  # MatchResult: the profile the Match page chose, or None
    installed = Signal(object)  # dict: the install the Install page just made (installers.records form)
    installs_changed = Signal()  # installs.json changed (an install, a repair, a rollback)

    def __init__(self, host=None, simulate: str | None = None, data_dir: Path | None = None, parent=None):
        super().__init__(parent)
        from probes.core.host import Host
        from probes.core.replay import simulated_host

        self.simulate = simulate
        self.host = host or (simulated_host(simulate) if simulate else Host())
        self.probe_result = None
        self.match_result = None
        self.data_dir = Path(data_dir) if data_dir else default_data_dir()
        self.pool = QThreadPool(self)
        self._signals: set = set()

    def set_probe_result(self, result) -> None:
        self.probe_result = result
        self.match_result = None  # the Match page matches the new result again
        self.probe_changed.emit(result)

    def set_match_result(self, result) -> None:
        """The Match page's choice (profile, GPU), which the Install page plans with."""
        self.match_result = result
        self.match_changed.emit(result)

    def run_in_worker(self, fn, on_done=None, on_error=None, on_progress=None) -> _JobSignals:
        """Run ``fn(progress)`` on the pool; callbacks arrive on the GUI thread as values."""
        signals = _JobSignals()
        self._signals.add(signals)

        def finish(*_):
            self._signals.discard(signals)

        if on_done:
            signals.done.connect(on_done)
        if on_error:
            signals.failed.connect(on_error)
        if on_progress:
            signals.progress.connect(on_progress)
        signals.done.connect(finish)
        signals.failed.connect(finish)
        self.pool.start(_Job(fn, signals))
        return signals

    def wait_for_workers(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)
