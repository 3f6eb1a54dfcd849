"""The probe result model. JSON is the contract (docs/ARCHITECTURE.md); these are our Python names.

Values a source does not provide are None, never 0. Every source returns GPU *fragments*
(the same ``Gpu`` shape, mostly None); the engine merges fragments of one physical card, keyed by
PCI bus id, with the higher-priority source winning field by field.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any

from probes.core.i18n import Text, render

# the id helpers live with the other value helpers; re-exported here for their many callers
from probes.core.values import (
    hex4,  # noqa: F401
    normalize_bus_id,  # noqa: F401
)

SCHEMA = "rigpilot.probe/1"
VENDORS = (
    "nvidia",
    "amd",
    "intel",
    "mthreads",
    "biren",
    "innosilicon",
    "iluvatar",
    "metax",
    "hygon",
    "apple",
    "other",
)
COMPUTE_APIS = ("cuda", "rocm", "musa", "xpu", "mps", "directml", "none")
SEVERITIES = ("error", "warning", "info")


@dataclass
class Pci:
    vendor_id: str | None = None
    device_id: str | None = None
    bus_id: str | None = None
    subsystem_id: str | None = None
    revision: str | None = None


@dataclass
class Driver:
    version: str | None = None
    loaded: bool | None = None
    module: str | None = None  # kernel module / Windows service bound to the card
    tool: str | None = None  # 'nvidia-smi', 'mthreads-gmi', 'nvml', 'amd-smi', ...
    tool_version: str | None = None


@dataclass
class Compute:
    api: str | None = None  # one of COMPUTE_APIS
    capability: str | None = None  # NVIDIA "8.6"
    gfx: str | None = None  # AMD "gfx1100"
    arch: str | None = None  # Moore Threads "mp_21", Intel "xe-hpg", ...
    max_cuda: str | None = None  # highest CUDA the NVIDIA driver supports, "12.4"


@dataclass
class Gpu:
    index: int | None = None
    vendor: str | None = None
    name: str | None = None
    pci: Pci = field(default_factory=Pci)
    driver: Driver = field(default_factory=Driver)
    memory_total_bytes: int | None = None
    compute: Compute = field(default_factory=Compute)
    vendor_index: int | None = None  # the index the vendor's own tool / runtime uses
    uuid: str | None = None
    extra: dict = field(default_factory=dict)
    sources: list = field(default_factory=list)

    def key(self) -> str | None:
        return normalize_bus_id(self.pci.bus_id)

    def to_json(self) -> dict:
        return {
            "index": self.index,
            "vendor": self.vendor,
            "name": self.name,
            "pci": _dc_json(self.pci),
            "driver": _dc_json(self.driver),
            "memory_total_bytes": self.memory_total_bytes,
            "compute": _dc_json(self.compute),
            "vendor_index": self.vendor_index,
            "uuid": self.uuid,
            "extra": dict(self.extra),
            "sources": list(self.sources),
        }

    @classmethod
    def from_json(cls, d: dict) -> Gpu:
        return cls(
            index=d.get("index"),
            vendor=d.get("vendor"),
            name=d.get("name"),
            pci=Pci(**_known(Pci, d.get("pci") or {})),
            driver=Driver(**_known(Driver, d.get("driver") or {})),
            memory_total_bytes=d.get("memory_total_bytes"),
            compute=Compute(**_known(Compute, d.get("compute") or {})),
            vendor_index=d.get("vendor_index"),
            uuid=d.get("uuid"),
            extra=dict(d.get("extra") or {}),
            sources=list(d.get("sources") or []),
        )


@dataclass
class DisplayAdapter:
    """A display adapter that cannot run generation: a virtual machine's emulated display, a
    server's management-controller VGA (``kind``: virtual / server-management / legacy). Listed in
    ``display_adapters``, never in ``gpus``: those are the devices generation can run on."""

    name: str | None = None
    kind: str | None = None
    pci: Pci = field(default_factory=Pci)
    driver: Driver = field(default_factory=Driver)
    sources: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "pci": _dc_json(self.pci),
            "driver": _dc_json(self.driver),
            "sources": list(self.sources),
        }

    @classmethod
    def from_json(cls, d: dict) -> DisplayAdapter:
        return cls(
            name=d.get("name"),
            kind=d.get("kind"),
            pci=Pci(**_known(Pci, d.get("pci") or {})),
            driver=Driver(**_known(Driver, d.get("driver") or {})),
            sources=list(d.get("sources") or []),
        )


@dataclass
class Problem:
    code: str
    severity: str
    message: Text | str
    hint: Text | str | None = None
    gpu: int | None = None
    source: str | None = None
    bus_id: str | None = None  # set by a source; the engine turns it into ``gpu`` after merging

    def to_json(self, lang: str | None = None) -> dict:
        d = {
            "code": self.code,
            "severity": self.severity,
            "message": render(self.message, lang),
            "hint": render(self.hint, lang),
        }
        if self.gpu is not None:
            d["gpu"] = self.gpu
        if self.source:
            d["source"] = self.source
        return d

    @classmethod
    def from_json(cls, d: dict) -> Problem:
        return cls(
            code=d["code"],
            severity=d.get("severity", "warning"),
            message=d.get("message", ""),
            hint=d.get("hint"),
            gpu=d.get("gpu"),
            source=d.get("source"),
        )


@dataclass
class RuntimeDevice:
    api: str
    index: int
    name: str | None = None
    capability: str | None = None
    memory_total_bytes: int | None = None


@dataclass
class Runtime:
    """A Python interpreter and the torch build inside it (``probe --python PATH``)."""

    python: str
    python_version: str | None = None
    torch: str | None = None  # "2.5.0+cu124"
    torch_local: str | None = None  # "cu124", "rocm6.2", "cpu", "musa"...
    cuda: str | None = None  # torch.version.cuda
    hip: str | None = None  # torch.version.hip
    musa: str | None = None  # torch.version.musa / torch_musa's
    apis: dict = field(default_factory=dict)  # {"cuda": True, "musa": False, ...}
    devices: list = field(default_factory=list)  # [RuntimeDevice]
    arch_list: list = field(default_factory=list)  # torch.cuda.get_arch_list()
    packages: dict = field(default_factory=dict)  # {"torch_musa": "2.1.0", "torch-directml": ...}
    error: str | None = None
    api_errors: dict = field(default_factory=dict)  # {"musa": "ImportError: ... undefined symbol"}

    def to_json(self) -> dict:
        d = _dc_json(self)
        d["devices"] = [_dc_json(x) if not isinstance(x, dict) else x for x in self.devices]
        return d

    @classmethod
    def from_json(cls, d: dict) -> Runtime:
        kw = _known(cls, d)
        kw["devices"] = [RuntimeDevice(**_known(RuntimeDevice, x)) for x in d.get("devices") or []]
        return cls(**kw)


@dataclass
class HostInfo:
    platform: str | None = None  # linux / windows / darwin
    os: str | None = None  # "Ubuntu 22.04.4 LTS", "Windows 11 Pro 23H2"
    os_version: str | None = None
    kernel: str | None = None
    arch: str | None = None  # x86_64 / arm64
    cpu: str | None = None
    cpu_count: int | None = None
    memory_total_bytes: int | None = None
    hostname: str | None = None
    pythons: list = field(default_factory=list)  # [{"path", "version", "source"}]
    simulated: str | None = None

    def to_json(self) -> dict:
        return _dc_json(self)


@dataclass
class ProbeResult:
    host: HostInfo = field(default_factory=HostInfo)
    gpus: list = field(default_factory=list)
    runtimes: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    display_adapters: list = field(default_factory=list)  # [DisplayAdapter]: not GPUs
    timings: dict = field(default_factory=dict)  # source -> seconds (not in the contract)

    def to_json(self, lang: str | None = None, *, timings: bool = False) -> dict:
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "host": self.host.to_json(),
            "gpus": [g.to_json() for g in self.gpus],
            "display_adapters": [a.to_json() for a in self.display_adapters],
            "runtimes": [r.to_json() for r in self.runtimes],
            "problems": [p.to_json(lang) for p in self.problems],
        }
        if timings:
            d["timings_s"] = {k: round(v, 4) for k, v in self.timings.items()}
        return d

    def bus_ids(self) -> dict:
        """``{gpu index: PCI bus id or None}``: how power writes (the privileged helper) find a card."""
        return {g.index: g.pci.bus_id for g in self.gpus if g.index is not None}

    @classmethod
    def from_json(cls, d: dict) -> ProbeResult:
        return cls(
            host=HostInfo(**_known(HostInfo, d.get("host") or {})),
            gpus=[Gpu.from_json(g) for g in d.get("gpus") or []],
            runtimes=[Runtime.from_json(r) for r in d.get("runtimes") or []],
            problems=[Problem.from_json(p) for p in d.get("problems") or []],
            display_adapters=[
                DisplayAdapter.from_json(a) for a in d.get("display_adapters") or [] if isinstance(a, dict)
            ],
        )


@dataclass
class SourceResult:
    """What one source contributes. Any field may be empty."""

    gpus: list = field(default_factory=list)  # Gpu fragments
    problems: list = field(default_factory=list)
    runtimes: list = field(default_factory=list)
    host: HostInfo | None = None


def _dc_json(obj: Any) -> dict:  # any dataclass instance
    return {f.name: getattr(obj, f.name) for f in fields(obj)}


def _known(cls: type, d: dict) -> dict:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in d.items() if k in names}


def merge_into(base, other):
    """Fill None fields of dataclass ``base`` from ``other`` (recursively); returns a new object."""
    changes = {}
    for f in fields(base):
        a, b = getattr(base, f.name), getattr(other, f.name)
        if hasattr(a, "__dataclass_fields__") and hasattr(b, "__dataclass_fields__"):
            changes[f.name] = merge_into(a, b)
        elif isinstance(a, dict) and isinstance(b, dict):
            merged = dict(b)
            merged.update({k: v for k, v in a.items() if v is not None})
            changes[f.name] = merged
        elif isinstance(a, list) and isinstance(b, list):
            changes[f.name] = a + [x for x in b if x not in a]
        elif a is None and b is not None:
            changes[f.name] = b
    return replace(base, **changes)
