"""Value helpers shared by every parser: total, bounded and honest.

Tool output is untrusted text. Everything here either returns a value inside a sane range or
``None`` (the source did not give a usable value — never ``0`` in its place); nothing raises except
:class:`probes.core.errors.ParseError` from the functions documented to raise it (``text``,
``load_json``).

* numbers are ASCII only (``'²'`` and ``'①'`` are digits to ``str.isdigit`` but not to a tool),
  limited in length before ``int()``/``float()`` see them (CPython refuses ints of more than 4,300
  digits and turns 309-digit floats into ``inf``), finite, and inside a range per kind of value;
* N/A markers of every tool (``[N/A]``, ``[Not Supported]``, ``N/A``, ``-``…) are one set;
* ``lines()`` caps each line before a regex sees it; ``text()`` caps the whole output;
* ``load_json`` guards every error ``json`` can raise and turns NaN/Infinity/1e400 into None.

A flat module on purpose (no subpackage): parsers, sources and telemetry all import it.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, TypeVar

from probes.core.errors import ParseError

# ---- limits ----------------------------------------------------------------------------------
MAX_TEXT_CHARS = 4 * 1024 * 1024  # a parser refuses more output than this (host reads are capped too)
MAX_LINE_CHARS = 4096  # longer lines are cut before matching (real tools print < 1,000)
MAX_DIGITS = 24  # integer digits a number may have (2**64 has 20)
MAX_NUMBER_CHARS = 64  # a number with its unit, e.g. '109.51 W'
JSON_MAX_DEPTH = 64  # tools print 3-6 levels; deeper is not a tool's output

# sane ranges (inclusive) per kind of value; outside them the value is None
TEMPERATURE_C = (-60.0, 250.0)
POWER_W = (0.0, 5000.0)
PERCENT = (0.0, 100.0)
CLOCK_MHZ = (0.0, 100_000.0)
MEMORY_BYTES = (0, 1 << 50)  # 1 PiB: no GPU, no host has more
MEMORY_MIB = (0, 1 << 30)
INDEX = (0, 4095)  # a GPU / card / agent index
LINK_WIDTH = (0, 64)
COUNT = (0, 1 << 20)  # compute units, CPU threads

NA_MARKERS = frozenset(
    {
        "",
        "-",
        "--",
        "n/a",
        "na",
        "[n/a]",
        "none",
        "null",
        "unknown",
        "[unknown]",
        "not supported",
        "[not supported]",
        "unknown error",
        "[unknown error]",
        "not available",
        "[not available]",
        "[gpu is lost]",
        "[insufficient permissions]",
        "[requested functionality has been deprecated]",
    }
)

_DEC = r"[+-]?[0-9]{1,24}(?:\.[0-9]{1,24})?"  # 24 = MAX_DIGITS
_ASCII_INT = re.compile(r"[+-]?[0-9]{1,24}")
_ASCII_DEC = re.compile(_DEC)
_HEX = re.compile(r"(?:0[xX])?([0-9a-fA-F]{1,8})")
_NUM_UNIT = re.compile("(" + _DEC + r")[ \t]{0,4}([A-Za-z%°µ/]{0,8})")
_FIRST_NUM = re.compile(r"(?<![0-9.])-?[0-9]{1,24}(?:\.[0-9]{1,24})?(?![0-9])")

_BIG_INT = 10**MAX_DIGITS

# (low, high) limits of a reading, either side open when None
Bounds = tuple[float | None, float | None]
_N = TypeVar("_N", int, float)

BINARY_UNITS = {
    "b": 1,
    "kb": 1024,
    "kib": 1024,
    "k": 1024,
    "mb": 1024**2,
    "mib": 1024**2,
    "m": 1024**2,
    "gb": 1024**3,
    "gib": 1024**3,
    "g": 1024**3,
    "tb": 1024**4,
    "tib": 1024**4,
    "t": 1024**4,
}


# ---- text ------------------------------------------------------------------------------------


def text(value: object, tool: str, *, max_chars: int = MAX_TEXT_CHARS) -> str:
    """The tool output as a string of sane size; ParseError for anything else."""
    if not isinstance(value, str):
        raise ParseError(tool, "not text")
    if len(value) > max_chars:
        raise ParseError(tool, f"output too long ({len(value)} characters, at most {max_chars} expected)")
    return value


def lines(value: str, max_line: int = MAX_LINE_CHARS) -> list[str]:
    """``splitlines()`` with every line cut to ``max_line`` characters (so matching stays cheap)."""
    if not isinstance(value, str):
        return []
    return [ln if len(ln) <= max_line else ln[:max_line] for ln in value.splitlines()]


def first_line(value: object, limit: int = 80) -> str:
    """The first non-blank line, cut to ``limit`` and with control characters escaped: safe to show."""
    if not isinstance(value, str):
        return ""
    for ln in value[: 64 * 1024].splitlines():
        s = ln.strip()
        if s:
            return safe(s, limit)
    return ""


def safe(value: object, limit: int = 80) -> str:
    """A string fit for a message: control characters escaped, cut to ``limit`` (… marks a cut)."""
    s = str(value)
    cut = len(s) > limit
    s = s[:limit]
    out = "".join(c if c.isprintable() else (repr(c)[1:-1] if c != "\t" else " ") for c in s)
    return out + ("…" if cut else "")


def is_blank(value: object) -> bool:
    return not isinstance(value, str) or not value.strip()


def with_first_line(detail: str, value: object) -> str:
    first = first_line(value)
    return f"{detail} (first line: {first!r})" if first else detail


# ---- N/A and strings -------------------------------------------------------------------------


def is_na(value: object) -> bool:
    """None, or a string that is one of the tools' "not available" spellings."""
    if value is None:
        return True
    if isinstance(value, str):
        s = value.strip()
        return len(s) < 64 and s.lower() in NA_MARKERS
    return False


def clean(value: object, limit: int = 256) -> str | None:
    """A stripped string, None for N/A, non-strings and empty; cut to ``limit`` characters."""
    if not isinstance(value, str):
        return None
    s = value.strip()
    if is_na(s):
        return None
    return s[:limit].strip() or None


# ---- numbers ---------------------------------------------------------------------------------


def _in(v: _N, bounds: Bounds | None) -> _N | None:
    if bounds is None:
        return v
    lo, hi = bounds
    if lo is not None and v < lo:
        return None
    if hi is not None and v > hi:
        return None
    return v


def ascii_int(value: object, bounds: Bounds | None = None, *, max_digits: int = MAX_DIGITS) -> int | None:
    """'42' / ' 42 ' / 42 -> 42; Unicode digits, too many digits, junk or out of range -> None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return _in(value, bounds) if abs(value) < _BIG_INT else None
    if isinstance(value, float):
        if not math.isfinite(value) or not value.is_integer() or abs(value) >= 1e18:
            return None
        return _in(int(value), bounds)
    if not isinstance(value, str) or len(value) > max_digits + 64:
        return None
    s = value.strip()
    if len(s) > max_digits + 1 or not _ASCII_INT.fullmatch(s):
        return None
    return _in(int(s), bounds)


def number(value: object, unit: str | tuple = "", bounds: Bounds | None = None) -> float | None:
    """'45C' -> 45.0, '109.51 W' -> 109.51, 26 -> 26.0; ``unit`` (or any of a tuple) is an
    accepted suffix (case-insensitive). N/A, junk, inf/nan, out of range -> None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        if abs(value) >= _BIG_INT:
            return None
        return _in(float(value), bounds)
    if isinstance(value, float):
        return _in(value, bounds) if math.isfinite(value) and abs(value) < _BIG_INT else None
    if not isinstance(value, str) or len(value) > MAX_NUMBER_CHARS or is_na(value):
        return None
    s = value.strip()
    units = (unit,) if isinstance(unit, str) else tuple(unit)
    low = s.lower()
    for u in units:
        if u and low.endswith(u.lower()):
            s = s[: -len(u)].rstrip()
            break
    if not _ASCII_DEC.fullmatch(s):
        return None
    f = float(s)
    return _in(f, bounds) if math.isfinite(f) else None


def number_unit(value: object) -> tuple[float | None, str | None]:
    """'12 W' -> (12.0, 'W'); 45 -> (45.0, None); N/A or junk -> (None, None)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value), None
    if not isinstance(value, str) or len(value) > MAX_NUMBER_CHARS:
        return None, None
    m = _NUM_UNIT.fullmatch(value.strip())
    if not m:
        return None, None
    return number(m.group(1)), (m.group(2) or None)


def first_number(value: object, bounds: Bounds | None = None) -> float | None:
    """The first decimal number inside a short string: '(1090Mhz)' -> 1090.0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number(value, bounds=bounds)
    if not isinstance(value, str) or len(value) > MAX_NUMBER_CHARS or is_na(value):
        return None
    m = _FIRST_NUM.search(value)
    return number(m.group(0), bounds=bounds) if m else None


def percent(value: object, unit: str | tuple = "%") -> float | None:
    return number(value, unit, PERCENT)


def temperature_c(value: object, unit: str | tuple = ("°C", "C")) -> float | None:
    return number(value, unit, TEMPERATURE_C)


def watts(value: object, unit: str | tuple = "W") -> float | None:
    return number(value, unit, POWER_W)


def mhz(value: object, unit: str | tuple = "MHz") -> float | None:
    return number(value, unit, CLOCK_MHZ)


def index(value: object) -> int | None:
    return ascii_int(value, INDEX)


def size_bytes(
    value: object,
    default_unit: str | None = "MiB",
    units: dict | None = None,
    bounds: Bounds | None = MEMORY_BYTES,
) -> int | None:
    """'81920MiB' / '8 GB' / 16368 (in ``default_unit``) -> bytes (binary units); None otherwise."""
    units = BINARY_UNITS if units is None else units
    n, unit = number_unit(value)
    if n is None or n < 0:
        return None
    key = (unit or default_unit or "").strip().lower()
    factor = units.get(key)
    if factor is None:
        return None
    return _in(int(round(n * factor)), bounds)


def mib_to_bytes(value: object) -> int | None:
    n = number(value, bounds=(0, MEMORY_MIB[1]))
    return None if n is None else int(n) * 1024 * 1024


def scaled_int(value: object, bounds: Bounds | None = None, *, scale: float = 1.0) -> float | None:
    """A bare integer node scaled (sysfs microwatts -> W): ASCII digits only, range on the result."""
    n = ascii_int(value, max_digits=20)
    if n is None:
        return None
    return _in(n * scale, bounds)


# ---- ids -------------------------------------------------------------------------------------


def hex4(value: object) -> str | None:
    """'0x10DE' / '10de' / 4318 -> '10de' (4 lowercase hex digits, of at most 8 given); else None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return f"{value & 0xFFFF:04x}" if value >= 0 else None
    if not isinstance(value, str) or len(value) > 32:
        return None
    m = _HEX.fullmatch(value.strip())
    if not m:
        return None
    return f"{int(m.group(1), 16) & 0xFFFF:04x}"


_BUS_RE = re.compile(r"(?:([0-9a-fA-F]{1,8}):)?([0-9a-fA-F]{1,2}):([0-9a-fA-F]{1,2})\.([0-7])")


def normalize_bus_id(value: object) -> str | None:
    """'00000000:01:00.0' / '01:00.0' / '0000:1:0.0' -> '0000:01:00.0'; junk -> None."""
    if not value or not isinstance(value, str) or len(value) > 64:
        return None
    m = _BUS_RE.fullmatch(value.strip())
    if not m:
        return None
    domain, bus, dev, fn = m.groups()
    domain_i = int(domain, 16) if domain else 0
    return f"{domain_i & 0xFFFF:04x}:{int(bus, 16):02x}:{int(dev, 16):02x}.{fn}"


# ---- JSON ------------------------------------------------------------------------------------


def _finite_float(s: str) -> float | None:
    f = float(s)
    return f if math.isfinite(f) else None


def _no_constant(_name: str) -> None:
    return None  # NaN / Infinity / -Infinity: not a reading


def _depth_ok(value: object, limit: int = JSON_MAX_DEPTH) -> bool:
    stack = [(value, 0)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            return False
        if isinstance(v, dict):
            stack.extend((x, d + 1) for x in v.values())
        elif isinstance(v, list):
            stack.extend((x, d + 1) for x in v)
    return True


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(parse_float=_finite_float, parse_constant=_no_constant)


def json_loads(value: str, tool: str) -> Any:  # a JSON document: any shape
    """One JSON document; every failure (syntax, depth, 4,300+ digit ints, memory) is ParseError.
    Non-finite numbers (1e400, NaN, Infinity) load as None."""
    text(value, tool)
    try:
        data = _decoder().decode(value.strip().lstrip("\ufeff"))
    except (ValueError, RecursionError, MemoryError, TypeError, OverflowError) as exc:
        raise ParseError(tool, f"invalid JSON: {safe(exc, 120)}") from None
    if not _depth_ok(data):
        raise ParseError(tool, f"JSON nested deeper than {JSON_MAX_DEPTH} levels")
    return data


def json_raw_decode(value: str, start: int, tool: str) -> tuple[Any, int]:  # (a JSON document, its end)
    """(value, end) of the JSON document starting at ``start``; ParseError like ``json_loads``."""
    try:
        data, end = _decoder().raw_decode(value, start)
    except (ValueError, RecursionError, MemoryError, TypeError, OverflowError) as exc:
        raise ParseError(tool, f"invalid JSON: {safe(exc, 120)}") from None
    if not _depth_ok(data):
        raise ParseError(tool, f"JSON nested deeper than {JSON_MAX_DEPTH} levels")
    return data, end


def is_number(value: object) -> bool:
    """A JSON number that is a usable reading (not bool, finite, of sane magnitude)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return abs(value) < _BIG_INT
    return isinstance(value, float) and math.isfinite(value) and abs(value) < _BIG_INT
