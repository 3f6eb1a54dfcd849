"""Verify page: run the quantized generation smoke test in a chosen interpreter and device.

The run is a subprocess (``probes.smoke.client.run_smoke``) driven from a pool worker; its JSON
events arrive here through the worker's progress signal, so the GUI thread never waits. Each
finished run is appended to the smoke-test history (``probes.smoke.history``, shared with the CLI).
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.format import mib, number
from probes.core.i18n import render
from probes.smoke import history

STEP = "verify"
CTX = "VerifyPage"
IMAGE_BOX = 192  # images are shown scaled (nearest neighbour) into this many pixels
DEVICES = ("auto", "cpu", "cuda:0", "musa:0", "xpu:0", "mps", "directml")
DTYPES = ("auto", "fp32", "fp16", "bf16")


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def _pixmap(path: str | None) -> QPixmap | None:
    if not path:
        return None
    image = QImage(path)
    if image.isNull():
        return None
    return QPixmap.fromImage(image.scaled(IMAGE_BOX, IMAGE_BOX, Qt.KeepAspectRatio, Qt.FastTransformation))


class VerifyPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self._cancel: threading.Event | None = None
        self._running = False
        self._steps: list[float] = []
        self._requested: dict = {}
        self.history_path = history.default_path(ctx.data_dir)
        self.history = history.load(self.history_path)
        self.last_result: dict | None = None

        from app.gui.installs import InstallsCombo

        self.installs = InstallsCombo(ctx)
        self.installs.chosen.connect(self.use_install)
        ctx.installed.connect(self.use_install)
        self.python = QComboBox(editable=True)
        self.python.addItem(sys.executable)
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.device = QComboBox(editable=True)
        self.device.addItems(DEVICES)
        self.dtype = QComboBox()
        self.dtype.addItems(DTYPES)
        self.steps = QSpinBox(minimum=1, maximum=1000, value=20)
        self.resolution = QSpinBox(minimum=8, maximum=4096, singleStep=4, value=32)
        self.run_button = QPushButton()
        self.run_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(enabled=False)
        self.cancel_button.clicked.connect(self.cancel)

        py_row = QHBoxLayout()
        py_row.addWidget(self.python, 1)
        py_row.addWidget(self.browse)
        self.form = QFormLayout()
        self.form_labels = [QLabel() for _ in range(6)]
        for label, field in zip(
            self.form_labels,
            (self.installs, py_row, self.device, self.dtype, self.steps, self.resolution),
            strict=True,
        ):
            self.form.addRow(label, field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)

        self.progress = QProgressBar(minimum=0, maximum=20, value=0)
        self.step_label = QLabel()
        self.status = QLabel()
        self.status.setWordWrap(True)

        self.image = QLabel(alignment=Qt.AlignCenter)
        self.reference = QLabel(alignment=Qt.AlignCenter)
        for label in (self.image, self.reference):
            label.setFixedSize(IMAGE_BOX + 4, IMAGE_BOX + 4)
            label.setStyleSheet("border: 1px solid palette(mid);")
        self.image_caption = QLabel(alignment=Qt.AlignCenter)
        self.reference_caption = QLabel(alignment=Qt.AlignCenter)
        images = QGridLayout()
        images.addWidget(self.image, 0, 0)
        images.addWidget(self.reference, 0, 1)
        images.addWidget(self.image_caption, 1, 0)
        images.addWidget(self.reference_caption, 1, 1)

        self.verdict = QLabel()
        self.verdict.setTextFormat(Qt.RichText)
        self.verdict.setWordWrap(True)
        self.metrics = QLabel()
        self.metrics.setWordWrap(True)
        self.metrics.setTextInteractionFlags(Qt.TextSelectableByMouse)

        self.history_box = QGroupBox()
        self.table = QTableWidget(0, 8)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeToContents)
        hb = QVBoxLayout(self.history_box)
        hb.addWidget(self.table)

        self.settings_box = QGroupBox()
        sb = QVBoxLayout(self.settings_box)
        sb.addLayout(self.form)
        sb.addLayout(buttons)
        sb.addWidget(self.progress)
        sb.addWidget(self.step_label)
        sb.addWidget(self.status)
        top = QHBoxLayout()
        top.addWidget(self.settings_box, 1)
        right = QVBoxLayout()
        right.addLayout(images)
        right.addWidget(self.verdict)
        right.addWidget(self.metrics)
        right.addStretch(1)
        top.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.history_box, 1)

        from probes.smoke.target.runner import DEFAULT_REFERENCE

        self._reference_pixmap = _pixmap(str(DEFAULT_REFERENCE))
        self.retranslate()
        self._fill_history()
        self._show_reference()
        if getattr(ctx, "probe_result", None) is not None:
            self._on_probe(ctx.probe_result)
        ctx.probe_changed.connect(self._on_probe)
        if hasattr(ctx, "language_changed"):
            ctx.language_changed.connect(lambda _lang: self.retranslate())

    # -- texts -----------------------------------------------------------------------------
    def retranslate(self) -> None:
        labels = [
            _t("Installed environments"),
            _t("Python interpreter"),
            _t("Device"),
            _t("Precision"),
            _t("Sampler steps"),
            _t("Resolution (px)"),
        ]
        for label, text in zip(self.form_labels, labels, strict=True):
            label.setText(text)
        self.browse.setText(_t("Browse…"))
        self.installs.retranslate()
        self.run_button.setText(_t("Run smoke test"))
        self.cancel_button.setText(_t("Cancel"))
        self.settings_box.setTitle(_t("Quantized generation smoke test"))
        self.history_box.setTitle(_t("Earlier runs"))
        self.image_caption.setText(_t("Generated on the device"))
        self.reference_caption.setText(_t("CPU float32 reference"))
        self.table.setHorizontalHeaderLabels(
            [
                _t("When"),
                _t("Python"),
                _t("Device"),
                _t("Precision"),
                _t("Verdict"),
                _t("Steps/s"),
                _t("PSNR (dB)"),
                _t("Codes"),
            ]
        )
        if not self._running and self.last_result is None:
            self.status.setText(
                _t(
                    "Runs a small quantized (GGUF Q4/Q8/K) image model on the device and "
                    "compares the picture with the CPU."
                )
            )
        if self.last_result is not None:
            self._show_result(self.last_result, record=False)

    def changeEvent(self, event) -> None:
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    # -- probe -----------------------------------------------------------------------------
    def _on_probe(self, result) -> None:
        """Offer the interpreters and devices the probe found."""
        for rt in getattr(result, "runtimes", None) or []:
            python = getattr(rt, "python", None) or (rt.get("python") if isinstance(rt, dict) else None)
            if python and self.python.findText(python) < 0:
                self.python.addItem(python)
        for rt in getattr(result, "runtimes", None) or []:
            for dev in getattr(rt, "devices", None) or []:
                api = {"rocm": "cuda", "hip": "cuda"}.get(dev.api, dev.api)
                name = api if api in ("mps", "directml") else f"{api}:{dev.index}"
                if api in ("cuda", "musa", "xpu", "mps", "directml") and self.device.findText(name) < 0:
                    self.device.addItem(name)
        apis = {
            "cuda": "cuda",
            "rocm": "cuda",
            "musa": "musa",
            "xpu": "xpu",
            "mps": "mps",
            "directml": "directml",
        }
        for gpu in getattr(result, "gpus", None) or []:
            compute = getattr(gpu, "compute", None)
            api = getattr(compute, "api", None) if compute else None
            kind = apis.get(api or "")
            if not kind:
                continue
            idx = getattr(gpu, "vendor_index", None)
            name = kind if kind in ("mps", "directml") else f"{kind}:{idx or 0}"
            if self.device.findText(name) < 0:
                self.device.addItem(name)

    def use_install(self, rec: dict) -> None:
        """Test the environment the Install step made: its python becomes the interpreter."""
        python = rec.get("python")
        if python:
            if self.python.findText(str(python)) < 0:
                self.python.addItem(str(python))
            self.python.setCurrentText(str(python))

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, _t("Choose the Python interpreter"))
        if path:
            self.python.setCurrentText(path)

    # -- run -------------------------------------------------------------------------------
    def options(self) -> dict:
        return {
            "device": self.device.currentText().strip() or "auto",
            "dtype": self.dtype.currentText(),
            "steps": self.steps.value(),
            "resolution": self.resolution.value(),
        }

    def start(self) -> None:
        if self._running:
            return
        from probes.smoke.client import run_smoke

        python = self.python.currentText().strip() or sys.executable
        opts = self.options()
        self._requested = dict(opts, python=python)
        out = Path(self.ctx.data_dir) / "smoke"
        self._cancel = cancel = threading.Event()
        self._running = True
        self._steps = []
        self.last_result = None
        self.progress.setMaximum(opts["steps"])
        self.progress.setValue(0)
        self.step_label.setText("")
        self.verdict.setText("")
        self.metrics.setText("")
        self.image.clear()
        self.status.setText(_t("Starting {python}…").replace("{python}", python))
        self.run_button.setEnabled(False)
        self.cancel_button.setEnabled(True)

        def work(progress):
            return run_smoke(python, on_event=progress, cancel=cancel, timeout_s=600, out=str(out), **opts)

        self.ctx.run_in_worker(work, on_done=self._finished, on_error=self._failed, on_progress=self._event)

    def screenshot_ready(self) -> bool:
        """For --screenshot (--run): no smoke run in progress."""
        return not self._running

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.setText(_t("Cancelling…"))

    def _event(self, event) -> None:
        if not isinstance(event, dict):
            return
        kind = event.get("event")
        if kind == "device":
            self.status.setText(
                _t("Running on {device} ({name}) in {dtype}.")
                .replace("{device}", str(event.get("device")))
                .replace("{name}", str(event.get("name")))
                .replace("{dtype}", str(event.get("dtype")))
            )
        elif kind == "step":
            self._steps.append(float(event.get("seconds") or 0.0))
            self.progress.setMaximum(int(event.get("steps") or 1))
            self.progress.setValue(int(event.get("step") or 0))
            recent = "  ".join(f"{s * 1000:.0f}" for s in self._steps[-8:])
            self.step_label.setText(_t("Step times (ms): {times}").replace("{times}", recent))
        elif kind == "reference":
            self.status.setText(_t("Computing the CPU float32 reference…"))

    def _failed(self, exc) -> None:
        self._running = False
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.status.setText(_t("The smoke test could not run: {error}").replace("{error}", str(exc)))

    def _finished(self, result) -> None:
        self._running = False
        self._cancel = None
        self.run_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        if not isinstance(result, dict):
            return
        if result.get("verdict") == "cancelled":
            self.status.setText(_t("Cancelled."))
            return
        self._show_result(result, record=True)

    # -- results ---------------------------------------------------------------------------
    def _show_reference(self) -> None:
        if self._reference_pixmap is not None:
            self.reference.setPixmap(self._reference_pixmap)

    def _show_result(self, result: dict, record: bool) -> None:
        from probes.smoke.codes import VERDICTS, explain

        self.last_result = result
        verdict = result.get("verdict") or "fail"
        colour = {"pass": "#2e7d32", "warn": "#ef6c00"}.get(verdict, "#c62828")
        parts = [f"<b style='color:{colour}'>{_t('Verdict')}: {render(VERDICTS.get(verdict, verdict))}</b>"]
        for problem in result.get("problems", []):
            extra = {k: v for k, v in problem.items() if k not in ("code", "severity", "detail")}
            message, hint = explain(problem["code"], **extra)
            parts.append(
                f"<p><b>[{problem['code']}]</b> {_esc(render(message))}"
                + (f"<br><i>{_esc(problem.get('detail') or '')}</i>" if problem.get("detail") else "")
                + (f"<br>{_t('Hint')}: {_esc(render(hint))}" if hint else "")
                + "</p>"
            )
        if verdict == "pass":
            parts.append(f"<p>{_t('The device produced the same picture as the CPU.')}</p>")
        self.verdict.setText("".join(parts))
        self.status.setText("")

        if not result.get("device"):
            self.metrics.setText("")
        else:
            self.metrics.setText(
                "\n".join(
                    [
                        _t("Device: {device} ({name}), {dtype} — {reason}")
                        .replace("{device}", str(result.get("device")))
                        .replace("{name}", str(result.get("device_name")))
                        .replace("{dtype}", str(result.get("dtype")))
                        .replace("{reason}", str(result.get("dtype_reason") or "")),
                        _t("Speed: {sps} steps/s · total {total} s")
                        .replace("{sps}", number(result.get("steps_per_s")))
                        .replace("{total}", number(result.get("total_s"))),
                        _t("Dequantization: {gbps} GB/s · peak memory: {mem}")
                        .replace("{gbps}", number(result.get("dequant_gbps"), 3))
                        .replace("{mem}", mib(result.get("peak_memory_bytes"))),
                        _t("Against the CPU: PSNR {psnr} dB, max abs error {err}")
                        .replace("{psnr}", number(result.get("psnr_db_vs_cpu"), 1))
                        .replace("{err}", number(result.get("max_abs_error_vs_cpu"), 4)),
                    ]
                )
            )
        pix = _pixmap(result.get("image"))
        if pix is not None:
            self.image.setPixmap(pix)
        else:
            self.image.clear()
        if record:
            self._record(result)

    def _record(self, result: dict) -> None:
        """Append the run to the shared history (the CLI's runs recorded meanwhile are kept)."""
        entry = history.record(result, self._requested)
        try:
            self.history = history.append(self.history_path, entry)
        except OSError as exc:
            self.history.append(entry)
            self.status.setText(_t("Could not save the history: {error}").replace("{error}", str(exc)))
        self._fill_history()

    def _fill_history(self) -> None:
        self.table.setRowCount(0)
        for run in reversed(self.history):
            row = self.table.rowCount()
            self.table.insertRow(row)
            values = [
                run.get("when"),
                run.get("python"),
                run.get("device"),
                run.get("dtype"),
                run.get("verdict"),
                run.get("steps_per_s"),
                run.get("psnr_db_vs_cpu"),
                " ".join(run.get("codes") or []),
            ]
            for col, value in enumerate(values):
                self.table.setItem(row, col, QTableWidgetItem("" if value is None else str(value)))

    def shutdown(self) -> None:
        if self._cancel is not None:
            self._cancel.set()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
