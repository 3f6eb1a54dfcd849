"""``python main.py probe --json`` with a fake nvidia-smi on PATH and no usable NVML."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from probes.detect.nvml import Nvml, NvmlFailure
from tests import nvidia_outputs as out
from tests.conftest import ROOT

GiB = 1024**3


def _nvml_works() -> bool:
    try:
        import pynvml
    except ImportError:
        return False
    try:
        Nvml(pynvml).open().close()
        return True
    except NvmlFailure:
        return False


pytestmark = pytest.mark.skipif(_nvml_works(), reason="a real NVIDIA driver answers NVML on this machine")


def run_probe(fake_tools, sysfs, *extra, lang="en"):
    env = {
        "PATH": fake_tools.path,
        "RIGPILOT_ROOT": str(sysfs.root),
        "RIGPILOT_PLATFORM": "linux",
        "RIGPILOT_LANG": lang,
        "HOME": str(sysfs.root),
        "LANG": "C.UTF-8",
        "SYSTEMROOT": os.environ.get("SYSTEMROOT", ""),
    }
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "probe", "--json", *extra],
        env=env,
        capture_output=True,
        timeout=60,
        cwd=str(ROOT),
    )
    return proc, time.monotonic() - t0


def test_cli_reports_two_nvidia_cards_from_nvidia_smi(fake_tools, sysfs):
    fake_tools.replay("nvidia-smi", out.two_gpu_tool())
    proc, _ = run_probe(fake_tools, sysfs)
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema"] == "rigpilot.probe/1"
    cards = [g for g in data["gpus"] if g["vendor"] == "nvidia"]
    assert [(g["name"], g["pci"]["vendor_id"], g["pci"]["device_id"], g["pci"]["bus_id"]) for g in cards] == [
        ("NVIDIA GeForce RTX 3090", "10de", "2204", "0000:01:00.0"),
        ("NVIDIA GeForce RTX 3060", "10de", "2504", "0000:02:00.0"),
    ]
    assert [g["memory_total_bytes"] for g in cards] == [24 * GiB, 12 * GiB]
    assert all(g["driver"]["version"] == "550.54.14" for g in cards)
    assert all(
        g["compute"] == {"api": "cuda", "capability": "8.6", "gfx": None, "arch": None, "max_cuda": "12.4"}
        for g in cards
    )
    assert not [p for p in data["problems"] if p["code"].startswith("smi-")]


def test_cli_hanging_nvidia_smi_finishes_with_a_timeout_problem(fake_tools, sysfs):
    fake_tools.replay("nvidia-smi", {"*": {"stdout": "", "sleep": 120}})
    proc, elapsed = run_probe(fake_tools, sysfs)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    assert elapsed < 15
    data = json.loads(proc.stdout)
    assert "smi-tool-timeout" in [p["code"] for p in data["problems"]]


def test_cli_garbage_from_nvidia_smi_is_a_problem(fake_tools, sysfs):
    fake_tools.replay("nvidia-smi", {"*": {"stdout_hex": "fffe00d8003f0a" * 20, "rc": 0}})
    proc, _ = run_probe(fake_tools, sysfs)
    assert proc.returncode == 0 and b"Traceback" not in proc.stderr
    assert "smi-output-unparsed" in [p["code"] for p in json.loads(proc.stdout)["problems"]]


def test_cli_zh_cn_problem_text(fake_tools, sysfs):
    fake_tools.replay("nvidia-smi", {"*": {"stdout": out.NOT_LOADED, "rc": 9}})
    proc, _ = run_probe(fake_tools, sysfs, lang="zh_CN")
    data = json.loads(proc.stdout)
    codes = [p["code"] for p in data["problems"]]
    assert "driver-not-loaded" in codes
    msg = next(p["message"] for p in data["problems"] if p["code"] == "driver-not-loaded")
    assert "NVIDIA 显卡" in msg  # the card name argument comes from assets/i18n/nvidia_zh_CN.ts
