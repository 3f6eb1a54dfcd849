"""Power limits: validation, privileged helper, re-read, confirm-or-revert."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.core.errors import RigPilotError
from probes.core.model import Gpu, Pci, ProbeResult
from probes.live import power, power_helper
from probes.live.telemetry.base import PowerConstraints, Sample, TelemetryBackend
from probes.live.telemetry.simulated import SimulatedBackend

ROOT = Path(__file__).resolve().parents[2]
RTX = Gpu(index=0, vendor="nvidia", name="NVIDIA GeForce RTX 3060", pci=Pci(bus_id="0000:02:00.0"))
S80 = Gpu(index=1, vendor="mthreads", name="MTT S80", pci=Pci(bus_id="0000:01:00.0"))
CONFIG = {"cards": [{"match": {"name": "RTX 3060"}, "default_w": 170, "min_w": 100, "max_w": 170}]}


def sim():
    return SimulatedBackend([RTX, S80], CONFIG, t0=0.0)


class Laptop(TelemetryBackend):
    """Accepts writes and keeps its limit: what laptops do ("All done." and nothing changes)."""

    name = "laptop"
    write_needs_privilege = False

    def __init__(self):
        self.writes = []

    def gpus(self):
        return [0]

    def sample(self, now):
        return [Sample(t=now, gpu=0)]

    def power(self, gpu):
        return PowerConstraints(
            gpu=gpu, supported=True, min_w=5, max_w=95, default_w=35, current_w=35, enforced_w=35
        )

    def set_power_limit(self, gpu, watts):
        self.writes.append(watts)
        return 35.0


class Privileged(Laptop):
    """A real-hardware-like backend: writes need root; the helper (fake pkexec) changes `limit`."""

    name = "privileged"
    write_needs_privilege = True

    def __init__(self, state_file: Path):
        super().__init__()
        self.state_file = state_file

    def power(self, gpu):
        cur = float(self.state_file.read_text()) if self.state_file.exists() else 35.0
        return PowerConstraints(
            gpu=gpu, supported=True, min_w=5, max_w=95, default_w=35, current_w=cur, enforced_w=cur
        )

    def set_power_limit(self, gpu, watts):
        raise AssertionError("must go through the helper when not privileged")


@pytest.mark.parametrize("watts", [99, 171, 0, -5, "nan", "inf", "abc", None])
def test_out_of_range_is_refused_with_the_range_in_the_hint(watts, make_host):
    b = sim()
    with pytest.raises(RigPilotError) as exc:
        power.apply(b, 0, watts, host=make_host())
    assert exc.value.code == "power-limit-out-of-range"
    assert "100 W and 170 W" in str(exc.value.hint)
    assert b.power(0).current_w == 170  # nothing written


def test_edges_are_accepted_not_clamped(make_host):
    b = sim()
    assert power.apply(b, 0, 100, host=make_host()).current_w == 100
    assert power.apply(b, 0, "170", host=make_host()).current_w == 170
    res = power.apply(b, 0, 150.5, host=make_host())
    assert res.requested_w == 150.5 and res.previous_w == 170 and res.via == "direct" and res.verified


def test_moore_threads_is_unsupported_with_the_reason(make_host):
    b = sim()
    c = power.show(b, 1)
    assert c.supported is False and c.min_w is None and c.current_w is None
    with pytest.raises(RigPilotError) as exc:
        power.apply(b, 1, 200, host=make_host())
    assert exc.value.code == "power-limit-unsupported" and "MTML" in str(exc.value.message)


def test_a_write_the_card_ignores_is_reported(make_host):
    b = Laptop()
    with pytest.raises(RigPilotError) as exc:
        power.apply(b, 0, 80, host=make_host())
    assert exc.value.code == "power-limit-ignored"
    assert b.writes == [80.0]
    assert "All done." in str(exc.value.hint)


def test_reset_goes_back_to_the_default(make_host):
    b = sim()
    power.apply(b, 0, 120, host=make_host())
    res = power.reset(b, 0, host=make_host())
    assert res.current_w == 170 and res.previous_w == 120


@pytest.mark.parametrize("answer, kept", [(True, True), (False, False), (RuntimeError("tty gone"), False)])
def test_confirm_or_revert(answer, kept, make_host):
    b = sim()
    asked = []

    def ask(seconds):
        asked.append(seconds)
        assert b.power(0).current_w == 130  # the new limit is live while the user decides
        if isinstance(answer, Exception):
            raise answer
        return answer

    res = power.set_with_confirm(b, 0, 130, host=make_host(), confirm_seconds=15, ask=ask)
    assert asked == [15.0]
    assert res.confirmed is kept and res.reverted is (not kept)
    assert b.power(0).current_w == (130 if kept else 170)


def test_bus_ids_map_gpu_indices_for_the_power_helper():
    result = ProbeResult(gpus=[RTX, S80, Gpu(index=None, vendor="other")])
    assert result.bus_ids() == {0: "0000:02:00.0", 1: "0000:01:00.0"}


class FakeClock:
    def __init__(self, t: float = 1000.0):
        self.t = t

    def __call__(self) -> float:
        return self.t


def test_pending_change_counts_down_on_its_clock_and_confirms(make_host):
    b, clock = sim(), FakeClock()
    pending = power.PendingChange(
        b, power.apply(b, 0, 130, host=make_host()), host=make_host(), confirm_seconds=15, clock=clock
    )
    assert pending.deadline == 1015.0 and pending.countdown() == 15 and not pending.expired()
    clock.t += 0.98  # a display tick a little early still shows the next whole second
    assert pending.countdown() == 14
    clock.t += 10
    assert pending.kept(True) and not pending.kept(False)
    res = pending.confirm()
    assert res.confirmed is True and not res.reverted and b.power(0).current_w == 130


def test_pending_change_reverts_and_a_late_yes_does_not_keep_it(make_host):
    b, clock = sim(), FakeClock()
    pending = power.PendingChange(
        b, power.apply(b, 0, 130, host=make_host()), host=make_host(), confirm_seconds=5, clock=clock
    )
    clock.t += 5
    assert pending.expired() and pending.countdown() == 0 and pending.seconds_left() == 0
    assert not pending.kept(True)  # the answer came after the deadline
    res = pending.settle(True)
    assert res.reverted is True and res.confirmed is False and res.requested_w == 130
    assert res.current_w == 170 and pending.restored_w == 170 and b.power(0).current_w == 170


def test_pending_change_without_a_known_previous_limit_goes_back_to_the_default(make_host):
    b = sim()
    b.set_power_limit(0, 120)
    first = power.apply(b, 0, 130, host=make_host())
    unknown = power.WriteResult(**{**first.to_json(), "previous_w": None})
    pending = power.PendingChange(b, unknown, host=make_host(), confirm_seconds=5, clock=FakeClock())
    res = pending.revert()
    assert res.reverted and pending.restored_w == 170 and b.power(0).current_w == 170


def test_set_with_confirm_reverts_a_yes_that_comes_after_the_deadline(make_host):
    b, clock = sim(), FakeClock()

    def slow_yes(seconds):
        clock.t += seconds + 1
        return True

    res = power.set_with_confirm(b, 0, 130, host=make_host(), confirm_seconds=15, ask=slow_yes, clock=clock)
    assert res.reverted and b.power(0).current_w == 170


# ---- the privileged helper ---------------------------------------------------------------------
def user_host(make_host, **kw):
    """A host that is not root/Administrator (the tests may run as root)."""
    host = make_host(**kw)
    host.is_admin = lambda: False
    return host


def _fake_pkexec(fake_tools, state: Path, log: Path, rc: int = 0, reply: dict | None = None):
    body = f"""
import json
open({str(log)!r}, "w").write(json.dumps(sys.argv[1:]))
args = sys.argv[1:]
if {rc} == 0 and {reply!r} is None:
    w = args[args.index("--watts") + 1] if "--watts" in args else "35"
    open({str(state)!r}, "w").write(w)
    print(json.dumps({{"ok": True, "requested_w": float(w)}}))
elif {reply!r} is not None:
    print(json.dumps({reply!r}))
sys.exit({rc})
"""
    fake_tools.script("pkexec", body)


def test_unprivileged_write_goes_through_pkexec_with_only_validated_arguments(
    fake_tools, make_host, tmp_path
):
    state, log = tmp_path / "limit", tmp_path / "argv.json"
    _fake_pkexec(fake_tools, state, log)
    host = user_host(make_host, path=[fake_tools.path])
    res = power.apply(Privileged(state), 0, 80, host=host, bus_id="00000000:02:00.0")
    argv = json.loads(log.read_text())
    assert argv == [sys.executable, str(power.HELPER_SCRIPT), "--bus-id", "0000:02:00.0", "--watts", "80.00"]
    assert res.via == "pkexec" and res.current_w == 80 and res.verified


def test_pkexec_dismissed_is_a_clear_error(fake_tools, make_host, tmp_path):
    _fake_pkexec(fake_tools, tmp_path / "limit", tmp_path / "argv.json", rc=126)
    with pytest.raises(RigPilotError) as exc:
        power.apply(
            Privileged(tmp_path / "limit"),
            0,
            80,
            host=user_host(make_host, path=[fake_tools.path]),
            bus_id="0000:02:00.0",
        )
    assert exc.value.code == "power-helper-denied"


def test_helper_refusal_is_passed_on(fake_tools, make_host, tmp_path):
    reply = {"ok": False, "error": {"code": "power-limit-out-of-range", "message": "no", "hint": "5-95"}}
    _fake_pkexec(fake_tools, tmp_path / "limit", tmp_path / "argv.json", rc=2, reply=reply)
    with pytest.raises(RigPilotError) as exc:
        power.apply(
            Privileged(tmp_path / "limit"),
            0,
            80,
            host=user_host(make_host, path=[fake_tools.path]),
            bus_id="0000:02:00.0",
        )
    assert exc.value.code == "power-limit-out-of-range"


def test_no_pkexec_and_no_bus_id(make_host, tmp_path):
    with pytest.raises(RigPilotError) as exc:
        power.apply(Privileged(tmp_path / "limit"), 0, 80, host=user_host(make_host), bus_id="0000:02:00.0")
    assert exc.value.code == "power-helper-unavailable"
    with pytest.raises(RigPilotError) as exc:
        power.apply(Privileged(tmp_path / "limit"), 0, 80, host=user_host(make_host), bus_id=None)
    assert exc.value.code == "power-helper-no-bus-id"


def test_windows_uses_uac_and_quotes_for_powershell(make_host):
    host = make_host(platform="windows")
    argv = power.helper_argv(host, "0000:02:00.0", 120, python="C:\\Users\\O'Neil\\py\\python.exe")
    assert argv[:4] == ["powershell", "-NoProfile", "-NonInteractive", "-Command"]
    cmd = argv[4]
    assert "-Verb RunAs" in cmd and "'C:\\Users\\O''Neil\\py\\python.exe'" in cmd
    assert "'--bus-id','0000:02:00.0','--watts','120.00'" in cmd
    with pytest.raises(RigPilotError):
        power.helper_argv(host, "0000:02:00.0", 120, python="C:\\evil\r\ncalc.exe")


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--bus-id", "0000:02:00.0"],
        ["--bus-id", "0000:02:00.0", "--watts", "100", "--reset"],
        ["--bus-id", "0000:02:00.0; rm -rf /", "--watts", "100"],
        ["--bus-id", "0000:02:00.0", "--watts", "1e3"],
        ["--bus-id", "0000:02:00.0", "--watts", "100 && reboot"],
        ["--bus", "0000:02:00.0", "--watts", "100"],
        ["--bus-id=0000:02:00.0", "--watts", "100"],
        ["--bus-id", "0000:02:00.0", "--watts", "-5"],
        ["--bus-id", "0000:02:00.0", "--watts", "100", "--watts", "90"],
        ["--bus-id", "$(id)", "--reset"],
        ["--bus-id", "0000:02:00.0", "--watts", "100", "extra"],
    ],
)
def test_helper_refuses_anything_but_validated_arguments(argv):
    with pytest.raises(RigPilotError) as exc:
        power_helper.parse_args(argv)
    assert exc.value.code == "power-helper-bad-arguments"


def test_helper_accepts_the_two_forms():
    assert power_helper.parse_args(["--bus-id", "02:00.0", "--watts", "150.5"]) == ("0000:02:00.0", 150.5)
    assert power_helper.parse_args(["--reset", "--bus-id", "0000:0A:00.0"]) == ("0000:0a:00.0", None)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=20), max_size=6))
def test_helper_argument_parser_fuzz(argv):
    try:
        bus, watts = power_helper.parse_args(argv)
    except RigPilotError as err:
        assert err.code == "power-helper-bad-arguments"
    else:
        assert power_helper.BUS_RE.match(argv[argv.index("--bus-id") + 1])


def _helper(argv, backend, make_host):
    out = io.StringIO()
    result = ProbeResult(gpus=[RTX, S80])
    rc = power_helper.main(argv, host=make_host(), result=result, backends={0: backend, 1: backend}, out=out)
    return rc, json.loads(out.getvalue())


def test_helper_validates_against_the_cards_own_constraints(make_host):
    b = sim()
    rc, reply = _helper(["--bus-id", "0000:02:00.0", "--watts", "500"], b, make_host)
    assert rc == 2 and reply["error"]["code"] == "power-limit-out-of-range"
    assert b.power(0).current_w == 170
    rc, reply = _helper(["--bus-id", "0000:02:00.0", "--watts", "120"], b, make_host)
    assert rc == 0 and reply == {
        "ok": True,
        "bus_id": "0000:02:00.0",
        "gpu": 0,
        "requested_w": 120.0,
        "current_w": 120.0,
        "enforced_w": 120.0,
    }
    rc, reply = _helper(["--bus-id", "0000:02:00.0", "--reset"], b, make_host)
    assert rc == 0 and reply["current_w"] == 170
    rc, reply = _helper(["--bus-id", "0000:01:00.0", "--watts", "200"], b, make_host)
    assert rc == 2 and reply["error"]["code"] == "power-limit-unsupported"
    rc, reply = _helper(["--bus-id", "0000:09:00.0", "--watts", "120"], b, make_host)
    assert rc == 2 and reply["error"]["code"] == "power-helper-gpu-not-found"


def test_helper_process_never_runs_injected_text(tmp_path):
    marker = tmp_path / "pwned"
    for argv in (
        ["--bus-id", f"0000:02:00.0;touch {marker}", "--watts", "100"],
        ["--bus-id", "0000:02:00.0", "--watts", f"100`touch {marker}`"],
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "probes.live.power_helper", *argv],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2
        reply = json.loads(proc.stdout)
        assert reply["ok"] is False and reply["error"]["code"] == "power-helper-bad-arguments"
        assert "Traceback" not in proc.stderr
    assert not marker.exists()
