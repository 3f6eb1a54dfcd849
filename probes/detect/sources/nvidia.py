"""NVIDIA sources: NVML (nvidia-ml-py), ``nvidia-smi`` as the fallback, the Linux driver files.

Command-line equivalents (what a person can run by hand)::

    nvidia-smi --query-gpu=index,pci.bus_id,name,uuid,driver_version,memory.total,...,compute_cap \\
               --format=csv,noheader,nounits
    nvidia-smi                 # banner: "Driver Version: 550.54.14  CUDA Version: 12.4"
    nvidia-smi topo -m         # link types between GPUs
    cat /sys/module/nvidia/version /proc/driver/nvidia/version

NVML and nvidia-smi share one NVML reading per probe run (cached on the ProbeContext), so
nvidia-smi only runs when NVML is absent or fails — and for ``topo -m``, which NVML lacks.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType

from probes.core.errors import ParseError
from probes.core.host import CommandResult, Host
from probes.core.i18n import Text
from probes.core.model import Compute, Driver, Gpu, Pci, Problem, SourceResult, hex4, normalize_bus_id
from probes.core.problems import define, problem, tool_problem
from probes.detect.nvml import (
    DRIVER_MISMATCH,
    DRIVER_NOT_LOADED,
    GPU_LOST,
    LIBRARY_MISSING,
    DeviceInfo,
    Nvml,
    NvmlFailure,
)
from probes.detect.parsers import nvidia_smi as smi
from probes.detect.sources import ProbeContext, Source

VENDOR_ID = "10de"
SMI_DIRS_WINDOWS = (r"C:\Program Files\NVIDIA Corporation\NVSMI", r"C:\Windows\System32")
SMI_DIRS_LINUX = ("/usr/bin", "/usr/local/bin", "/usr/lib/wsl/lib")
COMMAND_TIMEOUT_S = 3.0

define(
    "nvml-failed",
    "warning",
    "The NVIDIA management library (NVML) could not be read: {detail}",
    "RigPilot falls back to nvidia-smi. If both fail, reinstall the NVIDIA driver.",
)
define(
    "nvidia-gpu-lost",
    "error",
    "NVIDIA GPU {index} has fallen off the bus (NVML reports 'GPU is lost').",
    "Check the power cables and that the card is seated, then reboot; 'sudo dmesg | grep -i xid' "
    "shows the driver's error (Xid 79 means the GPU fell off the bus).",
)

_DRIVER_NOT_LOADED_RE = re.compile(
    r"couldn't communicate with the NVIDIA driver|NVIDIA driver is not loaded|"
    r"Driver Not Loaded",
    re.IGNORECASE,
)
_MISMATCH_RE = re.compile(r"Driver/library version mismatch|NVML/RM version mismatch", re.IGNORECASE)


def _driver_not_loaded(source: str) -> Problem:
    return problem(
        "driver-not-loaded",
        source=source,
        vendor_label="NVIDIA",
        name=Text("nvidia", "the NVIDIA card"),
        module="nvidia",
    )


# ---- one NVML reading per probe run ----------------------------------------------------------
@dataclass
class NvmlSnapshot:
    ok: bool
    kind: str | None = None  # failure kind (probes.detect.nvml) when not ok
    detail: str = ""
    driver_version: str | None = None
    max_cuda: str | None = None
    devices: list = field(default_factory=list)  # DeviceInfo
    lost: list = field(default_factory=list)  # indexes NVML reports as lost


_snapshot_lock = threading.Lock()
_CACHE_ATTR = "_rigpilot_nvml_snapshot"


def read_nvml(module: ModuleType | None) -> NvmlSnapshot:
    """Open NVML, read every device, close it again. Never raises."""
    if module is None:
        return NvmlSnapshot(ok=False, kind=LIBRARY_MISSING, detail="nvidia-ml-py is not installed")
    nv = Nvml(module)
    try:
        nv.open()
    except NvmlFailure as exc:
        return NvmlSnapshot(ok=False, kind=exc.kind, detail=exc.detail)
    try:
        snap = NvmlSnapshot(ok=True, driver_version=nv.driver_version(), max_cuda=nv.cuda_driver_version())
        for i in range(nv.device_count()):
            try:
                snap.devices.append(nv.device_info(i))
            except NvmlFailure as exc:
                if exc.kind == GPU_LOST:
                    snap.lost.append(i)
                    continue
                raise
        return snap
    except NvmlFailure as exc:
        return NvmlSnapshot(ok=False, kind=exc.kind, detail=exc.detail)
    finally:
        nv.close()


class _Pending:
    """One NVML reading under way (in its own thread, so a wedged driver cannot hold both sources)."""

    def __init__(self, host, module_loader):
        self.host = host
        self.created = time.monotonic()
        self.done = threading.Event()
        self.snap: NvmlSnapshot | None = None
        threading.Thread(target=self._run, args=(module_loader,), name="nvml-read", daemon=True).start()

    def _run(self, module_loader: Callable[[], ModuleType | None]) -> None:
        try:
            self.snap = read_nvml(module_loader())
        except Exception as exc:  # noqa: BLE001 - a broken binding is a failed source, not a crash
            self.snap = NvmlSnapshot(ok=False, kind="failed", detail=type(exc).__name__)
        finally:
            self.done.set()


SNAPSHOT_MAX_AGE_S = 30.0


def nvml_snapshot(host: Host, ctx: ProbeContext | None, wait_s: float = 4.0) -> NvmlSnapshot:
    """The NVML reading of this probe run (shared by the NVML and nvidia-smi sources).

    Waits at most ``wait_s``; an NVML that does not answer by then counts as failed ('timeout').
    """
    with _snapshot_lock:
        pending = getattr(ctx, _CACHE_ATTR, None) if ctx is not None else None
        if (
            pending is None
            or pending.host is not host
            or time.monotonic() - pending.created > SNAPSHOT_MAX_AGE_S
        ):
            pending = _Pending(host, lambda: host.import_module("pynvml"))
            if ctx is not None:
                try:
                    setattr(ctx, _CACHE_ATTR, pending)
                except AttributeError:  # pragma: no cover - a slotted context
                    pass
    if not pending.done.wait(wait_s) or pending.snap is None:
        return NvmlSnapshot(ok=False, kind="timeout", detail=f"no answer within {wait_s:g} s")
    return pending.snap


def _gpu_from_nvml(host: Host, d: DeviceInfo, snap: NvmlSnapshot) -> Gpu:
    return Gpu(
        vendor="nvidia",
        name=d.name,
        pci=Pci(vendor_id=d.vendor_id or VENDOR_ID, device_id=d.device_id, bus_id=d.bus_id),
        driver=Driver(
            version=snap.driver_version,
            loaded=True,
            module="nvidia" if host.platform == "linux" else None,
            tool="nvml",
            tool_version=snap.driver_version,
        ),
        memory_total_bytes=d.memory_total_bytes,
        compute=Compute(api="cuda", capability=d.capability, max_cuda=snap.max_cuda),
        vendor_index=d.index,
        uuid=d.uuid,
    )


class NvmlSource(Source):
    name = "nvml"
    priority = 10
    platforms = ("linux", "windows")
    timeout_s = 5.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        snap = nvml_snapshot(host, ctx, wait_s=max(0.5, self.timeout_s - 0.5))
        out = SourceResult()
        if not snap.ok:
            if snap.kind == DRIVER_NOT_LOADED:
                out.problems.append(_driver_not_loaded(self.name))
            elif snap.kind == DRIVER_MISMATCH:
                out.problems.append(problem("nvml-driver-mismatch", source=self.name))
            elif snap.kind != LIBRARY_MISSING:
                out.problems.append(problem("nvml-failed", source=self.name, detail=snap.detail or snap.kind))
            return out
        out.gpus = [_gpu_from_nvml(host, d, snap) for d in snap.devices]
        for i in snap.lost:
            out.problems.append(problem("nvidia-gpu-lost", source=self.name, index=i))
        return out


# ---- nvidia-smi ----------------------------------------------------------------------------
def find_smi(host: Host) -> str | None:
    extra = SMI_DIRS_WINDOWS if host.platform == "windows" else SMI_DIRS_LINUX
    return host.which("nvidia-smi", extra)


def _failure_problems(result: CommandResult, source: str) -> list:
    """Problems for a failed nvidia-smi run: the driver states first, else the generic tool ones."""
    text = f"{result.stdout}\n{result.stderr}"
    if result.error is None and _DRIVER_NOT_LOADED_RE.search(text):
        return [_driver_not_loaded(source)]
    if result.error is None and _MISMATCH_RE.search(text):
        return [problem("nvml-driver-mismatch", source=source)]
    p = tool_problem(result, "nvidia-smi", source=source)
    return [p] if p else []


def _unparsed(exc: ParseError, source: str, tool: str = "nvidia-smi") -> Problem:
    return problem("smi-output-unparsed", source=source, tool=tool, detail=exc.detail)


def topo_links(host: Host, exe: str, bus_by_index: dict, source: str) -> tuple[dict, list]:
    """Run ``nvidia-smi topo -m`` -> ({bus_id: [links]}, problems)."""
    res = host.run([exe, "topo", "-m"], COMMAND_TIMEOUT_S)
    if not res.ok:
        p = tool_problem(res, "nvidia-smi topo -m", source=source)
        return {}, [p] if p else []
    try:
        topo = smi.parse_topo_matrix(res.stdout)
    except ParseError as exc:
        return {}, [_unparsed(exc, source, "nvidia-smi topo -m")]
    links: dict[str, list] = {}
    for link in topo["links"]:
        for me, peer in ((link["a"], link["b"]), (link["b"], link["a"])):
            bus = bus_by_index.get(me)
            if bus is None:
                continue
            links.setdefault(bus, []).append(
                {"gpu": peer, "bus_id": bus_by_index.get(peer), "type": link["type"], "kind": link["kind"]}
            )
    return links, []


def _smi_gpu(row: dict, banner: dict, platform: str | None) -> Gpu:
    """One row of ``nvidia-smi --query-gpu`` (with the banner's driver and CUDA) as a Gpu."""
    driver = row.get("driver_version") or banner.get("driver_version")
    max_cuda = banner.get("max_cuda")
    vendor, device = smi.split_pci_device_id(row.get("pci.device_id"))
    extra = {}
    if max_cuda is None and driver:
        max_cuda = smi.max_cuda_for_driver(driver, platform)
        if max_cuda:
            extra["max_cuda_estimated"] = True
    return Gpu(
        vendor="nvidia",
        name=row.get("name"),
        pci=Pci(
            vendor_id=vendor or VENDOR_ID,
            device_id=device,
            bus_id=normalize_bus_id(row.get("pci.bus_id")),
        ),
        driver=Driver(
            version=driver,
            loaded=True,
            module="nvidia" if platform == "linux" else None,
            tool="nvidia-smi",
            tool_version=banner.get("smi_version") or driver,
        ),
        memory_total_bytes=smi.mib_to_bytes(row.get("memory.total")),
        compute=Compute(api="cuda", capability=row.get("compute_cap"), max_cuda=max_cuda),
        vendor_index=row.get("index"),
        uuid=row.get("uuid"),
        extra=extra,
    )


class NvidiaSmiSource(Source):
    """nvidia-smi when NVML is absent or broken; ``topo -m`` when deep or more than one GPU."""

    name = "nvidia-smi"
    priority = 20
    platforms = ("linux", "windows")
    timeout_s = 8.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        out = SourceResult()
        snap = nvml_snapshot(host, ctx, wait_s=3.0)
        exe = find_smi(host)
        if snap.ok:
            if exe and (ctx.deep or len(snap.devices) > 1):
                bus = {d.index: d.bus_id for d in snap.devices if d.bus_id}
                links, out.problems = topo_links(host, exe, bus, self.name)
                out.gpus = [
                    Gpu(vendor="nvidia", pci=Pci(bus_id=b), extra={"links": ln}) for b, ln in links.items()
                ]
            return out
        if not exe:
            return out
        fields = smi.QUERY_FIELDS
        res = host.run(smi.query_argv(exe, fields), COMMAND_TIMEOUT_S)
        if res.ran and res.rc != 0 and smi.is_invalid_field_error(res.stdout + res.stderr):
            fields = smi.QUERY_FIELDS_LEGACY
            res = host.run(smi.query_argv(exe, fields), COMMAND_TIMEOUT_S)
        if not res.ok:
            out.problems.extend(_failure_problems(res, self.name))
            return out
        try:
            rows = smi.parse_query_csv(res.stdout, fields)
        except ParseError as exc:
            out.problems.append(_unparsed(exc, self.name))
            return out
        banner = {}
        head = host.run([exe], COMMAND_TIMEOUT_S)
        if head.ok:
            try:
                banner = smi.parse_smi_header(head.stdout)
            except ParseError:
                banner = {}
        elif head.error == "timeout":
            out.problems.extend(_failure_problems(head, self.name))
        out.gpus.extend(_smi_gpu(row, banner, host.platform) for row in rows)
        if exe and (ctx.deep or len(out.gpus) > 1) and head.error != "timeout":
            bus = {g.vendor_index: g.pci.bus_id for g in out.gpus if g.pci.bus_id}
            links, problems = topo_links(host, exe, bus, self.name)
            out.problems.extend(problems)
            for g in out.gpus:
                if g.pci.bus_id in links:
                    g.extra["links"] = links[g.pci.bus_id]
        return out


# ---- Linux driver files --------------------------------------------------------------------
def _nvidia_bus_ids(host: Host) -> list[str]:
    """NVIDIA display devices: /proc/driver/nvidia/gpus/<bus> and PCI sysfs (vendor 0x10de, class 0x03)."""
    found = []
    for name in host.listdir("/proc/driver/nvidia/gpus"):
        b = normalize_bus_id(name)
        if b and b not in found:
            found.append(b)
    for name in host.listdir("/sys/bus/pci/devices"):
        base = f"/sys/bus/pci/devices/{name}"
        vendor = (host.read_text(f"{base}/vendor") or "").strip().lower()
        cls = (host.read_text(f"{base}/class") or "").strip().lower()
        if vendor != "0x10de" or not cls.startswith("0x03"):
            continue
        link = host.readlink(f"{base}/driver") or ""
        if not link.rstrip("/").endswith("/nvidia"):
            continue
        b = normalize_bus_id(name)
        if b and b not in found:
            found.append(b)
    return found


class NvidiaDriverFilesSource(Source):
    """Driver version from /sys/module/nvidia/version or /proc/driver/nvidia/version (Linux)."""

    name = "nvidia-driver-files"
    priority = 30
    platforms = ("linux",)
    timeout_s = 2.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        out = SourceResult()
        version = None
        open_module = None
        text = host.read_text("/sys/module/nvidia/version")
        if text is not None:
            try:
                version = smi.parse_module_version(text)
            except ParseError:
                version = None
        proc = host.read_text("/proc/driver/nvidia/version")
        if proc is not None:
            try:
                parsed = smi.parse_proc_version(proc)
                version = version or parsed["driver_version"]
                open_module = parsed["open_module"]
            except ParseError as exc:
                if version is None:
                    out.problems.append(_unparsed(exc, self.name, "/proc/driver/nvidia/version"))
        if version is None:
            return out
        for bus in _nvidia_bus_ids(host):
            device = (host.read_text(f"/sys/bus/pci/devices/{bus}/device") or "").strip()
            extra = {}
            if open_module is not None:
                extra["open_kernel_module"] = open_module
            out.gpus.append(
                Gpu(
                    vendor="nvidia",
                    pci=Pci(vendor_id=VENDOR_ID, device_id=hex4(device) if device else None, bus_id=bus),
                    driver=Driver(version=version, loaded=True, module="nvidia"),
                    compute=Compute(api="cuda"),
                    extra=extra,
                )
            )
        return out


SOURCES = [NvmlSource(), NvidiaSmiSource(), NvidiaDriverFilesSource()]
