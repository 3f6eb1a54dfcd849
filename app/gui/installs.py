"""The installs RigPilot made (``installers.records``), offered where a page needs an environment: the
Launch and Verify pages' "Installed environments" choice. Picking one hands its record to the page."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox

CTX = "InstalledEnvs"


def _t(text: str) -> str:
    return QCoreApplication.translate(CTX, text)


def load_records(data_dir) -> list[dict]:
    """The install records, each checked against its folder; [] when the file cannot be read."""
    from installers import records

    try:
        return records.refresh(data_dir)
    except Exception:  # a damaged records file is moved aside by the core; never break a page for it
        return []


def describe(rec: dict) -> str:
    """One line for a record: app, folder, torch and whether the folder is still there."""
    text = _t("{app} in {dir} (torch {torch})").format(
        app=rec.get("app") or "?", dir=rec.get("dir") or "?", torch=rec.get("torch") or "?"
    )
    if rec.get("damaged"):
        return text + " — " + _t("state file damaged")
    if not rec.get("present", True):
        return text + " — " + _t("folder missing")
    return text


class InstallsCombo(QComboBox):
    """A combo of the installs; ``chosen`` carries the record the user picked (a dict)."""

    chosen = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.records: list[dict] = []
        self.setMinimumContentsLength(30)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.activated.connect(self._activated)
        ctx.installs_changed.connect(self.reload)
        ctx.installed.connect(self._on_installed)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        current = select or (self.currentData() or {}).get("dir")
        self.records = load_records(self.ctx.data_dir)
        self.blockSignals(True)
        self.clear()
        self.addItem("", None)
        for rec in self.records:
            self.addItem(describe(rec), rec)
            self.setItemData(self.count() - 1, rec.get("dir"), 3)  # tooltip: the full folder
        index = next((i + 1 for i, r in enumerate(self.records) if r.get("dir") == current), 0)
        self.setCurrentIndex(index)
        self.blockSignals(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.setItemText(
            0,
            _t("Choose an installed environment…") if self.records else _t("No installs yet (Install step)"),
        )
        for i, rec in enumerate(self.records, 1):
            self.setItemText(i, describe(rec))

    def _on_installed(self, rec: dict) -> None:
        self.reload(select=rec.get("dir"))

    def _activated(self, index: int) -> None:
        rec = self.itemData(index)
        if isinstance(rec, dict):
            self.chosen.emit(rec)
