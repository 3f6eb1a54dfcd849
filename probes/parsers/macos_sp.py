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

import json
import re

from probes.errors import ParseError
from probes.model import hex4

TOOL = "system_profiler SPDisplaysDataType -json"

_VENDOR_WORDS = (("apple", "apple"), ("amd", "amd"), ("ati", "amd"), ("radeon", "amd"),
                 ("nvidia", "nvidia"), ("geforce", "nvidia"), ("intel", "intel"))
VENDOR_IDS = {"amd": "1002", "nvidia": "10de", "intel": "8086"}
_SIZE_RE = re.compile(r"(\d+(?:\.\d+)?)\s*(KB|MB|GB|TB)\b", re.IGNORECASE)
_UNITS = {"kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3, "tb": 1024 ** 4}
_HEXID_RE = re.compile(r"0x([0-9a-fA-F]{1,4})")


def parse_size(text) -> int | None:
    """'4 GB' / '1536 MB' / 'Dynamic, Max: 48 GB' -> bytes (binary units, as macOS means them)."""
    if not isinstance(text, str):
        return None
    m = _SIZE_RE.search(text)
    if not m:
        return None
    try:
        n = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    except (OverflowError, ValueError):   # "999...9 GB": not a size
        return None
    return n or None


def _vendor(entry: dict, name: str | None) -> str | None:
    raw = entry.get("spdisplays_vendor") or entry.get("sppci_vendor") or ""
    raw = raw.lower() if isinstance(raw, str) else ""
    for hay in (raw.replace("sppci_vendor_", ""), (name or "").lower()):
        for word, vendor in _VENDOR_WORDS:
            if word in re.split(r"[^a-z0-9]+", hay):
                return vendor
    m = _HEXID_RE.search(raw)
    if m:
        return {"1002": "amd", "10de": "nvidia", "8086": "intel", "106b": "apple"}.get(hex4(m.group(1)), "other")
    return "other" if raw or name else None


def _name(entry: dict) -> str | None:
    for key in ("sppci_model", "spdisplays_chipset-model", "_name"):
        v = entry.get(key)
        if isinstance(v, str) and v.strip():
            v = v.strip()
            m = re.fullmatch(r"kHW_(\w+?)Item", v)   # macOS 11: "kHW_AppleM1Item"
            if m:
                v = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", m.group(1))
            return v
    return None


def _metal(entry: dict) -> str | None:
    for key in ("spdisplays_mtlgpufamilysupport", "spdisplays_metalfamily", "spdisplays_metal"):
        v = entry.get(key)
        if isinstance(v, str) and v.strip():
            return v.strip().replace("spdisplays_", "")
    return None


def parse_sp_displays(text: str) -> list[dict]:
    """-> [{"name", "vendor", "vendor_id", "device_id", "cores", "builtin", "unified_memory",
    "vram_bytes", "vram_shared_bytes", "metal"}] (GPUs only, displays skipped)."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError(TOOL, "empty output")
    try:
        data = json.loads(text.strip().lstrip("\ufeff"))
    except (ValueError, RecursionError) as exc:
        raise ParseError(TOOL, f"invalid JSON: {str(exc)[:120]}") from None
    if not isinstance(data, dict) or "SPDisplaysDataType" not in data:
        raise ParseError(TOOL, "no SPDisplaysDataType key")
    rows = data["SPDisplaysDataType"]
    if isinstance(rows, dict):
        rows = [rows]
    if not isinstance(rows, list):
        raise ParseError(TOOL, "SPDisplaysDataType is not a list")
    out = []
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
        bus = entry.get("sppci_bus") if isinstance(entry.get("sppci_bus"), str) else ""
        cores_raw = entry.get("sppci_cores")
        cores = int(cores_raw) if isinstance(cores_raw, str) and cores_raw.strip().isdigit() else (
            cores_raw if isinstance(cores_raw, int) and not isinstance(cores_raw, bool) and cores_raw > 0 else None)
        dev = entry.get("spdisplays_device-id")
        m = _HEXID_RE.search(dev) if isinstance(dev, str) else None
        vram = parse_size(entry.get("spdisplays_vram") or entry.get("_spdisplays_vram"))
        shared = parse_size(entry.get("spdisplays_vram_shared") or entry.get("spdisplays_vram_dynamic"))
        unified = vendor == "apple"
        out.append({
            "name": name, "vendor": vendor,
            "vendor_id": None if unified else VENDOR_IDS.get(vendor or ""),
            "device_id": hex4(m.group(1)) if m else None,
            "cores": cores, "builtin": "builtin" in bus, "unified_memory": unified,
            "vram_bytes": None if unified else vram,
            "vram_shared_bytes": shared, "metal": _metal(entry),
        })
    return out
