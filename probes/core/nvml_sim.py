"""A pynvml-like module built from data: simulated rigs (``"modules": {"pynvml": {...}}`` in a
recording manifest, see probes/core/replay.py MODULE_FACTORIES) and the fake NVML of the tests.

It mirrors the names of nvidia-ml-py (``NVMLError``, ``NVMLError_GpuIsLost``, ``NVML_ERROR_*``
values, ``nvmlMemory_v2``, ``nvmlDeviceGetTemperatureV``...) and its behaviour on old drivers: a
function whose symbol the driver lacks raises ``NVMLError_FunctionNotFound`` when called.

Data shape (every key optional)::

    {"driver_version": "550.54.14", "cuda_driver_version": 12040,
     "init_error": null | "DRIVER_NOT_LOADED" | "LIB_RM_VERSION_MISMATCH" | "LIBRARY_NOT_FOUND",
     "missing_functions": ["nvmlDeviceGetMemoryInfo_v2", "nvmlDeviceGetTemperatureV", ...],
     "privileged": false,
     "devices": [{"name", "bus_id": "00000000:01:00.0", "pci_device_id": "0x250410DE", "uuid",
                  "memory_total", "memory_used", "memory_reserved", "capability": [8, 6],
                  "temperature", "utilization", "power_usage_mw", "power_limit_mw",
                  "power_default_mw", "power_min_mw", "power_max_mw", "enforced_limit_mw",
                  "clock_sm", "fan", "unsupported": ["fan", "power_usage_mw", ...], "lost": false}]}
"""

from __future__ import annotations

import copy
import string
import threading
import types
from typing import Any

# Values of nvml.h's nvmlReturn_t, as nvidia-ml-py names them.
ERROR_CODES = {
    "UNINITIALIZED": 1,
    "INVALID_ARGUMENT": 2,
    "NOT_SUPPORTED": 3,
    "NO_PERMISSION": 4,
    "ALREADY_INITIALIZED": 5,
    "NOT_FOUND": 6,
    "INSUFFICIENT_SIZE": 7,
    "INSUFFICIENT_POWER": 8,
    "DRIVER_NOT_LOADED": 9,
    "TIMEOUT": 10,
    "IRQ_ISSUE": 11,
    "LIBRARY_NOT_FOUND": 12,
    "FUNCTION_NOT_FOUND": 13,
    "CORRUPTED_INFOROM": 14,
    "GPU_IS_LOST": 15,
    "RESET_REQUIRED": 16,
    "OPERATING_SYSTEM": 17,
    "LIB_RM_VERSION_MISMATCH": 18,
    "IN_USE": 19,
    "MEMORY": 20,
    "NO_DATA": 21,
    "VGPU_ECC_NOT_SUPPORTED": 22,
    "INSUFFICIENT_RESOURCES": 23,
    "FREQ_NOT_SUPPORTED": 24,
    "ARGUMENT_VERSION_MISMATCH": 25,
    "DEPRECATED": 26,
    "NOT_READY": 27,
    "GPU_NOT_FOUND": 28,
    "INVALID_STATE": 29,
    "RESET_TYPE_NOT_SUPPORTED": 30,
    "UNKNOWN": 999,
}
NVML_MEMORY_V2 = 0x02000028  # sizeof(nvmlMemory_v2_t) | 2 << 24
NVML_TEMPERATURE_V1 = 0x100000C


def error_class_name(const: str) -> str:
    """'GPU_IS_LOST' -> 'NVMLError_GpuIsLost' (nvidia-ml-py's naming rule)."""
    return "NVMLError_" + string.capwords(const, "_").replace("_", "")


class _Memory:
    def __init__(self, total, free, used, reserved=None, version=None):
        self.total, self.free, self.used = total, free, used
        if version is not None:
            self.version, self.reserved = version, reserved


class _Pci:
    def __init__(self, bus_id: str, pci_device_id: int, subsystem: int) -> None:
        self.busId = bus_id
        self.busIdLegacy = bus_id
        self.pciDeviceId = pci_device_id
        self.pciSubSystemId = subsystem
        parts = bus_id.replace(".", ":").split(":")
        try:
            self.domain, self.bus, self.device = int(parts[0], 16), int(parts[1], 16), int(parts[2], 16)
        except (IndexError, ValueError):
            self.domain = self.bus = self.device = 0


class _Util:
    def __init__(self, gpu, memory):
        self.gpu, self.memory = gpu, memory


class _Handle:
    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index

    def __repr__(self) -> str:
        return f"<sim nvmlDevice {self.index}>"


def _int(v: str | float | None, default: int | None = None) -> int | None:
    if v is None:
        return default
    if isinstance(v, str):
        return int(v, 0)
    return int(v)


def _error_classes(mod: types.ModuleType) -> type[Exception]:
    """``NVMLError`` and one subclass per code (``NVMLError_GpuIsLost``...), set on ``mod``;
    ``NVMLError(code)`` returns the subclass of that code, as in nvidia-ml-py."""

    class NVMLError(Exception):
        _valClassMapping: dict[int, type[NVMLError]] = {}
        value: int | None

        def __new__(cls, value: int | None = None) -> NVMLError:
            if cls is NVMLError and value is not None:
                cls = NVMLError._valClassMapping.get(value, cls)
            obj = Exception.__new__(cls)
            obj.value = value
            return obj

        def __init__(self, value: int | None = None) -> None:
            super().__init__(value)

        def __str__(self) -> str:
            for const, code in ERROR_CODES.items():
                if code == self.value:
                    return const.replace("_", " ").title()
            return f"NVML Error with code {self.value}"

    NVMLError.__module__ = mod.__name__
    vars(mod)["NVMLError"] = NVMLError
    for const, value in ERROR_CODES.items():

        def _new(cls: type[NVMLError], *args: object, _v: int = value) -> NVMLError:
            return NVMLError.__new__(cls, _v)

        cls = type(
            error_class_name(const),
            (NVMLError,),
            {"__new__": _new, "__init__": lambda self, *a: Exception.__init__(self)},
        )
        cls.__module__ = mod.__name__
        setattr(mod, cls.__name__, cls)
        NVMLError._valClassMapping[value] = cls
    return NVMLError


class _SimNvml:
    """The state of one simulated NVML and its functions (bound methods, set on the module)."""

    def __init__(self, state: dict, error: type[Exception]) -> None:
        self.state = state
        self.error = error
        self.lock = threading.RLock()
        self.inits = 0

    def err(self, name: str) -> Exception:
        return self.error(ERROR_CODES[name])

    def missing(self, symbol: str) -> bool:
        return symbol in self.state.get("missing_functions", ())

    def need_init(self) -> None:
        if self.inits <= 0:
            raise self.err("UNINITIALIZED")

    def dev(self, handle: object) -> dict:
        self.need_init()
        if not isinstance(handle, _Handle) or not 0 <= handle.index < len(self.state["devices"]):
            raise self.err("INVALID_ARGUMENT")
        d = self.state["devices"][handle.index]
        if d.get("lost"):
            raise self.err("GPU_IS_LOST")
        return d

    def field(self, handle: object, key: str, symbol: str) -> Any:  # the rig's value: str, int, list
        if self.missing(symbol):
            raise self.err("FUNCTION_NOT_FOUND")
        d = self.dev(handle)
        if key in d.get("unsupported", ()) or d.get(key) is None:
            raise self.err("NOT_SUPPORTED")
        return d[key]

    def initialized(self) -> bool:
        return self.inits > 0

    # ---- session ----------------------------------------------------------------------------
    def nvmlInit(self) -> None:
        with self.lock:
            code = self.state.get("init_error")
            if code:
                raise self.err(code)
            self.inits += 1

    def nvmlInitWithFlags(self, flags: int) -> None:
        self.nvmlInit()

    def nvmlShutdown(self) -> None:
        with self.lock:
            self.need_init()
            self.inits -= 1

    def nvmlSystemGetDriverVersion(self) -> str:
        self.need_init()
        if self.state.get("driver_version") is None:
            raise self.err("NOT_SUPPORTED")
        return self.state["driver_version"]

    def nvmlSystemGetCudaDriverVersion(self) -> int:
        self.need_init()
        if self.state.get("cuda_driver_version") is None:
            raise self.err("NOT_SUPPORTED")
        return int(self.state["cuda_driver_version"])

    def nvmlSystemGetCudaDriverVersion_v2(self) -> int:
        if self.missing("nvmlSystemGetCudaDriverVersion_v2"):
            raise self.err("FUNCTION_NOT_FOUND")
        return self.nvmlSystemGetCudaDriverVersion()

    def nvmlDeviceGetCount(self) -> int:
        self.need_init()
        return len(self.state["devices"])

    def nvmlDeviceGetHandleByIndex(self, index: int) -> _Handle:
        self.need_init()
        if not 0 <= int(index) < len(self.state["devices"]):
            raise self.err("INVALID_ARGUMENT")
        if self.state["devices"][index].get("lost"):
            raise self.err("GPU_IS_LOST")
        return _Handle(int(index))

    def nvmlDeviceGetName(self, handle: object) -> str:
        return self.field(handle, "name", "nvmlDeviceGetName")

    def nvmlDeviceGetUUID(self, handle: object) -> str:
        return self.field(handle, "uuid", "nvmlDeviceGetUUID")

    def nvmlDeviceGetPciInfo(self, handle: object) -> _Pci:
        d = self.dev(handle)
        return _Pci(
            d.get("bus_id", "00000000:00:00.0"),
            _int(d.get("pci_device_id"), 0) or 0,
            _int(d.get("pci_subsystem_id"), 0) or 0,
        )

    def nvmlDeviceGetMemoryInfo(self, handle: object, version: int | None = None) -> _Memory:
        d = self.dev(handle)
        if "memory" in d.get("unsupported", ()):
            raise self.err("NOT_SUPPORTED")
        total = _int(d.get("memory_total"))
        if total is None:
            raise self.err("NOT_SUPPORTED")
        used = _int(d.get("memory_used"), 0) or 0
        reserved = _int(d.get("memory_reserved"), 0) or 0
        if version:
            if self.missing("nvmlDeviceGetMemoryInfo_v2"):
                raise self.err("FUNCTION_NOT_FOUND")
            return _Memory(total, total - used - reserved, used, reserved, version)
        # v1: "used" is the sum of reserved and allocated memory
        return _Memory(total, total - used - reserved, used + reserved)

    def nvmlDeviceGetTemperatureV(
        self, handle: object, sensor: int, version: int = NVML_TEMPERATURE_V1
    ) -> int:
        if self.missing("nvmlDeviceGetTemperatureV"):
            raise self.err("FUNCTION_NOT_FOUND")
        return self.field(handle, "temperature", "nvmlDeviceGetTemperatureV")

    def nvmlDeviceGetTemperature(self, handle: object, sensor: int) -> int:
        return self.field(handle, "temperature", "nvmlDeviceGetTemperature")

    def nvmlDeviceGetCudaComputeCapability(self, handle: object) -> tuple[int, int]:
        cc = self.field(handle, "capability", "nvmlDeviceGetCudaComputeCapability")
        return (int(cc[0]), int(cc[1]))

    def nvmlDeviceGetUtilizationRates(self, handle: object) -> _Util:
        u = self.field(handle, "utilization", "nvmlDeviceGetUtilizationRates")
        return _Util(int(u), int(self.dev(handle).get("memory_utilization", 0)))

    def nvmlDeviceGetClockInfo(self, handle: object, clock_type: int) -> int:
        return int(self.field(handle, "clock_sm", "nvmlDeviceGetClockInfo"))

    def nvmlDeviceGetFanSpeed(self, handle: object) -> int:
        return int(self.field(handle, "fan", "nvmlDeviceGetFanSpeed"))

    def nvmlDeviceGetPowerUsage(self, handle: object) -> int:
        return int(self.field(handle, "power_usage_mw", "nvmlDeviceGetPowerUsage"))

    def nvmlDeviceGetPowerManagementLimit(self, handle: object) -> int:
        return int(self.field(handle, "power_limit_mw", "nvmlDeviceGetPowerManagementLimit"))

    def nvmlDeviceGetPowerManagementDefaultLimit(self, handle: object) -> int:
        return int(self.field(handle, "power_default_mw", "nvmlDeviceGetPowerManagementDefaultLimit"))

    def nvmlDeviceGetEnforcedPowerLimit(self, handle: object) -> int:
        d = self.dev(handle)
        if "enforced_limit_mw" in d.get("unsupported", ()):
            raise self.err("NOT_SUPPORTED")
        value = d.get("enforced_limit_mw", d.get("power_limit_mw"))
        if value is None:
            raise self.err("NOT_SUPPORTED")
        return int(value)

    def nvmlDeviceGetPowerManagementLimitConstraints(self, handle: object) -> list[int]:
        d = self.dev(handle)
        if (
            "power_constraints" in d.get("unsupported", ())
            or d.get("power_min_mw") is None
            or d.get("power_max_mw") is None
        ):
            raise self.err("NOT_SUPPORTED")
        return [int(d["power_min_mw"]), int(d["power_max_mw"])]

    def nvmlDeviceSetPowerManagementLimit(self, handle: object, limit: int) -> None:
        d = self.dev(handle)
        if "set_power_limit" in d.get("unsupported", ()) or d.get("power_min_mw") is None:
            raise self.err("NOT_SUPPORTED")
        if not self.state.get("privileged", False):
            raise self.err("NO_PERMISSION")
        if not int(d["power_min_mw"]) <= int(limit) <= int(d["power_max_mw"]):
            raise self.err("INVALID_ARGUMENT")
        with self.lock:
            d["power_limit_mw"] = int(limit)
            if not d.get("ignores_power_writes"):
                d["enforced_limit_mw"] = int(limit)


# the NVML functions a simulated module has (methods of _SimNvml)
FUNCTIONS = tuple(name for name in vars(_SimNvml) if name.startswith("nvml"))


def from_manifest(data: dict) -> types.ModuleType:
    """A module object usable wherever ``import pynvml`` is."""
    mod = types.ModuleType("pynvml_sim")
    state = copy.deepcopy(dict(data or {}))
    state.setdefault("devices", [])
    names = vars(mod)  # a module built at run time: its attributes set through its namespace
    names["sim"] = state  # tests and the simulator may change it live (lose a GPU, heat it up)
    names["NVML_SUCCESS"] = 0
    for const, value in ERROR_CODES.items():
        names["NVML_ERROR_" + const] = value
    names["NVML_TEMPERATURE_GPU"] = 0
    names["NVML_CLOCK_GRAPHICS"], names["NVML_CLOCK_SM"], names["NVML_CLOCK_MEM"] = 0, 1, 2
    names["nvmlMemory_v2"] = NVML_MEMORY_V2
    names["nvmlTemperature_v1"] = NVML_TEMPERATURE_V1
    sim = _SimNvml(state, _error_classes(mod))
    for name in FUNCTIONS:
        names[name] = getattr(sim, name)
    names["initialized"] = sim.initialized
    return mod
