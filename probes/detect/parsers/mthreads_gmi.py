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

Every parser raises only :class:`probes.core.errors.ParseError`.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from probes.core import values as v
from probes.core.errors import ParseError

TOOL = "mthreads-gmi"
MIB = 1024 * 1024

_HEADER = re.compile(
    r"mthreads-(?:gmi|smi)[ \t]{0,16}:[ \t]{0,16}(?P<gmi>[^\s|]{1,64})[ \t]{1,64}"
    r"Driver Version[ \t]{0,16}:[ \t]{0,16}(?P<drv>[^\s|]{1,64})",
    re.I,
)
_RULE = re.compile(r"^\s*-{20,}\s*$")
_SEP = re.compile(r"^\s*\+-{20,}\+\s*$")
_BUS = re.compile(r"^(?:[0-9a-fA-F]{4,8}:)?[0-9a-fA-F]{2}:[0-9a-fA-F]{2}\.[0-7]$")
# cells are stripped before matching; every repeat is bounded, so matching is linear
_UTIL_MEM = re.compile(
    r"^(?:(?P<util>[0-9]{1,6}(?:\.[0-9]{1,6})?)[ \t]{0,8}%)?[ \t]{0,32}"
    r"(?:(?P<used>[0-9]{1,12}(?:\.[0-9]{1,6})?)[ \t]{0,8}(?P<uu>[KMGT]?i?B)"
    r"[ \t]{0,8}\([ \t]{0,8}(?P<total>[0-9]{1,12}(?:\.[0-9]{1,6})?)[ \t]{0,8}"
    r"(?P<tu>[KMGT]?i?B)[ \t]{0,8}\))?$",
    re.I,
)
_WIDTH = re.compile(r"^(?P<cur>[0-9]{1,3})x[ \t]{0,8}\([ \t]{0,8}(?P<max>[0-9]{1,3})x[ \t]{0,8}\)$", re.I)
_TEMP_MPC = re.compile(
    r"^(?:(?P<temp>-?[0-9]{1,6}(?:\.[0-9]{1,6})?)[ \t]{0,8}C)?[ \t]{0,32}"
    r"(?P<mpc>YES|NO|N/A)?$",
    re.I,
)
_PERF = re.compile(r"P[0-9]{1,2}")


# ---- value helpers (the shared ones in probes.core.values, with this tool's units) ---------------


def _na(value: object) -> bool:
    return v.is_na(value)


def number(value: object, unit: str = "") -> float | None:
    """'45C' -> 45.0, '109.51W' -> 109.51, '0%' -> 0.0 ('unit' is the suffix to strip); N/A -> None."""
    return v.number(value, unit)


def to_bytes(value: object) -> int | None:
    """'81920MiB' / '80GiB' / '1MiB' -> bytes (a bare number is MiB); N/A or junk -> None."""
    return v.size_bytes(value, "MiB")


# ---- the summary table -----------------------------------------------------------------------


@dataclass
class GmiGpu:
    """One GPU as mthreads-gmi describes it (table, -q or --json). None = not given."""

    index: int | None = None
    name: str | None = None
    bus_id: str | None = None
    device_type: str | None = None  # Physical / MPC Parent / Virtual
    perf: str | None = None  # P0 (gmi 2.3+ layout)
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
    layout: str | None = None  # "table" / "table-perf" (gmi 2.3+) / "query-text" / "query-json"
    gpus: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "gmi_version": self.gmi_version,
            "driver_version": self.driver_version,
            "layout": self.layout,
            "gpus": [g.to_json() for g in self.gpus],
        }


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.split("|")]


def _index_name(cell: str) -> tuple[int, str] | None:
    """'0    MTT S80' -> (0, 'MTT S80')."""
    parts = cell.split(None, 1)
    if len(parts) != 2:
        return None
    idx = v.index(parts[0])
    return (idx, parts[1].strip()) if idx is not None else None


def _type_perf(cell: str) -> tuple[str | None, str | None]:
    """'Physical      P0' -> ('Physical', 'P0'); 'MPC Parent' -> ('MPC Parent', None)."""
    parts = cell.split()
    if parts and _PERF.fullmatch(parts[-1]):
        return (" ".join(parts[:-1]) or None), parts[-1]
    return (" ".join(parts) or None), None


def _first_row(cells: list[str], n: int) -> GmiGpu | None:
    """The GPU a table row starts ('0  MTT S80 | 00000000:01:00.0 | 0%  1MiB / 16384MiB'), or None."""
    first = cells[0]
    second = cells[1] if len(cells) > 1 else ""
    third = cells[2] if len(cells) > 2 else ""
    row1 = _index_name(first)
    if not (row1 and _BUS.match(second)):
        return None
    gpu = GmiGpu(index=row1[0], name=row1[1], bus_id=second.lower())
    um = _UTIL_MEM.match(third)
    if um:
        if um.group("util") is not None:
            gpu.utilization_pct = v.percent(um.group("util"))
        if um.group("used") is not None:
            gpu.memory_used_bytes = to_bytes(um.group("used") + um.group("uu"))
            gpu.memory_total_bytes = to_bytes(um.group("total") + um.group("tu"))
    elif third:
        raise ParseError(TOOL, f"unexpected %GPU/Mem cell {v.safe(third, 40)!r}", line=n)
    return gpu


def _more_rows(current: GmiGpu, cells: list[str]) -> None:
    """The rows under a GPU's first row: device type/perf, link width, temperature/MPC, ECC."""
    first = cells[0]
    second = cells[1] if len(cells) > 1 else ""
    third = cells[2] if len(cells) > 2 else ""
    wm = _WIDTH.match(second)
    if first and (wm or second == ""):
        current.device_type, current.perf = _type_perf(first)
        if wm:
            current.link_width = v.ascii_int(wm.group("cur"), v.LINK_WIDTH)
            current.link_width_max = v.ascii_int(wm.group("max"), v.LINK_WIDTH)
        tm = _TEMP_MPC.match(third)
        if tm and third:
            if tm.group("temp") is not None:
                current.temperature_c = v.temperature_c(tm.group("temp"))
            mpc = (tm.group("mpc") or "").upper()
            current.mpc_capable = True if mpc == "YES" else False if mpc == "NO" else None
        return
    if not first and len(cells) == 2 and not _WIDTH.match(second):
        current.ecc_mode = v.clean(second, 80)


def parse_table(text: str) -> GmiReport:
    """The summary table of ``mthreads-gmi`` / ``mthreads-gmi -cf``."""
    text = v.text(text, TOOL)
    report = GmiReport()
    lines = v.lines(text)
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
        gpu = _first_row(cells, n)
        if gpu is not None:
            current = gpu
            report.gpus.append(current)
        elif current is not None:
            _more_rows(current, cells)
    if report.gmi_version is None and not report.gpus:
        raise ParseError(
            TOOL, v.with_first_line("no 'mthreads-gmi:... Driver Version:...' header and no GPU rows", text)
        )
    report.layout = "table-perf" if perf_layout else "table"
    return report


# ---- -q text and --json ----------------------------------------------------------------------

MAX_KEYS = 1000  # a section of the real tree has a few dozen keys


def _key(k: object) -> str:
    return " ".join(str(k)[:200].split()).lower()


def _get(d, *path):
    """Case/space-insensitive nested lookup ('Power Readings', 'Power Draw')."""
    cur = d
    for p in path:
        if not isinstance(cur, dict) or len(cur) > MAX_KEYS:
            return None
        want = _key(p)
        found = None
        for key, value in cur.items():
            if _key(key) == want:
                found = value
                break
        if found is None:
            return None
        cur = found
    return cur


def _link(value: object) -> int | None:
    if not isinstance(value, str):
        return v.ascii_int(value, v.LINK_WIDTH)
    return v.ascii_int(value.strip().rstrip("xX"), v.LINK_WIDTH)


def gpu_from_query(d: dict, position: int | None = None) -> GmiGpu:
    """One GPU entry of the -q/--json tree -> GmiGpu."""
    if not isinstance(d, dict):
        raise ParseError(TOOL, "a GPU entry is not a mapping")
    header = d.get("_header")
    idx = v.index(_get(d, "Index"))
    bus = _str(_get(d, "PCI", "Bus ID")) or _str(_get(d, "Bus ID"))
    if bus is not None and not _BUS.match(bus):
        bus = None
    if bus is None and isinstance(header, str) and _BUS.match(header.strip()):
        bus = header.strip()
    if idx is None and isinstance(header, str):
        idx = v.index(header)
    if idx is None:
        idx = position
    g = GmiGpu(
        index=idx,
        name=_str(_get(d, "Product Name")),
        bus_id=bus.lower() if bus else None,
        uuid=_str(_get(d, "GPU UUID")) or _str(_get(d, "UUID")),
        vendor_id=v.hex4(_str(_get(d, "PCI", "Vendor ID"))),
        device_id=v.hex4(_str(_get(d, "PCI", "Device ID"))),
        mtbios_version=_str(_get(d, "MTBios Version")),
        memory_total_bytes=to_bytes(_get(d, "FB Memory Usage", "Total")),
        memory_used_bytes=to_bytes(_get(d, "FB Memory Usage", "Used")),
        memory_free_bytes=to_bytes(_get(d, "FB Memory Usage", "Free")),
        utilization_pct=v.percent(_get(d, "Utilization", "Gpu")),
        memory_utilization_pct=v.percent(_get(d, "Utilization", "Memory")),
        temperature_c=v.temperature_c(_get(d, "Temperature", "GPU Current Temp")),
        power_draw_w=v.watts(_get(d, "Power Readings", "Power Draw")),
        power_limit_w=v.watts(_get(d, "Power Readings", "Current Power Limit")),
        clock_mhz=v.mhz(_get(d, "Clocks", "Graphics")),
        pcie_generation=v.ascii_int(_get(d, "PCI", "GPU Link Info", "PCIe Generation", "Current"), (1, 16)),
    )
    width = _get(d, "PCI", "GPU Link Info", "Link Width")
    if isinstance(width, dict):
        g.link_width = _link(_get(width, "Current"))
        g.link_width_max = _link(_get(width, "Max"))
    return g


def _str(value: object) -> str | None:
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    if isinstance(value, float) and value != value:
        return None
    return v.clean(str(value), 256)


_IDENTITY = ("name", "bus_id", "uuid", "device_id", "memory_total_bytes", "mtbios_version")


def _has_data(g: GmiGpu) -> bool:
    return any(getattr(g, f) is not None for f in _IDENTITY) or any(
        getattr(g, f) is not None
        for f in (
            "temperature_c",
            "power_draw_w",
            "memory_used_bytes",
            "utilization_pct",
            "clock_mhz",
            "power_limit_w",
        )
    )


def _report_from_tree(tree: dict, layout: str) -> GmiReport:
    gpus_raw = _get(tree, "GPU")
    if isinstance(gpus_raw, dict):
        gpus_raw = [gpus_raw]
    if not isinstance(gpus_raw, list):
        gpus_raw = []
    report = GmiReport(driver_version=_str(_get(tree, "Driver Version")), layout=layout)
    gpus = [gpu_from_query(g, i) for i, g in enumerate(gpus_raw[: v.INDEX[1] + 1]) if isinstance(g, dict)]
    report.gpus = [g for g in gpus if _has_data(g)]  # an entry without one known field is no GPU
    return report


def parse_query_json(text: str) -> GmiReport:
    """``mthreads-gmi --query --json`` (also ``-q --json``)."""
    text = v.text(text, TOOL)
    start = text.find("{")
    if start < 0:
        raise ParseError(TOOL, v.with_first_line("no JSON in the output", text))
    tree, _end = v.json_raw_decode(text, start, TOOL)
    if not isinstance(tree, dict):
        raise ParseError(TOOL, "the JSON is not an object")
    report = _report_from_tree(tree, "query-json")
    if report.driver_version is None and not report.gpus:
        raise ParseError(TOOL, "the JSON has neither 'Driver Version' nor 'GPU'")
    return report


_TOP_KEYS = ("driver version", "timestamp", "attached gpus", "mthreads-gmi version")
_FLAT_SECTIONS = {
    "total": "FB Memory Usage",
    "used": "FB Memory Usage",
    "free": "FB Memory Usage",
    "gpu current temp": "Temperature",
    "power draw": "Power Readings",
    "current power limit": "Power Readings",
    "gpu": "Utilization",
    "graphics": "Clocks",
    "bus id": "PCI",
    "vendor id": "PCI",
    "device id": "PCI",
}
# keys the real -q output prints (the JSON tree's names); a flat grep keeps only these
_FLAT_KEYS = frozenset(_FLAT_SECTIONS) | {
    "product name",
    "index",
    "gpu uuid",
    "uuid",
    "mtbios version",
    "memory",
    "subsystem device id",
    "subsystem vendor id",
    "pcie generation",
    "link width",
    "max",
    "current",
}


def _kv(body: str) -> tuple[str, str | None] | None:
    """'Key : value' -> ('Key', 'value'); 'Key :' / 'Key:' -> ('Key', None); else None.

    The key is what precedes the first ':'; a value must be separated from it by whitespace
    (so '00000000:01:00.0' or 'http://x' are not key-value lines)."""
    key, sep, rest = body.partition(":")
    key = key.strip()
    if not sep or not key:
        return None
    if not rest.strip():
        return key, None
    if not rest[0].isspace():
        return None
    return key, rest.strip()


def _gpu_head(body: str) -> tuple[bool, str | None]:
    """'GPU 00000000:01:00.0' / 'GPU 0' / 'GPU' (a section without a value) -> (True, id)."""
    parts = body.split()
    if not parts or parts[0] not in ("GPU", "GPU:") or len(parts) > 3:
        return False, None
    if len(parts) == 1:
        return True, None
    if parts[0] != "GPU" or (len(parts) == 3 and parts[2] != ":"):
        return False, None
    return True, parts[1].rstrip(":") or None


def _flat_target(key: str, gpus: list[dict], flat_counts: dict[str, int]) -> dict | None:
    """Where a flat grep's ``key`` goes: GPU n (the n-th time the key appears), in its section;
    None past the most GPUs a machine has."""
    n = flat_counts.get(key, 0)
    if n > v.INDEX[1]:
        return None
    flat_counts[key] = n + 1
    while len(gpus) <= n:
        gpus.append({})
    sub = _FLAT_SECTIONS.get(key)
    return gpus[n].setdefault(sub, {}) if sub else gpus[n]


def _open_section(parent: dict, body: str) -> dict | None:
    """The section a header line opens in ``parent`` ("FB Memory Usage", "Temperature", "PCI",
    "Key :" with no value); None for a line that cannot be one."""
    name = body[:-1].strip() if body.endswith(":") else body
    if not name or len(name) > 60:
        return None
    section: dict = {}
    if name not in parent:
        if len(parent) < MAX_KEYS:
            parent[name] = section
    else:
        section = parent[name] if isinstance(parent[name], dict) else section
    return section


def parse_query_text(text: str) -> GmiReport:
    """``mthreads-gmi -q`` text: indented ``Key : value`` lines, sections without a value.

    No official capture of the full text was available (research §7); the shape below follows the
    JSON tree (same key names) and FlagPerf's ``grep``/``awk -F ': *'`` use of it. A flat
    ``grep`` of it (no sections) is read too: a repeated ``Product Name``/``Index`` starts a new GPU.
    Only keys the tool prints count in a flat grep, and it needs the ``Driver Version`` line or
    two different such keys: one stray ``Key: value`` line is not a GPU.
    """
    text = v.text(text, TOOL)
    top: dict = {}
    gpus: list = []
    stack: list[tuple[int, dict]] = [(-1, top)]
    flat = False
    flat_counts: dict[str, int] = {}
    seen_any = False
    for raw in v.lines(text):
        if not raw.strip() or set(raw.strip()) <= set("=-+|"):
            continue
        line = raw.replace("\t", "    ").rstrip()
        indent = len(line) - len(line.lstrip())
        body = line.strip()
        is_head, head_id = _gpu_head(body) if indent == 0 else (False, None)
        if is_head:
            if len(gpus) > v.INDEX[1]:
                raise ParseError(TOOL, "more GPU sections than any machine has")
            entry = {"_header": head_id or str(len(gpus))}
            gpus.append(entry)
            stack = [(-1, top), (0, entry)]
            seen_any = True
            continue
        while len(stack) > 1 and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        kv = _kv(body)
        if kv is not None and kv[1] is not None:
            key, value = kv
            seen_any = True
            target: dict | None = parent
            if (not gpus or flat) and parent is top and _key(key) not in _TOP_KEYS:
                # a flat grep of -q output (no GPU sections): the n-th time a key appears it
                # belongs to GPU n, whether the grep kept GPU order or grouped lines by key
                if _key(key) not in _FLAT_KEYS:
                    continue
                flat = True
                target = _flat_target(_key(key), gpus, flat_counts)
            if isinstance(target, dict) and len(target) < MAX_KEYS:
                target.setdefault(key, value)
            continue
        section = _open_section(parent, body) if len(stack) <= 16 else None
        if section is not None:
            stack.append((indent, section))
            seen_any = True
    if gpus:
        top["GPU"] = gpus
    report = _report_from_tree(top, "query-text")
    if flat and report.driver_version is None and len(flat_counts) < 2:
        report.gpus = []
    if not seen_any or (report.driver_version is None and not report.gpus):
        raise ParseError(
            TOOL, v.with_first_line("no 'Driver Version' or GPU entries in the query output", text)
        )
    return report


_VERSION_VALUE = re.compile(r"[0-9]{1,8}(?:\.[0-9]{1,8}){1,8}\S{0,32}")
_VERSION_IN_LINE = re.compile(r"\b([0-9]{1,8}\.[0-9]{1,8}\.[0-9]{1,8})\b")


def parse_version(text: str) -> str | None:
    """``mthreads-gmi -v``: 'name: version' (musa_report.sh splits it with awk -F:)."""
    text = v.text(text, TOOL)
    for line in v.lines(text):
        if ":" in line:
            value = line.split(":", 1)[1].strip()
            if _VERSION_VALUE.fullmatch(value):
                return value
        m = _VERSION_IN_LINE.search(line)
        if m:
            return m.group(1)
    return None


# ---- MUSA toolkit ----------------------------------------------------------------------------

_COMPONENT = re.compile(r"^\"?(?P<name>[A-Za-z_][\w.\-]{0,63})\"?[ \t]{0,16}:[ \t]{0,16}\{?$")
_PAIR = re.compile(r"\"(?P<k>[^\"]{1,128})\"[ \t]{0,16}:[ \t]{0,16}\"(?P<v>[^\"]{0,256})\"")


def parse_musa_components(text: str) -> dict:
    """``musa_version_query`` / ``version.json`` text -> {component: {key: value}}.

    Tolerant of the non-JSON ``component:`` + ``{...}`` sequence, of ``...`` truncation lines and of
    a grep excerpt of version.json. Raises ParseError when no component with a version is found.
    """
    text = v.text(text, "musa_version_query")
    stripped = text.strip()
    if stripped.startswith("{"):
        try:
            data = v.json_loads(stripped, "musa_version_query")
        except ParseError:
            data = None
        if isinstance(data, dict):
            found = {
                str(k): {
                    str(kk): str(vv)
                    for kk, vv in val.items()
                    if not isinstance(vv, (dict, list)) and vv is not None
                }
                for k, val in data.items()
                if isinstance(val, dict)
            }
            if any("version" in val for val in found.values()):
                return found
    out: dict = {}
    current: dict | None = None
    for line in v.lines(text):
        m = _COMPONENT.match(line.strip())
        if m and "version" not in m.group("name").lower():
            current = out.setdefault(m.group("name"), {})
            continue
        for pm in _PAIR.finditer(line):
            if current is not None:
                current.setdefault(pm.group("k"), pm.group("v"))
        if line.strip().startswith("}"):
            current = None
    out = {k: val for k, val in out.items() if val}
    if not any("version" in val for val in out.values()):
        raise ParseError("musa_version_query", "no component version found")
    return out


def musa_toolkit_version(components: dict) -> str | None:
    """The MUSA toolkit version ('musa_toolkits' is the authoritative key per the M1000 doc)."""
    for key in ("musa_toolkits", "musa_toolkit", "MUSA Toolkits"):
        version = (components.get(key) or {}).get("version")
        if version:
            return version
    return None


def build_archs(components: dict) -> list[str]:
    """'21,22,31' from the libraries' ``build archs`` -> ['mp_21', 'mp_22', 'mp_31'] (union, sorted)."""
    archs: set[str] = set()
    for comp in components.values():
        for a in (comp.get("build archs") or "").split(","):
            a = a.strip()
            if a.isascii() and a.isdigit() and len(a) <= 3:
                archs.add(f"mp_{a}")
    return sorted(archs)


_ERROR_LINE = re.compile(r"^\s*(?:Error|ERROR|Failed|FAILED|failed)\b[:\s]")


def error_line(text: str) -> str | None:
    """The error mthreads-gmi printed instead of a result, if any.

    gmi 2.3.2 writes its errors to stdout with exit codes 1, 4, 5 or 6 (research §1.3); Moore
    Threads' own musa-deploy checker expects ``Error: failed to load driver.`` (exit 8) and
    ``Error: No MT GPU device found.`` (exit 0) from ``mthreads-gmi -q``.
    """
    if not isinstance(text, str):
        return None
    for line in v.lines(text[: v.MAX_TEXT_CHARS]):
        if line.strip():
            return v.safe(line.strip(), 200) if _ERROR_LINE.match(line) else None
    return None
