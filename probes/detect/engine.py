"""The probe engine: run every applicable source in parallel, merge per physical GPU, diagnose.

Each source runs in a daemon thread with its own timeout (default 5 s); the whole probe has a
deadline (default 10 s). A source that overruns is reported as ``probe-source-timeout`` and
left behind (its subprocesses carry their own timeouts, so nothing hangs for ever).
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable

from probes.core.host import Host
from probes.core.model import (
    DisplayAdapter,
    Gpu,
    HostInfo,
    ProbeResult,
    SourceResult,
    merge_into,
    normalize_bus_id,
)
from probes.core.problems import problem
from probes.detect import pci_ids
from probes.detect.sources import ProbeContext, Source, all_sources, diagnose_rules

log = logging.getLogger(__name__)

DEFAULT_DEADLINE_S = 10.0

EventCallback = Callable[[str, str, int, int], None]  # (event, source, done, total)


def probe(
    host: Host | None = None,
    ctx: ProbeContext | None = None,
    *,
    sources: list[Source] | None = None,
    deadline_s: float = DEFAULT_DEADLINE_S,
    on_event: EventCallback | None = None,
) -> ProbeResult:
    host = host or Host()
    ctx = ctx or ProbeContext()
    chosen = [s for s in (sources if sources is not None else all_sources()) if _applicable(s, host, ctx)]
    results: queue.Queue = queue.Queue()

    start = time.monotonic()
    # Inspecting target interpreters (probe --python) imports torch, which can take 20 s: only then
    # does the deadline stretch to the runtime timeout.
    if ctx.pythons:
        deadline_s = max(deadline_s, ctx.runtime_timeout_s + 2.0)
    started = _start_sources(chosen, host, ctx, results, on_event)
    out = ProbeResult()
    collected = _Gather(chosen, started, start + deadline_s, out, on_event).run(results)

    merged = merge_results(collected, out)
    merged.timings["total"] = time.monotonic() - start
    if host.simulated:
        merged.host.simulated = host.simulated
        merged.problems.insert(0, problem("simulated-rig", name=host.simulated))
    for rule in diagnose_rules(chosen if sources is not None else None):
        try:
            merged.problems.extend(rule(merged, host) or [])
        except Exception:  # pragma: no cover - a broken rule must not sink the probe
            log.exception("diagnose rule %r failed", rule)
    merged.problems = _dedupe(merged.problems)
    return merged


def _start_sources(
    chosen: list[Source], host: Host, ctx: ProbeContext, results: queue.Queue, on_event: EventCallback | None
) -> dict[str, float]:
    """Start one daemon thread per source, each putting (source, result, exception, seconds) on
    ``results``; returns when each started."""
    started: dict[str, float] = {}

    def worker(src: Source) -> None:
        t0 = time.monotonic()
        try:
            res = src.collect(host, ctx)
            results.put((src, res, None, time.monotonic() - t0))
        except Exception as exc:  # a bug in one source must not sink the probe
            log.exception("probe source %s failed", src.name)
            results.put((src, None, exc, time.monotonic() - t0))

    for src in chosen:
        started[src.name] = time.monotonic()
        threading.Thread(target=worker, args=(src,), name=f"probe-{src.name}", daemon=True).start()
        if on_event:
            on_event("started", src.name, 0, len(chosen))
    return started


class _Gather:
    """Waits for the started sources until each has answered or overrun its timeout or the deadline;
    timings and problems go to ``out``."""

    def __init__(
        self,
        chosen: list[Source],
        started: dict[str, float],
        deadline: float,
        out: ProbeResult,
        on_event: EventCallback | None,
    ) -> None:
        self.started, self.deadline, self.out, self.on_event = started, deadline, out, on_event
        self.total = len(chosen)
        self.pending = {s.name: s for s in chosen}
        self.done = 0

    def _event(self, event: str, name: str) -> None:
        if self.on_event:
            self.on_event(event, name, self.done, self.total)

    def _expire(self, now: float) -> None:
        for name, src in list(self.pending.items()):
            if now >= self.started[name] + src.timeout_s or now >= self.deadline:
                self.out.problems.append(
                    problem("probe-source-timeout", source=name, timeout=f"{src.timeout_s:g}")
                )
                self.out.timings[name] = now - self.started[name]
                del self.pending[name]
                self.done += 1
                self._event("timeout", name)

    def run(self, results: queue.Queue) -> list[tuple[Source, SourceResult]]:
        collected: list[tuple[Source, SourceResult]] = []
        pending, out = self.pending, self.out
        while pending:
            now = time.monotonic()
            # the earliest moment a pending source overruns its own timeout or the deadline
            limit = min([self.deadline] + [self.started[n] + s.timeout_s for n, s in pending.items()])
            if now >= limit:
                self._expire(now)
                continue
            try:
                src, res, exc, elapsed = results.get(timeout=max(0.001, limit - now))
            except queue.Empty:
                continue
            if src.name not in pending:
                continue  # arrived after we gave up on it
            del pending[src.name]
            self.done += 1
            out.timings[src.name] = elapsed
            if exc is not None:
                out.problems.append(
                    problem("probe-source-failed", source=src.name, detail=type(exc).__name__)
                )
            elif res is not None:
                collected.append((src, res))
            self._event("finished", src.name)
        return collected


def _applicable(src: Source, host: Host, ctx: ProbeContext) -> bool:
    try:
        return bool(src.applicable(host, ctx))
    except Exception:  # pragma: no cover
        log.exception("applicable() of %s failed", src.name)
        return False


def merge_results(
    collected: list[tuple[Source, SourceResult]], out: ProbeResult | None = None
) -> ProbeResult:
    """Merge source results: GPUs per bus id (priority order), host fields, runtimes, problems."""
    out = out or ProbeResult()
    collected = sorted(collected, key=lambda item: (item[0].priority, item[0].name))
    groups: list[Gpu] = []
    by_bus: dict[str, Gpu] = {}
    without_bus: list[tuple[Source, Gpu]] = []

    host_info = HostInfo()
    for src, res in collected:
        if res.host is not None:
            host_info = merge_into(host_info, res.host)
        out.runtimes.extend(res.runtimes)
        out.problems.extend(res.problems)
        for frag in res.gpus:
            if src.name not in frag.sources:
                frag.sources = list(frag.sources) + [src.name]
            key = normalize_bus_id(frag.pci.bus_id)
            if key is None:
                without_bus.append((src, frag))
                continue
            frag.pci.bus_id = key
            if key in by_bus:
                idx = groups.index(by_bus[key])
                groups[idx] = by_bus[key] = merge_into(by_bus[key], frag)
            else:
                by_bus[key] = frag
                groups.append(frag)

    # Fragments without a bus id (Windows CIM, system_profiler...) join the one card with the same
    # PCI ids, else the n-th card of the same vendor, else stand alone.
    claimed: dict[str, int] = {}
    for src, frag in without_bus:
        target = _match_unbussed(groups, frag, claimed.setdefault(src.name, 0))
        if target is None:
            groups.append(frag)
        else:
            i = groups.index(target)
            groups[i] = merge_into(target, frag)
            claimed[src.name] += 1

    groups, out.display_adapters = split_display_adapters(groups)
    groups.sort(key=lambda g: (g.key() or "zzzz", g.vendor or "", g.vendor_index or 0))
    bus_to_index = {}
    for i, g in enumerate(groups):
        g.index = i
        if g.key():
            bus_to_index[g.key()] = i
    for p in out.problems:
        if p.gpu is None and p.bus_id:
            p.gpu = bus_to_index.get(normalize_bus_id(p.bus_id))
    out.gpus = groups
    out.host = host_info
    return out


def split_display_adapters(groups: list[Gpu]) -> tuple[list[Gpu], list[DisplayAdapter]]:
    """(GPUs, display-only adapters): a virtual machine's emulated display or a server's BMC VGA
    (probes.detect.pci_ids.display_only) shows a desktop but runs no generation, so it is no GPU."""
    gpus: list[Gpu] = []
    adapters: list[DisplayAdapter] = []
    for g in groups:
        info = pci_ids.display_only(
            g.pci.vendor_id, g.pci.device_id, (g.name, g.extra.get("windows_adapter_name"))
        )
        if info is None:
            gpus.append(g)
            continue
        adapters.append(
            DisplayAdapter(
                name=g.name or info.name, kind=info.kind, pci=g.pci, driver=g.driver, sources=list(g.sources)
            )
        )
    adapters.sort(key=lambda a: normalize_bus_id(a.pci.bus_id) or "zzzz")
    return gpus, adapters


def _match_unbussed(groups: list[Gpu], frag: Gpu, nth: int) -> Gpu | None:
    vid, did = frag.pci.vendor_id, frag.pci.device_id
    if vid and did:
        same = [g for g in groups if g.pci.vendor_id == vid and g.pci.device_id == did]
        if len(same) == 1:
            return same[0]
        if len(same) > 1:
            return same[min(nth, len(same) - 1)] if nth < len(same) else None
    if frag.vendor:
        same_vendor = [g for g in groups if g.vendor == frag.vendor]
        if len(same_vendor) == 1:
            return same_vendor[0]
    return None


def _dedupe(problems):
    seen = set()
    out = []
    for p in problems:
        key = (p.code, p.gpu, str(p.message))
        if key in seen:
            continue
        seen.add(key)
        out.append(p)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda p: order.get(p.severity, 3))
