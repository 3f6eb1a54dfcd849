"""Every user-facing core string has a zh_CN translation with the same {placeholders}.

Scans the source for ``Text("ctx", "literal")``, ``tr("ctx", "literal")`` and
``define(code, severity, message, hint)`` and checks them against the .ts catalogs.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from probes.core import i18n

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "probes", "profiles", "installers")


def _literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):  # "a " "b" is one Constant already
        left, right = _literal(node.left), _literal(node.right)
        return left + right if left is not None and right is not None else None
    return None


def _strings():
    found = []
    files = [ROOT / "main.py", *(p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py")))]
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            rel = path.relative_to(ROOT)
            if name in ("Text", "tr") and len(node.args) >= 2:
                ctx, src = _literal(node.args[0]), _literal(node.args[1])
                if ctx is not None and src is not None:
                    found.append((str(rel), node.lineno, ctx, src))
            elif name == "define" and len(node.args) >= 4:
                for arg in node.args[2:4]:
                    src = _literal(arg)
                    if src:
                        found.append((str(rel), node.lineno, "problems", src))
    return found


STRINGS = _strings()


def _fields(text: str) -> set:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_scanner_finds_the_core_strings():
    contexts = {ctx for _, _, ctx, _ in STRINGS}
    assert {"problems", "cli", "errors"} <= contexts


def test_every_core_string_has_a_chinese_translation():
    cat = i18n.catalog("zh_CN")
    missing = [f"{f}:{line} [{ctx}] {src!r}" for f, line, ctx, src in STRINGS if (ctx, src) not in cat]
    assert not missing, "missing zh_CN translations:\n" + "\n".join(missing)


def test_translations_keep_the_placeholders():
    cat = i18n.catalog("zh_CN")
    bad = [
        f"[{ctx}] {src!r} -> {cat[(ctx, src)]!r}"
        for _, _, ctx, src in STRINGS
        if (ctx, src) in cat and _fields(cat[(ctx, src)]) != _fields(src)
    ]
    assert not bad, "placeholders differ:\n" + "\n".join(bad)


@pytest.mark.parametrize("path", sorted((ROOT / "assets" / "i18n").glob("*.ts")), ids=lambda p: p.name)
def test_ts_files_are_well_formed_and_chinese(path):
    entries = i18n.parse_ts(path)
    assert entries, f"{path.name} has no finished translations"
    assert re.search(r"_zh_CN\.ts$", path.name)
    han = sum(1 for t in entries.values() if re.search(r"[\u4e00-\u9fff]", t))
    assert han >= 0.5 * len(entries), f"{path.name}: most translations are not Chinese"


def test_text_renders_in_the_current_language():
    t = i18n.Text("problems", "No graphics card was found on the PCI bus.")
    assert t.render("en") == "No graphics card was found on the PCI bus."
    zh = t.render("zh_CN")
    assert zh != t.source and re.search(r"[\u4e00-\u9fff]", zh)


def test_language_normalisation():
    assert i18n.normalize_language("zh_CN.UTF-8") == "zh_CN"
    assert i18n.normalize_language("zh-TW") == "zh_CN"
    assert i18n.normalize_language("en_US.UTF-8") == "en"
    assert i18n.normalize_language("") == "en"


def test_each_message_is_translated_in_one_file_only():
    """Two .ts files translating the same (context, source) would disagree sooner or later."""
    owner: dict = {}
    clashes = []
    for path in sorted((ROOT / "assets" / "i18n").glob("*_zh_CN.ts")):
        for key in i18n.parse_ts(path):
            if key in owner:
                clashes.append(f"{key} in {owner[key]} and {path.name}")
            owner.setdefault(key, path.name)
    assert not clashes, "\n".join(clashes)
