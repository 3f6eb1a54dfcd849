"""The Detect page: a card per GPU, the problems with hints, the Python/torch runtimes found.

Probing runs on the context's worker pool (ctx.run_in_worker); the engine's ``on_event`` callback
feeds the progress bar through a queued signal, so the window stays responsive. The page renders
whatever ``ctx.probe_changed`` delivers, so results set elsewhere (tests, start-up) show the same.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from app.gui.widgets import VENDOR_LABELS, svg_pixmap, vendor_icon_name, wrapped
from probes.core.errors import RigPilotError
from probes.core.i18n import render

log = logging.getLogger(__name__)

STEP = "detect"
CTX = "DetectPage"


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def _gib(n) -> str:
    return _t("unknown") if n is None else f"{n / 2**30:.1f} GiB"


def _clear(layout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.setParent(None)
            w.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())


def _card() -> QFrame:
    frame = QFrame(objectName="card")
    frame.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return frame


class GpuCard(QFrame):
    """One physical GPU: logo, name, driver and tool, VRAM, compute, PCI ids, sources."""

    def __init__(self, gpu, problems=(), parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.gpu = gpu
        g = gpu
        lay = QGridLayout(self)
        lay.setContentsMargins(14, 12, 14, 12)
        lay.setHorizontalSpacing(12)
        lay.setVerticalSpacing(5)
        logo = QLabel()
        logo.setPixmap(svg_pixmap(vendor_icon_name(g.vendor), 48, self.devicePixelRatioF() or 1.0))
        logo.setFixedSize(52, 52)
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        lay.addWidget(logo, 0, 0, 2, 1)
        self.title = wrapped(g.name or _t("Unknown graphics card"), selectable=True, object_name="cardTitle")
        lay.addWidget(self.title, 0, 1, 1, 2)
        vendor = VENDOR_LABELS.get(g.vendor or "other", g.vendor or "?")
        meta = f"GPU {g.index} · {vendor}" if g.index is not None else vendor
        lay.addWidget(wrapped(meta, object_name="cardMeta"), 1, 1, 1, 2)

        d = g.driver
        if d.version:
            driver = d.version
            if d.loaded is False:
                driver += " — " + _t("not loaded")
        elif d.loaded is False or not d.tool:
            driver = _t("not installed")
        else:
            driver = _t("unknown")
        tool = " ".join(x for x in (d.tool, d.tool_version) if x) or _t("none found")
        c = g.compute
        compute = (c.api or _t("unknown")).upper() if c.api != "none" else _t("none")
        detail = [
            x
            for x in (
                _t("capability {value}").format(value=c.capability) if c.capability else None,
                c.gfx,
                c.arch,
                _t("driver supports CUDA up to {value}").format(value=c.max_cuda) if c.max_cuda else None,
            )
            if x
        ]
        if detail:
            compute += " · " + " · ".join(detail)
        pci = f"{g.pci.vendor_id or '????'}:{g.pci.device_id or '????'}"
        if g.pci.bus_id:
            pci += " " + _t("at {bus}").format(bus=g.pci.bus_id)
        rows = [
            ("Driver", _t("Driver"), driver, d.version is None),
            ("Tool", _t("Tool"), tool, False),
            ("VRAM", _t("VRAM"), _gib(g.memory_total_bytes), False),
            ("Compute", _t("Compute"), compute, False),
            ("PCI", _t("PCI"), pci, False),
            ("Sources", _t("Sources"), ", ".join(g.sources) or "—", False),
        ]
        self.values: dict[str, QLabel] = {}  # keyed by the English field name, whatever the language
        for i, (key, name, value, bad) in enumerate(rows, start=2):
            lay.addWidget(QLabel(name, objectName="fieldName"), i, 1, Qt.AlignmentFlag.AlignTop)
            val = wrapped(value, selectable=True, object_name="badgeBad" if bad else None)
            lay.addWidget(val, i, 2)
            self.values[key] = val
        if problems:
            n = len(problems)
            worst = "error" if any(p.severity == "error" for p in problems) else "warning"
            note = wrapped(
                _t("{n} problem(s) below concern this card").format(n=n),
                object_name="badgeBad" if worst == "error" else "cardMeta",
            )
            lay.addWidget(note, len(rows) + 2, 1, 1, 2)
        lay.setColumnStretch(2, 1)


def display_kind_text(kind: str | None) -> str:
    if kind == "virtual":
        return _t("Virtual machine display")
    if kind == "server-management":
        return _t("Server management controller display")
    return _t("Display adapter")


class DisplayAdapterCard(QFrame):
    """A display-only adapter (a VM's virtual display, a server's BMC VGA): shown, never as a GPU."""

    def __init__(self, adapter, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.adapter = a = adapter
        lay = QGridLayout(self)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.setHorizontalSpacing(12)
        lay.setVerticalSpacing(4)
        self.title = wrapped(
            a.name or _t("Unknown display adapter"), selectable=True, object_name="cardTitle"
        )
        lay.addWidget(self.title, 0, 0, 1, 2)
        self.kind = wrapped(
            _t("{kind} · shows the desktop, cannot run generation").format(kind=display_kind_text(a.kind)),
            object_name="cardMeta",
        )
        lay.addWidget(self.kind, 1, 0, 1, 2)
        pci = f"{a.pci.vendor_id or '????'}:{a.pci.device_id or '????'}"
        if a.pci.bus_id:
            pci += " " + _t("at {bus}").format(bus=a.pci.bus_id)
        driver = a.driver.module or a.driver.version or _t("none")
        for i, (name, value) in enumerate(((_t("PCI"), pci), (_t("Driver"), driver)), start=2):
            lay.addWidget(QLabel(name, objectName="fieldName"), i, 0, Qt.AlignmentFlag.AlignTop)
            lay.addWidget(wrapped(value, selectable=True), i, 1)
        lay.setColumnStretch(1, 1)


class ProblemRow(QFrame):
    """Severity icon, message, hint and code."""

    def __init__(self, p, parent=None):
        super().__init__(parent)
        self.setObjectName("card")
        self.problem = p
        lay = QGridLayout(self)
        lay.setContentsMargins(12, 10, 12, 10)
        lay.setHorizontalSpacing(10)
        lay.setVerticalSpacing(3)
        icon = QLabel()
        sev = p.severity if p.severity in ("error", "warning", "info") else "warning"
        icon.setPixmap(svg_pixmap(f"severity-{sev}", 22, self.devicePixelRatioF() or 1.0))
        icon.setFixedSize(24, 24)
        icon.setToolTip({"error": _t("Error"), "warning": _t("Warning"), "info": _t("Information")}[sev])
        lay.addWidget(icon, 0, 0, 2, 1, Qt.AlignmentFlag.AlignTop)
        self.message = wrapped(render(p.message) or "", selectable=True)
        self.message.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.message, 0, 1)
        code = p.code + (f" · GPU {p.gpu}" if p.gpu is not None else "")
        self.code = QLabel(code, objectName="code")
        self.code.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        lay.addWidget(self.code, 0, 2, Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignRight)
        self.hint = None
        if p.hint:
            self.hint = wrapped(
                _t("Hint: {hint}").format(hint=render(p.hint)), selectable=True, object_name="hint"
            )
            lay.addWidget(self.hint, 1, 1, 1, 2)
        lay.setColumnStretch(1, 1)


class Page(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._job = None
        self._error: BaseException | None = None
        self._closed = False

        outer = QVBoxLayout(self)
        outer.setContentsMargins(24, 18, 24, 10)
        outer.setSpacing(10)
        head = QHBoxLayout()
        titles = QVBoxLayout()
        self.title = QLabel(objectName="pageTitle")
        self.subtitle = wrapped(object_name="pageSubtitle")
        titles.addWidget(self.title)
        titles.addWidget(self.subtitle)
        head.addLayout(titles, 1)
        self.rescan_button = QPushButton()
        self.copy_button = QPushButton()
        self.save_button = QPushButton()
        self.python_button = QPushButton()
        for b in (self.rescan_button, self.python_button, self.copy_button, self.save_button):
            b.setMinimumHeight(30)
            head.addWidget(b, 0, Qt.AlignmentFlag.AlignTop)
        outer.addLayout(head)
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.progress.setVisible(False)
        outer.addWidget(self.progress)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.content = QWidget(objectName="centralArea")
        self.body = QVBoxLayout(self.content)
        self.body.setContentsMargins(0, 0, 8, 0)
        self.body.setSpacing(8)
        self.scroll.setWidget(self.content)
        outer.addWidget(self.scroll, 1)

        self.rescan_button.clicked.connect(self.rescan)
        self.copy_button.clicked.connect(self.copy_report)
        self.save_button.clicked.connect(self._save_clicked)
        self.python_button.clicked.connect(self._python_clicked)
        ctx.probe_changed.connect(self._on_result)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.gpu_cards: list[GpuCard] = []
        self.display_cards: list[DisplayAdapterCard] = []
        self.problem_rows: list[ProblemRow] = []
        self.retranslate()

    # -- probing ----------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._job is not None

    def rescan(self):
        """Probe the context's host in a worker; returns the job's signals (done/failed/progress)."""
        if self._job is not None:
            return self._job
        host = self.ctx.host
        pythons = list(getattr(self.ctx, "pythons", []) or [])

        def job(progress):  # imports here: the first import of every source module is off the GUI thread
            from probes.detect.engine import probe
            from probes.detect.sources import ProbeContext

            return probe(
                host,
                ProbeContext(pythons=pythons),
                on_event=lambda event, source, done, total: progress((event, source, done, total)),
            )

        self._error = None
        self.progress.setRange(0, 0)
        self.progress.setFormat(_t("Scanning…"))
        self.progress.setVisible(True)
        self.rescan_button.setEnabled(False)
        self.ctx.status_message.emit(_t("Scanning this machine…"))
        self._job = self.ctx.run_in_worker(
            job, on_done=self._on_done, on_error=self._on_error, on_progress=self._on_progress
        )
        if self.ctx.probe_result is None:
            self._render()
        return self._job

    def inspect_python(self, path: str):
        """Add an interpreter whose torch build every later scan inspects, then re-scan."""
        pythons = list(getattr(self.ctx, "pythons", []) or [])
        if path and path not in pythons:
            pythons.append(path)
        self.ctx.pythons = pythons
        return self.rescan()

    def _python_clicked(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        path, _filter = QFileDialog.getOpenFileName(
            self,
            _t("Choose the Python interpreter of an environment"),
            "",
            _t("Python interpreter (python*);;All files (*)"),
        )
        if path:
            self.inspect_python(path)

    def _on_progress(self, value) -> None:
        if self._closed:
            return
        event, source, done, total = value
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(done)
        self.progress.setFormat(
            _t("Scanning… {done}/{total} ({source})").format(done=done, total=total, source=source)
        )

    def _finish(self) -> None:
        self._job = None
        if self._closed:
            return
        self.progress.setVisible(False)
        self.rescan_button.setEnabled(True)

    def _on_done(self, result) -> None:
        self._finish()
        if self._closed:
            return
        self.ctx.set_probe_result(result)  # -> _on_result via probe_changed
        self.ctx.status_message.emit(_t("Scan finished"))

    def _on_error(self, exc) -> None:
        self._finish()
        if self._closed:
            return
        log.error("probe failed: %s", getattr(exc, "__rigpilot_tb__", exc))
        self._error = exc
        self._render()

    def _on_result(self, _result) -> None:
        self._error = None
        if not self._closed:
            self._render()

    # -- reports ----------------------------------------------------------------------------
    def report_text(self) -> str | None:
        if self.ctx.probe_result is None:
            return None
        from app.report import build_report

        return build_report(self.ctx.probe_result)

    def copy_report(self) -> bool:
        text = self.report_text()
        if text is None:
            return False
        QGuiApplication.clipboard().setText(text)
        self.ctx.status_message.emit(_t("Report copied to the clipboard (names and serials redacted)"))
        return True

    def save_report(self, path) -> Path:
        """Write the report to ``path`` (overwriting: the file dialog has asked). Raises RigPilotError."""
        from app.commands.report import write_report

        text = self.report_text()
        if text is None:
            raise RigPilotError(
                "report-no-scan",
                QCoreApplication.translate(CTX, "There is nothing to report yet."),
                QCoreApplication.translate(CTX, "Press Re-scan first."),
            )
        target = write_report(path, text, force=True)
        self.ctx.status_message.emit(_t("Report saved to {path}").format(path=str(target)))
        return target

    def _save_clicked(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, _t("Save report"), "rigpilot-report.md", _t("Markdown (*.md);;All files (*)")
        )
        if not path:
            return
        try:
            self.save_report(path)
        except RigPilotError as err:
            QMessageBox.warning(
                self, _t("Save report"), f"{render(err.message)}\n\n{render(err.hint) or ''}\n\n[{err.code}]"
            )

    # -- rendering --------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.title.setText(QCoreApplication.translate("Steps", "Detect"))
        self.rescan_button.setText(_t("Re-scan"))
        self.copy_button.setText(_t("Copy report"))
        self.save_button.setText(_t("Save report"))
        self.python_button.setText(_t("Inspect Python…"))
        self.python_button.setToolTip(
            _t(
                "Check the torch build of a Python environment (its interpreter), "
                "e.g. the venv ComfyUI runs in"
            )
        )
        self.rescan_button.setToolTip(_t("Look at this machine again (takes a few seconds)"))
        self.copy_button.setToolTip(
            _t("Copy a Markdown report for a bug report; names and serials are removed")
        )
        self._render()

    def changeEvent(self, event):  # noqa: N802
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    WIDE_PX = 820  # below this page width, GPU cards stack in one column

    def _columns(self, n_gpus: int) -> int:
        # the page's own width: the scroll viewport lags one resize behind while the window is shown
        return 2 if n_gpus > 1 and self.width() >= self.WIDE_PX else 1

    def resizeEvent(self, event):  # noqa: N802 - Qt override: reflow the cards when the width class changes
        super().resizeEvent(event)
        result = self.ctx.probe_result
        if (
            result is not None
            and self._error is None
            and result.gpus
            and self._columns(len(result.gpus)) != getattr(self, "_layout_cols", None)
        ):
            self._render()

    def _section(self, text: str) -> None:
        self.body.addWidget(QLabel(text, objectName="sectionTitle"))

    def _render(self) -> None:
        _clear(self.body)
        self.gpu_cards = []
        self.display_cards = []
        self.problem_rows = []
        result = self.ctx.probe_result
        has = result is not None
        self.copy_button.setEnabled(has)
        self.save_button.setEnabled(has)
        if self._error is not None:
            self._render_error(self._error)
        elif result is None:
            self._render_empty()
        else:
            self._render_result(result)
        self.body.addStretch(1)

    def _render_empty(self) -> None:
        self.subtitle.setText(
            _t("What is in this machine: graphics cards, drivers, tools, Python and torch.")
        )
        card = _card()
        lay = QVBoxLayout(card)
        lay.setContentsMargins(18, 16, 18, 16)
        if self.busy:
            lay.addWidget(QLabel(_t("Scanning this machine…"), objectName="emptyTitle"))
            lay.addWidget(
                wrapped(
                    _t(
                        "Reading the PCI bus, the drivers and the vendor tools. This takes a few "
                        "seconds; you can keep using the window."
                    ),
                    object_name="hint",
                )
            )
        else:
            lay.addWidget(QLabel(_t("No scan yet"), objectName="emptyTitle"))
            lay.addWidget(
                wrapped(
                    _t(
                        "Press Re-scan to look at the graphics cards, drivers and Python "
                        "environments of this machine. Nothing is changed."
                    ),
                    object_name="hint",
                )
            )
        self.body.addWidget(card)

    def _render_error(self, exc: BaseException) -> None:
        self.subtitle.setText(_t("The scan did not finish."))
        card = _card()
        lay = QGridLayout(card)
        lay.setContentsMargins(18, 16, 18, 16)
        icon = QLabel()
        icon.setPixmap(svg_pixmap("severity-error", 28, self.devicePixelRatioF() or 1.0))
        lay.addWidget(icon, 0, 0, 3, 1, Qt.AlignmentFlag.AlignTop)
        if isinstance(exc, RigPilotError):
            code, message, hint = exc.code, render(exc.message), render(exc.hint)
        else:
            code = "probe-crashed"
            message = _t("The scan stopped with an unexpected error: {error}").format(
                error=f"{type(exc).__name__}: {exc}"
            )
            hint = _t(
                "Press Re-scan to try again. If it happens again, run 'python main.py report' in a "
                "terminal and attach its output to a bug report."
            )
        lay.addWidget(QLabel(_t("Scan failed"), objectName="emptyTitle"), 0, 1)
        self.error_message = wrapped(message or "", selectable=True)
        lay.addWidget(self.error_message, 1, 1)
        if hint:
            lay.addWidget(
                wrapped(_t("Hint: {hint}").format(hint=hint), selectable=True, object_name="hint"), 2, 1
            )
        lay.addWidget(QLabel(code, objectName="code"), 3, 1)
        lay.setColumnStretch(1, 1)
        self.body.addWidget(card)

    def _render_result(self, result) -> None:
        errors = sum(1 for p in result.problems if p.severity == "error")
        warnings = sum(1 for p in result.problems if p.severity == "warning")
        total = result.timings.get("total") if result.timings else None
        summary = _t("{gpus} graphics card(s), {errors} error(s), {warnings} warning(s)").format(
            gpus=len(result.gpus), errors=errors, warnings=warnings
        )
        if total is not None:
            summary += " · " + _t("scanned in {seconds:.1f} s").format(seconds=total)
        self.subtitle.setText(summary)

        adapters = list(getattr(result, "display_adapters", None) or [])
        self._section(_t("Graphics cards"))
        if not result.gpus:
            card = _card()
            lay = QHBoxLayout(card)
            lay.setContentsMargins(16, 14, 16, 14)
            logo = QLabel()
            logo.setPixmap(svg_pixmap("vendor-other", 44, self.devicePixelRatioF() or 1.0))
            lay.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
            text = QVBoxLayout()
            text.addWidget(QLabel(_t("No graphics card found"), objectName="emptyTitle"))
            if adapters:
                explain = _t(
                    "Only a display adapter was found (below): it shows the desktop but cannot run "
                    "generation. Image generation would run on the CPU, which is very slow. See the "
                    "problems below for what to check."
                )
            else:
                explain = _t(
                    "Nothing that looks like a graphics card answered on the PCI bus or "
                    "through a vendor tool. Image generation would run on the CPU, which is "
                    "very slow. See the problems below for what to check."
                )
            text.addWidget(wrapped(explain, object_name="hint"))
            lay.addLayout(text, 1)
            self.body.addWidget(card)
        else:
            grid = QGridLayout()
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(10)
            cols = self._columns(len(result.gpus))
            self._layout_cols = cols
            for i, g in enumerate(result.gpus):
                card = GpuCard(g, [p for p in result.problems if p.gpu is not None and p.gpu == g.index])
                self.gpu_cards.append(card)
                grid.addWidget(card, i // cols, i % cols)
            for c in range(cols):
                grid.setColumnStretch(c, 1)
            self.body.addLayout(grid)

        self.display_cards = []
        if adapters:
            self._section(_t("Display adapters"))
            for a in adapters:
                card = DisplayAdapterCard(a)
                self.display_cards.append(card)
                self.body.addWidget(card)

        self._section(_t("Problems"))
        if not result.problems:
            self.body.addWidget(wrapped(_t("No problems found."), object_name="hint"))
        for p in result.problems:
            row = ProblemRow(p)
            self.problem_rows.append(row)
            self.body.addWidget(row)

        self._section(_t("Python and torch"))
        card = _card()
        lay = QVBoxLayout(card)
        lay.setContentsMargins(14, 10, 14, 10)
        lay.setSpacing(6)
        self.runtime_labels: list[QLabel] = []
        for r in result.runtimes:
            apis = ", ".join(k for k, v in sorted((r.apis or {}).items()) if v) or _t("none")
            head = _t("Python {version} at {path}").format(version=r.python_version or "?", path=r.python)
            if r.torch:
                detail = _t("torch {torch} · device APIs that work: {apis}").format(torch=r.torch, apis=apis)
            else:
                detail = _t("no torch installed")
            if r.devices:
                names = ", ".join(
                    (
                        f"{getattr(d, 'api', '?')}:{getattr(d, 'index', '?')} {getattr(d, 'name', '') or ''}"
                    ).strip()
                    for d in r.devices
                )
                detail += " · " + _t("devices: {names}").format(names=names)
            if r.error:
                detail += " · " + _t("error: {error}").format(error=r.error)
            label = wrapped(f"{head}\n{detail}", selectable=True)
            self.runtime_labels.append(label)
            lay.addWidget(label)
        known = {r.python for r in result.runtimes}
        others = [
            p for p in (result.host.pythons or []) if isinstance(p, dict) and p.get("path") not in known
        ]
        if others:
            lay.addWidget(
                wrapped(
                    _t("Other Python interpreters found (torch not inspected):")
                    + "\n"
                    + "\n".join(f"  Python {p.get('version') or '?'} — {p.get('path')}" for p in others),
                    selectable=True,
                )
            )
        if not result.runtimes and not others:
            lay.addWidget(
                wrapped(
                    _t(
                        "No Python environment was inspected. 'Inspect Python…' checks the torch "
                        "build of an existing one ('probe --python PATH' on the command line)."
                    ),
                    object_name="hint",
                )
            )
        h = result.host
        host_line = " · ".join(
            x
            for x in (
                h.os or h.platform,
                h.cpu,
                (_t("RAM {size}").format(size=_gib(h.memory_total_bytes)) if h.memory_total_bytes else None),
            )
            if x
        )
        if host_line:
            lay.addWidget(wrapped(_t("This computer: {host}").format(host=host_line), object_name="cardMeta"))
        self.body.addWidget(card)

    # -- lifecycle --------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Nothing keeps running here but a probe job; wait for it so no worker outlives the page."""
        self._closed = True
        if self._job is not None:
            self.ctx.wait_for_workers(15000)
