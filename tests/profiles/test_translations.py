"""Every user-facing string of the match/launch area (code literals and profile texts) has a zh_CN
translation in assets/i18n/match_zh_CN.ts, with the same {placeholders}."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from probes.core.i18n import parse_ts, reload, tr
from tests.match_i18n_scan import strings

TS = Path(__file__).resolve().parents[2] / "assets" / "i18n" / "match_zh_CN.ts"


def test_every_string_is_translated_with_the_same_placeholders():
    catalog = parse_ts(TS)
    missing = sorted(s for s in strings() if s not in catalog)
    assert missing == []
    for (ctx, src), text in catalog.items():
        assert set(re.findall(r"{\w+}", src)) == set(re.findall(r"{\w+}", text)), (ctx, src)


def test_translation_is_used_by_the_core():
    reload()
    assert tr("match", "not covered", lang="zh_CN") == "未覆盖"
    assert "CPU" in tr(
        "profile-notes",
        "No GPU profile fits this machine: generation will run on the CPU and be very slow.",
        lang="zh_CN",
    )


def test_ts_compiles_for_qt(tmp_path):
    """The same lrelease the app uses (PySide6-Essentials ships it): the test venv always has it."""
    pytest.importorskip("PySide6")
    from app.gui.i18n import find_lrelease

    exe = find_lrelease()
    assert exe, "PySide6 is installed but its lrelease was not found"
    p = subprocess.run([*exe, str(TS), "-qm", str(tmp_path / "m.qm")], capture_output=True, timeout=60)
    assert p.returncode == 0 and (tmp_path / "m.qm").stat().st_size > 100, p.stderr
