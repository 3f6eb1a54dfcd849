"""Desktop notifications of the thermal guard's actions, where the desktop has a system tray."""

from __future__ import annotations

from PySide6.QtWidgets import QSystemTrayIcon, QWidget

from app.gui.pages.monitor.common import _t


class TrayNotifier:
    """Shows a tray message per guard action; the tray icon is created on the first one."""

    def __init__(self, owner: QWidget):
        self.owner = owner
        self.tray: QSystemTrayIcon | None = None

    def notify(self, text: str) -> None:
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return
        if self.tray is None:
            self.tray = QSystemTrayIcon(self.owner.windowIcon(), self.owner)
            self.tray.show()
        self.tray.showMessage(_t("RigPilot thermal guard"), text)

    def hide(self) -> None:
        if self.tray is not None:
            self.tray.hide()
