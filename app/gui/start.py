"""Start the desktop app, or render one page to a PNG (``--screenshot``) and exit.

    python main.py [--lang en|zh_CN] [--simulate RIG] [--page STEP] [--size WxH]
    python main.py --screenshot FILE.png [--page detect] [--lang zh_CN] [--simulate RIG] [--size WxH]
                   [--wait S] [--run [--running]]
    python main.py --simulate RIG --page monitor [--load PCT] [--speed X] [--guard]

Screenshot mode renders offscreen (QT_QPA_PLATFORM=offscreen unless already set), runs the probe
in a worker and waits for it, so the Detect page shows real content, then saves
``window.grab()``. Bad input (unknown page or rig, unwritable path, bad size) is an
"error [code]: message / hint" on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from pathlib import Path

from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

log = logging.getLogger(__name__)

EXIT_OK, EXIT_ERROR = 0, 2
PROBE_WAIT_MS = 60000


def build_parser() -> argparse.ArgumentParser:
    from app.gui.pages import STEPS

    p = argparse.ArgumentParser(
        prog="python main.py", description=tr("cli", "Start the RigPilot desktop app.")
    )
    p.add_argument(
        "--screenshot",
        metavar="FILE.png",
        help=tr("cli", "render the window offscreen into FILE.png and exit"),
    )
    p.add_argument(
        "--page",
        metavar="STEP",
        default="detect",
        help=tr("cli", "the step to show: {steps}", steps=", ".join(STEPS)),
    )
    p.add_argument("--lang", metavar="LANG", help=tr("cli", "language of the interface: en or zh_CN"))
    p.add_argument("--simulate", metavar="RIG", help=tr("cli", "show a built-in simulated rig"))
    p.add_argument(
        "--probe-json",
        metavar="FILE",
        help=tr("cli", "show a saved 'probe --json' result instead of scanning this machine"),
    )
    p.add_argument("--size", metavar="WxH", help=tr("cli", "window size in pixels, e.g. 1180x780"))
    p.add_argument(
        "--load",
        metavar="PCT",
        type=float,
        help=tr("cli", "with --simulate: the simulated GPU load on the Monitor page, 0 to 100"),
    )
    p.add_argument(
        "--speed",
        metavar="X",
        type=float,
        help=tr("cli", "with --simulate: run simulated time X times faster"),
    )
    p.add_argument(
        "--guard", action="store_true", help=tr("cli", "start the Monitor page with the thermal guard on")
    )
    p.add_argument(
        "--run",
        action="store_true",
        help=tr(
            "cli",
            "start the page's action once the scan is done (Verify: the smoke test; Install: the install "
            "with the page's choices)",
        ),
    )
    p.add_argument(
        "--running",
        action="store_true",
        help=tr(
            "cli",
            "with --screenshot --run: take the shot while the action runs, --wait S after it started",
        ),
    )
    p.add_argument(
        "--wait",
        metavar="S",
        type=float,
        default=0.0,
        help=tr("cli", "with --screenshot: keep the app running S more seconds before the shot"),
    )
    p.add_argument("-v", "--verbose", action="store_true", help=tr("cli", "log details to stderr"))
    return p


def parse_size(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{2,5})\s*[xX×]\s*(\d{2,5})\s*", value)
    if not m or not (320 <= int(m.group(1)) <= 8000 and 240 <= int(m.group(2)) <= 8000):
        raise RigPilotError(
            "gui-bad-size",
            Text("errors", "'{value}' is not a window size.", value=value),
            Text(
                "errors",
                "Write width x height in pixels, between 320x240 and 8000x8000, for example 1180x780.",
            ),
        )
    return int(m.group(1)), int(m.group(2))


def check_args(args) -> None:
    """Validate everything before a window exists; raises RigPilotError."""
    from app.gui.pages import STEPS
    from probes.core.i18n import LANGUAGES

    if args.page not in STEPS:
        raise RigPilotError(
            "gui-unknown-page",
            Text("errors", "There is no page called '{page}'.", page=args.page),
            Text("errors", "Choose one of: {names}.", names=", ".join(STEPS)),
        )
    if args.lang is not None and args.lang not in LANGUAGES:
        raise RigPilotError(
            "gui-unknown-language",
            Text("errors", "The language '{language}' is not available.", language=args.lang),
            Text("errors", "Choose one of: {names}.", names=", ".join(LANGUAGES)),
        )
    args.size_px = parse_size(args.size)
    if args.probe_json and args.simulate:
        raise RigPilotError(
            "gui-conflicting-options",
            Text("errors", "--simulate and --probe-json cannot be used together."),
            Text("errors", "Use one of them."),
        )
    if args.simulate:
        from probes.core.replay import simulated_host

        simulated_host(args.simulate)  # raises unknown-rig with the list of rigs
    if (args.load is not None or args.speed is not None) and not args.simulate:
        raise RigPilotError(
            "monitor-simulation-only",
            Text("monitor", "--load and --speed only work with a simulated rig."),
            Text("monitor", "Add --simulate RIG (for example --simulate s80-linux)."),
        )
    if args.load is not None and not (0 <= args.load <= 100):
        raise RigPilotError(
            "monitor-bad-load",
            Text("errors", "The simulated load {value} is out of range.", value=args.load),
            Text("errors", "Give a percentage from 0 to 100."),
        )
    if args.speed is not None:
        from probes.live.monitor import SimClock

        SimClock._checked(args.speed)  # raises monitor-speed-out-of-range
    if args.run and args.page not in RUNNABLE_PAGES:
        raise RigPilotError(
            "gui-nothing-to-run",
            Text("errors", "The page '{page}' has no action to start.", page=args.page),
            Text("errors", "--run works with: {names}.", names=", ".join(RUNNABLE_PAGES)),
        )
    if args.running and not (args.run and args.screenshot):
        raise RigPilotError(
            "gui-running-needs-run",
            Text("errors", "--running only works with --screenshot and --run."),
            Text("errors", "Add --screenshot FILE.png --run, and --wait S for how long it runs first."),
        )
    if not (0 <= args.wait <= 120) or args.wait != args.wait:
        raise RigPilotError(
            "gui-bad-wait",
            Text("errors", "The wait of {value} s is out of range.", value=args.wait),
            Text("errors", "Give a number of seconds from 0 to 120."),
        )
    args.saved_result = None
    if args.probe_json:
        from app.report import load_probe_json

        args.saved_result = load_probe_json(args.probe_json)
    if args.screenshot:
        target = Path(args.screenshot).expanduser()
        if target.suffix.lower() != ".png":
            raise RigPilotError(
                "screenshot-path-invalid",
                Text("errors", "The screenshot file must end in .png: {path}", path=str(target)),
                Text("errors", "Give a file name like detect.png."),
            )
        parent = target.parent if str(target.parent) else Path(".")
        if target.is_dir() or not parent.is_dir() or not os.access(parent, os.W_OK):
            raise RigPilotError(
                "screenshot-path-invalid",
                Text("errors", "Cannot write the screenshot to {path}.", path=str(target)),
                Text("errors", "The folder must exist and be writable."),
            )
        args.screenshot_path = target


def _report(err: RigPilotError) -> int:
    print(tr("cli", "error [{code}]: {message}", code=err.code, message=render(err.message)), file=sys.stderr)
    if err.hint:
        print(tr("cli", "  hint: {hint}", hint=render(err.hint)), file=sys.stderr)
    return EXIT_ERROR


def main(argv: list[str] | None = None) -> int:
    from probes.core import i18n as core_i18n

    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv[:-1]:
        core_i18n.set_language(argv[argv.index("--lang") + 1])
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    try:
        check_args(args)
    except RigPilotError as err:
        return _report(err)
    if args.screenshot:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        return _run(args)
    except RigPilotError as err:
        return _report(err)


SETTLE_S = 8.0
RUN_SETTLE_S = 300.0  # --run: a smoke test on a slow machine
RUNNABLE_PAGES = ("install", "verify")


def _settle(app, ctx, page, limit_s: float = SETTLE_S) -> None:
    """Let the shown page finish what the probe started (a match in a worker, the first telemetry
    samples) so the screenshot shows a settled page: until the worker pool is idle and the page's
    optional ``screenshot_ready()`` says so, at most SETTLE_S seconds."""
    import time

    ready = getattr(page, "screenshot_ready", None)
    deadline = time.monotonic() + limit_s
    while True:
        app.processEvents()
        idle = ctx.pool.activeThreadCount() == 0
        if idle and (ready is None or ready()):
            break
        if time.monotonic() > deadline:
            log.warning("the page did not settle within %g s; the screenshot shows it as it is", limit_s)
            break
        time.sleep(0.02)
    for _ in range(3):  # let queued signals, layouts and the status bar settle
        app.processEvents()


def debian_package(soname: str) -> str:
    """libxcb-icccm.so.4 -> libxcb-icccm4, libxkbcommon-x11.so.0 -> libxkbcommon-x11-0 (Debian's
    naming of shared-library packages)."""
    stem, _, version = soname.partition(".so.")
    version = version.split(".")[0]
    return f"{stem}-{version}" if stem[-1:].isdigit() else f"{stem}{version}"


def missing_xcb_libraries(run=None) -> list[str]:
    """Shared libraries the Qt X11 plugin needs that this system lacks (``ldd`` on the plugin).
    Qt's own message blames xcb-cursor whatever is missing; this names the real ones."""
    from PySide6.QtCore import QLibraryInfo

    plugins = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))
    libdir = Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.LibrariesPath))
    targets = [plugins / "platforms" / "libqxcb.so", *sorted(libdir.glob("libQt6XcbQpa.so*"))[:1]]
    if run is None:
        from probes.core.host import Host

        run = Host().run
    missing: list[str] = []
    for target in targets:
        if not target.exists():
            continue
        res = run(["ldd", str(target)], timeout_s=10)
        for line in (res.stdout or "").splitlines():
            name, _, where = line.strip().partition("=>")
            if "not found" in where and name.strip() not in missing:
                missing.append(name.strip())
    return missing


def display_problem(env: dict, platform: str, missing_libraries) -> RigPilotError | None:
    """Why a Qt window cannot open here, checked *before* QApplication (Qt aborts the process
    without a word Python could catch): no display at all, or system libraries of the X11 plugin
    that are not installed (libxcb-cursor0 since Qt 6.5, libxcb-icccm4, libxcb-keysyms1, …)."""
    if not platform.startswith("linux"):
        return None
    qpa = (env.get("QT_QPA_PLATFORM") or "").strip().lower()
    if qpa and not qpa.startswith("xcb"):
        return None  # offscreen, wayland, eglfs…: the user chose
    wayland = bool(env.get("WAYLAND_DISPLAY")) and not qpa
    if not env.get("DISPLAY") and not wayland:
        return RigPilotError(
            "gui-no-display",
            Text("errors", "There is no graphical display to open the window on."),
            Text(
                "errors",
                "Run RigPilot in a desktop session (or ssh -X), or use the commands "
                "instead: python main.py probe, match, smoke, monitor …",
            ),
        )
    if wayland:
        return None
    missing = missing_libraries()
    if missing:
        return RigPilotError(
            "gui-missing-library",
            Text(
                "errors",
                "The Qt window needs system libraries that are not installed: {libraries}.",
                libraries=", ".join(missing),
            ),
            Text(
                "errors",
                "Debian/Ubuntu: sudo apt install {packages} (other systems: the "
                "xcb-util packages). The commands work without them.",
                packages=" ".join(debian_package(m) for m in missing),
            ),
        )
    return None


def initial_language(cli_lang: str | None, data_dir, env) -> str:
    """--lang, else RIGPILOT_LANG, else the language picked in the app last time, else the system's."""
    from app import settings
    from probes.core import i18n as core_i18n

    if cli_lang:
        return cli_lang
    stored = (settings.load(data_dir).get("app") or {}).get("language")
    if env.get("RIGPILOT_LANG") or stored not in core_i18n.LANGUAGES:
        return core_i18n.language()
    return stored


def _start_when_probed(window, page: str) -> None:
    from PySide6.QtCore import QTimer

    timer = QTimer(window)
    timer.setInterval(100)

    def check():
        if not window.probing():
            timer.stop()
            window.pages[page].start()

    timer.timeout.connect(check)
    timer.start()


def _install_quiet_message_handler() -> None:
    from PySide6.QtCore import qInstallMessageHandler

    def quiet(_mode, _context, message):  # offscreen cannot resize native windows; harmless
        if "propagateSizeHints" not in message:
            sys.stderr.write(message + "\n")

    qInstallMessageHandler(quiet)


def _open_window(args):
    """The QApplication (the existing one, if any) and the main window on the asked page."""
    from PySide6.QtWidgets import QApplication

    from app.gui.context import AppContext
    from app.gui.i18n import Translations
    from app.gui.main_window import MainWindow

    if args.screenshot:
        _install_quiet_message_handler()
    if QApplication.instance() is None and not args.screenshot:
        problem = display_problem(dict(os.environ), sys.platform, missing_xcb_libraries)
        if problem is not None:
            raise problem
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "rigpilot"])
    app.setApplicationName("RigPilot")
    app.setStyle("Fusion")
    ctx = AppContext(simulate=args.simulate)
    ctx.sim_load, ctx.sim_speed, ctx.guard_on = args.load, args.speed, args.guard
    translations = Translations(app, ctx.data_dir / "i18n")
    translations.switch(initial_language(args.lang, ctx.data_dir, os.environ))
    window = MainWindow(ctx, translations)
    if args.size_px:
        window.resize(*args.size_px)
    window.show_step(args.page)
    if args.saved_result is not None:
        window.show_saved_result(args.saved_result, args.probe_json)
    return app, ctx, window


def _run_interactive(app, window, args) -> int:
    window.show()
    if args.saved_result is None:
        window.start_probe()
    if args.run:  # once the scan is done the page has its interpreter and devices
        _start_when_probed(window, args.page)
    rc = app.exec()
    window.shutdown()
    return rc


def _wait_for_probe(window, start: bool) -> None:
    """Start the probe (unless a saved result is shown) and wait for it, at most PROBE_WAIT_MS."""
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(50)
    poll.timeout.connect(lambda: None if window.probing() else loop.quit())
    if start:
        window.start_probe()
    poll.start()
    give_up = QTimer()
    give_up.setSingleShot(True)
    give_up.timeout.connect(loop.quit)
    give_up.start(PROBE_WAIT_MS)
    if window.probing():
        loop.exec()
    poll.stop()
    give_up.stop()
    if window.probing():
        log.warning(
            "the probe did not finish within %d s; the screenshot shows the page as it is",
            PROBE_WAIT_MS // 1000,
        )


def _pause(app, seconds: float) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    pause = QEventLoop()
    QTimer.singleShot(int(seconds * 1000), pause.quit)
    pause.exec()
    for _ in range(3):
        app.processEvents()


def _screenshot(app, ctx, window, args) -> int:
    window.show()
    _wait_for_probe(window, start=args.saved_result is None)
    if args.run:
        window.pages[args.page].start()
    if args.running:  # the shot shows the action in progress, --wait S after it started
        _pause(app, args.wait or 1.0)
    else:
        _settle(app, ctx, window.pages.get(args.page), RUN_SETTLE_S if args.run else SETTLE_S)
    if args.wait and not args.running:
        _pause(app, args.wait)
    image = window.grab()
    ok = image.save(str(args.screenshot_path), "PNG")
    window.shutdown()
    window.close()
    if not ok:
        raise RigPilotError(
            "screenshot-save-failed",
            Text("errors", "Could not save the screenshot to {path}.", path=str(args.screenshot_path)),
            Text("errors", "Check the free disk space and the folder permissions."),
        )
    print(tr("cli", "Screenshot written to {path}", path=str(args.screenshot_path)), file=sys.stderr)
    return EXIT_OK


def _run(args) -> int:
    app, ctx, window = _open_window(args)
    if not args.screenshot:
        return _run_interactive(app, window, args)
    return _screenshot(app, ctx, window, args)
