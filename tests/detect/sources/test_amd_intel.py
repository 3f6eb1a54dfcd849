"""AMD and Intel probe sources end to end: sysfs trees under RIGPILOT_ROOT, fake smi tools on PATH,
the render-group rule, and the simulated rigs through probes.detect.engine.probe(ReplayHost)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from probes.core.replay import RIGS_DIR, ReplayHost, storage_path
from probes.detect.engine import probe
from probes.detect.sources import amd, dri_access, intel

ROOT = Path(__file__).resolve().parents[3]
DATA = Path(__file__).resolve().parents[2] / "data"
BUS = "0000:03:00.0"
MINE = [*amd.SOURCES, *intel.SOURCES]

XTX_STATIC = json.dumps(
    [
        {
            "gpu": 0,
            "asic": {
                "market_name": "AMD Radeon RX 7900 XTX",
                "vendor_id": "0x1002",
                "subvendor_id": "0x1da2",
                "device_id": "0x744c",
                "subsystem_id": "0xe471",
                "rev_id": "0xc8",
                "num_compute_units": 96,
                "target_graphics_version": "gfx1100",
            },
            "bus": {"bdf": BUS},
            "driver": {"name": "amdgpu", "version": "6.8.0-45-generic"},
            "vram": {"type": "GDDR6", "size": {"value": 24560, "unit": "MB"}},
        }
    ],
    indent=4,
)


def amd_tree(sysfs, *, kfd=True, hwmon=True, version=None, runtime="active"):
    sysfs.pci_device(
        BUS,
        "1002",
        "744c",
        driver="amdgpu",
        subsystem_vendor="0x1da2",
        subsystem_device="0xe471",
        extra={
            "revision": "0xc8\n",
            "mem_info_vram_total": "25753026560\n",
            "mem_info_vram_used": "1153433600\n",
            "gpu_busy_percent": "7\n",
            "pp_dpm_sclk": "0: 500Mhz\n1: 2304Mhz *\n2: 2526Mhz\n",
            "power/runtime_status": f"{runtime}\n",
            "uevent": f"DRIVER=amdgpu\nPCI_SLOT_NAME={BUS}\n",
        },
    )
    sysfs.pci_device("0000:03:00.1", "1002", "ab30", cls="0x040300", driver="snd_hda_intel")
    sysfs.link("/sys/class/drm/card0/device", f"../../../{BUS}")
    sysfs.link("/sys/class/drm/renderD128/device", f"../../../{BUS}")
    sysfs.write("/sys/class/drm/card0-DP-1/status", "disconnected\n")
    if hwmon:
        hw = f"/sys/bus/pci/devices/{BUS}/hwmon/hwmon4"
        for k, v in {
            "name": "amdgpu",
            "temp1_input": "48000",
            "temp1_label": "edge",
            "temp2_input": "61000",
            "temp2_label": "junction",
            "temp3_input": "66000",
            "temp3_label": "mem",
            "power1_average": "212000000",
            "power1_cap": "303000000",
            "power1_cap_min": "273000000",
            "power1_cap_max": "348000000",
            "power1_cap_default": "303000000",
            "pwm1": "102",
            "pwm1_max": "255",
        }.items():
            sysfs.write(f"{hw}/{k}", v + "\n")
    if kfd:
        sysfs.write(
            "/sys/class/kfd/kfd/topology/nodes/0/properties", "cpu_cores_count 16\ngfx_target_version 0\n"
        )
        node = (
            (DATA / "kfd/rx7900xtx-amdgpu-linux-node1.txt")
            .read_text()
            .replace("location_id 34304", "location_id 768")
        )
        sysfs.write("/sys/class/kfd/kfd/topology/nodes/1/properties", node)
    if version:
        sysfs.write("/sys/module/amdgpu/version", version + "\n")
    sysfs.write("/proc/sys/kernel/osrelease", "6.8.0-45-generic\n")
    return sysfs


def only(result, vendor):
    gpus = [g for g in result.gpus if g.vendor == vendor]
    assert len(gpus) == 1, result.to_json()
    return gpus[0]


# ---- AMD -------------------------------------------------------------------------------------------
def test_amd_sysfs_plus_amd_smi(sysfs, fake_tools, make_host):
    amd_tree(sysfs)
    fake_tools.replay("amd-smi", {"static --json": {"stdout": XTX_STATIC}})
    res = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE)
    g = only(res, "amd")
    assert g.name == "AMD Radeon RX 7900 XTX"
    assert (g.pci.vendor_id, g.pci.device_id, g.pci.bus_id, g.pci.subsystem_id) == (
        "1002",
        "744c",
        BUS,
        "1da2:e471",
    )
    assert g.memory_total_bytes == 25753026560  # sysfs bytes win over amd-smi MiB
    assert (g.compute.api, g.compute.gfx) == ("rocm", "gfx1100")
    assert g.driver.module == "amdgpu" and g.driver.loaded is True
    assert g.driver.version is None  # in-kernel amdgpu: kernel release is not a driver version
    assert g.extra.get("amdgpu_in_kernel") is True
    assert g.sources == ["amdgpu-sysfs", "amd-smi"]
    assert [p.code for p in res.problems] == []


def test_amd_sysfs_only_no_tools(sysfs, make_host):
    amd_tree(sysfs, version="6.7.12")
    res = probe(make_host(root=sysfs, path=[]), sources=MINE)
    g = only(res, "amd")
    assert g.name is None and g.memory_total_bytes == 25753026560 and g.compute.gfx == "gfx1100"
    assert g.driver.version == "6.7.12" and g.sources == ["amdgpu-sysfs"]
    assert not res.problems


def test_amd_without_kfd_gfx_from_amd_smi(sysfs, fake_tools, make_host):
    amd_tree(sysfs, kfd=False)
    fake_tools.replay("amd-smi", {"static --json": {"stdout": XTX_STATIC}})
    g = only(probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE), "amd")
    assert g.compute.gfx == "gfx1100"


def test_rocm_smi_when_no_amd_smi(sysfs, fake_tools, make_host):
    amd_tree(sysfs, kfd=False)
    card = {
        "card0": {
            "Card Series": "Radeon RX 7900 XTX",
            "Card Model": "0x744c",
            "PCI Bus": "0000:03:00.0",
            "GFX Version": "gfx1100",
            "VRAM Total Memory (B)": "25753026560",
        }
    }
    fake_tools.replay("rocm-smi", {" ".join(amd.RocmSmiSource.ARGS): {"stdout": json.dumps(card, indent=2)}})
    g = only(probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE), "amd")
    assert (g.name, g.compute.gfx, g.driver.tool) == ("Radeon RX 7900 XTX", "gfx1100", "rocm-smi")


def test_rocminfo_last_resort(sysfs, fake_tools, make_host):
    amd_tree(sysfs, kfd=False)
    fake_tools.replay(
        "rocminfo", {"": {"stdout": (DATA / "rocminfo/rx7900xtx-rocm6.0.2-linux.txt").read_text()}}
    )
    g = only(probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE), "amd")
    assert (g.name, g.compute.gfx) == ("Radeon RX 7900 XTX", "gfx1100")
    assert "rocminfo" in g.sources


def test_rocminfo_not_run_when_kfd_answers(sysfs, fake_tools, make_host, tmp_path):
    amd_tree(sysfs)
    marker = tmp_path / "ran"
    fake_tools.script("rocminfo", f"open({str(marker)!r}, 'w').close()")
    probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE)
    assert not marker.exists()


def test_hanging_amd_smi_gives_timeout_problem_within_deadline(sysfs, fake_tools, make_host):
    amd_tree(sysfs)
    fake_tools.replay("amd-smi", {"*": {"sleep": 60, "stdout": XTX_STATIC}})
    t0 = time.monotonic()
    res = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE)
    assert time.monotonic() - t0 < 10.0
    assert "smi-tool-timeout" in [p.code for p in res.problems]
    g = only(res, "amd")  # sysfs still reports the card
    assert g.compute.gfx == "gfx1100" and g.memory_total_bytes == 25753026560


@pytest.mark.parametrize(
    "spec,code",
    [
        ({"stdout_hex": "89504e470d0a1a0a00ff00fe"}, "smi-output-unparsed"),
        (
            {"stdout": "Traceback (most recent call last):\n  ...\nAmdSmiLibraryException: Error code: 34\n"},
            "smi-output-unparsed",
        ),
        (
            {
                "stdout": "ERROR:root:Unable to get devices, driver not initialized "
                "(amdgpu not found in modules)\n",
                "rc": 4,
            },
            "smi-tool-failed",
        ),
    ],
)
def test_broken_amd_smi_gives_problem(sysfs, fake_tools, make_host, spec, code):
    amd_tree(sysfs)
    fake_tools.replay("amd-smi", {"static --json": spec})
    res = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE)
    assert code in [p.code for p in res.problems]
    assert only(res, "amd").compute.gfx == "gfx1100"


def test_cli_probe_json_with_fake_amd_smi(sysfs, fake_tools, tmp_path):
    amd_tree(sysfs)
    fake_tools.replay("amd-smi", {"static --json": {"stdout": XTX_STATIC}})
    env = {
        "PATH": fake_tools.path + os.pathsep + os.path.dirname(sys.executable),
        "RIGPILOT_ROOT": str(sysfs.root),
        "RIGPILOT_PLATFORM": "linux",
        "RIGPILOT_LANG": "en",
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "probe", "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    amd_gpus = [g for g in data["gpus"] if g["vendor"] == "amd"]
    assert len(amd_gpus) == 1
    g = amd_gpus[0]
    assert g["name"] and "7900 XTX" in g["name"]
    assert (g["pci"]["vendor_id"], g["pci"]["device_id"], g["pci"]["bus_id"]) == ("1002", "744c", BUS)
    assert g["memory_total_bytes"] == 25753026560 and g["compute"]["gfx"] == "gfx1100"


def test_cli_probe_with_garbage_amd_smi_finishes(sysfs, fake_tools, tmp_path):
    amd_tree(sysfs)
    fake_tools.replay("amd-smi", {"*": {"stdout_hex": "ff" * 64 + "c3" * 10, "rc": 0}})
    env = {
        "PATH": fake_tools.path + os.pathsep + os.path.dirname(sys.executable),
        "RIGPILOT_ROOT": str(sysfs.root),
        "RIGPILOT_PLATFORM": "linux",
        "RIGPILOT_LANG": "en",
        "HOME": str(tmp_path),
    }
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "probe", "--json"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    assert "smi-output-unparsed" in [p["code"] for p in json.loads(proc.stdout)["problems"]]


# ---- Intel -----------------------------------------------------------------------------------------
def test_intel_i915_sysfs_and_xpu_smi(sysfs, fake_tools, make_host):
    sysfs.pci_device(BUS, "8086", "56a0", driver="i915", subsystem_vendor="0x1ef7", subsystem_device="0x1307")
    sysfs.link("/sys/class/drm/card1/device", f"../../../{BUS}")
    fake_tools.replay(
        "xpu-smi", {"discovery": {"stdout": (DATA / "xpu-smi/a770-i915-linux-discovery.txt").read_text()}}
    )
    g = only(probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE), "intel")
    assert (g.name, g.pci.device_id, g.pci.bus_id) == ("Intel(R) Arc(TM) A770 Graphics", "56a0", BUS)
    assert (g.compute.api, g.compute.arch, g.driver.module) == ("xpu", "xe-hpg", "i915")


def test_intel_igpu_gets_no_guessed_arch(sysfs, make_host):
    sysfs.pci_device("0000:00:02.0", "8086", "a780", driver="i915")
    sysfs.link("/sys/class/drm/card0/device", "../../../0000:00:02.0")
    g = only(probe(make_host(root=sysfs), sources=MINE), "intel")
    assert g.compute.arch is None and g.compute.api == "xpu"


@pytest.mark.parametrize(
    "dev,arch",
    [
        ("56a0", "xe-hpg"),
        ("56a5", "xe-hpg"),
        ("e20b", "xe2-hpg"),
        ("0bd5", "xe-hpc"),
        ("a780", None),
        (None, None),
    ],
)
def test_intel_arch_table(dev, arch):
    assert intel.intel_arch(dev) == arch


# ---- render-group-missing --------------------------------------------------------------------------
class _Stat:
    def __init__(self, mode, gid):
        self.st_mode, self.st_gid = mode, gid


def _host_with_node(make_host, sysfs, *, mode, gid, groups, uid=1000):
    sysfs.write("/dev/dri/renderD128", "")
    sysfs.write("/etc/group", "root:x:0:\nvideo:x:44:\nrender:x:110:\n")
    sysfs.link("/sys/class/drm/renderD128/device", f"../../../{BUS}")
    host = make_host(root=sysfs)
    host.stat = lambda path: _Stat(mode, gid) if path == "/dev/dri/renderD128" else None
    host.user_groups = lambda: set(groups)
    host.uid = lambda: uid
    host.is_admin = lambda: uid == 0
    return host


def test_render_group_missing_fires(make_host, sysfs):
    host = _host_with_node(make_host, sysfs, mode=0o20660, gid=110, groups=[1000, 44])
    res = probe(host, sources=[])
    [p] = [p for p in res.problems if p.code == "render-group-missing"]
    assert "'render'" in str(p.message) and "/dev/dri/renderD128" in str(p.message)
    assert "usermod -aG render" in str(p.hint)


@pytest.mark.parametrize(
    "mode,gid,groups,uid",
    [
        (0o20660, 110, [1000, 110], 1000),  # member
        (0o20666, 110, [1000], 1000),  # world rw
        (0o20660, 110, [1000], 0),
    ],
)  # root
def test_render_group_not_fired(make_host, sysfs, mode, gid, groups, uid):
    host = _host_with_node(make_host, sysfs, mode=mode, gid=gid, groups=groups, uid=uid)
    assert dri_access.render_group_missing(probe(host, sources=[]), host) == []


def test_render_group_rule_ignores_other_platforms(make_host, sysfs):
    host = _host_with_node(make_host, sysfs, mode=0o20660, gid=110, groups=[1000])
    host.platform = "windows"
    assert dri_access.render_group_missing(probe(host, sources=[]), host) == []


def test_group_names_parser():
    assert dri_access.group_names("render:x:110:\nbad\nvideo:x:44:a,b\n") == {110: "render", 44: "video"}


# ---- simulated rigs --------------------------------------------------------------------------------
def rig(name):
    return ReplayHost(RIGS_DIR / name, simulated=name)


def test_rig_rx7900xtx():
    res = probe(rig("rx7900xtx-linux"), sources=MINE)
    g = only(res, "amd")
    assert (g.name, g.pci.device_id, g.pci.bus_id, g.compute.gfx) == (
        "AMD Radeon RX 7900 XTX",
        "744c",
        BUS,
        "gfx1100",
    )
    assert g.memory_total_bytes == 25753026560 and g.driver.version is None
    assert [p.code for p in res.problems] == ["simulated-rig"]


def test_rig_arc_a770():
    res = probe(rig("arc-a770-linux"), sources=MINE)
    g = only(res, "intel")
    assert (g.name, g.compute.arch, g.driver.module) == ("Intel(R) Arc(TM) A770 Graphics", "xe-hpg", "i915")
    rg = [p for p in res.problems if p.code == "render-group-missing"]
    assert len(rg) == 1 and rg[0].gpu == g.index


def test_rig_no_gpu():
    res = probe(rig("no-gpu"), sources=MINE)
    assert res.gpus == [] and [p.code for p in res.problems] == ["simulated-rig"]


@pytest.mark.parametrize("name", ["rx7900xtx-linux", "arc-a770-linux", "no-gpu"])
def test_rig_pci_sysfs_contract(name):
    """Every PCI function has vendor/device/class/subsystem ids and, when bound, a driver link."""
    d = RIGS_DIR / name
    manifest = json.loads((d / "manifest.json").read_text(encoding="utf-8"))
    devices = sorted((d / "root/sys/bus/pci/devices").iterdir())
    assert devices
    for dev in devices:
        for f in ("vendor", "device", "class", "subsystem_vendor", "subsystem_device"):
            assert (dev / f).is_file(), f"{dev.name}/{f}"
    for link in manifest["links"]:
        if link.endswith("/driver"):
            assert (d / "root" / storage_path(link)).parent.is_dir(), link
    display = [
        dev.name.replace("%3A", ":")
        for dev in devices
        if (dev / "class").read_text().strip().startswith("0x03")
    ]
    for bus in display:
        assert f"/sys/bus/pci/devices/{bus}/driver" in manifest["links"]
    assert (name == "no-gpu") == (display == [])


def test_amd_smi_not_run_without_an_amd_device(sysfs, fake_tools, make_host, tmp_path):
    """An NVIDIA box with ROCm user space installed: no amd-smi run, no spurious problem."""
    sysfs.pci_device("0000:01:00.0", "10de", "2504", driver="nvidia")
    marker = tmp_path / "ran"
    fake_tools.script("amd-smi", f"open({str(marker)!r}, 'w').close()\nsys.exit(1)")
    res = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE)
    assert not marker.exists() and res.gpus == [] and res.problems == []


def test_intel_xe_driver(sysfs, make_host):
    sysfs.pci_device(BUS, "8086", "e20b", driver="xe")
    sysfs.link("/sys/class/drm/card0/device", f"../../../{BUS}")
    g = only(probe(make_host(root=sysfs), sources=MINE), "intel")
    assert (g.driver.module, g.compute.arch, g.driver.version) == ("xe", "xe2-hpg", None)


def test_xpu_smi_memory_from_detailed_discovery(sysfs, fake_tools, make_host):
    sysfs.pci_device("0000:4d:00.0", "8086", "020a", cls="0x038000", driver="i915")
    sysfs.link("/sys/class/drm/card0/device", "../../../0000:4d:00.0")
    fake_tools.replay(
        "xpu-smi",
        {
            "discovery": {"stdout": (DATA / "xpu-smi/pvc-xpumanager-linux-discovery.txt").read_text()},
            "discovery -d 0": {"stdout": (DATA / "xpu-smi/pvc-xpumanager-linux-discovery-d.txt").read_text()},
        },
    )
    g = only(probe(make_host(root=sysfs, path=[fake_tools.path]), sources=MINE), "intel")
    assert g.memory_total_bytes == 32768 * 2**20 and g.pci.device_id == "020a"
