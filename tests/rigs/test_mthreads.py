"""The simulated Moore Threads rigs (assets/rigs/s80-linux, s80-no-driver) through the real probes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from probes.core.i18n import catalog, render
from probes.core.problems import CATALOG
from probes.core.replay import RIGS_DIR, ReplayHost, simulated_host
from probes.detect.engine import probe
from probes.detect.sources import mthreads, pci
from probes.live.telemetry import mthreads as tm

ROOT = Path(__file__).resolve().parents[2]
SOURCES = pci.SOURCES + mthreads.SOURCES


def test_s80_linux_rig():
    result = probe(ReplayHost(RIGS_DIR / "s80-linux", simulated="s80-linux"), sources=SOURCES)
    (g,) = result.gpus
    assert (g.vendor, g.name, g.pci.vendor_id, g.pci.device_id, g.pci.bus_id) == (
        "mthreads",
        "MTT S80",
        "1ed5",
        "0201",
        "0000:01:00.0",
    )
    assert (g.driver.version, g.driver.tool, g.driver.tool_version, g.driver.module, g.driver.loaded) == (
        "3.0.0",
        "mthreads-gmi",
        "2.0.0",
        "mtgpu",
        True,
    )
    assert g.memory_total_bytes == 16 * 2**30 and (g.compute.api, g.compute.arch) == ("musa", "mp_21")
    assert g.extra["musa_toolkit"] == "4.2.0"
    assert [p.code for p in result.problems] == ["simulated-rig"]
    assert result.host.simulated == "s80-linux"


def test_s80_linux_rig_telemetry_uses_the_recorded_mtml():
    host = simulated_host("s80-linux")
    result = probe(host, sources=SOURCES)
    (backend,) = tm.backends(host, result)
    assert isinstance(backend, tm.MtmlBackend)
    (s,) = backend.sample(0.0)
    assert (s.temperature_c, s.utilization_pct, s.memory_used_bytes) == (41, 0, 662 * 2**20)
    assert s.power_draw_w is None and s.fan_pct is None  # not published for the S80: unknown, not 0


def test_s80_no_driver_rig():
    result = probe(simulated_host("s80-no-driver"), sources=SOURCES)
    (g,) = result.gpus
    assert (g.name, g.driver.loaded, g.driver.module, g.driver.version, g.compute.arch) == (
        "MTT S80",
        False,
        None,
        None,
        "mp_21",
    )
    assert g.sources == ["pci"]
    codes = {p.code: p for p in result.problems}
    assert set(codes) == {"driver-not-installed", "simulated-rig"}
    p = codes["driver-not-installed"]
    assert p.gpu == 0 and "Moore Threads" in render(p.hint, "en") and "摩尔线程" in render(p.hint, "zh_CN")


def test_cli_simulate_prints_the_rig(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "probe", "--json", "--simulate", "s80-no-driver"],
        capture_output=True,
        timeout=60,
        cwd=str(tmp_path),
        env={"PATH": "", "RIGPILOT_LANG": "zh_CN", "RIGPILOT_NO_BOOTSTRAP": "1", "HOME": str(tmp_path)},
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["host"]["simulated"] == "s80-no-driver"
    (p,) = [p for p in doc["problems"] if p["code"] == "driver-not-installed"]
    assert (
        p["message"]
        == "MTT S80 在 PCI 总线上，但没有绑定任何驱动，也没有找到 mthreads-gmi/mthreads-smi 工具。"
    )


def test_every_problem_code_and_error_text_of_this_area_has_zh_cn():
    zh = catalog("zh_CN")
    codes = (
        "no-gpu",
        "driver-not-installed",
        "driver-not-loaded",
        "nvml-driver-mismatch",
        "smi-tool-failed",
        "smi-tool-timeout",
        "smi-output-unparsed",
        "probe-source-timeout",
        "probe-source-failed",
        "torch-cpu-build-on-gpu-machine",
        "torch-arch-not-supported",
        "python-version-unsupported",
        "render-group-missing",
        "torch-probe-failed",
        "simulated-rig",
        "mthreads-memory-over-total",
    )
    for spec in (CATALOG[c] for c in codes):
        assert ("problems", spec.message) in zh, spec.code
        assert ("problems", spec.hint) in zh, spec.code
    for source in (
        "Could not read the output of {tool}: {detail}{where}",
        "Run the tool by hand and attach its output to a bug report (python main.py report).",
        "No recording at {path}.",
        "There is no simulated rig called '{name}'.",
        "Choose one of: {names}.",
    ):
        assert ("errors", source) in zh
    assert ("telemetry", tm.NO_SETTER.source) in zh
    for label in ("Moore Threads", "Hygon DCU", "Biren", "graphics card"):
        assert ("vendors", label) in zh
    # placeholders survive translation
    for (ctx, src), text in zh.items():
        if ctx in ("problems", "errors"):
            assert sorted(re.findall(r"{\w+}", src)) == sorted(re.findall(r"{\w+}", text)), src


def test_a_recording_of_a_sysfs_machine_replays_the_same(fake_tools, sysfs, tmp_path):
    """probe --record stores 0000:01:00.0 as 00000100.0 (Windows-safe); --replay must still find it."""
    from probes.core.replay import RecordingHost

    sysfs.pci_device("0000:01:00.0", "1ed5", "0201", driver="mtgpu")
    sysfs.write("/sys/module/mtgpu/version", "3.0.0\n")
    table = (
        (ROOT / "tests/data/mthreads-gmi/s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt").read_text().split("\n", 1)[1]
    )
    fake_tools.replay("mthreads-gmi", {"": {"stdout": table}}, default={"stdout": "Error: x\n", "rc": 1})
    rec_dir = tmp_path / "rec"
    rec = RecordingHost(
        rec_dir, root=str(sysfs.root), env={"PATH": fake_tools.path}, platform="linux", extra_dirs={}
    )
    live = probe(rec, sources=SOURCES)
    assert not any(":" in p.name for p in rec_dir.rglob("*"))
    replayed = probe(ReplayHost(rec_dir), sources=SOURCES)
    assert [g.to_json() for g in replayed.gpus] == [g.to_json() for g in live.gpus]
    assert replayed.gpus[0].driver.version == "3.0.0" and replayed.gpus[0].extra["driver_module_present"]
