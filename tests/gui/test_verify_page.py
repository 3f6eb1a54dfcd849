"""Verify page, standalone (the main window is built elsewhere)."""

from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6")

from app.gui.context import AppContext  # noqa: E402
from app.gui.pages import verify  # noqa: E402
from probes.smoke import history  # noqa: E402


@pytest.fixture
def page(qtbot, tmp_path):
    ctx = AppContext(data_dir=tmp_path)
    p = verify.VerifyPage(ctx)
    qtbot.addWidget(p)
    yield p
    p.shutdown()
    ctx.wait_for_workers(60000)


def _run(qtbot, page, device="cpu", steps=3):
    page.device.setCurrentText(device)
    page.steps.setValue(steps)
    page.run_button.click()
    assert not page.run_button.isEnabled() and page.cancel_button.isEnabled()
    qtbot.waitUntil(lambda: page.last_result is not None, timeout=120000)
    return page.last_result


@pytest.mark.needs_torch
def test_run_on_cpu_shows_image_verdict_and_records_history(qtbot, page, tmp_path):
    result = _run(qtbot, page, steps=3)
    assert result["verdict"] in ("pass", "warn")
    assert page.progress.value() == 3 and page.progress.maximum() == 3
    assert "Step times (ms)" in page.step_label.text()
    assert page.image.pixmap() is not None and not page.image.pixmap().isNull()
    assert page.reference.pixmap() is not None and not page.reference.pixmap().isNull()
    assert "Verdict" in page.verdict.text()
    runs = json.loads((tmp_path / history.FILE).read_text(encoding="utf-8"))
    assert runs[-1]["device"] == "cpu" and runs[-1]["steps"] == 3
    assert page.table.rowCount() == 1
    assert page.run_button.isEnabled()


@pytest.mark.needs_torch
def test_missing_device_is_explained_with_code_and_hint(qtbot, page):
    result = _run(qtbot, page, device="cuda:9")
    assert result["codes"] == ["device-unavailable"]
    text = page.verdict.text()
    assert "[device-unavailable]" in text and "Hint" in text and "cuda is not available" in text


def test_history_survives_restart_and_damaged_file_is_kept(qtbot, tmp_path):
    path = tmp_path / history.FILE
    path.write_text(
        json.dumps([{"when": "2026-01-01 00:00:00", "device": "musa:0", "verdict": "pass", "codes": []}]),
        encoding="utf-8",
    )
    ctx = AppContext(data_dir=tmp_path)
    p = verify.VerifyPage(ctx)
    qtbot.addWidget(p)
    assert p.table.rowCount() == 1 and p.table.item(0, 2).text() == "musa:0"
    path.write_text("{not json", encoding="utf-8")
    p2 = verify.VerifyPage(AppContext(data_dir=tmp_path))
    qtbot.addWidget(p2)
    assert p2.table.rowCount() == 0
    assert list(tmp_path.glob(history.FILE + ".damaged-*"))


@pytest.mark.needs_torch
def test_cancel_stops_the_run(qtbot, page):
    page.device.setCurrentText("cpu")
    page.steps.setValue(1000)
    page.resolution.setValue(256)
    page.run_button.click()
    qtbot.waitUntil(lambda: bool(page._steps), timeout=120000)
    page.cancel_button.click()
    qtbot.waitUntil(lambda: page.run_button.isEnabled(), timeout=30000)
    assert "Cancel" in page.status.text()
    assert page.table.rowCount() == 0


def test_probe_result_offers_devices(page):
    from probes.core.model import Compute, Gpu, ProbeResult

    gpu = Gpu(index=0, vendor="mthreads", name="MTT S80", compute=Compute(api="musa"), vendor_index=0)
    try:
        result = ProbeResult(gpus=[gpu])
    except TypeError:
        pytest.skip("ProbeResult signature differs")
    page.ctx.set_probe_result(result)
    assert page.device.findText("musa:0") >= 0
