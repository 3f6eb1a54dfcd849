"""Qt-free translations for the core.

One translation format for the whole app: Qt Linguist ``.ts`` files under ``assets/i18n``
(``<area>_<lang>.ts``). The GUI compiles them to ``.qm`` for ``QTranslator``; the core reads the
same XML here with the standard library, so probe problems, profile notes and CLI output are
translated without importing Qt.

``Text`` is a deferred translatable string: it renders in the language current at ``str()``
time, so the GUI can switch language at runtime and re-render core messages.
"""

from __future__ import annotations

import locale
import os
import threading
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ASSETS = Path(__file__).resolve().parents[2] / "assets"
I18N_DIR = ASSETS / "i18n"
LANGUAGES = ("en", "zh_CN")

_lock = threading.Lock()
_catalogs: dict[str, dict[tuple[str, str], str]] = {}
_language: str | None = None


def _detect_language() -> str:
    env = os.environ.get("RIGPILOT_LANG")
    if env:
        return normalize_language(env)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return normalize_language(value)
    try:
        loc = locale.getlocale()[0] or ""
    except ValueError:  # pragma: no cover - exotic locale strings
        loc = ""
    return normalize_language(loc)


def normalize_language(value: str) -> str:
    """'zh_CN.UTF-8', 'zh-CN', 'zh', 'Chinese (Simplified)_China' -> 'zh_CN'; anything else -> 'en'."""
    v = (value or "").strip().lower().replace("-", "_")
    if v.startswith(("zh", "chinese")):
        return "zh_CN"
    return "en"


def language() -> str:
    global _language
    if _language is None:
        _language = _detect_language()
    return _language


def set_language(lang: str) -> str:
    global _language
    _language = normalize_language(lang)
    return _language


def parse_ts(path: Path) -> dict[tuple[str, str], str]:
    """Read one Qt .ts file into {(context, source): translation}; unfinished/empty entries skipped."""
    out: dict[tuple[str, str], str] = {}
    tree = ET.parse(path)
    for ctx in tree.getroot().iter("context"):
        name = (ctx.findtext("name") or "").strip()
        for msg in ctx.iter("message"):
            source = msg.findtext("source")
            tr_el = msg.find("translation")
            if source is None or tr_el is None:
                continue
            if tr_el.get("type") in ("unfinished", "obsolete", "vanished"):
                continue
            text = tr_el.text or ""
            if text:
                out[(name, source)] = text
    return out


def catalog(lang: str) -> dict[tuple[str, str], str]:
    lang = normalize_language(lang)
    with _lock:
        if lang not in _catalogs:
            merged: dict[tuple[str, str], str] = {}
            if lang != "en" and I18N_DIR.is_dir():
                for path in sorted(I18N_DIR.glob(f"*_{lang}.ts")):
                    merged.update(parse_ts(path))
            _catalogs[lang] = merged
        return _catalogs[lang]


def reload() -> None:
    with _lock:
        _catalogs.clear()


def tr(context: str, source: str, /, lang: str | None = None, **kwargs: object) -> str:
    """Translate ``source`` in ``context`` and format it with ``kwargs`` (str.format)."""
    text = catalog(lang or language()).get((context, source), source)
    if kwargs:
        try:
            return text.format_map(_Missing(kwargs))
        except (IndexError, ValueError, AttributeError):
            try:
                return source.format_map(_Missing(kwargs))
            except (IndexError, ValueError, AttributeError):
                return source
    return text


class _Missing(dict):
    """format_map mapping that leaves unknown {placeholders} visible instead of raising."""

    def __missing__(self, key):
        return "{" + key + "}"


class Text:
    """A translatable string rendered lazily: ``str(Text(ctx, src, n=1))``."""

    __slots__ = ("context", "source", "kwargs")

    def __init__(self, context: str, source: str, /, **kwargs: object) -> None:
        self.context = context
        self.source = source
        self.kwargs = kwargs

    def render(self, lang: str | None = None) -> str:
        args = {k: (v.render(lang) if isinstance(v, Text) else v) for k, v in self.kwargs.items()}
        return tr(self.context, self.source, lang=lang, **args)

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"Text({self.context!r}, {self.source!r}, **{self.kwargs!r})"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Text):
            return (self.context, self.source, self.kwargs) == (other.context, other.source, other.kwargs)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.context, self.source))


def render(value: object, lang: str | None = None) -> Any:  # a Text rendered, anything else as given
    """str() for Text/None-aware values."""
    if value is None:
        return None
    if isinstance(value, Text):
        return value.render(lang)
    return str(value)
