"""The diagnostic report (Qt-free): redaction, content on real-capture data, the `report` command."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.report import RedactContext, build_report, load_probe_json, local_context, redact
from probes.core.errors import RigPilotError

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "gui"
CTX = RedactContext(
    user_names=["ann", "amd"], host_names=["MUSA-PC.lan"], home_dirs=["/home/ann"], serials=["1324021022093"]
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/home/ann/comfy/venv/bin/python", "<home>/comfy/venv/bin/python"),
        ("interpreter at /home/ann", "interpreter at <home>"),
        ("/home/bob/x", "/home/<user>/x"),  # another user's home, by shape
        ("/Users/carol/Library", "/Users/<user>/Library"),
        (
            r"C:\Users\Dave\AppData\Local\Programs\Python\Python310\python.exe",
            r"C:\Users\<user>\AppData\Local\Programs\Python\Python310\python.exe",
        ),
        ('"path": "C:\\\\Users\\\\Dave\\\\venv"', '"path": "C:\\\\Users\\\\<user>\\\\venv"'),
        ("/home/root/x and /home/user/y", "/home/root/x and /home/user/y"),  # generic names stay
        ("hostname MUSA-PC.lan or MUSA-PC", "hostname <host> or <host>"),
        ("tech-renaissance@MUSA-PC:~$ mthreads-gmi", "<user>@<host>:~$ mthreads-gmi"),
        ("GPU-22b2c6ac-2d49-4863-197c-9c469071178a", "GPU-<uuid>"),
        ("    Serial Number                 : 0324017002342", "    Serial Number                 : <serial>"),
        ("Serial Number : N/A", "Serial Number : N/A"),
        ('"serial": "1324021022093", "uuid": "abc-1"', '"serial": "<serial>", "uuid": "<uuid>"'),
        ("board 1324021022093 ok", "board <serial> ok"),
        ("user ann ran amdgpu on amd", "user <user> ran amdgpu on <user>"),  # whole words only
        ("driver 3.0.0 on MTT S80", "driver 3.0.0 on MTT S80"),
    ],
)
def test_redact(text, expected):
    assert redact(text, CTX) == expected


@given(st.text())
def test_redact_is_total_and_idempotent(text):
    once = redact(text, CTX)
    assert isinstance(once, str)
    assert redact(once, CTX) == once


def test_local_context_collects_this_machine_and_the_result():
    result = load_probe_json(DATA / "two-gpus-linux.json")
    ctx = local_context(result, env={"USER": "ann", "HOME": "/home/ann", "HOSTNAME": "box1"})
    assert "ann" in ctx.user_names and "/home/ann" in ctx.home_dirs
    assert {"box1", "MUSA-PC"} <= set(ctx.host_names)
    assert "GPU-22b2c6ac-2d49-4863-197c-9c469071178a" in ctx.serials


def test_report_on_two_gpus_has_every_section_and_no_personal_data():
    result = load_probe_json(DATA / "two-gpus-linux.json")
    text = build_report(
        result, context=local_context(result, env={}), now=datetime(2026, 1, 2, 3, 4, tzinfo=timezone.utc)
    )
    assert text.startswith("# RigPilot diagnostic report\n")
    assert "2026-01-02 03:04 UTC" in text
    assert (
        "| 0 | mthreads | MTT S80 | 1ed5:0201 | 0000:01:00.0 | 3.0.0 | mthreads-gmi 2.0.0 | 16.0 GiB "
        "| musa mp_21 |" in text
    )
    assert (
        "| 1 | nvidia | GeForce RTX 2060 | 10de:1f08 | 0000:09:00.0 | 460.91.03 | nvidia-smi 460.91.03 "
        "| 5.8 GiB"
        " | cuda 7.5 (max CUDA 11.2) |" in text
    )
    assert "- **error** `render-group-missing`: Your user cannot open /dev/dri/renderD128" in text
    assert "  - Hint: Run 'sudo usermod -aG render $USER', then log out and in again." in text
    assert "- **warning** `smi-tool-timeout` (GPU 0): mthreads-gmi did not answer within 5 s" in text
    assert "| <home>/comfy/venv/bin/python | 3.10.12 | 2.5.1+cpu | cpu |" in text.replace(
        "/home/<user>", "<home>"
    )
    assert "| mthreads-gmi | 2.0.0 |" in text and "| nvidia-smi | 460.91.03 |" in text
    assert "## Probe timings" in text and "| mthreads-gmi | 0.412 |" in text
    assert '"schema": "rigpilot.probe/1"' in text
    for secret in ("MUSA-PC", "tech-renaissance", "22b2c6ac"):
        assert secret not in text


def test_report_of_no_gpu_and_no_driver():
    text = build_report(load_probe_json(DATA / "no-gpu.json"), context=RedactContext(), include_json=False)
    assert "No GPU was found." in text and "`no-gpu`" in text and "```json" not in text
    text = build_report(load_probe_json(DATA / "s80-no-driver.json"), context=RedactContext())
    assert "| 0 | mthreads | MTT S80 | 1ed5:0201 | 0000:01:00.0 | — (not loaded) | — | — | — mp_21 |" in text
    assert "`driver-not-installed` (GPU 0): MTT S80 is on the PCI bus" in text


def test_report_follows_the_language():
    from probes.core import i18n

    try:
        i18n.set_language("zh_CN")
        text = build_report(load_probe_json(DATA / "no-gpu.json"), context=RedactContext())
    finally:
        i18n.set_language("en")
    assert text.startswith("# RigPilot 诊断报告")


@pytest.mark.parametrize(
    "content", ["not json", '{"schema": "other/1"}', '{"schema": "rigpilot.probe/1", "gpus": 5}']
)
def test_load_probe_json_refuses_bad_files(tmp_path, content):
    p = tmp_path / "p.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(RigPilotError) as err:
        load_probe_json(p)
    assert err.value.code == "probe-json-unreadable" and err.value.hint


def run_cli(*args, cwd):
    env = dict(os.environ, RIGPILOT_NO_BOOTSTRAP="1", RIGPILOT_LANG="en")
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


def test_report_command_prints_and_writes_without_losing_files(tmp_path):
    proc = run_cli("report", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# RigPilot diagnostic report")
    home = str(Path.home())
    if len(home) > 3:
        assert home not in proc.stdout
    out = tmp_path / "r.md"
    proc = run_cli("report", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 0 and "Report written to" in proc.stderr
    assert out.read_text(encoding="utf-8").startswith("# RigPilot diagnostic report")
    out.write_text("my notes", encoding="utf-8")
    proc = run_cli("report", "--out", str(out), cwd=tmp_path)
    assert proc.returncode == 2 and "error [report-file-exists]" in proc.stderr and "hint:" in proc.stderr
    assert out.read_text(encoding="utf-8") == "my notes"
    proc = run_cli("report", "--out", str(out), "--force", cwd=tmp_path)
    assert proc.returncode == 0 and out.read_text(encoding="utf-8").startswith("# RigPilot")
    proc = run_cli("report", "--simulate", "no-such-rig-xyz", cwd=tmp_path)
    assert proc.returncode == 2 and "error [unknown-rig]" in proc.stderr and "Traceback" not in proc.stderr
    assert not list(tmp_path.glob(".rigpilot-report-*"))
