"""The smoke-test history (``probes.smoke.history``): ``main.py smoke`` appends to it, ``smoke --history``
lists it, and a damaged file is kept aside, never lost. A fake interpreter prints the result, so no
torch is needed."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from probes.smoke import history
from tests.smoke.conftest import ROOT

RESULT = {
    "event": "result",
    "schema": "rigpilot.smoke/1",
    "verdict": "pass",
    "codes": [],
    "problems": [],
    "python": "/envs/comfy/bin/python",
    "torch": "2.5.0+musa",
    "device": "musa:0",
    "device_name": "MTT S80",
    "dtype": "fp16",
    "steps": 3,
    "resolution": 32,
    "steps_per_s": 12.5,
    "dequant_gbps": 1.25,
    "peak_memory_bytes": 3 * 2**20,
    "psnr_db_vs_cpu": 48.25,
    "max_abs_error_vs_cpu": 0.01,
    "image": None,
    "total_s": 0.5,
}


@pytest.fixture
def fake_python(tmp_path):
    """An 'interpreter' whose smoke test prints RESULT (with the device it was asked for)."""
    path = tmp_path / "fake-python"
    line = json.dumps(RESULT)
    path.write_text(f"#!/bin/sh\necho '{line}'\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return str(path)


def _main(data_dir, *args, lang="en"):
    return subprocess.run(
        [sys.executable, "main.py", "--lang", lang, "smoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "RIGPILOT_NO_BOOTSTRAP": "1",
            "RIGPILOT_DATA_DIR": str(data_dir),
        },
    )


def test_cli_run_is_recorded_and_listed(tmp_path, fake_python):
    data = tmp_path / "data"
    first = _main(data, "--python", fake_python, "--device", "musa:0", "--steps", "3")
    assert first.returncode == 0, first.stderr
    assert "Verdict: PASS" in first.stdout
    second = _main(data, "--python", fake_python, "--json", "--dtype", "fp16")
    assert second.returncode == 0 and json.loads(second.stdout)["verdict"] == "pass"

    runs = json.loads((data / history.FILE).read_text(encoding="utf-8"))
    assert [r["device"] for r in runs] == ["musa:0", "musa:0"]
    assert runs[0]["requested"] == {
        "python": fake_python,
        "device": "musa:0",
        "dtype": "auto",
        "steps": 3,
        "resolution": None,
    }
    assert runs[1]["requested"]["dtype"] == "fp16" and runs[1]["steps_per_s"] == 12.5

    listed = _main(data, "--history", "--json")
    assert listed.returncode == 0, listed.stderr
    out = json.loads(listed.stdout)
    assert out["schema"] == "rigpilot.smoke-history/1" and out["damaged"] is None
    assert out["runs"] == runs

    text = _main(data, "--history")
    assert text.returncode == 0
    lines = text.stdout.splitlines()
    assert lines[0].startswith("Smoke-test history: 2 run(s), newest last, in ")
    assert "  PASS  musa:0 (fp16) · 12.50 steps/s · PSNR 48.2 dB · /envs/comfy/bin/python" in lines[1]


def test_history_text_is_translated_and_empty_history_says_so(tmp_path, fake_python):
    data = tmp_path / "data"
    empty = _main(data, "--history")
    assert empty.returncode == 0 and "No smoke test recorded yet" in empty.stdout
    assert not (data / history.FILE).exists()
    _main(data, "--python", fake_python)
    zh = _main(data, "--history", lang="zh_CN")
    assert "冒烟测试历史" in zh.stdout and "通过" in zh.stdout and "步/秒" in zh.stdout


def test_damaged_history_is_kept_aside_and_a_new_one_starts(tmp_path, fake_python):
    data = tmp_path / "data"
    data.mkdir()
    (data / history.FILE).write_text("{not json", encoding="utf-8")
    listed = _main(data, "--history", "--json")
    assert listed.returncode == 0
    out = json.loads(listed.stdout)
    assert out["runs"] == [] and out["damaged"]
    assert "was damaged" in listed.stderr and out["damaged"] in listed.stderr
    aside = list(data.glob(history.FILE + ".damaged-*"))
    assert [str(p) for p in aside] == [out["damaged"]]
    assert aside[0].read_text(encoding="utf-8") == "{not json"  # never lost

    (data / history.FILE).write_text("[oops", encoding="utf-8")
    run = _main(data, "--python", fake_python)
    assert run.returncode == 0
    assert len(json.loads((data / history.FILE).read_text(encoding="utf-8"))) == 1
    kept = sorted(p.read_text(encoding="utf-8") for p in data.glob(history.FILE + ".damaged-*"))
    assert kept == ["[oops", "{not json"]  # both kept, even when damaged within the same second


def test_unwritable_history_is_reported_and_the_verdict_stands(tmp_path, fake_python):
    data = tmp_path / "data-is-a-file"
    data.write_text("", encoding="utf-8")
    run = _main(data, "--python", fake_python)
    assert run.returncode == 0 and "Verdict: PASS" in run.stdout
    assert "Could not save the history" in run.stderr and "Traceback" not in run.stderr


def test_append_keeps_runs_written_meanwhile_and_the_limit(tmp_path, monkeypatch):
    path = history.default_path(tmp_path)
    assert path == tmp_path / history.FILE
    history.save(path, [{"when": "earlier", "device": "cpu"}])
    runs = history.append(path, history.record(RESULT, {"device": "musa:0"}, when="now"))
    assert [r["when"] for r in runs] == ["earlier", "now"]
    monkeypatch.setattr(history, "LIMIT", 3)
    for i in range(5):
        runs = history.append(path, {"when": str(i)})
    assert [r["when"] for r in runs] == ["2", "3", "4"] == [r["when"] for r in history.load(path)]


def test_record_falls_back_to_the_requested_device(tmp_path):
    entry = history.record({"verdict": "fail", "device": None}, {"device": "cuda:9"}, when="t")
    assert entry["device"] == "cuda:9" and entry["requested"] == {"device": "cuda:9"}
    assert set(history.RESULT_KEYS) <= set(entry)


def test_cancelled_runs_are_not_recorded(tmp_path, monkeypatch):
    from app.commands import smoke

    monkeypatch.setenv("RIGPILOT_DATA_DIR", str(tmp_path))
    smoke.record({"verdict": "cancelled"}, {})
    smoke.record({}, {})
    assert not (tmp_path / history.FILE).exists()
