"""Parsers for Intel ``xpu-smi`` output.

``xpu-smi discovery`` prints a box table (tests/data/xpu-smi/, from intel/ipex-llm env-check docs
and intel/xpumanager source comments)::

    +-----------+-------------------------------------------+
    | Device ID | Device Information                        |
    +-----------+-------------------------------------------+
    | 0         | Device Name: Intel(R) Arc(TM) A770 Graphics |
    |           | PCI BDF Address: 0000:03:00.0             |
    ...

A row starts when the first column holds a number; the following rows with an empty first column
continue it with ``Key: Value`` pairs. ``xpu-smi discovery -d N`` adds keys such as
``PCI Device ID: 0x7d55`` and ``Driver Version``.

``xpu-smi dump -d N -m 0,1,2,3,18 -n 1`` prints CSV: ``Timestamp, DeviceId, GPU Utilization (%),
GPU Power (W), GPU Frequency (MHz), GPU Core Temperature (Celsius Degree), GPU Memory Used (MiB)``
(metric ids from intel/xpumanager docs); values may be empty or ``N/A``.
"""

from __future__ import annotations

import re

from probes.core import values as v
from probes.core.errors import ParseError
from probes.core.model import hex4, normalize_bus_id

TOOL = "xpu-smi"


def _row(line: str) -> tuple[str, str] | None:
    """'| 0 | Device Name: X |' -> ('0', 'Device Name: X'): the first cell, and the rest up to the
    last '|' (the information column may itself contain '|')."""
    s = line.strip()
    if len(s) < 2 or s[0] != "|" or s[-1] != "|":
        return None
    first, sep, rest = s[1:-1].partition("|")
    if not sep:
        return None
    return first.strip(), rest.strip()


def parse_discovery(text: str) -> list[dict]:
    text = v.text(text, TOOL)
    if not text.strip():
        raise ParseError(TOOL, "empty output")
    devices: list[dict] = []
    current: dict | None = None
    saw_header = False
    for line in v.lines(text):
        row = _row(line)
        if row is None:
            continue
        first, rest = row
        if first.lower() == "device id":
            saw_header = True
            continue
        idx = v.index(first) if first[:1].isdigit() else None
        if idx is not None:
            if len(devices) > v.INDEX[1]:
                raise ParseError(TOOL, "more devices than any machine has")
            current = {"index": idx, "fields": {}}
            devices.append(current)
        elif first:
            continue
        if current is None:
            continue
        key, sep, value = rest.partition(":")
        if sep and key.strip() and len(current["fields"]) < 256:
            current["fields"].setdefault(key.strip(), value.strip())
    if not saw_header:
        # the real tool always prints the '| Device ID | Device Information |' header row
        raise ParseError(TOOL, v.with_first_line("no '| Device ID | Device Information |' table", text))
    if not devices:
        return []
    return [_discovery_device(d["index"], d["fields"]) for d in devices]


def _pci_device_id(device_id: str | None, name: str | None, uuid: str | None) -> str | None:
    """The PCI device id: its own field, else '[0x020a]' in the name, else the end of the UUID."""
    pci_device = hex4(device_id)
    if pci_device is None and name:
        nm = re.search(r"\[0x([0-9a-fA-F]{1,4})\]", name)  # bounded: linear   # "Intel(R) Graphics [0x020a]"
        pci_device = hex4(nm.group(1)) if nm else None
    if pci_device is None and uuid:
        # SOC UUID ends with <device id><vendor id 8086>: ...-000856a08086 (A770 = 56a0);
        # older xpu-smi UUIDs end ...020a00008086, where this gives 0000 (ignored)
        um = re.search(r"([0-9a-f]{4})8086$", uuid.lower())
        if um and um.group(1) != "0000":
            pci_device = um.group(1)
    return pci_device


def _discovery_device(index: int, f: dict[str, str]) -> dict:
    """One device of the discovery table from its ``Key: Value`` fields."""

    def val(key: str) -> str | None:
        s = v.clean(f.get(key), 256)
        return None if s is None or s.upper() == "UNKNOWN" else s

    uuid = val("SOC UUID") or val("UUID")
    name = val("Device Name")
    mem = None
    size = val("Memory Physical Size") or ""
    if size.endswith("MiB"):
        mem = v.size_bytes(size, None)
        mem = mem or None  # iGPUs report 0.00 MiB: unknown, not zero
    return {
        "index": index,
        "name": name,
        "vendor_name": val("Vendor Name"),
        "uuid": uuid,
        "bus_id": normalize_bus_id(val("PCI BDF Address")),
        "drm_device": val("DRM Device"),
        "function_type": val("Function Type"),
        "device_id": _pci_device_id(val("PCI Device ID"), name, uuid),
        "driver_version": val("Driver Version"),
        "memory_total_bytes": mem,
    }


DUMP_COLUMNS = {
    "gpu utilization (%)": "utilization_pct",
    "gpu power (w)": "power_draw_w",
    "gpu frequency (mhz)": "clock_mhz",
    "gpu core temperature (celsius degree)": "temperature_c",
    "gpu memory temperature (celsius degree)": "memory_temperature_c",
    "gpu memory used (mib)": "memory_used_mib",
}
DUMP_BOUNDS = {
    "utilization_pct": v.PERCENT,
    "power_draw_w": v.POWER_W,
    "clock_mhz": v.CLOCK_MHZ,
    "temperature_c": v.TEMPERATURE_C,
    "memory_temperature_c": v.TEMPERATURE_C,
    "memory_used_mib": v.MEMORY_MIB,
}


def _num(value: str, bounds: v.Bounds | None = None) -> float | None:
    return v.number(value, bounds=bounds)


def parse_dump(text: str) -> list[dict]:
    """CSV of ``xpu-smi dump`` -> one dict per data row with the known columns."""
    text = v.text(text, TOOL)
    if not text.strip():
        raise ParseError(TOOL, "empty output")
    lines = [ln for ln in v.lines(text) if ln.strip()]
    header_i = next((i for i, ln in enumerate(lines) if ln.lower().startswith("timestamp")), None)
    if header_i is None:
        raise ParseError(TOOL, "no 'Timestamp, DeviceId, ...' header")
    cols = [c.strip().lower() for c in lines[header_i].split(",")]
    if "deviceid" not in cols:
        raise ParseError(TOOL, "no DeviceId column", line=header_i + 1)
    out = []
    for n, ln in enumerate(lines[header_i + 1 :], start=header_i + 2):
        cells = ln.split(",")
        if len(cells) != len(cols):
            raise ParseError(TOOL, "row with a different number of columns", line=n)
        row = dict(zip(cols, cells, strict=True))
        dev = v.index(row.get("deviceid", ""))
        if dev is None:
            raise ParseError(TOOL, "DeviceId is not a device index", line=n)
        rec: dict = {"index": dev}
        for col, key in DUMP_COLUMNS.items():
            if col in row:
                rec[key] = _num(row[col], DUMP_BOUNDS[key])
        out.append(rec)
    return out
