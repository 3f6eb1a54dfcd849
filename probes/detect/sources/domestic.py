"""Other Chinese GPUs with an smi tool whose output is public: Iluvatar, MetaX, Hygon (Linux).

By hand: ``ixsmi`` (Iluvatar CoreX, /usr/local/corex/bin), ``mx-smi`` (MetaX, /opt/maca/bin,
/opt/mxdriver/bin), ``/opt/hyhal/bin/hy-smi`` (Hygon DCU). Sources: the public captures in
tests/data/{ixsmi,mx-smi,hy-smi}/.

``hy-smi`` prints neither names nor bus ids; its rows are matched to the Hygon PCI functions in bus
order, and only when the counts agree (an assumption, as for rocm-smi; otherwise no fragment).
Innosilicon/Fantasy and Biren: no public tool output exists (research §5), so they are found by PCI
id only (Biren not even that).
"""

from __future__ import annotations

from collections.abc import Callable

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.model import Driver, Gpu, Pci, SourceResult, normalize_bus_id
from probes.core.problems import problem, tool_problem
from probes.detect.parsers import domestic_smi
from probes.detect.sources import ProbeContext, Source
from probes.detect.sources.pci import read_sysfs


class SmiSource(Source):
    platforms = ("linux",)
    timeout_s = 5.0
    priority = 25
    tool = ""
    vendor = ""
    vendor_id = ""
    dirs: tuple = ()
    parser: Callable[[str], domestic_smi.SmiReport] | None = None  # set by each concrete source

    def applicable(self, host: Host, ctx: ProbeContext) -> bool:
        return host.platform in self.platforms and host.which(self.tool, self.dirs) is not None

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        exe = host.which(self.tool, self.dirs)
        if not exe:
            return res
        out = host.run([exe], timeout_s=self.timeout_s - 1)
        failed = tool_problem(out, self.tool, source=self.name)
        if failed is not None:
            res.problems.append(failed)
            return res
        try:
            parse = type(self).parser
            assert parse is not None  # every concrete source has one
            rep = parse(out.stdout)
        except ParseError as err:
            res.problems.append(
                problem("smi-output-unparsed", source=self.name, tool=self.tool, detail=err.detail)
            )
            return res
        res.gpus = self.fragments(host, rep)
        return res

    def fragments(self, host: Host, rep: domestic_smi.SmiReport) -> list[Gpu]:
        out = []
        for g in rep.gpus:
            extra = {}
            if rep.toolkit_version:
                extra[f"{self.vendor}_toolkit"] = rep.toolkit_version
            if rep.bios_version:
                extra["bios_version"] = rep.bios_version
            if g.power_cap_w is not None:
                extra["power_cap_w"] = g.power_cap_w
            out.append(
                Gpu(
                    vendor=self.vendor,
                    name=g.name,
                    pci=Pci(vendor_id=self.vendor_id, bus_id=normalize_bus_id(g.bus_id)),
                    driver=Driver(
                        version=rep.driver_version, loaded=True, tool=self.tool, tool_version=rep.tool_version
                    ),
                    memory_total_bytes=g.memory_total_bytes,
                    vendor_index=g.index,
                    extra=extra,
                )
            )
        return out


class IluvatarSource(SmiSource):
    name = "ixsmi"
    tool = "ixsmi"
    vendor = "iluvatar"
    vendor_id = "1e3e"
    dirs = ("/usr/local/corex/bin", "/usr/bin")
    parser = staticmethod(domestic_smi.parse_ixsmi)


class MetaxSource(SmiSource):
    name = "mx-smi"
    tool = "mx-smi"
    vendor = "metax"
    vendor_id = "9999"
    dirs = ("/opt/maca/bin", "/opt/mxdriver/bin", "/usr/bin")
    parser = staticmethod(domestic_smi.parse_mxsmi)


class HygonSource(SmiSource):
    name = "hy-smi"
    tool = "hy-smi"
    vendor = "hygon"
    vendor_id = "1d94"
    dirs = ("/opt/hyhal/bin",)
    parser = staticmethod(domestic_smi.parse_hysmi)

    def fragments(self, host: Host, rep: domestic_smi.SmiReport) -> list[Gpu]:
        buses = sorted(f.bus_id for f in (read_sysfs(host) or []) if f.vendor_id == self.vendor_id)
        if len(buses) != len(rep.gpus):
            return []
        frags = super().fragments(host, rep)
        for frag, bus in zip(sorted(frags, key=lambda g: g.vendor_index or 0), buses, strict=True):
            frag.pci.bus_id = bus
        return frags


SOURCES = [IluvatarSource(), MetaxSource(), HygonSource()]
