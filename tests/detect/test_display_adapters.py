"""Display-only adapters (a VM's virtual display, a server's BMC VGA) are no GPU: they are listed
apart (``display_adapters``) and a machine that has nothing else gets ``no-gpu``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.commands.probe import format_table
from probes.core.i18n import render
from probes.core.model import ProbeResult
from probes.core.replay import simulated_host
from probes.detect import pci_ids
from probes.detect.engine import probe, split_display_adapters
from probes.detect.sources import ProbeContext, pci
from probes.detect.sources import windows as win

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize(
    "ids, kind",
    [
        ("1af4:1050", "virtual"),
        ("1b36:0100", "virtual"),
        ("15ad:0405", "virtual"),
        ("15ad:0710", "virtual"),
        ("80ee:beef", "virtual"),
        ("1414:5353", "virtual"),
        ("1234:1111", "virtual"),
        ("1013:00b8", "virtual"),
        ("1a03:2000", "server-management"),
        ("102b:0522", "server-management"),
        ("102b:0532", "server-management"),
        ("102b:0533", "server-management"),
        ("102b:0534", "server-management"),
        ("102b:0536", "server-management"),
        ("102b:0538", "server-management"),
        ("19e5:1711", "server-management"),
        ("102b:0520", "legacy"),
        ("0x1A03:0x2000", "server-management"),
        ("15ad:9999", "virtual"),  # any VMware display function
    ],
)
def test_known_display_only_ids(ids, kind):
    assert pci_ids.display_only(*ids.split(":")).kind == kind


@pytest.mark.parametrize(
    "ids", ["10de:2504", "1ed5:0201", "8086:56a0", "1002:744c", "1d94:6211", "abcd:0001"]
)
def test_compute_cards_are_never_display_only(ids):
    assert pci_ids.display_only(*ids.split(":")) is None


def _lspci_host(fake_tools, make_host, name):
    text = (DATA / "lspci" / name).read_text(encoding="utf-8")
    fake_tools.replay("lspci", {"-D -nn -k": {"stdout": text}})
    return make_host(path=[fake_tools.path])


def test_qemu_vm_with_only_virtio_gpu_has_no_gpu(fake_tools, make_host):
    result = probe(
        _lspci_host(fake_tools, make_host, "virtio-gpu-nnk-qemu-q35-vm-linux.txt"), sources=pci.SOURCES
    )
    assert result.gpus == []
    (adapter,) = result.display_adapters
    assert (adapter.name, adapter.kind, adapter.pci.vendor_id, adapter.pci.device_id, adapter.pci.bus_id) == (
        "Virtio 1.0 GPU",
        "virtual",
        "1af4",
        "1050",
        "0000:00:01.0",
    )
    (p,) = result.problems
    assert p.code == "no-gpu" and p.severity == "warning"
    assert "Virtio 1.0 GPU [1af4:1050]" in render(p.message, "en") and "CPU" in render(p.hint, "en")
    assert "虚拟机" in render(p.hint, "zh_CN")
    data = result.to_json()
    assert data["gpus"] == [] and data["display_adapters"][0]["kind"] == "virtual"
    assert ProbeResult.from_json(json.loads(json.dumps(data))).display_adapters[0].name == "Virtio 1.0 GPU"


def test_passthrough_nvidia_next_to_qxl_is_one_gpu(sysfs, make_host):
    sysfs.pci_device(
        "0000:00:01.0", "1b36", "0100", driver="qxl", subsystem_vendor="0x1af4", subsystem_device="0x1100"
    )
    sysfs.pci_device(
        "0000:06:10.0", "10de", "2504", driver="nvidia", subsystem_vendor="0x1462", subsystem_device="0x397d"
    )
    result = probe(make_host(root=sysfs), sources=pci.SOURCES)
    assert [(g.index, g.vendor, g.pci.device_id) for g in result.gpus] == [(0, "nvidia", "2504")]
    assert [(a.name, a.kind) for a in result.display_adapters] == [
        ("QXL paravirtual graphic card", "virtual")
    ]
    assert "no-gpu" not in [p.code for p in result.problems]


def test_server_bmc_vga_alone_is_no_gpu(sysfs, make_host):
    sysfs.pci_device("0000:03:00.0", "1a03", "2000", driver="ast")
    result = probe(make_host(root=sysfs), sources=pci.SOURCES)
    assert result.gpus == [] and [a.kind for a in result.display_adapters] == ["server-management"]
    assert [p.code for p in result.problems] == ["no-gpu"]


def test_vm_no_gpu_rig_and_the_probe_text():
    result = probe(simulated_host("vm-no-gpu"))
    assert result.gpus == [] and [a.pci.device_id for a in result.display_adapters] == ["1050"]
    assert "no-gpu" in [p.code for p in result.problems]
    text = format_table(result)
    assert "GPUs: none found" in text and "GPU 0" not in text
    assert "Display adapters (they show the desktop, they cannot run generation):" in text
    assert "Virtio 1.0 GPU [virtual machine display] pci 1af4:1050 @ 0000:00:01.0" in text


def _windows_probe(fake_tools, make_host, cim_text: str):
    """The whole engine (every source and rule) on Windows with a fake powershell answering the
    display-adapter query and failing everything else."""
    fake_tools.script(
        "powershell",
        f"""
if "Win32_VideoController" in sys.argv[-1]:
    sys.stdout.write({cim_text!r})
else:
    sys.exit(1)
""",
    )
    return probe(make_host(platform="windows", path=[fake_tools.path]), ProbeContext())


def test_windows_vm_with_basic_display_adapter_has_no_gpu(fake_tools, make_host):
    text = (DATA / "windows-cim" / "qemu-stdvga-basicdisplay-win11-vm.json").read_text(encoding="utf-8")
    result = _windows_probe(fake_tools, make_host, text)
    assert result.gpus == []
    (adapter,) = result.display_adapters
    assert (adapter.name, adapter.kind, adapter.pci.vendor_id, adapter.pci.device_id) == (
        "QEMU/Bochs standard VGA",
        "virtual",
        "1234",
        "1111",
    )
    assert adapter.driver.module == "BasicDisplay" and adapter.sources == ["windows-cim"]
    assert "no-gpu" in [p.code for p in result.problems]


def test_windows_hyper_v_video_on_vmbus_is_a_display_adapter(fake_tools, make_host):
    row = {
        "Name": "Microsoft Hyper-V Video",
        "Status": "OK",
        "ConfigManagerErrorCode": 0,
        "PNPDeviceID": (
            "VMBUS\\{DA0A7802-E377-4AAC-8E77-0558EB1073F8}\\{5620E0C7-8062-4DCE-AEB7-520C7EF76171}"
        ),
        "DriverVersion": "10.0.22621.1",
        "Service": "HyperVideo",
    }
    result = _windows_probe(
        fake_tools,
        make_host,
        json.dumps({"controllers": [row], "registry": [], "os": {"BuildNumber": "22631"}}),
    )
    assert result.gpus == [] and [a.name for a in result.display_adapters] == ["Microsoft Hyper-V Video"]
    assert "no-gpu" in [p.code for p in result.problems]


def test_windows_real_card_with_basic_display_stays_a_gpu(fake_tools, make_host):
    from probes.core.host import decode_output

    raw = (DATA / "windows-cim" / "s80-nodriver-win11-zh.json").read_bytes()
    host = make_host(platform="windows", path=[fake_tools.path])
    fake_tools.replay("powershell", {"*": {"stdout_hex": raw.hex()}})
    gpus = win.WindowsCimSource().collect(host, ProbeContext()).gpus
    kept, adapters = split_display_adapters(gpus)
    assert [g.vendor for g in kept] == ["mthreads"] and adapters == []
    assert "基本显示适配器" in decode_output(raw)


def test_report_lists_the_display_adapter_apart():
    from app.report import build_report

    text = build_report(probe(simulated_host("vm-no-gpu")), include_json=False)
    assert "No GPU was found." in text
    assert "| Virtio 1.0 GPU | virtual | 1af4:1050 | 0000:00:01.0 | virtio-pci |" in text
