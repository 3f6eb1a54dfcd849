"""Can this machine draw the interface's Chinese? If no installed font has the characters, Qt draws
a box for each one (a Linux desktop without a CJK font), so the window stays in English and says
which package to install.

By hand: ``fc-list :lang=zh`` lists the fonts fontconfig thinks cover Chinese.

The check asks Qt's font database for the families that declare a CJK writing system and counts
how many of the characters the zh_CN translations actually use (every ``*_zh_CN.ts``) the best of
them covers (``QFontMetrics.inFontUcs4``). Both lookups are parameters, so tests do not depend on
the fonts of the machine they run on.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from probes.core import i18n as core_i18n

log = logging.getLogger(__name__)

# Languages whose translations need CJK glyphs that Latin fonts (DejaVu, Liberation...) lack.
CJK_LANGUAGES = ("zh_CN",)
# A font may lack a rare character or two; Qt then falls back per character. Past this share of
# missing characters the window is mostly boxes.
MAX_MISSING_SHARE = 0.02

# The CJK font package of each distribution family (os-release ID / ID_LIKE).
FONT_PACKAGES = (
    (("debian", "ubuntu"), "sudo apt install fonts-noto-cjk"),
    (("fedora", "rhel", "centos"), "sudo dnf install google-noto-sans-cjk-fonts"),
    (("arch",), "sudo pacman -S noto-fonts-cjk"),
)
ALL_PACKAGES = (
    "Debian/Ubuntu: sudo apt install fonts-noto-cjk · Fedora: sudo dnf install google-noto-sans-cjk-fonts · "
    "Arch: sudo pacman -S noto-fonts-cjk"
)


def _is_cjk(ch: str) -> bool:
    cp = ord(ch)
    return (
        (0x2E80 <= cp <= 0x9FFF)
        or (0xF900 <= cp <= 0xFAFF)
        or (0xFF00 <= cp <= 0xFFEF)
        or (0x20000 <= cp <= 0x2FA1F)
    )


def translation_chars(lang: str, i18n_dir: Path | None = None) -> set[str]:
    """The CJK characters the ``lang`` translations use."""
    folder = i18n_dir or core_i18n.I18N_DIR
    chars: set[str] = set()
    for ts in sorted(folder.glob(f"*_{lang}.ts")) if folder.is_dir() else []:
        try:
            texts = core_i18n.parse_ts(ts).values()
        except Exception:  # a broken .ts is reported where it is loaded
            continue
        for text in texts:
            chars.update(ch for ch in text if _is_cjk(ch))
    return chars


def qt_cjk_families() -> list[str]:
    """Installed families that declare a CJK writing system (needs a QGuiApplication)."""
    from PySide6.QtGui import QFontDatabase

    ws = QFontDatabase.WritingSystem
    out: list[str] = []
    for system in (ws.SimplifiedChinese, ws.TraditionalChinese, ws.Japanese, ws.Korean):
        for family in QFontDatabase.families(system):
            if family not in out:
                out.append(family)
    return out


def qt_covers(family: str, chars: Iterable[str]) -> set[str]:
    """The characters of ``chars`` that ``family`` has a glyph for."""
    from PySide6.QtGui import QFont, QFontMetrics

    metrics = QFontMetrics(QFont(family))
    return {ch for ch in chars if metrics.inFontUcs4(ord(ch))}


def missing_characters(
    chars: set[str], families: list[str], covers: Callable[[str, set[str]], set[str]]
) -> set[str]:
    """The characters the best-covering family lacks (all of them when there is no family)."""
    best = set(chars)
    for family in families:
        missing = chars - covers(family, chars)
        if len(missing) < len(best):
            best = missing
        if not best:
            break
    return best


def can_render(
    lang: str,
    *,
    families: Callable[[], list[str]] | None = None,
    covers: Callable[[str, set[str]], set[str]] | None = None,
    i18n_dir: Path | None = None,
) -> bool:
    """False when ``lang`` needs CJK glyphs and no installed font has (nearly) all of them."""
    if lang not in CJK_LANGUAGES:
        return True
    chars = translation_chars(lang, i18n_dir)
    if not chars:
        return True
    found = (families or qt_cjk_families)()
    missing = missing_characters(chars, found, covers or qt_covers)
    if len(missing) > MAX_MISSING_SHARE * len(chars):
        log.info(
            "no installed font covers the %s interface (%d of %d characters missing; CJK families: %s)",
            lang,
            len(missing),
            len(chars),
            ", ".join(found) or "none",
        )
        return False
    return True


def install_command(os_release: dict | None) -> str:
    """The command that installs a CJK font on this distribution (every family's when unknown)."""
    ids = " ".join(str((os_release or {}).get(k) or "") for k in ("ID", "ID_LIKE")).lower().split()
    for names, command in FONT_PACKAGES:
        if any(n in ids for n in names):
            return command
    return ALL_PACKAGES


def read_os_release(host=None) -> dict:
    """/etc/os-release of this machine (under RIGPILOT_ROOT); {} when unreadable."""
    from probes.core.host import Host
    from probes.detect.parsers.hostinfo import parse_os_release

    host = host or Host()
    text = host.read_text("/etc/os-release") or host.read_text("/usr/lib/os-release")
    return parse_os_release(text or "")
