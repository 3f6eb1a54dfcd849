"""The Install page: the install plan of the profile the Match page chose (steps with status, sizes and
reasons; blocked steps with code and hint), the user's choices (folder, app, mirrors, wheelhouse,
installer), the install itself with per-step and overall progress, the log and Cancel, its result, and the
installs made so far with Repair and Rollback.

A thin view: the plan and the job come from ``app.commands._install_run.build_job`` (what ``python main.py
install`` runs), the install from ``installers.execute.execute`` in a pool worker, whose events arrive
here through the worker's progress signal; repair and rollback are ``installers.maintain``'s.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from types import SimpleNamespace

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.gui.installs import load_records
from app.gui.widgets import wrapped
from probes.core.errors import RigPilotError
from probes.core.i18n import render

STEP = "install"
CTX = "InstallPage"
APPS = ("comfyui", "a1111", "zimage", "generic")
MIRROR_KINDS = ("pypi", "torch", "python", "github")
CUSTOM_KINDS = ("pypi", "torch", "python")  # a URL typed into these replaces the listed mirrors
URL_RE = re.compile(r"^(https?|file)://\S+$")
LOG_LINES = 5000  # the log view keeps the newest lines; the full log is the file in DIR/logs
RED, GREEN, AMBER, GREY, BLUE = "#b00020", "#1b7f3b", "#8a5a00", "#6b7280", "#1e5fa8"
STATUS_COLORS = {
    "planned": "#1f2633",
    "blocked": RED,
    "needs-user": AMBER,
    "skipped": GREY,
    "running": BLUE,
    "ok": GREEN,
    "failed": RED,
    "cancelled": RED,
}
MARKS = {"running": "…", "ok": "✓", "failed": "✗", "skipped": "–", "cancelled": "✗", "needs-user": "!"}


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def _esc(text) -> str:
    return html.escape(str(render(text) if text is not None else ""))


def status_text(status: str) -> str:
    names = {
        "planned": _t("planned"),
        "blocked": _t("BLOCKED"),
        "needs-user": _t("needs you"),
        "skipped": _t("skipped"),
        "running": _t("running"),
        "ok": _t("done"),
        "failed": _t("failed"),
        "cancelled": _t("cancelled"),
    }
    return names.get(status, status)


def confidence_text(confidence: str) -> str:
    names = {"official": _t("official"), "community": _t("community"), "unverified": _t("unverified")}
    return names.get(confidence, confidence)


def megabytes(n_bytes: int | None) -> str:
    return "" if n_bytes is None else f"{n_bytes / 1e6:.1f} MB"


def default_dir(app: str) -> str:
    return str(Path.home() / "RigPilot" / app)


def step_size(step) -> str:
    """The download size of a step: the sum of the sizes known; '?' when a download's size is not."""
    if not step.downloads:
        return ""
    sizes = [d.size for d in step.downloads]
    known = sum(s for s in sizes if s is not None)
    if all(s is None for s in sizes):
        return _t("size unknown")
    return megabytes(known) + ("+?" if None in sizes else "")


def _download_line(d) -> str:
    what = f"{d.name}=={d.version}" if d.version else d.name
    size = f", {megabytes(d.size)}" if d.size is not None else ""
    file = f" ({d.filename}{size})" if d.filename else (f" ({megabytes(d.size)})" if d.size else "")
    return _t("Download {what} from {source}{file}").format(what=what, source=d.source, file=file)


class InstallPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.job = None  # the installers.execute.Job of the current choices
        self.plan_error: RigPilotError | None = None
        self.result = None  # the last install's Result
        self.outcome = None  # the last repair / rollback Outcome
        self.running: str | None = None  # "install" | "repair" | "rollback"
        self._cancel = None
        self._error: BaseException | None = None
        self.step_status: dict[str, str] = {}  # step id -> its status now (the plan's, then the run's)
        self._app_shown = APPS[0]  # the app whose default folder the folder field may hold
        self._replan_pending = False
        self._last_progress: tuple = ()
        self.installs: list[dict] = []
        from profiles.loader import load_catalog

        self.catalog = load_catalog()

        root = QVBoxLayout(self)
        head = QHBoxLayout()
        self.title = QLabel(objectName="pageTitle")
        head.addWidget(self.title)
        head.addStretch(1)
        root.addLayout(head)
        self.profile_line = wrapped(object_name="pageSubtitle")
        root.addWidget(self.profile_line)
        body = QHBoxLayout()
        left = QVBoxLayout()
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(self._build_choices())
        left.addWidget(self.mirror_hint)
        left.addLayout(self._build_actions())
        left.addWidget(self.reason)
        left.addWidget(self.result_label, 1)
        holder = QWidget()
        holder.setLayout(left)
        holder.setMaximumWidth(450)
        body.addWidget(holder)
        right = QVBoxLayout()
        right.addWidget(self._build_plan(), 3)
        right.addWidget(self._build_progress(), 2)
        body.addLayout(right, 1)
        root.addLayout(body, 1)
        root.addWidget(self._build_installed())

        self._load_settings()
        self._connect()
        self.retranslate()
        self.reload_installs()

    # ------------------------------------------------------------------------------ building
    def _build_choices(self) -> QGroupBox:
        self.choices_box = QGroupBox()
        form = QFormLayout(self.choices_box)
        self.app = QComboBox()
        for a in APPS:
            self.app.addItem(a, a)
        self.dir = QLineEdit()
        self.dir_browse = QPushButton()
        self.mirror = {}
        for kind in MIRROR_KINDS:
            self.mirror[kind] = QComboBox()
            if kind in CUSTOM_KINDS:  # the listed mirrors, or a URL of the user's own typed in
                self.mirror[kind].setEditable(True)
                self.mirror[kind].setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.wheelhouse = QLineEdit()
        self.wheel_browse = QPushButton()
        self.executor = QComboBox()
        for e in ("uv", "pip"):
            self.executor.addItem(e, e)
        self.labels = {key: QLabel() for key in ("app", "dir", *MIRROR_KINDS, "wheelhouse", "executor")}
        form.addRow(self.labels["app"], self.app)
        form.addRow(self.labels["dir"], self._with_button(self.dir, self.dir_browse))
        for kind in MIRROR_KINDS:
            form.addRow(self.labels[kind], self.mirror[kind])
        form.addRow(self.labels["wheelhouse"], self._with_button(self.wheelhouse, self.wheel_browse))
        form.addRow(self.labels["executor"], self.executor)
        self.mirror_hint = wrapped(object_name="hint")
        return self.choices_box

    @staticmethod
    def _with_button(edit, button) -> QHBoxLayout:
        box = QHBoxLayout()
        box.addWidget(edit, 1)
        box.addWidget(button)
        return box

    def _build_plan(self) -> QGroupBox:
        self.plan_box = QGroupBox()
        lay = QVBoxLayout(self.plan_box)
        self.plan_view = QTextBrowser()
        self.plan_view.setOpenExternalLinks(True)
        self.plan_view.setObjectName("planView")
        lay.addWidget(self.plan_view)
        return self.plan_box

    def _build_actions(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.install_button = QPushButton()
        self.cancel_button = QPushButton(enabled=False)
        self.reason = QLabel()
        self.reason.setWordWrap(True)
        self.reason.setTextFormat(Qt.TextFormat.RichText)
        self.reason.setOpenExternalLinks(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.result_label = QLabel()
        self.result_label.setWordWrap(True)
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        row.addWidget(self.install_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        return row

    def _build_progress(self) -> QGroupBox:
        self.progress_box = QGroupBox()
        lay = QVBoxLayout(self.progress_box)
        self.overall_label = QLabel()
        self.overall_label.setWordWrap(True)
        self.overall = QProgressBar(minimum=0, maximum=1, value=0)
        self.step_label = QLabel()
        self.step_label.setWordWrap(True)
        self.step_bar = QProgressBar(minimum=0, maximum=1, value=0)
        self.overall.setFormat("%v / %m")
        for w in (self.overall_label, self.overall, self.step_label, self.step_bar):
            lay.addWidget(w)
            w.setVisible(False)  # shown once something runs
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(LOG_LINES)
        self.log.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.log.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.log.setMinimumHeight(110)
        lay.addWidget(self.log, 1)
        return self.progress_box

    def _build_installed(self) -> QGroupBox:
        self.installed_box = QGroupBox()
        lay = QVBoxLayout(self.installed_box)
        self.table = QTableWidget(0, 6)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMaximumHeight(110)
        lay.addWidget(self.table)
        row = QHBoxLayout()
        self.repair_button = QPushButton(enabled=False)
        self.rollback_button = QPushButton(enabled=False)
        self.refresh_button = QPushButton()
        self.installed_hint = wrapped(object_name="hint")
        for b in (self.repair_button, self.rollback_button, self.refresh_button):
            row.addWidget(b)
        row.addWidget(self.installed_hint, 1)
        lay.addLayout(row)
        return self.installed_box

    def _connect(self) -> None:
        self.app.currentIndexChanged.connect(self._app_changed)
        for w in (self.dir, self.wheelhouse):
            w.textChanged.connect(self.replan)
        for w in (self.executor, *self.mirror.values()):
            w.currentIndexChanged.connect(self.replan)
        for kind in CUSTOM_KINDS:
            self.mirror[kind].lineEdit().editingFinished.connect(self.replan)
        self.dir_browse.clicked.connect(lambda: self._pick_dir(self.dir))
        self.wheel_browse.clicked.connect(lambda: self._pick_dir(self.wheelhouse))
        self.install_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.repair_button.clicked.connect(self.repair)
        self.rollback_button.clicked.connect(self.rollback)
        self.refresh_button.clicked.connect(self.reload_installs)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.ctx.probe_changed.connect(self.replan)
        self.ctx.match_changed.connect(self.replan)
        self.ctx.installs_changed.connect(self.reload_installs)
        self.ctx.language_changed.connect(lambda _lang: self.retranslate())

    # ------------------------------------------------------------------------------ settings
    def _load_settings(self) -> None:
        """The choices of the last install (``settings.json``, section ``install``)."""
        from app import settings

        stored = settings.load(self.ctx.data_dir).get("install") or {}
        self._stored_mirrors = stored.get("mirrors") if isinstance(stored.get("mirrors"), dict) else {}
        self._stored_custom = stored.get("custom") if isinstance(stored.get("custom"), dict) else {}
        if stored.get("app") in APPS:
            self.app.setCurrentIndex(self.app.findData(stored["app"]))
        if stored.get("executor") in ("uv", "pip"):
            self.executor.setCurrentIndex(self.executor.findData(stored["executor"]))
        self.wheelhouse.setText(str(stored.get("wheelhouse") or ""))
        self._app_shown = self.app.currentData()
        self.dir.setText(str(stored.get("dir") or default_dir(self._app_shown)))

    def _save_settings(self) -> None:
        from app import settings

        values = {
            "app": self.app.currentData(),
            "executor": self.executor.currentData(),
            "wheelhouse": self.wheelhouse.text().strip(),
            "dir": "" if self._dir_is_default() else self.dir.text().strip(),
            "mirrors": {k: c.currentData() for k, c in self.mirror.items() if c.currentData()},
            "custom": {k: url for k in CUSTOM_KINDS if (url := self.custom_url(k))},
        }
        settings.update(self.ctx.data_dir, "install", values)

    # ------------------------------------------------------------------------------ language
    def changeEvent(self, event):  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        from app.gui.main_window import step_title

        self.title.setText(step_title(STEP))
        names = {
            "app": _t("App"),
            "dir": _t("Install folder"),
            "pypi": _t("Package index"),
            "torch": _t("PyTorch index"),
            "python": _t("Python downloads"),
            "github": _t("GitHub downloads"),
            "wheelhouse": _t("Wheelhouse folder"),
            "executor": _t("Installer"),
        }
        for key, label in self.labels.items():
            label.setText(names[key])
        for b in (self.dir_browse, self.wheel_browse):
            b.setText(_t("Browse…"))
        self.wheelhouse.setPlaceholderText(_t("optional: a folder of wheels to install from"))
        self.mirror_hint.setText(
            _t("In China mainland a mirror is usually much faster than the default download sites.")
        )
        self.choices_box.setTitle(_t("Choices"))
        self.plan_box.setTitle(_t("Plan"))
        self.progress_box.setTitle(_t("Progress"))
        self.installed_box.setTitle(_t("Installed"))
        self.table.setHorizontalHeaderLabels(
            [_t("Folder"), _t("App"), _t("Profile"), _t("torch"), _t("Installed"), _t("State")]
        )
        self.install_button.setText(_t("Install"))
        self.cancel_button.setText(_t("Cancel"))
        self.repair_button.setText(_t("Repair"))
        self.rollback_button.setText(_t("Roll back"))
        self.refresh_button.setText(_t("Refresh"))
        self.installed_hint.setText(
            _t(
                "Repair reinstalls the locked torch stack when something replaced it; Roll back makes "
                "the previous environment current again."
            )
        )
        self.log.setPlaceholderText(_t("What the install does appears here, line by line."))
        self._fill_mirrors()
        if not self.running:
            self.replan()
        elif self.job is not None:
            self._render_plan()
        self._fill_installs()
        self._show_outcome()

    def _fill_mirrors(self) -> None:
        from installers import mirrors
        from probes.core.i18n import language

        rows = mirrors.load(self.catalog, language())
        for kind, combo in self.mirror.items():
            current = combo.currentData() if combo.count() else self._stored_mirrors.get(kind)
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_t("Default (no mirror)"), None)
            for m in rows:
                if m.kind == kind:
                    region = _t("China mainland") if m.region == "cn" else _t("global")
                    combo.addItem(f"{m.title} · {region}", m.name)
                    combo.setItemData(combo.count() - 1, m.url, Qt.ItemDataRole.ToolTipRole)
            custom = self.custom_url(kind) if combo.count() > 1 else self._stored_custom.get(kind)
            combo.setCurrentIndex(max(0, combo.findData(current)))
            if combo.isEditable():
                combo.lineEdit().setPlaceholderText(_t("or type the URL of another index"))
                if custom:
                    combo.setEditText(custom)
            combo.blockSignals(False)

    # ------------------------------------------------------------------------------ choices
    def _app_changed(self, _index: int) -> None:
        follow = self._dir_is_default()  # a folder the user chose stays; the default follows the app
        self._app_shown = self.app.currentData()
        if follow:
            self.dir.setText(default_dir(self._app_shown))
        self.replan()

    def _dir_is_default(self) -> bool:
        return self.dir.text().strip() in ("", default_dir(self._app_shown))

    def _pick_dir(self, edit: QLineEdit) -> None:
        d = QFileDialog.getExistingDirectory(self, _t("Choose a folder"), edit.text())
        if d:
            edit.setText(d)

    def args(self, mirrors: list[str] | None = None) -> SimpleNamespace:
        """The choices as the install command's arguments (``python main.py install ...``)."""
        match = self.ctx.match_result
        chosen = getattr(match, "chosen", None)
        gpu = getattr(match, "gpu", None)
        custom = {k: self.custom_url(k) for k in CUSTOM_KINDS}
        names = [c.currentData() for k, c in self.mirror.items() if c.currentData() and not custom.get(k)]
        return SimpleNamespace(
            app=self.app.currentData(),
            dir=self.dir.text().strip(),
            profile=chosen.id if chosen is not None else None,
            gpu=gpu.index if gpu is not None else None,
            python=None,
            app_source=None,
            index_url=custom["torch"],
            pypi_url=custom["pypi"],
            wheelhouse=self.wheelhouse.text().strip() or None,
            check_index=False,
            executor=self.executor.currentData(),
            no_uv_python=False,
            python_mirror=custom["python"],
            mirror=names if mirrors is None else mirrors,
        )

    def custom_url(self, kind: str) -> str | None:
        """A URL the user typed into the mirror box of ``kind`` (not one of the listed mirrors)."""
        combo = self.mirror[kind]
        if not combo.isEditable():
            return None
        text = combo.currentText().strip()
        if not text or combo.findText(text) >= 0:
            return None
        return text if URL_RE.match(text) else None

    # ------------------------------------------------------------------------------ the plan
    def replan(self, *_args) -> None:
        """Build the job (and its plan) for the current choices; nothing is run or written."""
        if self.running:
            self._replan_pending = True
            return
        self.job, self.plan_error = None, None
        probe = self.ctx.probe_result
        if probe is not None and self.dir.text().strip():
            self.job, self.plan_error = self._build_job(probe)
        self._torch_mirror_applies()
        self._show_plan()
        self._update_buttons()

    def _build_job(self, probe):
        from app.commands._install_run import build_job

        try:
            return build_job(self.args(), probe, data_dir=self.ctx.data_dir), None
        except RigPilotError as exc:
            return None, exc

    def _torch_mirror_applies(self) -> None:
        """The PyTorch mirrors copy download.pytorch.org: offered only for a profile whose index is there."""
        from installers.mirrors import variant_of

        combo = self.mirror["torch"]
        applies = self.job is None or variant_of(self.job.selection.index_url) is not None
        if self.job is None and self.plan_error is not None:
            applies = self.plan_error.code != "install-mirror-not-applicable"
        if not applies and combo.currentData():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
            self.replan()
            return
        combo.setEnabled(applies and not self.running)
        combo.setToolTip(
            ""
            if applies
            else _t("This profile's torch index is not download.pytorch.org: no mirror applies.")
        )

    def _show_plan(self) -> None:
        self._show_profile_line()
        if self.job is None:
            self.step_status = {}
            self.plan_view.setHtml(self._no_plan_html())
            return
        self.step_status = {s.id: s.status for s in self.job.plan.steps}
        self._render_plan()

    def _no_plan_html(self) -> str:
        if self.plan_error is not None:
            return self._error_html(self.plan_error)
        return f"<p style='color:{GREY}'>{_esc(_t('No plan yet: run Detect first.'))}</p>"

    def _render_plan(self, anchor: str | None = None) -> None:
        """The plan as a table: number, title with why / downloads / notes / code and hint, status, size."""
        bar = self.plan_view.verticalScrollBar()
        position = bar.value()
        rows = []
        for i, step in enumerate(self.job.plan.steps, 1):
            rows.append(self._step_row(i, step, self.step_status.get(step.id, step.status)))
        self.plan_view.setHtml(
            "<table width='100%' cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>"
        )
        if anchor:
            self.plan_view.scrollToAnchor(anchor)
        else:
            bar.setValue(position)

    def _step_row(self, i: int, step, status: str) -> str:
        colour = STATUS_COLORS.get(status, "#1f2633")
        details = [_esc(_t("Why: {text}").format(text=render(w))) for w in step.why]
        details += [_esc(_download_line(d)) for d in step.downloads]
        details += [f"<i>{_esc(n)}</i>" for n in step.notes]
        issue = RED if step.status == "blocked" else AMBER
        if step.code:
            details.append(
                f"<span style='color:{issue}'><b>{_esc(_t('Code: {code}').format(code=step.code))}</b></span>"
            )
        if step.hint is not None:
            hint = _t("What to do: {hint}").format(hint=render(step.hint))
            details.append(f"<span style='color:{issue}'>{_esc(hint)}</span>")
        page = dict(step.data).get("page") if step.kind == "driver" else None
        if page:
            url = html.escape(str(page))
            details.append(f'{_esc(_t("Download page:"))} <a href="{url}">{url}</a>')
        grey = GREY if status == "skipped" else "#4a5568"
        size = step_size(step)
        size = f" · {_esc(size)}" if size else ""
        return (
            f"<tr><td valign='top'><a name='{html.escape(step.id)}'></a>{i}.</td>"
            f"<td valign='top'><b>{_esc(step.title)}</b> &nbsp;<span style='color:{colour}'><b>"
            f"{_esc(status_text(status))}</b></span>{size}<br><span style='color:{grey}; font-size:small'>"
            + "<br>".join(details)
            + "</span></td></tr>"
        )

    def _show_profile_line(self) -> None:
        if self.ctx.probe_result is None:
            self.profile_line.setText(_t("Run Detect first: the plan is made for the machine it found."))
            return
        if self.job is None:
            self.profile_line.setText("")
            return
        sel = self.job.selection
        source = (
            _t("chosen on the Match page")
            if self.ctx.match_result is not None
            else _t("matched automatically")
        )
        text = _t("Plan for profile {id} ({confidence}), {source}: Python {python}, {packages}.").format(
            id=sel.id,
            confidence=confidence_text(sel.confidence),
            source=source,
            python=sel.python or "?",
            packages=" ".join(sel.packages) or "-",
        )
        if self.job.plan.simulated:
            text = _t("SIMULATED rig: {name}").format(name=self.job.plan.simulated) + " — " + text
        self.profile_line.setText(text)

    # ------------------------------------------------------------------------------ buttons
    def blocked_reason(self) -> str | None:
        """Why Install cannot start now (HTML), or None when it can."""
        if self.running:
            return None
        if self.ctx.probe_result is None:
            return _esc(_t("Run Detect first."))
        if not self.dir.text().strip():
            return _esc(_t("Choose the install folder."))
        if self.plan_error is not None:
            return self._error_html(self.plan_error)
        if self.job is None:
            return _esc(_t("No plan yet."))
        if self.job.plan.simulated:
            return _esc(
                _t("This is the plan for the simulated rig {name}: RigPilot installs only on this machine.")
            ).format(name=html.escape(self.job.plan.simulated))
        blocked = [s for s in self.job.plan.steps if s.status == "blocked"]
        if blocked:
            s = blocked[0]
            return (
                f"<span style='color:{RED}'>"
                + _esc(
                    _t("Blocked at “{step}” [{code}]: {hint}").format(
                        step=render(s.title), code=s.code or "-", hint=render(s.hint) if s.hint else ""
                    )
                )
                + (
                    "<br>" + _esc(_t("Here: choose that folder under “Wheelhouse folder”."))
                    if s.code == "install-wheelhouse-needed"
                    else ""
                )
                + "</span>"
            )
        return None

    def _error_html(self, err) -> str:
        hint = f"<br>{_esc(err.hint)}" if getattr(err, "hint", None) is not None else ""
        code = getattr(err, "code", "error")
        message = getattr(err, "message", str(err))
        return f"<span style='color:{RED}'>[{html.escape(code)}] {_esc(message)}{hint}</span>"

    def _driver_notice(self) -> str:
        step = self.job.plan.step("driver") if self.job is not None else None
        if step is None:
            return ""
        page = dict(step.data).get("page")
        text = _esc(_t("The driver is yours to install; the environment is built before it."))
        if page:
            text += f' <a href="{html.escape(page)}">{_esc(_t("Driver download page"))}</a>'
        return f"<span style='color:{AMBER}'>{text}</span>"

    def _update_buttons(self) -> None:
        reason = self.blocked_reason()
        idle = not self.running
        self.install_button.setEnabled(idle and reason is None)
        self.cancel_button.setEnabled(self.running is not None and self._cancel is not None)
        if self.running:
            self.reason.setText(_esc(_t("Installing… the Cancel button stops it and removes what it built.")))
        else:
            self.reason.setText(reason if reason is not None else self._driver_notice())
        for w in (self.app, self.dir, self.dir_browse, self.wheelhouse, self.wheel_browse, self.executor):
            w.setEnabled(idle)
        for kind, combo in self.mirror.items():
            combo.setEnabled(idle and (kind != "torch" or not combo.toolTip()))
        rec = self.selected_install()
        self.repair_button.setEnabled(idle and rec is not None and bool(rec.get("present")))
        self.rollback_button.setEnabled(idle and rec is not None and bool(rec.get("previous")))
        self.refresh_button.setEnabled(idle)

    # ------------------------------------------------------------------------------ install
    def start(self) -> bool:
        """Install with the current choices (the Install button; ``--run`` for screenshots)."""
        if self.running or self.blocked_reason() is not None or self.job is None:
            return False
        from installers.execute import execute
        from installers.runner import Cancel

        self._save_settings()
        job = self.job
        self._cancel = cancel = Cancel()
        self._begin("install")
        self.step_status = {st.id: st.status for st in job.plan.steps}
        self._render_plan()

        def work(progress):
            return execute(job, on_event=progress, cancel=cancel)

        self.ctx.run_in_worker(work, on_done=self._finished, on_error=self._failed, on_progress=self._event)
        return True

    def _begin(self, what: str) -> None:
        self.running = what
        self.result = self.outcome = None
        self._error = None
        self.log.clear()
        self.result_label.setText("")
        self.overall.setRange(0, 1)
        self.overall.setValue(0)
        self.step_bar.setRange(0, 1)
        self.step_bar.setValue(0)
        self.overall_label.setText("")
        self.step_label.setText("")
        for w in (self.overall_label, self.overall, self.step_label, self.step_bar):
            w.setVisible(True)
        self._update_buttons()

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
            self.cancel_button.setEnabled(False)
            self.step_label.setText(_t("Cancelling… stopping the running command."))

    def screenshot_ready(self) -> bool:
        """For --screenshot --run: the install has ended."""
        return self.running is None

    def _event(self, event) -> None:
        if isinstance(event, str):  # a repair's output line
            self._append(event)
            return
        kind = getattr(event, "kind", None)
        if kind == "step":
            self._on_step(event)
        elif kind == "progress":
            self._on_progress(event)
        elif kind == "log":
            self._append(render(event.text) or "")
        elif kind == "note":
            mark = "" if event.status in (None, "ok", "info") else "⚠ "
            code = f" [{event.code}]" if event.code else ""
            self._append(f"{mark}{render(event.text)}{code}")

    def _on_step(self, e) -> None:
        count = max(1, e.count or 1)
        index = e.index or 1
        finished = e.status != "running"
        self.overall.setRange(0, count)
        self.overall.setValue(index if finished else index - 1)
        title = self._step_title(e)
        self.overall_label.setText(
            _t("Step {index} of {count}: {title} — {status}").format(
                index=index, count=count, title=title, status=status_text(e.status)
            )
        )
        if finished:
            self.step_bar.setRange(0, 1)
            self.step_bar.setValue(1)
            self.step_label.setText("")
        else:
            self.step_bar.setRange(0, 0)  # busy until a download reports its bytes
            self.step_label.setText(title)
        if e.step in self.step_status:
            self.step_status[e.step] = e.status
            self._render_plan(anchor=None if finished else e.step)
        code = f" [{e.code}]" if e.code else ""
        self._append(f"[{index}/{count}] {MARKS.get(e.status, '?')} {title}{code}")
        if e.hint is not None and finished:
            self._append("      " + _t("What to do: {hint}").format(hint=render(e.hint)))

    def _step_title(self, e) -> str:
        """The plan's title of the step (a failed step's event text is the error, not the title)."""
        steps = self.job.plan.steps if self.job is not None else ()
        step = next((s for s in steps if s.id == e.step), None)
        return render(step.title) if step is not None else (render(e.text) or e.step or "")

    def _on_progress(self, e) -> None:
        name = render(e.text) or ""
        done = e.done or 0
        if e.total:
            self.step_bar.setRange(0, max(1, e.total // 1024))  # KiB: a torch wheel overflows an int32
            self.step_bar.setValue(min(done, e.total) // 1024)
            self.step_label.setText(
                _t("{file}: {done} of {total} MB").format(
                    file=name, done=f"{done / 1e6:.1f}", total=f"{e.total / 1e6:.1f}"
                )
            )
        else:
            self.step_bar.setRange(0, 0)
            self.step_label.setText(_t("{file}: {done} MB").format(file=name, done=f"{done / 1e6:.1f}"))

    def _append(self, line: str) -> None:
        self.log.appendPlainText(line)

    def _end(self) -> None:
        self.running = None
        self._cancel = None
        self.step_bar.setRange(0, 1)
        self.step_bar.setVisible(False)  # the per-step bar means nothing once the run is over
        self.step_label.setText("")
        self.step_label.setVisible(False)
        self._update_buttons()

    def _finished(self, result) -> None:
        self.result = result
        self._end()
        if result.status == "ok":
            self.overall.setValue(self.overall.maximum())
        self._show_outcome()
        self.reload_installs()
        if result.status == "ok":
            rec = next((r for r in self.installs if r.get("dir") == result.dir), None) or {
                "dir": result.dir,
                "app": self.job.app.id if self.job else None,
                "profile": self.job.selection.id if self.job else None,
                "python": result.python,
                "app_dir": result.app_dir,
                "script": result.script,
                "torch": result.torch,
                "present": True,
            }
            self.ctx.installed.emit(rec)
            self.ctx.status_message.emit(_t("Installed in {dir}.").format(dir=result.dir))
        if self._replan_pending:  # the probe or the match changed meanwhile
            self._replan_pending = False
            self.replan()

    def _failed(self, exc) -> None:
        """The worker raised (an error the core did not turn into a Result, or a repair/rollback error)."""
        self._end()
        self._error = exc
        self.reload_installs()
        self._show_outcome()

    # ------------------------------------------------------------------------------ result
    def _show_outcome(self) -> None:
        if self._error is not None:
            self.result_label.setText(self._error_html(self._error))
        elif self.result is not None:
            self.result_label.setText(self._result_html(self.result))
        elif self.outcome is not None:
            self.result_label.setText(self._outcome_html(self.outcome))

    def _result_html(self, r) -> str:
        if r.status == "ok":
            rows = [
                f"<b style='color:{GREEN}'>"
                + _esc(_t("Installed in {dir} ({seconds} s).").format(dir=r.dir, seconds=f"{r.seconds:.0f}"))
                + "</b>",
                _esc(_t("Python: {path}").format(path=r.python)),
                _esc(
                    _t("Launch script: {path}").format(path=r.script)
                    if r.script
                    else _t("No launch script (the generic app is your own script).")
                ),
                _esc(_t("Lock: {path}").format(path=r.lock)),
                _esc(_t("The Launch and Verify pages now use this environment.")),
            ]
            return "<br>".join(rows)
        err = r.error
        head = {
            "cancelled": _t("The install was cancelled."),
            "verify-failed": _t("The new environment failed verification."),
        }.get(r.status, _t("The install failed."))
        rows = [f"<b style='color:{RED}'>{_esc(head)}</b>"]
        if err is not None:
            rows.append(self._error_html(err))
        if r.status == "verify-failed":
            rows += [self._check_html(c) for c in r.checks]
            if r.env:
                rows.append(_esc(_t("The environment is kept for inspection: {env}").format(env=r.env)))
            if r.script:
                rows.append(_esc(_t("Its launch script: {path}").format(path=r.script)))
        rows.append(_esc(_t("Nothing was switched; the previous environment (if any) is still current.")))
        if r.log:
            rows.append(_esc(_t("Log: {path}").format(path=r.log)))
        return "<br>".join(rows)

    @staticmethod
    def _check_html(c) -> str:
        mark = "✓" if c.ok else "✗"
        colour = GREEN if c.ok else (RED if c.severity == "error" else AMBER)
        code = f" [{html.escape(c.code)}]" if c.code and not c.ok else ""
        hint = f" — {_esc(c.hint)}" if c.hint is not None and not c.ok else ""
        return f"<span style='color:{colour}'>{mark} {_esc(c.message)}{code}{hint}</span>"

    def _outcome_html(self, o) -> str:
        if o.action == "rollback":
            rows = [_esc(_t("Rolled back: envs/{id} is current again.").format(id=o.env_id))]
            rows += [
                _esc(_t("{name}: {was} → {now}").format(name=n, was=a or "?", now=b or "?"))
                for n, a, b in o.changed
            ]
        elif o.status == "nothing-to-do":
            rows = [_esc(_t("The torch stack matches the lock; nothing to repair."))]
        else:
            rows = [
                _esc(_t("Repaired {name}: {got} → {want}").format(name=n, got=got or "-", want=want))
                for n, want, got in o.changed
            ] or [_esc(_t("Repair finished."))]
        rows += [self._check_html(c) for c in o.checks if not c.ok]
        if o.error is not None:
            rows.append(self._error_html(o.error))
        return "<br>".join(rows)

    # ------------------------------------------------------------------------------ installed
    def reload_installs(self) -> None:
        self.installs = load_records(self.ctx.data_dir)
        self._fill_installs()
        self._update_buttons()

    def _fill_installs(self) -> None:
        selected = (self.selected_install() or {}).get("dir")
        self.table.setRowCount(0)
        for rec in self.installs:
            row = self.table.rowCount()
            self.table.insertRow(row)
            if rec.get("damaged"):
                state = _t("state file damaged")
            elif not rec.get("present"):
                state = _t("folder missing")
            else:
                state = _t("previous: {env}").format(env=rec["previous"]) if rec.get("previous") else _t("ok")
            values = [
                rec.get("dir"),
                rec.get("app"),
                rec.get("profile"),
                rec.get("torch"),
                str(rec.get("installed") or "").replace("T", " ")[:16],  # 2026-01-31 18:02
            ]
            for col, value in enumerate([*values, state]):
                cell = QTableWidgetItem("" if value is None else str(value))
                cell.setData(Qt.ItemDataRole.UserRole, rec.get("dir"))
                self.table.setItem(row, col, cell)
            if rec.get("dir") == selected:
                self.table.selectRow(row)

    def selected_install(self) -> dict | None:
        rows = {i.row() for i in self.table.selectedItems()} if hasattr(self, "table") else set()
        if not rows:
            return None
        row = min(rows)
        return self.installs[row] if row < len(self.installs) else None

    def select_install(self, folder: str) -> None:
        for row, rec in enumerate(self.installs):
            if rec.get("dir") == folder:
                self.table.selectRow(row)

    def repair(self) -> None:
        rec = self.selected_install()
        if rec is None or self.running:
            return
        from app.commands._install_run import runtime_probe
        from installers import maintain
        from installers.runner import Cancel

        folder, executor = Path(rec["dir"]), self.executor.currentData()
        self._cancel = cancel = Cancel()
        self._begin("repair")
        self.overall_label.setText(_t("Repairing {dir}…").format(dir=rec["dir"]))
        self.step_bar.setRange(0, 0)

        def work(progress):
            return maintain.repair(
                folder, executor=executor, runtime_probe=runtime_probe, on_line=progress, cancel=cancel
            )

        self.ctx.run_in_worker(work, on_done=self._maintained, on_error=self._failed, on_progress=self._event)

    def rollback(self) -> None:
        rec = self.selected_install()
        if rec is None or self.running:
            return
        from installers import maintain

        folder, data_dir = Path(rec["dir"]), self.ctx.data_dir
        self._begin("rollback")
        self.overall_label.setText(_t("Rolling back {dir}…").format(dir=rec["dir"]))
        self.step_bar.setRange(0, 0)

        def work(_progress):
            return maintain.rollback(folder, data_dir=data_dir)

        self.ctx.run_in_worker(work, on_done=self._maintained, on_error=self._failed)

    def _maintained(self, outcome) -> None:
        self.outcome = outcome
        self._end()
        self.overall.setRange(0, 1)
        self.overall.setValue(1)
        self._show_outcome()
        self.reload_installs()
        self.ctx.installs_changed.emit()

    def shutdown(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()
