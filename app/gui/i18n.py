"""GUI translations: the repo's ``assets/i18n/*_<lang>.ts`` compiled to .qm with Qt's lrelease.

The .ts files are the single source of translations (the core reads them with ElementTree,
probes/core/i18n.py). At start-up, and when the user switches language, every ``*_<lang>.ts`` is
compiled into a cache folder (``<data_dir>/i18n``) when its .qm is missing or older, and one
QTranslator per file is installed. PySide6-Essentials ships lrelease as ``PySide6/lrelease``
(the ``pyside6-lrelease`` script wraps it). Without lrelease the GUI stays English and says so
in the log, nothing else breaks.
"""

from __future__ import annotations

import logging
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from probes.core import i18n as core_i18n

log = logging.getLogger(__name__)

LANGUAGE_NAMES = {"en": "English", "zh_CN": "简体中文"}  # each in its own language, never translated


def find_lrelease() -> list[str] | None:
    """The argv prefix that runs lrelease, or None when it cannot be found."""
    try:
        import PySide6
    except ImportError:  # pragma: no cover - the GUI needs PySide6 anyway
        return None
    pkg = Path(PySide6.__file__).resolve().parent
    for name in ("lrelease", "lrelease.exe", "Qt/libexec/lrelease", "Qt/bin/lrelease"):
        exe = pkg / name
        if exe.is_file():
            return [str(exe)]
    bindir = Path(sys.executable).parent
    for name in ("pyside6-lrelease", "pyside6-lrelease.exe"):
        script = bindir / name
        if script.is_file():
            return [str(script)]
    found = shutil.which("pyside6-lrelease") or shutil.which("lrelease")
    return [found] if found else None


def ts_files(lang: str, i18n_dir: Path | None = None) -> list[Path]:
    folder = i18n_dir or core_i18n.I18N_DIR
    if lang == "en" or not folder.is_dir():
        return []
    return sorted(folder.glob(f"*_{lang}.ts"))


def compile_ts(ts: Path, qm: Path, lrelease: list[str], timeout_s: float = 30.0) -> bool:
    """Compile one .ts into ``qm``; False (and a log warning) when lrelease fails."""
    from probes.core.host import Host

    qm.parent.mkdir(parents=True, exist_ok=True)
    result = Host().run([*lrelease, "-silent", str(ts), "-qm", str(qm)], timeout_s=timeout_s)
    if not result.ok or not qm.is_file():
        log.warning(
            "lrelease failed for %s: %s %s",
            ts.name,
            result.error or result.rc,
            (result.stderr or result.stdout or result.detail or "").strip()[:300],
        )
        return False
    return True


def compile_all(
    lang: str, cache_dir: Path, *, i18n_dir: Path | None = None, lrelease: list[str] | None = None
) -> list[Path]:
    """The .qm files for ``lang``, compiling the stale ones. [] for English or without lrelease."""
    sources = ts_files(lang, i18n_dir)
    if not sources:
        return []
    tool = lrelease if lrelease is not None else find_lrelease()
    plan = []
    for ts in sources:
        prebuilt = ts.with_suffix(".qm")  # compiled at build time (the Linux bundle has no lrelease)
        if (
            prebuilt.is_file()
            and prebuilt.stat().st_size > 0
            and prebuilt.stat().st_mtime >= ts.stat().st_mtime
        ):
            plan.append((ts, prebuilt, True))
            continue
        qm = cache_dir / (ts.stem + ".qm")
        fresh = qm.is_file() and qm.stat().st_size > 0 and qm.stat().st_mtime >= ts.stat().st_mtime
        plan.append((ts, qm, fresh))
    stale = [(ts, qm) for ts, qm, fresh in plan if not fresh]
    ok = {}
    if stale and not tool:
        log.warning(
            "Qt's lrelease was not found next to PySide6; the interface stays in English "
            "(reinstall PySide6-Essentials to get it)"
        )
        return [qm for _ts, qm, fresh in plan if fresh]
    if stale:
        # one lrelease process per file (one QTranslator per area), a few at a time: first start stays quick
        with ThreadPoolExecutor(max_workers=min(4, len(stale)), thread_name_prefix="lrelease") as pool:
            for (ts, _qm), good in zip(
                stale, pool.map(lambda item: compile_ts(item[0], item[1], tool), stale), strict=True
            ):
                ok[ts] = good
    return [qm for ts, qm, fresh in plan if fresh or ok.get(ts)]


class Translations:
    """Owns the installed QTranslators and switches language at runtime."""

    def __init__(
        self,
        app: QCoreApplication,
        cache_dir: Path,
        *,
        i18n_dir: Path | None = None,
        lrelease: list[str] | None = None,
        can_render=None,
    ):
        self.app = app
        self.cache_dir = Path(cache_dir)
        self.i18n_dir = i18n_dir
        self.lrelease = lrelease
        self.language = "en"
        self._installed: list[QTranslator] = []
        self._can_render = can_render  # lang -> bool; default: app.gui.fonts.can_render
        self._renderable: dict[str, bool] = {}
        self.font_missing: str | None = None  # the language asked for that no installed font can draw

    def renderable(self, lang: str) -> bool:
        """Whether an installed font can draw ``lang``'s translations (checked once per language)."""
        lang = core_i18n.normalize_language(lang)
        if lang not in self._renderable:
            if self._can_render is not None:
                check = self._can_render
            else:
                from app.gui import fonts

                def check(code):
                    return fonts.can_render(code, i18n_dir=self.i18n_dir)

            self._renderable[lang] = bool(check(lang))
        return self._renderable[lang]

    def switch(self, lang: str) -> str:
        """Install the translators of ``lang`` (removing the previous ones); returns the language
        shown: English when no installed font can draw ``lang`` (``font_missing`` then says which)."""
        lang = core_i18n.normalize_language(lang)
        self.font_missing = None
        if lang != "en" and not self.renderable(lang):
            log.warning("no installed font can show %s; the interface stays in English", lang)
            self.font_missing, lang = lang, "en"
        for t in self._installed:
            self.app.removeTranslator(t)
        self._installed = []
        core_i18n.set_language(lang)
        self.language = lang
        if lang == "en":
            return lang
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        qtbase = QTranslator(self.app)
        if qtbase.load(f"qtbase_{lang}", qt_dir):  # Qt's own dialog buttons (OK, Cancel, Save)
            self.app.installTranslator(qtbase)
            self._installed.append(qtbase)
        for qm in compile_all(lang, self.cache_dir, i18n_dir=self.i18n_dir, lrelease=self.lrelease):
            tr = QTranslator(self.app)
            if tr.load(str(qm)):
                self.app.installTranslator(tr)
                self._installed.append(tr)
            else:
                log.warning("could not load the translation %s", qm)
        return lang

    @property
    def installed(self) -> int:
        return len(self._installed)
