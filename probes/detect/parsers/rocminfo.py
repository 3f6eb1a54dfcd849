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

from probes.core import values as v
from probes.core.errors import ParseError

TOOL = "rocminfo"
_KEY = re.compile(r"[A-Za-z][A-Za-z0-9 ._/()-]{0,63}")
_GFX = re.compile(r"gfx[0-9a-f]{3,4}", re.I)


def _agent(line: str) -> int | None:
    """'Agent 2' / '*** Agent 2 ***' / '*******\\nAgent 2' -> 2 (split, not a regex: linear)."""
    s = line.strip().strip("*").strip()
    parts = s.split()
    if len(parts) != 2 or parts[0] != "Agent":
        return None
    return v.ascii_int(parts[1], (0, 1 << 16)) if parts[1].isascii() else None


def _kv(line: str) -> tuple[int, str, str] | None:
    """'  Name:                    gfx1100' -> (2, 'Name', 'gfx1100')."""
    key, sep, value = line.partition(":")
    if not sep:
        return None
    indent = len(key) - len(key.lstrip())
    key = key.strip()
    if not _KEY.fullmatch(key):
        return None
    return indent, key, value.strip()


def bdfid_to_bus(bdfid: int | None, domain: int = 0) -> str | None:
    if bdfid is None or bdfid < 0 or bdfid > 0xFFFF:
        return None
    return f"{domain:04x}:{(bdfid >> 8) & 0xFF:02x}:{(bdfid >> 3) & 0x1F:02x}.{bdfid & 0x7}"


def _int(value: str | None, bounds: v.Bounds | None = None) -> int | None:
    """The leading integer of a value ('96', '768', '29772(0x744c)')."""
    if not value:
        return None
    m = re.match(r"\s{0,16}([0-9]{1,20})(?![0-9])", value)
    return v.ascii_int(m.group(1), bounds) if m else None


def parse(text: str) -> list[dict]:
    """-> one dict per GPU agent: gfx, marketing_name, uuid, node, chip_id, bus_id, compute_units."""
    text = v.text(text, TOOL)
    if not text.strip():
        raise ParseError(TOOL, "empty output")
    agents: list[dict] = []
    current: dict | None = None
    for line in v.lines(text):
        agent = _agent(line)
        if agent is not None:
            if len(agents) > v.INDEX[1]:
                raise ParseError(TOOL, "more agents than any machine has")
            current = {"agent": agent, "fields": {}, "isa": []}
            agents.append(current)
            continue
        if current is None:
            continue
        kv = _kv(line)
        if not kv:
            continue
        indent, key, value = kv
        if key == "Name" and indent > 4:
            g = _GFX.search(value)
            if g:
                current["isa"].append(g.group(0).lower())
            continue
        if indent <= 4 and len(current["fields"]) < 256:
            current["fields"].setdefault(key, value)
    typed = any("Device Type" in a["fields"] for a in agents)
    if not typed and "HSA Agents" not in text and "ROCk module" not in text:
        # rocminfo prints 'ROCk module is loaded' and the 'HSA Agents' banner, and every agent
        # has a 'Device Type' (an excerpt in a bug report may keep only the agents)
        raise ParseError(
            TOOL, v.with_first_line("no 'HSA Agents' banner and no agent with a 'Device Type'", text)
        )
    if not agents:
        return []
    out = []
    for a in agents:
        f = a["fields"]
        dtype = (f.get("Device Type") or "").strip().upper()
        name = (f.get("Name") or "").strip()
        g = _GFX.fullmatch(name.split(":")[0]) if name else None
        if dtype != "GPU" and not (dtype == "" and g):
            continue
        chip = None
        cm = re.search(r"0x([0-9a-fA-F]{1,8})(?![0-9a-fA-F])", f.get("Chip ID") or "")
        if cm:
            chip = f"{int(cm.group(1), 16) & 0xFFFF:04x}"
        marketing = (f.get("Marketing Name") or "").strip() or None
        uuid = (f.get("Uuid") or "").strip()
        out.append(
            {
                "agent": a["agent"],
                "gfx": g.group(0).lower() if g else (a["isa"][0] if a["isa"] else None),
                "marketing_name": marketing,
                "uuid": uuid if uuid and uuid not in ("GPU-XX",) else None,
                "node": _int(f.get("Node"), (0, 1 << 16)),
                "device_id": chip,
                "bus_id": bdfid_to_bus(_int(f.get("BDFID"))) if f.get("BDFID") is not None else None,
                "compute_units": _int(f.get("Compute Unit"), v.COUNT),
                "isa": list(dict.fromkeys(a["isa"])),
            }
        )
    return out
