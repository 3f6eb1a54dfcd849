"""``python main.py match``: which hardware profile fits this machine, and why the others do not."""

from __future__ import annotations

import json
import sys

from app.commands._probe_input import add_probe_arguments, load_probe
from probes.core.i18n import Text, tr

NAME = "match"
HELP = Text("cli-match", "pick the vendor profile (torch build, environment, tuning) for a GPU, with reasons")


def add_arguments(p) -> None:
    p.add_argument("--json", action="store_true", help=tr("cli-match", "print the rigpilot.match/1 JSON"))
    p.add_argument(
        "--gpu", type=int, metavar="N", help=tr("cli-match", "the GPU to match (default: the best one)")
    )
    p.add_argument(
        "--os",
        choices=["linux", "windows", "darwin"],
        help=tr("cli-match", "match for this operating system (default: the probed one)"),
    )
    p.add_argument(
        "--profile", metavar="ID", help=tr("cli-match", "force this profile (it is still explained)")
    )
    p.add_argument(
        "--all", action="store_true", help=tr("cli-match", "list every candidate, not only the close ones")
    )
    add_probe_arguments(p)


def run(args) -> int:
    from profiles.matcher import match

    result = match(load_probe(args), gpu_index=args.gpu, os_name=args.os, profile_id=args.profile)
    if args.json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(format_match(result, show_all=args.all) + "\n")
    return 0


def format_match(result, show_all: bool = False) -> str:
    out = []
    if result.simulated:
        out.append(tr("cli-match", "*** SIMULATED rig: {name} ***", name=result.simulated))
    g = result.gpu
    out.append(
        tr(
            "cli-match",
            "GPU: {gpu}",
            gpu=f"{g.index}: {g.name} [{g.vendor}]" if g else tr("cli-match", "none"),
        )
    )
    out += _chosen_lines(result.chosen)
    out.append(tr("cli-match", "Candidates:"))
    out += _candidate_lines(result, show_all)
    if not show_all:
        out.append(tr("cli-match", "(other vendors' profiles hidden; --all shows them)"))
    return "\n".join(out)


def _chosen_lines(c) -> list[str]:
    """The chosen profile: what it installs, sets and needs, its warnings, notes and sources."""
    from probes.core.i18n import render

    out = [
        tr(
            "cli-match",
            "Chosen profile: {id} [{confidence}]",
            id=c.id,
            confidence=tr("profiles", c.confidence),
        )
    ]
    out.append("  " + render(Text("profile-notes", c.title)))
    out.append("  " + tr("cli-match", "Python: {python}", python=c.python or "-"))
    if c.index_url:
        out.append("  " + tr("cli-match", "Index: {url}", url=c.index_url))
    out.append("  " + tr("cli-match", "Packages: {packages}", packages=" ".join(c.packages) or "-"))
    for k, v in c.env:
        out.append(f"  env {k}={v}")
    out.append("  " + tr("cli-match", "Tuning: {tuning}", tuning=", ".join(f"{k}={v}" for k, v in c.tuning)))
    for k, v in c.requires:
        out.append("  " + tr("cli-match", "Requires {what}: {value}", what=k, value=v))
    for w in c.warnings:
        out.append("  " + tr("cli-match", "WARNING: {text}", text=render(w)))
    for n in c.notes:
        out.append("  " + tr("cli-match", "note: {text}", text=render(n)))
    for k in c.known_problems:
        out.append(
            "  "
            + tr(
                "cli-match",
                'known problem "{pattern}": {meaning} {hint}',
                pattern=k.pattern,
                meaning=render(Text("profile-notes", k.meaning)),
                hint=render(Text("profile-notes", k.hint)),
            )
        )
    out.append("  " + tr("cli-match", "Sources:"))
    out += [f"    - {s}" for s in c.sources]
    return out


def _candidate_lines(result, show_all: bool) -> list[str]:
    """Each candidate that is accepted or of the GPU's vendor (every one with ``show_all``), with the
    reasons that count against it."""
    from probes.core.i18n import render

    out = []
    vendor = result.gpu.vendor if result.gpu else None
    for cand in result.candidates:
        near = cand.accepted or (vendor and vendor in cand.profile.match.vendor)
        if not (show_all or near):
            continue
        mark = "+" if cand.accepted else "-"
        out.append(f"  {mark} {cand.id} [{tr('profiles', cand.confidence)}]")
        if cand.accepted and cand is not result.candidates[0]:
            for w in cand.profile.warnings:
                out.append(
                    "      " + tr("cli-match", "WARNING: {text}", text=render(Text("profile-notes", w)))
                )
        for r in cand.reasons:
            if r.kind == "info" or (r.ok and r.kind == "require"):
                continue
            flag = "ok" if r.ok else "NO"
            out.append(f"      {flag}: {render(r.message)}")
            if not r.ok and r.sources:
                out.append("          " + tr("cli-match", "source: {source}", source="; ".join(r.sources)))
    return out
