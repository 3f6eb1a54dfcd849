"""The main window: the six steps in a sidebar, one stacked page per step, a status bar.

A step whose page module (``app/gui/pages/<step>.py``) does not exist yet shows a plain
"planned" page saying what the step will do; a page module that fails to import shows its error
instead of taking the whole window down.
"""

from __future__ import annotations

import importlib
import logging

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.i18n import LANGUAGE_NAMES
from app.gui.pages import STEPS
from app.gui.widgets import STYLESHEET, wrapped
from app.version import VERSION
from probes.core import i18n as core_i18n

log = logging.getLogger(__name__)


def _t(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def step_title(step: str) -> str:
    titles = {
        "detect": QCoreApplication.translate("Steps", "Detect"),
        "match": QCoreApplication.translate("Steps", "Match"),
        "install": QCoreApplication.translate("Steps", "Install"),
        "launch": QCoreApplication.translate("Steps", "Launch"),
        "verify": QCoreApplication.translate("Steps", "Verify"),
        "monitor": QCoreApplication.translate("Steps", "Monitor"),
    }
    return titles.get(step, step)


def step_plan(step: str) -> str:
    """What a step will do, in plain words (shown while its page is not built yet)."""
    plans = {
        "detect": QCoreApplication.translate(
            "Steps",
            "Detect will list the graphics cards in this machine, their drivers and tools, and the "
            "Python and torch builds it finds, with a hint for every problem.",
        ),
        "match": QCoreApplication.translate(
            "Steps",
            "Match will choose the setup profile that fits your card, driver and operating system, "
            "and show where its advice comes from and how sure it is.",
        ),
        "install": QCoreApplication.translate(
            "Steps",
            "Install will create a separate Python environment with the exact torch and toolkit "
            "packages of the chosen profile, without touching your other Python installations.",
        ),
        "launch": QCoreApplication.translate(
            "Steps",
            "Launch will write start scripts for ComfyUI and similar apps, with the memory and "
            "precision settings that suit your card.",
        ),
        "verify": QCoreApplication.translate(
            "Steps",
            "Verify will run a short built-in image generation test on your card and compare the "
            "result and speed with the CPU.",
        ),
        "monitor": QCoreApplication.translate(
            "Steps",
            "Monitor will show live temperature, memory, power and load of your card while it "
            "renders, and warn you when it runs too hot.",
        ),
    }
    return plans.get(step, "")


class PlannedPage(QWidget):
    """Shown for a step whose page does not exist yet: says plainly what it will do. No fake content."""

    def __init__(self, step: str, parent=None):
        super().__init__(parent)
        self.step = step
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 24)
        self.title = QLabel(objectName="pageTitle")
        self.tag = QLabel(objectName="plannedTag")
        self.tag.setSizePolicy(
            self.tag.sizePolicy().horizontalPolicy(), self.tag.sizePolicy().verticalPolicy()
        )
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.tag)
        head.addStretch(1)
        lay.addLayout(head)
        self.body = wrapped(object_name="pageSubtitle")
        self.note = wrapped(object_name="hint")
        lay.addWidget(self.body)
        lay.addWidget(self.note)
        lay.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(step_title(self.step))
        self.tag.setText(QCoreApplication.translate("PlannedPage", "Planned"))
        self.body.setText(step_plan(self.step))
        self.note.setText(
            QCoreApplication.translate(
                "PlannedPage",
                "This step is not available in this version yet. Nothing on this page is "
                "done for you until it is.",
            )
        )

    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


class BrokenPage(QWidget):
    """Shown when a page module exists but fails to import or build: the error, not a crash."""

    def __init__(self, step: str, exc: BaseException, parent=None):
        super().__init__(parent)
        self.step = step
        self.exc = exc
        lay = QVBoxLayout(self)
        lay.setContentsMargins(28, 24, 28, 24)
        self.title = QLabel(objectName="pageTitle")
        self.body = wrapped(selectable=True)
        self.code = QLabel("gui-page-failed", objectName="code")
        lay.addWidget(self.title)
        lay.addWidget(self.body)
        lay.addWidget(self.code)
        lay.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(step_title(self.step))
        self.body.setText(
            QCoreApplication.translate(
                "PlannedPage",
                "This page could not be opened: {error}. The other steps still work; please "
                "report this with 'python main.py report' attached.",
            ).format(error=f"{type(self.exc).__name__}: {self.exc}")
        )

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def page_class(module, step: str) -> type:
    """``<Step>Page`` of a page module (``DetectPage`` in ``pages/detect.py``, ``MonitorPage`` in the
    ``pages/monitor/`` package)."""
    return getattr(module, f"{step.capitalize()}Page")


def load_page(step: str, ctx, parent=None) -> QWidget:
    """The page of ``step``: its module's page class, a PlannedPage if missing, a BrokenPage if it fails."""
    name = f"app.gui.pages.{step}"
    try:
        mod = importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name == name:
            return PlannedPage(step, parent)
        log.exception("page %s failed to import", step)
        return BrokenPage(step, exc, parent)
    except Exception as exc:
        log.exception("page %s failed to import", step)
        return BrokenPage(step, exc, parent)
    try:
        return page_class(mod, step)(ctx, parent)
    except Exception as exc:
        log.exception("page %s failed to build", step)
        return BrokenPage(step, exc, parent)


class MainWindow(QMainWindow):
    def __init__(self, ctx, translations=None, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.translations = translations
        self.setStyleSheet(STYLESHEET)
        self.resize(1180, 780)
        self._closed = False
        self._fallback_job = None
        self._saved_from: str | None = None

        central = QWidget(objectName="centralArea")
        root = QHBoxLayout(central)
        root.setContentsMargins(0, 0, 0, 0)
        root.setSpacing(0)

        sidebar = QWidget(objectName="sidebar")
        sidebar.setFixedWidth(200)
        side = QVBoxLayout(sidebar)
        side.setContentsMargins(0, 0, 0, 12)
        side.setSpacing(0)
        side.addWidget(QLabel("RigPilot", objectName="appTitle"))
        self.subtitle = wrapped(object_name="appSubtitle")
        side.addWidget(self.subtitle)
        self.step_list = QListWidget(objectName="stepList")
        for step in STEPS:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, step)
            self.step_list.addItem(item)
        side.addWidget(self.step_list, 1)
        lang_box = QVBoxLayout()
        lang_box.setContentsMargins(14, 0, 14, 0)
        self.lang_label = QLabel(objectName="sidebarLabel")
        self.lang_combo = QComboBox()
        for code, name in LANGUAGE_NAMES.items():
            if translations is not None and code != "en" and not translations.renderable(code):
                name = _t("Chinese (needs a Chinese font)") if code.startswith("zh") else code
            self.lang_combo.addItem(name, code)
        lang_box.addWidget(self.lang_label)
        lang_box.addWidget(self.lang_combo)
        side.addLayout(lang_box)
        root.addWidget(sidebar)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.sim_banner = QLabel(objectName="simBanner")
        self.sim_banner.setVisible(bool(ctx.simulate))
        right.addWidget(self.sim_banner)
        self.font_banner = wrapped(selectable=True, object_name="noticeBanner")
        self.font_banner.setVisible(False)
        self._install_font: str | None = None
        right.addWidget(self.font_banner)
        self.stack = QStackedWidget()
        right.addWidget(self.stack, 1)
        root.addLayout(right, 1)
        self.setCentralWidget(central)

        self.pages: dict[str, QWidget] = {}
        for step in STEPS:
            page = load_page(step, ctx, self)
            self.pages[step] = page
            # a page wider than the window scrolls instead of forcing the window wider
            holder = QScrollArea()
            holder.setWidgetResizable(True)
            holder.setFrameShape(QFrame.NoFrame)
            holder.setWidget(page)
            self.stack.addWidget(holder)

        self.step_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.step_list.setCurrentRow(0)
        self.lang_combo.setCurrentIndex(max(0, self.lang_combo.findData(core_i18n.language())))
        self.lang_combo.currentIndexChanged.connect(
            lambda _i: self.set_language(self.lang_combo.currentData())
        )
        ctx.status_message.connect(lambda msg: self.statusBar().showMessage(msg, 8000))
        ctx.probe_changed.connect(self._on_probe)
        self._summary = QLabel()
        self.statusBar().addPermanentWidget(self._summary)
        self.retranslate()

    # -- steps ------------------------------------------------------------------------------
    def show_step(self, step: str) -> None:
        self.step_list.setCurrentRow(STEPS.index(step))

    def current_step(self) -> str:
        return STEPS[self.stack.currentIndex()]

    def start_probe(self):
        """Probe through the Detect page (with its progress bar) or directly when it is missing."""
        page = self.pages.get("detect")
        if hasattr(page, "rescan"):
            return page.rescan()
        from probes.detect.engine import probe

        host = self.ctx.host

        def finished(value=None):
            self._fallback_job = None

        self._fallback_job = self.ctx.run_in_worker(
            lambda progress: probe(host),
            on_done=lambda r: (finished(), self.ctx.set_probe_result(r)),
            on_error=finished,
        )
        return self._fallback_job

    def probing(self) -> bool:
        """True while a probe started by :meth:`start_probe` is running."""
        page = self.pages.get("detect")
        if hasattr(page, "rescan"):
            return bool(page.busy)
        return self._fallback_job is not None

    def show_saved_result(self, result, path) -> None:
        """Show a saved probe result (``--probe-json``) under a banner that says it is not this machine."""
        self._saved_from = str(path)
        self.sim_banner.setVisible(True)
        self.retranslate()
        self.ctx.set_probe_result(result)

    # -- language ---------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if self.translations is not None:
            lang = self.translations.switch(lang)
        else:
            lang = core_i18n.set_language(lang)
        idx = self.lang_combo.findData(lang)
        if idx >= 0 and idx != self.lang_combo.currentIndex():
            self.lang_combo.blockSignals(True)
            self.lang_combo.setCurrentIndex(idx)
            self.lang_combo.blockSignals(False)
        self.retranslate()
        self.ctx.language_changed.emit(lang)
        if getattr(self.translations, "font_missing", None):
            return  # English only for want of a font: the choice stays for when one is installed
        from app import settings

        settings.update(self.ctx.data_dir, "app", {"language": lang})  # the next start opens in it

    def retranslate(self) -> None:
        self.setWindowTitle(
            _t("RigPilot — GPU setup for local image generation")
            + f" · {VERSION}"
            + (f" [{_t('SIMULATED')}]" if self.ctx.simulate else "")
        )
        self.subtitle.setText(_t("GPU setup assistant"))
        self.lang_label.setText(_t("Language"))
        for row, step in enumerate(STEPS):
            self.step_list.item(row).setText(f"{row + 1}   {step_title(step)}")
        if self.ctx.simulate:
            self.sim_banner.setText(
                _t("SIMULATED rig '{name}': everything shown is a recording, not this machine.").format(
                    name=self.ctx.simulate
                )
            )
        elif self._saved_from:
            self.sim_banner.setText(
                _t("Saved probe result from {path}: not a live scan of this machine.").format(
                    path=self._saved_from
                )
            )
        self._update_font_banner()
        self._on_probe(self.ctx.probe_result)

    def _update_font_banner(self) -> None:
        """Say (in English: nothing else can be drawn) why the chosen Chinese interface is English."""
        missing = getattr(self.translations, "font_missing", None)
        self.font_banner.setVisible(bool(missing))
        if not missing:
            return
        if self._install_font is None:
            from app.gui import fonts

            self._install_font = fonts.install_command(fonts.read_os_release())
        self.font_banner.setText(
            _t(
                "Chinese cannot be shown: no installed font has its characters, so RigPilot "
                "is in English. Install a Chinese font ({command}), then restart RigPilot "
                "or choose Chinese again under Language."
            ).format(command=self._install_font)
        )

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def _on_probe(self, result) -> None:
        if result is None:
            self._summary.setText(_t("Not scanned yet"))
            return
        errors = sum(1 for p in result.problems if p.severity == "error")
        warnings = sum(1 for p in result.problems if p.severity == "warning")
        self._summary.setText(
            _t("{gpus} GPU(s) · {errors} error(s) · {warnings} warning(s)").format(
                gpus=len(result.gpus), errors=errors, warnings=warnings
            )
        )

    # -- shutdown ---------------------------------------------------------------------------
    def shutdown(self, wait_ms: int = 15000) -> None:
        """Stop every page's timers/threads and wait for running workers (idempotent)."""
        if self._closed:
            return
        self._closed = True
        for step, page in self.pages.items():
            stop = getattr(page, "shutdown", None)
            if callable(stop):
                try:
                    stop()
                except Exception:
                    log.exception("shutdown of page %s failed", step)
        self.ctx.wait_for_workers(wait_ms)

    def closeEvent(self, event):  # noqa: N802
        self.shutdown()
        super().closeEvent(event)
