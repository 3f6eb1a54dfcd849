"""``python main.py installs list [--json]``: the installs RigPilot made (from the data folder), each
checked against its folder; ``installs mirrors [--json]``: the download mirrors ``install --mirror``
accepts, in the order the Install page offers them."""

from __future__ import annotations

import json
import sys

from probes.core.i18n import Text, language, tr

NAME = "installs"
HELP = Text("cli-installs", "list the installs RigPilot made, or the download mirrors")


def add_arguments(p) -> None:
    p.add_argument("what", choices=["list", "mirrors"], help=tr("cli-installs", "what to show"))
    p.add_argument("--json", action="store_true", help=tr("cli-installs", "print JSON"))


def run(args) -> int:
    if args.what == "mirrors":
        return _mirrors(args)
    from installers.records import refresh
    from probes.core.paths import default_data_dir

    items = refresh(default_data_dir())
    if args.json:
        sys.stdout.write(
            json.dumps({"schema": "rigpilot.installs/1", "installs": items}, indent=2, ensure_ascii=False)
            + "\n"
        )
        return 0
    if not items:
        print(
            tr(
                "cli-installs",
                "No installs yet. Make one with: python main.py install --app comfyui --dir DIR",
            )
        )
        return 0
    for item in items:
        state = (
            tr("cli-installs", "present")
            if item.get("present")
            else tr("cli-installs", "damaged")
            if item.get("damaged")
            else tr("cli-installs", "MISSING")
        )
        print(f"{item['dir']}  [{state}]")
        print(
            "  "
            + tr(
                "cli-installs",
                "app {app}, profile {profile}, torch {torch}",
                app=item.get("app"),
                profile=item.get("profile"),
                torch=item.get("torch") or "?",
            )
        )
        print("  " + tr("cli-installs", "python: {path}", path=item.get("python")))
        if item.get("script"):
            print("  " + tr("cli-installs", "start: {path}", path=item.get("script")))
        if item.get("previous"):
            print(
                "  "
                + tr(
                    "cli-installs", "previous environment: {id} (install --rollback DIR)", id=item["previous"]
                )
            )
    return 0


def _mirrors(args) -> int:
    from installers import mirrors
    from profiles.loader import load_catalog

    rows = mirrors.load(load_catalog(), language())
    if args.json:
        sys.stdout.write(json.dumps([m.to_json() for m in rows], indent=2, ensure_ascii=False) + "\n")
        return 0
    for m in rows:
        print(f"{m.name:<24} {m.kind:<7} {m.region:<7} {m.url or '-'}  ({m.title}; {m.confidence})")
    return 0
