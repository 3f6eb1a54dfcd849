"""``monitor`` and ``power`` end to end, in a subprocess, on the monitor test rig."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
RIG = str(Path(__file__).resolve().parents[2] / "data" / "rigs" / "monitor-test")


def main(*args, stdin=None, timeout=120, data_dir=None):
    env = {
        "RIGPILOT_LANG": "en",
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "RIGPILOT_DATA_DIR": str(data_dir or ROOT / "build" / "test-data"),
    }
    return subprocess.run(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=timeout,
        env=env,
    )


def test_monitor_guard_brings_a_hot_card_under_the_threshold_and_restores_it(tmp_path):
    proc = main(
        "monitor",
        "--simulate",
        RIG,
        "--load",
        "100:900,0",
        "--guard",
        "--speed",
        "240",
        "--duration",
        "1500",
        "--json",
        "--csv",
        str(tmp_path / "log.csv"),
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    samples = [r for r in rows if r["type"] == "sample"]
    events = [r for r in rows if r["type"] == "guard"]
    assert len(samples) >= 2 * 1400  # two GPUs, ~1 Hz simulated
    assert all(s["source"] == "simulated" for s in samples)
    nv = [s for s in samples if s["gpu"] == 1]
    t0 = nv[0]["t"]
    kinds = [e["event"] for e in events if e["gpu"] == 1]
    assert kinds[0] == "step-down" and kinds[-1] == "restored", kinds
    assert "step-up" in kinds or kinds.count("restored") == 1
    first_down = next(e for e in events if e["gpu"] == 1 and e["event"] == "step-down")
    assert first_down["temperature_c"] > 85 and first_down["from_w"] == 170
    hot_while_loaded = [s["temperature_c"] for s in nv if 600 <= s["t"] - t0 <= 890]
    assert max(hot_while_loaded) < 85  # under the threshold at full load
    assert min(s["power_limit_w"] for s in nv) >= 100
    assert nv[-1]["power_limit_w"] == 170  # back at the user's limit after the load stopped
    # the S80 has no setter: alert only, its limit is unknown (null, never 0)
    s80 = [e["event"] for e in events if e["gpu"] == 0]
    assert "hot" in s80 and "step-down" not in s80
    assert all(s["power_limit_w"] is None for s in samples if s["gpu"] == 0)
    logs = sorted(tmp_path.glob("log-*.csv"))
    assert logs and sum(len(p.read_text().splitlines()) for p in logs) >= len(samples)


def test_monitor_guard_logs_its_actions_in_the_data_folder(tmp_path):
    """The same log as the Monitor page: <data dir>/monitor/guard-events.jsonl, one JSON line per action."""
    proc = main(
        "monitor",
        "--simulate",
        "rtx3060-linux",
        "--load",
        "100",
        "--speed",
        "600",
        "--guard",
        "--duration",
        "300",
        "--json",
        data_dir=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    shown = [json.loads(line) for line in proc.stdout.splitlines()]
    shown = [r for r in shown if r["type"] == "guard"]
    logged = [
        json.loads(line) for line in (tmp_path / "monitor" / "guard-events.jsonl").read_text().splitlines()
    ]
    assert logged == shown  # every event printed is logged, the final restore included
    kinds = [r["event"] for r in logged]
    assert kinds[0] == "step-down" and kinds[-1] == "restored"
    assert logged[0]["gpu"] == 0 and logged[0]["from_w"] == 170 and logged[0]["to_w"] < 170
    assert logged[0]["temperature_c"] > 85 and "lowering the power limit" in logged[0]["reason"]


def test_guard_settings_from_the_command_line():
    """--step 20 --hold 2: the first step down is 20 % of the 170 W default, 2 s after crossing."""
    proc = main(
        "monitor",
        "--simulate",
        RIG,
        "--gpu",
        "1",
        "--load",
        "100",
        "--guard",
        "--speed",
        "240",
        "--duration",
        "400",
        "--json",
        "--step",
        "20",
        "--hold",
        "2",
        "--threshold",
        "80",
    )
    assert proc.returncode == 0, proc.stderr
    rows = [json.loads(line) for line in proc.stdout.splitlines()]
    down = next(r for r in rows if r["type"] == "guard" and r["event"] == "step-down")
    assert (down["from_w"], down["to_w"]) == (170, 136)
    hot = [r["t"] for r in rows if r["type"] == "sample" and r["temperature_c"] > 80]
    assert hot and down["t"] - hot[0] <= 4.0


def test_monitor_text_output_and_gpu_selection():
    proc = main(
        "monitor", "--simulate", RIG, "--gpu", "1", "--duration", "2", "--speed", "10", "--load", "50"
    )
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "SIMULATED" in lines[0]
    assert lines[1].split()[1:3] == ["GPU", "1:"] and "[SIMULATED]" in lines[1]
    assert not any(" GPU 0:" in line for line in lines)


@pytest.mark.parametrize(
    "args, code",
    [
        (["--interval", "0.1"], "monitor-interval-out-of-range"),
        (["--gpu", "7"], "monitor-gpu-not-found"),
        (["--load", "150"], "monitor-load-invalid"),
        (["--load", "100,0"], "monitor-load-invalid"),
        (["--duration", "0"], "monitor-duration-invalid"),
        (["--threshold", "300"], "guard-settings-invalid"),
        (["--step", "80"], "guard-settings-invalid"),
        (["--hold", "0"], "guard-settings-invalid"),
        (["--recover", "7200"], "guard-settings-invalid"),
    ],
)
def test_monitor_bad_input_is_a_clear_error(args, code):
    extra = [] if "--duration" in args else ["--duration", "1"]
    proc = main("monitor", "--simulate", RIG, *args, *extra)
    assert proc.returncode == 2
    assert f"error [{code}]" in proc.stderr and "hint:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_load_and_speed_need_a_simulated_rig(monkeypatch, make_host):
    import argparse

    from app.commands import _open_telemetry
    from app.commands import monitor as cmd
    from probes.core.errors import RigPilotError
    from probes.core.model import ProbeResult
    from tests.live.test_power import Laptop

    monkeypatch.setattr(
        _open_telemetry, "open_telemetry", lambda args, gpus: (make_host(), ProbeResult(), {0: Laptop()})
    )
    p = argparse.ArgumentParser()
    cmd.add_arguments(p)
    with pytest.raises(RigPilotError) as exc:
        cmd.run(p.parse_args(["--load", "50", "--duration", "1"]))
    assert exc.value.code == "monitor-simulation-only"


def test_power_show_json():
    proc = main("power", "show", "--simulate", RIG, "--gpu", "1", "--json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data == {
        "gpu": 1,
        "supported": True,
        "reason": None,
        "min_w": 100,
        "max_w": 170,
        "default_w": 170.0,
        "current_w": 170.0,
        "enforced_w": 170.0,
        "simulated": True,
    }
    mt = json.loads(main("power", "show", "--simulate", RIG, "--gpu", "0", "--json").stdout)
    assert mt["supported"] is False and "MTML" in mt["reason"] and mt["min_w"] is None


def test_power_set_out_of_range_and_unsupported():
    proc = main("power", "set", "--simulate", RIG, "--gpu", "1", "500")
    assert proc.returncode == 2
    assert "error [power-limit-out-of-range]" in proc.stderr and "100 W and 170 W" in proc.stderr
    proc = main("power", "set", "--simulate", RIG, "--gpu", "0", "200")
    assert proc.returncode == 2 and "error [power-limit-unsupported]" in proc.stderr


def test_power_set_reverts_unless_confirmed_on_the_terminal():
    proc = main(
        "power", "set", "--simulate", RIG, "--gpu", "1", "150", "--confirm-seconds", "1", "--json", stdin=""
    )
    assert proc.returncode == 1, proc.stderr
    res = json.loads(proc.stdout)
    assert res["reverted"] is True and res["confirmed"] is False and res["current_w"] == 170
    assert "Type y and Enter" in proc.stderr
    proc = main(
        "power",
        "set",
        "--simulate",
        RIG,
        "--gpu",
        "1",
        "150",
        "--confirm-seconds",
        "5",
        "--json",
        stdin="y\n",
    )
    assert proc.returncode == 0, proc.stderr
    res = json.loads(proc.stdout)
    assert res["confirmed"] is True and res["current_w"] == 150
    proc = main("power", "reset", "--simulate", RIG, "--gpu", "1")
    assert proc.returncode == 0 and "170 W" in proc.stdout


def test_load_profile_parser():
    from app.commands.monitor import load_at, parse_load

    profile = parse_load("100:600, 40:60,0")
    assert profile == [(100.0, 600.0), (40.0, 60.0), (0.0, None)]
    assert [load_at(profile, t) for t in (0, 599, 600, 659, 660, 10_000)] == [100, 100, 40, 40, 0, 0]
    assert parse_load("55.5") == [(55.5, None)]
    assert load_at(parse_load("80:10"), 11) == 80  # the last step persists


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=30))
def test_load_profile_parser_fuzz(text):
    from app.commands.monitor import parse_load
    from probes.core.errors import RigPilotError

    try:
        profile = parse_load(text)
    except RigPilotError as err:
        assert err.code == "monitor-load-invalid"
    else:
        assert profile and all(0 <= pct <= 100 for pct, _ in profile)
        assert all(d is not None for _, d in profile[:-1])
