"""Moore Threads telemetry: MTML through a pymtml-like fake (probes.core.mtml_sim), then mthreads-gmi."""

from __future__ import annotations

from pathlib import Path

import pytest

from probes.core import mtml_sim
from probes.core.i18n import render
from probes.core.model import Compute, Driver, Gpu, Pci, ProbeResult
from probes.live.telemetry import mthreads as tm
from probes.live.telemetry.base import LOST, OK, UNAVAILABLE

DATA = Path(__file__).resolve().parents[2] / "data" / "mthreads-gmi"
GIB = 2**30


def s80_result(bus="0000:01:00.0", tool_version="2.0.0", index=0):
    return ProbeResult(
        gpus=[
            Gpu(
                index=index,
                vendor="mthreads",
                name="MTT S80",
                vendor_index=0,
                pci=Pci("1ed5", "0201", bus),
                memory_total_bytes=16 * GIB,
                driver=Driver(version="3.0.0", tool="mthreads-gmi", tool_version=tool_version),
                compute=Compute(api="musa", arch="mp_21"),
            )
        ]
    )


DEVICE = {
    "name": "MTT S80",
    "busId": "00000000:01:00.0",
    "power_mw": 120500,
    "temperature_c": 63,
    "utilization_pct": 97,
    "clock_mhz": 1800,
    "memory_total_bytes": 16 * GIB,
    "memory_used_bytes": 9 * GIB,
    "fans": 1,
    "fan_pct": 55,
}


class SimHost:
    """Only the seam the backends use: import_module + which/run (no tool here)."""

    def __init__(self, sim=None):
        self.sim = sim

    def import_module(self, name):
        return self.sim if name == "pymtml" else None

    def which(self, name, extra_dirs=()):
        return None


def open_mtml(device_overrides=None, **sim):
    data = {"devices": [dict(DEVICE, **(device_overrides or {}))], **sim}
    mod = mtml_sim.from_manifest(data)
    (backend,) = tm.backends(SimHost(mod), s80_result(index=3))
    return backend, mod


def test_mtml_sample_units_and_mapping_by_bus_id():
    backend, _ = open_mtml()
    assert isinstance(backend, tm.MtmlBackend) and backend.gpus() == [3]
    (s,) = backend.sample(10.0)
    assert (s.gpu, s.t, s.state, s.source) == (3, 10.0, OK, "mtml")
    assert s.power_draw_w == pytest.approx(120.5)  # MTML reports mW
    assert (s.temperature_c, s.utilization_pct, s.clock_mhz, s.fan_pct) == (63, 97, 1800, 55)
    assert (s.memory_used_bytes, s.memory_total_bytes) == (9 * GIB, 16 * GIB)
    assert s.hotspot_c is None and s.power_limit_w is None


def test_mtml_not_supported_fields_are_none_never_zero():
    backend, _ = open_mtml({"not_supported": ["power", "fan", "clock"]})
    (s,) = backend.sample(0.0)
    assert s.power_draw_w is None and s.fan_pct is None and s.clock_mhz is None
    assert s.temperature_c == 63 and s.state == OK


def test_mtml_zero_power_or_temperature_is_not_a_reading():
    backend, _ = open_mtml({"power_mw": 0, "temperature_c": 0})
    (s,) = backend.sample(0.0)
    assert s.power_draw_w is None and s.temperature_c is None
    assert s.utilization_pct == 97


def test_mtml_lost_device_then_back():
    backend, mod = open_mtml()
    mod.devices[0]["lost"] = True
    (s,) = backend.sample(1.0)
    assert s.state == LOST and s.temperature_c is None and s.memory_used_bytes is None
    mod.devices[0]["lost"] = False
    (s,) = backend.sample(2.0)
    assert s.state == OK and s.temperature_c == 63


def test_mtml_init_failure_falls_back_to_gmi(fake_tools, make_host):
    fake_tools.replay(
        "mthreads-gmi",
        {"": {"stdout": (DATA / "s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt").read_text()}},
        default={"stdout": "Error: invalid option\n", "rc": 1},
    )
    host = make_host(path=[fake_tools.path])
    host.import_module = lambda name: mtml_sim.from_manifest({"init_error": 1, "devices": [DEVICE]})
    (backend,) = tm.backends(host, s80_result())
    assert isinstance(backend, tm.GmiBackend)


def test_no_mthreads_gpu_no_backend():
    assert tm.backends(SimHost(mtml_sim.from_manifest({"devices": [DEVICE]})), ProbeResult()) == []


def test_power_is_unsupported_with_the_reason():
    backend, _ = open_mtml()
    pc = backend.power(3)
    assert pc.supported is False and pc.min_w is None and pc.max_w is None and pc.current_w is None
    assert "no public power-limit call" in render(pc.reason, "en")
    assert "功耗上限" in render(pc.reason, "zh_CN")
    assert pc.to_json("en")["reason"].startswith("Moore Threads cards cannot")


# ---- mthreads-gmi per sample -------------------------------------------------------------------


def test_gmi_table_sample_on_s80(fake_tools, make_host):
    fake_tools.replay(
        "mthreads-gmi",
        {"": {"stdout": (DATA / "s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt").read_text()}},
        default={"stdout": "Error: invalid option\n", "rc": 1},
    )
    (backend,) = tm.backends(make_host(path=[fake_tools.path]), s80_result())
    (s,) = backend.sample(5.0)
    assert (s.temperature_c, s.utilization_pct, s.memory_used_bytes, s.memory_total_bytes) == (
        41.0,
        0.0,
        662 * 2**20,
        16 * GIB,
    )
    assert s.power_draw_w is None and s.clock_mhz is None and s.state == OK  # the table has no power
    assert backend.modes == ["table"]  # -q failed once, the table is what is used from now on
    assert backend.power(0).current_w is None


def test_gmi_json_sample_with_read_only_limit(fake_tools, make_host):
    text = (DATA / "s5000x2-query-json-drv3.3.5-server-linux.json").read_text()
    fake_tools.replay("mthreads-gmi", {"--query --json": {"stdout": text}})
    result = s80_result(bus="0000:2a:00.0", tool_version="2.3.2")
    (backend,) = tm.backends(make_host(path=[fake_tools.path]), result)
    (s,) = backend.sample(1.0)
    assert (s.power_draw_w, s.power_limit_w, s.temperature_c, s.memory_total_bytes) == (
        96.66,
        950.0,
        27.0,
        80 * GIB,
    )
    pc = backend.power(0)
    assert pc.supported is False and pc.current_w == pc.enforced_w == 950.0


def test_gmi_failure_gives_unavailable_samples(fake_tools, make_host):
    fake_tools.replay("mthreads-gmi", {"*": {"stdout": "Error: failed to load driver.\n", "rc": 8}})
    (backend,) = tm.backends(make_host(path=[fake_tools.path]), s80_result())
    (s,) = backend.sample(1.0)
    assert s.state == UNAVAILABLE and s.temperature_c is None and s.memory_used_bytes is None


def test_gmi_hang_gives_unavailable_within_the_timeout(fake_tools, make_host):
    fake_tools.replay("mthreads-gmi", {"*": {"sleep": 30}})
    (backend,) = tm.backends(make_host(path=[fake_tools.path]), s80_result())
    backend.timeout_s = 0.5
    (s,) = backend.sample(1.0)
    assert s.state == UNAVAILABLE
