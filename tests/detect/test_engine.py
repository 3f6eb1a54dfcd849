"""The probe engine: parallel sources, per-source timeout and deadline, merge per bus id, replay."""

from __future__ import annotations

import json
import time

from probes.core.host import Host
from probes.core.model import Compute, Driver, Gpu, Pci, ProbeResult, SourceResult, normalize_bus_id
from probes.core.replay import RecordingHost, ReplayHost
from probes.detect.engine import merge_results, probe
from probes.detect.sources import ProbeContext, Source


class Fixed(Source):
    def __init__(self, name, priority, gpus=(), delay=0.0, exc=None, timeout_s=5.0):
        self.name, self.priority, self._gpus, self.delay, self.exc = name, priority, list(gpus), delay, exc
        self.timeout_s = timeout_s

    def collect(self, host, ctx):
        if self.delay:
            time.sleep(self.delay)
        if self.exc:
            raise self.exc
        return SourceResult(gpus=[Gpu(**g) for g in self._gpus])


def test_normalize_bus_id_variants():
    assert normalize_bus_id("00000000:01:00.0") == "0000:01:00.0"
    assert normalize_bus_id("01:00.0") == "0000:01:00.0"
    assert normalize_bus_id("0000:C1:00.0") == "0000:c1:00.0"
    assert normalize_bus_id("garbage") is None


def test_fragments_of_one_card_merge_by_bus_id_with_priority():
    tool = Fixed(
        "tool",
        10,
        [
            dict(
                vendor="nvidia",
                name="NVIDIA GeForce RTX 3060",
                pci=Pci(bus_id="00000000:01:00.0"),
                memory_total_bytes=12 * 2**30,
                driver=Driver(version="550.54.14", tool="nvidia-smi"),
            )
        ],
    )
    pci = Fixed(
        "pci",
        60,
        [
            dict(
                vendor="nvidia",
                name="GA106 [GeForce RTX 3060]",
                pci=Pci(vendor_id="10de", device_id="2504", bus_id="0000:01:00.0"),
                driver=Driver(module="nvidia", loaded=True),
            )
        ],
    )
    res = probe(Host(env={"PATH": ""}), sources=[pci, tool])
    assert len(res.gpus) == 1
    g = res.gpus[0]
    assert g.name == "NVIDIA GeForce RTX 3060"  # higher-priority source wins
    assert g.pci.device_id == "2504" and g.pci.bus_id == "0000:01:00.0"
    assert g.driver.version == "550.54.14" and g.driver.module == "nvidia"
    assert g.sources == ["tool", "pci"]


def test_fragment_without_bus_id_joins_the_card_with_the_same_ids():
    pci = Fixed(
        "pci",
        60,
        [
            dict(vendor="mthreads", pci=Pci(vendor_id="1ed5", device_id="0201", bus_id="0000:04:00.0")),
            dict(vendor="nvidia", pci=Pci(vendor_id="10de", device_id="2504", bus_id="0000:01:00.0")),
        ],
    )
    cim = Fixed(
        "cim",
        70,
        [
            dict(
                vendor="mthreads",
                name="MTT S80",
                pci=Pci(vendor_id="1ed5", device_id="0201"),
                memory_total_bytes=16 * 2**30,
                compute=Compute(api="directml"),
            )
        ],
    )
    res = probe(Host(env={"PATH": ""}), sources=[pci, cim])
    assert [g.pci.bus_id for g in res.gpus] == ["0000:01:00.0", "0000:04:00.0"]
    s80 = res.gpus[1]
    assert s80.index == 1 and s80.name == "MTT S80" and s80.memory_total_bytes == 16 * 2**30
    assert s80.compute.api == "directml"


def test_slow_source_times_out_within_the_deadline_and_others_still_report():
    fast = Fixed("fast", 10, [dict(vendor="amd", pci=Pci(bus_id="0000:03:00.0"))])
    slow = Fixed("slow", 20, delay=30, timeout_s=0.5)
    t0 = time.monotonic()
    res = probe(Host(env={"PATH": ""}), sources=[fast, slow], deadline_s=2)
    assert time.monotonic() - t0 < 2.5
    assert len(res.gpus) == 1
    codes = {p.code for p in res.problems}
    assert "probe-source-timeout" in codes
    assert any(p.source == "slow" for p in res.problems)


def test_overall_deadline_bounds_everything():
    slow = [Fixed(f"slow{i}", 20, delay=30, timeout_s=5) for i in range(3)]
    t0 = time.monotonic()
    res = probe(Host(env={"PATH": ""}), sources=slow, deadline_s=0.5)
    assert time.monotonic() - t0 < 1.5
    assert sum(p.code == "probe-source-timeout" for p in res.problems) == 3


def test_a_crashing_source_becomes_a_problem_not_a_traceback():
    res = probe(Host(env={"PATH": ""}), sources=[Fixed("bad", 10, exc=RuntimeError("boom"))])
    [p] = [p for p in res.problems if p.code == "probe-source-failed"]
    assert p.source == "bad" and "RuntimeError" in str(p.message)


def test_json_contract_shape():
    res = merge_results(
        [
            (
                Fixed("x", 1),
                SourceResult(
                    gpus=[
                        Gpu(vendor="nvidia", pci=Pci(vendor_id="10de", device_id="2504", bus_id="01:00.0")),
                        Gpu(vendor="other", pci=Pci(vendor_id="1b36", device_id="0100", bus_id="00:01.0")),
                    ]
                ),
            )
        ]
    )
    d = res.to_json()
    assert d["schema"] == "rigpilot.probe/1"
    # display_adapters: display-only adapters (VM displays, BMC VGA), never in gpus (additive key)
    assert set(d) == {"schema", "host", "gpus", "display_adapters", "runtimes", "problems"}
    assert [g["pci"]["device_id"] for g in d["gpus"]] == ["2504"] and d["gpus"][0]["index"] == 0
    assert set(d["display_adapters"][0]) == {"name", "kind", "pci", "driver", "sources"}
    g = d["gpus"][0]
    for key in ("index", "vendor", "name", "pci", "driver", "memory_total_bytes", "compute", "sources"):
        assert key in g
    assert g["memory_total_bytes"] is None  # unknown is null, never 0
    assert ProbeResult.from_json(json.loads(json.dumps(d))).to_json() == d


class ToolSource(Source):
    name, priority = "faketool", 10

    def collect(self, host, ctx):
        exe = host.which("faketool")
        res = host.run([exe, "--list"]) if exe else None
        name = host.read_text("/sys/class/thing/name")
        gpus = []
        if res and res.ok:
            for line in res.stdout.splitlines():
                bus, model = line.split(",")
                gpus.append(Gpu(vendor="other", name=f"{model} ({name.strip()})", pci=Pci(bus_id=bus)))
        return SourceResult(gpus=gpus)


def test_record_then_replay_gives_the_same_result(fake_tools, sysfs, tmp_path):
    fake_tools.replay("faketool", {"--list": {"stdout": "0000:05:00.0,Widget X\n0000:06:00.0,Widget Y\n"}})
    sysfs.write("/sys/class/thing/name", "thing-1\n")
    env = {"PATH": fake_tools.path}
    rec = RecordingHost(tmp_path / "rec", root=str(sysfs.root), env=env, platform="linux", extra_dirs={})
    live = probe(rec, ProbeContext(), sources=[ToolSource()])
    replayed = probe(ReplayHost(tmp_path / "rec"), ProbeContext(), sources=[ToolSource()])
    assert [g.name for g in live.gpus] == ["Widget X (thing-1)", "Widget Y (thing-1)"]
    assert replayed.to_json()["gpus"] == live.to_json()["gpus"]


def test_recording_keeps_pci_paths_with_colons(sysfs, tmp_path):
    sysfs.write("/sys/bus/pci/devices/0000:01:00.0/vendor", "0x10de\n")
    rec = RecordingHost(
        tmp_path / "rec", root=str(sysfs.root), env={"PATH": ""}, platform="linux", extra_dirs={}
    )
    assert rec.read_text("/sys/bus/pci/devices/0000:01:00.0/vendor") == "0x10de\n"
    assert ReplayHost(tmp_path / "rec").read_text("/sys/bus/pci/devices/0000:01:00.0/vendor") == "0x10de\n"


def test_windows_drive_paths_map_under_the_root(tmp_path):
    host = Host(root=str(tmp_path), env={"PATH": ""}, platform="windows")
    assert host.path(r"C:\Windows\System32\x.txt") == tmp_path / "C" / "Windows" / "System32" / "x.txt"
