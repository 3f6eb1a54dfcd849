"""NVIDIA probe sources end to end: fake NVML modules, a fake nvidia-smi on PATH, sysfs trees."""

from __future__ import annotations

import time

import pytest

from probes.detect.engine import probe
from probes.detect.sources import ProbeContext
from probes.detect.sources.nvidia import NvidiaDriverFilesSource, NvidiaSmiSource, NvmlSource, read_nvml
from tests import fake_pynvml as fake
from tests import nvidia_outputs as out

GiB = 1024**3


def nvidia_sources():
    return [NvmlSource(), NvidiaSmiSource(), NvidiaDriverFilesSource()]


def codes(result):
    return [p.code for p in result.problems]


@pytest.fixture
def smi_host(fake_tools, make_host, sysfs):
    """A Linux host with NVML absent and ``fake_tools`` on PATH."""

    def factory(outputs: dict, platform: str = "linux", module=None):
        fake_tools.replay("nvidia-smi", outputs)
        return fake.FakeHost(make_host(platform=platform, path=[fake_tools.path], root=sysfs), module)

    return factory


def assert_two_cards(result, tool: str):
    assert [g.vendor for g in result.gpus] == ["nvidia", "nvidia"]
    a, b = result.gpus
    assert a.name == "NVIDIA GeForce RTX 3090" and b.name == "NVIDIA GeForce RTX 3060"
    assert (a.pci.vendor_id, a.pci.device_id, a.pci.bus_id) == ("10de", "2204", "0000:01:00.0")
    assert (b.pci.vendor_id, b.pci.device_id, b.pci.bus_id) == ("10de", "2504", "0000:02:00.0")
    assert a.driver.version == b.driver.version == "550.54.14"
    assert a.driver.tool == tool and a.driver.loaded is True
    assert a.memory_total_bytes == 24 * GiB and b.memory_total_bytes == 12 * GiB
    assert a.compute.api == "cuda" and a.compute.capability == "8.6" and b.compute.capability == "8.6"
    assert a.compute.max_cuda == b.compute.max_cuda == "12.4"
    assert (a.vendor_index, b.vendor_index) == (0, 1)


def test_two_cards_via_nvidia_smi_when_nvml_is_absent(smi_host):
    host = smi_host(out.two_gpu_tool(), module=None)
    result = probe(host, sources=nvidia_sources())
    assert_two_cards(result, "nvidia-smi")
    assert codes(result) == []
    assert result.gpus[0].extra["links"] == [
        {"gpu": 1, "bus_id": "0000:02:00.0", "type": "PHB", "kind": "pcie"}
    ]
    assert result.gpus[1].extra["links"][0]["gpu"] == 0
    assert result.gpus[0].uuid == "GPU-3b2d5ae1-7a0c-4e2c-9f6e-0a31c2f43090"
    assert "nvidia-smi" in result.gpus[0].sources and "nvml" not in result.gpus[0].sources


def test_two_cards_via_nvml_and_topo_from_smi(smi_host):
    host = smi_host(out.two_gpu_tool(), module=fake.make("basic"))
    result = probe(host, sources=nvidia_sources())
    assert_two_cards(result, "nvml")
    assert result.gpus[0].extra["links"][0]["type"] == "PHB"
    assert result.gpus[0].sources == ["nvml", "nvidia-smi"]
    assert codes(result) == []


def test_nvml_present_single_gpu_runs_no_smi(fake_tools, make_host, sysfs):
    fake_tools.script("nvidia-smi", "open(os.environ['MARK'], 'w').write('ran'); sys.exit(0)")
    mark = sysfs.root / "mark"
    mod = fake.make("field_not_supported")
    host = fake.FakeHost(make_host(path=[fake_tools.path], root=sysfs, env={"MARK": str(mark)}), mod)
    result = probe(host, sources=nvidia_sources())
    assert len(result.gpus) == 1 and result.gpus[0].name == "NVIDIA GeForce RTX 3060"
    assert not mark.exists()


def test_deep_probe_runs_topo_even_for_one_gpu(smi_host):
    topo_one = "\tGPU0\tCPU Affinity\tNUMA Affinity\tGPU NUMA ID\nGPU0\t X \t0-7\t\tN/A\t\tN/A\n"
    host = smi_host({"topo -m": {"stdout": topo_one}}, module=fake.make("field_not_supported"))
    result = probe(host, ProbeContext(deep=True), sources=nvidia_sources())
    assert len(result.gpus) == 1 and codes(result) == []


@pytest.mark.parametrize(
    "scenario,code", [("driver_not_loaded", "driver-not-loaded"), ("rm_mismatch", "nvml-driver-mismatch")]
)
def test_nvml_driver_states_become_problems(smi_host, scenario, code):
    outputs = {"*": {"stdout": out.NOT_LOADED if scenario == "driver_not_loaded" else out.MISMATCH, "rc": 9}}
    host = smi_host(outputs, module=fake.make(scenario))
    result = probe(host, sources=nvidia_sources())
    assert result.gpus == []
    assert codes(result) == [code]  # NVML and nvidia-smi agree: reported once
    assert result.problems[0].severity == "error"
    assert result.problems[0].hint


def test_nvml_library_missing_falls_back_silently(smi_host):
    host = smi_host(out.two_gpu_tool(), module=fake.make("library_missing"))
    result = probe(host, sources=nvidia_sources())
    assert_two_cards(result, "nvidia-smi")
    assert codes(result) == []


def test_gpu_lost_is_reported(smi_host):
    host = smi_host({}, module=fake.make("gpu_lost"))
    result = probe(host, sources=[NvmlSource()])
    assert [g.name for g in result.gpus] == ["NVIDIA GeForce RTX 3090"]
    assert codes(result) == ["nvidia-gpu-lost"]
    assert "1" in str(result.problems[0].message)


def test_old_driver_without_compute_cap_field(smi_host):
    outputs = {
        out.QUERY_ARGS: {"stdout": out.INVALID_FIELD, "rc": 2},
        out.LEGACY_ARGS: {"stdout": out.TWO_GPU_CSV_LEGACY},
        "": {"stdout": out.BANNER_550},
        "topo -m": {"stdout": out.TOPO_TWO},
    }
    result = probe(smi_host(outputs), sources=nvidia_sources())
    assert [g.name for g in result.gpus] == ["NVIDIA GeForce RTX 3090", "NVIDIA GeForce RTX 3060"]
    assert all(g.compute.capability is None for g in result.gpus)
    assert result.gpus[0].compute.max_cuda == "12.4"
    assert codes(result) == []


def test_banner_missing_estimates_max_cuda_from_driver_table(smi_host):
    outputs = {
        out.QUERY_ARGS: {"stdout": out.TWO_GPU_CSV},
        "": {"stdout": "", "rc": 6},
        "topo -m": {"stdout": out.TOPO_TWO},
    }
    result = probe(smi_host(outputs), sources=nvidia_sources())
    assert result.gpus[0].compute.max_cuda == "12.4"
    assert result.gpus[0].extra["max_cuda_estimated"] is True


def test_hanging_nvidia_smi_times_out_within_the_deadline(smi_host):
    host = smi_host({"*": {"stdout": "", "sleep": 60}})
    t0 = time.monotonic()
    result = probe(host, sources=nvidia_sources(), deadline_s=10)
    elapsed = time.monotonic() - t0
    assert elapsed < 10
    assert codes(result) == ["smi-tool-timeout"]
    assert "nvidia-smi" in str(result.problems[0].message)


def test_exit_code_4_with_error_on_stdout_is_a_problem(smi_host):
    host = smi_host(
        {
            "*": {
                "stdout": "Unable to determine the device handle for GPU0000:01:00.0: Unknown Error\n",
                "rc": 4,
            }
        }
    )
    result = probe(host, sources=nvidia_sources())
    assert codes(result) == ["smi-tool-failed"]
    assert "Unable to determine the device handle" in str(result.problems[0].message)
    assert "4" in str(result.problems[0].message)


def test_nvml_unknown_error_exit_255(smi_host):
    result = probe(smi_host({"*": {"stdout": out.NVML_UNKNOWN, "rc": 255}}), sources=nvidia_sources())
    assert codes(result) == ["smi-tool-failed"] and result.gpus == []


def test_binary_garbage_is_unparsed_not_a_traceback(smi_host):
    host = smi_host(
        {out.QUERY_ARGS: {"stdout_hex": "00ff13377f80fe0a9f9f0a"}, "": {"stdout": out.BANNER_550}}
    )
    result = probe(host, sources=nvidia_sources())
    assert codes(result) == ["smi-output-unparsed"]
    assert result.gpus == []


def test_gbk_garbage_is_unparsed(smi_host):
    host = smi_host({"*": {"stdout": "驱动程序未加载,无法查询显卡\n", "encoding": "gbk"}})
    result = probe(host, sources=nvidia_sources())
    assert codes(result) == ["smi-output-unparsed"]


def test_smi_says_driver_not_loaded_without_nvml(smi_host):
    result = probe(smi_host({"*": {"stdout": out.NOT_LOADED, "rc": 9}}), sources=nvidia_sources())
    assert codes(result) == ["driver-not-loaded"]
    assert "NVIDIA" in str(result.problems[0].message)


def test_windows_finds_nvidia_smi_and_reports_no_kernel_module(smi_host):
    host = smi_host(out.two_gpu_tool(), platform="windows")
    result = probe(host, sources=nvidia_sources())
    assert_two_cards(result, "nvidia-smi")
    assert result.gpus[0].driver.module is None


def test_nothing_nvidia_means_nothing_reported(make_host, sysfs):
    host = fake.FakeHost(make_host(root=sysfs), None)
    result = probe(host, sources=nvidia_sources())
    assert result.gpus == [] and result.problems == []


def test_driver_files_give_the_version_per_card(make_host, sysfs):
    sysfs.pci_device("0000:01:00.0", "10de", "2504", driver="nvidia")
    sysfs.pci_device("0000:01:00.1", "10de", "228e", cls="0x040300", driver="snd_hda_intel")
    sysfs.write(
        "/proc/driver/nvidia/version",
        "NVRM version: NVIDIA UNIX Open Kernel Module for x86_64  550.54.15  Release Build  "
        "(dvs-builder@U16-A24-23-2)  Tue Mar  5 22:15:33 UTC 2024\n",
    )
    host = fake.FakeHost(make_host(root=sysfs), None)
    result = probe(host, sources=nvidia_sources())
    assert len(result.gpus) == 1
    g = result.gpus[0]
    assert (g.pci.bus_id, g.pci.device_id, g.driver.version, g.driver.module) == (
        "0000:01:00.0",
        "2504",
        "550.54.15",
        "nvidia",
    )
    assert g.extra["open_kernel_module"] is True


def test_sys_module_version_wins_over_proc(make_host, sysfs):
    sysfs.pci_device("0000:01:00.0", "10de", "2504", driver="nvidia")
    sysfs.write("/sys/module/nvidia/version", "550.54.14\n")
    sysfs.write("/proc/driver/nvidia/version", "NVRM version: NVIDIA UNIX x86_64 Kernel Module  515.76  x\n")
    result = probe(fake.FakeHost(make_host(root=sysfs), None), sources=[NvidiaDriverFilesSource()])
    assert result.gpus[0].driver.version == "550.54.14"


def test_read_nvml_never_raises_for_any_scenario():
    for name in fake.SCENARIOS:
        snap = read_nvml(fake.make(name))
        assert snap.ok == (name in ("basic", "gpu_lost", "field_not_supported", "old_driver"))


def test_wedged_nvml_does_not_hold_back_nvidia_smi(smi_host):
    """nvmlInit that never returns (a wedged driver): nvidia-smi still reports, NVML says it timed out."""
    import threading

    release = threading.Event()
    mod = fake.make("basic")
    real_init = mod.nvmlInit

    def hanging_init():
        release.wait(30)
        real_init()

    mod.nvmlInit = hanging_init
    host = smi_host(out.two_gpu_tool(), module=mod)
    t0 = time.monotonic()
    try:
        result = probe(host, sources=nvidia_sources(), deadline_s=10)
    finally:
        release.set()
    assert time.monotonic() - t0 < 9
    assert_two_cards(result, "nvidia-smi")
    assert codes(result) == ["nvml-failed"]
    assert "no answer" in str(result.problems[0].message)


def test_snapshot_is_shared_within_one_run_and_fresh_for_the_next(smi_host):
    from probes.detect.sources.nvidia import nvml_snapshot

    calls = []
    mod = fake.make("basic")
    real_init = mod.nvmlInit
    mod.nvmlInit = lambda: (calls.append(1), real_init())[1]
    host = smi_host({}, module=mod)
    ctx = ProbeContext()
    assert nvml_snapshot(host, ctx).ok and nvml_snapshot(host, ctx).ok
    assert len(calls) == 1
    assert nvml_snapshot(host, ProbeContext()).ok
    assert len(calls) == 2
