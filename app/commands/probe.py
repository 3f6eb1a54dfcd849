"""``python main.py probe``: what is in this machine (GPUs, drivers, tools, Python/torch)."""

from __future__ import annotations

import argparse
import json
import sys

from app.format import PLAIN, gib
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

NAME = "probe"
HELP = Text("cli", "detect GPUs, drivers, smi tools and Python/torch builds")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help=tr("cli", "print the rigpilot.probe/1 JSON"))
    p.add_argument(
        "--python",
        action="append",
        default=[],
        metavar="PATH",
        help=tr("cli", "also inspect the torch build of this interpreter (repeatable)"),
    )
    g = p.add_mutually_exclusive_group()
    g.add_argument("--record", metavar="DIR", help=tr("cli", "write every command and file read into DIR"))
    g.add_argument("--replay", metavar="DIR", help=tr("cli", "probe a recording instead of this machine"))
    g.add_argument("--simulate", metavar="RIG", help=tr("cli", "probe a built-in simulated rig"))
    p.add_argument(
        "--deadline",
        type=float,
        default=10.0,
        metavar="S",
        help=tr("cli", "overall deadline in seconds (default 10)"),
    )
    p.add_argument("--timings", action="store_true", help=tr("cli", "include per-source timings"))


def make_host(args):
    """The Host for --record / --replay / --simulate, or the real machine."""
    from probes.core.host import Host
    from probes.core.replay import RecordingHost, ReplayHost, simulated_host

    if getattr(args, "simulate", None):
        return simulated_host(args.simulate)
    if getattr(args, "replay", None):
        return ReplayHost(args.replay)
    if getattr(args, "record", None):
        try:
            return RecordingHost(args.record)
        except OSError as exc:
            raise RigPilotError(
                "record-dir-unwritable",
                Text(
                    "errors",
                    "Cannot write the recording into {path}: {detail}",
                    path=args.record,
                    detail=exc.strerror or str(exc),
                ),
                Text("errors", "Choose a folder you can write to."),
            ) from None
    return Host()


def run(args) -> int:
    from probes.detect.engine import probe
    from probes.detect.sources import ProbeContext

    host = make_host(args)
    result = probe(host, ProbeContext(pythons=list(args.python)), deadline_s=args.deadline)
    if getattr(args, "record", None):
        out = json.dumps(result.to_json(timings=True), indent=1, ensure_ascii=False)
        with open(f"{args.record}/probe.json", "w", encoding="utf-8") as fh:
            fh.write(out)
    if args.json:
        sys.stdout.write(
            json.dumps(result.to_json(timings=args.timings), indent=2, ensure_ascii=False) + "\n"
        )
    else:
        sys.stdout.write(format_table(result) + "\n")
    return 0


def display_kind(kind: str | None) -> str:
    """What a display-only adapter is, in words (probes.detect.pci_ids.DisplayOnly.kind)."""
    if kind == "virtual":
        return tr("cli", "virtual machine display")
    if kind == "server-management":
        return tr("cli", "server management controller display")
    return tr("cli", "display adapter")


def format_table(result) -> str:
    """A readable summary of a ProbeResult for the terminal."""
    lines = []
    h = result.host
    if h.simulated:
        lines.append(tr("cli", "*** SIMULATED rig: {name} ***", name=h.simulated))
    lines.append(
        tr(
            "cli",
            "Host: {os} ({platform}, {arch}), {cpu}, RAM {ram}",
            os=h.os or "?",
            platform=h.platform or "?",
            arch=h.arch or "?",
            cpu=h.cpu or "?",
            ram=gib(h.memory_total_bytes, missing=PLAIN),
        )
    )
    if not result.gpus:
        lines.append(tr("cli", "GPUs: none found"))
    for g in result.gpus:
        compute = g.compute
        detail = compute.capability or compute.gfx or compute.arch or "-"
        lines.append(
            f"GPU {g.index}: {g.name or '?'} [{g.vendor or '?'}] "
            f"pci {g.pci.vendor_id or '????'}:{g.pci.device_id or '????'} @ {g.pci.bus_id or '-'}"
        )
        lines.append(
            "    "
            + tr(
                "cli",
                "driver {driver} ({tool} {tool_version}), VRAM {vram}, compute {api} {detail}",
                driver=g.driver.version or "-",
                tool=g.driver.tool or "-",
                tool_version=g.driver.tool_version or "",
                vram=gib(g.memory_total_bytes, missing=PLAIN),
                api=compute.api or "-",
                detail=detail,
            )
            + (f", max CUDA {compute.max_cuda}" if compute.max_cuda else "")
        )
        lines.append("    " + tr("cli", "sources: {sources}", sources=", ".join(g.sources)))
    adapters = getattr(result, "display_adapters", None) or []
    if adapters:
        lines.append(tr("cli", "Display adapters (they show the desktop, they cannot run generation):"))
    for a in adapters:
        lines.append(
            f"  {a.name or '?'} [{display_kind(a.kind)}] "
            f"pci {a.pci.vendor_id or '????'}:{a.pci.device_id or '????'} @ {a.pci.bus_id or '-'}"
        )
    for r in result.runtimes:
        apis = ", ".join(k for k, v in sorted(r.apis.items()) if v) or "-"
        lines.append(
            tr(
                "cli",
                "Python {version} at {path}: torch {torch}, device APIs: {apis}",
                version=r.python_version or "?",
                path=r.python,
                torch=r.torch or "-",
                apis=apis,
            )
        )
    if result.problems:
        lines.append(tr("cli", "Problems:"))
        for p in result.problems:
            where = f" (GPU {p.gpu})" if p.gpu is not None else ""
            lines.append(f"  [{p.severity}] {p.code}{where}: {render(p.message)}")
            if p.hint:
                lines.append("      " + tr("cli", "hint: {hint}", hint=render(p.hint)))
    return "\n".join(lines)
