"""NVIDIA telemetry backends: NVML over the fake pynvml, nvidia-smi loop mode over a fake tool."""

from __future__ import annotations

import time

import pytest

from probes.core.errors import RigPilotError
from probes.core.model import Gpu, Pci, ProbeResult
from probes.detect.parsers import nvidia_smi as smi
from probes.live.telemetry import nvidia as tel
from probes.live.telemetry.base import LOST, OK, UNAVAILABLE
from probes.live.telemetry.registry import open_backends
from tests import fake_pynvml as fake

MiB = 1024 * 1024


def two_gpu_result(bus_ids=("0000:01:00.0", "0000:02:00.0")) -> ProbeResult:
    return ProbeResult(
        gpus=[Gpu(index=i, vendor="nvidia", pci=Pci(bus_id=b), vendor_index=i) for i, b in enumerate(bus_ids)]
    )


def nvml_backend(scenario="basic", **kw):
    mod = fake.make(scenario, **kw)
    targets = tel._targets(
        two_gpu_result() if scenario != "field_not_supported" else two_gpu_result(("0000:02:00.0",))
    )
    return mod, tel.NvmlBackend(mod, targets).open()


def test_nvml_sample_values_and_units():
    _mod, be = nvml_backend()
    a, b = be.sample(100.0)
    assert a.state == OK and a.source == "nvml" and a.t == 100.0
    assert a.temperature_c == 45.0 and a.hotspot_c is None
    assert a.memory_used_bytes == 1024 * MiB and a.memory_total_bytes == 24576 * MiB  # v2: reserved apart
    assert a.utilization_pct == 37.0 and a.power_draw_w == 120.5 and a.power_limit_w == 350.0
    assert a.clock_mhz == 1695.0 and a.fan_pct == 41.0
    assert b.gpu == 1 and b.memory_total_bytes == 12288 * MiB
    be.close()


def test_nvml_old_driver_uses_v1_and_legacy_temperature():
    _mod, be = nvml_backend("old_driver")
    a = be.sample(1.0)[0]
    assert a.memory_used_bytes == (1024 + 300) * MiB and a.temperature_c == 45.0
    be.close()


def test_nvml_not_supported_fields_are_none():
    _mod, be = nvml_backend("field_not_supported")
    (s,) = be.sample(1.0)
    assert s.state == OK and s.fan_pct is None and s.power_draw_w is None
    assert s.power_limit_w == 170.0  # enforced limit still readable
    assert s.temperature_c == 38.0
    be.close()


def test_gpu_lost_then_back():
    mod, be = nvml_backend()
    assert [s.state for s in be.sample(1.0)] == [OK, OK]
    fake.lose(mod, 1)
    a, b = be.sample(2.0)
    assert a.state == OK and b.state == LOST and b.temperature_c is None
    assert be.sample(3.0)[1].state == LOST
    fake.restore(mod, 1)
    b = be.sample(4.0)[1]
    assert b.state == OK and b.temperature_c == 38.0
    be.close()


def test_limits_are_cached_between_samples():
    mod, be = nvml_backend()
    be.sample(0.0)
    mod.sim["devices"][0]["enforced_limit_mw"] = 300000
    assert be.sample(1.0)[0].power_limit_w == 350.0  # cached
    assert be.sample(0.0 + tel.STATIC_TTL_S + 1)[0].power_limit_w == 300.0
    be.close()


def test_power_constraints_in_watts():
    _mod, be = nvml_backend()
    p = be.power(0)
    assert p.supported and (p.min_w, p.max_w, p.default_w, p.current_w, p.enforced_w) == (
        100.0,
        400.0,
        350.0,
        350.0,
        350.0,
    )
    be.close()


def test_power_unsupported_has_a_reason():
    _mod, be = nvml_backend("field_not_supported")
    p = be.power(0)
    assert not p.supported and "not supported" in str(p.reason)
    assert p.enforced_w == 170.0
    be.close()


def test_set_power_limit_without_privilege_is_a_clear_error():
    _mod, be = nvml_backend()
    with pytest.raises(RigPilotError) as info:
        be.set_power_limit(0, 300)
    assert info.value.code == "power-permission-denied" and info.value.hint
    be.close()


def test_set_power_limit_privileged_rereads_enforced_value():
    mod, be = nvml_backend(privileged=True)
    assert be.set_power_limit(0, 300) == 300.0
    assert mod.sim["devices"][0]["power_limit_mw"] == 300000
    assert be.sample(1.0)[0].power_limit_w == 300.0  # cache dropped after a write
    with pytest.raises(RigPilotError) as info:
        be.set_power_limit(0, 50)
    assert info.value.code == "power-limit-out-of-range"
    be.close()


def test_set_power_limit_that_the_card_ignores_returns_what_it_enforces():
    mod, be = nvml_backend(privileged=True)
    mod.sim["devices"][0]["ignores_power_writes"] = True
    assert be.set_power_limit(0, 300) == 350.0
    be.close()


def test_set_power_limit_unsupported():
    _mod, be = nvml_backend("field_not_supported", privileged=True)
    with pytest.raises(RigPilotError) as info:
        be.set_power_limit(0, 150)
    assert info.value.code == "power-limit-unsupported"
    be.close()


LOOP_BODY = r"""
expected = EXPECTED
if sys.argv[1:] != expected:
    sys.stderr.write("unexpected argv %r\n" % sys.argv[1:])
    sys.exit(2)
n = 0
while True:
    n += 1
    for i, bus in enumerate(("00000000:01:00.0", "00000000:02:00.0")):
        fan = "[N/A]" if i == 1 else "41"
        print(f"{i}, {bus}, {50 + n % 3}, {1000 + i}, 24576, 37, 120.50, 350.00, 1695, {fan}", flush=True)
    if os.environ.get("DIE_AFTER") and n >= int(os.environ["DIE_AFTER"]):
        sys.exit(0)
    time.sleep(0.1)
"""


def make_loop_tool(fake_tools, exe_name="nvidia-smi"):
    argv = smi.query_argv("X", smi.TELEMETRY_FIELDS, loop_ms=100)[1:]
    return str(fake_tools.script(exe_name, LOOP_BODY.replace("EXPECTED", repr(argv))))


def wait_for(predicate, timeout=5.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_smi_loop_backend_reads_lines_and_stops_cleanly(fake_tools, make_host):
    exe = make_loop_tool(fake_tools)
    host = make_host(path=[fake_tools.path])
    be = tel.SmiLoopBackend(host, exe, tel._targets(two_gpu_result()), interval_s=0.1)
    be.start()
    try:
        assert wait_for(lambda: all(s.state == OK for s in be.sample(0.0)))
        a, b = be.sample(1.0)
        assert a.temperature_c in (50.0, 51.0, 52.0) and a.memory_used_bytes == 1000 * MiB
        assert a.power_draw_w == 120.5 and a.power_limit_w == 350.0 and a.fan_pct == 41.0
        assert b.fan_pct is None and b.memory_used_bytes == 1001 * MiB
        assert be.starts == 1
        proc = be._proc
    finally:
        be.close()
    assert proc.poll() is not None and not be.running()


def test_smi_loop_restarts_after_the_tool_dies(fake_tools, make_host):
    exe = make_loop_tool(fake_tools)
    host = make_host(path=[fake_tools.path], env={"DIE_AFTER": "2"})
    be = tel.SmiLoopBackend(host, exe, tel._targets(two_gpu_result()), interval_s=0.1, restart_every_s=0.0)
    be.start()
    try:
        assert wait_for(lambda: not be.running())
        be.sample(0.0)
        assert be.starts == 2
    finally:
        be.close()


def test_smi_loop_stale_data_is_unavailable(fake_tools, make_host):
    exe = make_loop_tool(fake_tools)
    now = [0.0]
    be = tel.SmiLoopBackend(
        make_host(path=[fake_tools.path]),
        exe,
        tel._targets(two_gpu_result()),
        interval_s=0.1,
        clock=lambda: now[0],
    )
    be.start()
    try:
        assert wait_for(lambda: all(s.state == OK for s in be.sample(0.0)))
        be.close()
        now[0] = 100.0
        assert [s.state for s in be.sample(1.0)] == [UNAVAILABLE, UNAVAILABLE]
    finally:
        be.close()


def test_smi_power_is_read_only(fake_tools, make_host):
    fields = (
        "pci.bus_id",
        "power.min_limit",
        "power.max_limit",
        "power.default_limit",
        "power.limit",
        "enforced.power.limit",
    )
    key = " ".join(smi.query_argv("x", fields)[1:])
    exe = str(
        fake_tools.replay(
            "nvidia-smi", {key: {"stdout": "00000000:01:00.0, 100.00, 400.00, 350.00, 350.00, 350.00\n"}}
        )
    )
    be = tel.SmiLoopBackend(make_host(path=[fake_tools.path]), exe, tel._targets(two_gpu_result()))
    p = be.power(0)
    assert not p.supported and p.reason and (p.min_w, p.max_w, p.enforced_w) == (100.0, 400.0, 350.0)
    with pytest.raises(RigPilotError):
        be.set_power_limit(0, 300)


def test_backends_prefers_nvml_then_smi_then_nothing(fake_tools, make_host):
    make_loop_tool(fake_tools)
    base = make_host(path=[fake_tools.path])
    found = tel.backends(fake.FakeHost(base, fake.make("basic")), two_gpu_result())
    assert [type(b).__name__ for b in found] == ["NvmlBackend"]
    found[0].close()
    found = tel.backends(
        fake.FakeHost(base, fake.make("driver_not_loaded")), two_gpu_result(), interval_s=0.1
    )
    assert [type(b).__name__ for b in found] == ["SmiLoopBackend"]
    found[0].close()
    assert tel.backends(fake.FakeHost(make_host(), None), two_gpu_result()) == []
    assert tel.backends(fake.FakeHost(base, fake.make("basic")), ProbeResult()) == []


def test_registry_picks_nvml_for_nvidia_gpus(make_host):
    host = fake.FakeHost(make_host(), fake.make("basic"))
    chosen = open_backends(host, two_gpu_result())
    try:
        assert sorted(chosen) == [0, 1] and chosen[0].name == "nvml"
    finally:
        for b in set(chosen.values()):
            b.close()


def test_gpu_without_bus_id_is_matched_by_vendor_index():
    mod = fake.make("basic")
    result = ProbeResult(
        gpus=[
            Gpu(index=5, vendor="nvidia", pci=Pci(bus_id=None), vendor_index=1),
            Gpu(index=6, vendor="amd", pci=Pci(bus_id="0000:03:00.0")),
        ]
    )
    be = tel.NvmlBackend(mod, tel._targets(result)).open()
    try:
        assert be.gpus() == [5]
        (s,) = be.sample(1.0)
        assert s.gpu == 5 and s.memory_total_bytes == 12288 * MiB
    finally:
        be.close()
