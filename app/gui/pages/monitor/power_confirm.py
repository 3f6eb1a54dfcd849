"""Keep the new power limit? The dialog that counts down a :class:`probes.live.power.PendingChange`.

The decision (the deadline, whether an answer keeps the change, how to revert) is the pending
change's, the same object ``power set --confirm-seconds`` drives on the terminal; this dialog only
shows the countdown from a once-a-second QTimer and answers No when it reaches zero.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from app.gui.pages.monitor.common import _t


class PowerConfirmDialog(QMessageBox):
    """Yes keeps the change; No, closing or the countdown reaching zero finishes with No."""

    def __init__(self, pending, parent=None):
        super().__init__(QMessageBox.Icon.Question, _t("Keep the new power limit?"), "", parent=parent)
        self.pending = pending
        self.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        self.timer = QTimer(self)
        self.timer.setInterval(1000)
        self.timer.timeout.connect(self._tick)
        self.finished.connect(lambda _code: self.timer.stop())
        self._show_countdown()

    def start(self) -> None:
        self.timer.start()
        self.open()

    def keeps(self, code) -> bool:
        """Does the dialog's result keep the change (a Yes before the deadline)?"""
        return self.pending.kept(code == QMessageBox.StandardButton.Yes)

    def _show_countdown(self) -> None:
        result = self.pending.result
        self.setText(
            _t("GPU {gpu} now runs at {watts} W. Keep it? Reverting to {previous} W in {n} s.").format(
                gpu=self.pending.gpu,
                watts=f"{result.requested_w:.0f}",
                previous="-" if result.previous_w is None else f"{result.previous_w:.0f}",
                n=self.pending.countdown(),
            )
        )

    def _tick(self) -> None:
        if self.pending.countdown() <= 0:
            self.done(QMessageBox.StandardButton.No)
        else:
            self._show_countdown()
