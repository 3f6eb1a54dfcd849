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

from probes.errors import ParseError

MIB = 1024 * 1024
_BUS = re.compile(r"^(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$")
_IDX_NAME = re.compile(r"^(\d+)\s+(\S.*?)$")
_TEMP = re.compile(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*C\b")
_POWER = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*W(?:\s*/\s*(?:(\d+(?:\.\d+)?)\s*W|NA|N/A))?\b")
_MEM = re.compile(r"(\d+)\s*(?:MiB)?\s*/\s*(\d+)\s*MiB")
_PCT = re.compile(r"^(\d+(?:\.\d+)?)\s*%")
_PERF = re.compile(r"\bP(\d{1,2})\b")
_MHZ = re.compile(r"(\d+)\s*MHz")


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
    toolkit_version: str | None = None     # ixsmi "CUDA Version" (CoreX), mx-smi "MACA Version"
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
                g.temperature_c = float(m.group(1))
        if g.power_draw_w is None:
            m = _POWER.search(c)
            if m:
                g.power_draw_w = float(m.group(1))
                g.power_cap_w = float(m.group(2)) if m.group(2) else None
        if g.memory_total_bytes is None:
            m = _MEM.search(c)
            if m:
                g.memory_used_bytes = int(m.group(1)) * MIB
                g.memory_total_bytes = int(m.group(2)) * MIB
        if g.perf is None:
            m = _PERF.search(c)
            if m and not _BUS.match(c):
                g.perf = "P" + m.group(1)
        if g.clock_mhz is None:
            m = _MHZ.search(c)
            if m:
                g.clock_mhz = float(m.group(1))
    for c in cells:  # utilisation: the last "N%" cell that is not the fan/temperature cell
        m = _PCT.match(c)
        if m and not _TEMP.search(c):
            g.utilization_pct = float(m.group(1))


def _parse_box(text: str, tool: str) -> SmiReport:
    if not isinstance(text, str):
        raise ParseError(tool, "not text")
    rep = SmiReport(tool=tool)
    current: SmiGpu | None = None
    rows_of_current = 0
    for raw in text.splitlines():
        line = raw.rstrip()
        if rep.driver_version is None:
            m = re.search(r"(?:Kernel Mode )?Driver Version:\s*(\S+)", line)
            if m:
                rep.driver_version = m.group(1)
        for pattern, attr in ((r"IX-ML:\s*(\S+)", "tool_version"), (r"MX-SMI\s+(\d\S*)", "tool_version"),
                              (r"mx-smi\s+version:\s*(\S+)", "tool_version"),
                              (r"CUDA Version:\s*(\S+)", "toolkit_version"),
                              (r"MACA Version:\s*(\S+)", "toolkit_version"),
                              (r"BIOS Version:\s*(\S+)", "bios_version")):
            if getattr(rep, attr) is None:
                m = re.search(pattern, line)
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
        first = _IDX_NAME.match(cells[0])
        if bus_cells and first:
            current = SmiGpu(index=int(first.group(1)), name=first.group(2).strip(),
                             bus_id=bus_cells[0].lower())
            rep.gpus.append(current)
            rows_of_current = 1
            _fill_metrics(current, cells[1:])
            continue
        if current is not None and rows_of_current < 3:
            rows_of_current += 1
            _fill_metrics(current, cells)
    if rep.driver_version is None and not rep.gpus:
        first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        raise ParseError(tool, "no driver version and no GPU rows"
                               + (f" (first line: {first_line[:80]!r})" if first_line else ""))
    return rep


def parse_ixsmi(text: str) -> SmiReport:
    return _parse_box(text, "ixsmi")


def parse_mxsmi(text: str) -> SmiReport:
    return _parse_box(text, "mx-smi")


def _num(value: str, unit: str) -> float | None:
    v = value.strip()
    if v.upper().endswith(unit.upper()):
        v = v[: -len(unit)]
    try:
        return float(v)
    except ValueError:
        return None


def parse_hysmi(text: str) -> SmiReport:
    """``hy-smi`` / DTK ``rocm-smi`` default table (HCU or DCU header)."""
    tool = "hy-smi"
    if not isinstance(text, str):
        raise ParseError(tool, "not text")
    rep = SmiReport(tool=tool)
    header: list[str] | None = None
    for raw in text.splitlines():
        parts = raw.split()
        if not parts:
            continue
        if parts[0] in ("HCU", "DCU", "GPU") and "Temp" in parts:
            header = parts
            continue
        if header is None or not parts[0].isdigit() or len(parts) < len(header) - 2:
            continue
        row = dict(zip(header, parts, strict=False))
        util_key = next((k for k in header if k in ("HCU%", "DCU%", "GPU%")), None)
        rep.gpus.append(SmiGpu(
            index=int(parts[0]),
            temperature_c=_num(row.get("Temp", ""), "C"),
            power_draw_w=_num(row.get("AvgPwr", ""), "W"),
            power_cap_w=_num(row.get("PwrCap", ""), "W"),
            memory_used_pct=_num(row.get("VRAM%", ""), "%"),
            utilization_pct=_num(row.get(util_key, ""), "%") if util_key else None,
            perf=row.get("Perf")))
    if header is None:
        first_line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        raise ParseError(tool, "no 'HCU/DCU Temp AvgPwr ...' header"
                               + (f" (first line: {first_line[:80]!r})" if first_line else ""))
    return rep
