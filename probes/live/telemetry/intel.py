"""Intel telemetry: i915/xe hwmon, then ``xpu-smi dump`` when installed.

hwmon (kernel Documentation/ABI/testing/sysfs-driver-intel-i915-hwmon and -xe-hwmon):
``energy1_input`` is a cumulative energy counter in microjoules, so power is the difference
between two samples divided by the elapsed time (the first sample has no power); ``power1_max``
is the sustained power limit (PL1) in microwatts; ``temp*_input`` (m°C) exists on xe for some
products. Runtime-suspended devices are left asleep, as for AMD.

``xpu-smi dump -d N -m 0,1,2,3,18 -n 1`` (intel/xpumanager smi guide) gives utilisation, power,
frequency, core temperature and memory used (MiB) per device id.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.model import ProbeResult
from probes.detect.parsers import amdgpu_sysfs as sysfs
from probes.detect.parsers import xpu_smi
from probes.live.telemetry.amd import find_hwmon, runtime_suspended
from probes.live.telemetry.base import ASLEEP, LOST, OK, UNAVAILABLE, Sample, TelemetryBackend

log = logging.getLogger(__name__)

PRIORITY = 20
TOOL_TIMEOUT_S = 3.0


def _pci(bus: str) -> str:
    return f"/sys/bus/pci/devices/{bus}"


class IntelHwmonBackend(TelemetryBackend):
    name = "intel-hwmon"

    def __init__(self, host: Host, cards: dict[int, str], clock: Callable[[], float] | None = None) -> None:
        self.host = host
        self.cards = dict(cards)
        self.clock = clock or host.monotonic
        self._last: dict[int, tuple[float, int]] = {}

    def gpus(self) -> list[int]:
        return sorted(self.cards)

    def sample(self, now: float) -> list[Sample]:
        out = []
        for gpu in self.gpus():
            try:
                out.append(self._one(gpu, now))
            except Exception:
                log.exception("intel hwmon sample failed")
                out.append(Sample(t=now, gpu=gpu, state=UNAVAILABLE, source=self.name))
        return out

    def _one(self, gpu: int, now: float) -> Sample:
        bus = self.cards[gpu]
        if runtime_suspended(self.host, bus):
            self._last.pop(gpu, None)
            return Sample(t=now, gpu=gpu, state=ASLEEP, source=self.name)
        if not self.host.exists(f"{_pci(bus)}/vendor"):
            return Sample(t=now, gpu=gpu, state=LOST, source=self.name)
        hw = find_hwmon(self.host, bus)
        if hw is None:
            return Sample(t=now, gpu=gpu, state=OK, source=self.name)
        t = float(self.clock())
        energy = sysfs.parse_int(self.host.read_text(f"{hw}/energy1_input"))
        power = None
        if energy is not None and energy >= 0:
            prev = self._last.get(gpu)
            if prev is not None and t > prev[0] and energy >= prev[1]:
                power = round((energy - prev[1]) / 1e6 / (t - prev[0]), 3)
            self._last[gpu] = (t, energy)
        temps = {}
        for name in self.host.listdir(hw):
            m = re.fullmatch(r"(temp\d+)_input", name)
            if m:
                temps[m.group(1)] = (
                    self.host.read_text(f"{hw}/{m.group(1)}_label"),
                    self.host.read_text(f"{hw}/{name}"),
                )
        labelled = sysfs.label_temps(temps)
        temp = labelled.get("pkg", next(iter(labelled.values()), None)) if labelled else None
        return Sample(
            t=now,
            gpu=gpu,
            temperature_c=temp,
            power_draw_w=power,
            power_limit_w=sysfs.microwatts(self.host.read_text(f"{hw}/power1_max")),
            state=OK,
            source=self.name,
        )


class XpuSmiBackend(TelemetryBackend):
    name = "xpu-smi"

    def __init__(self, host: Host, exe: str, index_map: dict[int, int]) -> None:
        self.host, self.exe, self.index_map = host, exe, dict(index_map)

    def gpus(self) -> list[int]:
        return sorted(self.index_map)

    def sample(self, now: float) -> list[Sample]:
        out = []
        for gpu, dev in sorted(self.index_map.items()):
            rec = None
            try:
                run = self.host.run(
                    [self.exe, "dump", "-d", str(dev), "-m", "0,1,2,3,18", "-n", "1"],
                    timeout_s=TOOL_TIMEOUT_S,
                )
                if run.ok:
                    rows = [r for r in xpu_smi.parse_dump(run.stdout) if r["index"] == dev]
                    rec = rows[-1] if rows else None
            except ParseError:
                rec = None
            except Exception:  # never raise from sample()
                log.exception("xpu-smi sample failed")
            if rec is None:
                out.append(Sample(t=now, gpu=gpu, state=UNAVAILABLE, source=self.name))
                continue
            mib = rec.get("memory_used_mib")
            out.append(
                Sample(
                    t=now,
                    gpu=gpu,
                    temperature_c=rec.get("temperature_c"),
                    utilization_pct=rec.get("utilization_pct"),
                    power_draw_w=rec.get("power_draw_w"),
                    clock_mhz=rec.get("clock_mhz"),
                    memory_used_bytes=int(mib * 1024 * 1024) if mib is not None else None,
                    state=OK,
                    source=self.name,
                )
            )
        return out


def backends(host: Host, result: ProbeResult) -> list[TelemetryBackend]:
    if host.platform != "linux":
        return []
    gpus = [g for g in getattr(result, "gpus", []) if g.vendor == "intel" and g.index is not None]
    out: list[TelemetryBackend] = []
    exe = host.which("xpu-smi")
    if exe:
        mapping = {g.index: g.vendor_index for g in gpus if g.vendor_index is not None}
        if mapping:
            out.append(XpuSmiBackend(host, exe, mapping))
    cards = {g.index: g.key() for g in gpus if g.key() and find_hwmon(host, g.key())}
    if cards:
        out.append(IntelHwmonBackend(host, cards))
    return out
