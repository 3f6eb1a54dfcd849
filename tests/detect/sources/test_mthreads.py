"""Moore Threads end to end: fake ``mthreads-gmi`` on PATH + a sysfs tree under RIGPILOT_ROOT.

The CLI runs as a real subprocess (``python main.py probe --json``) like a user would run it; the
smaller cases call the engine with the PCI + Moore Threads sources.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from probes.core.i18n import render
from probes.detect.engine import probe
from probes.detect.sources import domestic, mthreads, pci

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parents[2] / "data"
GMI = DATA / "mthreads-gmi"
SOURCES = pci.SOURCES + mthreads.SOURCES


def capture(name: str, drop_prompt: bool = True) -> str:
    text = (GMI / name).read_text(encoding="utf-8")
    lines = text.splitlines(True)
    if drop_prompt and lines and "$ mthreads-gmi" in lines[0]:
        lines = lines[1:]  # the shell prompt of the capture is not the tool's output
    return "".join(lines)


def s80(sysfs, bus="0000:01:00.0", *, driver="mtgpu", module_version=None):
    sysfs.pci_device(bus, "1ed5", "0201", driver=driver)
    sysfs.pci_device(
        bus[:-1] + "1", "1ed5", "02ff", cls="0x040300", driver="snd_hda_intel" if driver else None
    )
    if module_version:
        sysfs.write("/sys/module/mtgpu/version", module_version + "\n")


def run_cli(fake_tools, sysfs, tmp_path, *args, timeout=60):
    env = {
        "PATH": fake_tools.path,
        "RIGPILOT_ROOT": str(sysfs.root),
        "RIGPILOT_PLATFORM": "linux",
        "RIGPILOT_LANG": "en",
        "HOME": str(tmp_path),
        "RIGPILOT_NO_BOOTSTRAP": "1",
        "PYTHONPATH": str(ROOT),
    }
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "probe", "--json", *args],
        env=env,
        capture_output=True,
        timeout=timeout,
        cwd=str(tmp_path),
    )
    elapsed = time.monotonic() - t0
    assert "Traceback" not in proc.stderr.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout), elapsed


def mt_gpus(doc):
    return [g for g in doc["gpus"] if g["vendor"] == "mthreads"]


# ---- the "done when" cases, through the real CLI ------------------------------------------------


@pytest.mark.parametrize(
    "fixture, bus, gmi_version, driver",
    [
        ("s80-gmi1.14.0-drv2.7.0-linux.txt", "0000:04:00.0", "1.14.0", "2.7.0"),
        ("s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt", "0000:01:00.0", "2.0.0", "3.0.0"),
    ],
)
def test_cli_s80_on_gmi_1x_and_2x(fake_tools, sysfs, tmp_path, fixture, bus, gmi_version, driver):
    s80(sysfs, bus, module_version=driver)
    fake_tools.replay(
        "mthreads-gmi",
        {"": {"stdout": capture(fixture)}},
        default={"stdout": "Error: unknown option\n", "rc": 4},
    )
    doc, _ = run_cli(fake_tools, sysfs, tmp_path)
    (g,) = mt_gpus(doc)
    assert g["name"] == "MTT S80" and g["vendor"] == "mthreads"
    assert g["pci"] == {
        "vendor_id": "1ed5",
        "device_id": "0201",
        "bus_id": bus,
        "subsystem_id": None,
        "revision": None,
    }
    assert g["driver"]["version"] == driver and g["driver"]["tool"] == "mthreads-gmi"
    assert g["driver"]["tool_version"] == gmi_version and g["driver"]["loaded"] is True
    assert g["driver"]["module"] == "mtgpu"
    assert g["memory_total_bytes"] == 16 * 2**30
    assert g["compute"]["api"] == "musa" and g["compute"]["arch"] == "mp_21"
    assert sorted(g["sources"]) == ["mthreads", "pci"]
    assert [p["code"] for p in doc["problems"] if p["code"].startswith(("smi-", "driver-"))] == []


def test_cli_s80_without_driver(fake_tools, sysfs, tmp_path):
    s80(sysfs, driver=None)
    doc, _ = run_cli(fake_tools, sysfs, tmp_path)
    (g,) = mt_gpus(doc)
    assert (g["name"], g["compute"]["arch"], g["driver"]["loaded"], g["driver"]["version"]) == (
        "MTT S80",
        "mp_21",
        False,
        None,
    )
    codes = [(p["code"], p.get("gpu")) for p in doc["problems"]]
    assert ("driver-not-installed", g["index"]) in codes
    assert len(doc["gpus"]) == 1  # the audio function is not a GPU


def test_cli_hanging_tool_times_out_within_the_deadline(fake_tools, sysfs, tmp_path):
    s80(sysfs, module_version="3.0.0")
    fake_tools.replay("mthreads-gmi", {"*": {"sleep": 60}})
    doc, elapsed = run_cli(fake_tools, sysfs, tmp_path)
    assert elapsed < 15
    assert "smi-tool-timeout" in [p["code"] for p in doc["problems"]]
    (g,) = mt_gpus(doc)  # the card is still reported, from sysfs
    assert g["driver"]["version"] == "3.0.0" and g["memory_total_bytes"] is None


@pytest.mark.parametrize(
    "spec, code, text",
    [
        ({"stdout_hex": "00ff13fe9c8d" * 64}, "smi-output-unparsed", None),
        ({"stdout": "驱动未加载，无法初始化 MTML\n", "encoding": "gbk"}, "smi-output-unparsed", "驱动未加载"),
        (
            {"stdout": "Error: failed to load driver.\n", "rc": 8},
            "smi-tool-failed",
            "Error: failed to load driver.",
        ),
        (
            {"stdout": "Error: No MT GPU device found.\n", "rc": 0},
            "smi-tool-failed",
            "No MT GPU device found",
        ),
        ({"stdout": "Error: failed to initialize MTML\n", "rc": 4}, "smi-tool-failed", "(exit code 4)"),
    ],
)
def test_cli_broken_tool_output_is_a_problem_not_a_traceback(fake_tools, sysfs, tmp_path, spec, code, text):
    s80(sysfs)
    fake_tools.replay("mthreads-gmi", {"*": spec})
    doc, _ = run_cli(fake_tools, sysfs, tmp_path)
    problems = [p for p in doc["problems"] if p["code"] == code]
    assert problems, doc["problems"]
    if text:
        assert text in problems[0]["message"]
    (g,) = mt_gpus(doc)
    assert g["pci"]["device_id"] == "0201" and g["compute"]["arch"] == "mp_21"


# ---- engine level ---------------------------------------------------------------------------------


def test_json_enrichment_on_gmi_2_3(fake_tools, sysfs, make_host):
    """gmi 2.3.2 (F6 table) then --query --json (F9): uuid, device id 0x0400 -> mp_31, power limit."""
    for bus in ("0000:2a:00.0", "0000:3a:00.0", "0000:4c:00.0"):
        sysfs.pci_device(bus, "1ed5", "0400", driver="mtgpu")
    fake_tools.replay(
        "mthreads-gmi",
        {
            "": {"stdout": capture("s5000x3-gmi2.3.2-drv3.3.5-server-linux.txt")},
            "--query --json": {"stdout": (GMI / "s5000x2-query-json-drv3.3.5-server-linux.json").read_text()},
        },
    )
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=SOURCES)
    g0, g1, g2 = result.gpus
    assert g0.uuid == "399282a8-ba01-1475-893c-2eeca9e302f5" and g0.extra["power_limit_w"] == 950.0
    assert g0.extra["mtbios_version"] == "4.3.41" and g0.driver.tool_version == "2.3.2"
    assert all(g.compute.arch == "mp_31" and g.memory_total_bytes == 80 * 2**30 for g in result.gpus)
    assert g1.uuid == "5ebdeb63-ba7a-5904-4f16-495b3e1de6c8"  # matched by index: no bus id in its JSON
    assert g2.uuid is None


def test_query_text_used_on_older_gmi(fake_tools, sysfs, make_host):
    s80(sysfs)
    calls = fake_tools.bindir / "calls.txt"
    fake_tools.script(
        "mthreads-gmi",
        f"""
open({str(calls)!r}, "a").write(" ".join(sys.argv[1:]) + "\\n")
if sys.argv[1:] == []:
    sys.stdout.write({capture("s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt")!r})
else:
    sys.stdout.write("Error: invalid option\\n"); sys.exit(1)
""",
    )
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=SOURCES)
    assert calls.read_text().splitlines() == ["", "-q"]  # no --json below gmi 2.3
    assert result.gpus[0].driver.version == "3.0.0" and result.problems == []


def test_mthreads_smi_name_and_musa_toolkit(fake_tools, sysfs, make_host):
    s80(sysfs)
    fake_tools.replay("mthreads-smi", {"": {"stdout": capture("s80-gmi2.0.0-drv3.0.0-ubuntu22.04.txt")}})
    fake_tools.replay(
        "musa_version_query",
        {"": {"stdout": (DATA / "musa" / "musa_version_query-musa4.2.0-s80-ubuntu22.04.txt").read_text()}},
    )
    (g,) = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=SOURCES).gpus
    assert g.driver.tool == "mthreads-smi" and g.extra["musa_toolkit"] == "4.2.0"
    assert g.extra["musa_build_archs"] == ["mp_21", "mp_22", "mp_31"]


def test_version_json_wins_over_musa_version_query(fake_tools, sysfs, make_host):
    s80(sysfs, module_version="3.0.0")
    sysfs.write("/usr/local/musa/version.json", json.dumps({"musa_toolkits": {"version": "5.1.0"}}))
    fake_tools.replay("musa_version_query", {"*": {"stdout": 'musa_toolkits:\n{"version": "9.9.9"}'}})
    (g,) = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=SOURCES).gpus
    assert g.extra["musa_toolkit"] == "5.1.0" and g.driver.version == "3.0.0" and g.driver.tool is None


def test_used_above_total_raises_the_iommu_hint(fake_tools, sysfs, make_host):
    sysfs.pci_device("0000:08:00.0", "1ed5", "0323", driver="mtgpu")
    fake_tools.replay("mthreads-gmi", {"": {"stdout": capture("s4000-gmi1.12.2-drv1.2.0-linux.txt")}})
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=SOURCES)
    (p,) = [p for p in result.problems if p.code == "mthreads-memory-over-total"]
    assert p.gpu == 0 and "44302" in render(p.message, "en") and "IOMMU" in render(p.hint, "zh_CN")
    assert result.gpus[0].compute.arch == "mp_22"


def test_hung_tool_is_asked_only_once(fake_tools, sysfs, make_host):
    s80(sysfs)
    calls = fake_tools.bindir / "calls.txt"
    fake_tools.script("mthreads-gmi", f"open({str(calls)!r}, 'a').write('x\\n'); time.sleep(30)")
    src = mthreads.MthreadsSource()
    src.table_timeout_s = 0.5
    t0 = time.monotonic()
    res = src.collect(make_host(root=sysfs, path=[fake_tools.path]), None)
    assert time.monotonic() - t0 < src.timeout_s
    assert [p.code for p in res.problems] == ["smi-tool-timeout"] and calls.read_text() == "x\n"


# ---- Iluvatar / MetaX / Hygon ----------------------------------------------------------------------


def _smi(name):
    folder = {"ixsmi": "ixsmi", "mx-smi": "mx-smi", "hy-smi": "hy-smi"}[name]
    return sorted((DATA / folder).glob("*.txt"))[0].read_text(encoding="utf-8")


def test_ixsmi_source(fake_tools, sysfs, make_host):
    sysfs.pci_device("0000:98:00.0", "1e3e", "0001", cls="0x030200", driver="bi_driver")
    fake_tools.replay("ixsmi", {"": {"stdout": _smi("ixsmi").split("\n", 1)[1]}})
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=pci.SOURCES + domestic.SOURCES)
    (g,) = result.gpus
    assert (g.vendor, g.name, g.driver.version, g.driver.tool_version) == (
        "iluvatar",
        "Iluvatar BI-V100",
        "3.1.0",
        "3.1.1",
    )
    assert g.memory_total_bytes == 32768 * 2**20 and g.extra["iluvatar_toolkit"] == "10.2"


def test_mxsmi_source(fake_tools, sysfs, make_host):
    sysfs.pci_device("0000:12:00.0", "9999", "0a01", cls="0x038000", driver="metax")
    fake_tools.replay(
        "mx-smi", {"": {"stdout": (DATA / "mx-smi" / "c500-mxsmi2.3.1-kmd3.8.30-linux.txt").read_text()}}
    )
    (g,) = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=pci.SOURCES + domestic.SOURCES).gpus
    assert (g.vendor, g.name, g.driver.version) == ("metax", "MetaX C500", "3.8.30")
    assert g.memory_total_bytes == 64 * 2**30 and g.extra["metax_toolkit"] == "3.7.1.5"


def test_hysmi_rows_follow_bus_order_only_when_counts_match(fake_tools, sysfs, make_host):
    sysfs.pci_device("0000:21:00.0", "1d94", "6211", cls="0x120000", driver="hycu")
    sysfs.pci_device("0000:41:00.0", "1d94", "6211", cls="0x120000", driver="hycu")
    fake_tools.replay(
        "hy-smi", {"": {"stdout": (DATA / "hy-smi" / "bw1000x2-dtk26.04-linux.txt").read_text()}}
    )
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=pci.SOURCES + domestic.SOURCES)
    assert [(g.pci.bus_id, g.driver.tool, g.extra.get("power_cap_w")) for g in result.gpus] == [
        ("0000:21:00.0", "hy-smi", 1000.0),
        ("0000:41:00.0", "hy-smi", 1000.0),
    ]
    sysfs.pci_device("0000:61:00.0", "1d94", "6211", cls="0x120000", driver="hycu")
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=pci.SOURCES + domestic.SOURCES)
    assert len(result.gpus) == 3 and all(g.driver.tool is None for g in result.gpus)


def test_no_tool_no_source(make_host):
    host = make_host()
    assert not any(s.applicable(host, None) for s in domestic.SOURCES)
