"""Sampling, logging and the guard loop (Qt-free; the CLI and the GUI worker both use it).

* :class:`Sampler` polls the chosen backends (``registry.open_backends``) every 0.5–5 s
  (default 1 s) on an injected clock; slow fields (power constraints, VRAM total) are cached for
  ``slow_ttl_s``; it never raises — a failing backend yields ``state="unavailable"`` samples.
* :class:`SimClock` runs simulated time ``speed`` times faster than the wall clock.
* :class:`JsonLines` writes samples and guard events as JSON lines (the CSV log is
  probes/live/csv_log.py).
* :class:`GuardLoop` feeds samples to the thermal guard, performs its writes and appends its
  actions to the guard-event log (probes/live/guard_log.py).
"""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from probes.core.errors import RigPilotError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.live.telemetry.base import UNAVAILABLE, PowerConstraints, Sample

if TYPE_CHECKING:
    from probes.live.guard import GuardEvent, ThermalGuard
    from probes.live.guard_log import GuardLog

log = logging.getLogger(__name__)
CTX = "monitor"
MIN_INTERVAL_S, MAX_INTERVAL_S, DEFAULT_INTERVAL_S = 0.5, 5.0, 1.0


def check_interval(interval_s: float) -> float:
    try:
        value = float(interval_s)
    except (TypeError, ValueError):
        value = float("nan")
    if not (math.isfinite(value) and MIN_INTERVAL_S <= value <= MAX_INTERVAL_S):
        raise RigPilotError(
            "monitor-interval-out-of-range",
            Text(CTX, "The sampling interval {value} s is out of range.", value=interval_s),
            Text(CTX, "Choose an interval between 0.5 and 5 seconds (default 1)."),
        )
    return value


class SimClock:
    """Simulated wall time: starts at ``start`` (default now) and runs ``speed``× faster."""

    def __init__(
        self,
        speed: float = 1.0,
        start: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], object] = time.sleep,
    ) -> None:
        self.speed = self._checked(speed)
        self._mono = monotonic
        self._sleep = sleep
        self._m0 = monotonic()
        self._t0 = time.time() if start is None else float(start)

    @staticmethod
    def _checked(speed: float) -> float:
        if not (math.isfinite(speed) and 0 < speed <= 10000):
            raise RigPilotError(
                "monitor-speed-out-of-range",
                Text(CTX, "The speed factor {value} is out of range.", value=speed),
                Text(CTX, "Choose a factor between 0.1 and 10000."),
            )
        return float(speed)

    def __call__(self) -> float:
        return self._t0 + (self._mono() - self._m0) * self.speed

    def set_speed(self, speed: float) -> None:
        """Change the factor from now on; simulated time stays continuous (it never jumps back)."""
        speed = self._checked(speed)
        now_sim, now_mono = self(), self._mono()
        self._t0, self._m0, self.speed = now_sim, now_mono, speed

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self._sleep(seconds / self.speed)


class ManualClock:
    """A clock tests and benchmarks advance by hand: ``clock.sleep(s)`` just moves time on."""

    def __init__(self, start: float = 1_700_000_000.0) -> None:
        self.t = float(start)

    def __call__(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(0.0, seconds)


class Sampler:
    """Polls ``{gpu: backend}``; one :meth:`poll` gives one sample per GPU, sorted by index."""

    def __init__(
        self,
        backends: dict,
        *,
        interval_s: float = DEFAULT_INTERVAL_S,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], object] | None = None,
        slow_ttl_s: float = 5.0,
        gpus: list[int] | None = None,
    ) -> None:
        self.backends = dict(backends)
        if gpus is not None:
            self.backends = {g: b for g, b in self.backends.items() if g in set(gpus)}
        self.interval_s = check_interval(interval_s)
        self.clock = clock
        self.sleep = sleep or getattr(clock, "sleep", None) or time.sleep
        self.slow_ttl_s = slow_ttl_s
        self._slow: dict[int, tuple[float, PowerConstraints | None]] = {}
        self._memory_total: dict[int, int] = {}
        self._lock = threading.Lock()

    def gpus(self) -> list[int]:
        return sorted(self.backends)

    def constraints(
        self, gpu: int, now: float | None = None, *, fresh: bool = False
    ) -> PowerConstraints | None:
        """Cached power constraints (a slow field) of one GPU; None if the backend failed."""
        now = self.clock() if now is None else now
        with self._lock:
            cached = self._slow.get(gpu)
        if cached is not None and not fresh and now - cached[0] < self.slow_ttl_s:
            return cached[1]
        backend = self.backends.get(gpu)
        value = None
        if backend is not None:
            try:
                value = backend.power(gpu)
            except Exception:
                log.exception("power constraints of GPU %s failed", gpu)
        with self._lock:
            self._slow[gpu] = (now, value)
        return value

    def invalidate(self, gpu: int | None = None) -> None:
        with self._lock:
            if gpu is None:
                self._slow.clear()
            else:
                self._slow.pop(gpu, None)

    def poll(self, now: float | None = None) -> list[Sample]:
        now = self.clock() if now is None else now
        out: dict[int, Sample] = {}
        seen: set[int] = set()
        for backend in {id(b): b for b in self.backends.values()}.values():
            mine = [g for g, b in self.backends.items() if b is backend]
            try:
                samples = backend.sample(now) or []
            except Exception:
                log.exception("telemetry backend %s failed", getattr(backend, "name", backend))
                samples = [
                    Sample(t=now, gpu=g, state=UNAVAILABLE, source=getattr(backend, "name", None))
                    for g in mine
                ]
            for s in samples:
                if s.gpu in mine and s.gpu not in seen:
                    seen.add(s.gpu)
                    out[s.gpu] = self._fill(s, now)
        return [out[g] for g in sorted(out)]

    def _fill(self, s: Sample, now: float) -> Sample:
        changes: dict[str, Any] = {}  # Sample fields to replace
        if s.memory_total_bytes is not None:
            self._memory_total[s.gpu] = s.memory_total_bytes
        elif s.gpu in self._memory_total:
            changes["memory_total_bytes"] = self._memory_total[s.gpu]
        if s.power_limit_w is None:
            c = self.constraints(s.gpu, now)
            if c is not None and (c.enforced_w is not None or c.current_w is not None):
                changes["power_limit_w"] = c.enforced_w if c.enforced_w is not None else c.current_w
        return replace(s, **changes) if changes else s

    def run(
        self,
        on_samples: Callable[[list[Sample]], object],
        *,
        duration_s: float | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        """Poll every ``interval_s`` until ``duration_s`` of clock time passed or ``stop`` is set."""
        start = self.clock()
        next_t = start
        while not (stop is not None and stop.is_set()):
            now = self.clock()
            if duration_s is not None and now - start > duration_s + 1e-9:
                break
            on_samples(self.poll(now))
            next_t += self.interval_s
            if duration_s is not None and next_t - start > duration_s + 1e-9:
                break
            delay = next_t - self.clock()
            if delay < -self.interval_s:  # fell behind (suspend, slow tool): do not burst
                next_t = self.clock()
                delay = 0
            if delay > 0:
                if stop is not None and self.sleep is time.sleep:
                    stop.wait(delay)
                else:
                    self.sleep(delay)

    def close(self) -> None:
        for backend in {id(b): b for b in self.backends.values()}.values():
            try:
                backend.close()
            except Exception:
                log.exception("closing backend failed")


# ---- logs ------------------------------------------------------------------------------------
class JsonLines:
    """One JSON object per line: ``{"type": "sample", ...}`` and ``{"type": "guard", ...}``."""

    def __init__(self, stream):
        self.stream = stream

    def sample(self, s: Sample) -> None:
        self._write({"type": "sample", **s.to_json()})

    def event(self, e: GuardEvent) -> None:
        self._write(e.to_json())

    def _write(self, obj: dict) -> None:
        self.stream.write(json.dumps(obj, ensure_ascii=False) + "\n")
        self.stream.flush()


# ---- the guard loop --------------------------------------------------------------------------
class GuardLoop:
    """Feeds samples to a ThermalGuard and writes the limits it asks for (never raises)."""

    def __init__(
        self,
        guard: ThermalGuard,
        sampler: Sampler,
        *,
        host: Host,
        bus_ids: dict | None = None,
        writer: Callable | None = None,
        log: GuardLog | None = None,
    ) -> None:
        self.guard = guard
        self.sampler = sampler
        self.host = host
        self.bus_ids = dict(bus_ids or {})
        self.log = log  # a probes.live.guard_log.GuardLog: every event is appended there
        self.writer = (
            writer  # fn(backend, gpu, watts, host=, bus_id=) -> None; default probes.live.power.write
        )
        for gpu in sampler.gpus():
            c = sampler.constraints(gpu, fresh=True)
            if c is not None:
                guard.configure(gpu, c)

    def _write(self, gpu: int, watts: float | None) -> None:
        from probes.live import power

        backend = self.sampler.backends[gpu]
        (self.writer or power.write)(backend, gpu, watts, host=self.host, bus_id=self.bus_ids.get(gpu))
        self.sampler.invalidate(gpu)

    def feed(self, samples: Iterable[Sample]) -> list:
        events = []
        for s in samples:
            for e in self.guard.update(s):
                events.append(e)
                if e.to_w is not None:
                    try:
                        self._write(s.gpu, e.to_w)
                    except Exception as exc:
                        events.append(self.guard.write_failed(s.gpu, s.t, exc))
        return self._logged(events)

    def release(self, t: float) -> list:
        events = []
        for e in self.guard.release(t):
            events.append(e)
            try:
                self._write(e.gpu, e.to_w)
            except Exception as exc:
                events.append(self.guard.write_failed(e.gpu, t, exc))
        return self._logged(events)

    def _logged(self, events: list) -> list:
        if self.log is not None and events:
            self.log.append(events)
        return events
