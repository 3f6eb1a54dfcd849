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
        make = f"import os; os.makedirs({rec_dir!r}); open(os.path.join({rec_dir!r}, 'manifest.json'), 'w').write('{{}}')"
        return [("record", [py, "-c", make], 30), ("fails", [py, "-c", "raise SystemExit(2)"], 30),
                ("absent", ["rigpilot-no-such-tool-xyz"], 5)]

    monkeypatch.setattr(device_check, "steps", fake_steps)
    assert device_check.main(["--out", str(tmp_path / "out")]) == 0
    records = [json.loads(line) for line in (tmp_path / "out" / "device-check.jsonl").read_text().splitlines()]
    assert [(r["step"], r["rc"]) for r in records] == [("record", 0), ("fails", 2), ("absent", None)]
    with tarfile.open(tmp_path / "out" / "recording.tar.gz") as tar:
        assert "recording/manifest.json" in tar.getnames()


def test_the_real_plan_covers_the_gpu_checks_of_issues_4_and_5():
    names = [name for name, _argv, _t in device_check.steps("python3", "/tmp/rec", quick=False)]
    for needed in ("nvidia-smi-csv", "probe-record", "smoke-auto", "smoke-fp16", "dequant-bench", "monitor", "power-show"):
        assert needed in names
    assert all(t > 0 for _n, _a, t in device_check.steps("python3", "/tmp/rec", quick=True))
