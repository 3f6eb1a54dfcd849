"""Pure parser for ``system_profiler SPDisplaysDataType -json`` (macOS).

Key facts (captures in tests/data/macos-sp/README.md):

* Apple silicon: ``sppci_model`` "Apple M2 Pro", ``sppci_cores`` "19" (a string),
  ``spdisplays_vendor`` "sppci_vendor_Apple", ``sppci_bus`` "spdisplays_builtin", no VRAM key:
  the GPU uses the unified system memory. macOS 11 names the entry ``kHW_AppleM1Item``.
* Intel Macs: ``spdisplays_vendor`` "sppci_vendor_intel" / "sppci_vendor_amd" (older macOS: "Intel",
  "AMD (0x1002)"), ``spdisplays_device-id`` "0x67df", dedicated ``spdisplays_vram`` "8 GB" or
  shared ``spdisplays_vram_shared`` "1536 MB" (iGPU), ``sppci_bus`` "spdisplays_pcie_device".
* Metal support: ``spdisplays_mtlgpufamilysupport`` (macOS 13+, "spdisplays_metal3"),
  ``spdisplays_metalfamily`` (macOS 11, "spdisplays_mtlgpufamilyapple7") or ``spdisplays_metal``.
"""

from __future__ import annotations

import re

from probes.core import values as v
from probes.core.errors import ParseError
from probes.core.model import hex4

TOOL = "system_profiler SPDisplaysDataType -json"

_VENDOR_WORDS = (
    ("apple", "apple"),
    ("amd", "amd"),
    ("ati", "amd"),
    ("radeon", "amd"),
    ("nvidia", "nvidia"),
    ("geforce", "nvidia"),
    ("intel", "intel"),
)
VENDOR_IDS = {"amd": "1002", "nvidia": "10de", "intel": "8086"}
# a number not preceded by a digit or dot (so a long digit run is one number, not many): linear
_SIZE_RE = re.compile(r"(?<![0-9.])([0-9]{1,12}(?:\.[0-9]{1,6})?)[ \t]{0,8}(KB|MB|GB|TB)\b", re.IGNORECASE)
_UNITS = {"kb": 1024, "mb": 1024**2, "gb": 1024**3, "tb": 1024**4}
_HEXID_RE = re.compile(r"0x([0-9a-fA-F]{1,4})")


def parse_size(text: object) -> int | None:
    """'4 GB' / '1536 MB' / 'Dynamic, Max: 48 GB' -> bytes (binary units, as macOS means them)."""
    if not isinstance(text, str):
        return None
    m = _SIZE_RE.search(text[:1024])
    if not m:
        return None
    n = v.size_bytes(m.group(1) + m.group(2), None, _UNITS)
    return n or None


def _vendor(entry: dict, name: str | None) -> str | None:
    raw = entry.get("spdisplays_vendor") or entry.get("sppci_vendor") or ""
    raw = raw[:256].lower() if isinstance(raw, str) else ""
    for hay in (raw.replace("sppci_vendor_", ""), (name or "")[:256].lower()):
        for word, vendor in _VENDOR_WORDS:
            if word in re.split(r"[^a-z0-9]+", hay):
                return vendor
    m = _HEXID_RE.search(raw)
    if m:
        return {"1002": "amd", "10de": "nvidia", "8086": "intel", "106b": "apple"}.get(
            hex4(m.group(1)) or "", "other"
        )
    return "other" if raw or name else None


def _name(entry: dict) -> str | None:
    for key in ("sppci_model", "spdisplays_chipset-model", "_name"):
        val = entry.get(key)
        if isinstance(val, str) and val.strip():
            val = val.strip()[:256]
            m = re.fullmatch(r"kHW_(\w{1,64}?)Item", val)  # macOS 11: "kHW_AppleM1Item"
            if m:
                val = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", m.group(1))
            return val
    return None


def _metal(entry: dict) -> str | None:
    for key in ("spdisplays_mtlgpufamilysupport", "spdisplays_metalfamily", "spdisplays_metal"):
        val = entry.get(key)
        if isinstance(val, str) and val.strip():
            return val.strip()[:128].replace("spdisplays_", "")
    return None


def parse_sp_displays(text: str) -> list[dict]:
    """-> [{"name", "vendor", "vendor_id", "device_id", "cores", "builtin", "unified_memory",
    "vram_bytes", "vram_shared_bytes", "metal"}] (GPUs only, displays skipped)."""
    text = v.text(text, TOOL)
    if not text.strip():
        raise ParseError(TOOL, "empty output")
    data = v.json_loads(text, TOOL)
    if not isinstance(data, dict) or "SPDisplaysDataType" not in data:
        raise ParseError(TOOL, "no SPDisplaysDataType key")
    rows = data["SPDisplaysDataType"]
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list):
        raise ParseError(TOOL, "SPDisplaysDataType is not a list")
    out: list[dict] = []
    for entry in rows:
        if not isinstance(entry, dict):
            continue
        dtype = entry.get("sppci_device_type")
        if isinstance(dtype, str) and dtype not in ("spdisplays_gpu", "spdisplays_egpu"):
            continue
        name = _name(entry)
        vendor = _vendor(entry, name)
        if name is None and vendor is None:
            continue
        bus_v = entry.get("sppci_bus")
        bus = bus_v if isinstance(bus_v, str) else ""
        cores = v.ascii_int(entry.get("sppci_cores"), (1, v.COUNT[1]))
        dev = entry.get("spdisplays_device-id")
        m = _HEXID_RE.search(dev[:64]) if isinstance(dev, str) else None
        if len(out) > v.INDEX[1]:
            raise ParseError(TOOL, "more GPUs than any machine has")
        vram = parse_size(entry.get("spdisplays_vram") or entry.get("_spdisplays_vram"))
        shared = parse_size(entry.get("spdisplays_vram_shared") or entry.get("spdisplays_vram_dynamic"))
        unified = vendor == "apple"
        out.append(
            {
                "name": name,
                "vendor": vendor,
                "vendor_id": None if unified else VENDOR_IDS.get(vendor or ""),
                "device_id": hex4(m.group(1)) if m else None,
                "cores": cores,
                "builtin": "builtin" in bus,
                "unified_memory": unified,
                "vram_bytes": None if unified else vram,
                "vram_shared_bytes": shared,
                "metal": _metal(entry),
            }
        )
    return out
