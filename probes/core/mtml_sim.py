"""A pymtml-like module built from data: simulated rigs and tests of the MTML telemetry path.

``from_manifest(data)`` returns an object with the subset of the ``pymtml`` API (mthreads-ml-py
2.2.x, names as in its examples/02-06) that probes/live/telemetry/mthreads.py calls::

    {"init_error": null | 1,                  # MTML error code raised by mtmlLibraryInit
     "devices": [{"name": "MTT S80", "busId": "00000000:01:00.0", "pciDeviceId": 0x02011ed5,
                  "power_mw": 65000, "temperature_c": 45, "utilization_pct": 3,
                  "clock_mhz": 1800, "memory_total_bytes": 17179869184,
                  "memory_used_bytes": 694157312, "fans": 1, "fan_pct": 40,
                  "not_supported": ["power", "fan"],  # fields raising MTML_ERROR_NOT_SUPPORTED
                  "lost": false}]}                      # every call raises DRIVER_FAILURE

Error codes follow pymtml.py (MTML_ERROR_NOT_SUPPORTED = 4, MTML_ERROR_DRIVER_FAILURE = 2).
Tests can change ``devices[i]`` in place (``sim.devices[0]["lost"] = True``) between samples.
"""

from __future__ import annotations

import contextlib
import copy
from typing import Any

MTML_SUCCESS = 0
MTML_ERROR_DRIVER_NOT_LOADED = 1
MTML_ERROR_DRIVER_FAILURE = 2
MTML_ERROR_INVALID_ARGUMENT = 3
MTML_ERROR_NOT_SUPPORTED = 4
MTML_ERROR_NOT_FOUND = 7


class MTMLError(Exception):
    def __init__(self, value: int) -> None:
        super().__init__(value)
        self.value = value

    def __str__(self) -> str:
        return {
            1: "Driver Not Loaded",
            2: "Driver Failure",
            3: "Invalid Argument",
            4: "Not Supported",
            7: "Not Found",
        }.get(self.value, "Unknown Error")


class _Pci:
    def __init__(self, d: dict) -> None:
        self.busId = str(d.get("busId", "")).encode()
        self.sbdf = self.busId
        self.pciDeviceId = int(d.get("pciDeviceId", 0))


class SimMtml:
    MTMLError = MTMLError
    MTML_ERROR_NOT_SUPPORTED = MTML_ERROR_NOT_SUPPORTED
    MTML_ERROR_DRIVER_FAILURE = MTML_ERROR_DRIVER_FAILURE

    def __init__(self, data: dict) -> None:
        data = copy.deepcopy(data or {})
        self.init_error = data.get("init_error")
        self.devices: list[dict] = list(data.get("devices") or [])
        self.initialized = False
        self.calls = 0

    # library
    def mtmlLibraryInit(self):
        if self.init_error:
            raise MTMLError(int(self.init_error))
        self.initialized = True

    def mtmlLibraryShutDown(self):
        self.initialized = False

    def mtmlLibraryCountDevice(self):
        self._ready()
        return len(self.devices)

    def mtmlLibraryInitDeviceByIndex(self, i):
        self._ready()
        if not 0 <= i < len(self.devices):
            raise MTMLError(MTML_ERROR_INVALID_ARGUMENT)
        return i

    # device
    def mtmlDeviceGetName(self, dev):
        return self._field(dev, "name")

    def mtmlDeviceGetPciInfo(self, dev):
        self._dev(dev)
        return _Pci(self.devices[dev])

    def mtmlDeviceGetPowerUsage(self, dev):
        return int(self._field(dev, "power_mw", "power"))

    def mtmlDeviceCountFan(self, dev):
        return int(self._field(dev, "fans", "fan"))

    def mtmlDeviceGetFanSpeed(self, dev, index):
        return int(self._field(dev, "fan_pct", "fan"))

    @contextlib.contextmanager
    def mtmlGpuContext(self, dev):
        self._dev(dev)
        yield dev

    @contextlib.contextmanager
    def mtmlMemoryContext(self, dev):
        self._dev(dev)
        yield dev

    def mtmlGpuGetUtilization(self, gpu):
        return int(self._field(gpu, "utilization_pct", "utilization"))

    def mtmlGpuGetTemperature(self, gpu):
        return int(self._field(gpu, "temperature_c", "temperature"))

    def mtmlGpuGetClock(self, gpu):
        return int(self._field(gpu, "clock_mhz", "clock"))

    def mtmlMemoryGetTotal(self, mem):
        return int(self._field(mem, "memory_total_bytes", "memory"))

    def mtmlMemoryGetUsed(self, mem):
        return int(self._field(mem, "memory_used_bytes", "memory"))

    # helpers
    def _ready(self):
        if not self.initialized:
            raise MTMLError(MTML_ERROR_DRIVER_NOT_LOADED)

    def _dev(self, dev: object) -> dict:
        self._ready()
        self.calls += 1
        if not isinstance(dev, int) or not 0 <= dev < len(self.devices):
            raise MTMLError(MTML_ERROR_INVALID_ARGUMENT)
        d = self.devices[dev]
        if d.get("lost"):
            raise MTMLError(MTML_ERROR_DRIVER_FAILURE)
        return d

    def _field(self, dev: object, key: str, group: str | None = None) -> Any:  # the rig's value
        d = self._dev(dev)
        if (group or key) in (d.get("not_supported") or []) or d.get(key) is None:
            raise MTMLError(MTML_ERROR_NOT_SUPPORTED)
        return d[key]


def from_manifest(data: dict) -> SimMtml:
    return SimMtml(data)
