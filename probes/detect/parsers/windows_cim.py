"""Pure parsers for the Windows display-adapter query (CIM + registry) and related outputs.

What the Windows source runs (probes/detect/sources/windows.py, ``CIM_SCRIPT``) prints one JSON object::

    {"controllers": [Win32_VideoController rows + the device's Enum key values],
     "registry":    [display class keys {4d36e968-e325-11ce-bfc1-08002be10318}\\000N],
     "os":          {Caption, Version, BuildNumber, OSArchitecture}}

``parse_cim`` also accepts the plain ``Get-CimInstance Win32_VideoController | ConvertTo-Json``
that users paste into bug reports: a top-level array, or a single object when there is only one
adapter (PowerShell's ConvertTo-Json unwraps one-element pipelines).

Facts used (with sources):

* ``AdapterRAM`` is a uint32 and saturates at 4293918720 (0xFFF00000) or wraps for cards with 4 GiB or
  more (Microsoft's Win32_VideoController docs; sebhildebrandt/systeminformation PR #534;
  Jinjinov/Hardware.Info #40; a 16 GiB card reporting 4293918720 in Timthreetwelve/TimVer #103).
  We never use it as the VRAM size; the display class key's ``HardwareInformation.qwMemorySize``
  (REG_QWORD) or the older ``HardwareInformation.MemorySize`` (DWORD or 4/8-byte REG_BINARY,
  Hardware.Info PR #41) is the size.
* Registry key <-> adapter: the adapter's Enum key ``Driver`` value names the class key exactly;
  otherwise ``MatchingDeviceId`` (a lowercase prefix of the PNP id such as
  ``pci\\ven_10de&dev_1b06``) or ``DriverDesc`` == ``Name`` (glpi-project/glpi-agent #199 shows
  that the key number does not follow ``VideoControllerN``). Generic drivers match ``PCI\\CC_0300``
  (glpi-agent PR #1181).
* ``Microsoft Basic Display Adapter`` = Windows' fallback driver: the card has no vendor driver.
* NVIDIA's Windows driver version ``31.0.15.3667`` is the marketing version 536.67: the last five
  digits of the last two fields, dot before the last two (the-database/mpv-AnimeJaNai PR #81,
  verified ``31.0.15.7652`` -> 576.52; ``30.0.14.7242`` -> 472.42).
* PowerShell 5.1's ConvertTo-Json writes ``&`` as ``\\u0026`` and DateTime as ``\\/Date(ms)\\/``;
  PowerShell 7 writes ISO dates; WMI (``Get-WmiObject``/wmic) writes ``yyyymmddHHMMSS.ffffff+zzz``.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from probes.core import values as v
from probes.core.errors import ParseError
from probes.core.model import hex4

TOOL = "Get-CimInstance Win32_VideoController"

# PCI vendor id -> our vendor name (ids from pciutils/pciids pci.ids).
VENDOR_BY_ID = {
    "10de": "nvidia",
    "1002": "amd",
    "1022": "amd",
    "8086": "intel",
    "1ed5": "mthreads",
    "1ec8": "innosilicon",
    "1e3e": "iluvatar",
    "9999": "metax",
    "1d94": "hygon",
    "106b": "apple",
}
# Adapters that are Windows itself, not a card: the fallback display driver on a real PCI card
# (kept, it means "no driver") and purely software adapters (dropped: they are not hardware).
# Localized names too: Chinese Windows calls it "Microsoft 基本显示适配器"; the service name
# ``BasicDisplay`` (Enum key ``Service``) is the language-independent sign.
BASIC_DISPLAY_NAMES = (
    "microsoft basic display adapter",
    "standard vga graphics adapter",
    "microsoft basic display driver",
    "microsoft 基本显示适配器",
)
BASIC_DISPLAY_SERVICES = ("basicdisplay", "vgasave")
SOFTWARE_PNP_PREFIXES = ("root\\", "swd\\", "sw\\", "htree\\", "umb\\")

_PNP_RE = re.compile(
    r"^PCI\\VEN_([0-9A-F]{4})&DEV_([0-9A-F]{4})(?:&SUBSYS_([0-9A-F]{8}))?"
    r"(?:&REV_([0-9A-F]{2}))?",
    re.IGNORECASE,
)
_LOCATION_RE = re.compile(
    r"PCI bus ([0-9]{1,5}), device ([0-9]{1,5}), function ([0-9]{1,5})(?![0-9])", re.IGNORECASE
)
_MSDATE_RE = re.compile(r"^/Date\((-?[0-9]{1,16})(?:[+-][0-9]{4})?\)/$")
_WMIDATE_RE = re.compile(r"^([0-9]{4})([0-9]{2})([0-9]{2})[0-9]{6}\.[0-9]{6}[+-][0-9]{3}$")
_ISO_RE = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ][0-9:.]{1,32}(?:Z|[+-][0-9]{2}:?[0-9]{2})?)?$")
_US_RE = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})(?:\s.*)?$")
_WINVER_RE = re.compile(r"^([0-9]{1,6})\.([0-9]{1,6})\.([0-9]{1,6})\.([0-9]{1,6})$")

MIB = 1024 * 1024
# AdapterRAM is uint32: 4293918720 = 0xFFF00000 is the saturated value drivers report for >= 4 GiB.
ADAPTER_RAM_SATURATED = 0xFFF00000


def parse_pnp_id(pnp: str | None) -> dict:
    """``PCI\\VEN_1ED5&DEV_0201&SUBSYS_00011ED5&REV_01\\4&...`` -> vendor/device/subsystem/revision."""
    out: dict[str, str | None] = {
        "vendor_id": None,
        "device_id": None,
        "subsystem_id": None,
        "revision": None,
    }
    if not isinstance(pnp, str):
        return out
    m = _PNP_RE.match(pnp.strip()[:512])
    if not m:
        return out
    ven, dev, subsys, rev = m.groups()
    out["vendor_id"] = hex4(ven)
    out["device_id"] = hex4(dev)
    if subsys:
        # SUBSYS_ssssvvvv: subsystem device id then subsystem vendor id -> "vvvv:ssss" as lspci prints
        out["subsystem_id"] = f"{subsys[4:].lower()}:{subsys[:4].lower()}"
    if rev:
        out["revision"] = rev.lower()
    return out


def parse_location(text: str | None) -> str | None:
    """``PCI bus 1, device 0, function 0`` (Enum key LocationInformation) -> ``0000:01:00.0``."""
    if not isinstance(text, str):
        return None
    m = _LOCATION_RE.search(text[:512])
    if not m:
        return None
    bus, dev, fn = (int(x) for x in m.groups())
    if bus > 255 or dev > 31 or fn > 7:
        return None
    return f"0000:{bus:02x}:{dev:02x}.{fn}"


def parse_driver_date(value: object) -> str | None:
    """Every DriverDate spelling we meet -> ``YYYY-MM-DD`` (None when absent or unreadable)."""
    if value is None:
        return None
    if isinstance(value, dict):  # PS 5.1 sometimes wraps DateTime: {"value": "/Date(..)/", "DateTime": ...}
        return parse_driver_date(value.get("value"))
    if not isinstance(value, str) or len(value) > 128:
        return None
    text = value.strip().replace("\\/", "/")
    m = _MSDATE_RE.match(text)
    if m:
        try:
            d = _dt.datetime(1970, 1, 1) + _dt.timedelta(milliseconds=int(m.group(1)))
        except (OverflowError, ValueError):
            return None
        return d.strftime("%Y-%m-%d")
    for regex, order in ((_WMIDATE_RE, "ymd"), (_ISO_RE, "ymd"), (_US_RE, "mdy")):
        m = regex.match(text)
        if m:
            a, b, c = (int(x) for x in m.groups()[:3])
            y, mo, day = (a, b, c) if order == "ymd" else (c, a, b)
            try:
                return _dt.date(y, mo, day).isoformat()
            except ValueError:
                return None
    return None


def nvidia_version_from_windows(version: str | None) -> str | None:
    """``31.0.15.3667`` -> ``536.67`` (see module docstring); None if it is not that shape."""
    if not isinstance(version, str) or len(version) > 64:
        return None
    m = _WINVER_RE.match(version.strip())
    if not m:
        return None
    digits = m.group(3) + m.group(4).zfill(4)
    if len(digits) < 5:
        return None
    tail = digits[-5:]
    return f"{int(tail[:3])}.{tail[3:]}"


def _as_int(value: object) -> int | None:
    """A registry/CIM number: int, numeric string, or REG_BINARY as a list of byte values (LE)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, str)):
        return v.ascii_int(value, (0, (1 << 64) - 1))
    if (
        isinstance(value, list)
        and value
        and len(value) in (4, 8)
        and all(isinstance(b, int) and not isinstance(b, bool) and 0 <= b <= 255 for b in value)
    ):
        return int.from_bytes(bytes(value), "little")
    return None


def _rows(value: object) -> list[dict]:
    """ConvertTo-Json gives an object for one row and an array for several; None for none."""
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [r for r in value if isinstance(r, dict)]
    raise ParseError(TOOL, f"expected an object or an array, got {type(value).__name__}")


def _str(value: object) -> str | None:
    if isinstance(value, str):
        v = value.strip()
        return v or None
    return None


def registry_memory(entry: dict) -> int | None:
    """VRAM bytes of one display class key; None when it has no usable value."""
    for key in (
        "qwMemorySize",
        "HardwareInformation.qwMemorySize",
        "MemorySize",
        "HardwareInformation.MemorySize",
    ):
        n = _as_int(entry.get(key))
        if n:  # 0 = the driver did not say; never a size
            return n
    return None


def match_registry(controller: dict, registry: list[dict]) -> dict | None:
    """The display class key describing ``controller`` (see module docstring for the order)."""
    driver_key = _str(controller.get("DriverKey"))
    if driver_key:
        leaf = driver_key.replace("/", "\\").rsplit("\\", 1)[-1]
        for entry in registry:
            if _str(entry.get("Key")) == leaf:
                return entry
    pnp = (_str(controller.get("PNPDeviceID")) or "").lower()
    if pnp:
        candidates = []
        for entry in registry:
            mids = entry.get("MatchingDeviceId")
            for mid in mids if isinstance(mids, list) else [mids]:
                mid = (_str(mid) or "").lower()
                if mid and pnp.startswith(mid) and "&dev_" in mid:
                    candidates.append((len(mid), entry))
        if candidates:
            best = max(n for n, _ in candidates)
            top = [e for n, e in candidates if n == best]
            sizes = {registry_memory(e) for e in top}
            if len(top) == 1 or len(sizes) == 1:  # identical cards share one description
                return top[0]
            return None  # ambiguous: say nothing rather than guess
    name = _str(controller.get("Name"))
    if name:
        same = [e for e in registry if _str(e.get("DriverDesc")) == name]
        if len(same) == 1 or (same and len({registry_memory(e) for e in same}) == 1):
            return same[0]
    return None


def load_json(text: str) -> Any:  # a JSON document
    """JSON from PowerShell output (BOM, leading warnings/blank lines tolerated)."""
    text = v.text(text, TOOL)
    t = text.strip().lstrip("\ufeff")
    if not t:
        raise ParseError(TOOL, "empty output")
    start = min([i for i in (t.find("{"), t.find("[")) if i >= 0], default=-1)
    if start < 0:
        raise ParseError(TOOL, "no JSON in the output: " + v.first_line(t))
    return v.json_loads(t[start:], TOOL)


def parse_cim(text: str) -> dict:
    """The script's output (or a plain Win32_VideoController ConvertTo-Json) ->
    ``{"adapters": [adapter dicts], "os": {"caption", "version", "build"} | None}``.

    Each adapter: ``name``, ``vendor``, ``vendor_id``, ``device_id``, ``subsystem_id``,
    ``revision``, ``bus_id``, ``pnp_id``, ``driver_version`` (vendor form), ``windows_driver_version``,
    ``driver_date``, ``memory_total_bytes``, ``memory_source``, ``adapter_ram_bytes``,
    ``basic_display`` (True = Windows' fallback driver, no vendor driver), ``status``,
    ``error_code`` (ConfigManagerErrorCode), ``video_processor``, ``service``.
    """
    data = load_json(text)
    if isinstance(data, dict) and ("controllers" in data or "registry" in data):
        controllers = _rows(data.get("controllers"))
        registry = _rows(data.get("registry"))
        os_info = data.get("os") if isinstance(data.get("os"), dict) else None
    elif isinstance(data, (dict, list)):
        controllers, registry, os_info = _rows(data), [], None
    else:
        raise ParseError(TOOL, f"unexpected JSON {type(data).__name__}")

    if len(controllers) > v.INDEX[1] or len(registry) > 10_000:
        raise ParseError(TOOL, "more adapters than any machine has")
    adapters = []
    for row in controllers:
        pnp = _str(row.get("PNPDeviceID"))
        if pnp is None and _str(row.get("Name")) is None:
            continue
        if pnp and pnp.lower().startswith(SOFTWARE_PNP_PREFIXES):
            continue  # Microsoft Basic Render Driver, remote/virtual displays: no hardware
        ids = parse_pnp_id(pnp)
        name = _str(row.get("Name"))
        basic = bool(name and name.lower() in BASIC_DISPLAY_NAMES)
        error_code = _as_int(row.get("ConfigManagerErrorCode"))
        if (_str(row.get("Service")) or "").lower() in BASIC_DISPLAY_SERVICES:
            basic = True
        if error_code == 28:  # CM_PROB_FAILED_INSTALL: "The drivers for this device are not installed"
            basic = True
        vendor = VENDOR_BY_ID.get(ids["vendor_id"] or "", "other" if ids["vendor_id"] else None)
        raw_version = _str(row.get("DriverVersion"))
        version = raw_version
        if vendor == "nvidia" and not basic:
            version = nvidia_version_from_windows(raw_version) or raw_version
        entry = match_registry(row, registry) if registry else None
        memory = registry_memory(entry) if entry else None
        adapter_ram = _as_int(row.get("AdapterRAM"))
        adapters.append(
            {
                "name": None if basic else name,
                "windows_name": name,
                "vendor": vendor,
                **ids,
                "bus_id": parse_location(row.get("LocationInformation")),
                "pnp_id": pnp,
                "driver_version": None if basic else version,
                "windows_driver_version": raw_version,
                "driver_date": parse_driver_date(row.get("DriverDate")),
                "memory_total_bytes": memory,
                "memory_source": "registry" if memory else None,
                "adapter_ram_bytes": adapter_ram or None,
                "adapter_ram_saturated": bool(adapter_ram and adapter_ram >= ADAPTER_RAM_SATURATED),
                "basic_display": basic,
                "status": _str(row.get("Status")),
                "error_code": error_code,
                "video_processor": _str(row.get("VideoProcessor")),
                "service": _str(row.get("Service")),
            }
        )
    os_out = None
    if os_info:
        os_out = {
            "caption": _str(os_info.get("Caption")),
            "version": _str(os_info.get("Version")),
            "build": _as_int(os_info.get("BuildNumber")),
            "architecture": _str(os_info.get("OSArchitecture")),
        }
        os_version = os_out["version"]
        if os_out["build"] is None and isinstance(os_version, str) and os_version:
            parts = os_version.split(".")
            if len(parts) >= 3:
                os_out["build"] = v.ascii_int(parts[2], (0, 1 << 32))
    return {"adapters": adapters, "os": os_out}
