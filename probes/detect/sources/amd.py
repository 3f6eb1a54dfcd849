"""AMD GPUs on Linux: amdgpu sysfs + KFD topology first, then amd-smi, rocm-smi, rocminfo.

* ``amdgpu-sysfs``: every ``/sys/class/drm/cardN`` whose ``device`` is vendor 0x1002; the PCI
  address from the ``device`` link (or ``uevent`` PCI_SLOT_NAME); ``mem_info_vram_total`` bytes;
  the gfx target from the KFD topology node whose ``domain``/``location_id`` is that address;
  the driver version from ``/sys/module/amdgpu/version`` (absent for the in-kernel driver: None).
* ``amd-smi``: ``amd-smi static --json`` (name, ids, VRAM, gfx, power limits).
* ``rocm-smi``: only when amd-smi is not installed (rocm-smi is deprecated, research §10.1).
* ``rocminfo``: last resort when neither tool nor the KFD topology is there.

Every fragment is keyed by PCI bus id; compute api is ``rocm``.
"""

from __future__ import annotations

import re

from probes.core.host import Host
from probes.core.model import Compute, Driver, Gpu, Pci, SourceResult, hex4, normalize_bus_id
from probes.core.problems import run_parsed
from probes.detect.parsers import amd_smi, rocm_smi, rocminfo
from probes.detect.parsers import amdgpu_sysfs as sysfs
from probes.detect.sources import ProbeContext, Source

AMD_VENDOR = "1002"
DRM = "/sys/class/drm"
KFD_NODES = "/sys/class/kfd/kfd/topology/nodes"
_CARD = re.compile(r"^card\d+$")
TOOL_TIMEOUT_S = 4.0


def drm_cards(host: Host, vendor: str) -> list[tuple[str, str]]:
    """[(cardN, bus id)] for DRM cards of one PCI vendor, sorted by bus id."""
    out: dict[str, str] = {}
    for name in host.listdir(DRM):
        if not _CARD.match(name):
            continue  # connectors (card0-DP-1), renderD*, version
        dev = f"{DRM}/{name}/device"
        bus = sysfs.bus_from_link(host.readlink(dev))
        if bus is None:
            bus = normalize_bus_id(sysfs.parse_uevent(host.read_text(f"{dev}/uevent")).get("PCI_SLOT_NAME"))
        if bus is None:
            continue
        vid = hex4(
            (host.read_text(pci_dir(bus) + "/vendor") or host.read_text(f"{dev}/vendor") or "").strip()
        )
        if vid == vendor and bus not in out.values():
            out[name] = bus
    return sorted(out.items(), key=lambda kv: kv[1])


def pci_dir(bus: str) -> str:
    return f"/sys/bus/pci/devices/{bus}"


def read_pci_ids(host: Host, bus: str) -> Pci:
    base = pci_dir(bus)
    sv = hex4((host.read_text(f"{base}/subsystem_vendor") or "").strip())
    sd = hex4((host.read_text(f"{base}/subsystem_device") or "").strip())
    rev = hex4((host.read_text(f"{base}/revision") or "").strip())
    return Pci(
        vendor_id=hex4((host.read_text(f"{base}/vendor") or "").strip()),
        device_id=hex4((host.read_text(f"{base}/device") or "").strip()),
        bus_id=bus,
        subsystem_id=f"{sv}:{sd}" if sv and sd else None,
        revision=rev[2:] if rev else None,
    )


def driver_module(host: Host, bus: str) -> str | None:
    target = host.readlink(f"{pci_dir(bus)}/driver")
    if target:
        return target.rstrip("/").rsplit("/", 1)[-1] or None
    return sysfs.parse_uevent(host.read_text(f"{pci_dir(bus)}/uevent")).get("DRIVER") or None


def kfd_nodes(host: Host) -> dict[str, dict[str, int]]:
    """{bus id: properties} for the KFD GPU nodes (gfx_target_version > 0)."""
    out: dict[str, dict[str, int]] = {}
    for node in host.listdir(KFD_NODES):
        if not node.isdigit():
            continue
        props = sysfs.parse_kfd_properties(host.read_text(f"{KFD_NODES}/{node}/properties") or "")
        if not props.get("gfx_target_version"):
            continue
        bus = sysfs.kfd_bus_id(props)
        if bus is not None:
            out.setdefault(bus, props)
    return out


def vendor_on_pci_bus(host: Host, vendor: str) -> bool:
    """True when a display (0x03) or processing-accelerator (0x12) function of ``vendor`` is on the
    PCI bus, or when the PCI sysfs cannot be listed at all (containers): then the tools decide."""
    devices = host.listdir("/sys/bus/pci/devices")
    if not devices:
        return True
    for bus in devices:
        if hex4((host.read_text(f"/sys/bus/pci/devices/{bus}/vendor") or "").strip()) != vendor:
            continue
        cls = (host.read_text(f"/sys/bus/pci/devices/{bus}/class") or "").strip().lower()
        if cls.startswith(("0x03", "0x12")):
            return True
    return False


def _kernel_release(host: Host) -> str | None:
    text = host.read_text("/proc/sys/kernel/osrelease")
    return text.strip() if text and text.strip() else None


class AmdgpuSysfsSource(Source):
    name = "amdgpu-sysfs"
    priority = 15
    platforms = ("linux",)
    timeout_s = 3.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        cards = drm_cards(host, AMD_VENDOR)
        if not cards:
            return res
        nodes = kfd_nodes(host)
        version = (host.read_text("/sys/module/amdgpu/version") or "").strip() or None
        for card, bus in cards:
            base = pci_dir(bus)
            vram = sysfs.parse_int(host.read_text(f"{base}/mem_info_vram_total"))
            props = nodes.get(bus)
            gfx = sysfs.gfx_from_target_version(props.get("gfx_target_version")) if props else None
            module = driver_module(host, bus) or "amdgpu"
            res.gpus.append(
                Gpu(
                    vendor="amd",
                    pci=read_pci_ids(host, bus),
                    driver=Driver(version=version, loaded=True, module=module),
                    memory_total_bytes=vram if vram and vram > 0 else None,
                    compute=Compute(api="rocm", gfx=gfx),
                    extra={"drm_card": card},
                )
            )
        return res


class AmdSmiSource(Source):
    name = "amd-smi"
    priority = 20
    platforms = ("linux",)
    timeout_s = TOOL_TIMEOUT_S + 2.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        exe = host.which("amd-smi")
        if not exe or not vendor_on_pci_bus(host, AMD_VENDOR):
            return res
        records = run_parsed(
            host,
            [exe, "static", "--json"],
            "amd-smi",
            amd_smi.parse_static,
            res.problems,
            source=self.name,
            timeout_s=TOOL_TIMEOUT_S,
        )
        if records is None:
            return res
        kernel = _kernel_release(host)
        for rec in records:
            version = rec["driver_version"]
            extra = {}
            if version is not None and kernel is not None and version == kernel:
                # the in-kernel amdgpu reports the kernel release: not a driver package version
                extra["amdgpu_in_kernel"] = True
                version = None
            sub = None
            if rec["subsystem_vendor_id"] and rec["subsystem_id"]:
                sub = f"{rec['subsystem_vendor_id']}:{rec['subsystem_id']}"
            if rec["power_max_w"] is not None:
                extra["power_max_w"] = rec["power_max_w"]
            res.gpus.append(
                Gpu(
                    vendor="amd",
                    name=rec["name"],
                    pci=Pci(
                        vendor_id=rec["vendor_id"] or AMD_VENDOR,
                        device_id=rec["device_id"],
                        bus_id=rec["bus_id"],
                        subsystem_id=sub,
                        revision=rec["revision"],
                    ),
                    driver=Driver(version=version, module=rec["driver_name"], tool="amd-smi"),
                    memory_total_bytes=rec["vram_total_bytes"],
                    compute=Compute(api="rocm", gfx=rec["gfx"]),
                    vendor_index=rec["index"],
                    extra=extra,
                )
            )
        return res


class RocmSmiSource(Source):
    name = "rocm-smi"
    priority = 25
    platforms = ("linux",)
    timeout_s = TOOL_TIMEOUT_S + 2.0
    ARGS = ("--showproductname", "--showbus", "--showmeminfo", "vram", "--json")

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        if host.which("amd-smi"):
            return res  # its successor answered (or reported its own problem)
        exe = host.which("rocm-smi")
        if not exe or not vendor_on_pci_bus(host, AMD_VENDOR):
            return res
        data = run_parsed(
            host,
            [exe, *self.ARGS],
            "rocm-smi",
            rocm_smi.parse,
            res.problems,
            source=self.name,
            timeout_s=TOOL_TIMEOUT_S,
        )
        if data is None:
            return res
        for card in data["cards"]:
            res.gpus.append(
                Gpu(
                    vendor="amd",
                    name=card["name"],
                    pci=Pci(vendor_id=AMD_VENDOR, device_id=card["device_id"], bus_id=card["bus_id"]),
                    driver=Driver(tool="rocm-smi"),
                    memory_total_bytes=card["vram_total_bytes"],
                    compute=Compute(api="rocm", gfx=card["gfx"]),
                    vendor_index=card["card"],
                )
            )
        return res


class RocminfoSource(Source):
    name = "rocminfo"
    priority = 40
    platforms = ("linux",)
    timeout_s = TOOL_TIMEOUT_S + 2.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        res = SourceResult()
        if host.which("amd-smi") or host.which("rocm-smi") or kfd_nodes(host):
            return res
        exe = host.which("rocminfo")
        if not exe or not vendor_on_pci_bus(host, AMD_VENDOR):
            return res
        agents = run_parsed(
            host, [exe], "rocminfo", rocminfo.parse, res.problems, source=self.name, timeout_s=TOOL_TIMEOUT_S
        )
        if agents is None:
            return res
        for n, a in enumerate(agents):
            res.gpus.append(
                Gpu(
                    vendor="amd",
                    name=a["marketing_name"],
                    pci=Pci(vendor_id=AMD_VENDOR, device_id=a["device_id"], bus_id=a["bus_id"]),
                    driver=Driver(tool="rocminfo"),
                    compute=Compute(api="rocm", gfx=a["gfx"]),
                    vendor_index=n,
                )
            )
        return res


SOURCES = [AmdgpuSysfsSource(), AmdSmiSource(), RocmSmiSource(), RocminfoSource()]
