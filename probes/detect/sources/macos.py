"""macOS GPUs: ``system_profiler SPDisplaysDataType -json`` (+ ``sysctl -n hw.memsize``).

Apple silicon GPUs share the system memory: ``memory_total_bytes`` stays None (there is no
dedicated VRAM) and ``extra["system_memory_bytes"]`` holds the unified RAM size. Compute API:
Apple GPU -> mps; AMD GPUs on Intel Macs -> mps too (PyTorch's MPS backend docs: "Mac computers
with Apple silicon or AMD GPUs"; note the last x86_64 macOS torch wheels are 2.2.x); Intel iGPUs
and NVIDIA (no macOS driver after High Sierra) -> none.
"""

from __future__ import annotations

from probes.core import values
from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.model import Compute, Driver, Gpu, Pci, SourceResult
from probes.core.problems import problem, tool_problem
from probes.detect.parsers.macos_sp import parse_sp_displays
from probes.detect.sources import ProbeContext, Source

SP_ARGV = ("SPDisplaysDataType", "-json")
SP_TIMEOUT_S = 6.0  # system_profiler takes 0.5-3 s


def mac_compute(gpu: dict) -> str:
    if gpu["vendor"] == "apple":
        return "mps"
    if gpu["vendor"] == "amd" and gpu["metal"]:
        return "mps"
    return "none"


class MacDisplaysSource(Source):
    name = "macos-system-profiler"
    priority = 60
    platforms = ("darwin",)
    timeout_s = SP_TIMEOUT_S + 3.0  # + sysctl (2 s) + margin

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        out = SourceResult()
        exe = host.which("system_profiler", ("/usr/sbin",))
        if exe is None:
            return out
        res = host.run([exe, *SP_ARGV], timeout_s=SP_TIMEOUT_S)
        bad = tool_problem(res, "system_profiler", source=self.name)
        if bad is not None or not res.ran:
            if bad is not None:
                out.problems.append(bad)
            return out
        try:
            gpus = parse_sp_displays(res.stdout)
        except ParseError as exc:
            out.problems.append(
                problem("smi-output-unparsed", source=self.name, tool="system_profiler", detail=exc.detail)
            )
            return out
        ram = None
        if any(g["unified_memory"] for g in gpus):
            sysctl = host.which("sysctl", ("/usr/sbin",))
            if sysctl:
                r = host.run([sysctl, "-n", "hw.memsize"], timeout_s=2)
                if r.ok:
                    ram = values.ascii_int(r.stdout, (1, values.MEMORY_BYTES[1]))
        for i, g in enumerate(gpus):
            extra = {k: g[k] for k in ("cores", "metal") if g[k] is not None}
            if g["unified_memory"]:
                extra["unified_memory"] = True
                if ram:
                    extra["system_memory_bytes"] = ram
            if g["vram_shared_bytes"]:
                extra["vram_shared_bytes"] = g["vram_shared_bytes"]
            out.gpus.append(
                Gpu(
                    vendor=g["vendor"],
                    name=g["name"],
                    pci=Pci(vendor_id=g["vendor_id"], device_id=g["device_id"]),
                    driver=Driver(loaded=True),
                    memory_total_bytes=g["vram_bytes"],
                    compute=Compute(api=mac_compute(g)),
                    vendor_index=i,
                    extra=extra,
                )
            )
        return out


SOURCES = [MacDisplaysSource()]
