"""The Match page: which profile fits the GPU and why (confidence badge, sources as links, every candidate
with the rules it passed or failed), and the VRAM advisor. A thin view over profiles.matcher/advisor."""

from __future__ import annotations

import html

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.format import or_missing
from probes.core.i18n import Text, render

STEP = "match"
CTX = "MatchPage"
BADGE_COLORS = {"official": "#1b7f3b", "community": "#8a6d00", "unverified": "#b00020"}


def _t(source: str) -> str:
    return QCoreApplication.translate(CTX, source)


def _source_html(source: str) -> str:
    """A source as a link when it is a URL (or starts with one) or starts with a GitHub ``owner/repo``, else
    plain text."""
    first = source.split(" ", 1)[0]
    if first.startswith(("http://", "https://")):
        rest = source[len(first) :]
        return f'<a href="{html.escape(first)}">{html.escape(first)}</a>{html.escape(rest)}'
    if first.count("/") == 1 and not first.startswith("/"):
        url = f"https://github.com/{first}"
        return f'<a href="{html.escape(url)}">{html.escape(first)}</a>{html.escape(source[len(first) :])}'
    return html.escape(source)


class MatchPage(QWidget):
    def __init__(self, ctx, parent=None):
        super().__init__(parent)
        self.ctx = ctx
        self.result = None
        self._busy = False
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.gpu_label = QLabel()
        self.gpu_combo = QComboBox()
        self.os_label = QLabel()
        self.os_combo = QComboBox()
        for os_name in ("linux", "windows", "darwin"):
            self.os_combo.addItem(os_name, os_name)
        top.addWidget(self.gpu_label)
        top.addWidget(self.gpu_combo, 1)
        top.addWidget(self.os_label)
        top.addWidget(self.os_combo)
        root.addLayout(top)
        split = QSplitter(Qt.Vertical)
        root.addWidget(split, 1)

        self.chosen_box = QGroupBox()
        cl = QVBoxLayout(self.chosen_box)
        self.badge = QLabel()
        self.badge.setObjectName("confidenceBadge")
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.why = QLabel()
        self.why.setWordWrap(True)
        self.sources = QLabel()
        self.sources.setWordWrap(True)
        self.sources.setOpenExternalLinks(True)
        self.sources.setTextFormat(Qt.RichText)
        for w in (self.badge, self.title, self.details, self.why, self.sources):
            cl.addWidget(w)
        split.addWidget(self.chosen_box)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeToContents)
        split.addWidget(self.tree)

        self.advisor_box = QGroupBox()
        form = QFormLayout(self.advisor_box)
        self.vram = QDoubleSpinBox()
        self.vram.setRange(0.5, 512)
        self.vram.setValue(8)
        self.width_spin = QSpinBox()
        self.height_spin = QSpinBox()
        for s in (self.width_spin, self.height_spin):
            s.setRange(16, 16384)
            s.setSingleStep(16)
            s.setValue(1024)
        self.batch = QSpinBox()
        self.batch.setRange(1, 64)
        self.quant = QComboBox()
        for q in ("fp16", "q8", "q4"):
            self.quant.addItem(q, q)
        self.advice_label = QLabel()
        self.advice_label.setWordWrap(True)
        self.form_labels = [QLabel() for _ in range(5)]
        for lab, w in zip(
            self.form_labels,
            (self.vram, self.width_spin, self.height_spin, self.batch, self.quant),
            strict=True,
        ):
            form.addRow(lab, w)
        self.advise_button = QPushButton()
        form.addRow(self.advise_button)
        form.addRow(self.advice_label)
        split.addWidget(self.advisor_box)

        self.gpu_combo.currentIndexChanged.connect(lambda _i: self.rematch())
        self.os_combo.currentIndexChanged.connect(lambda _i: self.rematch())
        self.advise_button.clicked.connect(self.update_advice)
        for s in (self.vram, self.width_spin, self.height_spin, self.batch):
            s.valueChanged.connect(lambda _v: self.update_advice())
        self.quant.currentIndexChanged.connect(lambda _i: self.update_advice())
        ctx.probe_changed.connect(self.on_probe)
        ctx.language_changed.connect(lambda _lang: self.retranslate())
        self.retranslate()
        if ctx.probe_result is not None:
            self.on_probe(ctx.probe_result)

    # -------------------------------------------------------------------------------- language
    def changeEvent(self, event):
        if event.type() == QEvent.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self):
        self.gpu_label.setText(_t("GPU:"))
        self.os_label.setText(_t("Operating system:"))
        self.chosen_box.setTitle(_t("Chosen profile"))
        self.advisor_box.setTitle(_t("VRAM advisor"))
        self.tree.setHeaderLabels([_t("Candidate / rule"), _t("Result")])
        for lab, text in zip(
            self.form_labels,
            (_t("VRAM (GB)"), _t("Width"), _t("Height"), _t("Batch"), _t("Model format")),
            strict=True,
        ):
            lab.setText(text)
        self.advise_button.setText(_t("Advise"))
        self.show_result()
        self.update_advice()

    # ------------------------------------------------------------------------------------ data
    def on_probe(self, result):
        self.gpu_combo.blockSignals(True)
        self.gpu_combo.clear()
        for g in result.gpus if result else []:
            self.gpu_combo.addItem(f"{g.index}: {g.name or '?'} [{g.vendor or '?'}]", g.index)
        if result and not result.gpus:
            self.gpu_combo.addItem(_t("no GPU"), None)
        self.gpu_combo.blockSignals(False)
        if result and result.host.platform in ("linux", "windows", "darwin"):
            self.os_combo.blockSignals(True)
            self.os_combo.setCurrentIndex(self.os_combo.findData(result.host.platform))
            self.os_combo.blockSignals(False)
        self.rematch(initial=True)

    def rematch(self, initial: bool = False):
        probe = self.ctx.probe_result
        if probe is None:
            return
        gpu_index = None if initial else self.gpu_combo.currentData()
        os_name = self.os_combo.currentData()

        def job(_progress):
            from profiles.matcher import match

            return match(probe, gpu_index=gpu_index, os_name=os_name)

        self._busy = True
        self.ctx.run_in_worker(job, on_done=self._matched, on_error=self._failed)

    def _matched(self, result):
        self._busy = False
        self.result = result
        self.ctx.set_match_result(result)
        if result.gpu is not None:
            i = self.gpu_combo.findData(result.gpu.index)
            if i >= 0 and i != self.gpu_combo.currentIndex():
                self.gpu_combo.blockSignals(True)
                self.gpu_combo.setCurrentIndex(i)
                self.gpu_combo.blockSignals(False)
            if result.gpu.memory_total_bytes:
                self.vram.blockSignals(True)
                self.vram.setValue(round(result.gpu.memory_total_bytes / 2**30, 1))
                self.vram.blockSignals(False)
        self.show_result()
        self.update_advice()

    def _failed(self, exc):
        self._busy = False
        self.title.setText(f"{getattr(exc, 'code', 'error')}: {render(getattr(exc, 'message', str(exc)))}")

    def show_result(self):
        r = self.result
        self.tree.clear()
        if r is None:
            self.badge.setText("")
            self.title.setText(_t("Probe the machine first (Detect page), or load a saved probe."))
            self.details.setText("")
            self.why.setText("")
            self.sources.setText("")
            return
        c = r.chosen
        color = BADGE_COLORS.get(c.confidence, "#555")
        label = {"official": _t("OFFICIAL"), "community": _t("COMMUNITY"), "unverified": _t("UNVERIFIED")}[
            c.confidence
        ]
        self.badge.setText(label)
        self.badge.setStyleSheet(
            f"QLabel {{ background: {color}; color: white; padding: 2px 8px; "
            "border-radius: 4px; font-weight: bold; }"
        )
        sim = _t("SIMULATED rig: {name}").format(name=r.simulated) + " - " if r.simulated else ""
        self.title.setText(f"<b>{html.escape(sim + render(Text('profile-notes', c.title)))}</b> ({c.id})")
        lines = [_t("Python: {python}").format(python=or_missing(c.python))]
        if c.index_url:
            lines.append(_t("Index: {url}").format(url=c.index_url))
        lines.append(_t("Packages: {packages}").format(packages=or_missing(" ".join(c.packages))))
        if c.env:
            lines.append(_t("Environment: {env}").format(env=", ".join(f"{k}={v}" for k, v in c.env)))
        lines.append(_t("Tuning: {tuning}").format(tuning=", ".join(f"{k}={v}" for k, v in c.tuning)))
        for k, v in c.requires:
            lines.append(_t("Requires {what}: {value}").format(what=k, value=v))
        for w in c.warnings:
            lines.append("⚠ " + render(w))
        for n in c.notes:
            lines.append("• " + render(n))
        for k in c.known_problems:
            lines.append(
                _t("Known problem \u201c{pattern}\u201d: {meaning} {hint}").format(
                    pattern=k.pattern,
                    meaning=render(Text("profile-notes", k.meaning)),
                    hint=render(Text("profile-notes", k.hint)),
                )
            )
        self.details.setText("\n".join(lines))
        chosen_c = (
            r.candidates[0]
            if r.candidates and r.candidates[0].id == c.id
            else next((x for x in r.candidates if x.id == c.id), None)
        )
        why = [
            render(x.message)
            for x in (chosen_c.reasons if chosen_c else ())
            if x.kind != "require" or x.rule.startswith(("cuda.", "rocm."))
        ]
        rejected = [
            x
            for x in r.candidates
            if not x.accepted and r.gpu is not None and r.gpu.vendor in x.profile.match.vendor
        ]
        if rejected:
            why.append(_t("Rejected for this card: {ids}").format(ids=", ".join(x.id for x in rejected)))
        self.why.setText(
            "<b>"
            + html.escape(_t("Why this choice:"))
            + "</b><br>"
            + "<br>".join(html.escape(w) for w in why)
        )
        self.why.setTextFormat(Qt.RichText)
        self.sources.setText(
            "<b>" + html.escape(_t("Sources:")) + "</b><br>" + "<br>".join(_source_html(s) for s in c.sources)
        )
        for cand in r.candidates:
            status = _t("accepted") if cand.accepted else _t("rejected")
            conf = {"official": _t("official"), "community": _t("community"), "unverified": _t("unverified")}[
                cand.confidence
            ]
            top = QTreeWidgetItem([f"{cand.id} [{conf}]", status])
            top.setData(0, Qt.UserRole, cand.id)
            top.setForeground(1, QBrush(QColor("#1b7f3b" if cand.accepted else "#b00020")))
            if cand.confidence == "unverified":
                top.setToolTip(0, _t("Unverified: taken from a guide, not confirmed by the research."))
            for reason in cand.reasons:
                mark = (
                    _t("ok")
                    if reason.ok
                    else (_t("not preferred") if reason.kind == "prefer" else _t("fails"))
                )
                child = QTreeWidgetItem([render(reason.message), mark])
                child.setToolTip(0, "\n".join(reason.sources))
                if not reason.ok:
                    child.setForeground(1, QBrush(QColor("#b00020")))
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        if r.candidates:
            self.tree.expandItem(self.tree.topLevelItem(0))

    def update_advice(self):
        from probes.core.errors import RigPilotError
        from profiles.advisor import Workload, advise

        try:
            a = advise(
                self.vram.value(),
                Workload(
                    self.width_spin.value(),
                    self.height_spin.value(),
                    self.batch.value(),
                    None,
                    self.quant.currentData(),
                ),
            )
        except RigPilotError as exc:
            self.advice_label.setText(f"{exc.code}: {render(exc.message)}")
            return
        verdict = {"fits": _t("fits"), "tight": _t("tight"), "does-not-fit": _t("does not fit")}[a.verdict]
        head = _t(
            "{verdict}: about {need} GB of {vram} GB. Recommended {w}x{h}, batch {b}, {quant}, VRAM mode "
            "{mode}."
        ).format(
            verdict=verdict,
            need=f"{a.estimate_gb:.1f}",
            vram=f"{a.vram_gb:.1f}",
            w=a.width,
            h=a.height,
            b=a.batch,
            quant=a.quant,
            mode=a.vram_mode,
        )
        self.advice_label.setText(head + "\n" + "\n".join("• " + render(x) for x in a.reasons))
        self.last_advice = a

    def shutdown(self):
        self.ctx.wait_for_workers(5000)
