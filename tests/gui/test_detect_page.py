"""The Detect page on probe results built from real captures (tests/data/gui/*.json)."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from app.format import MISSING
from app.gui.pages.detect import DetectPage
from probes.core.errors import RigPilotError
from probes.core.model import Compute, Driver, Gpu, Pci, SourceResult
from probes.detect.sources import Source

from .conftest import load_result


@pytest.fixture
def page(qtbot, ctx):
    p = DetectPage(ctx)
    qtbot.addWidget(p)
    p.resize(1000, 800)
    yield p
    p.shutdown()


def shown(widget) -> str:
    return "\n".join(w.text() for w in widget.findChildren(QLabel) if not w.isHidden() or True)


def test_empty_state_before_any_scan(page):
    text = shown(page.content)
    assert "No scan yet" in text
    assert not page.copy_button.isEnabled() and not page.save_button.isEnabled()


def test_two_gpus_show_a_card_each_with_their_facts(page, ctx):
    ctx.set_probe_result(load_result("two-gpus-linux"))
    assert [c.title.text() for c in page.gpu_cards] == ["MTT S80", "GeForce RTX 2060"]
    s80, rtx = (c.values for c in page.gpu_cards)
    assert s80["Driver"].text() == "3.0.0"
    assert s80["Tool"].text() == "mthreads-gmi 2.0.0"
    assert s80["VRAM"].text() == "16.0 GiB"
    assert s80["Compute"].text() == "MUSA · mp_21"
    assert s80["PCI"].text() == "1ed5:0201 at 0000:01:00.0"
    assert s80["Sources"].text() == "pci-sysfs, mthreads-gmi"
    assert rtx["VRAM"].text() == "5.8 GiB"  # 5934 MiB
    assert rtx["Compute"].text() == "CUDA · capability 7.5 · driver supports CUDA up to 11.2"
    assert page.copy_button.isEnabled() and page.save_button.isEnabled()
    assert "2 graphics card(s), 2 error(s), 1 warning(s)" in page.subtitle.text()


def test_problems_show_code_message_and_hint(page, ctx):
    ctx.set_probe_result(load_result("two-gpus-linux"))
    rows = {r.problem.code: r for r in page.problem_rows}
    assert list(rows) == ["torch-cpu-build-on-gpu-machine", "render-group-missing", "smi-tool-timeout"]
    r = rows["render-group-missing"]
    assert r.code.text() == "render-group-missing"
    assert "/dev/dri/renderD128" in r.message.text()
    assert r.hint.text() == "Hint: Run 'sudo usermod -aG render $USER', then log out and in again."
    assert rows["torch-cpu-build-on-gpu-machine"].code.text() == "torch-cpu-build-on-gpu-machine · GPU 1"
    text = shown(page.content)
    assert "torch 2.5.1+cpu · device APIs that work: cpu" in text
    assert "/usr/bin/python3.10" in text  # another interpreter the host source found


def test_card_without_driver_says_so(page, ctx):
    ctx.set_probe_result(load_result("s80-no-driver"))
    (card,) = page.gpu_cards
    assert card.values["Driver"].text() == "not installed"
    assert card.values["VRAM"].text() == MISSING  # None is shown as missing, never 0
    (row,) = page.problem_rows
    assert row.code.text() == "driver-not-installed · GPU 0"
    assert "Install the Moore Threads driver" in row.hint.text()


def test_no_gpu_empty_state(page, ctx):
    ctx.set_probe_result(load_result("no-gpu"))
    assert page.gpu_cards == []
    assert "No graphics card found" in shown(page.content)
    assert [r.code.text() for r in page.problem_rows] == ["no-gpu"]


def test_error_state_shows_code_message_and_hint(page):
    page._on_error(RigPilotError("recording-unreadable", "The recording cannot be read.", "Record it again."))
    text = shown(page.content)
    assert "Scan failed" in text and "recording-unreadable" in text
    assert "The recording cannot be read." in text and "Hint: Record it again." in text
    page._on_error(KeyError("gpus"))
    text = shown(page.content)
    assert "probe-crashed" in text and "KeyError" in text


class SlowSource(Source):
    """A real Source that takes a while, like an smi tool answering slowly."""

    name = "slow-fake"
    priority = 10
    timeout_s = 5.0

    def collect(self, host, ctx):
        time.sleep(0.6)
        return SourceResult(
            gpus=[
                Gpu(
                    vendor="mthreads",
                    name="MTT S80",
                    pci=Pci(vendor_id="1ed5", device_id="0201", bus_id="0000:01:00.0"),
                    driver=Driver(version="3.0.0", tool="mthreads-gmi", tool_version="2.0.0"),
                    memory_total_bytes=16 * 2**30,
                    compute=Compute(api="musa", arch="mp_21"),
                )
            ]
        )


class QuickSource(Source):
    name = "quick-fake"
    priority = 20

    def collect(self, host, ctx):
        return SourceResult()


def test_rescan_runs_in_a_worker_and_keeps_the_event_loop_running(page, ctx, qtbot, monkeypatch):
    monkeypatch.setattr("probes.detect.engine.all_sources", lambda: [SlowSource(), QuickSource()])
    progress = []
    ticks = []
    ticker = QTimer()
    ticker.setInterval(20)
    ticker.timeout.connect(lambda: ticks.append(1))
    ticker.start()
    try:
        with qtbot.waitSignal(ctx.probe_changed, timeout=15000) as blocker:
            job = page.rescan()
            job.progress.connect(progress.append)
            assert page.busy and not page.rescan_button.isEnabled() and not page.progress.isHidden()
            assert page.rescan() is job  # a second click does not start a second scan
            assert "Scanning this machine" in shown(page.content)
    finally:
        ticker.stop()
    # the GUI thread kept serving timer events while the source slept in the worker
    assert len(ticks) >= 5
    assert ("finished", "slow-fake", 2, 2) in progress or ("finished", "slow-fake", 1, 2) in progress
    result = blocker.args[0]
    assert [g.name for g in result.gpus] == ["MTT S80"]
    assert not page.busy and page.rescan_button.isEnabled() and page.progress.isHidden()
    assert [c.title.text() for c in page.gpu_cards] == ["MTT S80"]
    assert set(result.timings) >= {"slow-fake", "quick-fake", "total"}


def test_copy_report_puts_a_redacted_report_on_the_clipboard(page, ctx):
    assert page.copy_report() is False  # nothing scanned yet
    ctx.set_probe_result(load_result("two-gpus-linux"))
    assert page.copy_report() is True
    text = QApplication.clipboard().text()
    assert text.startswith("# RigPilot diagnostic report")
    assert "MUSA-PC" not in text and "tech-renaissance" not in text
    assert "GPU-22b2c6ac" not in text and "<uuid>" in text
    assert "`render-group-missing`" in text


def test_save_report_writes_the_file_and_reports_bad_paths(page, ctx, tmp_path):
    with pytest.raises(RigPilotError) as err:
        page.save_report(tmp_path / "r.md")
    assert err.value.code == "report-no-scan"
    ctx.set_probe_result(load_result("s80-no-driver"))
    target = page.save_report(tmp_path / "r.md")
    assert "driver-not-installed" in target.read_text(encoding="utf-8")
    with pytest.raises(RigPilotError) as err:
        page.save_report(tmp_path / "missing-dir" / "r.md")
    assert err.value.code == "report-write-failed"


def test_cards_stack_in_one_column_on_a_narrow_window(page, ctx, qtbot):
    page.resize(1000, 700)
    page.show()
    ctx.set_probe_result(load_result("two-gpus-linux"))
    assert page._layout_cols == 2
    page.resize(700, 700)
    qtbot.waitUntil(lambda: page._layout_cols == 1)
    assert len(page.gpu_cards) == 2
    page.resize(1000, 700)
    qtbot.waitUntil(lambda: page._layout_cols == 2)


def test_a_probe_that_raises_in_the_worker_shows_the_error_state(page, ctx, qtbot, monkeypatch):
    def broken_probe(*a, **kw):
        raise RigPilotError("recording-unreadable", "The recording cannot be read.", "Record it again.")

    monkeypatch.setattr("probes.detect.engine.probe", broken_probe)
    page.rescan()
    qtbot.waitUntil(lambda: not page.busy, timeout=10000)  # the failure arrives as a queued signal
    text = shown(page.content)
    assert "Scan failed" in text and "recording-unreadable" in text and "Hint: Record it again." in text
    assert page.rescan_button.isEnabled() and page.progress.isHidden()
    assert ctx.probe_result is None


def test_save_button_asks_for_a_file_and_reports_failures(page, ctx, tmp_path, monkeypatch):
    ctx.set_probe_result(load_result("no-gpu"))
    target = tmp_path / "report.md"
    monkeypatch.setattr(
        "app.gui.pages.detect.QFileDialog.getSaveFileName", lambda *a, **kw: (str(target), "Markdown (*.md)")
    )
    warnings = []
    monkeypatch.setattr("app.gui.pages.detect.QMessageBox.warning", lambda *a: warnings.append(a[2]))
    page.save_button.click()
    assert target.read_text(encoding="utf-8").startswith("# RigPilot diagnostic report")
    assert warnings == []
    monkeypatch.setattr(
        "app.gui.pages.detect.QFileDialog.getSaveFileName",
        lambda *a, **kw: (str(tmp_path / "no" / "such" / "dir.md"), ""),
    )
    page.save_button.click()
    assert len(warnings) == 1 and "[report-write-failed]" in warnings[0]
    monkeypatch.setattr("app.gui.pages.detect.QFileDialog.getSaveFileName", lambda *a, **kw: ("", ""))
    page.save_button.click()  # cancelled: nothing happens
    assert len(warnings) == 1


def test_inspect_python_checks_an_environment_and_lists_its_torch(page, ctx, qtbot, fake_tools, monkeypatch):
    """'Inspect Python…' runs the runtime probe on the chosen interpreter (here a fake one that
    answers like a CPU-only torch build) and every later scan keeps inspecting it."""
    from tests.detect.sources.test_runtime import CPU_BUILD

    py = str(fake_tools.replay("envpython", {"*": {"stdout": CPU_BUILD + "\n"}}))
    from probes.detect.sources.runtime import RuntimeSource

    class S80(Source):
        name, priority = "s80-fake", 10

        def collect(self, host, ctx):
            return SourceResult(
                gpus=[
                    Gpu(
                        vendor="mthreads",
                        name="MTT S80",
                        compute=Compute(api="musa", arch="mp_21"),
                        pci=Pci(vendor_id="1ed5", device_id="0201", bus_id="0000:01:00.0"),
                    )
                ]
            )

    monkeypatch.setattr("probes.detect.engine.all_sources", lambda: [S80(), RuntimeSource()])
    with qtbot.waitSignal(ctx.probe_changed, timeout=20000) as blocker:
        page.inspect_python(py)
    result = blocker.args[0]
    assert [r.torch for r in result.runtimes] == ["2.5.1+cpu"]
    assert ctx.pythons == [py]
    text = shown(page.content)
    assert "torch 2.5.1+cpu" in text
    # a CPU-only torch on a machine with a GPU is the classic silent failure: it is flagged
    assert "torch-cpu-build-on-gpu-machine" in [p.code for p in result.problems]
    assert page.python_button.text() == "Inspect Python…"


def test_vm_display_adapter_is_shown_as_such_not_as_a_gpu(page, ctx):
    from probes.core.replay import simulated_host
    from probes.detect.engine import probe

    ctx.set_probe_result(probe(simulated_host("vm-no-gpu")))
    assert page.gpu_cards == []
    (card,) = page.display_cards
    assert card.title.text() == "Virtio 1.0 GPU"
    assert card.kind.text() == "Virtual machine display · shows the desktop, cannot run generation"
    text = shown(page.content)
    assert "No graphics card found" in text and "Only a display adapter was found (below)" in text
    assert "no-gpu" in [r.problem.code for r in page.problem_rows]
