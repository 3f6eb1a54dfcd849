"""Linux PCI bus: every display controller (class 0x03xxxx), with or without a driver.

By hand: ``ls /sys/bus/pci/devices; cat /sys/bus/pci/devices/*/{class,vendor,device}``,
``readlink /sys/bus/pci/devices/*/driver``; fallback ``lspci -D -nn -k``.

This is what finds a card before any driver is installed (an S80 fresh out of the box). Its
fragments have low priority: vendor tools know the names, memory and driver versions better.
Audio functions of the cards (class 0x0403, and the ids pci_ids marks as audio) are skipped.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.core.model import Compute, Driver, Gpu, Pci, ProbeResult, SourceResult, normalize_bus_id
from probes.core.problems import problem, tool_problem
from probes.detect import pci_ids
from probes.detect.parsers.lspci import LspciDevice, parse_lspci
from probes.detect.sources import ProbeContext, Source

SYS_PCI = "/sys/bus/pci/devices"
# Data-centre cards of these vendors may present as "processing accelerator" (class 0x12) rather
# than display (0x03); their PCI class is not in our research, so both are accepted for them only.
ACCELERATOR_VENDORS = frozenset({"1ed5", "1e3e", "9999", "1d94"})


@dataclass
class PciFunction:
    bus_id: str
    vendor_id: str
    device_id: str
    class_code: str  # "030000"
    subsystem_id: str | None = None  # "1ed5:0001" (subsystem vendor:device)
    revision: str | None = None  # "a1"
    driver: str | None = None  # bound driver name (basename of the driver link)
    module_loaded: bool | None = None


def _hexval(text: str | None, width: int) -> str | None:
    if text is None:
        return None
    v = text.strip().lower()
    if v.startswith("0x"):
        v = v[2:]
    if not v or any(c not in "0123456789abcdef" for c in v) or len(v) > 8:
        return None
    return f"{int(v, 16):0{width}x}"[-width:]


def read_sysfs(host: Host) -> list[PciFunction] | None:
    """Display functions from sysfs; None when the PCI tree cannot be listed at all."""
    names = host.listdir(SYS_PCI)
    if not names:
        return None
    out: list[PciFunction] = []
    for name in names:
        base = f"{SYS_PCI}/{name}"
        cls = _hexval(host.read_text(f"{base}/class"), 6)
        if cls is None or not cls.startswith(("03", "12")):
            continue
        vid = _hexval(host.read_text(f"{base}/vendor"), 4)
        did = _hexval(host.read_text(f"{base}/device"), 4)
        if vid is None or did is None or pci_ids.is_audio(vid, did):
            continue
        if cls.startswith("12") and vid not in ACCELERATOR_VENDORS:
            continue
        svid = _hexval(host.read_text(f"{base}/subsystem_vendor"), 4)
        sdid = _hexval(host.read_text(f"{base}/subsystem_device"), 4)
        subsystem = f"{svid}:{sdid}" if svid and sdid and (svid, sdid) != ("0000", "0000") else None
        link = host.readlink(f"{base}/driver")
        driver = link.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] if link else None
        out.append(
            PciFunction(
                bus_id=normalize_bus_id(name) or name,
                vendor_id=vid,
                device_id=did,
                class_code=cls,
                subsystem_id=subsystem,
                revision=_hexval(host.read_text(f"{base}/revision"), 2),
                driver=driver or None,
                module_loaded=host.is_dir(f"/sys/module/{driver}") if driver else None,
            )
        )
    return out


def from_lspci(devices: list[LspciDevice]) -> list[PciFunction]:
    out = []
    for d in devices:
        if not d.vendor_id or not d.device_id:
            continue
        accel = (d.class_code or "").startswith("12") and d.vendor_id in ACCELERATOR_VENDORS
        if not (d.is_display or accel):
            continue
        if pci_ids.is_audio(d.vendor_id, d.device_id):
            continue
        out.append(
            PciFunction(
                bus_id=normalize_bus_id(d.bus_id) or d.bus_id,
                vendor_id=d.vendor_id,
                device_id=d.device_id,
                class_code=(d.class_code or "0300") + "00",
                subsystem_id=d.subsystem_id,
                revision=d.revision,
                driver=d.driver,
            )
        )
    return out


def fragment(f: PciFunction) -> Gpu:
    vendor = pci_ids.vendor_key(f.vendor_id)
    name = pci_ids.device_name(f.vendor_id, f.device_id)
    display_only = pci_ids.display_only(f.vendor_id, f.device_id)
    if name is None and display_only is not None:
        name = display_only.name
    if name is None:
        name = f"{pci_ids.vendor_label(vendor)} [{f.vendor_id}:{f.device_id}]"
    compute = Compute()
    if vendor == "mthreads":
        arch = pci_ids.mthreads_arch(f.device_id)
        compute = Compute(api="musa" if arch else None, arch=arch)
    extra: dict[str, object] = {"pci_class": f.class_code}
    if f.module_loaded is not None:
        extra["driver_module_present"] = f.module_loaded
    return Gpu(
        vendor=vendor,
        name=name,
        pci=Pci(
            vendor_id=f.vendor_id,
            device_id=f.device_id,
            bus_id=f.bus_id,
            subsystem_id=f.subsystem_id,
            revision=f.revision,
        ),
        driver=Driver(module=f.driver, loaded=bool(f.driver)),
        compute=compute,
        extra=extra,
    )


class PciSource(Source):
    name = "pci"
    priority = 60
    platforms = ("linux",)
    timeout_s = 5.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        functions = read_sysfs(host)
        if functions is None:
            functions = self._lspci(host, res)
        res.gpus = [fragment(f) for f in functions]
        return res

    def _lspci(self, host: Host, res: SourceResult) -> list[PciFunction]:
        exe = host.which("lspci", ("/usr/bin", "/usr/sbin", "/sbin", "/bin"))
        if not exe:
            return []
        out = host.run([exe, "-D", "-nn", "-k"], timeout_s=self.timeout_s - 1)
        failed = tool_problem(out, "lspci", source=self.name)
        if failed is not None:
            res.problems.append(failed)
            if not out.stdout.strip():
                return []
        try:
            return from_lspci(parse_lspci(out.stdout))
        except ParseError as err:
            res.problems.append(
                problem("smi-output-unparsed", source=self.name, tool="lspci", detail=err.detail)
            )
            return []


# ---- diagnosis (vendor-neutral) -------------------------------------------------------------

# vendor key -> (management tools that prove a driver stack is installed, kernel modules)
# Sources: docs.mthreads.com vGPU guide v2.9.2 and MooreThreads/ollama-musa scripts/install.sh
# (mthreads-gmi/-smi, mtgpu); gpustack/gpustack issue #3256 (ixsmi); SwanHubX/SwanLab PR #1020 (hy-smi at
# /opt/hyhal/bin); BIRENSUPA/k8s-device-plugin pkg/brgpu/plugin.go (brsmi); NVIDIA/AMD/Intel are common
# knowledge of their drivers (nvidia.ko, amdgpu, i915/xe). Innosilicon: no public tool was found.
VENDOR_STACKS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "nvidia": (("nvidia-smi",), ("nvidia",)),
    "amd": (("amd-smi", "rocm-smi"), ("amdgpu",)),
    "intel": (("xpu-smi",), ("i915", "xe")),
    "mthreads": (("mthreads-gmi", "mthreads-smi"), ("mtgpu",)),
    "iluvatar": (("ixsmi",), ()),
    "metax": (("mx-smi",), ()),
    "hygon": (("hy-smi",), ("hycu",)),
    "biren": (("brsmi",), ()),
    "innosilicon": ((), ()),
}


def _tool_found(host: Host, tools: Iterable[str]) -> bool:
    for t in tools:
        try:
            if host.which(t):
                return True
        except Exception:  # a broken lookup must not hide the diagnosis
            continue
    return False


def diagnose_drivers(result: ProbeResult, host: Host) -> list:
    """driver-not-installed / driver-not-loaded for cards the PCI bus shows without a driver."""
    out = []
    for g in result.gpus:
        if "pci" not in g.sources or g.driver.module or g.vendor not in VENDOR_STACKS:
            continue
        if any(
            p.code in ("driver-not-installed", "driver-not-loaded") and p.gpu in (None, g.index)
            for p in result.problems
        ):
            continue
        tools, modules = VENDOR_STACKS[g.vendor]
        label = pci_ids.vendor_text(g.vendor)
        name = g.name or f"{pci_ids.vendor_label(g.vendor)} [{g.pci.vendor_id}:{g.pci.device_id}]"
        stack_seen = bool(g.driver.version or (g.driver.tool and g.driver.tool != "pci")) or _tool_found(
            host, tools
        )
        if stack_seen:
            out.append(
                problem(
                    "driver-not-loaded",
                    gpu=g.index,
                    source="pci",
                    vendor_label=label,
                    name=name,
                    module=" / ".join(modules) or g.vendor,
                )
            )
        else:
            out.append(
                problem(
                    "driver-not-installed",
                    gpu=g.index,
                    source="pci",
                    name=name,
                    vendor_tool="/".join(tools) or Text("vendors", "vendor"),
                    vendor_label=label,
                )
            )
    return out


def diagnose_no_gpu(result: ProbeResult, host: Host) -> list:
    """no-gpu when nothing can run generation; display-only adapters (a VM's virtual display, a
    server's BMC VGA) are named in it, so the user sees why the adapter they see does not count."""
    if result.gpus:
        return []
    found = problem("no-gpu", source="pci")
    adapters = getattr(result, "display_adapters", None) or []
    if adapters:
        names = ", ".join(
            f"{a.name} [{a.pci.vendor_id or '?'}:{a.pci.device_id or '?'}]"
            if a.pci.vendor_id
            else (a.name or "?")
            for a in adapters
        )
        found.message = Text(
            "problems",
            "Only a display adapter was found ({names}): it shows the desktop but cannot run generation.",
            names=names,
        )
        found.hint = Text(
            "problems",
            "Generation will run on the CPU, which is very slow. In a virtual "
            "machine, pass a GPU through to it (PCI passthrough) to use that GPU "
            "here.",
        )
    return [found]


SOURCES = [PciSource()]
DIAGNOSE = [diagnose_drivers, diagnose_no_gpu]
