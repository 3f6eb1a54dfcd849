"""Pure helpers for amdgpu/i915/xe sysfs nodes and the KFD topology.

Facts (https://docs.kernel.org/gpu/amdgpu/thermal.html and the Linux kernel's
drivers/gpu/drm/amd/pm/amdgpu_pm.c):

* hwmon ``temp[1-3]_input`` are millidegrees Celsius, ``temp[1-3]_label`` name the channel
  (``edge``, ``junction``, ``mem``); ``power1_average`` / ``power1_input`` and ``power1_cap``,
  ``power1_cap_min``, ``power1_cap_max``, ``power1_cap_default`` are microwatts;
* ``mem_info_vram_total`` / ``mem_info_vram_used`` are bytes; ``gpu_busy_percent`` is a percent;
* ``pp_dpm_sclk`` lists the DPM levels as ``N: 500Mhz`` with ``*`` on the current one;
* KFD ``/sys/class/kfd/kfd/topology/nodes/N/properties`` is ``key value`` per line; GPU nodes carry
  ``gfx_target_version`` (major*10000 + minor*100 + stepping, e.g. 110000 = gfx1100,
  90010 = gfx90a, 100302 = gfx1032; LLVM prints minor and stepping as one hex digit each),
  ``location_id`` (PCI bus<<8 | device<<3 | function) and ``domain``; CPU nodes have
  ``gfx_target_version 0``.
* the PCI ``uevent`` file has ``PCI_SLOT_NAME=0000:03:00.0`` and ``DRIVER=amdgpu``.

All functions are total: bad text gives None (or ParseError where a caller asked for strictness).
"""

from __future__ import annotations

import re

from probes.core import values as v
from probes.core.errors import ParseError
from probes.core.model import normalize_bus_id

TOOL = "sysfs"


def parse_int(text: str | None) -> int | None:
    """A sysfs integer node ("25753026560\\n"); None for absent/garbage."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    t = text.strip()
    if not re.fullmatch(r"-?[0-9]{1,20}", t):
        return None
    return int(t)


def millidegrees(text: str | None) -> float | None:
    n = parse_int(text)
    if n is None:
        return None
    c = n / 1000.0
    return c if v.TEMPERATURE_C[0] <= c <= v.TEMPERATURE_C[1] else None


def microwatts(text: str | None) -> float | None:
    n = parse_int(text)
    if n is None or n < 0:
        return None
    w = n / 1_000_000.0
    return w if w <= v.POWER_W[1] else None


def percent(text: str | None) -> float | None:
    n = parse_int(text)
    if n is None or n < 0 or n > 100:
        return None
    return float(n)


def label_temps(pairs: dict[str, tuple[str | None, str | None]]) -> dict[str, float]:
    """{"temp1": (label text, input text)} -> {"edge": 45.0, "junction": 52.0, "mem": 58.0}.

    A channel without a label is named by its own prefix ("temp1").
    """
    out: dict[str, float] = {}
    for chan, (label, value) in sorted(pairs.items()):
        c = millidegrees(value)
        if c is None:
            continue
        name = (label or "").strip().lower()[:64] or chan
        out.setdefault(name, c)
    return out


def current_dpm_mhz(text: str | None) -> float | None:
    """The level marked ``*`` in ``pp_dpm_sclk`` ("1: 2482Mhz *") in MHz."""
    if not isinstance(text, str) or not text or len(text) > 64 * 1024:
        return None
    for line in v.lines(text, 256):
        if "*" not in line:
            continue
        m = re.match(r"^\s{0,16}[0-9]{1,4}:\s{0,16}([0-9]{1,9}(?:\.[0-9]{1,6})?)\s{0,16}([mMgG]hz)", line)
        if m:
            f = float(m.group(1))
            return v.mhz(f * 1000.0 if m.group(2).lower() == "ghz" else f)
    return None


def parse_uevent(text: str | None) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in v.lines(text if isinstance(text, str) and len(text) <= 64 * 1024 else ""):
        if "=" in line:
            k, _, value = line.partition("=")
            out[k.strip()] = value.strip()
    return out


def parse_kfd_properties(text: str, *, strict: bool = False) -> dict[str, int]:
    """``key value`` lines -> {key: int}. Strict mode raises ParseError when nothing is readable."""
    out: dict[str, int] = {}
    if not isinstance(text, str):
        if strict:
            raise ParseError(TOOL, "no KFD properties text")
        return out
    for line in v.lines(text[: 1024 * 1024]):
        parts = line.split()
        if (
            len(parts) == 2
            and re.fullmatch(r"[a-z0-9_]{1,64}", parts[0])
            and re.fullmatch(r"[0-9]{1,20}", parts[1])
        ):
            out.setdefault(parts[0], int(parts[1]))
    if strict and not out:
        raise ParseError(TOOL, "no 'key value' lines in KFD properties")
    return out


def gfx_from_target_version(value: int | None) -> str | None:
    """110000 -> 'gfx1100', 90010 -> 'gfx90a', 100302 -> 'gfx1032', 90402 -> 'gfx942'; 0 -> None."""
    if value is None or isinstance(value, bool) or value <= 0:
        return None
    major, minor, step = value // 10000, (value // 100) % 100, value % 100
    if minor > 15 or step > 15 or major > 99:
        return None
    return f"gfx{major}{minor:x}{step:x}"


def kfd_bus_id(props: dict[str, int]) -> str | None:
    """PCI address of a KFD GPU node from ``domain`` and ``location_id``."""
    loc = props.get("location_id")
    if loc is None or loc < 0 or loc > 0xFFFF:
        return None
    domain = props.get("domain", 0)
    if domain < 0 or domain > 0xFFFF:
        return None
    return normalize_bus_id(f"{domain:04x}:{(loc >> 8) & 0xFF:02x}:{(loc >> 3) & 0x1F:02x}.{loc & 7}")


def bus_from_link(target: str | None) -> str | None:
    """Last path component of a sysfs ``device`` link target ("../../../0000:03:00.0")."""
    if not target:
        return None
    return normalize_bus_id(target.rstrip("/").replace("\\", "/").rsplit("/", 1)[-1])
