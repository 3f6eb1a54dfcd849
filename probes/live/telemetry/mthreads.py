"""Moore Threads telemetry: MTML (``pymtml`` from mthreads-ml-py), else ``mthreads-gmi``.

Order (MooreThreads/mthreads-ml-py README and mtml_2.2.0.h; MooreThreads/tutorial_on_musa
script/monitor/monitor_gpu.sh for ``mthreads-gmi -q``):

1. MTML through the official binding ``pymtml`` (``pip install mthreads-ml-py``), called natively:
   ``mtmlDeviceGetPowerUsage`` (mW), ``mtmlGpuGetUtilization``/``GetTemperature``/``GetClock`` in a
   ``mtmlGpuContext``, ``mtmlMemoryGetTotal``/``GetUsed`` (bytes) in a ``mtmlMemoryContext``,
   ``mtmlDeviceCountFan``/``GetFanSpeed``. Never the NVML shim (``import pymtml as pynvml``): it
   returns 0 for "not supported" (e.g. ``nvmlDeviceGetPowerManagementLimit``). An MTMLError of a field
   becomes None. A power or temperature of exactly 0 is also None: no powered card reads 0 W / 0 °C,
   and a 0 is what the shim-style "not supported" looks like.
2. ``mthreads-gmi --query --json`` (gmi 2.3+) or ``mthreads-gmi -q`` text per sample.
3. The summary table (temperature, %GPU, memory used(total); no power).

Power limits: MTML 2.2.0's public header has no power-limit getter or setter and no gmi option sets
one (research §1.3), so ``power()`` is ``supported=False``; a read-only "Current Power Limit" that
gmi's JSON shows (S5000) is reported as current/enforced.
"""

from __future__ import annotations

import logging
from typing import Any

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.core.model import Gpu, ProbeResult, normalize_bus_id
from probes.detect.parsers import mthreads_gmi as gmi
from probes.detect.sources.mthreads import JSON_SINCE, _version, find_tool
from probes.live.telemetry.base import LOST, OK, UNAVAILABLE, PowerConstraints, Sample, TelemetryBackend

log = logging.getLogger(__name__)

PRIORITY = 20
NOT_SUPPORTED = 4  # MTML_ERROR_NOT_SUPPORTED (pymtml.py error codes)
LOST_CODES = {1, 2}  # MTML_ERROR_DRIVER_NOT_LOADED, MTML_ERROR_DRIVER_FAILURE

NO_SETTER = Text(
    "telemetry",
    "Moore Threads cards cannot have their power limit changed: the MTML management library "
    "(2.2.0) has no public power-limit call and mthreads-gmi has no option for it. RigPilot only "
    "watches this card; the thermal guard will warn instead of lowering the limit.",
)


def _mt_gpus(result: ProbeResult) -> list[Gpu]:
    return [g for g in getattr(result, "gpus", []) if g.vendor == "mthreads" and g.index is not None]


def backends(host: Host, result: ProbeResult) -> list:
    gpus = _mt_gpus(result)
    if not gpus:
        return []
    mod = host.import_module("pymtml")
    if mod is not None:
        backend = MtmlBackend.open(mod, gpus)
        if backend is not None:
            return [backend]
    exe = find_tool(host)
    if exe:
        return [GmiBackend(host, exe, gpus)]
    return []


# ---- MTML --------------------------------------------------------------------------------------


def _call(fn, *args):
    """(value, error code); error code is None on success."""
    try:
        return fn(*args), None
    except Exception as exc:  # MTMLError or a ctypes failure: the field is unknown
        code = getattr(exc, "value", None)
        return None, code if isinstance(code, int) else -1


def _nonzero(value):
    if value is None:
        return None
    try:
        v = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return None if v == 0 else v


def _text(v: object) -> str:
    if isinstance(v, bytes):
        return v.decode("ascii", "replace").rstrip("\x00")
    return str(v or "")


class MtmlBackend(TelemetryBackend):
    name = "mtml"

    def __init__(self, mod: Any, handles: dict) -> None:  # mod: pymtml (or its simulation)
        self.mod = mod
        self.handles = handles  # probe gpu index -> MTML device handle

    @classmethod
    def open(cls, mod: Any, gpus: list[Gpu]) -> MtmlBackend | None:
        try:
            mod.mtmlLibraryInit()
            count = int(mod.mtmlLibraryCountDevice())
        except Exception as exc:
            log.info("MTML unavailable: %s", exc)
            return None
        by_bus = {g.key(): g.index for g in gpus if g.key()}
        by_vendor_index = {g.vendor_index: g.index for g in gpus if g.vendor_index is not None}
        handles = {}
        for i in range(count):
            dev, err = _call(mod.mtmlLibraryInitDeviceByIndex, i)
            if err is not None:
                continue
            pci, _ = _call(mod.mtmlDeviceGetPciInfo, dev)
            bus = normalize_bus_id(_text(getattr(pci, "busId", "")) or _text(getattr(pci, "sbdf", "")))
            gpu = by_bus.get(bus) if bus else None
            if gpu is None:
                gpu = by_vendor_index.get(i)
            if gpu is None and len(gpus) == 1 and count == 1:
                gpu = gpus[0].index
            if gpu is not None and gpu not in handles:
                handles[gpu] = dev
        if not handles:
            _call(mod.mtmlLibraryShutDown)
            return None
        return cls(mod, handles)

    def gpus(self) -> list[int]:
        return sorted(self.handles)

    def sample(self, now: float) -> list[Sample]:
        return [self._sample(now, g, dev) for g, dev in sorted(self.handles.items())]

    def _sample(self, now: float, gpu: int, dev: object) -> Sample:
        m = self.mod
        errors = []
        power, e = _call(m.mtmlDeviceGetPowerUsage, dev)
        errors.append(e)
        util = temp = clock = total = used = fan = None
        try:
            with m.mtmlGpuContext(dev) as g:
                util, e1 = _call(m.mtmlGpuGetUtilization, g)
                temp, e2 = _call(m.mtmlGpuGetTemperature, g)
                clock, e3 = _call(m.mtmlGpuGetClock, g)
                errors += [e1, e2, e3]
        except Exception as exc:
            errors.append(getattr(exc, "value", -1))
        try:
            with m.mtmlMemoryContext(dev) as mem:
                total, e1 = _call(m.mtmlMemoryGetTotal, mem)
                used, e2 = _call(m.mtmlMemoryGetUsed, mem)
                errors += [e1, e2]
        except Exception as exc:
            errors.append(getattr(exc, "value", -1))
        fans, e = _call(m.mtmlDeviceCountFan, dev)
        if e is None and fans:
            fan, _ = _call(m.mtmlDeviceGetFanSpeed, dev, 0)
        real_errors = [x for x in errors if x is not None and x != NOT_SUPPORTED]
        state = OK
        if real_errors and len(real_errors) == len(errors):
            state = LOST if any(x in LOST_CODES for x in real_errors) else UNAVAILABLE
        watts = _nonzero(power)
        return Sample(
            t=now,
            gpu=gpu,
            temperature_c=_nonzero(temp),
            memory_used_bytes=int(used) if used is not None else None,
            memory_total_bytes=int(total) if total else None,
            utilization_pct=float(util) if util is not None else None,
            power_draw_w=watts / 1000.0 if watts is not None else None,
            clock_mhz=_nonzero(clock),
            fan_pct=float(fan) if fan is not None else None,
            state=state,
            source=self.name,
        )

    def power(self, gpu: int) -> PowerConstraints:
        return PowerConstraints(gpu=gpu, supported=False, reason=NO_SETTER)

    def close(self) -> None:
        _call(self.mod.mtmlLibraryShutDown)


# ---- mthreads-gmi --------------------------------------------------------------------------------


class GmiBackend(TelemetryBackend):
    """One ``mthreads-gmi`` run per sample for all cards; the best mode that works is kept."""

    name = "mthreads-gmi"
    timeout_s = 3.0

    def __init__(self, host: Host, exe: str, gpus: list[Gpu]) -> None:
        self.host = host
        self.exe = exe
        self.gpus_: dict[int, Gpu] = {g.index: g for g in gpus}  # type: ignore[misc]  # indexed (_mt_gpus)
        versions = [_version(g.driver.tool_version) for g in gpus]
        modes = ["json"] if any(v is not None and v >= JSON_SINCE for v in versions) else []
        self.modes = modes + ["query", "table"]
        self.last_limit: dict[int, float] = {}

    def gpus(self) -> list[int]:
        return sorted(self.gpus_)

    def _read(self) -> gmi.GmiReport | None:
        for mode in list(self.modes):
            args, parser = {
                "json": (["--query", "--json"], gmi.parse_query_json),
                "query": (["-q"], gmi.parse_query_text),
                "table": ([], gmi.parse_table),
            }[mode]
            out = self.host.run([self.exe, *args], timeout_s=self.timeout_s)
            if out.error == "timeout":
                return None
            if out.ok and not gmi.error_line(out.stdout):
                try:
                    rep = parser(out.stdout)
                except ParseError:
                    rep = None
                if rep is not None and rep.gpus:
                    self.modes = self.modes[self.modes.index(mode) :]  # keep what works
                    return rep
        return None

    def sample(self, now: float) -> list[Sample]:
        rep = self._read()
        out = []
        for idx, g in sorted(self.gpus_.items()):
            row = _match(rep, g) if rep else None
            if row is None:
                out.append(Sample(t=now, gpu=idx, state=UNAVAILABLE, source=self.name))
                continue
            if row.power_limit_w:
                self.last_limit[idx] = row.power_limit_w
            out.append(
                Sample(
                    t=now,
                    gpu=idx,
                    temperature_c=row.temperature_c,
                    memory_used_bytes=row.memory_used_bytes,
                    memory_total_bytes=row.memory_total_bytes or g.memory_total_bytes,
                    utilization_pct=row.utilization_pct,
                    power_draw_w=row.power_draw_w,
                    power_limit_w=row.power_limit_w or None,
                    clock_mhz=row.clock_mhz,
                    state=OK,
                    source=self.name,
                )
            )
        return out

    def power(self, gpu: int) -> PowerConstraints:
        limit = self.last_limit.get(gpu)
        return PowerConstraints(gpu=gpu, supported=False, reason=NO_SETTER, current_w=limit, enforced_w=limit)


def _match(rep: gmi.GmiReport, g: Gpu) -> gmi.GmiGpu | None:
    key = g.key()
    for row in rep.gpus:
        if key and row.bus_id and normalize_bus_id(row.bus_id) == key:
            return row
    for row in rep.gpus:
        if row.bus_id is None and g.vendor_index is not None and row.index == g.vendor_index:
            return row
    return None
