"""The thermal guard on the simulated thermal model, driven by an injected clock."""

from __future__ import annotations

import pytest

from probes.core.errors import RigPilotError
from probes.core.model import Gpu, Pci
from probes.live.guard import (
    AT_FLOOR,
    COOLED,
    HOT,
    RESTORED,
    STEP_DOWN,
    STEP_UP,
    WRITE_FAILED,
    GuardSettings,
    ThermalGuard,
)
from probes.live.monitor import GuardLoop, ManualClock, Sampler
from probes.live.telemetry.base import LOST, Sample
from probes.live.telemetry.simulated import SimulatedBackend

RTX = Gpu(index=0, vendor="nvidia", name="NVIDIA GeForce RTX 3060", pci=Pci(bus_id="0000:02:00.0"))
S80 = Gpu(index=1, vendor="mthreads", name="MTT S80", pci=Pci(bus_id="0000:01:00.0"))
CONFIG = {
    "ambient_c": 30,
    "cards": [{"match": {"name": "RTX 3060"}, "default_w": 170, "min_w": 100, "max_w": 170, "tau_s": 20}],
}


class Run:
    """A rig + sampler + guard loop on a manual clock; records samples, events and limits."""

    def __init__(self, make_host, gpus=(RTX,), config=CONFIG, settings=None, writer=None):
        self.clock = ManualClock()
        self.backend = SimulatedBackend(list(gpus), config, t0=self.clock())
        self.sampler = Sampler({g.index: self.backend for g in gpus}, clock=self.clock)
        self.guard = ThermalGuard(settings or GuardSettings())
        self.loop = GuardLoop(self.guard, self.sampler, host=make_host(), writer=writer)
        self.samples: list[Sample] = []
        self.events = []

    def run(self, seconds: float, load: float | None = None) -> None:
        if load is not None:
            self.backend.set_load(load, now=self.clock())

        def on(samples):
            self.samples.extend(samples)
            self.events.extend(self.loop.feed(samples))

        self.sampler.run(on, duration_s=seconds)

    def temps(self, gpu=0, since=0.0):
        t0 = self.samples[0].t
        return [s.temperature_c for s in self.samples if s.gpu == gpu and s.t - t0 >= since]

    def limits(self, gpu=0):
        return [s.power_limit_w for s in self.samples if s.gpu == gpu]

    def kinds(self, gpu=0):
        return [e.kind for e in self.events if e.gpu == gpu]


def test_without_the_guard_the_simulated_card_runs_hot(make_host):
    r = Run(make_host)
    r.guard.configure(0, r.backend.power(0))
    r.loop.feed = lambda samples: []  # guard off
    r.run(600, load=100)
    assert max(r.temps()) > 90, "the test scenario must actually overheat"


def test_guard_steps_down_until_under_threshold_then_restores(make_host):
    r = Run(make_host)
    r.run(1200, load=100)
    downs = [e for e in r.events if e.kind == STEP_DOWN]
    assert downs, r.events
    assert downs[0].from_w == 170 and downs[0].to_w == pytest.approx(153)
    # every step waits for the hold time above the threshold and 30 s since the previous step
    assert all(b.t - a.t >= 30 for a, b in zip(downs, downs[1:], strict=False))
    # under full load the card settles below 85 °C once the guard acted
    assert max(r.temps(since=600)) < 85
    lowest = min(r.limits())
    assert lowest >= 100  # never below the floor
    assert r.backend.power(0).current_w == lowest < 170
    # the load stops: step back up, one step per 60 s below 75 °C, until the user's 170 W
    r.run(900, load=0)
    ups = [e for e in r.events if e.kind in (STEP_UP, RESTORED)]
    assert ups and ups[-1].kind == RESTORED and ups[-1].to_w == 170
    assert r.backend.power(0).current_w == 170
    assert all(b.t - a.t >= 60 for a, b in zip(ups, ups[1:], strict=False))
    assert max(r.limits()) <= 170


def test_guard_never_goes_above_the_users_own_limit(make_host):
    r = Run(make_host)
    r.backend.set_power_limit(0, 160)  # the user chose 160 W before switching the guard on
    r.loop = GuardLoop(r.guard, r.sampler, host=make_host())
    assert r.guard.user_limit(0) == 160
    r.run(900, load=100)
    assert STEP_DOWN in r.kinds()
    r.run(900, load=0)
    assert r.kinds()[-1] == RESTORED
    assert max(r.limits()) <= 160
    assert r.backend.power(0).current_w == 160


def test_guard_stops_at_the_floor_and_says_so(make_host):
    hot = {
        "ambient_c": 75,
        "cards": [
            {
                "match": {"name": "RTX 3060"},
                "default_w": 170,
                "min_w": 100,
                "max_w": 170,
                "tau_s": 20,
                "c_per_w": 0.2,
            }
        ],
    }
    r = Run(make_host, config=hot)
    r.run(1800, load=100)
    assert min(r.limits()) == 100  # reached, never passed
    assert r.kinds().count(AT_FLOOR) == 1
    assert all(lim >= 100 for lim in r.limits())
    assert min(r.temps(since=1200)) > 85  # the floor is not enough here: the user was told


def test_moore_threads_is_alert_only(make_host):
    r = Run(make_host, gpus=(S80,), config={"ambient_c": 30})
    assert r.guard.alert_only(1)
    r.run(600, load=100)
    assert max(r.temps(gpu=1)) > 85
    kinds = r.kinds(gpu=1)
    assert kinds.count(HOT) == 1 and STEP_DOWN not in kinds
    assert all(e.to_w is None for e in r.events)
    assert all(s.power_limit_w is None for s in r.samples)  # MTML cannot read the limit either
    r.run(600, load=0)
    assert r.kinds(gpu=1)[-1] == COOLED


def test_a_failed_write_turns_the_guard_into_alerts(make_host):
    def refuse(backend, gpu, watts, **kw):
        raise RigPilotError("power-helper-denied", "Administrator rights were not granted.")

    r = Run(make_host, writer=refuse)
    r.run(600, load=100)
    kinds = r.kinds()
    assert kinds[:2] == [STEP_DOWN, WRITE_FAILED]
    assert STEP_DOWN not in kinds[2:]
    assert r.guard.alert_only(0)
    assert r.backend.power(0).current_w == 170


def test_release_gives_the_limit_back(make_host):
    r = Run(make_host)
    r.run(300, load=100)
    assert r.backend.power(0).current_w < 170
    events = r.loop.release(r.clock())
    assert [e.kind for e in events] == [RESTORED]
    assert r.backend.power(0).current_w == 170


def test_guard_ignores_unknown_and_lost_samples():
    g = ThermalGuard()
    from probes.live.telemetry.base import PowerConstraints

    g.configure(
        0, PowerConstraints(gpu=0, supported=True, min_w=100, max_w=200, default_w=200, current_w=200)
    )
    for t in range(100):
        assert g.update(Sample(t=float(t), gpu=0, temperature_c=None)) == []
        assert g.update(Sample(t=float(t) + 0.5, gpu=0, temperature_c=99.0, state=LOST)) == []
    # a dip below the threshold restarts the hold time
    evs = []
    for t in range(30):
        temp = 90.0 if t % 8 else 80.0
        evs += g.update(Sample(t=float(t), gpu=0, temperature_c=temp))
    assert evs == []


@pytest.mark.parametrize(
    "kw", [{"threshold_c": 20}, {"hold_s": 0}, {"step_fraction": 0.9}, {"hysteresis_c": 0}, {"recover_s": 0}]
)
def test_guard_settings_are_validated(kw):
    with pytest.raises(RigPilotError) as exc:
        GuardSettings(**kw).validate()
    assert exc.value.code == "guard-settings-invalid"


def test_simulated_load_reads_back_for_the_gui_control():
    backend = SimulatedBackend([RTX, S80], dict(CONFIG, start_load_pct=40), t0=0.0)
    assert backend.load_pct() == pytest.approx(40.0)
    backend.set_load(100, gpu=1, now=5.0)
    assert backend.load_pct() == pytest.approx(100.0)
    backend.set_load(0)
    assert backend.load_pct() == 0.0
