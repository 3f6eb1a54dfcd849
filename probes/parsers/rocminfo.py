"""Parser for ``rocminfo`` text output (the HSA agent list).

Facts (tests/data/rocminfo/, ROCm/ROCm#2974 and others): agents are introduced by a line
``Agent N`` between lines of asterisks (some tools quote ``*** Agent 1 ***``); the CPU agent comes
first. GPU agents have ``Name: gfx1100``, ``Marketing Name: Radeon RX 7900 XTX``,
``Device Type: GPU``, ``Chip ID: 29772(0x744c)``, ``BDFID: 768`` (PCI bus<<8 | device<<3 |
function; no domain) and ``Compute Unit: 96``; ISA names look like
``amdgcn-amd-amdhsa--gfx90a:sramecc+:xnack-`` (the feature suffixes are stripped).
"""
from __future__ import annotations

import re

from probes.errors import ParseError

TOOL = "rocminfo"
_AGENT = re.compile(r"^\s*(?:\*+\s*)?Agent\s+(\d+)\s*(?:\*+)?\s*$")
_KV = re.compile(r"^(\s*)([A-Za-z][A-Za-z0-9 ._/()-]*?):\s*(.*?)\s*$")
_GFX = re.compile(r"gfx[0-9a-f]{3,4}", re.I)


def bdfid_to_bus(bdfid: int | None, domain: int = 0) -> str | None:
    if bdfid is None or bdfid < 0 or bdfid > 0xFFFF:
        return None
    return f"{domain:04x}:{(bdfid >> 8) & 0xFF:02x}:{(bdfid >> 3) & 0x1F:02x}.{bdfid & 0x7}"


def _int(value: str | None) -> int | None:
    if not value:
        return None
    m = re.match(r"^\s*(\d+)", value)
    return int(m.group(1)) if m else None


def parse(text: str) -> list[dict]:
    """-> one dict per GPU agent: gfx, marketing_name, uuid, node, chip_id, bus_id, compute_units."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError(TOOL, "empty output")
    agents: list[dict] = []
    current: dict | None = None
    for line in text.splitlines():
        m = _AGENT.match(line)
        if m:
            current = {"agent": int(m.group(1)), "fields": {}, "isa": []}
            agents.append(current)
            continue
        if current is None:
            continue
        kv = _KV.match(line)
        if not kv:
            continue
        indent, key, value = len(kv.group(1)), kv.group(2).strip(), kv.group(3)
        if key == "Name" and indent > 4:
            g = _GFX.search(value)
            if g:
                current["isa"].append(g.group(0).lower())
            continue
        if indent <= 4:
            current["fields"].setdefault(key, value)
    if not agents:
        if "HSA Agents" in text or "ROCk module" in text:
            return []
        raise ParseError(TOOL, "no HSA agents in the output")
    out = []
    for a in agents:
        f = a["fields"]
        dtype = (f.get("Device Type") or "").strip().upper()
        name = (f.get("Name") or "").strip()
        g = _GFX.fullmatch(name.split(":")[0]) if name else None
        if dtype != "GPU" and not (dtype == "" and g):
            continue
        chip = None
        cm = re.search(r"0x([0-9a-fA-F]+)", f.get("Chip ID") or "")
        if cm:
            chip = f"{int(cm.group(1), 16) & 0xFFFF:04x}"
        marketing = (f.get("Marketing Name") or "").strip() or None
        uuid = (f.get("Uuid") or "").strip()
        out.append({
            "agent": a["agent"],
            "gfx": g.group(0).lower() if g else (a["isa"][0] if a["isa"] else None),
            "marketing_name": marketing,
            "uuid": uuid if uuid and uuid not in ("GPU-XX",) else None,
            "node": _int(f.get("Node")),
            "device_id": chip,
            "bus_id": bdfid_to_bus(_int(f.get("BDFID"))) if f.get("BDFID") is not None else None,
            "compute_units": _int(f.get("Compute Unit")),
            "isa": list(dict.fromkeys(a["isa"])),
        })
    return out
