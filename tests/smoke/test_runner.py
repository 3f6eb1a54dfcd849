"""The smoke runner: a full CPU run passes and matches the reference; every injected failure
gives its code and no traceback."""

from __future__ import annotations

import ast
import os
import stat
import sys
from pathlib import Path

import pytest

from probes.smoke.client import run_smoke
from probes.smoke.target import png, runner
from tests.smoke.conftest import MODEL, REFERENCE, ROOT

pytestmark = pytest.mark.needs_torch

SMOKE_DIR = ROOT / "probes" / "smoke" / "target"


def test_smoke_package_imports_only_stdlib_and_torch():
    allowed_top = set(sys.stdlib_module_names) | {"torch", "torch_musa", "torch_directml", "probes"}
    for path in SMOKE_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            for name in names:
                assert name.split(".")[0] in allowed_top, f"{path.name} imports {name}"
                if name.startswith("probes"):
                    assert name.startswith("probes.smoke.target"), f"{path.name} imports {name}"


def test_full_cpu_run_in_a_subprocess_passes_and_matches_the_reference(tmp_path):
    events = []
    result = run_smoke(sys.executable, on_event=events.append, timeout_s=120, device="cpu", out=str(tmp_path))
    assert result["verdict"] == "pass", result
    assert result["codes"] == []
    assert result["schema"] == "rigpilot.smoke/1"
    assert result["device"] == "cpu" and result["dtype"] == "float32"
    assert result["psnr_db_vs_cpu"] >= 40.0
    assert result["max_abs_error_vs_cpu"] <= 2 / 255
    assert result["steps_per_s"] > 0 and result["dequant_gbps"] > 0
    assert result["peak_memory_bytes"] is None  # the CPU has no backend memory API
    assert len(result["step_times_s"]) == 20
    kinds = [e["event"] for e in events]
    assert kinds[0] == "start" and kinds[-1] == "result"
    assert kinds.count("step") == 20
    w, h, rgb = png.decode_rgb(Path(result["image"]).read_bytes())
    assert (w, h) == (32, 32)
    _, _, ref = png.decode_rgb(REFERENCE.read_bytes())
    assert sum(abs(a - b) for a, b in zip(rgb, ref, strict=True)) / len(rgb) < 1.0


def test_other_resolution_compares_with_a_computed_cpu_reference(tmp_path):
    result = runner.run(device="cpu", dtype="bf16", steps=4, resolution=48, out=str(tmp_path))
    assert result["dtype"] == "bfloat16"
    assert result["reference"] == "computed on the CPU in float32"
    assert result["psnr_db_vs_cpu"] is not None and result["psnr_db_vs_cpu"] > 15
    assert png.decode_rgb(Path(result["image"]).read_bytes())[:2] == (48, 48)


@pytest.mark.parametrize(
    "name, code, words",
    [
        ("truncated", "model-corrupt", "truncated"),
        ("wrong-magic", "model-corrupt", "not a GGUF"),
        ("unsupported-type", "model-corrupt", "unsupported quant type Q5_0"),
        ("foreign", "model-corrupt", "not the RigPilot smoke model"),
    ],
)
def test_damaged_model_files(damaged_models, tmp_path, name, code, words):
    result = runner.run(device="cpu", model=str(damaged_models[name]), out=str(tmp_path))
    assert result["verdict"] == "fail"
    assert result["codes"] == [code]
    assert words in result["problems"][0]["detail"]


def test_nan_scales_give_nan_output_and_name_the_tensor(damaged_models, tmp_path):
    result = runner.run(device="cpu", steps=3, model=str(damaged_models["nan-scales"]), out=str(tmp_path))
    assert result["verdict"] == "fail"
    assert "nan-output" in result["codes"] and "model-corrupt" in result["codes"]
    assert "weight" in result["problems"][0]["detail"]


def test_nan_computed_on_the_device(tmp_path):
    result = runner.run(device="cpu", steps=3, inject="nan-output", out=str(tmp_path))
    assert result["codes"] == ["nan-output"]


def test_missing_model_file(tmp_path):
    result = runner.run(device="cpu", model=str(tmp_path / "nope.gguf"))
    assert result["codes"] == ["model-corrupt"] and "cannot read" in result["problems"][0]["detail"]


@pytest.mark.parametrize("device", ["cuda:7", "musa", "xpu:3", "directml", "tpu", "cuda:x"])
def test_devices_that_do_not_exist(device):
    result = runner.run(device=device)
    assert result["verdict"] == "fail"
    assert result["codes"] == ["device-unavailable"]


def test_forced_slow_step_is_a_suspected_spill(tmp_path):
    result = runner.run(device="cpu", steps=8, inject="slow-step", out=str(tmp_path))
    assert result["verdict"] == "warn", result["problems"]
    assert result["codes"] == ["vram-spill-suspected"]
    assert "step(s) 5" in result["problems"][0]["detail"]


def test_bf16_requested_where_unsupported_falls_back(tmp_path):
    result = runner.run(device="cpu", dtype="bf16", steps=3, inject="no-bf16", out=str(tmp_path))
    assert result["codes"] == ["bf16-unsupported-fell-back"]
    assert result["verdict"] == "warn"
    assert result["dtype"] == "float32" and "fell back" in result["dtype_reason"]


def _fake_python_without_torch(tmp_path) -> Path:
    """A real interpreter that cannot import torch (site-packages disabled)."""
    path = tmp_path / "python-no-torch"
    path.write_text(f'#!/bin/sh\nexec {sys.executable} -S "$@"\n', encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.skipif(os.name == "nt", reason="shell wrapper")
def test_missing_torch_in_the_target_interpreter(tmp_path):
    result = run_smoke(str(_fake_python_without_torch(tmp_path)), timeout_s=60, device="cpu")
    assert result["codes"] == ["torch-missing"]
    assert "Traceback" not in result["problems"][0]["detail"]


def test_spill_detector():
    assert runner.spill_steps([2.0] + [0.1] * 10) == []  # warm-up only
    assert runner.spill_steps([0.1] * 5 + [1.5] + [0.1] * 5) == [5]
    assert runner.spill_steps([0.01] * 5 + [0.05] + [0.01] * 5) == []  # jitter, not a spill
    assert runner.spill_steps([0.1, 0.1, 1.0]) == []  # too few steps to judge


@pytest.mark.parametrize(
    "text, code",
    [
        (
            "CUDA error: no kernel image is available for execution on the device\n"
            "CUDA kernel errors might be asynchronously reported",
            "arch-not-compiled",
        ),
        (
            "HIP error: invalid device function\nHIP kernel errors might be asynchronously reported",
            "arch-not-compiled",
        ),
        ("MUSA error: invalid device function", "arch-not-compiled"),
        ("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 7.79 GiB total capacity)", "out-of-memory"),
        ("MPS backend out of memory (MPS allocated: 8.00 GB)", "out-of-memory"),
        ("CUDA error: an illegal memory access was encountered", "device-error"),
    ],
)
def test_error_texts_are_classified(text, code):
    assert runner.classify_error(RuntimeError(text))[0] == code


def test_out_of_memory_during_sampling_is_reported(monkeypatch, tmp_path):
    from probes.smoke.target import net

    def boom(*a, **k):
        raise RuntimeError("CUDA out of memory. Tried to allocate 20.00 GiB")

    monkeypatch.setattr(net, "ddim_step", boom)
    result = runner.run(device="cpu", out=str(tmp_path))
    assert result["codes"] == ["out-of-memory"]


def test_black_image_and_mismatch_are_judged(monkeypatch, tmp_path):
    import torch

    from probes.smoke.target import net

    monkeypatch.setattr(net, "ddim_step", lambda w, x, t, tn: torch.full_like(x, -1.0))
    result = runner.run(device="cpu", out=str(tmp_path))
    assert "black-image" in result["codes"] and "mismatch-vs-cpu" in result["codes"]
    assert result["verdict"] == "fail"


def test_model_asset_and_reference_exist():
    assert MODEL.is_file() and REFERENCE.is_file()
    assert png.decode_rgb(REFERENCE.read_bytes())[:2] == (runner.DEFAULT_RESOLUTION,) * 2
