"""How the user interfaces (command line, GUI, Markdown report) show values: a missing value,
numbers with their unit, sizes in bytes. Qt-free.

One convention: a value the source did not give (``None``) is shown as :data:`MISSING`, an em dash,
in the GUI and in the report. The command line's terminal text keeps the marks it has always
printed, so its output does not change: :data:`PLAIN` (``-``) in probe, power, monitor and match,
and the smoke summary's translated "n/a" — both passed as ``missing=``.
"""

from __future__ import annotations

MISSING = "—"  # GUI and Markdown report
PLAIN = "-"  # the command line's terminal text

GIB = 2**30
MIB = 2**20


def or_missing(value, missing: str = MISSING) -> str:
    """``value`` as text; ``missing`` for None or an empty string."""
    return missing if value is None or value == "" else str(value)


def number(value, digits: int = 2, unit: str = "", *, missing: str = MISSING) -> str:
    """A measured number: floats with ``digits`` decimals, integers as they are, then ``unit``
    (written as it should appear, e.g. ``" MiB"``)."""
    if value is None:
        return missing
    if isinstance(value, float):
        return f"{value:.{digits}f}{unit}"
    return f"{value}{unit}"


def fixed(value, digits: int = 0, unit: str = "", *, missing: str = MISSING) -> str:
    """Any number, integers included, with exactly ``digits`` decimals (``12`` -> ``12.0``)."""
    return missing if value is None else f"{value:.{digits}f}{unit}"


def watts(value, *, missing: str = MISSING) -> str:
    """A power in watts: whole watts without decimals (``150 W``), else two (``150.25 W``)."""
    if value is None:
        return missing
    return f"{value:.0f} W" if float(value).is_integer() else f"{value:.2f} W"


def in_gib(n_bytes) -> float | None:
    """Bytes as GiB (binary gigabytes), None kept."""
    return None if n_bytes is None else n_bytes / GIB


def gib(n_bytes, digits: int = 1, *, missing: str = MISSING) -> str:
    """A size in bytes as ``12.0 GiB``."""
    return fixed(in_gib(n_bytes), digits, " GiB", missing=missing)


def mib(n_bytes, digits: int = 1, *, missing: str = MISSING) -> str:
    """A size in bytes as ``512.0 MiB``."""
    return fixed(None if n_bytes is None else n_bytes / MIB, digits, " MiB", missing=missing)
