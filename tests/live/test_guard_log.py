"""probes/live/guard_log.py: the guard's actions appended as JSON lines, by whoever drives the guard loop."""

from __future__ import annotations

import json

from probes.core.i18n import Text
from probes.live.guard import RESTORED, STEP_DOWN, GuardEvent, GuardSettings, ThermalGuard
from probes.live.guard_log import GuardLog, default_path
from probes.live.monitor import GuardLoop, ManualClock, Sampler
from probes.live.telemetry.simulated import SimulatedBackend
from tests.live.test_guard import CONFIG, RTX


def event(t: float, kind: str = STEP_DOWN) -> GuardEvent:
    return GuardEvent(t, 0, kind, Text("guard", "x"), 90.0, 170.0, 153.0)


def test_default_path_is_in_the_monitor_folder_of_the_data_dir(tmp_path):
    assert default_path(tmp_path) == tmp_path / "monitor" / "guard-events.jsonl"


def test_append_creates_the_folder_and_appends_one_line_per_event(tmp_path):
    log = GuardLog(default_path(tmp_path))
    assert log.read() == []
    assert log.append([event(1.0), event(2.0)]) and log.append([]) and log.append([event(3.0, RESTORED)])
    lines = log.path.read_text("utf-8").splitlines()
    assert [json.loads(line)["t"] for line in lines] == [1.0, 2.0, 3.0]
    assert log.read()[2] == event(3.0, RESTORED).to_json()


def test_append_is_best_effort_and_read_skips_damaged_lines(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert GuardLog(blocker / "monitor" / "guard-events.jsonl").append([event(1.0)]) is False
    log = GuardLog(tmp_path / "g.jsonl")
    log.path.write_text('{"t": 1}\nnot json\n[1]\n{"t": 2}\n', encoding="utf-8")
    assert log.read() == [{"t": 1}, {"t": 2}]


def test_the_guard_loop_logs_every_event_it_returns_release_included(make_host, tmp_path):
    clock = ManualClock()
    backend = SimulatedBackend([RTX], CONFIG, t0=clock())
    sampler = Sampler({0: backend}, clock=clock)
    log = GuardLog(tmp_path / "guard-events.jsonl")
    loop = GuardLoop(ThermalGuard(GuardSettings()), sampler, host=make_host(), log=log)
    backend.set_load(100, now=clock())
    returned = []
    sampler.run(lambda samples: returned.extend(loop.feed(samples)), duration_s=300)
    returned += loop.release(clock())
    assert [e.kind for e in returned][0] == STEP_DOWN and returned[-1].kind == RESTORED
    assert log.read() == [e.to_json() for e in returned]
