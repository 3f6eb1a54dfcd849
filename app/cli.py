"""The command line: ``python main.py <command> ...``. Never imports Qt or torch.

Subcommands live in ``app/commands/<name>.py`` and are discovered here. A RigPilotError becomes
"error [code]: message / hint" on stderr and exit code 2; no traceback reaches the user.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import pkgutil
import sys

from app import commands as _commands_pkg
from app.version import VERSION
from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render, set_language, tr

EXIT_OK, EXIT_FAILED, EXIT_ERROR = 0, 1, 2


def command_modules() -> dict:
    mods = {}
    for info in sorted(pkgutil.iter_modules(_commands_pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"app.commands.{info.name}")
        if hasattr(mod, "NAME") and hasattr(mod, "run"):
            mods[mod.NAME] = mod
    return mods


def build_parser(mods: dict | None = None) -> argparse.ArgumentParser:
    mods = command_modules() if mods is None else mods
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description=tr(
            "cli",
            "RigPilot: set up and tune a GPU for local image/video generation. "
            "Without a command, the desktop app starts.",
        ),
    )
    parser.add_argument("--version", action="version", version=f"RigPilot {VERSION}")
    parser.add_argument("--lang", choices=["en", "zh_CN"], help=tr("cli", "language of the output"))
    parser.add_argument("-v", "--verbose", action="store_true", help=tr("cli", "log details to stderr"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, mod in mods.items():
        p = sub.add_parser(
            name, help=str(getattr(mod, "HELP", "")), description=str(getattr(mod, "HELP", ""))
        )
        if hasattr(mod, "add_arguments"):
            mod.add_arguments(p)
        p.set_defaults(_module=mod)
    return parser


def report_error(err: RigPilotError, *, as_json: bool = False, stream=None) -> int:
    stream = stream or sys.stderr
    if as_json:
        print(json.dumps({"error": err.to_json()}, ensure_ascii=False), file=sys.stdout)
    message = render(err.message)
    print(tr("cli", "error [{code}]: {message}", code=err.code, message=message), file=stream)
    if err.hint:
        print(tr("cli", "  hint: {hint}", hint=render(err.hint)), file=stream)
    return EXIT_ERROR


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # --lang must take effect before the parser's help texts are translated
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            set_language(argv[i + 1])
        elif a.startswith("--lang="):
            set_language(a.split("=", 1)[1])
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )
    if not getattr(args, "_module", None):
        parser.print_help()
        return EXIT_OK
    try:
        return int(args._module.run(args) or 0)
    except RigPilotError as err:
        return report_error(err, as_json=bool(getattr(args, "json", False)))
    except KeyboardInterrupt:
        print(tr("cli", "cancelled"), file=sys.stderr)
        return 130
    except BrokenPipeError:  # `probe | head`
        return EXIT_OK
    except Exception as exc:  # a bug: say so with a code and what to do, the traceback only with -v
        logging.getLogger("rigpilot").debug("internal error", exc_info=True)
        err = RigPilotError(
            "internal-error",
            Text(
                "cli",
                "RigPilot hit an internal error in '{command}': {error}",
                command=args.command,
                error=f"{type(exc).__name__}: {exc}",
            ),
            Text(
                "cli",
                "Run the command again with -v to see the traceback, and report it together with "
                "the output of 'python main.py report'.",
            ),
        )
        return report_error(err, as_json=bool(getattr(args, "json", False)))
