"""The sampler worker: a parentless QObject moved to its own QThread (docs/ARCHITECTURE.md, GUI
conventions). It polls the backends on a QTimer in that thread, runs the guard loop (which writes
the limits and appends to the guard-event log), writes the CSV log, and sends immutable
``Sample``/``GuardEvent`` tuples to the page through signals."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, Signal, Slot

from app.gui.pages.monitor.common import MIN_SIM_TIMER_MS
from probes.core.errors import RigPilotError
from probes.live.csv_log import CsvLog
from probes.live.guard import ThermalGuard
from probes.live.guard_log import GuardLog
from probes.live.monitor import GuardLoop, Sampler, SimClock


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
