"""Probe sources: one module per source, each with pure parsers and a ``SOURCES`` list.

A module here is discovered automatically; it exports ``SOURCES: list[Source]`` and may export
``DIAGNOSE: list[callable(result, host) -> list[Problem]]`` for vendor-specific checks run after
the merge.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field

from probes.core.host import Host
from probes.core.model import SourceResult


@dataclass
class ProbeContext:
    """Options of one probe run, shared read-only by every source."""

    pythons: list = field(default_factory=list)  # interpreters to inspect (probe --python)
    runtime_timeout_s: float = 30.0  # importing torch can take 20 s
    deep: bool = False  # e.g. nvidia-smi topo -m


class Source:
    """Base class. ``collect`` must not raise for bad tool output: problems go in the result."""

    name: str = "source"
    priority: int = 50  # lower wins when several sources give the same field
    platforms: tuple = ("linux", "windows", "darwin")
    timeout_s: float = 5.0

    def applicable(self, host: Host, ctx: ProbeContext) -> bool:
        return host.platform in self.platforms

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:  # pragma: no cover - abstract
        raise NotImplementedError


def _modules():
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        yield importlib.import_module(f"{__name__}.{info.name}")


def all_sources() -> list[Source]:
    out: list[Source] = []
    for mod in _modules():
        out.extend(getattr(mod, "SOURCES", []))
    return sorted(out, key=lambda s: (s.priority, s.name))


def diagnose_rules(sources: list | None = None) -> list:
    """DIAGNOSE rules of every source module, or only of the modules of ``sources`` (plus the
    host-level rule modules), so that a probe restricted to some sources is judged on them alone."""
    if sources is None:
        mods = list(_modules())
    else:
        import sys

        names = dict.fromkeys(type(s).__module__ for s in sources)
        mods = [sys.modules[n] for n in names if n in sys.modules]
        # host-level rules (modules with DIAGNOSE but no SOURCES, e.g. /dev/dri access) always run
        mods += [m for m in _modules() if not getattr(m, "SOURCES", None) and m not in mods]
    rules = []
    for mod in mods:
        for rule in getattr(mod, "DIAGNOSE", []):
            if rule not in rules:
                rules.append(rule)
    return rules
