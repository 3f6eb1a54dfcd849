"""Moore Threads (MTT S80/S3000/S4000/S5000) on Linux: mthreads-gmi, the mtgpu module, MUSA.

By hand::

    mthreads-gmi                      # summary table: gmi version, driver version, name, bus, memory
    mthreads-gmi --query --json       # gmi 2.3+ (server drivers): uuid, device id, power readings
    mthreads-gmi -q                   # older tools: the same keys as text
    cat /sys/module/mtgpu/version     # kernel driver version (missing on some older drivers)
    cat /usr/local/musa/version.json  # MUSA toolkit ("musa_toolkits".version); or musa_version_query

The tool is looked up as ``mthreads-gmi`` then ``mthreads-smi`` (M1000 name; ollama-musa's installer
checks both), on PATH, /usr/bin and /usr/local/musa/bin. The arch comes from the PCI device id
(probes.detect.pci_ids). Errors of the tool arrive on stdout with odd exit codes (research §1.3); every
run has a timeout and the source keeps its own budget so a hanging tool cannot outlive it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from packaging.version import InvalidVersion, Version

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.model import Compute, Driver, Gpu, Pci, SourceResult, normalize_bus_id
from probes.core.problems import define, problem, tool_problem
from probes.detect import pci_ids
from probes.detect.parsers import mthreads_gmi as gmi
from probes.detect.sources import ProbeContext, Source
from probes.detect.sources.pci import read_sysfs

log = logging.getLogger(__name__)

TOOL_NAMES = ("mthreads-gmi", "mthreads-smi")
TOOL_DIRS = ("/usr/bin", "/usr/local/musa/bin", "/usr/local/bin")
MUSA_HOME = "/usr/local/musa"
DRIVER_VERSION_FILE = "/sys/module/mtgpu/version"
JSON_SINCE = Version("2.3")  # --json seen from gmi 2.3.x (S5000, driver 3.3.5-server; research F6/F9)

define(
    "mthreads-memory-over-total",
    "warning",
    "{name} reports {used} MiB of video memory used out of {total} MiB.",
    "Used memory above the total is what Moore Threads' FAQ shows when IOMMU is off or "
    "misconfigured: enable IOMMU in the BIOS and add intel_iommu=on or amd_iommu=on to the kernel "
    "command line, then reboot.",
)


def find_tool(host: Host) -> str | None:
    for name in TOOL_NAMES:
        path = host.which(name, TOOL_DIRS)
        if path:
            return path
    return None


def _tool_name(path: str) -> str:
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    return base[:-4] if base.lower().endswith(".exe") else base


def _version(text: str | None) -> Version | None:
    if not text:
        return None
    try:
        return Version(text.split("-")[0])
    except InvalidVersion:
        return None


def read_toolkit(host: Host, budget_s: float = 1.5) -> tuple[str | None, list[str]]:
    """(MUSA toolkit version, build archs) from version.json, else musa_version_query."""
    text = host.read_text(f"{MUSA_HOME}/version.json")
    if text is None and budget_s > 0.2:
        exe = host.which("musa_version_query", (f"{MUSA_HOME}/bin",))
        if exe:
            out = host.run([exe], timeout_s=budget_s)
            text = out.stdout if out.ran else None
    if not text:
        return None, []
    try:
        comps = gmi.parse_musa_components(text)
    except ParseError:
        return None, []
    return gmi.musa_toolkit_version(comps), gmi.build_archs(comps)


class MthreadsSource(Source):
    name = "mthreads"
    priority = 20
    platforms = ("linux",)
    timeout_s = 6.0
    table_timeout_s = 3.0
    query_timeout_s = 2.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        start = time.monotonic()

        def left() -> float:
            return self.timeout_s - 0.5 - (time.monotonic() - start)

        # PCI functions of vendor 1ed5: bus id -> device id (arch), even without the tool
        pci = {f.bus_id: f for f in (read_sysfs(host) or []) if f.vendor_id == "1ed5"}
        sys_version = (host.read_text(DRIVER_VERSION_FILE) or "").strip() or None
        exe = find_tool(host)
        report: gmi.GmiReport | None = None
        tool = tool_version = None
        if exe:
            tool = _tool_name(exe)
            report = self._run_tool(host, exe, tool, res, left)
            tool_version = report.gmi_version if report else None
        driver_version = report.driver_version if report else None
        toolkit, archs = read_toolkit(host, min(1.5, left()))

        frags: dict[str, Gpu] = {}
        for g in report.gpus if report else []:
            bus = normalize_bus_id(g.bus_id)
            f = pci.get(bus) if bus else None
            device_id = g.device_id or (f.device_id if f else None)
            arch = pci_ids.mthreads_arch(device_id)
            extra = {
                k: v
                for k, v in {
                    "mtbios_version": g.mtbios_version,
                    "device_type": g.device_type,
                    "pcie_link_width": g.link_width,
                    "pcie_link_width_max": g.link_width_max,
                    "power_limit_w": g.power_limit_w,
                }.items()
                if v is not None
            }
            frag = Gpu(
                vendor="mthreads",
                name=g.name,
                pci=Pci(vendor_id="1ed5", device_id=device_id, bus_id=bus),
                driver=Driver(
                    version=driver_version or sys_version,
                    loaded=True,
                    tool=tool,
                    tool_version=tool_version,
                ),
                memory_total_bytes=g.memory_total_bytes,
                compute=Compute(api="musa", arch=arch),
                vendor_index=g.index,
                uuid=g.uuid,
                extra=extra,
            )
            key = bus or f"index-{g.index}"
            if key in frags:
                continue
            frags[key] = frag
            if (
                g.memory_used_bytes is not None
                and g.memory_total_bytes
                and g.memory_used_bytes > g.memory_total_bytes
            ):
                p = problem(
                    "mthreads-memory-over-total",
                    source=self.name,
                    name=g.name or "GPU",
                    used=g.memory_used_bytes // gmi.MIB,
                    total=g.memory_total_bytes // gmi.MIB,
                )
                p.bus_id = bus
                res.problems.append(p)
        # cards the tool did not list (no tool, tool failed): what the module and toolkit tell
        for bus, f in pci.items():
            if bus in frags or not (sys_version or toolkit or tool):
                continue
            arch = pci_ids.mthreads_arch(f.device_id)
            frags[bus] = Gpu(
                vendor="mthreads",
                pci=Pci(vendor_id="1ed5", device_id=f.device_id, bus_id=bus),
                driver=Driver(version=sys_version, tool=tool, tool_version=tool_version),
                compute=Compute(api="musa" if arch else None, arch=arch),
            )
        for frag in frags.values():
            if toolkit:
                frag.extra["musa_toolkit"] = toolkit
            if archs:
                frag.extra["musa_build_archs"] = archs
            if sys_version:
                frag.extra["mtgpu_module_version"] = sys_version
        res.gpus = list(frags.values())
        return res

    # ---- the tool --------------------------------------------------------------------------
    def _run_tool(
        self, host: Host, exe: str, tool: str, res: SourceResult, left: Callable[[], float]
    ) -> gmi.GmiReport | None:
        out = host.run([exe], timeout_s=max(0.5, min(self.table_timeout_s, left())))
        if out.error == "not-found":
            return None
        if out.error == "timeout":
            res.problems.append(tool_problem(out, tool, source=self.name))
            return None  # a hung tool will hang again: ask nothing more of it
        table: gmi.GmiReport | None = None
        failure = self._failure(out, tool)
        if failure is None:
            try:
                table = gmi.parse_table(out.stdout)
            except ParseError as err:
                failure = problem("smi-output-unparsed", source=self.name, tool=tool, detail=err.detail)
        query = None
        if left() > 0.7:
            query = self._query(host, exe, tool, table, left)
        if table is None and query is None:
            if failure is not None:
                res.problems.append(failure)
            return None
        return _combine(table, query)

    def _failure(self, out, tool):
        err = gmi.error_line(out.stdout)
        if out.ok and err is None:
            return None
        p = tool_problem(out, tool, source=self.name)
        if p is None:  # exit code 0 with "Error: ..." on stdout
            p = problem(
                "smi-tool-failed",
                source=self.name,
                tool=tool,
                rc=out.rc,
                detail=err or "-",
                command=" ".join(out.argv),
            )
        return p

    def _query(
        self, host: Host, exe: str, tool: str, table: gmi.GmiReport | None, left: Callable[[], float]
    ) -> gmi.GmiReport | None:
        """--json (gmi 2.3+) or -q text; None when the tool cannot answer it."""
        attempts = []
        v = _version(table.gmi_version) if table else None
        if v is not None and v >= JSON_SINCE:
            attempts.append((["--query", "--json"], gmi.parse_query_json))
        attempts.append((["-q"], gmi.parse_query_text))
        for args, parser in attempts:
            if left() < 0.7:
                break
            out = host.run([exe, *args], timeout_s=max(0.5, min(self.query_timeout_s, left())))
            if out.error == "timeout":
                return None
            if not out.ok or gmi.error_line(out.stdout):
                continue
            try:
                rep = parser(out.stdout)
            except ParseError as err:
                log.debug("%s %s unparsed: %s", tool, " ".join(args), err.detail)
                continue
            if rep.gpus:
                return rep
        return None


def _combine(table: gmi.GmiReport | None, query: gmi.GmiReport | None) -> gmi.GmiReport | None:
    """Fields from -q/--json win; the table fills the rest (and gives the gmi version)."""
    if query is None:
        return table
    if table is None:
        return query
    out = gmi.GmiReport(
        gmi_version=table.gmi_version,
        driver_version=query.driver_version or table.driver_version,
        layout=query.layout,
    )
    by_bus = {normalize_bus_id(g.bus_id): g for g in table.gpus if g.bus_id}
    by_index = {g.index: g for g in table.gpus}
    used = set()
    for q in query.gpus:
        t = by_bus.get(normalize_bus_id(q.bus_id)) if q.bus_id else by_index.get(q.index)
        if t is None:
            out.gpus.append(q)
            continue
        used.add(id(t))
        merged = gmi.GmiGpu(
            **{
                k: (getattr(q, k) if getattr(q, k) is not None else getattr(t, k))
                for k in q.__dataclass_fields__
            }
        )
        out.gpus.append(merged)
    out.gpus.extend(t for t in table.gpus if id(t) not in used)
    return out


SOURCES = [MthreadsSource()]
