"""``python main.py power show|set|reset --gpu N``: read and change the GPU power limit."""

from __future__ import annotations

import argparse
import json
import sys
import threading

from app.format import PLAIN, watts
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

NAME = "power"
HELP = Text("cli", "show or change a GPU's power limit (set reverts unless confirmed)")
CTX = "power"


def add_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--gpu", type=int, default=0, metavar="N", help=tr("cli", "GPU index (default 0)"))
    common.add_argument("--json", action="store_true", help=tr("cli", "print JSON"))
    common.add_argument("--simulate", metavar="RIG", help=tr("cli", "use a built-in simulated rig"))
    sub.add_parser("show", parents=[common], help=tr("cli", "limits: min, max, default, current, enforced"))
    s = sub.add_parser("set", parents=[common], help=tr("cli", "set the limit in watts"))
    s.add_argument("watts", metavar="WATTS", help=tr("cli", "the new limit in watts"))
    s.add_argument(
        "--confirm-seconds",
        type=float,
        default=None,
        metavar="S",
        help=tr("cli", "revert unless confirmed on the terminal within S seconds"),
    )
    sub.add_parser("reset", parents=[common], help=tr("cli", "back to the default limit"))


def ask_terminal(seconds: float, stdin=None, stderr=None) -> bool:
    """Ask on the terminal; True only for 'y'/'yes' typed within ``seconds``."""
    stdin = stdin or sys.stdin
    stderr = stderr or sys.stderr
    stderr.write(
        tr(
            CTX,
            "Keep the new power limit? Type y and Enter within {s} s, or it is reverted: ",
            s=f"{seconds:g}",
        )
    )
    stderr.flush()
    answer: list[str] = []

    def read() -> None:
        try:
            answer.append(stdin.readline())
        except (OSError, ValueError):
            answer.append("")

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(seconds)
    stderr.write("\n")
    return bool(answer) and answer[0].strip().lower() in ("y", "yes", "是")


def run(args) -> int:
    from app.commands._open_telemetry import open_telemetry
    from probes.live import power

    if not getattr(args, "action", None):
        raise RigPilotError(
            "power-action-missing",
            Text(CTX, "Say what to do: show, set or reset."),
            Text(CTX, "Example: python main.py power show --gpu 0"),
        )
    host, result, backends = open_telemetry(args, [args.gpu])
    backend = backends.get(args.gpu)
    try:
        if backend is None:
            raise RigPilotError(
                "power-limit-unsupported",
                Text(CTX, "No telemetry source can read GPU {gpu}.", gpu=args.gpu),
                Text(CTX, "Use the vendor's own tool, if it has one."),
            )
        bus = result.bus_ids().get(args.gpu)
        simulated = bool(result.host.simulated)
        if args.action == "show":
            c = power.show(backend, args.gpu)
            if args.json:
                print(json.dumps({**c.to_json(), "simulated": simulated}, ensure_ascii=False))
            else:
                if simulated:
                    print(tr("cli", "*** SIMULATED rig: {name} ***", name=result.host.simulated))
                print(
                    tr(
                        CTX,
                        "GPU {gpu}: power limit {current} (enforced {enforced}); default {default}, "
                        "range {min_w} to {max_w}",
                        gpu=args.gpu,
                        current=watts(c.current_w, missing=PLAIN),
                        enforced=watts(c.enforced_w, missing=PLAIN),
                        default=watts(c.default_w, missing=PLAIN),
                        min_w=watts(c.min_w, missing=PLAIN),
                        max_w=watts(c.max_w, missing=PLAIN),
                    )
                )
                if not c.supported:
                    print(tr(CTX, "Changing it is not supported: {reason}", reason=render(c.reason)))
            return 0
        if args.action == "reset":
            res = power.reset(backend, args.gpu, host=host, bus_id=bus)
        else:
            res = power.set_with_confirm(
                backend,
                args.gpu,
                args.watts,
                host=host,
                bus_id=bus,
                confirm_seconds=args.confirm_seconds,
                ask=ask_terminal,
            )
        if args.json:
            print(json.dumps({**res.to_json(), "simulated": simulated}, ensure_ascii=False))
        elif res.reverted:
            print(
                tr(
                    CTX,
                    "Not confirmed: GPU {gpu} went back to {current}.",
                    gpu=args.gpu,
                    current=watts(res.current_w, missing=PLAIN),
                )
            )
        else:
            print(
                tr(
                    CTX,
                    "GPU {gpu}: power limit now {current} (asked {requested}).",
                    gpu=args.gpu,
                    current=watts(res.current_w, missing=PLAIN),
                    requested=watts(res.requested_w, missing=PLAIN),
                )
            )
        if simulated and not args.json:
            print(tr(CTX, "(simulated: the change lasts only while this command runs)"))
        return 1 if res.reverted else 0
    finally:
        for b in {id(b): b for b in backends.values()}.values():
            b.close()
