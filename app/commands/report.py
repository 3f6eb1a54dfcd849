"""``python main.py report``: a redacted Markdown diagnostic report, ready to paste into an issue."""

from __future__ import annotations

import argparse
import sys

from probes.core.i18n import Text, tr

NAME = "report"
HELP = Text("cli", "write a Markdown diagnostic report (user, host names and serials redacted)")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--out", metavar="FILE", help=tr("cli", "write the report to FILE instead of the terminal")
    )
    p.add_argument("--force", action="store_true", help=tr("cli", "overwrite FILE if it exists"))
    p.add_argument(
        "--python",
        action="append",
        default=[],
        metavar="PATH",
        help=tr("cli", "also inspect the torch build of this interpreter (repeatable)"),
    )
    g = p.add_mutually_exclusive_group()
    g.add_argument("--simulate", metavar="RIG", help=tr("cli", "probe a built-in simulated rig"))
    g.add_argument("--replay", metavar="DIR", help=tr("cli", "probe a recording instead of this machine"))
    p.add_argument(
        "--deadline",
        type=float,
        default=10.0,
        metavar="S",
        help=tr("cli", "overall deadline in seconds (default 10)"),
    )


def run(args) -> int:
    from app.commands.probe import make_host
    from app.report import build_report, write_report
    from probes.detect.engine import probe
    from probes.detect.sources import ProbeContext

    host = make_host(args)
    result = probe(host, ProbeContext(pythons=list(args.python)), deadline_s=args.deadline)
    text = build_report(result)
    if args.out:
        target = write_report(args.out, text, force=args.force)
        print(tr("cli", "Report written to {path}", path=str(target)), file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0
