"""A fake ``pynvml`` (nvidia-ml-py) with named failure scenarios, for the NVML wrapper, sources and
telemetry tests. Built on probes.core.nvml_sim (the same module simulated rigs use); the error classes and
NVML_ERROR_* values mirror nvidia-ml-py's (checked against the installed pynvml by test_nvml.py).

Scenarios (after gpustat's NVML scenarios, wookayin/gpustat gpustat/test_gpustat.py):

* ``basic``            — RTX 3090 + RTX 3060, driver 550.54.14, CUDA 12.4;
* ``library_missing``  — nvmlInit raises NVMLError_LibraryNotFound (no libnvidia-ml.so.1);
* ``driver_not_loaded``— nvmlInit raises NVMLError_DriverNotLoaded;
* ``rm_mismatch``      — nvmlInit raises NVMLError_LibRmVersionMismatch (driver updated, no reboot);
* ``gpu_lost``         — device 1 raises NVMLError_GpuIsLost (``restore(mod, 1)`` brings it back);
* ``field_not_supported`` — a laptop-like card: fan, power draw and power limits NotSupported;
* ``old_driver``       — no ``nvmlDeviceGetMemoryInfo_v2``, ``nvmlDeviceGetTemperatureV``,
  ``nvmlSystemGetCudaDriverVersion_v2`` symbols (FunctionNotFound), like a 470 driver.
"""

from __future__ import annotations

import copy

from probes.core.nvml_sim import from_manifest

MiB = 1024 * 1024

RTX3090 = {
    "name": "NVIDIA GeForce RTX 3090",
    "bus_id": "00000000:01:00.0",
    "pci_device_id": "0x220410DE",
    "uuid": "GPU-3b2d5ae1-7a0c-4e2c-9f6e-000000003090",
    "memory_total": 24576 * MiB,
    "memory_used": 1024 * MiB,
    "memory_reserved": 300 * MiB,
    "capability": [8, 6],
    "temperature": 45,
    "utilization": 37,
    "power_usage_mw": 120500,
    "power_limit_mw": 350000,
    "power_default_mw": 350000,
    "power_min_mw": 100000,
    "power_max_mw": 400000,
    "enforced_limit_mw": 350000,
    "clock_sm": 1695,
    "fan": 41,
}
RTX3060 = {
    "name": "NVIDIA GeForce RTX 3060",
    "bus_id": "00000000:02:00.0",
    "pci_device_id": "0x250410DE",
    "uuid": "GPU-7c1e0d44-2b8f-4a51-8d3a-000000003060",
    "memory_total": 12288 * MiB,
    "memory_used": 200 * MiB,
    "memory_reserved": 250 * MiB,
    "capability": [8, 6],
    "temperature": 38,
    "utilization": 0,
    "power_usage_mw": 15250,
    "power_limit_mw": 170000,
    "power_default_mw": 170000,
    "power_min_mw": 100000,
    "power_max_mw": 212000,
    "enforced_limit_mw": 170000,
    "clock_sm": 210,
    "fan": 0,
}
BASE = {"driver_version": "550.54.14", "cuda_driver_version": 12040, "devices": [RTX3090, RTX3060]}


def scenario_data(name: str = "basic") -> dict:
    data = copy.deepcopy(BASE)
    if name == "basic":
        pass
    elif name == "library_missing":
        data["init_error"] = "LIBRARY_NOT_FOUND"
    elif name == "driver_not_loaded":
        data["init_error"] = "DRIVER_NOT_LOADED"
    elif name == "rm_mismatch":
        data["init_error"] = "LIB_RM_VERSION_MISMATCH"
    elif name == "gpu_lost":
        data["devices"][1]["lost"] = True
    elif name == "field_not_supported":
        data["devices"] = [
            dict(
                data["devices"][1],
                unsupported=[
                    "fan",
                    "power_usage_mw",
                    "power_limit_mw",
                    "power_default_mw",
                    "power_constraints",
                    "set_power_limit",
                ],
            )
        ]
    elif name == "old_driver":
        data["driver_version"] = "470.82.01"
        data["cuda_driver_version"] = 11040
        data["missing_functions"] = [
            "nvmlDeviceGetMemoryInfo_v2",
            "nvmlDeviceGetTemperatureV",
            "nvmlSystemGetCudaDriverVersion_v2",
        ]
    else:  # pragma: no cover - a typo in a test
        raise KeyError(name)
    return data


SCENARIOS = (
    "basic",
    "library_missing",
    "driver_not_loaded",
    "rm_mismatch",
    "gpu_lost",
    "field_not_supported",
    "old_driver",
)


def make(name: str = "basic", **overrides):
    """A fresh fake pynvml module for scenario ``name``; ``overrides`` update the top-level data."""
    data = scenario_data(name)
    data.update(overrides)
    return from_manifest(data)


def lose(mod, index: int) -> None:
    mod.sim["devices"][index]["lost"] = True


def restore(mod, index: int) -> None:
    mod.sim["devices"][index]["lost"] = False


class FakeHost:
    """Wraps a Host so that ``import_module('pynvml')`` returns ``module`` (None = not installed)."""

    def __init__(self, host, module):
        self._host = host
        self._module = module

    def import_module(self, name):
        return self._module if name == "pynvml" else self._host.import_module(name)

    def __getattr__(self, item):
        return getattr(self._host, item)
