"""``python main.py launcher``: write launch scripts (.sh/.bat/.ps1) with the profile's environment and the
app's real flags, for a folder that may be called anything (CJK, spaces, & ( ) ' ^ ! % $ `)."""

from __future__ import annotations

import datetime
import json
import sys

from app.commands._probe_input import add_probe_arguments, load_probe
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, tr

NAME = "launcher"
HELP = Text(
    "cli-match", "write launch scripts for ComfyUI, A1111, Z-Image WebUI or a script, tuned for the GPU"
)


def add_arguments(p) -> None:
    p.add_argument(
        "--app",
        required=True,
        choices=["comfyui", "a1111", "zimage", "generic"],
        help=tr("cli-match", "which app to launch"),
    )
    p.add_argument(
        "--app-dir", required=True, metavar="DIR", help=tr("cli-match", "the app folder (absolute)")
    )
    p.add_argument(
        "--python",
        required=True,
        metavar="PY",
        help=tr("cli-match", "the venv's interpreter (absolute path)"),
    )
    p.add_argument("--out", required=True, metavar="DIR", help=tr("cli-match", "where to write the scripts"))
    p.add_argument("--profile", metavar="ID", help=tr("cli-match", "force this hardware profile"))
    g = p.add_mutually_exclusive_group()
    g.add_argument("--gpu", type=int, metavar="N", help=tr("cli-match", "pin the app to GPU N"))
    g.add_argument(
        "--per-gpu",
        action="store_true",
        help=tr("cli-match", "one script per GPU of the matched vendor, with distinct ports"),
    )
    p.add_argument(
        "--restart",
        action="store_true",
        help=tr("cli-match", "restart the app when it crashes (watchdog with backoff and a log file)"),
    )
    p.add_argument(
        "--max-restarts",
        type=int,
        default=5,
        metavar="N",
        help=tr("cli-match", "at most N restarts per hour (default 5)"),
    )
    p.add_argument(
        "--backoff",
        type=int,
        default=5,
        metavar="S",
        help=tr("cli-match", "first restart delay in seconds, doubled after each crash (default 5)"),
    )
    p.add_argument(
        "--os", choices=["linux", "windows", "darwin"], help=tr("cli-match", "target operating system")
    )
    p.add_argument("--format", choices=["sh", "bat", "ps1"], help=tr("cli-match", "script format"))
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=tr("cli-match", "extra environment variable; wins over the profile (repeatable)"),
    )
    p.add_argument("--script", metavar="FILE", help=tr("cli-match", "the script to run (generic app)"))
    p.add_argument(
        "--arg",
        action="append",
        default=[],
        metavar="X",
        help=tr("cli-match", "extra argument for the app (repeatable; write --arg=--flag for flags)"),
    )
    p.add_argument("--port", type=int, help=tr("cli-match", "port of the (first) instance"))
    p.add_argument("--listen", action="store_true", help=tr("cli-match", "listen on all network interfaces"))
    p.add_argument(
        "--force", action="store_true", help=tr("cli-match", "overwrite files not written by RigPilot")
    )
    p.add_argument("--json", action="store_true", help=tr("cli-match", "print what was written as JSON"))
    add_probe_arguments(p)


def parse_env(items) -> tuple:
    out = []
    for item in items:
        if "=" not in item:
            raise RigPilotError(
                "launch-bad-env",
                Text("launch", "--env needs KEY=VALUE, got {item}.", item=repr(item)),
                Text("launch", "For example --env HF_HOME=/data/hf."),
            )
        k, v = item.split("=", 1)
        out.append((k, v))
    return tuple(out)


def plan(args, probe_result):
    """Match and build the launch specs (pure apart from the probe)."""
    from installers.scripts import LaunchChoices, plan_launch

    os_name = args.os or (
        probe_result.host.platform
        if probe_result.host.platform in ("linux", "windows", "darwin")
        else "linux"
    )
    choices = LaunchChoices(
        app_dir=args.app_dir,
        python=args.python,
        os_name=os_name,
        restart=args.restart,
        max_restarts_per_hour=args.max_restarts,
        backoff_s=args.backoff,
        env=parse_env(args.env),
        script=args.script,
        args=tuple(args.arg),
        port=args.port,
        listen=args.listen,
        date=datetime.date.today().isoformat(),
    )
    results, specs = plan_launch(
        probe_result, args.app, choices, gpu=args.gpu, per_gpu=args.per_gpu, profile_id=args.profile
    )
    return results, specs, os_name


def run(args) -> int:
    from installers.scripts import write_scripts

    results, specs, os_name = plan(args, load_probe(args))
    result = results[0]
    fmt = args.format or ("bat" if os_name == "windows" else "sh")
    paths = write_scripts(specs, fmt, args.out, force=args.force)
    c = result.chosen
    if args.json:
        sys.stdout.write(
            json.dumps(
                {
                    "schema": "rigpilot.launcher/1",
                    "profile": c.id,
                    "confidence": c.confidence,
                    "format": fmt,
                    "warnings": [render(w) for w in c.warnings],
                    "scripts": [
                        {
                            "path": str(p),
                            "profile": r.chosen.id,
                            "argv": [s.python, *s.argv],
                            "env": dict(s.env),
                            "cwd": s.cwd,
                            "port": s.port,
                            "gpu": s.gpu,
                            "log": s.watchdog.log if s.watchdog else None,
                        }
                        for p, s, r in zip(
                            paths,
                            specs,
                            results if len(results) == len(specs) else [result] * len(specs),
                            strict=True,
                        )
                    ],
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
        return 0
    print(tr("cli-match", "Profile {id} [{confidence}]", id=c.id, confidence=tr("profiles", c.confidence)))
    for w in c.warnings:
        print(tr("cli-match", "WARNING: {text}", text=render(w)))
    for p in paths:
        print(tr("cli-match", "wrote {path}", path=str(p)))
    return 0
