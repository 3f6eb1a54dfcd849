"""The Windows simulated rigs run through the same probe engine as a real machine."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from probes.core.replay import RIGS_DIR, ReplayHost, simulated_host
from probes.detect.engine import probe
from probes.detect.sources.hostinfo import WIN_HOST_SCRIPT
from probes.detect.sources.windows import CIM_SCRIPT
from probes.live.telemetry.registry import open_backends
from probes.live.telemetry.windows import COUNTER_SCRIPT

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("rig", ["s80-windows", "gtx1080ti-windows"])
def test_rig_commands_match_the_current_scripts(rig):
    """If a script changed, regenerate: python tools/make_windows_rigs.py."""
    manifest = json.loads((RIGS_DIR / rig / "manifest.json").read_text(encoding="utf-8"))
    scripts = {c["argv"][-1] for c in manifest["commands"] if c["argv"][0].lower().endswith("powershell.exe")}
    assert CIM_SCRIPT in scripts and WIN_HOST_SCRIPT in scripts
    if rig == "s80-windows":
        assert COUNTER_SCRIPT in scripts
    assert manifest["platform"] == "windows"


def test_s80_windows_rig():
    result = probe(ReplayHost(RIGS_DIR / "s80-windows", simulated="s80-windows"))
    mt = [g for g in result.gpus if g.vendor == "mthreads"]
    assert len(mt) == 1
    g = mt[0]
    assert (g.name, g.pci.vendor_id, g.pci.device_id, g.pci.bus_id) == (
        "MTT S80",
        "1ed5",
        "0201",
        "0000:03:00.0",
    )
    assert g.memory_total_bytes == 16 * 2**30 and g.compute.api == "directml"
    assert g.driver.version == "31.0.9.2601" and g.driver.loaded is True and "windows-cim" in g.sources
    h = result.host
    assert (
        h.platform == "windows" and h.simulated == "s80-windows" and h.os.startswith("Microsoft Windows 11")
    )
    assert sorted(p["version"] for p in h.pythons) == ["3.10.11", "3.12.7"]  # the Store alias is skipped
    codes = [p.code for p in result.problems]
    assert "simulated-rig" in codes and "driver-not-installed" not in codes
    assert "python-version-unsupported" not in codes  # 3.10 and 3.12 both fit torch-directml


def test_s80_windows_telemetry_from_counters():
    # replayed as a recording (not --simulate, where the thermal model serves every GPU)
    host = ReplayHost(RIGS_DIR / "s80-windows")
    result = probe(host)
    chosen = open_backends(host, result)
    idx = [g.index for g in result.gpus if g.vendor == "mthreads"][0]
    backend = chosen[idx]
    assert backend.name == "windows-counters"
    (s,) = [s for s in backend.sample(0.0) if s.gpu == idx]
    assert s.state == "ok" and s.memory_used_bytes == 1288490188 and s.utilization_pct == 64.3
    assert s.temperature_c is None and s.power_draw_w is None


def test_gtx1080ti_windows_rig_from_cim_alone():
    """The CIM source alone already gives vendor, name, ids, bus id and VRAM right."""
    from probes.detect.sources.windows import WindowsCimSource

    result = probe(
        ReplayHost(RIGS_DIR / "gtx1080ti-windows", simulated="gtx1080ti-windows"),
        sources=[WindowsCimSource()],
    )
    (g,) = result.gpus
    assert (g.vendor, g.name, g.pci.vendor_id, g.pci.device_id) == (
        "nvidia",
        "NVIDIA GeForce GTX 1080 Ti",
        "10de",
        "1b06",
    )
    assert g.pci.bus_id == "0000:01:00.0" and g.memory_total_bytes == 11264 * 2**20
    assert g.driver.version == "536.67" and g.extra["windows_driver_version"] == "31.0.15.3667"
    assert g.compute.api == "cuda"


def test_gtx1080ti_windows_rig_all_sources_merge_into_one_card():
    result = probe(simulated_host("gtx1080ti-windows"))
    nvidia = [g for g in result.gpus if g.vendor == "nvidia"]
    assert len(nvidia) == 1 and nvidia[0].memory_total_bytes == 11264 * 2**20
    assert result.host.os == "Microsoft Windows 10 Pro"


def test_cli_probe_simulate_windows_rig_json():
    out = subprocess.run(
        [sys.executable, "main.py", "probe", "--json", "--simulate", "s80-windows"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "RIGPILOT_LANG": "en", "HOME": str(ROOT)},
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["schema"] == "rigpilot.probe/1" and data["host"]["simulated"] == "s80-windows"
    assert [g["compute"]["api"] for g in data["gpus"] if g["vendor"] == "mthreads"] == ["directml"]


def test_record_then_replay_a_windows_probe(tmp_path, fake_tools):
    """--record on a (fake) Windows machine, --replay elsewhere: the same answer."""
    import os

    from probes.core.replay import RecordingHost
    from probes.detect.sources.hostinfo import HostInfoSource
    from probes.detect.sources.windows import WindowsCimSource

    fixture = ROOT / "tests" / "data" / "windows-cim" / "gtx1080ti-536.67-win10.json"
    fake_tools.replay("powershell", {"*": {"stdout": fixture.read_text(encoding="utf-8")}})
    env = {"PATH": fake_tools.path, "HOME": str(tmp_path), "PROCESSOR_ARCHITECTURE": "AMD64"}
    rec_dir = tmp_path / "rec"
    sources = [WindowsCimSource(), HostInfoSource()]
    recorded = probe(RecordingHost(rec_dir, env=env, platform="windows", extra_dirs={}), sources=sources)
    os.remove(fake_tools.bindir / "powershell")  # the replay must not need the tool
    replayed = probe(ReplayHost(rec_dir), sources=sources)
    assert [g.to_json() for g in replayed.gpus] == [g.to_json() for g in recorded.gpus]
    assert len(replayed.gpus) == 2 and replayed.host.arch == "x86_64"
