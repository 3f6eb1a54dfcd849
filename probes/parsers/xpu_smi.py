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

from probes.errors import ParseError
from probes.model import hex4, normalize_bus_id

TOOL = "xpu-smi"
_ROW = re.compile(r"^\|\s*([^|]*?)\s*\|\s*(.*?)\s*\|\s*$")


def parse_discovery(text: str) -> list[dict]:
    if not isinstance(text, str) or not text.strip():
        raise ParseError(TOOL, "empty output")
    devices: list[dict] = []
    current: dict | None = None
    saw_header = False
    for line in text.splitlines():
        m = _ROW.match(line.strip())
        if not m:
            continue
        first, rest = m.group(1), m.group(2)
        if first.lower() == "device id":
            saw_header = True
            continue
        if first.isdigit():
            current = {"index": int(first), "fields": {}}
            devices.append(current)
        elif first:
            continue
        if current is None:
            continue
        key, sep, value = rest.partition(":")
        if sep and key.strip():
            current["fields"].setdefault(key.strip(), value.strip())
    if not devices:
        if saw_header:
            return []
        raise ParseError(TOOL, "no device table in the output")
    out = []
    for d in devices:
        f = d["fields"]

        def val(key: str, _f=f) -> str | None:
            v = (_f.get(key) or "").strip()
            return None if not v or v.upper() in ("N/A", "UNKNOWN") else v

        uuid = val("SOC UUID") or val("UUID")
        name = val("Device Name")
        pci_device = hex4(val("PCI Device ID"))
        if pci_device is None and name:
            nm = re.search(r"\[0x([0-9a-fA-F]{1,4})\]", name)   # "Intel(R) Graphics [0x020a]"
            pci_device = hex4(nm.group(1)) if nm else None
        if pci_device is None and uuid:
            # SOC UUID ends with <device id><vendor id 8086>: ...-000856a08086 (A770 = 56a0);
            # older xpu-smi UUIDs end ...020a00008086, where this gives 0000 (ignored)
            um = re.search(r"([0-9a-f]{4})8086$", uuid.lower())
            if um and um.group(1) != "0000":
                pci_device = um.group(1)
        mem = None
        mm = re.match(r"^([0-9]+(?:\.[0-9]+)?)\s*MiB$", val("Memory Physical Size") or "")
        if mm and float(mm.group(1)) > 0:      # iGPUs report 0.00 MiB: unknown, not zero
            mem = int(round(float(mm.group(1)) * 1024 * 1024))
        out.append({
            "index": d["index"],
            "name": name,
            "vendor_name": val("Vendor Name"),
            "uuid": uuid,
            "bus_id": normalize_bus_id(val("PCI BDF Address")),
            "drm_device": val("DRM Device"),
            "function_type": val("Function Type"),
            "device_id": pci_device,
            "driver_version": val("Driver Version"),
            "memory_total_bytes": mem,
        })
    return out


def _num(v: str) -> float | None:
    v = v.strip()
    if not v or v.upper() == "N/A":
        return None
    try:
        f = float(v)
    except ValueError:
        return None
    return f if f == f and abs(f) != float("inf") else None


DUMP_COLUMNS = {
    "gpu utilization (%)": "utilization_pct",
    "gpu power (w)": "power_draw_w",
    "gpu frequency (mhz)": "clock_mhz",
    "gpu core temperature (celsius degree)": "temperature_c",
    "gpu memory temperature (celsius degree)": "memory_temperature_c",
    "gpu memory used (mib)": "memory_used_mib",
}


def parse_dump(text: str) -> list[dict]:
    """CSV of ``xpu-smi dump`` -> one dict per data row with the known columns."""
    if not isinstance(text, str) or not text.strip():
        raise ParseError(TOOL, "empty output")
    lines = [ln for ln in text.splitlines() if ln.strip()]
    header_i = next((i for i, ln in enumerate(lines) if ln.lower().startswith("timestamp")), None)
    if header_i is None:
        raise ParseError(TOOL, "no 'Timestamp, DeviceId, ...' header")
    cols = [c.strip().lower() for c in lines[header_i].split(",")]
    if "deviceid" not in cols:
        raise ParseError(TOOL, "no DeviceId column", line=header_i + 1)
    out = []
    for n, ln in enumerate(lines[header_i + 1:], start=header_i + 2):
        cells = ln.split(",")
        if len(cells) != len(cols):
            raise ParseError(TOOL, "row with a different number of columns", line=n)
        row = dict(zip(cols, cells, strict=True))
        dev = row.get("deviceid", "").strip()
        if not dev.isdigit():
            raise ParseError(TOOL, "DeviceId is not a number", line=n)
        rec: dict = {"index": int(dev)}
        for col, key in DUMP_COLUMNS.items():
            if col in row:
                rec[key] = _num(row[col])
        out.append(rec)
    return out
