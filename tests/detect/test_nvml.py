"""The NVML wrapper (probes/detect/nvml.py) against the fake pynvml scenarios (tests/fake_pynvml.py)."""

from __future__ import annotations

import importlib

import pytest

from probes.core import nvml_sim
from probes.detect.nvml import (
    DRIVER_MISMATCH,
    DRIVER_NOT_LOADED,
    GPU_LOST,
    LIBRARY_MISSING,
    NO_PERMISSION,
    Nvml,
    NvmlFailure,
    cuda_version_text,
)
from tests import fake_pynvml as fake

MiB = 1024 * 1024


def test_fake_mirrors_nvidia_ml_py_names_and_values():
    real = importlib.import_module("pynvml")  # nvidia-ml-py, installed in the venv
    mod = fake.make()
    for name in dir(real):
        if name.startswith("NVML_ERROR_"):
            assert getattr(mod, name) == getattr(real, name), name
        if name.startswith("NVMLError_"):
            cls = getattr(mod, name)
            assert issubclass(cls, mod.NVMLError)
            assert cls().value == getattr(real, name)().value, name
    assert mod.nvmlMemory_v2 == real.nvmlMemory_v2
    assert mod.NVML_TEMPERATURE_GPU == real.NVML_TEMPERATURE_GPU and mod.NVML_CLOCK_SM == real.NVML_CLOCK_SM
    # NVMLError(code) maps to the subclass, as in nvidia-ml-py
    assert type(mod.NVMLError(mod.NVML_ERROR_GPU_IS_LOST)).__name__ == "NVMLError_GpuIsLost"


def test_basic_two_gpus():
    with Nvml(fake.make("basic")) as nv:
        assert nv.device_count() == 2
        assert nv.driver_version() == "550.54.14"
        assert nv.cuda_driver_version() == "12.4"
        a, b = nv.device_info(0), nv.device_info(1)
    assert a.name == "NVIDIA GeForce RTX 3090" and a.bus_id == "0000:01:00.0"
    assert (a.vendor_id, a.device_id) == ("10de", "2204")
    assert (b.vendor_id, b.device_id) == ("10de", "2504")
    assert a.memory_total_bytes == 24576 * MiB and a.memory_api == "v2"
    assert a.memory_used_bytes == 1024 * MiB and a.memory_reserved_bytes == 300 * MiB
    assert a.capability == "8.6" and a.temperature_c == 45.0
    assert (a.power_draw_w, a.power_limit_w, a.power_min_w, a.power_max_w) == (120.5, 350.0, 100.0, 400.0)
    assert a.power_enforced_w == 350.0 and a.power_default_w == 350.0
    assert a.clock_sm_mhz == 1695.0 and a.fan_pct == 41.0 and a.utilization_pct == 37.0
    assert b.fan_pct == 0.0  # a real 0 % fan (zero-RPM mode) stays 0; NotSupported is None


def test_old_driver_falls_back_to_v1_memory_and_legacy_temperature():
    mod = fake.make("old_driver")
    with Nvml(mod) as nv:
        info = nv.device_info(0)
        assert nv.cuda_driver_version() == "11.4"
    assert info.memory_api == "v1"
    # v1 counts reserved memory as used (1024 + 300 MiB)
    assert info.memory_used_bytes == 1324 * MiB and info.memory_reserved_bytes is None
    assert info.temperature_c == 45.0


def test_field_not_supported_is_none_never_zero():
    with Nvml(fake.make("field_not_supported")) as nv:
        info = nv.device_info(0)
    assert info.fan_pct is None and info.power_draw_w is None
    assert info.power_limit_w is None and info.power_min_w is None and info.power_max_w is None
    assert info.power_enforced_w == 170.0  # laptops: enforced works while the management limit does not
    assert info.name == "NVIDIA GeForce RTX 3060" and info.temperature_c == 38.0


@pytest.mark.parametrize(
    "scenario,kind",
    [
        ("library_missing", LIBRARY_MISSING),
        ("driver_not_loaded", DRIVER_NOT_LOADED),
        ("rm_mismatch", DRIVER_MISMATCH),
    ],
)
def test_init_failures_are_classified(scenario, kind):
    with pytest.raises(NvmlFailure) as info:
        Nvml(fake.make(scenario)).open()
    assert info.value.kind == kind


def test_module_absent_is_library_missing():
    with pytest.raises(NvmlFailure) as info:
        Nvml(None).open()
    assert info.value.kind == LIBRARY_MISSING


def test_gpu_lost_then_back():
    mod = fake.make("gpu_lost")
    with Nvml(mod) as nv:
        assert nv.device_info(0).name == "NVIDIA GeForce RTX 3090"
        with pytest.raises(NvmlFailure) as info:
            nv.device_info(1)
        assert info.value.kind == GPU_LOST
        fake.restore(mod, 1)
        assert nv.device_info(1).name == "NVIDIA GeForce RTX 3060"


def test_set_power_limit_needs_privilege_and_range():
    mod = fake.make("basic")
    with Nvml(mod) as nv:
        h = nv.handle(0)
        with pytest.raises(NvmlFailure) as info:
            nv.set_power_limit_mw(h, 300000)
        assert info.value.kind == NO_PERMISSION
        mod.sim["privileged"] = True
        nv.set_power_limit_mw(h, 300000)
        assert nv.power_constraints(h)["enforced_w"] == 300.0
        with pytest.raises(NvmlFailure) as info:
            nv.set_power_limit_mw(h, 50000)
        assert info.value.kind == "invalid-argument"


def test_shutdown_balances_init():
    mod = fake.make("basic")
    nv = Nvml(mod).open()
    nv.open()
    assert mod.initialized()
    nv.close()
    nv.close()
    assert not mod.initialized()


def test_cuda_version_text():
    assert cuda_version_text(12040) == "12.4"
    assert cuda_version_text(13000) == "13.0"
    assert cuda_version_text(0) is None and cuda_version_text(None) is None


def test_sim_from_manifest_defaults_are_empty():
    mod = nvml_sim.from_manifest({})
    with Nvml(mod) as nv:
        assert nv.device_count() == 0
        assert nv.driver_version() is None
