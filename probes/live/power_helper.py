"""The privileged power-limit helper:
``python -m probes.live.power_helper --bus-id BUS (--watts W | --reset)``.

Started elevated by probes/live/power.py through pkexec (Linux) or UAC (Windows). It trusts nothing:

* it accepts exactly ``--bus-id <PCI bus id>`` plus ``--watts <number>`` or ``--reset``, each
  checked against a strict ASCII pattern (whole string: no trailing newline, no Unicode digits)
  and the wattage against a sane range — anything else is refused before any probe runs;
* it never starts a shell and never passes its arguments to another program; it probes the
  machine itself, finds the GPU by bus id, validates the wattage against that card's own
  constraints, writes through the telemetry backend, re-reads, and prints one JSON line:
  ``{"ok": true, "bus_id", "gpu", "requested_w", "current_w", "enforced_w"}`` or
  ``{"ok": false, "error": {"code", "message", "hint"}}`` (exit code 0 / 2).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import IO

if __package__ in (None, ""):  # started by path (pkexec python /…/probes/power_helper.py)
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from probes.core.errors import RigPilotError  # noqa: E402
from probes.core.host import Host  # noqa: E402
from probes.core.i18n import Text, render  # noqa: E402
from probes.core.model import (
    ProbeResult,  # noqa: E402
    normalize_bus_id,  # noqa: E402
)

CTX = "power"
BUS_RE = re.compile(r"\A(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]\Z")
WATTS_RE = re.compile(r"\A[0-9]{1,4}(?:\.[0-9]{1,3})?\Z")
WATTS_RANGE = (1.0, 5000.0)  # probes.core.values.POWER_W without 0: no card is set to 0 W
MAX_ARGS = 4


def _bad(detail: str) -> RigPilotError:
    return RigPilotError(
        "power-helper-bad-arguments",
        Text(CTX, "The power helper refused its arguments: {detail}", detail=detail),
        Text(CTX, "Usage: power_helper --bus-id 0000:01:00.0 (--watts 200 | --reset)"),
    )


def parse_args(argv: list[str]) -> tuple[str, float | None]:
    """(normalized bus id, watts or None for reset). Strict: no abbreviations, no extras."""
    argv = list(argv)
    if len(argv) > MAX_ARGS or not all(isinstance(a, str) and len(a) <= 64 for a in argv):
        raise _bad("unexpected argument")
    bus = watts = None
    reset = False
    i = 0
    while i < len(argv):
        a = argv[i]
        if a == "--reset" and not reset:
            reset = True
            i += 1
            continue
        if a in ("--bus-id", "--watts") and i + 1 < len(argv):
            value = argv[i + 1]
            if a == "--bus-id" and bus is None:
                if not BUS_RE.match(value):
                    raise _bad("bus id")
                bus = normalize_bus_id(value)
            elif a == "--watts" and watts is None:
                if not WATTS_RE.match(value):
                    raise _bad("watts")
                watts = float(value)
                if not WATTS_RANGE[0] <= watts <= WATTS_RANGE[1]:
                    raise _bad("watts out of range")
            else:
                raise _bad("repeated option")
            i += 2
            continue
        raise _bad("unexpected argument")
    if bus is None:
        raise _bad("--bus-id is required")
    if reset == (watts is not None):
        raise _bad("give exactly one of --watts and --reset")
    return bus, watts


def run(
    bus_id: str,
    watts: float | None,
    *,
    host: Host | None = None,
    result: ProbeResult | None = None,
    backends: dict | None = None,
) -> dict:
    """Find the GPU, validate against its constraints, write, re-read. Raises RigPilotError."""
    from probes.live import power

    if host is None:
        from probes.core.host import Host

        host = Host()
    if result is None:
        from probes.detect.engine import probe
        from probes.detect.sources import ProbeContext

        result = probe(host, ProbeContext())
    gpu = next((g for g in result.gpus if normalize_bus_id(g.pci.bus_id) == bus_id), None)
    if gpu is None:
        raise RigPilotError(
            "power-helper-gpu-not-found",
            Text(CTX, "No GPU at PCI bus id {bus_id}.", bus_id=bus_id),
            Text(CTX, "Re-scan; the card may have been removed or renumbered."),
        )
    if backends is None:
        from probes.live.telemetry.registry import open_backends

        backends = open_backends(host, result)
    backend = backends.get(gpu.index)
    if backend is None:
        raise RigPilotError(
            "power-limit-unsupported",
            Text(CTX, "No telemetry source can change the power limit of {name}.", name=gpu.name or bus_id),
            Text(CTX, "Use the vendor's own tool, if it has one."),
        )
    c = power.show(backend, gpu.index)
    if watts is None:
        if c.default_w is None:
            power.validate(c, None)  # unsupported, or no default to go back to: refused
        target = power.validate(c, c.default_w)
    else:
        target = power.validate(c, watts)
    backend.set_power_limit(gpu.index, target)
    after = power.show(backend, gpu.index)
    return {
        "ok": True,
        "bus_id": bus_id,
        "gpu": gpu.index,
        "requested_w": target,
        "current_w": after.current_w,
        "enforced_w": after.enforced_w,
    }


def main(
    argv: list[str] | None = None,
    *,
    host: Host | None = None,
    result: ProbeResult | None = None,
    backends: dict | None = None,
    out: IO[str] | None = None,
) -> int:
    out = out or sys.stdout
    try:
        bus, watts = parse_args(sys.argv[1:] if argv is None else argv)
        reply = run(bus, watts, host=host, result=result, backends=backends)
        code = 0
    except RigPilotError as err:
        reply = {
            "ok": False,
            "error": {"code": err.code, "message": render(err.message), "hint": render(err.hint)},
        }
        code = 2
    except Exception as exc:  # never a traceback from a root process
        reply = {"ok": False, "error": {"code": "power-helper-failed", "message": str(exc), "hint": None}}
        code = 2
    out.write(json.dumps(reply, ensure_ascii=False) + "\n")
    out.flush()
    return code


if __name__ == "__main__":
    sys.exit(main())
