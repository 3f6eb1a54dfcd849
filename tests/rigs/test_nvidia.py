"""The NVIDIA simulated rigs (assets/rigs/rtx3060-linux, two-gpus) through the real sources."""

from __future__ import annotations

import json

import pytest

from probes.core.replay import RIGS_DIR, simulated_host
from probes.detect.engine import probe
from probes.detect.sources.nvidia import SOURCES
from probes.live.telemetry import nvidia as tel
from probes.live.telemetry.base import OK

GiB = 1024**3


def gpus(name):
    return probe(simulated_host(name), sources=SOURCES)


def test_rtx3060_linux_via_nvml_simulation():
    result = gpus("rtx3060-linux")
    assert result.host.simulated == "rtx3060-linux"
    assert [p.code for p in result.problems] == ["simulated-rig"]
    (g,) = result.gpus
    assert (g.vendor, g.name) == ("nvidia", "NVIDIA GeForce RTX 3060")
    assert (g.pci.vendor_id, g.pci.device_id, g.pci.bus_id) == ("10de", "2504", "0000:01:00.0")
    assert (g.driver.version, g.driver.tool, g.driver.module, g.driver.loaded) == (
        "550.54.14",
        "nvml",
        "nvidia",
        True,
    )
    assert g.memory_total_bytes == 12 * GiB
    assert (g.compute.api, g.compute.capability, g.compute.max_cuda) == ("cuda", "8.6", "12.4")
    assert g.sources == ["nvml", "nvidia-driver-files"]


def test_two_gpus_via_nvidia_smi_and_topo():
    result = gpus("two-gpus")
    assert [p.code for p in result.problems] == ["simulated-rig"]
    a, b = result.gpus
    assert (a.name, a.pci.device_id, a.pci.bus_id, a.memory_total_bytes) == (
        "NVIDIA GeForce RTX 3090",
        "2204",
        "0000:01:00.0",
        24 * GiB,
    )
    assert (b.name, b.pci.device_id, b.pci.bus_id, b.memory_total_bytes) == (
        "NVIDIA GeForce RTX 3060",
        "2504",
        "0000:02:00.0",
        12 * GiB,
    )
    for g in (a, b):
        assert (g.driver.version, g.driver.tool) == ("550.54.14", "nvidia-smi")
        assert (g.compute.capability, g.compute.max_cuda) == ("8.6", "12.4")
    assert a.extra["links"] == [{"gpu": 1, "bus_id": "0000:02:00.0", "type": "PHB", "kind": "pcie"}]
    assert b.extra["links"][0]["bus_id"] == "0000:01:00.0"


@pytest.mark.parametrize("name", ["rtx3060-linux", "two-gpus"])
def test_rigs_carry_what_the_pci_sysfs_source_reads(name):
    manifest = json.loads((RIGS_DIR / name / "manifest.json").read_text(encoding="utf-8"))
    host = simulated_host(name)
    nvidia_display = []
    for bus in host.listdir("/sys/bus/pci/devices"):
        base = f"/sys/bus/pci/devices/{bus}"
        for node in ("vendor", "device", "class", "subsystem_vendor", "subsystem_device"):
            assert (host.read_text(f"{base}/{node}") or "").startswith("0x"), f"{base}/{node}"
        assert manifest["links"][f"{base}/driver"].startswith("../../../bus/pci/drivers/")
        if host.read_text(f"{base}/class").startswith("0x03"):
            nvidia_display.append(bus)
            assert host.readlink(f"{base}/driver").endswith("/nvidia")
    assert len(nvidia_display) == (1 if name == "rtx3060-linux" else 2)
    assert host.read_text("/sys/module/nvidia/version").strip() == "550.54.14"


def test_rtx3060_rig_telemetry_through_the_simulated_nvml():
    host = simulated_host("rtx3060-linux")
    result = gpus("rtx3060-linux")
    (backend,) = tel.backends(host, result)
    try:
        (s,) = backend.sample(5.0)
        assert s.state == OK and s.temperature_c == 38.0 and s.power_limit_w == 170.0
        p = backend.power(0)
        assert p.supported and (p.min_w, p.max_w) == (100.0, 212.0)
    finally:
        backend.close()


def test_two_gpus_rig_has_no_live_nvidia_backend():
    host = simulated_host("two-gpus")
    assert tel.backends(host, gpus("two-gpus")) == []
