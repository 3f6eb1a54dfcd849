"""Parsers for ``amd-smi static --json`` and ``amd-smi metric --json``.

Facts (ROCm/amdsmi amdsmi_cli/README.md and CHANGELOG.md, and the captures in tests/data/amd-smi-*):

* the top level drifts: a JSON list of per-GPU objects (ROCm 6.x), or ``{"gpu_data": [...]}``
  (newer amd-smi, nathaninline/ajean#39), and with ``-w`` a ``timestamp`` key per object;
* values drift too: ``{"value": 45, "unit": "C"}`` (since "Added units of measure to JSON
  output", amdsmi CHANGELOG), plain numbers, ``"N/A"``, ``{"value": "N/A", "unit": "mV"}``,
  or a whole section as the string ``"N/A"`` (ROCm/rocm-systems PR #2720);
* memory is reported in "MB" that are MiB (16368 MB for a 16 GiB RX 7800 XT, 8176 MB for an
  8 GiB RX 6600), power in W, temperatures in C, clocks in MHz;
* the Python wrapper may print warnings before the JSON on the same stream (ajean#39 shows
  ``SyntaxWarning`` lines ahead of ``{``).

Only :class:`probes.core.errors.ParseError` leaves this module.
"""

from __future__ import annotations

import re
from typing import Any

from probes.core import values as v
from probes.core.errors import ParseError
from probes.core.model import hex4, normalize_bus_id

TOOL = "amd-smi"

_UNIT_BYTES = {"b": 1, "kb": 1024, "kib": 1024, "mb": 1024**2, "mib": 1024**2, "gb": 1024**3, "gib": 1024**3}
_UNIT_WATTS = {"w": 1.0, "mw": 1e-3, "uw": 1e-6, "µw": 1e-6}
MAX_JSON_STARTS = 16  # warning lines before the JSON: a handful, never thousands


def load_json(text: str, tool: str) -> Any:  # a JSON document
    """JSON from a tool's stdout, skipping warning lines printed before it."""
    text = v.text(text, tool)
    stripped = text.strip()
    if not stripped:
        raise ParseError(tool, "empty output")
    try:
        return v.json_loads(stripped, tool)
    except ParseError:
        pass
    tries = 0
    for m in re.finditer(r"^[ \t]{0,64}([\[{])", text, flags=re.M):
        tries += 1
        if tries > MAX_JSON_STARTS:
            break
        try:
            value, _end = v.json_raw_decode(text, m.start(1), tool)
        except ParseError:
            continue
        if isinstance(value, (list, dict)):
            return value
    raise ParseError(tool, f"not JSON: {v.first_line(stripped, 120)!r}")


def number(value: object) -> tuple[float | None, str | None]:
    """(number, unit) from ``{"value", "unit"}``, a plain number or "12 W"; N/A -> (None, unit)."""
    unit = None
    if isinstance(value, dict):
        unit = v.clean(value.get("unit"), 16)
        value = value.get("value")
    n, text_unit = v.number_unit(value)
    return n, (text_unit or unit)


def to_bytes(value: object, default_unit: str = "MB") -> int | None:
    n, unit = number(value)
    if n is None or n < 0:
        return None
    factor = _UNIT_BYTES.get((unit or default_unit).strip().lower())
    if factor is None:
        return None
    size = int(round(n * factor))
    return size if size <= v.MEMORY_BYTES[1] else None


def to_watts(value: object) -> float | None:
    n, unit = number(value)
    if n is None or n < 0:
        return None
    factor = _UNIT_WATTS.get((unit or "W").strip().lower())
    if factor is None:
        return None
    w = n * factor
    return w if w <= v.POWER_W[1] else None


def plain(value: object, bounds: tuple[float, float] | None = None) -> float | None:
    n, _unit = number(value)
    if n is None or bounds is None:
        return n
    return n if bounds[0] <= n <= bounds[1] else None


def text_value(value: object) -> str | None:
    return v.clean(value, 256)


def gpu_records(data: object, tool: str = TOOL) -> list[dict]:
    """The per-GPU objects, whatever the top level looks like."""
    if isinstance(data, dict) and isinstance(data.get("gpu_data"), list):
        data = data["gpu_data"]
    elif isinstance(data, dict) and "gpu" in data:
        data = [data]
    if not isinstance(data, list):
        raise ParseError(tool, "expected a list of GPUs")
    out = []
    if len(data) > v.INDEX[1] + 1:
        raise ParseError(tool, f"{len(data)} GPU entries: more than any machine has")
    for i, rec in enumerate(data):
        if not isinstance(rec, dict):
            raise ParseError(tool, f"GPU entry {i} is not an object")
        out.append(rec)
    return out


def _index(rec: dict, fallback: int) -> int:
    g = v.index(rec.get("gpu")) if isinstance(rec.get("gpu"), int) else None
    return fallback if g is None else g


def _section(rec: dict, name: str) -> dict:
    sec = rec.get(name)
    return sec if isinstance(sec, dict) else {}


def parse_static(text: str) -> list[dict]:
    """``amd-smi static --json`` -> one dict per GPU (None for what the tool did not say)."""
    out = []
    for i, rec in enumerate(gpu_records(load_json(text, TOOL))):
        asic, bus = _section(rec, "asic"), _section(rec, "bus")
        driver, vram, limit = _section(rec, "driver"), _section(rec, "vram"), _section(rec, "limit")
        vbios = _section(rec, "vbios")
        gfx = text_value(asic.get("target_graphics_version"))
        if gfx is not None:
            gfx = gfx.lower().split(":")[0]
            if not re.fullmatch(r"gfx[0-9a-f]{3,4}", gfx):
                gfx = None
        cu = plain(asic.get("num_compute_units"), v.COUNT)
        vram_size = vram.get("size")
        if vram_size is None and "vram_size_mb" in vram:
            vram_size = {"value": vram.get("vram_size_mb"), "unit": "MB"}
        out.append(
            {
                "index": _index(rec, i),
                "name": text_value(asic.get("market_name")),
                "vendor_id": hex4(text_value(asic.get("vendor_id"))),
                "device_id": hex4(text_value(asic.get("device_id"))),
                "subsystem_vendor_id": hex4(text_value(asic.get("subvendor_id"))),
                "subsystem_id": hex4(text_value(asic.get("subsystem_id"))),
                "revision": _rev(text_value(asic.get("rev_id"))),
                "bus_id": normalize_bus_id(text_value(bus.get("bdf")) or text_value(rec.get("bdf"))),
                "gfx": gfx,
                "compute_units": int(cu) if cu is not None else None,
                "driver_name": text_value(driver.get("name")) or text_value(driver.get("driver_name")),
                "driver_version": text_value(driver.get("version"))
                or text_value(driver.get("driver_version")),
                "vbios_version": text_value(vbios.get("version")),
                "vram_type": text_value(vram.get("type")),
                "vram_total_bytes": to_bytes(vram_size),
                "power_max_w": to_watts(limit.get("max_power")),
                "power_min_w": to_watts(limit.get("min_power")),
                "power_cap_w": to_watts(limit.get("socket_power")),
            }
        )
    return out


def _rev(value: str | None) -> str | None:
    if value is None:
        return None
    m = re.fullmatch(r"(?:0x)?([0-9a-fA-F]{1,2})", value.strip()[:8])
    return f"{int(m.group(1), 16):02x}" if m else None


def parse_metric(text: str) -> list[dict]:
    """``amd-smi metric --json`` -> one dict of telemetry per GPU (None when not reported)."""
    out = []
    for i, rec in enumerate(gpu_records(load_json(text, TOOL))):
        usage, power = _section(rec, "usage"), _section(rec, "power")
        temp, mem, fan = _section(rec, "temperature"), _section(rec, "mem_usage"), _section(rec, "fan")
        clock = _section(rec, "clock")
        draw = None
        for key in ("socket_power", "current_socket_power", "average_socket_power"):
            draw = to_watts(power.get(key))
            if draw is not None:
                break
        gfx_clk = None
        for key in ("gfx_0", "gfx"):
            sec = clock.get(key)
            if isinstance(sec, dict):
                gfx_clk = plain(sec.get("clk"), v.CLOCK_MHZ)
                if gfx_clk is not None:
                    break
        fan_pct = None
        fan_usage = fan.get("usage")
        if fan_usage is not None:
            fan_pct = plain(fan_usage)
        util = plain(usage.get("gfx_activity"))
        out.append(
            {
                "index": _index(rec, i),
                "temperature_c": plain(temp.get("edge"), v.TEMPERATURE_C),
                "hotspot_c": plain(temp.get("hotspot"), v.TEMPERATURE_C)
                if temp.get("hotspot") is not None
                else plain(temp.get("junction"), v.TEMPERATURE_C),
                "memory_temperature_c": plain(temp.get("mem"), v.TEMPERATURE_C),
                "utilization_pct": util if util is None or 0 <= util <= 100 else None,
                "power_draw_w": draw,
                "memory_used_bytes": to_bytes(mem.get("used_vram")),
                "memory_total_bytes": to_bytes(mem.get("total_vram")),
                "clock_mhz": gfx_clk,
                "fan_pct": fan_pct if fan_pct is None or 0 <= fan_pct <= 100 else None,
            }
        )
    return out
