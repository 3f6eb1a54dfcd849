"""The preferences file: round trip, atomic writes, a damaged file kept aside, never a traceback."""

from __future__ import annotations

import json
import os

from app import settings


def test_round_trip_and_sections_merge(tmp_path):
    assert settings.load(tmp_path) == {}
    assert settings.update(tmp_path, "monitor", {"threshold_c": 80.0, "guard": True})
    assert settings.update(tmp_path, "app", {"language": "zh_CN"})
    assert settings.update(tmp_path, "monitor", {"guard": False})
    assert settings.load(tmp_path) == {
        "app": {"language": "zh_CN"},
        "monitor": {"threshold_c": 80.0, "guard": False},
    }
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]  # no temporary file left


def test_damaged_file_is_kept_aside_not_lost(tmp_path):
    (tmp_path / "settings.json").write_text("{not json", encoding="utf-8")
    assert settings.load(tmp_path) == {}
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("settings.json.damaged-")]
    assert len(aside) == 1 and aside[0].read_text(encoding="utf-8") == "{not json"
    (tmp_path / "settings.json").write_text("[1, 2]", encoding="utf-8")  # valid JSON, not an object
    assert settings.load(tmp_path) == {}


def test_unwritable_folder_reports_false(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert settings.save(blocker / "sub", {"a": 1}) is False
    assert settings.load(blocker / "sub") == {}


def test_a_failed_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    settings.save(tmp_path, {"monitor": {"guard": True}})

    def boom(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(json, "dump", boom)
    assert settings.save(tmp_path, {"monitor": {"guard": False}}) is False
    monkeypatch.undo()
    assert settings.load(tmp_path) == {"monitor": {"guard": True}}
    assert sorted(os.listdir(tmp_path)) == ["settings.json"]
