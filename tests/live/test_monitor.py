"""Sampler, simulated backend, CSV rotation and JSON lines."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from probes.core.errors import RigPilotError
from probes.core.model import Gpu, Pci, ProbeResult
from probes.core.replay import ReplayHost
from probes.live.monitor import JsonLines, ManualClock, Sampler, SimClock
from probes.live.telemetry import simulated
from probes.live.telemetry.base import UNAVAILABLE, PowerConstraints, Sample, TelemetryBackend
from probes.live.telemetry.registry import open_backends

RIG = Path(__file__).resolve().parents[1] / "data" / "rigs" / "monitor-test"


def _result():
    return ProbeResult.from_json(json.loads((RIG / "probe.json").read_text("utf-8")))


def test_simulated_backend_serves_every_gpu_of_a_simulated_rig_only():
    host = ReplayHost(RIG, simulated="monitor-test")
    chosen = open_backends(host, _result())
    assert sorted(chosen) == [0, 1]
    assert all(isinstance(b, simulated.SimulatedBackend) for b in chosen.values())
    assert simulated.backends(ReplayHost(RIG), _result()) == []  # a plain replay is not simulated


def test_simulated_rig_parameters_come_from_simulation_json_then_the_table():
    host = ReplayHost(RIG, simulated="monitor-test")
    (backend,) = simulated.backends(host, _result())
    assert backend.params(1).default_w == 170 and backend.params(1).min_w == 100
    assert backend.params(0).power_writes is False
    s80 = backend.power(0)
    assert s80.supported is False and "MTML" in str(s80.reason)
    unknown = simulated.params_for(Gpu(index=0, vendor="amd", name="Radeon RX 7900 XTX"))
    assert unknown.default_w == 355
    generic = simulated.params_for(Gpu(index=0, vendor="other", name="Mystery"))
    assert generic.max_w == generic.default_w


def test_thermal_model_follows_power_with_a_time_constant():
    gpu = Gpu(index=0, vendor="nvidia", name="NVIDIA GeForce RTX 3060", pci=Pci(bus_id="0000:02:00.0"))
    b = simulated.SimulatedBackend([gpu], {"ambient_c": 30}, t0=0.0)
    idle = b.sample(0.0)[0]
    assert idle.utilization_pct == 0 and idle.power_draw_w == b.params(0).idle_w
    b.set_load(100, now=0.0)
    tau = b.params(0).tau_s
    one_tau = b.sample(tau)[0]
    steady = b.sample(20 * tau)[0]
    assert steady.power_draw_w == 170
    assert steady.temperature_c == pytest.approx(92.0, abs=0.1)  # ambient + k·P, k from 92 °C at default
    # after one time constant: 63 % of the way
    frac = (one_tau.temperature_c - idle.temperature_c) / (steady.temperature_c - idle.temperature_c)
    assert frac == pytest.approx(0.632, abs=0.01)
    assert steady.memory_used_bytes > idle.memory_used_bytes
    b.set_power_limit(0, 120)
    later = b.sample(40 * tau)[0]
    assert later.power_draw_w == 120 and later.power_limit_w == 120 and later.temperature_c < 80
    assert later.source == "simulated"
    with pytest.raises(RigPilotError) as exc:
        b.set_power_limit(0, 99)
    assert exc.value.code == "power-limit-out-of-range"


class Boom(TelemetryBackend):
    name = "boom"

    def gpus(self):
        return [0]

    def sample(self, now):
        raise RuntimeError("driver fell over")


class Counting(TelemetryBackend):
    name = "counting"

    def __init__(self):
        self.power_calls = 0

    def gpus(self):
        return [1]

    def sample(self, now):
        total = 8 * 2**30 if now < 2 else None
        return [Sample(t=now, gpu=1, temperature_c=50.0, memory_total_bytes=total, source="counting")]

    def power(self, gpu):
        self.power_calls += 1
        return PowerConstraints(
            gpu=gpu, supported=True, min_w=100, max_w=200, default_w=200, current_w=180, enforced_w=175
        )


def test_sampler_never_raises_and_caches_slow_fields():
    counting = Counting()
    clock = ManualClock(0.0)
    sampler = Sampler({0: Boom(), 1: counting}, clock=clock)
    rows = []
    sampler.run(rows.append, duration_s=9)
    assert len(rows) == 10
    first, last = rows[0], rows[-1]
    assert first[0].state == UNAVAILABLE and first[0].gpu == 0 and first[0].temperature_c is None
    assert first[1].power_limit_w == 175  # enforced limit filled in from the cached constraints
    assert last[1].memory_total_bytes == 8 * 2**30  # a slow field remembered when a sample lacks it
    assert counting.power_calls == 2  # 10 polls, a 5 s cache


@pytest.mark.parametrize("interval", [0.1, 0.49, 5.1, float("nan"), "x"])
def test_interval_out_of_range_is_refused(interval):
    with pytest.raises(RigPilotError) as exc:
        Sampler({}, interval_s=interval)
    assert exc.value.code == "monitor-interval-out-of-range"


def test_sim_clock_runs_faster():
    ticks = iter([100.0, 100.0, 101.0])
    sleeps = []
    c = SimClock(60, start=0.0, monotonic=lambda: next(ticks), sleep=sleeps.append)
    assert c() == 0.0 and c() == 60.0
    c.sleep(60)
    assert sleeps == [1.0]
    with pytest.raises(RigPilotError):
        SimClock(0)


def test_sim_clock_speed_change_keeps_time_continuous():
    mono = [100.0]
    c = SimClock(60, start=0.0, monotonic=lambda: mono[0])
    mono[0] = 101.0
    assert c() == 60.0
    c.set_speed(1)  # slower from now on: no jump back
    assert c() == 60.0
    mono[0] = 103.0
    assert c() == 62.0
    c.set_speed(600)
    mono[0] = 104.0
    assert c() == 662.0
    with pytest.raises(RigPilotError):
        c.set_speed(float("nan"))
    assert c.speed == 600


def test_json_lines():
    buf = io.StringIO()
    JsonLines(buf).sample(Sample(t=1.0, gpu=0, temperature_c=None, power_draw_w=12.5))
    row = json.loads(buf.getvalue())
    assert row["type"] == "sample" and row["temperature_c"] is None and row["power_draw_w"] == 12.5


RIGS = sorted((Path(__file__).resolve().parents[2] / "assets" / "rigs").glob("*/simulation.json"))


@pytest.mark.parametrize("path", RIGS, ids=[p.parent.name for p in RIGS])
def test_rig_simulation_files_are_valid_and_cited(path):
    data = json.loads(path.read_text("utf-8"))
    assert data["schema"] == "rigpilot.simulation/1" and data["cards"]
    for card in data["cards"]:
        assert card["sources"], "every card's numbers need a source or an ESTIMATE note"
        gpu = Gpu(index=0, vendor=card["match"].get("vendor", "nvidia"), name=card["match"].get("name", "x"))
        p = simulated.params_for(gpu, data)
        assert p.default_w > p.idle_w
        if p.power_writes:
            assert p.min_w <= p.default_w <= p.max_w
        else:
            assert p.min_w is None and p.max_w is None and p.report_limit is False
        # at full load and the default limit the model must get hot enough for the 85 °C guard
        assert (
            p.ambient_c + p.steady_c_per_w * min(p.default_w, p.capability_w or p.max_w or p.default_w) > 85
        )


def test_every_brief_rig_has_a_simulation_file():
    names = {p.parent.name for p in RIGS}
    assert {
        "s80-linux",
        "rtx3060-linux",
        "rx7900xtx-linux",
        "two-gpus",
        "gtx1080ti-windows",
        "s80-windows",
        "arc-a770-linux",
    } <= names


def test_monitor_core_and_commands_import_no_qt_or_torch():
    import subprocess
    import sys

    code = (
        "import sys, probes.live.monitor, probes.live.guard, probes.live.power, probes.live.power_helper, "
        "probes.live.telemetry.simulated, app.commands.monitor, app.commands.power, app.gui.ringbuffer; "
        "print([m for m in sys.modules if m.split('.')[0] in ('PySide6', 'pyqtgraph', 'torch')])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
