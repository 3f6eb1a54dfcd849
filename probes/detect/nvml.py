"""A small NVML wrapper over a ``pynvml`` module (nvidia-ml-py) passed in as a parameter.

Tests inject ``tests/fake_pynvml.py``; simulated rigs inject ``probes.core.nvml_sim``; production passes
``host.import_module("pynvml")``. The policy (after nvitop's ``nvmlQuery``, XuehaiPan/nvitop
nvitop/api/libnvml.py):

* whole-library failures raise :class:`NvmlFailure` with a ``kind``: ``library-missing``,
  ``driver-not-loaded``, ``driver-mismatch`` (NVML_ERROR_LIB_RM_VERSION_MISMATCH), ``failed``;
* a GPU that fell off the bus raises ``NvmlFailure(kind="gpu-lost")`` from per-device calls;
* everything else per field (NotSupported, FunctionNotFound on an old driver, Unknown...) is None.

Shims for old drivers (nvidia-ml-py calls the newest symbol, XuehaiPan/nvitop issue #29):
memory v2 -> v1 (v1 counts reserved memory as used), ``nvmlDeviceGetTemperatureV`` ->
``nvmlDeviceGetTemperature`` (deprecated since CUDA 13.0), ``nvmlSystemGetCudaDriverVersion_v2``
-> ``nvmlSystemGetCudaDriverVersion``.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import asdict, dataclass
from types import ModuleType
from typing import Any

from probes.core.model import hex4, normalize_bus_id

log = logging.getLogger(__name__)

LIBRARY_MISSING = "library-missing"
DRIVER_NOT_LOADED = "driver-not-loaded"
DRIVER_MISMATCH = "driver-mismatch"
GPU_LOST = "gpu-lost"
NO_PERMISSION = "no-permission"
NOT_SUPPORTED = "not-supported"
INVALID_ARGUMENT = "invalid-argument"
FAILED = "failed"


class NvmlFailure(Exception):
    """A failure of NVML as a whole (or of one device: ``gpu-lost``), with a stable ``kind``."""

    def __init__(self, kind: str, detail: str = "") -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.detail = detail


def _code(nv: ModuleType, name: str) -> object:
    return getattr(nv, name, None)


def classify(nv: ModuleType, exc: BaseException) -> str:
    """Map an exception raised by a pynvml call to one of the kinds above."""
    err_cls = getattr(nv, "NVMLError", None)
    if err_cls is None or not isinstance(exc, err_cls):
        return FAILED
    value = getattr(exc, "value", None)
    table = {
        "NVML_ERROR_LIBRARY_NOT_FOUND": LIBRARY_MISSING,
        "NVML_ERROR_DRIVER_NOT_LOADED": DRIVER_NOT_LOADED,
        "NVML_ERROR_LIB_RM_VERSION_MISMATCH": DRIVER_MISMATCH,
        "NVML_ERROR_GPU_IS_LOST": GPU_LOST,
        "NVML_ERROR_NO_PERMISSION": NO_PERMISSION,
        "NVML_ERROR_NOT_SUPPORTED": NOT_SUPPORTED,
        "NVML_ERROR_INVALID_ARGUMENT": INVALID_ARGUMENT,
        "NVML_ERROR_FUNCTION_NOT_FOUND": "function-not-found",
        "NVML_ERROR_ARGUMENT_VERSION_MISMATCH": "function-not-found",
        "NVML_ERROR_DEPRECATED": "function-not-found",
    }
    for const, kind in table.items():
        code = _code(nv, const)
        if code is not None and value == code:
            return kind
    return FAILED


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    value = str(value).strip()
    return value or None


def cuda_version_text(value: object) -> str | None:
    """NVML's CUDA driver version integer (12040) -> '12.4'."""
    if not isinstance(value, int) or value <= 0:
        return None
    return f"{value // 1000}.{(value % 1000) // 10}"


@dataclass
class DeviceInfo:
    """One device as NVML describes it; None where the driver does not say."""

    index: int
    name: str | None = None
    bus_id: str | None = None
    vendor_id: str | None = None
    device_id: str | None = None
    uuid: str | None = None
    memory_total_bytes: int | None = None
    memory_used_bytes: int | None = None
    memory_reserved_bytes: int | None = None
    memory_api: str | None = None  # 'v2' or 'v1' (v1 counts reserved as used)
    capability: str | None = None
    temperature_c: float | None = None
    utilization_pct: float | None = None
    power_draw_w: float | None = None
    power_limit_w: float | None = None
    power_enforced_w: float | None = None
    power_default_w: float | None = None
    power_min_w: float | None = None
    power_max_w: float | None = None
    clock_sm_mhz: float | None = None
    fan_pct: float | None = None

    def to_json(self) -> dict:
        return asdict(self)


def _mw_to_w(value: object) -> float | None:
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return None
    return round(value / 1000.0, 3)


class Nvml:
    """An NVML session: ``with Nvml(pynvml) as nv: nv.device_count()``. Thread-safe init/shutdown."""

    def __init__(self, module: ModuleType) -> None:
        self.nv = module
        self._lock = threading.Lock()
        self._open = False

    # ---- session ---------------------------------------------------------------------------
    def open(self) -> Nvml:
        if self.nv is None:
            raise NvmlFailure(LIBRARY_MISSING, "nvidia-ml-py is not installed")
        with self._lock:
            if self._open:
                return self
            try:
                self.nv.nvmlInit()
            except Exception as exc:  # noqa: BLE001 - any init failure is reported by kind
                kind = classify(self.nv, exc)
                if kind in (NOT_SUPPORTED, NO_PERMISSION, GPU_LOST, "function-not-found"):
                    kind = FAILED
                raise NvmlFailure(kind, _exc_text(exc)) from None
            self._open = True
        return self

    def close(self) -> None:
        with self._lock:
            if not self._open:
                return
            self._open = False
            try:
                self.nv.nvmlShutdown()
            except Exception:  # noqa: BLE001 - shutting down never fails the caller
                log.debug("nvmlShutdown failed", exc_info=True)

    def __enter__(self) -> Nvml:
        return self.open()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- one call, one policy --------------------------------------------------------------
    def call(self, func: str, *args: object, **kwargs: object) -> Any:  # what pynvml returns
        """Call ``pynvml.<func>``; per-field failures -> None; GPU lost -> NvmlFailure('gpu-lost')."""
        fn = getattr(self.nv, func, None)
        if fn is None:
            return None
        try:
            return fn(*args, **kwargs)
        except Exception as exc:  # noqa: BLE001
            kind = classify(self.nv, exc)
            if kind in (GPU_LOST, DRIVER_NOT_LOADED, DRIVER_MISMATCH):
                raise NvmlFailure(kind, _exc_text(exc)) from None
            return None

    def _try(self, func: str, *args: object, **kwargs: object) -> Any:  # what pynvml returns, or None
        """Like call() but returns (value, kind) so a caller can tell 'missing function' apart."""
        fn = getattr(self.nv, func, None)
        if fn is None:
            return None, "function-not-found"
        try:
            return fn(*args, **kwargs), None
        except TypeError:
            return None, "function-not-found"  # an old binding without the keyword argument
        except Exception as exc:  # noqa: BLE001
            kind = classify(self.nv, exc)
            if kind in (GPU_LOST, DRIVER_NOT_LOADED, DRIVER_MISMATCH):
                raise NvmlFailure(kind, _exc_text(exc)) from None
            return None, kind

    # ---- system ----------------------------------------------------------------------------
    def device_count(self) -> int:
        try:
            n = self.nv.nvmlDeviceGetCount()
        except Exception as exc:  # noqa: BLE001
            raise NvmlFailure(classify(self.nv, exc), _exc_text(exc)) from None
        return int(n) if isinstance(n, int) and n >= 0 else 0

    def driver_version(self) -> str | None:
        return _text(self.call("nvmlSystemGetDriverVersion"))

    def cuda_driver_version(self) -> str | None:
        """Highest CUDA version the driver supports ('12.4')."""
        value, kind = self._try("nvmlSystemGetCudaDriverVersion_v2")
        if value is None:
            value = self.call("nvmlSystemGetCudaDriverVersion")
        return cuda_version_text(value)

    def handle(self, index: int) -> object:  # an opaque NVML device handle
        try:
            return self.nv.nvmlDeviceGetHandleByIndex(index)
        except Exception as exc:  # noqa: BLE001
            raise NvmlFailure(classify(self.nv, exc), _exc_text(exc)) from None

    # ---- per device ------------------------------------------------------------------------
    def memory(self, handle: object) -> tuple[int | None, int | None, int | None, str | None]:
        """(total, used, reserved, 'v2'|'v1'). v2 keeps reserved memory apart; v1 counts it as used."""
        version = getattr(self.nv, "nvmlMemory_v2", None)
        if version is not None:
            info, kind = self._try("nvmlDeviceGetMemoryInfo", handle, version=version)
            if info is not None:
                return (
                    _int(getattr(info, "total", None)),
                    _int(getattr(info, "used", None)),
                    _int(getattr(info, "reserved", None)),
                    "v2",
                )
            if kind == NOT_SUPPORTED:
                return None, None, None, None
        info = self.call("nvmlDeviceGetMemoryInfo", handle)
        if info is None:
            return None, None, None, None
        return _int(getattr(info, "total", None)), _int(getattr(info, "used", None)), None, "v1"

    def temperature(self, handle: object) -> float | None:
        sensor = getattr(self.nv, "NVML_TEMPERATURE_GPU", 0)
        value, kind = self._try("nvmlDeviceGetTemperatureV", handle, sensor)
        if value is None and kind in ("function-not-found", FAILED):
            value = self.call("nvmlDeviceGetTemperature", handle, sensor)
        return _num(value)

    def pci(self, handle: object) -> tuple[str | None, str | None, str | None]:
        """(bus id, vendor id, device id). NVML's pciDeviceId is device << 16 | vendor."""
        info = self.call("nvmlDeviceGetPciInfo", handle)
        if info is None:
            return None, None, None
        bus = _text(getattr(info, "busId", None)) or _text(getattr(info, "busIdLegacy", None))
        pid = getattr(info, "pciDeviceId", None)
        vendor = device = None
        if isinstance(pid, int) and pid > 0:
            vendor, device = hex4(pid & 0xFFFF), hex4((pid >> 16) & 0xFFFF)
        return normalize_bus_id(bus), vendor, device

    def capability(self, handle: object) -> str | None:
        cc = self.call("nvmlDeviceGetCudaComputeCapability", handle)
        if isinstance(cc, (tuple, list)) and len(cc) == 2 and all(isinstance(x, int) for x in cc):
            return f"{cc[0]}.{cc[1]}"
        return None

    def power_constraints(self, handle: object) -> dict:
        """Watts: min, max, default, current (management limit), enforced. None where unsupported."""
        mn = mx = None
        cons = self.call("nvmlDeviceGetPowerManagementLimitConstraints", handle)
        if isinstance(cons, (tuple, list)) and len(cons) == 2:
            mn, mx = _mw_to_w(cons[0]), _mw_to_w(cons[1])
        return {
            "min_w": mn,
            "max_w": mx,
            "default_w": _mw_to_w(self.call("nvmlDeviceGetPowerManagementDefaultLimit", handle)),
            "current_w": _mw_to_w(self.call("nvmlDeviceGetPowerManagementLimit", handle)),
            "enforced_w": _mw_to_w(self.call("nvmlDeviceGetEnforcedPowerLimit", handle)),
        }

    def set_power_limit_mw(self, handle: object, milliwatts: int) -> None:
        """nvmlDeviceSetPowerManagementLimit; raises NvmlFailure(kind) on any error."""
        fn = getattr(self.nv, "nvmlDeviceSetPowerManagementLimit", None)
        if fn is None:
            raise NvmlFailure(NOT_SUPPORTED, "nvmlDeviceSetPowerManagementLimit is missing")
        try:
            fn(handle, int(milliwatts))
        except Exception as exc:  # noqa: BLE001
            raise NvmlFailure(classify(self.nv, exc), _exc_text(exc)) from None

    def utilization(self, handle: object) -> float | None:
        u = self.call("nvmlDeviceGetUtilizationRates", handle)
        return _num(getattr(u, "gpu", None)) if u is not None else None

    def clock_sm(self, handle: object) -> float | None:
        return _num(self.call("nvmlDeviceGetClockInfo", handle, getattr(self.nv, "NVML_CLOCK_SM", 1)))

    def fan(self, handle: object) -> float | None:
        return _num(self.call("nvmlDeviceGetFanSpeed", handle))

    def power_draw_w(self, handle: object) -> float | None:
        return _mw_to_w(self.call("nvmlDeviceGetPowerUsage", handle))

    def static_info(self, index: int, handle: object = None) -> DeviceInfo:
        """Identity fields (slow-changing): name, PCI, UUID, VRAM total, capability, power limits."""
        h = self.handle(index) if handle is None else handle
        bus, vendor, device = self.pci(h)
        total, _used, _res, api = self.memory(h)
        p = self.power_constraints(h)
        return DeviceInfo(
            index=index,
            name=_text(self.call("nvmlDeviceGetName", h)),
            bus_id=bus,
            vendor_id=vendor,
            device_id=device,
            uuid=_text(self.call("nvmlDeviceGetUUID", h)),
            memory_total_bytes=total,
            memory_api=api,
            capability=self.capability(h),
            power_limit_w=p["current_w"],
            power_enforced_w=p["enforced_w"],
            power_default_w=p["default_w"],
            power_min_w=p["min_w"],
            power_max_w=p["max_w"],
        )

    def device_info(self, index: int) -> DeviceInfo:
        """Everything at once (probe): static fields plus one reading of the live ones."""
        h = self.handle(index)
        info = self.static_info(index, h)
        total, used, reserved, api = self.memory(h)
        info.memory_total_bytes = total if total is not None else info.memory_total_bytes
        info.memory_used_bytes, info.memory_reserved_bytes, info.memory_api = used, reserved, api
        info.temperature_c = self.temperature(h)
        info.utilization_pct = self.utilization(h)
        info.power_draw_w = self.power_draw_w(h)
        info.clock_sm_mhz = self.clock_sm(h)
        info.fan_pct = self.fan(h)
        return info


def _int(v: object) -> int | None:
    return int(v) if isinstance(v, int) and not isinstance(v, bool) and v >= 0 else None


def _num(v: object) -> float | None:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None
    return float(v)


def _exc_text(exc: BaseException) -> str:
    try:
        return f"{type(exc).__name__}: {exc}"
    except Exception:  # noqa: BLE001 - pynvml's __str__ may itself call into NVML
        return type(exc).__name__
