"""Shared by ``monitor`` and ``power``: open the machine (or a simulated rig), probe, pick backends."""

from __future__ import annotations

import json
from pathlib import Path

from probes.core.errors import RigPilotError
from probes.core.i18n import Text

CTX = "monitor"


def open_host(args):
    """The real machine, a built-in simulated rig (``--simulate NAME``) or a rig folder (path)."""
    name = getattr(args, "simulate", None)
    if name and (Path(name) / "manifest.json").is_file():
        from probes.core.replay import ReplayHost

        return ReplayHost(name, simulated=Path(name).resolve().name)
    from app.commands.probe import make_host

    return make_host(args)


def probe_host(host):
    """Probe; a recording without a GPU the probes recognise falls back to its recorded probe.json."""
    from probes.core.model import ProbeResult
    from probes.detect.engine import probe
    from probes.detect.sources import ProbeContext

    result = probe(host, ProbeContext())
    replay_dir = getattr(host, "replay_dir", None)
    if not result.gpus and replay_dir and (Path(replay_dir) / "probe.json").is_file():
        try:
            recorded = ProbeResult.from_json(json.loads((Path(replay_dir) / "probe.json").read_text("utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            recorded = None
        if recorded is not None and recorded.gpus:
            recorded.host.simulated = getattr(host, "simulated", None)
            result = recorded
    return result


def open_telemetry(args, gpus: list[int] | None = None):
    """(host, probe result, {gpu: backend}) — only the GPUs asked for; errors are RigPilotErrors."""
    from probes.live.telemetry.registry import open_backends

    host = open_host(args)
    result = probe_host(host)
    if not result.gpus:
        raise RigPilotError(
            "monitor-no-gpu",
            Text(CTX, "No GPU was found to monitor."),
            Text(CTX, "Run 'python main.py probe' to see what was detected."),
        )
    backends = open_backends(host, result)
    if gpus is not None:
        missing = [g for g in gpus if g not in {x.index for x in result.gpus}]
        if missing:
            for b in {id(b): b for b in backends.values()}.values():
                b.close()
            raise RigPilotError(
                "monitor-gpu-not-found",
                Text(CTX, "There is no GPU {gpu}.", gpu=missing[0]),
                Text(CTX, "GPUs found: {gpus}.", gpus=", ".join(str(g.index) for g in result.gpus)),
            )
        backends = {g: b for g, b in backends.items() if g in gpus}
    return host, result, backends
