"""Discovery of telemetry backends.

Every module in ``probes/live/telemetry/`` may define::

    PRIORITY = 10                      # lower is preferred when two modules serve the same GPU
    def backends(host, result) -> list[TelemetryBackend]:
        '''Backends for the GPUs of ``result`` (a ProbeResult) this source can read; [] if none.'''

``open_backends`` returns, for each GPU index, the preferred backend that serves it.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

from probes.core.host import Host
from probes.core.model import ProbeResult

log = logging.getLogger(__name__)


def _modules():
    from probes.live import telemetry

    for info in sorted(pkgutil.iter_modules(telemetry.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in ("base", "registry"):
            continue
        mod = importlib.import_module(f"probes.live.telemetry.{info.name}")
        if hasattr(mod, "backends"):
            yield mod


def open_backends(host: Host, result: ProbeResult) -> dict:
    """{gpu index: backend}. Backends that serve no still-unserved GPU are closed again."""
    chosen: dict = {}
    for mod in sorted(_modules(), key=lambda m: getattr(m, "PRIORITY", 50)):
        try:
            found = mod.backends(host, result) or []
        except Exception:  # a broken backend must not take the monitor down
            log.exception("telemetry module %s failed to open", mod.__name__)
            continue
        for backend in found:
            served = [g for g in backend.gpus() if g not in chosen]
            if not served:
                backend.close()
                continue
            for g in served:
                chosen[g] = backend
    return chosen
