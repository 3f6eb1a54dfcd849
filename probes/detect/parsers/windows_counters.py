"""Pure parser for Windows GPU performance counters read with ``Get-Counter`` as JSON.

Instance names (the same on every Windows language; counter *paths* are localized, so we classify
by instance name): ``GPU Adapter Memory`` instances are ``luid_0x00000000_0x0000d1b5_phys_0``;
``GPU Engine`` instances are ``pid_10472_luid_0x00000000_0x0000f814_phys_0_eng_0_engtype_3d``
(one per process and engine; oshi/oshi PR #2114 shows this exact form).

3D utilisation of an adapter = for each 3D engine the sum over processes, then the busiest engine,
clamped to [0, 100] — summing across engines overcounts (what Task Manager shows; microsoft/PowerToys
PR #48710 fixed exactly that double count). NaN/negative cooked values are skipped.
"""

from __future__ import annotations

import re

from probes.core import values as v
from probes.core.errors import ParseError
from probes.detect.parsers.windows_cim import load_json

TOOL = "Get-Counter (GPU)"
_LUID = r"luid_0x[0-9a-f]{1,16}_0x[0-9a-f]{1,16}_phys_[0-9]{1,4}"
_ADAPTER_RE = re.compile(r"^(" + _LUID + r")$", re.IGNORECASE)
_ENGINE_RE = re.compile(
    r"^pid_[0-9]{1,10}_(" + _LUID + r")_eng_([0-9]{1,4})_engtype_(\w{1,32})$", re.IGNORECASE
)


def _instance(row: dict) -> str | None:
    name = row.get("InstanceName")
    if isinstance(name, str) and name:
        return name.strip()[:256]
    path = row.get("Path")
    if isinstance(path, str) and len(path) <= 1024:
        m = re.search(r"\(([^()]{0,256})\)\\[^\\]{0,256}$", path)
        if m:
            return m.group(1).strip()
    return None


def _value(row: dict) -> float | None:
    value = v.number(row.get("CookedValue")) if not isinstance(row.get("CookedValue"), str) else None
    if value is None or value < 0:
        return None
    return value


def parse_counters(text: str) -> dict:
    """-> {luid_instance: {"dedicated_bytes": int|None, "util_3d_pct": float|None}}."""
    data = load_json(text)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise ParseError(TOOL, "expected an array of counter samples")
    if data and not any(isinstance(r, dict) and ("CookedValue" in r or "InstanceName" in r) for r in data):
        raise ParseError(TOOL, "no counter samples (CookedValue / InstanceName) in the JSON")
    out: dict = {}
    engines: dict = {}
    for row in data:
        if not isinstance(row, dict):
            continue
        inst = _instance(row)
        if not inst:
            continue
        value = _value(row)
        m = _ENGINE_RE.match(inst)
        if m:
            luid, eng, etype = m.group(1).lower(), int(m.group(2)), m.group(3).lower()  # 4 digits at most
            out.setdefault(luid, {"dedicated_bytes": None, "util_3d_pct": None})
            if etype == "3d" and value is not None:
                engines.setdefault(luid, {}).setdefault(eng, 0.0)
                engines[luid][eng] += value
            continue
        m = _ADAPTER_RE.match(inst)
        if m:
            luid = m.group(1).lower()
            entry = out.setdefault(luid, {"dedicated_bytes": None, "util_3d_pct": None})
            if value is not None and value <= v.MEMORY_BYTES[1]:
                entry["dedicated_bytes"] = int(value)
    for luid, per_engine in engines.items():
        if per_engine:
            out[luid]["util_3d_pct"] = round(min(100.0, max(per_engine.values())), 2)
    return out
