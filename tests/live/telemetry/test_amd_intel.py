"""AMD/Intel telemetry: amdgpu hwmon with the real node names, an asleep dGPU left asleep, power limits
in µW, amd-smi/rocm-smi fallbacks with fake tools, Intel energy counters, and the rigs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from probes.core.errors import RigPilotError
from probes.core.host import Host
from probes.core.model import Gpu, Pci, ProbeResult
from probes.core.replay import RIGS_DIR, ReplayHost
from probes.detect.engine import probe
from probes.detect.sources import amd as amd_sources
from probes.detect.sources import intel as intel_sources
from probes.live.telemetry import amd, intel, registry
from tests.detect.sources.test_amd_intel import BUS, amd_tree

DATA = Path(__file__).resolve().parents[2] / "data"
HW = f"/sys/bus/pci/devices/{BUS}/hwmon/hwmon4"
MINE = [*amd_sources.SOURCES, *intel_sources.SOURCES]


class SpyHost(Host):
    """A Host that records every path it reads, lists or checks."""

    def __init__(self, **kw):
        super().__init__(**kw)
        self.touched: list[str] = []

    def read_bytes(self, path, max_bytes=4 * 1024 * 1024):
        self.touched.append(str(path))
        return super().read_bytes(path, max_bytes)

    def listdir(self, path):
        self.touched.append(str(path))
        return super().listdir(path)

    def exists(self, path):
        self.touched.append(str(path))
        return super().exists(path)


def spy(sysfs, tmp_path, path=()):
    return SpyHost(
        root=str(sysfs.root),
        env={"PATH": ":".join(path), "HOME": str(tmp_path)},
        platform="linux",
        extra_dirs={},
    )


def amd_result(index=0, vendor_index=None):
    return ProbeResult(gpus=[Gpu(index=index, vendor="amd", pci=Pci(bus_id=BUS), vendor_index=vendor_index)])


def test_sysfs_sample_values(sysfs, tmp_path):
    amd_tree(sysfs)
    host = spy(sysfs, tmp_path)
    [backend] = amd.backends(host, amd_result())
    assert isinstance(backend, amd.AmdSysfsBackend) and backend.gpus() == [0]
    [s] = backend.sample(12.5)
    assert (s.t, s.gpu, s.state, s.source) == (12.5, 0, "ok", "amdgpu-sysfs")
    assert (s.temperature_c, s.hotspot_c) == (48.0, 61.0)
    assert (s.power_draw_w, s.power_limit_w) == (212.0, 303.0)
    assert (s.memory_used_bytes, s.memory_total_bytes) == (1153433600, 25753026560)
    assert (s.utilization_pct, s.clock_mhz, s.fan_pct) == (7.0, 2304.0, 40.0)


def test_power_input_when_no_average_and_absent_fields_are_none(sysfs, tmp_path):
    amd_tree(sysfs)
    for node in ("power1_average", "pwm1", "temp2_input", "temp2_label"):
        (sysfs.root / HW.lstrip("/") / node).unlink()
    (sysfs.root / f"sys/bus/pci/devices/{BUS}/gpu_busy_percent".lstrip("/")).unlink()
    sysfs.write(f"{HW}/power1_input", "187000000\n")
    [s] = amd.backends(spy(sysfs, tmp_path), amd_result())[0].sample(1.0)
    assert s.power_draw_w == 187.0
    assert s.hotspot_c is None and s.fan_pct is None and s.utilization_pct is None
    assert s.temperature_c == 48.0


def test_suspended_dgpu_is_not_woken(sysfs, tmp_path):
    amd_tree(sysfs, runtime="suspended")
    host = spy(sysfs, tmp_path)
    [backend] = amd.backends(host, amd_result())
    host.touched.clear()
    [s] = backend.sample(3.0)
    assert s.state == "asleep"
    assert all(
        getattr(s, f) is None
        for f in ("temperature_c", "power_draw_w", "memory_used_bytes", "utilization_pct", "clock_mhz")
    )
    assert host.touched == [f"/sys/bus/pci/devices/{BUS}/power/runtime_status"]
    # it wakes up on its own: the next sample reads values again
    sysfs.write(f"/sys/bus/pci/devices/{BUS}/power/runtime_status", "active\n")
    [s2] = backend.sample(4.0)
    assert s2.state == "ok" and s2.temperature_c == 48.0


def test_lost_gpu(sysfs, tmp_path):
    amd_tree(sysfs)
    backend = amd.backends(spy(sysfs, tmp_path), amd_result())[0]
    (sysfs.root / f"sys/bus/pci/devices/{BUS}/vendor").unlink()
    [s] = backend.sample(5.0)
    assert s.state == "lost" and s.temperature_c is None


def test_power_constraints_from_hwmon(sysfs, tmp_path):
    amd_tree(sysfs)
    backend = amd.backends(spy(sysfs, tmp_path), amd_result())[0]
    pc = backend.power(0)
    assert pc.supported and (pc.min_w, pc.max_w, pc.default_w, pc.current_w, pc.enforced_w) == (
        273.0,
        348.0,
        303.0,
        303.0,
        303.0,
    )


def test_power_unsupported_without_cap(sysfs, tmp_path):
    amd_tree(sysfs)
    (sysfs.root / HW.lstrip("/") / "power1_cap").unlink()
    backend = amd.backends(spy(sysfs, tmp_path), amd_result())[0]
    pc = backend.power(0)
    assert pc.supported is False and "power1_cap" in str(pc.reason)
    with pytest.raises(RigPilotError) as err:
        backend.set_power_limit(0, 250)
    assert err.value.code == "power-limit-unsupported"


def test_set_power_limit_writes_microwatts_and_rereads(sysfs, tmp_path):
    amd_tree(sysfs)
    host = spy(sysfs, tmp_path)
    written = []
    real_write = host.write_text

    def write_text(path, text):
        written.append((path, text))
        real_write(path, text)

    host.write_text = write_text
    backend = amd.backends(host, amd_result())[0]
    host.touched.clear()
    assert backend.set_power_limit(0, 280) == 280.0
    assert written == [(f"{HW}/power1_cap", "280000000\n")]
    assert f"{HW}/power1_cap" in host.touched  # re-read after the write
    assert (sysfs.root / HW.lstrip("/") / "power1_cap").read_text() == "280000000\n"


def test_set_power_limit_reports_what_the_driver_kept(sysfs, tmp_path):
    """amdgpu keeps whole watts: the re-read value is returned, not the requested one."""
    amd_tree(sysfs)
    host = spy(sysfs, tmp_path)
    real_write = host.write_text
    host.write_text = lambda path, text: real_write(path, f"{int(text) // 1_000_000 * 1_000_000}\n")
    assert amd.backends(host, amd_result())[0].set_power_limit(0, 280.7) == 280.0


def test_set_power_limit_permission_denied(sysfs, tmp_path):
    amd_tree(sysfs)
    host = spy(sysfs, tmp_path)

    def deny(path, text):
        raise PermissionError(13, "Permission denied")

    host.write_text = deny
    with pytest.raises(RigPilotError) as err:
        amd.backends(host, amd_result())[0].set_power_limit(0, 250)
    assert err.value.code == "power-permission-denied"
    assert "sudo tee" in str(err.value.hint) and "250000000" in str(err.value.hint)


def test_set_power_limit_driver_refusal(sysfs, tmp_path):
    amd_tree(sysfs)
    host = spy(sysfs, tmp_path)

    def einval(path, text):
        raise OSError(22, "Invalid argument")

    host.write_text = einval
    with pytest.raises(RigPilotError) as err:
        amd.backends(host, amd_result())[0].set_power_limit(0, 999)
    assert err.value.code == "power-write-failed"


# ---- tool fallbacks ----------------------------------------------------------------------------------
def test_amd_smi_backend_when_no_hwmon(sysfs, fake_tools, tmp_path):
    amd_tree(sysfs, hwmon=False)
    metric = (DATA / "amd-smi-metric/rx6600-amdgpu7.0.0pve-linux.txt").read_text()
    fake_tools.replay("amd-smi", {"metric --json": {"stdout": metric}})
    [backend] = amd.backends(spy(sysfs, tmp_path, [fake_tools.path]), amd_result(vendor_index=0))
    assert isinstance(backend, amd.AmdSmiBackend)
    [s] = backend.sample(1.0)
    assert (s.temperature_c, s.hotspot_c, s.power_draw_w, s.utilization_pct, s.clock_mhz) == (
        36.0,
        37.0,
        6.0,
        1.0,
        800.0,
    )
    assert s.memory_total_bytes == 8176 * 2**20 and s.power_limit_w is None


def test_amd_smi_backend_failure_is_unavailable_not_an_exception(sysfs, fake_tools, tmp_path):
    amd_tree(sysfs, hwmon=False)
    fake_tools.replay("amd-smi", {"*": {"stdout_hex": "00ff00ff", "rc": 0}})
    [s] = amd.backends(spy(sysfs, tmp_path, [fake_tools.path]), amd_result(vendor_index=0))[0].sample(1.0)
    assert s.state == "unavailable" and s.temperature_c is None


def test_rocm_smi_backend(sysfs, fake_tools, tmp_path):
    amd_tree(sysfs, hwmon=False)
    fake_tools.replay(
        "rocm-smi",
        {
            " ".join(amd.RocmSmiBackend.ARGS): {
                "stdout": (DATA / "rocm-smi/unknown-rocmsmi2019-linux-ftp.txt").read_text()
            }
        },
    )
    [backend] = amd.backends(spy(sysfs, tmp_path, [fake_tools.path]), amd_result())
    [s] = backend.sample(2.0)
    assert (s.temperature_c, s.hotspot_c, s.power_draw_w, s.fan_pct) == (77.0, 103.0, 222.0, 45.0)
    assert s.memory_used_bytes is None


def test_no_backend_for_other_vendors_or_platforms(sysfs, tmp_path):
    amd_tree(sysfs)
    host = spy(sysfs, tmp_path)
    assert amd.backends(host, ProbeResult(gpus=[Gpu(index=0, vendor="nvidia", pci=Pci(bus_id=BUS))])) == []
    host.platform = "windows"
    assert amd.backends(host, amd_result()) == []


# ---- Intel -------------------------------------------------------------------------------------------
def intel_tree(sysfs, energy="1000000000"):
    sysfs.pci_device(BUS, "8086", "56a0", driver="i915", extra={"power/runtime_status": "active\n"})
    hw = f"/sys/bus/pci/devices/{BUS}/hwmon/hwmon3"
    sysfs.write(f"{hw}/name", "i915\n")
    sysfs.write(f"{hw}/energy1_input", energy + "\n")
    sysfs.write(f"{hw}/power1_max", "190000000\n")
    return hw


def test_intel_hwmon_power_from_energy_difference(sysfs, tmp_path):
    hw = intel_tree(sysfs)
    clock = iter([100.0, 102.0])
    result = ProbeResult(gpus=[Gpu(index=0, vendor="intel", pci=Pci(bus_id=BUS))])
    [backend] = intel.backends(spy(sysfs, tmp_path), result)
    backend.clock = lambda: next(clock)
    [s1] = backend.sample(0.0)
    assert s1.power_draw_w is None and s1.power_limit_w == 190.0  # no previous reading yet
    sysfs.write(f"{hw}/energy1_input", str(1_000_000_000 + 90_000_000) + "\n")  # 90 J in 2 s
    [s2] = backend.sample(1.0)
    assert s2.power_draw_w == 45.0 and s2.temperature_c is None


def test_intel_asleep(sysfs, tmp_path):
    intel_tree(sysfs)
    sysfs.write(f"/sys/bus/pci/devices/{BUS}/power/runtime_status", "suspended\n")
    host = spy(sysfs, tmp_path)
    [backend] = intel.backends(host, ProbeResult(gpus=[Gpu(index=0, vendor="intel", pci=Pci(bus_id=BUS))]))
    host.touched.clear()
    [s] = backend.sample(0.0)
    assert s.state == "asleep" and host.touched == [f"/sys/bus/pci/devices/{BUS}/power/runtime_status"]


# ---- rigs through the registry -------------------------------------------------------------------------
def test_rig_rx7900xtx_telemetry_and_readonly_power():
    host = ReplayHost(RIGS_DIR / "rx7900xtx-linux")  # a replay, not the thermal model
    result = probe(host, sources=MINE)
    chosen = registry.open_backends(host, result)
    backend = chosen[0]
    assert backend.name == "amdgpu-sysfs"
    [s] = backend.sample(0.0)
    assert (s.temperature_c, s.hotspot_c, s.power_draw_w, s.power_limit_w, s.clock_mhz) == (
        45.0,
        52.0,
        38.0,
        303.0,
        1029.0,
    )
    pc = backend.power(0)
    assert (pc.min_w, pc.max_w, pc.default_w) == (273.0, 348.0, 303.0)
    with pytest.raises(RigPilotError) as err:  # a replayed machine cannot be written to
        backend.set_power_limit(0, 280)
    assert err.value.code == "power-permission-denied"


def test_rig_arc_a770_telemetry_via_xpu_smi():
    host = ReplayHost(RIGS_DIR / "arc-a770-linux")  # a replay, not the thermal model
    result = probe(host, sources=MINE)
    backend = registry.open_backends(host, result)[0]
    assert backend.name == "xpu-smi"
    [s] = backend.sample(0.0)
    assert (s.power_draw_w, s.clock_mhz, s.temperature_c) == (33.12, 600.0, None)
    assert s.memory_used_bytes == int(251.2 * 1024 * 1024)


def test_samples_serialise():
    assert json.loads(json.dumps(amd.Sample(t=1.0, gpu=0, state="asleep").to_json()))["state"] == "asleep"
