"""Pure parsers for Moore Threads' ``mthreads-gmi`` (and ``mthreads-smi``) and the MUSA toolkit.

Formats (verbatim public captures, each with its origin in tests/data/mthreads-gmi/SOURCES.md and
tests/data/musa/SOURCES.md):

* the summary table (``mthreads-gmi`` / ``mthreads-gmi -cf``), two layouts:
  gmi 1.x-2.1 (63-dash rule; second row ``Device Type    |Pcie Lane Width``) and gmi 2.3+/2.4
  (69-dash rule; a ``Perf`` column, ``Physical      P0``). Rows per GPU: ``ID Name |bus |%GPU
  used(total)``, ``Device Type [Perf] |width(max) |Temp MPC``, ``|ECC``. vGPU rows say
  ``Physical``, ``MPC Parent`` or ``Virtual`` (a guest has no Temp/MPC/ECC cells). Memory
  ``used(total)`` may be used > total (IOMMU misconfiguration, tutorial_on_musa FAQ #5).
* ``mthreads-gmi -q`` text: ``Key : value`` lines in indented sections; values carry their unit with
  no space (``45C``, ``109.51W``, ``1MiB``, ``0%``, per FlagPerf's mthreads README).
* ``mthreads-gmi --query --json``: the same tree as JSON; values are strings with units, one key is
  spelled ``"Power Draw "`` (trailing space); errors may be printed on stdout instead of JSON.
* ``musa_version_query``: ``component:`` lines each followed by a ``{ "key":\\t"value" }`` block (not
  one JSON document); ``/usr/local/musa/version.json``: JSON with a ``musa_toolkits.version`` key.

Every parser raises only :class:`probes.errors.ParseError`.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from probes.errors import ParseError

TOOL = "mthreads-gmi"
MIB = 1024 * 1024
_UNITS = {"b": 1, "kib": 1024, "kb": 1024, "mib": MIB, "mb": MIB, "gib": 1024 ** 3, "gb": 1024 ** 3,
          "tib": 1024 ** 4}
_NA = {"", "n/a", "na", "[n/a]", "not supported", "[not supported]", "unknown", "-", "none", "null"}

_HEADER = re.compile(r"mthreads-(?:gmi|smi)\s*:\s*(?P<gmi>[^\s|]+)\s+Driver Version\s*:\s*(?P<drv>[^\s|]+)",
                     re.I)
_DRIVER_ONLY = re.compile(r"Driver Version\s*:\s*(?P<drv>[^\s|]+)", re.I)
_RULE = re.compile(r"^\s*-{20,}\s*$")
_SEP = re.compile(r"^\s*\+-{20,}\+\s*$")
_BUS = re.compile(r"^(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$")
_ROW1 = re.compile(r"^\s*(?P<idx>\d+)\s+(?P<name>\S.*?)\s*$")
_UTIL_MEM = re.compile(r"^(?:(?P<util>\d+(?:\.\d+)?)\s*%)?\s*(?:(?P<used>\d+(?:\.\d+)?)\s*(?P<uu>[KMGT]?i?B)"
                       r"\s*\(\s*(?P<total>\d+(?:\.\d+)?)\s*(?P<tu>[KMGT]?i?B)\s*\))?\s*$", re.I)
_WIDTH = re.compile(r"^(?P<cur>\d+)x\s*\(\s*(?P<max>\d+)x\s*\)$", re.I)
_TEMP_MPC = re.compile(r"^(?:(?P<temp>-?\d+(?:\.\d+)?)\s*C)?\s*(?P<mpc>YES|NO|N/A)?\s*$", re.I)
_TYPE_PERF = re.compile(r"^(?P<type>.*?)\s*(?:\b(?P<perf>P\d{1,2})\b)?\s*$")


# ---- value helpers ---------------------------------------------------------------------------

def _na(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in _NA)


def number(value, unit: str = "") -> float | None:
    """'45C' -> 45.0, '109.51W' -> 109.51, '0%' -> 0.0 ('unit' is the suffix to strip); N/A -> None."""
    if _na(value):
        return None
    v = str(value).strip()
    if unit and v.lower().endswith(unit.lower()):
        v = v[: -len(unit)].strip()
    try:
        f = float(v)
    except ValueError:
        return None
    return f if f == f and f not in (float("inf"), float("-inf")) else None


def to_bytes(value) -> int | None:
    """'81920MiB' / '80GiB' / '1MiB' -> bytes; N/A or junk -> None."""
    if _na(value):
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([KMGT]?i?B)?\s*", str(value), re.I)
    if not m:
        return None
    unit = (m.group(2) or "MiB").lower()
    if unit not in _UNITS:
        return None
    return int(round(float(m.group(1)) * _UNITS[unit]))


def _int(value) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def _hex4(value) -> str | None:
    if _na(value):
        return None
    v = str(value).strip().lower()
    if v.startswith("0x"):
        v = v[2:]
    if not re.fullmatch(r"[0-9a-f]{1,8}", v):
        return None
    return f"{int(v, 16) & 0xFFFF:04x}"


# ---- the summary table -----------------------------------------------------------------------

@dataclass
class GmiGpu:
    """One GPU as mthreads-gmi describes it (table, -q or --json). None = not given."""

    index: int | None = None
    name: str | None = None
    bus_id: str | None = None
    device_type: str | None = None        # Physical / MPC Parent / Virtual
    perf: str | None = None               # P0 (gmi 2.3+ layout)
    link_width: int | None = None
    link_width_max: int | None = None
    utilization_pct: float | None = None
    memory_used_bytes: int | None = None
    memory_total_bytes: int | None = None
    temperature_c: float | None = None
    mpc_capable: bool | None = None
    ecc_mode: str | None = None
    # -q / --json only
    uuid: str | None = None
    vendor_id: str | None = None
    device_id: str | None = None
    mtbios_version: str | None = None
    memory_free_bytes: int | None = None
    memory_utilization_pct: float | None = None
    power_draw_w: float | None = None
    power_limit_w: float | None = None
    clock_mhz: float | None = None
    pcie_generation: int | None = None

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class GmiReport:
    gmi_version: str | None = None
    driver_version: str | None = None
    layout: str | None = None          # "table" / "table-perf" (gmi 2.3+) / "query-text" / "query-json"
    gpus: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {"gmi_version": self.gmi_version, "driver_version": self.driver_version,
                "layout": self.layout, "gpus": [g.to_json() for g in self.gpus]}


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|")]


def parse_table(text: str) -> GmiReport:
    """The summary table of ``mthreads-gmi`` / ``mthreads-gmi -cf``."""
    if not isinstance(text, str):
        raise ParseError(TOOL, "not text")
    report = GmiReport()
    lines = text.splitlines()
    in_gpus = False
    perf_layout = False
    current: GmiGpu | None = None
    for n, raw in enumerate(lines, 1):
        line = raw.rstrip()
        if report.gmi_version is None:
            m = _HEADER.search(line)
            if m:
                report.gmi_version, report.driver_version = m.group("gmi"), m.group("drv")
                continue
        if "|" in line and not in_gpus and re.search(r"\bDevice Type\b", line):
            perf_layout = bool(re.search(r"\bPerf\b", line))
            continue
        if line.strip().startswith("Processes:"):
            break
        if _SEP.match(line):
            in_gpus = True
            continue
        if _RULE.match(line):
            if current is not None:
                in_gpus = False
            continue
        if not in_gpus or "|" not in line:
            continue
        cells = _cells(line)
        first = cells[0]
        second = cells[1] if len(cells) > 1 else ""
        third = cells[2] if len(cells) > 2 else ""
        m1 = _ROW1.match(first)
        if m1 and _BUS.match(second):
            current = GmiGpu(index=int(m1.group("idx")), name=m1.group("name"), bus_id=second.lower())
            report.gpus.append(current)
            um = _UTIL_MEM.match(third)
            if um:
                if um.group("util") is not None:
                    current.utilization_pct = float(um.group("util"))
                if um.group("used") is not None:
                    current.memory_used_bytes = to_bytes(um.group("used") + um.group("uu"))
                    current.memory_total_bytes = to_bytes(um.group("total") + um.group("tu"))
            elif third:
                raise ParseError(TOOL, f"unexpected %GPU/Mem cell {third[:40]!r}", line=n)
            continue
        if current is None:
            continue
        wm = _WIDTH.match(second)
        if first and (wm or second == ""):
            tp = _TYPE_PERF.match(first)
            current.device_type = (tp.group("type") if tp else first) or None
            current.perf = tp.group("perf") if tp else None
            if wm:
                current.link_width, current.link_width_max = int(wm.group("cur")), int(wm.group("max"))
            tm = _TEMP_MPC.match(third)
            if tm and third:
                if tm.group("temp") is not None:
                    current.temperature_c = float(tm.group("temp"))
                mpc = (tm.group("mpc") or "").upper()
                current.mpc_capable = True if mpc == "YES" else False if mpc == "NO" else None
            continue
        if not first and len(cells) == 2 and not _WIDTH.match(second):
            current.ecc_mode = None if _na(second) else second
            continue
    if report.gmi_version is None and not report.gpus:
        detail = "no 'mthreads-gmi:... Driver Version:...' header and no GPU rows"
        snippet = next((ln.strip() for ln in lines if ln.strip()), "")
        if snippet:
            detail += f" (first line: {snippet[:80]!r})"
        raise ParseError(TOOL, detail)
    report.layout = "table-perf" if perf_layout else "table"
    return report


# ---- -q text and --json ----------------------------------------------------------------------

def _key(k: str) -> str:
    return re.sub(r"\s+", " ", str(k)).strip().lower()


def _get(d, *path):
    """Case/space-insensitive nested lookup ('Power Readings', 'Power Draw')."""
    cur = d
    for p in path:
        if not isinstance(cur, dict):
            return None
        want = _key(p)
        found = None
        for k, v in cur.items():
            if _key(k) == want:
                found = v
                break
        if found is None:
            return None
        cur = found
    return cur


def gpu_from_query(d: dict, position: int | None = None) -> GmiGpu:
    """One GPU entry of the -q/--json tree -> GmiGpu."""
    if not isinstance(d, dict):
        raise ParseError(TOOL, "a GPU entry is not a mapping")
    header = d.get("_header")
    idx = _int(_get(d, "Index")) if _get(d, "Index") is not None else None
    bus = _get(d, "PCI", "Bus ID") or _get(d, "Bus ID")
    if bus is None and isinstance(header, str) and _BUS.match(header.strip()):
        bus = header.strip()
    if idx is None and isinstance(header, str) and header.strip().isdigit():
        idx = int(header.strip())
    if idx is None:
        idx = position
    g = GmiGpu(index=idx,
               name=_str(_get(d, "Product Name")),
               bus_id=_str(bus).lower() if _str(bus) else None,
               uuid=_str(_get(d, "GPU UUID")) or _str(_get(d, "UUID")),
               vendor_id=_hex4(_get(d, "PCI", "Vendor ID")),
               device_id=_hex4(_get(d, "PCI", "Device ID")),
               mtbios_version=_str(_get(d, "MTBios Version")),
               memory_total_bytes=to_bytes(_get(d, "FB Memory Usage", "Total")),
               memory_used_bytes=to_bytes(_get(d, "FB Memory Usage", "Used")),
               memory_free_bytes=to_bytes(_get(d, "FB Memory Usage", "Free")),
               utilization_pct=number(_get(d, "Utilization", "Gpu"), "%"),
               memory_utilization_pct=number(_get(d, "Utilization", "Memory"), "%"),
               temperature_c=number(_get(d, "Temperature", "GPU Current Temp"), "C"),
               power_draw_w=number(_get(d, "Power Readings", "Power Draw"), "W"),
               power_limit_w=number(_get(d, "Power Readings", "Current Power Limit"), "W"),
               clock_mhz=number(_get(d, "Clocks", "Graphics"), "MHz"),
               pcie_generation=_int(_get(d, "PCI", "GPU Link Info", "PCIe Generation", "Current")))
    width = _get(d, "PCI", "GPU Link Info", "Link Width")
    if isinstance(width, dict):
        g.link_width = _int(str(_get(width, "Current") or "").rstrip("xX"))
        g.link_width_max = _int(str(_get(width, "Max") or "").rstrip("xX"))
    return g


def _str(v) -> str | None:
    if v is None or isinstance(v, (dict, list)):
        return None
    s = str(v).strip()
    return None if _na(s) else s


def _report_from_tree(tree: dict, layout: str) -> GmiReport:
    gpus_raw = _get(tree, "GPU")
    if isinstance(gpus_raw, dict):
        gpus_raw = [gpus_raw]
    if not isinstance(gpus_raw, list):
        gpus_raw = []
    report = GmiReport(driver_version=_str(_get(tree, "Driver Version")), layout=layout)
    report.gpus = [gpu_from_query(g, i) for i, g in enumerate(gpus_raw) if isinstance(g, dict)]
    return report


def parse_query_json(text: str) -> GmiReport:
    """``mthreads-gmi --query --json`` (also ``-q --json``)."""
    if not isinstance(text, str):
        raise ParseError(TOOL, "not text")
    start = text.find("{")
    if start < 0:
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        raise ParseError(TOOL, f"no JSON in the output{f' ({first[:80]!r})' if first else ''}")
    try:
        tree, _end = json.JSONDecoder().raw_decode(text[start:])
    except (ValueError, RecursionError) as exc:
        raise ParseError(TOOL, f"invalid JSON: {str(exc)[:80]}") from None
    if not isinstance(tree, dict):
        raise ParseError(TOOL, "the JSON is not an object")
    report = _report_from_tree(tree, "query-json")
    if report.driver_version is None and not report.gpus:
        raise ParseError(TOOL, "the JSON has neither 'Driver Version' nor 'GPU'")
    return report


_TOP_KEYS = ("driver version", "timestamp", "attached gpus", "mthreads-gmi version")
_FLAT_SECTIONS = {"total": "FB Memory Usage", "used": "FB Memory Usage", "free": "FB Memory Usage",
                  "gpu current temp": "Temperature", "power draw": "Power Readings",
                  "current power limit": "Power Readings", "gpu": "Utilization", "graphics": "Clocks",
                  "bus id": "PCI", "vendor id": "PCI", "device id": "PCI"}
_KV = re.compile(r"^(?P<key>[^:]*?[^\s:])\s*:(?:\s+(?P<value>.*?))?\s*$")
_GPU_HEAD = re.compile(r"^GPU(?:\s+(?P<id>\S+))?\s*:?\s*$")


def parse_query_text(text: str) -> GmiReport:
    """``mthreads-gmi -q`` text: indented ``Key : value`` lines, sections without a value.

    No official capture of the full text was available (research §7); the shape below follows the
    JSON tree (same key names) and FlagPerf's ``grep``/``awk -F ': *'`` use of it. A flat
    ``grep`` of it (no sections) is read too: a repeated ``Product Name``/``Index`` starts a new GPU.
    """
    if not isinstance(text, str):
        raise ParseError(TOOL, "not text")
    top: dict = {}
    gpus: list = []
    stack: list[tuple[int, dict]] = [(-1, top)]
    flat = False
    flat_counts: dict[str, int] = {}
    seen_any = False
    for raw in text.splitlines():
        if not raw.strip() or set(raw.strip()) <= set("=-+|"):
            continue
        line = raw.replace("\t", "    ").rstrip()
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        gh = _GPU_HEAD.match(body) if indent == 0 else None
        if gh:
            entry = {"_header": gh.group("id") or str(len(gpus))}
            gpus.append(entry)
            stack = [(-1, top), (0, entry)]
            seen_any = True
            continue
        while len(stack) > 1 and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        m = _KV.match(body)
        if m and m.group("value") is not None:
            key, value = m.group("key").strip(), m.group("value")
            seen_any = True
            target = parent
            if (not gpus or flat) and parent is top and _key(key) not in _TOP_KEYS:
                # a flat grep of -q output (no GPU sections): the n-th time a key appears it
                # belongs to GPU n, whether the grep kept GPU order or grouped lines by key
                flat = True
                n = flat_counts.get(_key(key), 0)
                flat_counts[_key(key)] = n + 1
                while len(gpus) <= n:
                    gpus.append({})
                sub = _FLAT_SECTIONS.get(_key(key))
                target = gpus[n].setdefault(sub, {}) if sub else gpus[n]
            target.setdefault(key, value)
            continue
        # a section header ("FB Memory Usage", "Temperature", "PCI", "Key :" with no value)
        name = body[:-1].strip() if body.endswith(":") else body
        if not name or len(name) > 60:
            continue
        section: dict = {}
        if name not in parent:
            parent[name] = section
        else:
            section = parent[name] if isinstance(parent[name], dict) else section
        stack.append((indent, section))
        seen_any = True
    if gpus:
        top["GPU"] = gpus
    report = _report_from_tree(top, "query-text")
    if not seen_any or (report.driver_version is None and not report.gpus):
        first = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
        raise ParseError(TOOL, "no 'Driver Version' or GPU entries in the query output"
                               + (f" (first line: {first[:80]!r})" if first else ""))
    return report


def parse_version(text: str) -> str | None:
    """``mthreads-gmi -v``: 'name: version' (musa_report.sh splits it with awk -F:)."""
    if not isinstance(text, str):
        raise ParseError(TOOL, "not text")
    for line in text.splitlines():
        if ":" in line:
            v = line.split(":", 1)[1].strip()
            if re.fullmatch(r"\d+(?:\.\d+)+\S*", v):
                return v
        m = re.search(r"\b(\d+\.\d+\.\d+)\b", line)
        if m:
            return m.group(1)
    return None


# ---- MUSA toolkit ----------------------------------------------------------------------------

_COMPONENT = re.compile(r"^\s*\"?(?P<name>[A-Za-z_][\w.\-]*)\"?\s*:\s*\{?\s*$")
_PAIR = re.compile(r"\"(?P<k>[^\"]+)\"\s*:\s*\"(?P<v>[^\"]*)\"")


def parse_musa_components(text: str) -> dict:
    """``musa_version_query`` / ``version.json`` text -> {component: {key: value}}.

    Tolerant of the non-JSON ``component:`` + ``{...}`` sequence, of ``...`` truncation lines and of
    a grep excerpt of version.json. Raises ParseError when no component with a version is found.
    """
    if not isinstance(text, str):
        raise ParseError("musa_version_query", "not text")
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = json.loads(stripped)
        except (ValueError, RecursionError):
            data = None
        if isinstance(data, dict):
            out = {str(k): {str(kk): str(vv) for kk, vv in v.items() if not isinstance(vv, (dict, list))}
                   for k, v in data.items() if isinstance(v, dict)}
            if any("version" in v for v in out.values()):
                return out
    out: dict = {}
    current: dict | None = None
    for line in text.splitlines():
        m = _COMPONENT.match(line)
        if m and "version" not in m.group("name").lower():
            current = out.setdefault(m.group("name"), {})
            continue
        for pm in _PAIR.finditer(line):
            if current is not None:
                current.setdefault(pm.group("k"), pm.group("v"))
        if line.strip().startswith("}"):
            current = None
    out = {k: v for k, v in out.items() if v}
    if not any("version" in v for v in out.values()):
        raise ParseError("musa_version_query", "no component version found")
    return out


def musa_toolkit_version(components: dict) -> str | None:
    """The MUSA toolkit version ('musa_toolkits' is the authoritative key per the M1000 doc)."""
    for key in ("musa_toolkits", "musa_toolkit", "MUSA Toolkits"):
        v = (components.get(key) or {}).get("version")
        if v:
            return v
    return None


def build_archs(components: dict) -> list[str]:
    """'21,22,31' from the libraries' ``build archs`` -> ['mp_21', 'mp_22', 'mp_31'] (union, sorted)."""
    archs: set[str] = set()
    for comp in components.values():
        for a in (comp.get("build archs") or "").split(","):
            a = a.strip()
            if a.isdigit():
                archs.add(f"mp_{a}")
    return sorted(archs)


_ERROR_LINE = re.compile(r"^\s*(?:Error|ERROR|Failed|FAILED|failed)\b[:\s].*$")


def error_line(text: str) -> str | None:
    """The error mthreads-gmi printed instead of a result, if any.

    gmi 2.3.2 writes its errors to stdout with exit codes 1, 4, 5 or 6 (research §1.3); Moore
    Threads' own musa-deploy checker expects ``Error: failed to load driver.`` (exit 8) and
    ``Error: No MT GPU device found.`` (exit 0) from ``mthreads-gmi -q``.
    """
    if not isinstance(text, str):
        return None
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:200] if _ERROR_LINE.match(line) else None
    return None
