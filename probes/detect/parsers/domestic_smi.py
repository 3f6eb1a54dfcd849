"""Pure parsers for the smi tools of Iluvatar (``ixsmi``), MetaX (``mx-smi``) and Hygon (``hy-smi``).

Only the default table of each tool is parsed, because that is all the public captures show
(e.g. gpustack/gpustack issue #3256 for ixsmi, SwanHubX/SwanLab PR #1020 for hy-smi; stored in
tests/data/{ixsmi,mx-smi,hy-smi}/):

* ``ixsmi`` (IX-ML 3.1.1): an nvidia-smi-like box, ``IX-ML: x  Driver Version: y  CUDA Version: z``,
  two rows per GPU (``id name | bus | clocks`` / ``fan temp perf pwr/cap | used / total | util``).
* ``mx-smi`` (2.1.6, 2.2.4, 2.3.1): boxes with ``MX-SMI v  Kernel Mode Driver Version: y`` and
  ``MACA Version: m  BIOS Version: b``; three column layouts (power cap may be ``NA`` or absent).
* ``hy-smi`` (and the DCU ``rocm-smi``): a whitespace table ``HCU|DCU Temp AvgPwr Perf PwrCap VRAM%
  HCU%|DCU% [Dec% Enc%] Mode``; no names, bus ids or driver version.

Raise only ParseError.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from probes.core import values as v
from probes.core.errors import ParseError

MIB = 1024 * 1024
_BUS = re.compile(r"^(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$")
# every repeat bounded and every number delimited by a look-behind: matching stays linear
_N = r"[0-9]{1,12}(?:\.[0-9]{1,6})?"
_TEMP = re.compile(r"(?<![\w.])(-?" + _N + r")[ \t]{0,8}C\b")
_POWER = re.compile(
    r"(?<![\w.])(" + _N + r")[ \t]{0,8}W(?:[ \t]{0,8}/[ \t]{0,8}(?:(" + _N + r")[ \t]{0,8}W|NA|N/A))?\b"
)
_MEM = re.compile(r"(?<![0-9])([0-9]{1,12})[ \t]{0,8}(?:MiB)?[ \t]{0,8}/[ \t]{0,8}([0-9]{1,12})[ \t]{0,8}MiB")
_PCT = re.compile(r"^(" + _N + r")[ \t]{0,8}%")
_PERF = re.compile(r"\bP([0-9]{1,2})\b")
_MHZ = re.compile(r"(?<![0-9])([0-9]{1,9})[ \t]{0,8}MHz")


@dataclass
class SmiGpu:
    index: int | None = None
    name: str | None = None
    bus_id: str | None = None
    temperature_c: float | None = None
    power_draw_w: float | None = None
    power_cap_w: float | None = None
    memory_used_bytes: int | None = None
    memory_total_bytes: int | None = None
    memory_used_pct: float | None = None
    utilization_pct: float | None = None
    clock_mhz: float | None = None
    perf: str | None = None


@dataclass
class SmiReport:
    tool: str
    tool_version: str | None = None
    driver_version: str | None = None
    toolkit_version: str | None = None  # ixsmi "CUDA Version" (CoreX), mx-smi "MACA Version"
    bios_version: str | None = None
    gpus: list = field(default_factory=list)

    def to_json(self) -> dict:
        d = asdict(self)
        d["gpus"] = [asdict(g) for g in self.gpus]
        return d


def _box_cells(line: str) -> list[str] | None:
    s = line.strip()
    if not (s.startswith("|") and s.endswith("|")) or set(s) <= set("|=-+ "):
        return None
    return [c.strip() for c in s[1:-1].split("|")]


def _fill_metrics(g: SmiGpu, cells: list[str]) -> None:
    for c in cells:
        if g.temperature_c is None:
            m = _TEMP.search(c)
            if m:
                g.temperature_c = v.temperature_c(m.group(1))
        if g.power_draw_w is None:
            m = _POWER.search(c)
            if m:
                g.power_draw_w = v.watts(m.group(1))
                g.power_cap_w = v.watts(m.group(2)) if m.group(2) else None
        if g.memory_total_bytes is None:
            m = _MEM.search(c)
            if m:
                g.memory_used_bytes = v.size_bytes(m.group(1), "MiB")
                g.memory_total_bytes = v.size_bytes(m.group(2), "MiB")
        if g.perf is None:
            m = _PERF.search(c)
            if m and not _BUS.match(c):
                g.perf = "P" + m.group(1)
        if g.clock_mhz is None:
            m = _MHZ.search(c)
            if m:
                g.clock_mhz = v.mhz(m.group(1))
    for c in cells:  # utilisation: the last "N%" cell that is not the fan/temperature cell
        m = _PCT.match(c)
        if m and not _TEMP.search(c):
            g.utilization_pct = v.percent(m.group(1))


_BANNER = (
    (re.compile(r"IX-ML:[ \t]{0,16}(\S{1,64})"), "tool_version"),
    (re.compile(r"MX-SMI[ \t]{1,16}([0-9]\S{0,63})"), "tool_version"),
    (re.compile(r"mx-smi[ \t]{1,16}version:[ \t]{0,16}(\S{1,64})"), "tool_version"),
    (re.compile(r"CUDA Version:[ \t]{0,16}(\S{1,64})"), "toolkit_version"),
    (re.compile(r"MACA Version:[ \t]{0,16}(\S{1,64})"), "toolkit_version"),
    (re.compile(r"BIOS Version:[ \t]{0,16}(\S{1,64})"), "bios_version"),
)
_DRIVER = re.compile(r"Driver Version:[ \t]{0,16}(\S{1,64})")
# the banner words each tool prints (a table without them is not that tool's)
_MARKERS = {"ixsmi": ("IX-ML",), "mx-smi": ("MX-SMI", "mx-smi", "MACA Version")}


def _idx_name(cell: str) -> tuple[int, str] | None:
    parts = cell.split(None, 1)
    if len(parts) != 2 or not parts[0][:1].isdigit():
        return None
    idx = v.index(parts[0])
    return None if idx is None else (idx, parts[1].strip())


def _parse_box(text: str, tool: str) -> SmiReport:
    text = v.text(text, tool)
    rep = SmiReport(tool=tool)
    current: SmiGpu | None = None
    rows_of_current = 0
    lines = v.lines(text)
    for raw in lines:
        line = raw.rstrip()
        if rep.driver_version is None:
            m = _DRIVER.search(line)
            if m:
                rep.driver_version = m.group(1)
        for pattern, attr in _BANNER:
            if getattr(rep, attr) is None:
                m = pattern.search(line)
                if m:
                    setattr(rep, attr, m.group(1))
        if "Process" in line:
            current = None
            if rep.gpus:
                break
        cells = _box_cells(line)
        if not cells:
            if line.strip().startswith("+") and current is not None:
                current = None
            continue
        bus_cells = [c for c in cells if _BUS.match(c)]
        first = _idx_name(cells[0])
        if bus_cells and first:
            if len(rep.gpus) > v.INDEX[1]:
                raise ParseError(tool, "more GPU rows than any machine has")
            current = SmiGpu(index=first[0], name=first[1], bus_id=bus_cells[0].lower())
            rep.gpus.append(current)
            rows_of_current = 1
            _fill_metrics(current, cells[1:])
            continue
        if current is not None and rows_of_current < 3:
            rows_of_current += 1
            _fill_metrics(current, cells)
    has_banner = any(word in line for line in lines[:200] for word in _MARKERS.get(tool, ()))
    if not has_banner or (rep.driver_version is None and not rep.gpus):
        raise ParseError(
            tool,
            v.with_first_line(f"no {_MARKERS[tool][0]} banner with a driver version and no GPU rows", text),
        )
    return rep


def parse_ixsmi(text: str) -> SmiReport:
    return _parse_box(text, "ixsmi")


def parse_mxsmi(text: str) -> SmiReport:
    return _parse_box(text, "mx-smi")


def _num(value: str, unit: str, bounds: v.Bounds | None = None) -> float | None:
    return v.number(value, unit, bounds)


def parse_hysmi(text: str) -> SmiReport:
    """``hy-smi`` / DTK ``rocm-smi`` default table (HCU or DCU header)."""
    tool = "hy-smi"
    text = v.text(text, tool)
    rep = SmiReport(tool=tool)
    header: list[str] | None = None
    for raw in v.lines(text):
        parts = raw.split()
        if not parts:
            continue
        if parts[0] in ("HCU", "DCU", "GPU") and "Temp" in parts:
            header = parts[:64]
            continue
        if header is None or len(parts) < len(header) - 2:
            continue
        index = v.index(parts[0]) if parts[0][:1].isdigit() else None
        if index is None:
            continue
        if len(rep.gpus) > v.INDEX[1]:
            raise ParseError(tool, "more GPU rows than any machine has")
        row = dict(zip(header, parts, strict=False))
        util_key = next((k for k in header if k in ("HCU%", "DCU%", "GPU%")), None)
        perf = row.get("Perf")
        rep.gpus.append(
            SmiGpu(
                index=index,
                temperature_c=_num(row.get("Temp", ""), "C", v.TEMPERATURE_C),
                power_draw_w=_num(row.get("AvgPwr", ""), "W", v.POWER_W),
                power_cap_w=_num(row.get("PwrCap", ""), "W", v.POWER_W),
                memory_used_pct=_num(row.get("VRAM%", ""), "%", v.PERCENT),
                utilization_pct=_num(row.get(util_key, ""), "%", v.PERCENT) if util_key else None,
                perf=perf[:16] if perf else None,
            )
        )
    if header is None:
        raise ParseError(tool, v.with_first_line("no 'HCU/DCU Temp AvgPwr ...' header", text))
    return rep
