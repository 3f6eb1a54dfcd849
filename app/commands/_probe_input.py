"""Shared by match / advise / launcher: where the probe result comes from (a saved `probe --json`, a
simulated rig, or this machine)."""

from __future__ import annotations

import json

from probes.core.errors import RigPilotError
from probes.core.i18n import Text, tr


def add_probe_arguments(p) -> None:
    g = p.add_mutually_exclusive_group()
    g.add_argument(
        "--probe", metavar="FILE", help=tr("cli-match", "use a saved `probe --json` instead of probing")
    )
    g.add_argument("--simulate", metavar="RIG", help=tr("cli-match", "probe a built-in simulated rig"))


def load_probe(args):
    from probes.core.model import SCHEMA, ProbeResult

    path = getattr(args, "probe", None)
    if path:
        try:
            with open(path, encoding="utf-8-sig") as fh:
                data = json.load(fh)
        except OSError as exc:
            raise RigPilotError(
                "probe-file-unreadable",
                Text("cli-match", "Cannot read {path}: {detail}", path=path, detail=exc.strerror or str(exc)),
                Text("cli-match", "Save one with `python main.py probe --json > probe.json`."),
            ) from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise RigPilotError(
                "probe-file-invalid",
                Text("cli-match", "{path} is not probe JSON: {detail}", path=path, detail=str(exc)),
                Text("cli-match", "Save one with `python main.py probe --json > probe.json`."),
            ) from None
        if not isinstance(data, dict) or data.get("schema") != SCHEMA:
            raise RigPilotError(
                "probe-file-invalid",
                Text(
                    "cli-match",
                    "{path} is not probe JSON: {detail}",
                    path=path,
                    detail=f"schema is not {SCHEMA}",
                ),
                Text("cli-match", "Save one with `python main.py probe --json > probe.json`."),
            )
        try:
            from app.report import rebuild_problems

            result = ProbeResult.from_json(data)
            result.problems = rebuild_problems(data, result.problems)
            return result
        except (TypeError, KeyError, AttributeError, ValueError) as exc:
            raise RigPilotError(
                "probe-file-invalid",
                Text("cli-match", "{path} is not probe JSON: {detail}", path=path, detail=str(exc)),
                Text("cli-match", "Save one with `python main.py probe --json > probe.json`."),
            ) from None
    from probes.detect.engine import probe
    from probes.detect.sources import ProbeContext

    if getattr(args, "simulate", None):
        from probes.core.replay import simulated_host

        host = simulated_host(args.simulate)
    else:
        from probes.core.host import Host

        host = Host()
    return probe(host, ProbeContext(pythons=[]))
