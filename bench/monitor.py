"""Benchmark of the Monitor page (issue 5 targets: ≤ 1 % of one core at 1 Hz, median redraw ≤ 5 ms
with 24 h of data, memory flat over 24 h of samples).

    QT_QPA_PLATFORM=offscreen python bench/monitor.py [--seconds 60] [--rig DIR|NAME] [--json]

1. cpu:    the whole process's CPU time (all threads: GUI, sampler) while the Monitor page is
           shown offscreen on a simulated rig, sampling at 1 Hz, for ``--seconds`` of wall time.
2. redraw: frames with a full 24 h ring buffer per GPU and the 24 h window selected, wall and
           CPU milliseconds for all GPUs together: "full" (window switch: every curve rebuilt,
           time axis re-rendered, full repaint), "column" (what happens each time a pixel column
           of time has passed, ~every 80 s at 24 h: curves rebuilt, axis unchanged) and "tick"
           (a 1 Hz sample between columns: tiles + repaint).
   session: 300 samples as the app handles them (ingest, the redraw timer's redraw, then Qt paints
           what was invalidated), with the 24 h and the 5 min window: median, p95 and max CPU ms
           of the GUI thread per sample — the frame times a user actually gets.
3. memory: 24 h of simulated samples (injected clock, no waiting) through the Sampler, the
           thermal guard and the page's ring buffers; RSS and Python heap after 1 h and after 24 h.
4. vs_reference: the same curve-rebuilding frames against stock pyqtgraph (a PlotDataItem per
           series fed the whole window, its own clip-to-view + peak downsampling) in the same
           process on the same data, interleaved; medians and the speed-up.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_RIG = ROOT / "tests" / "data" / "rigs" / "monitor-test"


def _fresh_data_dir() -> Path:
    """An empty data folder per page: no stored preferences (window, CSV log…) change what is measured."""
    import atexit
    import shutil
    import tempfile

    folder = tempfile.mkdtemp(prefix="rigpilot-bench-")
    atexit.register(shutil.rmtree, folder, True)
    return Path(folder)


def _cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _rss_mib() -> float:
    import psutil

    return psutil.Process().memory_info().rss / 2**20


GPU_LIMIT: int | None = None  # --gpus N: only the first N GPUs of the rig
SESSION_S = 300  # 1 Hz samples of the "session" measurement, per window


def _host_and_result(rig: str):
    from app.commands._open_telemetry import probe_host
    from probes.core.replay import ReplayHost, simulated_host

    if (Path(rig) / "manifest.json").is_file():
        host = ReplayHost(rig, simulated=Path(rig).resolve().name)
    else:
        host = simulated_host(rig)
    result = probe_host(host)
    if GPU_LIMIT is not None:
        result.gpus = result.gpus[:GPU_LIMIT]
    return host, result


def _pump(app, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def _dispose(app, page, ctx) -> None:
    """Delete the Qt objects while the QApplication still exists (no teardown crash at exit)."""
    page.hide()
    page.deleteLater()
    ctx.deleteLater()
    for _ in range(3):
        app.processEvents()


def bench_cpu(app, rig: str, seconds: float) -> dict:
    from app.gui.context import AppContext
    from app.gui.pages.monitor import MonitorPage

    host, result = _host_and_result(rig)
    ctx = AppContext(host=host, data_dir=_fresh_data_dir())
    page = MonitorPage(ctx, interval_s=1.0)
    page.resize(1200, 1400)
    page.show()
    ctx.set_probe_result(result)
    deadline = time.monotonic() + 20
    while page.sample_count() < 3 and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    # measure with the event loop idle-waiting like the real app (exec), not a busy processEvents loop
    from PySide6.QtCore import QTimer

    c0, w0, n0 = _cpu_s(), time.monotonic(), page.sample_count()
    f0 = {g: p.frames for g, p in page.panels.items()}
    visible = {g: page.panel_on_screen(p) for g, p in page.panels.items()}
    QTimer.singleShot(int(seconds * 1000), app.quit)
    app.exec()
    c1, w1, n1 = _cpu_s(), time.monotonic(), page.sample_count()
    page.shutdown()
    wall = w1 - w0
    out = {
        "wall_s": round(wall, 2),
        "cpu_s": round(c1 - c0, 3),
        "cpu_pct_of_one_core": round(100.0 * (c1 - c0) / wall, 3),
        "samples_per_gpu": n1 - n0,
        "gpus": len(page.panels),
        "plot_rebuilds_per_gpu": {g: p.frames - f0[g] for g, p in page.panels.items()},
        "panel_visible": visible,
    }
    _dispose(app, page, ctx)
    return out


def _day_of_samples(result, host, hours: float, step_s: float = 1.0):
    """Simulated samples on a manual clock: a load profile that heats and cools the cards."""
    from probes.live.monitor import ManualClock, Sampler
    from probes.live.telemetry.registry import open_backends
    from probes.live.telemetry.simulated import SimulatedBackend

    clock = ManualClock()
    backends = open_backends(host, result)
    sampler = Sampler(backends, clock=clock)
    n = int(hours * 3600 / step_s)
    for i in range(n):
        hour = (i * step_s) // 3600
        if i % 600 == 0:
            for b in {id(b): b for b in backends.values()}.values():
                if isinstance(b, SimulatedBackend):
                    b.set_load(100 if hour % 2 == 0 else 10, now=clock())
        yield sampler, sampler.poll()
        clock.sleep(step_s)


def bench_redraw_and_memory(app, rig: str, frames: int) -> dict:
    from app.gui.context import AppContext
    from app.gui.pages.monitor import GpuPanel, MonitorPage
    from probes.live.guard import ThermalGuard
    from probes.live.monitor import GuardLoop

    host, result = _host_and_result(rig)
    ctx = AppContext(host=host, data_dir=_fresh_data_dir())
    page = MonitorPage(ctx, interval_s=1.0)
    page.result = result
    capacity = 86400 + 2
    for row, gpu in enumerate(result.gpus):
        panel = GpuPanel(page, gpu, capacity)
        page.body_layout.addWidget(panel, row, 0)
        page.panels[gpu.index] = panel
    page.resize(1200, 1400)
    page.show()
    app.processEvents()

    tracemalloc.start()
    loop = None
    marks = {}
    for i, (sampler, samples) in enumerate(_day_of_samples(result, host, 24.0)):
        if loop is None:
            loop = GuardLoop(ThermalGuard(), sampler, host=host)
        loop.feed(samples)
        page.ingest(samples)
        if i in (3600, 12 * 3600, 24 * 3600 - 1):
            app.processEvents()
            marks[i] = (_rss_mib(), tracemalloc.get_traced_memory()[0] / 2**20)
    tracemalloc.stop()
    (rss1, py1), (rss12, py12), (rss24, py24) = (marks[k] for k in sorted(marks))

    page.window_box.setCurrentIndex(2)  # 24 h
    app.processEvents()

    def frame(kind: str) -> tuple[float, float]:
        _sampler, samples = next(extra)
        page.ingest([replace(s, t=s.t + 86400) for s in samples])
        if kind == "column":  # a new pixel column is due: curves rebuilt, time axis unchanged
            for panel in page.panels.values():
                panel._drawn_t = None
        w0, c0 = time.perf_counter(), time.thread_time()
        page.redraw(force=kind == "full")
        for panel in page.panels.values():
            panel.graphics.viewport().repaint()
        return (time.perf_counter() - w0) * 1000.0, (time.thread_time() - c0) * 1000.0

    extra = _day_of_samples(result, host, (3 * frames + 2 * SESSION_S) / 3600.0 + 0.01)
    timed = {kind: [frame(kind) for _ in range(frames)] for kind in ("full", "column", "tick")}

    def session(window_index: int) -> list[float]:
        """What the app does for each 1 Hz sample: ingest, the redraw timer's redraw(), then Qt
        paints whatever the redraw invalidated (processEvents). CPU ms of the GUI thread."""
        page.window_box.setCurrentIndex(window_index)
        app.processEvents()
        out = []
        for _ in range(SESSION_S):
            _sampler, samples = next(extra)
            c0 = time.thread_time()
            page.ingest([replace(s, t=s.t + 86400) for s in samples])
            page.redraw()
            app.processEvents()
            out.append((time.thread_time() - c0) * 1000.0)
        return out

    sessions = {"24h": session(2), "5min": session(0)}

    def med(kind: str, i: int) -> float:
        return round(statistics.median(x[i] for x in timed[kind]), 2)

    times = sorted(x[0] for x in timed["full"])
    page.shutdown()
    per_gpu = [len(p.ring) for p in page.panels.values()]
    n_gpus = len(page.panels)
    _dispose(app, page, ctx)
    times.sort()
    return {
        "full_frame_ms_median": med("full", 0),
        "full_frame_cpu_ms_median": med("full", 1),
        "full_frame_ms_p95": round(times[int(0.95 * (len(times) - 1))], 2),
        "column_frame_ms_median": med("column", 0),
        "column_frame_cpu_ms_median": med("column", 1),
        "tick_ms_median": med("tick", 0),
        "tick_cpu_ms_median": med("tick", 1),
        **{
            f"session_{name}_cpu_ms_{stat}": round(fn(v), 2)
            for name, v in sessions.items()
            for stat, fn in (
                ("median", statistics.median),
                ("p95", lambda v: sorted(v)[int(0.95 * (len(v) - 1))]),
                ("max", max),
            )
        },
        "session_frames": SESSION_S,
        "frames": frames,
        "points_per_series": per_gpu,
        "gpus": n_gpus,
        "rss_mib_after_1h": round(rss1, 1),
        "rss_mib_after_12h": round(rss12, 1),
        "rss_mib_after_24h": round(rss24, 1),
        "rss_growth_mib_1h_to_24h": round(rss24 - rss1, 1),
        "python_heap_mib_after_1h": round(py1, 2),
        "python_heap_mib_after_24h": round(py24, 2),
        "python_heap_growth_mib_1h_to_24h": round(py24 - py1, 2),
    }


def _make_reference(panel) -> None:
    """Turn a GpuPanel into the stock pyqtgraph recipe (the reference): one PlotDataItem per
    series fed the whole window from the ring's views, pyqtgraph's own ``setClipToView`` + peak
    ``setDownsampling`` (its examples' way), no decimation cache; the same axis-step logic."""
    import pyqtgraph as pg

    from app.gui.pages.monitor import PLOTS

    for key, _title, _unit, series in PLOTS:
        plot = panel.plots[key]
        plot.setClipToView(True)
        plot.setDownsampling(auto=True, mode="peak")
        for field, colour, _scale in series:
            plot.removeItem(panel.curves[field])
            panel.curves[field] = plot.plot([], [], pen=pg.mkPen(colour, width=1), connect="finite")

    def redraw(window_s, threshold_c, *, force=False):
        panel.update_tiles()
        t = panel.ring.view()
        now = float(t[-1])
        column_s = window_s / max(200, int(panel.plots["temp"].vb.width()) or 800)
        if not (
            force
            or panel._drawn_t is None
            or now - panel._drawn_t >= column_s
            or window_s != panel._drawn_window
        ):
            return False
        a, _b = panel.ring.window(now - window_s)
        for _key, _title, _unit, series in PLOTS:
            for field, _colour, scale in series:
                y = panel.ring.view(field)[a:]
                panel.curves[field].setData(t[a:], y * scale if scale != 1.0 else y)
        if force or window_s != panel._drawn_window or panel._x_right is None or now > panel._x_right:
            panel._x_right = now + 0.05 * window_s
            panel.plots["temp"].setXRange(panel._x_right - window_s, panel._x_right, padding=0)
        panel._fix_y_ranges()
        panel._drawn_t, panel._drawn_window = now, window_s
        return True

    panel.redraw = redraw


def bench_reference(app, rig: str, frames: int) -> dict:
    """The page against the stock-pyqtgraph reference in the same process, same data, frames
    interleaved (so that load from other processes hits both alike): GUI-thread CPU ms of a
    curve-rebuilding frame (redraw + repaint) with 24 h of data, in the 24 h and 5 min windows."""
    from app.gui.context import AppContext
    from app.gui.pages.monitor import GpuPanel, MonitorPage

    host, result = _host_and_result(rig)
    pages = {}
    for name in ("rigpilot", "reference"):
        page = MonitorPage(AppContext(host=host, data_dir=_fresh_data_dir()), interval_s=1.0)
        page.result = result
        for row, gpu in enumerate(result.gpus):
            panel = GpuPanel(page, gpu, 86400 + 2)
            if name == "reference":
                _make_reference(panel)
            page.body_layout.addWidget(panel, row, 0)
            page.panels[gpu.index] = panel
        page.resize(1200, 1400)
        page.show()
        pages[name] = page
    for _sampler, samples in _day_of_samples(result, host, 24.0):
        for page in pages.values():
            page.ingest(samples)
    extra = _day_of_samples(result, host, 4 * frames / 3600.0 + 0.01)

    def frame(page, samples) -> float:
        page.ingest(samples)
        for panel in page.panels.values():
            panel._drawn_t = None  # a pixel column is due
        c0 = time.thread_time()
        page.redraw()
        for panel in page.panels.values():
            panel.graphics.viewport().repaint()
        return (time.thread_time() - c0) * 1000.0

    out = {}
    for label, index in (("24h", 2), ("5min", 0)):
        for page in pages.values():
            page.window_box.setCurrentIndex(index)
        app.processEvents()
        timed = {name: [] for name in pages}
        for _ in range(frames):
            _sampler, samples = next(extra)
            shifted = [replace(s, t=s.t + 86400) for s in samples]
            for name, page in pages.items():
                timed[name].append(frame(page, shifted))
        med = {name: statistics.median(v) for name, v in timed.items()}
        out[f"column_{label}_cpu_ms_median"] = round(med["rigpilot"], 2)
        out[f"reference_column_{label}_cpu_ms_median"] = round(med["reference"], 2)
        out[f"speedup_{label}"] = round(med["reference"] / med["rigpilot"], 2)
    for page in pages.values():
        page.shutdown()
        _dispose(app, page, page.ctx)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=60.0, help="wall seconds of the CPU measurement")
    ap.add_argument("--frames", type=int, default=60, help="frames timed with 24 h of data")
    ap.add_argument("--rig", default=str(DEFAULT_RIG), help="rig folder or built-in rig name")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--skip-cpu", action="store_true")
    ap.add_argument("--skip-reference", action="store_true", help="no same-process stock-pyqtgraph reference")
    ap.add_argument("--gpus", type=int, default=None, help="only the first N GPUs of the rig")
    args = ap.parse_args(argv)
    global GPU_LIMIT
    GPU_LIMIT = args.gpus

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    out = {"rig": args.rig, "python": sys.version.split()[0]}
    if not args.skip_cpu:
        out["cpu"] = bench_cpu(app, args.rig, args.seconds)
    out["redraw_memory"] = bench_redraw_and_memory(app, args.rig, args.frames)
    if not args.skip_reference:
        out["vs_reference"] = bench_reference(app, args.rig, args.frames)
    print(json.dumps(out, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
