"""Smoke asset integrity: the shipped model's SHA-256 is checked before use; any corruption is
``model-corrupt`` with both hashes (GGUF itself has no checksum: a flipped data byte loads silently)."""

from __future__ import annotations

import random
import shutil

import pytest

from probes.core.i18n import render
from probes.smoke.codes import explain
from probes.smoke.target import runner
from tests.smoke.conftest import MODEL


def test_the_shipped_model_matches_its_manifest():
    actual, expected = runner.check_model_file(MODEL)
    assert actual == expected == runner.read_manifest(runner.manifest_path(MODEL))


def _copy(tmp_path, data: bytes):
    path = tmp_path / MODEL.name
    path.write_bytes(data)
    shutil.copy(runner.manifest_path(MODEL), runner.manifest_path(path))
    return path


@pytest.mark.parametrize("how", ["flip-data-byte", "flip-header-byte", "truncate", "append", "shift"])
def test_any_corruption_is_model_corrupt_with_both_hashes(tmp_path, how):
    data = bytearray(MODEL.read_bytes())
    rng = random.Random(how)
    if how == "flip-data-byte":
        data[len(data) - 1000] ^= 0x01  # inside tensor data: GGUF would load it silently
    elif how == "flip-header-byte":
        data[rng.randrange(8, 200)] ^= 0x40
    elif how == "truncate":
        data = data[:-1]
    elif how == "append":
        data += b"\0"
    else:
        data = data[:100] + data[101:] + data[100:101]
    result = runner.run(device="cpu", model=str(_copy(tmp_path, bytes(data))), out=str(tmp_path))
    assert result["codes"] == ["model-corrupt"] and result["verdict"] == "fail"
    (p,) = result["problems"]
    assert p["expected"] == runner.read_manifest(runner.manifest_path(MODEL))
    assert p["actual"] == result["model_sha256"] != p["expected"]
    assert p["expected"] in p["detail"] and p["actual"] in p["detail"]
    message, hint = explain(
        p["code"], **{k: v for k, v in p.items() if k not in ("code", "severity", "detail")}
    )
    assert p["actual"] in render(message, "en") and p["expected"] in render(message, "zh_CN")
    assert "校验和" in render(message, "zh_CN")


@pytest.mark.needs_torch  # judging a model by its content loads it with torch
def test_a_user_model_without_a_manifest_is_hashed_and_recorded(tmp_path, damaged_models):
    result = runner.run(device="cpu", model=str(damaged_models["foreign"]), out=str(tmp_path))
    assert result["codes"] == ["model-corrupt"]  # judged by its content, as before
    assert len(result["model_sha256"]) == 64 and result["model_sha256_expected"] is None
    assert result["model_verified"] is False


def test_the_shipped_model_without_its_manifest_is_refused(tmp_path, monkeypatch):
    copy = tmp_path / MODEL.name
    copy.write_bytes(MODEL.read_bytes())
    monkeypatch.setattr(runner, "DEFAULT_MODEL", copy)  # "the shipped one", with no .sha256 next to it
    result = runner.run(device="cpu", out=str(tmp_path))
    assert result["codes"] == ["model-corrupt"] and "checksum file" in result["problems"][0]["detail"]
