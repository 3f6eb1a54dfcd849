"""Intel GPUs on Linux: i915 / xe sysfs, then ``xpu-smi discovery`` when installed.

Architecture from the PCI device id: the Invoke launcher's XPU detector (invoke-ai/launcher
src/main/gpu-detection.ts) keys Arc A-series on the device id prefix 0x56 (DG2, Xe-HPG: A770 is
8086:56a0), Arc B-series on 0xe2 (Battlemage, Xe2-HPG) and Data Center GPU Max on 0x0bd
(Ponte Vecchio, Xe-HPC). Anything else (UHD/Iris iGPUs) gets no arch: we do not guess.
Compute api is ``xpu`` (torch.xpu).
"""

from __future__ import annotations

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.model import Compute, Driver, Gpu, Pci, SourceResult
from probes.core.problems import run_parsed
from probes.detect.parsers import xpu_smi
from probes.detect.sources import ProbeContext, Source
from probes.detect.sources.amd import driver_module, drm_cards, pci_dir, read_pci_ids, vendor_on_pci_bus

INTEL_VENDOR = "8086"
TOOL_TIMEOUT_S = 4.0
DETAIL_BUDGET_S = 3.0  # per-device "discovery -d N" calls (xpu-smi takes ~1 s each) stop after this


def intel_arch(device_id: str | None) -> str | None:
    d = (device_id or "").lower()
    if len(d) != 4:
        return None
    if d.startswith("56"):
        return "xe-hpg"
    if d.startswith("e2"):
        return "xe2-hpg"
    if d.startswith("0bd"):
        return "xe-hpc"
    return None


class IntelSysfsSource(Source):
    name = "intel-sysfs"
    priority = 15
    platforms = ("linux",)
    timeout_s = 3.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        for card, bus in drm_cards(host, INTEL_VENDOR):
            pci = read_pci_ids(host, bus)
            module = driver_module(host, bus)
            version = None
            if module:
                version = (host.read_text(f"/sys/module/{module}/version") or "").strip() or None
            res.gpus.append(
                Gpu(
                    vendor="intel",
                    pci=pci,
                    driver=Driver(version=version, loaded=True if module else None, module=module),
                    compute=Compute(api="xpu", arch=intel_arch(pci.device_id)),
                    extra={"drm_card": card},
                )
            )
        return res


class XpuSmiSource(Source):
    name = "xpu-smi"
    priority = 20
    platforms = ("linux", "windows")
    timeout_s = TOOL_TIMEOUT_S * 2 + 1.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        exe = host.which("xpu-smi")
        if not exe or (host.platform == "linux" and not vendor_on_pci_bus(host, INTEL_VENDOR)):
            return res
        devices = run_parsed(
            host,
            [exe, "discovery"],
            "xpu-smi",
            xpu_smi.parse_discovery,
            res.problems,
            source=self.name,
            timeout_s=TOOL_TIMEOUT_S,
        )
        if devices is None:
            return res
        started = host.monotonic()
        for d in devices:
            memory = d["memory_total_bytes"]
            if memory is None and host.monotonic() - started < DETAIL_BUDGET_S:
                memory = self._memory(host, exe, d["index"])
            res.gpus.append(
                Gpu(
                    vendor="intel",
                    name=d["name"],
                    pci=Pci(vendor_id=INTEL_VENDOR, device_id=d["device_id"], bus_id=d["bus_id"]),
                    driver=Driver(tool="xpu-smi"),
                    compute=Compute(api="xpu", arch=intel_arch(d["device_id"])),
                    memory_total_bytes=memory,
                    vendor_index=d["index"],
                    uuid=d["uuid"],
                    extra={"level_zero_driver": d["driver_version"]} if d["driver_version"] else {},
                )
            )
        return res

    @staticmethod
    def _memory(host: Host, exe: str, index: int) -> int | None:
        """``Memory Physical Size`` from ``xpu-smi discovery -d N`` (None when absent or 0)."""
        run = host.run([exe, "discovery", "-d", str(index)], timeout_s=TOOL_TIMEOUT_S)
        if not run.ok:
            return None
        try:
            rows = xpu_smi.parse_discovery(run.stdout)
        except ParseError:
            return None
        return rows[0]["memory_total_bytes"] if len(rows) == 1 else None


SOURCES = [IntelSysfsSource(), XpuSmiSource()]

__all__ = ["SOURCES", "intel_arch", "pci_dir"]
