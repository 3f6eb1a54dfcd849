"""Every user-facing string of the NVIDIA modules has a zh_CN translation (assets/i18n/nvidia_zh_CN.ts)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from probes.core import i18n
from probes.core.problems import CATALOG, problem
from probes.detect.sources import nvidia as nvidia_sources  # noqa: F401 - defines the codes

ROOT = Path(__file__).resolve().parents[3]
FILES = [
    "probes/detect/sources/nvidia.py",
    "probes/live/telemetry/nvidia.py",
    "probes/detect/nvml.py",
    "probes/detect/parsers/nvidia_smi.py",
]
MY_CODES = ["nvml-failed", "nvidia-gpu-lost"]


def literal_texts():
    found = []
    for rel in FILES:
        tree = ast.parse((ROOT / rel).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "id", None) in ("Text", "tr")
                and len(node.args) >= 2
                and all(isinstance(a, ast.Constant) for a in node.args[:2])
            ):
                found.append((node.args[0].value, node.args[1].value))
    return found


def test_there_are_strings_to_check():
    assert len(literal_texts()) >= 15


@pytest.mark.parametrize("ctx,source", literal_texts())
def test_text_has_zh_translation(ctx, source):
    assert (ctx, source) in i18n.catalog("zh_CN"), source


@pytest.mark.parametrize("code", MY_CODES)
def test_problem_codes_translated_and_render(code):
    spec = CATALOG[code]
    cat = i18n.catalog("zh_CN")
    assert ("problems", spec.message) in cat and ("problems", spec.hint) in cat
    p = problem(code, detail="x", index=1)
    assert "{" not in p.message.render("zh_CN") and "{" not in p.message.render("en")
