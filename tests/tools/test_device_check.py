"""tools/device_check.py: every step recorded, failures included, recording packed (no GPU needed)."""

from __future__ import annotations

import json
import sys
import tarfile

from tools import device_check


def test_run_step_records_rc_not_found_and_timeout():
    ok = device_check.run_step("ok", [sys.executable, "-c", "print('hi'); import sys; sys.exit(3)"], 30)
    assert ok["rc"] == 3 and ok["stdout"].strip() == "hi" and ok["seconds"] >= 0
    missing = device_check.run_step("missing", ["rigpilot-no-such-tool-xyz"], 5)
    assert missing["rc"] is None and missing["error"] == "not-found"
    slow = device_check.run_step("slow", [sys.executable, "-c", "import time; time.sleep(30)"], 0.5)
    assert slow["rc"] is None and slow["error"] == "timeout" and slow["seconds"] < 10


def test_main_writes_one_record_per_step_and_packs_the_recording(tmp_path, monkeypatch):
    def fake_steps(py, rec_dir, quick):
        make = (
            f"import os; os.makedirs({rec_dir!r}); "
            f"open(os.path.join({rec_dir!r}, 'manifest.json'), 'w').write('{{}}')"
        )
        return [
            ("record", [py, "-c", make], 30),
            ("fails", [py, "-c", "raise SystemExit(2)"], 30),
            ("absent", ["rigpilot-no-such-tool-xyz"], 5),
        ]

    monkeypatch.setattr(device_check, "steps", fake_steps)
    assert device_check.main(["--out", str(tmp_path / "out")]) == 0
    records = [
        json.loads(line) for line in (tmp_path / "out" / "device-check.jsonl").read_text().splitlines()
    ]
    assert [(r["step"], r["rc"]) for r in records] == [("record", 0), ("fails", 2), ("absent", None)]
    with tarfile.open(tmp_path / "out" / "recording.tar.gz") as tar:
        assert "recording/manifest.json" in tar.getnames()


def test_the_real_plan_covers_the_gpu_checks_of_issues_4_and_5():
    names = [name for name, _argv, _t in device_check.steps("python3", "rec", quick=False)]
    for needed in (
        "nvidia-smi-csv",
        "probe-record",
        "smoke-auto",
        "smoke-fp16",
        "dequant-bench",
        "monitor",
        "power-show",
    ):
        assert needed in names
    assert all(t > 0 for _n, _a, t in device_check.steps("python3", "rec", quick=True))


def test_summary_reads_the_smoke_result_and_the_benchmark_rows(tmp_path):
    smoke = {
        "event": "result",
        "device": "cuda",
        "device_name": "NVIDIA H100 80GB HBM3",
        "dtype": "bfloat16",
        "verdict": "pass",
        "codes": [],
        "steps_per_s": 310.2,
        "psnr_db_vs_cpu": 38.1,
        "peak_memory_bytes": 123456,
    }
    bench = {
        "type": "Q4_K",
        "dtype": "bf16",
        "kernel_gbps": 120.5,
        "x_vs_straight": 2.4,
        "x_vs_fp32_cast": 3.1,
    }
    log = tmp_path / "device-check.jsonl"
    log.write_text(
        "\n".join(
            json.dumps(r)
            for r in (
                {"step": "smoke-auto", "rc": 0, "stdout": json.dumps(smoke, indent=1)},
                {"step": "smoke-fp16", "rc": 2, "stdout": "not json"},
                {"step": "dequant-bench", "rc": 0, "stdout": "# torch 2.11.0+cu130\n" + json.dumps(bench)},
            )
        )
        + "\n"
    )
    lines = device_check.summary(log)
    assert lines[0].startswith("smoke-auto: device=cuda (NVIDIA H100 80GB HBM3) dtype=bfloat16 verdict=pass")
    assert lines[1] == "smoke-fp16: no result (rc=2)"
    assert lines[2] == "dequant Q4_K bf16: 120.5 GB/s, 2.4x straight, 3.1x fp32-cast"
