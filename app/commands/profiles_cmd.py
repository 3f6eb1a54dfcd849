"""``python main.py profiles list|show ID|validate``: the sourced profile data."""

from __future__ import annotations

import json
import sys

from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

NAME = "profiles"
HELP = Text("cli-match", "list, show or validate the hardware/app profiles and release tables")


def add_arguments(p) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION")
    sub.required = True
    ls = sub.add_parser("list", help=tr("cli-match", "list every profile"))
    ls.add_argument("--json", action="store_true", help=tr("cli-match", "print JSON"))
    sh = sub.add_parser("show", help=tr("cli-match", "show one profile or table"))
    sh.add_argument("id", metavar="ID")
    sh.add_argument("--json", action="store_true", help=tr("cli-match", "print JSON"))
    va = sub.add_parser(
        "validate", help=tr("cli-match", "check every profile file (unknown keys, bad values)")
    )
    va.add_argument("--dir", metavar="DIR", help=tr("cli-match", "validate this data folder instead"))
    va.add_argument("--json", action="store_true", help=tr("cli-match", "print JSON"))


def _profile_json(p) -> dict:
    from dataclasses import asdict

    d = asdict(p)
    d["title_translated"] = render(Text("profile-notes", p.title))
    return d


def run(args) -> int:
    from profiles.loader import load_catalog
    from profiles.validation import validate_dir

    if args.action == "validate":
        cat, errors = validate_dir(args.dir)
        if args.json:
            sys.stdout.write(
                json.dumps(
                    {
                        "ok": not errors,
                        "errors": [e.to_json() for e in errors],
                        "hardware": len(cat.hardware),
                        "apps": len(cat.apps),
                        "tables": len(cat.tables),
                    },
                    indent=2,
                    ensure_ascii=False,
                )
                + "\n"
            )
        else:
            for e in errors:
                print(tr("cli-match", "error [{code}]: {message}", code=e.code, message=render(e.message)))
            print(
                tr(
                    "cli-match",
                    "{hardware} hardware profiles, {apps} app profiles, {tables} tables, {errors} errors",
                    hardware=len(cat.hardware),
                    apps=len(cat.apps),
                    tables=len(cat.tables),
                    errors=len(errors),
                )
            )
        return 1 if errors else 0
    cat = load_catalog()
    if args.action == "list":
        if args.json:
            sys.stdout.write(
                json.dumps(
                    {
                        "hardware": [
                            {"id": p.id, "confidence": p.confidence, "title": p.title} for p in cat.hardware
                        ],
                        "apps": [
                            {"id": a.id, "confidence": a.confidence, "title": a.title} for a in cat.apps
                        ],
                        "tables": sorted(cat.tables),
                    },
                    indent=2,
                    ensure_ascii=False,
                )
                + "\n"
            )
            return 0
        print(tr("cli-match", "Hardware profiles:"))
        for p in cat.hardware:
            print(f"  {p.id:32} [{tr('profiles', p.confidence)}] {render(Text('profile-notes', p.title))}")
        print(tr("cli-match", "App profiles:"))
        for a in cat.apps:
            print(f"  {a.id:32} [{tr('profiles', a.confidence)}] {a.title}")
        print(tr("cli-match", "Tables:"))
        for t in sorted(cat.tables):
            print(f"  {t}")
        return 0
    obj = cat.profile(args.id) or cat.app(args.id) or cat.tables.get(args.id)
    if obj is None:
        raise RigPilotError(
            "profile-not-found",
            Text("match", "There is no profile '{id}'.", id=args.id),
            Text("match", "`python main.py profiles list` shows the profile ids."),
        )
    from dataclasses import asdict

    data = _profile_json(obj) if hasattr(obj, "match") else asdict(obj)
    if args.json:
        sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=list) + "\n")
    else:
        print(f"# {obj.path}")
        for k, v in data.items():
            print(f"{k}: {v}")
    return 0
