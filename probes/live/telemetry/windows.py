"""Windows performance counters for GPUs that have no vendor telemetry (Moore Threads on Windows,
AMD/Intel without their tools): dedicated VRAM in use and 3D-engine utilisation.

By hand (PowerShell)::

    Get-Counter '\\GPU Adapter Memory(*)\\Dedicated Usage','\\GPU Engine(*engtype_3D)\\Utilization Percentage'

One ``powershell`` run per sample (``COUNTER_SCRIPT``); parser: ``probes.detect.parsers.windows_counters``.
The counters name adapters by LUID (``luid_0x..._0x..._phys_0``), which CIM and the registry do
not know. Without DXGI we can only say which LUID is which card when it is unambiguous: one
served card and one hardware adapter (dedicated usage > 0; the Basic Render Driver has none).
Otherwise the sample is ``unavailable`` (never a guess). Temperature, power, clocks and fan are
not in these counters: they stay None. ``memory_total_bytes`` is the probe's registry value.
"""

from __future__ import annotations

import logging

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.model import ProbeResult
from probes.detect.parsers.windows_counters import parse_counters
from probes.live.telemetry.base import OK, UNAVAILABLE, Sample, TelemetryBackend

log = logging.getLogger(__name__)

PRIORITY = 80  # vendor backends (NVML, MTML, amdgpu, ...) come first
COUNTER_SCRIPT = (
    "$ErrorActionPreference='SilentlyContinue';"
    "[Console]::OutputEncoding=[Text.Encoding]::UTF8;"
    "$s=(Get-Counter -Counter '\\GPU Adapter Memory(*)\\Dedicated Usage',"
    "'\\GPU Engine(*engtype_3D)\\Utilization Percentage').CounterSamples;"
    "ConvertTo-Json -Compress -InputObject @($s | Select-Object Path,InstanceName,CookedValue)"
)
SAMPLE_TIMEOUT_S = 6.0  # Get-Counter itself waits ~1 s for the rate counters


class WindowsCounterBackend(TelemetryBackend):
    name = "windows-counters"

    def __init__(self, host: Host, exe: str, gpus: dict) -> None:
        self.host = host
        self.exe = exe
        self._gpus = dict(gpus)  # probe index -> memory_total_bytes
        self._luid: dict = {}  # probe index -> luid instance, once known

    def gpus(self) -> list[int]:
        return sorted(self._gpus)

    def _assign(self, counters: dict) -> None:
        if self._luid or len(self._gpus) != 1:
            return
        hardware = [luid for luid, v in counters.items() if v["dedicated_bytes"]]
        if len(hardware) == 1:
            self._luid[next(iter(self._gpus))] = hardware[0]

    def sample(self, now: float) -> list[Sample]:
        try:
            res = self.host.run(
                [self.exe, "-NoProfile", "-NonInteractive", "-Command", COUNTER_SCRIPT],
                timeout_s=SAMPLE_TIMEOUT_S,
            )
            counters = parse_counters(res.stdout) if res.ok else {}
        except ParseError:
            counters = {}
        except Exception:  # a backend must never raise from sample()
            log.exception("windows counters failed")
            counters = {}
        self._assign(counters)
        out = []
        for gpu, total in sorted(self._gpus.items()):
            luid = self._luid.get(gpu)
            data = counters.get(luid) if luid else None
            if data is None:
                out.append(
                    Sample(t=now, gpu=gpu, memory_total_bytes=total, state=UNAVAILABLE, source=self.name)
                )
                continue
            out.append(
                Sample(
                    t=now,
                    gpu=gpu,
                    memory_used_bytes=data["dedicated_bytes"],
                    memory_total_bytes=total,
                    utilization_pct=data["util_3d_pct"],
                    state=OK,
                    source=self.name,
                )
            )
        return out


def backends(host: Host, result: ProbeResult) -> list:
    """One backend for the Windows GPUs with a vendor driver but no vendor telemetry. NVIDIA is
    left to NVML (nvml.dll ships with the Windows driver), so the LUID rule sees only the others."""
    if getattr(host, "platform", None) != "windows":
        return []
    gpus = {
        g.index: g.memory_total_bytes
        for g in result.gpus
        if g.index is not None
        and g.driver.loaded is not False
        and g.vendor not in (None, "nvidia")
        and "windows-cim" in (g.sources or [])
    }
    if not gpus:
        return []
    exe = host.which("powershell") or host.which("pwsh")
    if exe is None:
        return []
    return [WindowsCounterBackend(host, exe, gpus)]
