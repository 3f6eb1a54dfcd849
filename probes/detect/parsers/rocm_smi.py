"""Parser for ``rocm-smi ... --json``.

Facts (ROCm/rocm_smi_lib python_smi_tools/rocm_smi.py, formatJson and argparse; captures in
tests/data/rocm-smi/):

* ``{"card0": {label: value}, ..., "system": {...}}``; every value is a string, labels are the
  human labels the text output prints, and they drift between versions:
  ``Temperature (Sensor edge) (C)`` vs ``(c)`` (2019) and ``°C``; ``Average Graphics Package
  Power (W)`` vs ``Current Socket Graphics Package Power (W)`` (APUs, rocm-smi-lib 6.2.4);
  ``Card Series``/``Card series``, ``Card Model``/``Card model`` (old versions put the vendor id
  ``0x1002`` into "Card model" and the device id into "GPU ID", determined-ai test data);
* ``sclk clock speed:`` is ``"(1090Mhz)"``; ``N/A`` means not reported;
* ``WARNING: No JSON data to report`` is printed instead of JSON when nothing applies.
"""

from __future__ import annotations

import re
from typing import Any

from probes.core import values as v
from probes.core.errors import ParseError
from probes.core.model import hex4, normalize_bus_id
from probes.detect.parsers.amd_smi import load_json

TOOL = "rocm-smi"
_CARD = re.compile(r"^card([0-9]{1,4})$", re.I)
_TEMP = re.compile(r"^temperature \(sensor ([a-z0-9 _-]{1,32})\) \((?:°)?c\)$", re.I)
_POWER = re.compile(r"^(average|current socket|current|instant) graphics package power \(w\)$", re.I)


def _num(value: object, bounds: v.Bounds | None = None) -> float | None:
    """The first number of a label's value ('(1090Mhz)', '45.0', 26); N/A and junk -> None."""
    return v.first_number(value, bounds)


def _str(value: object) -> str | None:
    s = v.clean(value, 256)
    return None if s is None or s.upper() == "UNKNOWN" else s


def _card_number(key: str) -> int:
    """'card1' -> 1 (``key`` matched _CARD)."""
    m = _CARD.match(key)
    assert m is not None
    return int(m.group(1))


def _get(card: dict, *names: str) -> Any:  # a value of the JSON document
    lower = {k.lower().strip(): val for k, val in card.items() if isinstance(k, str) and len(k) < 200}
    for n in names:
        if n.lower() in lower:
            return lower[n.lower()]
    return None


def parse(text: str) -> dict:
    """-> {"cards": [per-card dict], "driver_version": str|None}."""
    text = v.text(text, TOOL)
    if "No JSON data to report" in text and "{" not in text:
        raise ParseError(TOOL, "the tool reported no JSON data")
    data = load_json(text, TOOL)
    if not isinstance(data, dict):
        raise ParseError(TOOL, "expected an object keyed by card")
    if len(data) > 10_000:
        raise ParseError(TOOL, "more keys than any machine has cards")
    cards = []
    for key in sorted(
        (k for k in data if isinstance(k, str) and _CARD.match(k)), key=lambda k: _card_number(k)
    ):
        card = data[key]
        if not isinstance(card, dict):
            raise ParseError(TOOL, f"{key} is not an object")
        cards.append(_card(_card_number(key), card))
    if not cards and not isinstance(data.get("system"), dict):
        raise ParseError(TOOL, "no card entries")
    system_v = data.get("system")
    system = system_v if isinstance(system_v, dict) else {}
    return {"cards": cards, "driver_version": _str(_get(system, "Driver version"))}


def _card(index: int, card: dict) -> dict:
    temps: dict[str, float] = {}
    power = None
    for k, value in card.items():
        if not isinstance(k, str):
            continue
        if len(k) > 200:
            continue
        m = _TEMP.match(k.strip())
        if m:
            val = _num(value, v.TEMPERATURE_C)
            if val is not None:
                temps[m.group(1).strip().lower()] = val
            continue
        if power is None and _POWER.match(k.strip()):
            power = _num(value, v.POWER_W)
    vendor_field = hex4(_str(_get(card, "Card Vendor")))  # usually a name, sometimes "0x1002"
    device = hex4(_str(_get(card, "Device ID", "GPU ID")))
    if device is None:
        model = hex4(_str(_get(card, "Card Model")))
        if model is not None and model != "1002":
            device = model
    gfx = _str(_get(card, "GFX Version"))
    if gfx is not None:
        gfx = gfx.lower().split(":")[0]
        if not re.fullmatch(r"gfx[0-9a-f]{3,4}", gfx[:16]):
            gfx = None
    total = _num(_get(card, "VRAM Total Memory (B)"), v.MEMORY_BYTES)
    used = _num(_get(card, "VRAM Total Used Memory (B)"), v.MEMORY_BYTES)
    sclk = _num(_get(card, "sclk clock speed:"), v.CLOCK_MHZ)
    util = _num(_get(card, "GPU use (%)"), v.PERCENT)
    fan = _num(_get(card, "Fan speed (%)"), v.PERCENT)
    name = _str(_get(card, "Card Series")) or _str(_get(card, "Device Name"))
    return {
        "card": index,
        "name": name,
        "vendor_id": vendor_field if vendor_field == "1002" else None,
        "device_id": device,
        "subsystem_id": hex4(_str(_get(card, "Subsystem ID"))),
        "revision": _rev(_str(_get(card, "Device Rev"))),
        "bus_id": normalize_bus_id(_str(_get(card, "PCI Bus"))),
        "gfx": gfx,
        "sku": _str(_get(card, "Card SKU")),
        "vram_total_bytes": int(total) if total else None,
        "vram_used_bytes": None if used is None else int(used),
        "temperature_c": temps.get("edge"),
        "hotspot_c": temps.get("junction", temps.get("hotspot")),
        "memory_temperature_c": temps.get("mem", temps.get("memory")),
        "power_draw_w": power,
        "power_cap_w": _num(_get(card, "Max Graphics Package Power (W)"), v.POWER_W),
        "utilization_pct": util,
        "clock_mhz": sclk,
        "fan_pct": fan,
    }


def _rev(value: str | None) -> str | None:
    if value is None:
        return None
    m = re.fullmatch(r"(?:0x)?([0-9a-fA-F]{1,2})", value[:8])
    return f"{int(m.group(1), 16):02x}" if m else None
