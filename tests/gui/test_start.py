"""``python main.py --screenshot``: a real PNG in both languages; clear errors for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from PySide6.QtGui import QImage

from app.gui.start import check_args, parse_size
from probes.core.errors import RigPilotError
from probes.core.i18n import render

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "gui"


def run_main(*args, tmp_path, timeout=120):
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        RIGPILOT_DATA_DIR=str(tmp_path / "data"),
        RIGPILOT_NO_BOOTSTRAP="1",
        PYTHONDONTWRITEBYTECODE="1",
    )
    env.pop("RIGPILOT_LANG", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=tmp_path,
    )


def distinct_colours(img: QImage, step: int = 7) -> int:
    seen = set()
    for y in range(0, img.height(), step):
        for x in range(0, img.width(), step):
            seen.add(img.pixel(x, y))
    return len(seen)


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_screenshot_of_a_saved_probe_in_both_languages(tmp_path, lang):
    out = tmp_path / f"detect-{lang}.png"
    proc = run_main(
        "--screenshot",
        str(out),
        "--page",
        "detect",
        "--lang",
        lang,
        "--size",
        "1100x760",
        "--probe-json",
        str(DATA / "two-gpus-linux.json"),
        tmp_path=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    img = QImage(str(out))
    assert (img.width(), img.height()) == (1100, 760)
    assert distinct_colours(img) > 30  # text, logos, cards: not a blank window
    assert out.stat().st_size > 20_000
    # the .ts files were compiled into the data dir's cache for zh_CN only (unless this machine has no
    # font for Chinese: then the window stays English and says so, tests/gui/test_fonts.py)
    qms = list((tmp_path / "data" / "i18n").glob("*.qm"))
    no_font = "no installed font can show zh_CN" in proc.stderr
    assert (len(qms) > 0) == (lang == "zh_CN" and not no_font)


def test_screenshot_probes_this_machine_and_exits(tmp_path):
    out = tmp_path / "live.png"
    proc = run_main("--screenshot", str(out), "--page", "install", tmp_path=tmp_path)
    assert proc.returncode == 0, proc.stderr
    img = QImage(str(out))
    assert img.width() >= 800 and img.height() >= 500
    assert distinct_colours(img) > 10


def test_monitor_screenshot_with_a_simulated_load(tmp_path):
    """--load/--speed/--guard/--wait are accepted together and the page renders after the wait."""
    out = tmp_path / "monitor.png"
    proc = run_main(
        "--screenshot",
        str(out),
        "--page",
        "monitor",
        "--simulate",
        "rtx3060-linux",
        "--lang",
        "en",
        "--load",
        "100",
        "--speed",
        "600",
        "--guard",
        "--wait",
        "3",
        tmp_path=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    img = QImage(str(out))
    assert img.width() >= 800 and distinct_colours(img) > 10
    assert "Traceback" not in proc.stderr


@pytest.mark.needs_torch
def test_verify_screenshot_with_run_shows_a_finished_smoke_test(tmp_path):
    """--run starts the smoke test after the scan; the shot is taken once it has finished."""
    out = tmp_path / "verify.png"
    proc = run_main(
        "--screenshot", str(out), "--page", "verify", "--run", "--lang", "en", tmp_path=tmp_path, timeout=240
    )
    assert proc.returncode == 0, proc.stderr
    history = json.loads((tmp_path / "data" / "smoke_history.json").read_text("utf-8"))
    assert history and history[-1]["verdict"] == "pass" and history[-1]["device"] == "cpu"
    assert distinct_colours(QImage(str(out))) > 10


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--page", "nowhere"], "gui-unknown-page"),
        (["--simulate", "no-such-rig-xyz"], "unknown-rig"),
        (["--size", "big"], "gui-bad-size"),
        (["--run", "--page", "detect"], "gui-nothing-to-run"),
    ],
)
def test_bad_input_is_a_clear_error_with_exit_2(tmp_path, args, code):
    proc = run_main("--screenshot", str(tmp_path / "x.png"), *args, tmp_path=tmp_path, timeout=60)
    assert proc.returncode == 2
    assert f"error [{code}]" in proc.stderr
    assert "hint:" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "x.png").exists()


def ns(**kw):
    base = dict(
        page="detect",
        lang=None,
        size=None,
        simulate=None,
        screenshot=None,
        probe_json=None,
        load=None,
        speed=None,
        guard=False,
        wait=0.0,
        run=False,
        running=False,
    )
    base.update(kw)
    return SimpleNamespace(**base)


@pytest.mark.parametrize(
    ("kw", "code"),
    [
        ({"screenshot": "/nonexistent-dir-rigpilot/x.png"}, "screenshot-path-invalid"),
        ({"screenshot": "shot.jpg"}, "screenshot-path-invalid"),
        ({"lang": "fr"}, "gui-unknown-language"),
        ({"probe_json": "/nonexistent/probe.json"}, "probe-json-unreadable"),
        ({"probe_json": str(DATA / "no-gpu.json"), "simulate": "s80-linux"}, "gui-conflicting-options"),
        ({"load": 50.0}, "monitor-simulation-only"),
        ({"speed": 60.0}, "monitor-simulation-only"),
        ({"load": 150.0, "simulate": "s80-linux"}, "monitor-bad-load"),
        ({"speed": 0.0, "simulate": "s80-linux"}, "monitor-speed-out-of-range"),
        ({"wait": 600.0}, "gui-bad-wait"),
        ({"wait": float("nan")}, "gui-bad-wait"),
        ({"run": True, "page": "match"}, "gui-nothing-to-run"),
        ({"running": True, "screenshot": "shot.png", "page": "install"}, "gui-running-needs-run"),
        ({"running": True, "run": True, "page": "install"}, "gui-running-needs-run"),
    ],
)
def test_check_args_refuses(kw, code):
    with pytest.raises(RigPilotError) as err:
        check_args(ns(**kw))
    assert err.value.code == code and err.value.hint


def test_check_args_accepts_a_running_install_screenshot(tmp_path):
    args = ns(page="install", run=True, running=True, wait=3.0, screenshot=str(tmp_path / "mid.png"))
    check_args(args)
    assert args.screenshot_path == tmp_path / "mid.png"


def test_check_args_accepts_and_sizes():
    args = ns(size="1180x780", probe_json=str(DATA / "no-gpu.json"))
    check_args(args)
    assert args.size_px == (1180, 780) and args.saved_result.gpus == []
    assert parse_size("800 × 600") == (800, 600)
    with pytest.raises(RigPilotError):
        parse_size("10x10")


def test_main_py_routes_gui_options_to_the_app():
    import main

    assert main._wants_gui([]) and main._wants_gui(["--lang", "zh_CN"])
    assert main._wants_gui(["--simulate", "s80-linux", "--page", "monitor"])
    assert not main._wants_gui(["--lang", "zh_CN", "probe"]) and not main._wants_gui(["report", "--out", "x"])
    assert main._wants_gui(["--screenshot", "x.png"]) and not main._wants_gui(["--version"])
    assert main._wants_gui(["--simulate", "s80-linux", "--page", "monitor", "--load", "100", "--speed", "60"])


def test_every_gui_option_with_a_value_is_known_to_main():
    """main.py decides GUI vs command before Qt is importable: its list must cover the parser."""
    import main
    from app.gui.start import build_parser

    takes_value = {
        opt for action in build_parser()._actions if action.nargs != 0 for opt in action.option_strings
    }
    assert takes_value <= set(main._GUI_VALUE_OPTIONS), takes_value - set(main._GUI_VALUE_OPTIONS)


NORMAL_MODE_SCRIPT = """
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.gui import start
from app.gui.main_window import MainWindow
app = QApplication.instance() or QApplication(sys.argv[:1])
seen = {}
def close_when_scanned():
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if windows and windows[0].ctx.probe_result is not None:
        seen["title"] = windows[0].windowTitle()
        seen["step"] = windows[0].current_step()
        windows[0].close()
        QApplication.quit()
    else:
        QTimer.singleShot(50, close_when_scanned)
QTimer.singleShot(50, close_when_scanned)
rc = start.main(["--lang", "en", "--page", "verify"])
print(json.dumps({"rc": rc, "seen": seen}))
"""


def test_normal_mode_shows_the_window_probes_and_shuts_down(tmp_path):
    from app.version import VERSION  # pyproject's, also in the window title

    # In a subprocess: QApplication.exec() returning ends the application's event processing
    # for the rest of a pytest process, which would starve later GUI tests' workers.
    env = dict(
        os.environ, QT_QPA_PLATFORM="offscreen", RIGPILOT_DATA_DIR=str(tmp_path / "data"), RIGPILOT_LANG="en"
    )
    proc = subprocess.run(
        [sys.executable, "-c", NORMAL_MODE_SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    out = __import__("json").loads(proc.stdout.strip().splitlines()[-1])
    assert out == {
        "rc": 0,
        "seen": {"title": f"RigPilot — GPU setup for local image generation · {VERSION}", "step": "verify"},
    }


def test_display_problem_names_the_missing_pieces_before_qt_aborts():
    from app.gui.start import debian_package, display_problem

    none = list  # noqa: E731
    two = lambda: ["libxcb-icccm.so.4", "libxkbcommon-x11.so.0"]  # noqa: E731
    assert display_problem({}, "linux", none).code == "gui-no-display"
    assert display_problem({"DISPLAY": ":0"}, "linux", none) is None
    err = display_problem({"DISPLAY": ":0"}, "linux", two)
    assert err.code == "gui-missing-library"
    assert "libxcb-icccm.so.4" in render(err.message)
    assert "sudo apt install libxcb-icccm4 libxkbcommon-x11-0" in render(err.hint)
    # the user's own platform choice, Wayland sessions, other systems: not our business
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", two) is None
    assert display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", two) is None
    assert display_problem({"QT_QPA_PLATFORM": "xcb"}, "linux", none).code == "gui-no-display"
    assert display_problem({}, "win32", two) is None
    assert debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert debian_package("libxcb-keysyms.so.1.0.0") == "libxcb-keysyms1"


def test_missing_xcb_libraries_reads_ldd_of_the_qt_plugin():
    from app.gui.start import missing_xcb_libraries
    from probes.core.host import CommandResult

    seen = []

    def fake_run(argv, timeout_s=None):
        seen.append((argv, timeout_s))
        out = (
            "\tlinux-vdso.so.1 (0x00007ffd)\n"
            "\tlibxcb-icccm.so.4 => not found\n"
            "\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f)\n"
            "\tlibxcb-keysyms.so.1 => not found\n"
        )
        return CommandResult(argv=tuple(argv), rc=0, stdout=out, stderr="", duration_s=0.01)

    assert missing_xcb_libraries(fake_run) == ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    assert seen and all(a[0] == "ldd" and t == 10 for a, t in seen)


def test_initial_language_prefers_the_command_line_then_env_then_the_last_choice(tmp_path, monkeypatch):
    from app import settings
    from app.gui.start import initial_language
    from probes.core import i18n as core_i18n

    monkeypatch.setattr(core_i18n, "language", lambda: "en")
    assert initial_language(None, tmp_path, {}) == "en"
    settings.update(tmp_path, "app", {"language": "zh_CN"})
    assert initial_language(None, tmp_path, {}) == "zh_CN"
    assert initial_language("en", tmp_path, {}) == "en"
    assert initial_language(None, tmp_path, {"RIGPILOT_LANG": "en"}) == "en"
    settings.update(tmp_path, "app", {"language": "klingon"})
    assert initial_language(None, tmp_path, {}) == "en"
