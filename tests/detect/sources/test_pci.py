"""The PCI id table, the sysfs/lspci source and the vendor-neutral driver diagnosis."""

from __future__ import annotations

from pathlib import Path

import pytest

from probes.core.i18n import render
from probes.detect import pci_ids
from probes.detect.engine import probe
from probes.detect.sources import pci

DATA = Path(__file__).resolve().parents[2] / "data"


# ---- table -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "device, arch",
    [
        ("0201", "mp_21"),
        ("0202", "mp_21"),
        ("0222", "mp_21"),
        ("0211", "mp_21"),
        ("0323", "mp_22"),
        ("0327", "mp_22"),
        ("0328", "mp_22"),
        ("0400", "mp_31"),
        ("0106", None),
        ("ffff", None),
    ],
)
def test_moore_threads_arch_from_device_id(device, arch):
    assert pci_ids.mthreads_arch(device) == arch
    assert pci_ids.mthreads_arch("0x" + device.upper()) == arch


def test_vendor_keys_and_audio_functions():
    keys = {
        vid: pci_ids.vendor_key(vid)
        for vid in ("10de", "1002", "8086", "1ed5", "1ec8", "1e3e", "9999", "1d94", "1af4")
    }
    assert keys == {
        "10de": "nvidia",
        "1002": "amd",
        "8086": "intel",
        "1ed5": "mthreads",
        "1ec8": "innosilicon",
        "1e3e": "iluvatar",
        "9999": "metax",
        "1d94": "hygon",
        "1af4": "other",
    }
    assert pci_ids.vendor_key("0x1ED5") == "mthreads" and pci_ids.vendor_key(None) == "other"
    for did in ("01ff", "02ff", "03ff"):
        assert pci_ids.is_audio("1ed5", did)
    assert pci_ids.is_audio("1ec8", "8902") and not pci_ids.is_audio("1ed5", "0201")


def test_biren_has_no_invented_pci_id():
    assert "biren" not in {v[0] for v in pci_ids.VENDORS.values()}
    assert pci_ids.vendor_key("1ee0") == "other"  # the unconfirmed guess stays unknown
    assert pci_ids.vendor_label("biren") == "Biren"


def test_s5000_is_marked_unattributed_and_names():
    assert "unattributed" in pci_ids.device_info("1ed5", "0400").source
    assert pci_ids.device_name("1ed5", "0201") == "MTT S80"
    assert pci_ids.device_name("9999", "0a01") == "MetaX C500"
    assert pci_ids.device_name("1ed5", "9999") is None


# ---- sysfs -------------------------------------------------------------------------------------


def test_sysfs_display_functions_only(sysfs, make_host):
    sysfs.pci_device("0000:00:00.0", "8086", "4660", cls="0x060000")
    sysfs.pci_device(
        "0000:01:00.0",
        "1ed5",
        "0201",
        driver="mtgpu",
        subsystem_vendor="0x1ed5",
        subsystem_device="0x0001",
        extra={"revision": "0x01\n"},
    )
    sysfs.pci_device("0000:01:00.1", "1ed5", "02ff", cls="0x040300", driver="snd_hda_intel")
    sysfs.pci_device("0000:02:00.0", "10de", "2504", cls="0x030000")
    res = pci.PciSource().collect(make_host(root=sysfs), None)
    assert [(g.pci.bus_id, g.vendor, g.name) for g in res.gpus] == [
        ("0000:01:00.0", "mthreads", "MTT S80"),
        ("0000:02:00.0", "nvidia", "GA106 [GeForce RTX 3060 Lite Hash Rate]"),
    ]
    mt, nv = res.gpus
    assert (mt.driver.module, mt.driver.loaded, mt.compute.api, mt.compute.arch) == (
        "mtgpu",
        True,
        "musa",
        "mp_21",
    )
    assert mt.pci.subsystem_id == "1ed5:0001" and mt.pci.revision == "01" and mt.pci.device_id == "0201"
    assert mt.extra["driver_module_present"] is True
    assert (nv.driver.module, nv.driver.loaded, nv.compute.api) == (None, False, None)


def test_sysfs_audio_id_skipped_even_with_display_class(sysfs, make_host):
    sysfs.pci_device("0000:01:00.1", "1ed5", "02ff", cls="0x030000")
    assert pci.PciSource().collect(make_host(root=sysfs), None).gpus == []


def test_accelerator_class_only_for_domestic_vendors(sysfs, make_host):
    sysfs.pci_device("0000:05:00.0", "1d94", "6211", cls="0x120000")
    sysfs.pci_device("0000:06:00.0", "10de", "20b0", cls="0x120000")
    gpus = pci.PciSource().collect(make_host(root=sysfs), None).gpus
    assert [(g.vendor, g.name) for g in gpus] == [("hygon", "Hygon K100_AI")]


def test_unknown_device_gets_a_label_not_a_guess(sysfs, make_host):
    sysfs.pci_device("0000:03:00.0", "abcd", "2000", cls="0x030000", driver="foo")
    (g,) = pci.PciSource().collect(make_host(root=sysfs), None).gpus
    assert g.vendor == "other" and g.name == "graphics card [abcd:2000]"


# ---- lspci fallback ----------------------------------------------------------------------------


def test_lspci_fallback_when_sysfs_is_unreadable(fake_tools, make_host):
    text = (DATA / "lspci" / "gtx1650m-nnk-nvidia-arch.txt").read_text(encoding="utf-8")
    fake_tools.replay("lspci", {"-D -nn -k": {"stdout": text}})
    res = pci.PciSource().collect(make_host(path=[fake_tools.path]), None)
    (g,) = res.gpus
    assert (g.pci.bus_id, g.pci.vendor_id, g.pci.device_id, g.driver.module) == (
        "0000:01:00.0",
        "10de",
        "1f91",
        "nvidia",
    )
    assert g.pci.subsystem_id == "103c:85fc" and res.problems == []


def test_lspci_garbage_is_a_problem_not_a_crash(fake_tools, make_host):
    fake_tools.replay("lspci", {"*": {"stdout_hex": "fffe00ff8081" * 20}})
    res = pci.PciSource().collect(make_host(path=[fake_tools.path]), None)
    assert res.gpus == [] and [p.code for p in res.problems] == ["smi-output-unparsed"]


def test_no_sysfs_no_lspci_means_no_gpu_problem(make_host):
    result = probe(make_host(), sources=pci.SOURCES)
    assert result.gpus == [] and [p.code for p in result.problems] == ["no-gpu"]


# ---- diagnosis ---------------------------------------------------------------------------------


def test_driver_not_installed_names_the_vendor_stack(sysfs, make_host):
    sysfs.pci_device("0000:01:00.0", "1ed5", "0201")
    result = probe(make_host(root=sysfs), sources=pci.SOURCES)
    (p,) = result.problems
    assert p.code == "driver-not-installed" and p.gpu == 0 and p.severity == "error"
    assert render(p.message, "en") == (
        "MTT S80 is on the PCI bus but no driver is bound to it and no "
        "mthreads-gmi/mthreads-smi tool was found."
    )
    assert "Moore Threads" in render(p.hint, "en")
    assert render(p.hint, "zh_CN") == "请为你的操作系统安装摩尔线程驱动，然后重启并重新扫描。"


def test_driver_not_loaded_when_the_tool_is_there(sysfs, make_host, fake_tools):
    sysfs.pci_device("0000:01:00.0", "10de", "2504")
    fake_tools.replay("nvidia-smi", {"*": {"stdout": "NVIDIA-SMI has failed", "rc": 9}})
    result = probe(make_host(root=sysfs, path=[fake_tools.path]), sources=pci.SOURCES)
    (p,) = result.problems
    assert p.code == "driver-not-loaded" and "nvidia" in render(p.hint, "en")


def test_bound_or_unknown_vendor_cards_are_not_flagged(sysfs, make_host):
    sysfs.pci_device("0000:01:00.0", "1002", "744c", driver="amdgpu")
    sysfs.pci_device("0000:03:00.0", "1a03", "2000")  # a BMC's VGA without a driver
    result = probe(make_host(root=sysfs), sources=pci.SOURCES)
    assert [p.code for p in result.problems] == []
