"""``python main.py monitor``: live telemetry (JSON lines or a readable line per sample), CSV log, guard."""

from __future__ import annotations

import argparse
import re
import sys
import time

from app.format import PLAIN, fixed, in_gib
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

NAME = "monitor"
HELP = Text("cli", "watch temperature, VRAM, power and utilisation; optionally guard the temperature")
CTX = "monitor"
_LOAD_RE = re.compile(r"^\s*(\d{1,3}(?:\.\d+)?)(?::(\d+(?:\.\d+)?))?\s*$")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--json", action="store_true", help=tr("cli", "print JSON lines of samples and guard events")
    )
    p.add_argument(
        "--gpu", type=int, action="append", metavar="N", help=tr("cli", "only this GPU (repeatable)")
    )
    p.add_argument(
        "--interval",
        type=float,
        default=1.0,
        metavar="S",
        help=tr("cli", "seconds between samples, 0.5 to 5 (default 1)"),
    )
    p.add_argument(
        "--duration",
        type=float,
        metavar="S",
        help=tr("cli", "stop after S seconds (of simulated time with --speed)"),
    )
    p.add_argument(
        "--csv", metavar="FILE", help=tr("cli", "also log to FILE-YYYY-MM-DD.csv, one file per day")
    )
    p.add_argument(
        "--guard",
        action="store_true",
        help=tr("cli", "lower the power limit when the GPU stays too hot, restore it when it cools"),
    )
    p.add_argument(
        "--threshold",
        type=float,
        default=85.0,
        metavar="C",
        help=tr("cli", "guard threshold in °C (default 85)"),
    )
    p.add_argument(
        "--hold",
        type=float,
        default=10.0,
        metavar="S",
        help=tr("cli", "guard: seconds above the threshold before a step down (default 10)"),
    )
    p.add_argument(
        "--step",
        type=float,
        default=10.0,
        metavar="PCT",
        help=tr("cli", "guard: step size in %% of the default power limit (default 10)"),
    )
    p.add_argument(
        "--hysteresis",
        type=float,
        default=10.0,
        metavar="C",
        help=tr("cli", "guard: step back up once this many °C below the threshold (default 10)"),
    )
    p.add_argument(
        "--recover",
        type=float,
        default=60.0,
        metavar="S",
        help=tr("cli", "guard: … for this many seconds (default 60)"),
    )
    p.add_argument("--simulate", metavar="RIG", help=tr("cli", "monitor a built-in simulated rig"))
    p.add_argument(
        "--load",
        metavar="PCT",
        help=tr("cli", "simulated load in %%; a profile like 100:600,0 means 100 %% for 600 s, then 0 %%"),
    )
    p.add_argument("--speed", type=float, metavar="X", help=tr("cli", "run simulated time X times faster"))


def parse_load(text: str) -> list[tuple[float, float | None]]:
    """'100' -> [(100, None)]; '100:600,0' -> [(100, 600), (0, None)]."""
    steps = []
    parts = str(text).split(",")
    for i, part in enumerate(parts):
        m = _LOAD_RE.match(part)
        if not m or float(m.group(1)) > 100 or (m.group(2) is None and i < len(parts) - 1):
            raise RigPilotError(
                "monitor-load-invalid",
                Text(CTX, "The load '{text}' is not understood.", text=text),
                Text(
                    CTX, "Give a percentage (100) or a profile such as 100:600,0 (100 % for 600 s, then 0 %)."
                ),
            )
        steps.append((float(m.group(1)), float(m.group(2)) if m.group(2) else None))
    return steps


def load_at(profile, elapsed: float) -> float:
    acc = 0.0
    for pct, dur in profile:
        if dur is None or elapsed < acc + dur:
            return pct
        acc += dur
    return profile[-1][0]


def format_sample(s) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(s.t))
    if s.state != "ok":
        return tr(CTX, "{time} GPU {gpu}: {state}", time=stamp, gpu=s.gpu, state=s.state)
    return tr(
        CTX,
        "{time} GPU {gpu}: {temp} °C, {draw}/{limit} W, VRAM {used}/{total} GiB, {util} %, "
        "{clock} MHz, fan {fan} %",
        time=stamp,
        gpu=s.gpu,
        temp=fixed(s.temperature_c, 1, missing=PLAIN),
        draw=fixed(s.power_draw_w, missing=PLAIN),
        limit=fixed(s.power_limit_w, missing=PLAIN),
        used=fixed(in_gib(s.memory_used_bytes), 1, missing=PLAIN),
        total=fixed(in_gib(s.memory_total_bytes), 1, missing=PLAIN),
        util=fixed(s.utilization_pct, missing=PLAIN),
        clock=fixed(s.clock_mhz, missing=PLAIN),
        fan=fixed(s.fan_pct, missing=PLAIN),
    )


def guard_settings(args):
    from probes.live.guard import GuardSettings

    return GuardSettings(
        threshold_c=args.threshold,
        hold_s=args.hold,
        step_fraction=args.step / 100.0,
        hysteresis_c=args.hysteresis,
        recover_s=args.recover,
    ).validate()


def _check_duration(duration) -> None:
    if duration is not None and not (duration > 0):
        raise RigPilotError(
            "monitor-duration-invalid",
            Text(CTX, "The duration must be a positive number of seconds."),
            Text(CTX, "Leave --duration out to run until Ctrl+C."),
        )


class _Session:
    """One ``monitor`` run: the sampler, its outputs (text or JSON lines, CSV) and the guard loop."""

    def __init__(self, args, host, result, backends, profile, settings):
        from probes.core.paths import default_data_dir
        from probes.live.csv_log import CsvLog
        from probes.live.guard import ThermalGuard
        from probes.live.guard_log import GuardLog
        from probes.live.guard_log import default_path as default_guard_log
        from probes.live.monitor import GuardLoop, JsonLines, Sampler, SimClock
        from probes.live.telemetry.simulated import SimulatedBackend

        self.args = args
        self.result = result
        self.profile = profile
        self.sims = {id(b): b for b in backends.values() if isinstance(b, SimulatedBackend)}
        if (profile is not None or args.speed is not None) and not self.sims:
            raise RigPilotError(
                "monitor-simulation-only",
                Text(CTX, "--load and --speed only work with a simulated rig."),
                Text(CTX, "Add --simulate RIG (for example --simulate s80-linux)."),
            )
        self.clock = SimClock(args.speed or 1.0) if self.sims else time.time
        self.sampler = Sampler(backends, interval_s=args.interval, clock=self.clock)
        self.out = JsonLines(sys.stdout) if args.json else None
        self.csv_log = CsvLog(args.csv) if args.csv else None
        self.loop = None
        if args.guard:
            self.loop = GuardLoop(
                ThermalGuard(settings),
                self.sampler,
                host=host,
                bus_ids=result.bus_ids(),
                log=GuardLog(default_guard_log(default_data_dir())),
            )
        self.start = self.clock()

    def set_load(self, now: float) -> None:
        if self.profile is not None:
            pct = load_at(self.profile, now - self.start)
            for b in self.sims.values():
                b.set_load(pct, now=now)

    def show_event(self, e) -> None:
        if self.out:
            self.out.event(e)
        else:
            print(tr(CTX, "guard: {reason}", reason=render(e.reason)), flush=True)

    def show_sample(self, s) -> None:
        if self.out:
            self.out.sample(s)
        else:
            print(format_sample(s) + (tr(CTX, "  [SIMULATED]") if self.sims else ""), flush=True)

    def on_samples(self, samples) -> None:
        for s in samples:
            self.show_sample(s)
            if self.csv_log:
                self.csv_log.write(s)
        if self.loop is not None:
            for e in self.loop.feed(samples):
                self.show_event(e)
        if samples:
            self.set_load(samples[-1].t)

    def print_header(self) -> None:
        if self.args.json:
            return
        if self.result.host.simulated:
            print(tr("cli", "*** SIMULATED rig: {name} ***", name=self.result.host.simulated), flush=True)
        if self.loop is None:
            return
        for g in self.sampler.gpus():
            if self.loop.guard.alert_only(g):
                print(
                    tr(
                        CTX,
                        "guard: GPU {gpu} cannot change its power limit; the guard will only warn.",
                        gpu=g,
                    ),
                    flush=True,
                )

    def run(self) -> None:
        self.print_header()
        self.set_load(self.start)
        try:
            self.sampler.run(self.on_samples, duration_s=self.args.duration)
        finally:
            self.close()

    def close(self) -> None:
        if self.loop is not None:
            for e in self.loop.release(self.clock()):
                self.show_event(e)
        if self.csv_log:
            self.csv_log.close()
        self.sampler.close()


def run(args) -> int:
    from app.commands._open_telemetry import open_telemetry
    from probes.live.monitor import check_interval

    check_interval(args.interval)
    _check_duration(args.duration)
    profile = parse_load(args.load) if args.load is not None else None
    settings = guard_settings(args)
    host, result, backends = open_telemetry(args, args.gpu)
    _Session(args, host, result, backends, profile, settings).run()
    return 0
