"""The Launch page: app, folders, options, a live preview of the script, Write and Open folder.
A thin view over installers.scripts (the same plan the `launcher` command writes)."""

from __future__ import annotations

import datetime
import shlex

from PySide6.QtCore import QCoreApplication, QEvent, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from probes.core.errors import RigPilotError
from probes.core.i18n import render

STEP = "launch"
CTX = "LaunchPage"
APPS = ("comfyui", "a1111", "zimage", "generic")


def _t(source: str) -> str:
    return QCoreApplication.translate(CTX, source)


class LaunchPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.specs = []
        self.written = []
        root = QVBoxLayout(self)
        form = QFormLayout()
        root.addLayout(form)
        self.app = QComboBox()
        for a in APPS:
            self.app.addItem(a, a)
        self.app_dir = QLineEdit()
        self.python = QLineEdit()
        self.out_dir = QLineEdit()
        self.script = QLineEdit()
        self.args = QLineEdit()
        self.env = QPlainTextEdit()
        self.env.setMaximumHeight(70)
        self.os_combo = QComboBox()
        for o in ("linux", "windows", "darwin"):
            self.os_combo.addItem(o, o)
        self.fmt = QComboBox()
        for f in ("sh", "bat", "ps1"):
            self.fmt.addItem(f, f)
        self.restart = QCheckBox()
        self.max_restarts = QSpinBox()
        self.max_restarts.setRange(1, 100)
        self.max_restarts.setValue(5)
        self.per_gpu = QCheckBox()
        self.port = QSpinBox()
        self.port.setRange(0, 65535)  # 0 = the app's default
        self.listen = QCheckBox()
        self.profile = QComboBox()
        self.profile.addItem("", None)
        from profiles.loader import load_catalog

        for p in load_catalog().hardware:
            self.profile.addItem(f"{p.id} [{p.confidence}]", p.id)
        from app.gui.installs import InstallsCombo

        self.installs = InstallsCombo(ctx)
        self.browse = {}
        self.labels = {}
        rows = [
            ("installed", self.installs),
            ("app", self.app),
            ("app_dir", self.app_dir),
            ("python", self.python),
            ("out", self.out_dir),
            ("script", self.script),
            ("args", self.args),
            ("env", self.env),
            ("os", self.os_combo),
            ("format", self.fmt),
            ("restart", self.restart),
            ("max", self.max_restarts),
            ("per_gpu", self.per_gpu),
            ("port", self.port),
            ("listen", self.listen),
            ("profile", self.profile),
        ]
        for key, w in rows:
            lab = QLabel()
            self.labels[key] = lab
            if key in ("app_dir", "python", "out"):
                box = QHBoxLayout()
                box.addWidget(w, 1)
                b = QPushButton()
                self.browse[key] = b
                box.addWidget(b)
                form.addRow(lab, box)
            else:
                form.addRow(lab, w)
        self.status = QLabel()
        self.status.setWordWrap(True)
        root.addWidget(self.status)
        self.preview = QPlainTextEdit()
        self.preview.setReadOnly(True)
        self.preview.setFont(QFontDatabase.systemFont(QFontDatabase.FixedFont))
        root.addWidget(self.preview, 1)
        buttons = QHBoxLayout()
        self.write_button = QPushButton()
        self.open_button = QPushButton()
        self.open_button.setEnabled(False)
        buttons.addStretch(1)
        buttons.addWidget(self.write_button)
        buttons.addWidget(self.open_button)
        root.addLayout(buttons)

        for w in (self.app_dir, self.python, self.out_dir, self.script, self.args):
            w.textChanged.connect(self.refresh)
        self.env.textChanged.connect(self.refresh)
        for w in (self.app, self.os_combo, self.fmt):
            w.currentIndexChanged.connect(self.refresh)
        self.os_combo.currentIndexChanged.connect(self._default_format)
        for w in (self.restart, self.per_gpu):
            w.toggled.connect(self.refresh)
        self.max_restarts.valueChanged.connect(self.refresh)
        self.port.valueChanged.connect(self.refresh)
        self.listen.toggled.connect(self.refresh)
        self.profile.currentIndexChanged.connect(self.refresh)
        self.browse["app_dir"].clicked.connect(lambda: self._pick_dir(self.app_dir))
        self.browse["out"].clicked.connect(lambda: self._pick_dir(self.out_dir))
        self.browse["python"].clicked.connect(self._pick_python)
        self.write_button.clicked.connect(self.write)
        self.open_button.clicked.connect(self.open_folder)
        self.installs.chosen.connect(self.use_install)
        ctx.installed.connect(self.use_install)
        ctx.probe_changed.connect(self.on_probe)
        ctx.language_changed.connect(lambda _l: self.retranslate())
        if ctx.probe_result is not None:
            self.on_probe(ctx.probe_result)
        self.retranslate()

    def changeEvent(self, event):
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self):
        names = {
            "installed": _t("Installed environments"),
            "app": _t("App"),
            "app_dir": _t("App folder"),
            "python": _t("Python (venv interpreter)"),
            "out": _t("Write scripts to"),
            "script": _t("Script (generic app)"),
            "args": _t("Extra arguments"),
            "env": _t("Environment (KEY=VALUE per line)"),
            "os": _t("Operating system"),
            "format": _t("Script format"),
            "restart": _t("Restart on crash (watchdog)"),
            "max": _t("Max restarts per hour"),
            "per_gpu": _t("One instance per GPU"),
            "port": _t("Port (0: the app's default)"),
            "listen": _t("Listen on all network interfaces"),
            "profile": _t("Hardware profile"),
        }
        self.profile.setItemText(0, _t("automatic (matched)"))
        for k, lab in self.labels.items():
            lab.setText(names[k])
        for b in self.browse.values():
            b.setText(_t("Browse..."))
        self.write_button.setText(_t("Write"))
        self.open_button.setText(_t("Open folder"))
        self.installs.retranslate()
        self.refresh()

    def use_install(self, rec: dict) -> None:
        """Fill in an environment the Install step made (its python, app folder, app and profile)."""
        if rec.get("app") in APPS:
            self.app.setCurrentIndex(self.app.findData(rec["app"]))
        if rec.get("python"):
            self.python.setText(str(rec["python"]))
        if rec.get("app_dir"):
            self.app_dir.setText(str(rec["app_dir"]))
        if rec.get("dir") and not self.out_dir.text():
            self.out_dir.setText(str(rec["dir"]))
        profile = self.profile.findData(rec.get("profile"))
        if profile >= 0:
            self.profile.setCurrentIndex(profile)

    def on_probe(self, result):
        if result is not None and result.host.platform in ("linux", "windows", "darwin"):
            self.os_combo.setCurrentIndex(self.os_combo.findData(result.host.platform))
        self.refresh()

    def _default_format(self):
        self.fmt.setCurrentIndex(
            self.fmt.findData("bat" if self.os_combo.currentData() == "windows" else "sh")
        )

    def _pick_dir(self, edit):
        d = QFileDialog.getExistingDirectory(self, _t("Choose a folder"), edit.text())
        if d:
            edit.setText(d)

    def _pick_python(self):
        f, _ = QFileDialog.getOpenFileName(self, _t("Choose the venv's python"), self.python.text())
        if f:
            self.python.setText(f)

    def _env(self) -> tuple:
        out = []
        for line in self.env.toPlainText().splitlines():
            if not line.strip():
                continue
            if "=" not in line:
                raise RigPilotError(
                    "launch-bad-env",
                    _t("Environment lines must be KEY=VALUE: {line}").format(line=line),
                    _t("For example HF_HOME=/data/hf"),
                )
            k, v = line.split("=", 1)
            out.append((k.strip(), v))
        return tuple(out)

    def plan(self):
        from installers.scripts import LaunchChoices, plan_launch
        from probes.core.model import HostInfo, ProbeResult

        probe = self.ctx.probe_result or ProbeResult(host=HostInfo(platform=self.os_combo.currentData()))
        try:
            args = tuple(shlex.split(self.args.text()))
        except ValueError as exc:
            raise RigPilotError(
                "launch-bad-args",
                _t("Cannot split the extra arguments: {detail}").format(detail=str(exc)),
                _t("Close every quote in the extra arguments."),
            ) from None
        choices = LaunchChoices(
            app_dir=self.app_dir.text(),
            python=self.python.text(),
            os_name=self.os_combo.currentData(),
            restart=self.restart.isChecked(),
            max_restarts_per_hour=self.max_restarts.value(),
            env=self._env(),
            script=self.script.text() or None,
            args=args,
            port=self.port.value() or None,
            listen=self.listen.isChecked(),
            date=datetime.date.today().isoformat(),
        )
        results, specs = plan_launch(
            probe,
            self.app.currentData(),
            choices,
            per_gpu=self.per_gpu.isChecked(),
            profile_id=self.profile.currentData(),
        )
        return results[0], specs

    def refresh(self, *_):
        from installers.scripts import render as render_script

        self.specs = []
        if not self.app_dir.text() or not self.python.text():
            self.status.setText(_t("Choose the app folder and the venv's python to see the script."))
            self.preview.setPlainText("")
            self.write_button.setEnabled(False)
            return
        try:
            result, specs = self.plan()
            texts = [render_script(s, self.fmt.currentData()) for s in specs]
        except RigPilotError as exc:
            self.status.setText(
                f"⚠ [{exc.code}] {render(exc.message)}\n{render(exc.hint) if exc.hint else ''}"
            )
            self.status.setStyleSheet("color: #b00020;")
            self.preview.setPlainText("")
            self.write_button.setEnabled(False)
            return
        self.specs = specs
        c = result.chosen
        warn = "".join("\n⚠ " + render(w) for w in c.warnings)
        self.status.setStyleSheet("")
        self.status.setText(_t("Profile {id} ({confidence})").format(id=c.id, confidence=c.confidence) + warn)
        sep = "\n" + "-" * 60 + "\n"
        self.preview.setPlainText(sep.join(t.replace("\r\n", "\n") for t in texts))
        self.write_button.setEnabled(bool(self.out_dir.text()))

    def write(self):
        from installers.scripts import write_scripts

        try:
            self.written = write_scripts(self.specs, self.fmt.currentData(), self.out_dir.text())
        except RigPilotError as exc:
            self.status.setText(
                f"⚠ [{exc.code}] {render(exc.message)}\n{render(exc.hint) if exc.hint else ''}"
            )
            return
        self.status.setText(
            _t("Wrote {n} script(s) to {path}").format(n=len(self.written), path=self.out_dir.text())
        )
        self.open_button.setEnabled(True)

    def open_folder(self):
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.out_dir.text()))

    def shutdown(self):
        pass
