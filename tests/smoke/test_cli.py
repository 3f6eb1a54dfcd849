"""``python main.py smoke``: subprocess in any interpreter, timeout, cancellation, output."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
import threading

import pytest

from probes.smoke.client import run_smoke
from tests.smoke.conftest import ROOT

pytestmark = pytest.mark.needs_torch


def _main(*args, timeout=180):
    return subprocess.run(
        [sys.executable, "main.py", "smoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={
            "PATH": "/usr/bin:/bin",
            "RIGPILOT_LANG": "en",
            "RIGPILOT_DATA_DIR": str(ROOT / "build" / "test-data"),
        },
    )


def test_json_run_on_cpu_passes():
    proc = _main("--json", "--device", "cpu")
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["schema"] == "rigpilot.smoke/1" and result["verdict"] == "pass"
    for key in (
        "codes",
        "device",
        "dtype",
        "steps_per_s",
        "dequant_gbps",
        "peak_memory_bytes",
        "psnr_db_vs_cpu",
        "image",
    ):
        assert key in result
    assert "Traceback" not in proc.stderr


def test_readable_summary_explains_a_missing_device():
    proc = _main("--device", "cuda:5", "--steps", "2")
    assert proc.returncode == 1
    assert "Verdict: FAIL" in proc.stdout
    assert "[device-unavailable] The requested device is not available" in proc.stdout
    assert "hint:" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr


def test_progress_is_streamed_to_stderr():
    proc = _main("--device", "cpu", "--steps", "3")
    assert proc.returncode == 0
    assert "step 3/3" in proc.stderr and "Verdict: PASS" in proc.stdout


def test_bad_arguments_are_errors_with_a_code():
    proc = _main("--steps", "0")
    assert proc.returncode == 2 and "error [bad-argument]" in proc.stderr


def test_interpreter_that_does_not_exist(tmp_path):
    result = run_smoke(str(tmp_path / "python9"), timeout_s=10)
    assert result["codes"] == ["smoke-runner-failed"] and "not found" in result["problems"][0]["detail"]


def _fake_python(tmp_path, body: str):
    path = tmp_path / "fake-python"
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def test_hanging_interpreter_times_out(tmp_path):
    result = run_smoke(_fake_python(tmp_path, "exec sleep 60"), timeout_s=1.0)
    assert result["codes"] == ["smoke-timeout"]


def test_crashing_interpreter_reports_its_stderr(tmp_path):
    result = run_smoke(_fake_python(tmp_path, "echo 'Segmentation fault' >&2; exit 139"), timeout_s=10)
    assert result["codes"] == ["smoke-runner-failed"]
    assert "Segmentation fault" in result["problems"][0]["detail"] and result["problems"][0]["rc"] == 139


def test_cancel_stops_the_subprocess():
    cancel = threading.Event()

    def on_event(event):
        if event.get("event") == "step":
            cancel.set()

    result = run_smoke(
        sys.executable,
        on_event=on_event,
        cancel=cancel,
        timeout_s=120,
        device="cpu",
        steps=1000,
        resolution=128,
    )
    assert result["verdict"] == "cancelled"


def test_command_module_imports_neither_torch_nor_qt():
    code = (
        "import sys; import app.commands.smoke, probes.smoke.client, probes.smoke.codes; "
        "assert 'torch' not in sys.modules and 'PySide6' not in sys.modules"
    )
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0


def test_summary_in_chinese():
    proc = subprocess.run(
        [sys.executable, "main.py", "--lang", "zh_CN", "smoke", "--device", "cuda:5", "--steps", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "RIGPILOT_DATA_DIR": str(ROOT / "build" / "test-data")},
    )
    assert "结论：失败" in proc.stdout.upper() or "结论：失败" in proc.stdout
    assert "此 torch 版本无法使用所请求的设备" in proc.stdout


def test_every_smoke_string_has_a_chinese_translation():
    import ast

    from probes.core.i18n import parse_ts

    catalog = parse_ts(ROOT / "assets" / "i18n" / "smoke_zh_CN.ts")
    missing = []
    for rel in ("probes/smoke/codes.py", "app/commands/smoke.py", "app/gui/pages/verify.py"):
        for node in ast.walk(ast.parse((ROOT / rel).read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            fn = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            args = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            keys = []
            if fn in ("Text", "tr") and len(args) >= 2:
                keys = [(args[0], args[1])]
            elif fn == "define" and len(args) == 4:
                keys = [("problems", args[2])] + ([("problems", args[3])] if args[3] else [])
            elif fn == "_t" and args:
                keys = [("VerifyPage", args[0])]
            missing += [k for k in keys if k not in catalog]
    assert missing == []
