"""Pure parsers for NVIDIA's text outputs. str -> data; only ``ParseError`` may escape.

* ``parse_query_csv``: ``nvidia-smi --query-gpu=<FIELDS> --format=csv,noheader,nounits`` (every
  line is one GPU, or one sample in loop mode ``-lms``). ``[N/A]``, ``[Not Supported]``,
  ``[Unknown Error]`` and bare ``N/A`` become None (captures in tests/data/nvidia-smi/query/: the
  ``[Not Supported]`` -> ``[N/A]`` spelling change across drivers, laptops and fanless boards).
* ``parse_smi_header``: the banner of plain ``nvidia-smi`` (``Driver Version: 550.54.14  CUDA
  Version: 12.4``; ``CUDA Version: N/A`` on old drivers, §9.2).
* ``parse_proc_version``: ``/proc/driver/nvidia/version`` (``NVRM version: NVIDIA UNIX x86_64
  Kernel Module  550.54.14  ...`` or ``... Open Kernel Module for x86_64  575.57.08 ...``).
* ``parse_topo_matrix``: ``nvidia-smi topo -m`` (GPU-to-GPU link types: X, NV#, PIX, PXB, PHB,
  NODE, SYS, and SOC on old drivers).
* ``max_cuda_for_driver``: lower bound of the CUDA version a driver supports, from NVIDIA's
  "CUDA Toolkit and Corresponding Driver Versions" table (NVIDIA CUDA Toolkit Release Notes).
"""

from __future__ import annotations

import csv
import re

from probes.core import values as v
from probes.core.errors import ParseError

TOOL = "nvidia-smi"

# The field list RigPilot queries (order matters: it is the column order of the answer).
QUERY_FIELDS: tuple[str, ...] = (
    "index",
    "pci.bus_id",
    "pci.device_id",
    "name",
    "uuid",
    "driver_version",
    "memory.total",
    "memory.used",
    "temperature.gpu",
    "utilization.gpu",
    "power.draw",
    "power.limit",
    "enforced.power.limit",
    "power.min_limit",
    "power.max_limit",
    "power.default_limit",
    "clocks.sm",
    "fan.speed",
    "compute_cap",
)
# Drivers before ~510 do not know ``compute_cap``; they answer 'Field "compute_cap" is not a valid
# field to query.' and we ask again without it.
QUERY_FIELDS_LEGACY = tuple(f for f in QUERY_FIELDS if f != "compute_cap")
# The live-telemetry subset (loop mode).
TELEMETRY_FIELDS = (
    "index",
    "pci.bus_id",
    "temperature.gpu",
    "memory.used",
    "memory.total",
    "utilization.gpu",
    "power.draw",
    "enforced.power.limit",
    "clocks.sm",
    "fan.speed",
)

NA_VALUES = v.NA_MARKERS

_INT_FIELDS = {
    "index": v.INDEX,
    "memory.total": v.MEMORY_MIB,
    "memory.used": v.MEMORY_MIB,
    "memory.free": v.MEMORY_MIB,
    "memory.reserved": v.MEMORY_MIB,
    "pcie.link.width.current": v.LINK_WIDTH,
    "pcie.link.gen.current": (0, 16),
}
_FLOAT_FIELDS = {
    "temperature.gpu": v.TEMPERATURE_C,
    "temperature.memory": v.TEMPERATURE_C,
    "utilization.gpu": v.PERCENT,
    "utilization.memory": v.PERCENT,
    "power.draw": v.POWER_W,
    "power.draw.average": v.POWER_W,
    "power.draw.instant": v.POWER_W,
    "power.limit": v.POWER_W,
    "enforced.power.limit": v.POWER_W,
    "power.min_limit": v.POWER_W,
    "power.max_limit": v.POWER_W,
    "power.default_limit": v.POWER_W,
    "clocks.sm": v.CLOCK_MHZ,
    "clocks.gr": v.CLOCK_MHZ,
    "clocks.mem": v.CLOCK_MHZ,
    "clocks.current.sm": v.CLOCK_MHZ,
    "clocks.current.graphics": v.CLOCK_MHZ,
    "clocks.current.memory": v.CLOCK_MHZ,
    "clocks.max.graphics": v.CLOCK_MHZ,
    "clocks.max.sm": v.CLOCK_MHZ,
    "fan.speed": v.PERCENT,
}
_UNITS = ("%", "W", "MiB", "MHz", "C")
_CAP_RE = re.compile(r"^[0-9]{1,2}\.[0-9]{1,2}$")
_HEX_ID_RE = re.compile(r"0[xX][0-9a-fA-F]{1,8}")
MAX_COLUMNS = 256


def is_na(value: str) -> bool:
    return v.is_na(value)


def query_argv(exe: str, fields: tuple[str, ...] = QUERY_FIELDS, loop_ms: int | None = None) -> list[str]:
    """The exact argv of a query (``nvidia-smi --query-gpu=a,b --format=csv,noheader,nounits``)."""
    argv = [exe, "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"]
    if loop_ms is not None:
        argv += ["-lms", str(int(loop_ms))]
    return argv


def is_invalid_field_error(text: str) -> bool:
    """True when nvidia-smi refused a field name (old driver): 'Field "x" is not a valid field to query.'"""
    return "is not a valid field to query" in (text or "")


def _convert(field: str, raw: str, lineno: int) -> str | int | float | None:
    value = raw.strip()
    if is_na(value):
        return None
    if field in _INT_FIELDS or field in _FLOAT_FIELDS:
        # 'nounits' was forgotten or a driver prints units anyway: '83.92 W', '26 %', '5934 MiB'
        number = v.number(value, _UNITS)
        if number is None:
            raise ParseError(TOOL, f"{field} is not a number in range: {v.safe(value, 40)!r}", line=lineno)
        bounds: tuple[float, float]
        if field in _INT_FIELDS:
            number = int(number)
            bounds = _INT_FIELDS[field]
        else:
            bounds = _FLOAT_FIELDS[field]
        if not bounds[0] <= number <= bounds[1]:
            raise ParseError(TOOL, f"{field} is out of range: {v.safe(value, 40)!r}", line=lineno)
        return number
    if field in ("pci.device_id", "pci.sub_device_id"):
        if not _HEX_ID_RE.fullmatch(value):
            raise ParseError(TOOL, f"{field} is not hex: {v.safe(value, 40)!r}", line=lineno)
        return value
    if field == "compute_cap":
        if not _CAP_RE.match(value):
            raise ParseError(TOOL, f"compute_cap is not 'major.minor': {v.safe(value, 40)!r}", line=lineno)
        return value
    if field == "pci.bus_id" and v.normalize_bus_id(value) is None:
        raise ParseError(TOOL, f"pci.bus_id is not a PCI address: {v.safe(value, 40)!r}", line=lineno)
    return value[:256]


def _header_name(cell: str) -> str:
    """'memory.total [MiB]' -> 'memory.total' (the unit suffix of '--format=csv')."""
    c = cell.strip()
    if c.endswith("]"):
        i = c.rfind("[")
        if i >= 0 and "]" not in c[i:-1]:
            return c[:i].rstrip()
    return c


def _is_header(cells: list, fields: tuple) -> bool:
    return len(cells) == len(fields) and all(
        _header_name(c) == f for c, f in zip(cells, fields, strict=False)
    )


def parse_query_csv(text: str, fields: tuple[str, ...] = QUERY_FIELDS) -> list[dict]:
    """Every non-empty line -> {field: value}; numbers typed and in range, sentinels None.

    Raises ParseError when a line has the wrong number of columns or a number is not a number
    (a banner or an error message instead of CSV), or when there is no line at all (a tool
    that answers nothing has not answered).
    """
    fields = tuple(fields)
    text = v.text(text, TOOL)
    rows: list[dict] = []
    for lineno, line in enumerate(v.lines(text), 1):
        if not line.strip():
            continue
        if line.count(",") >= MAX_COLUMNS:
            raise ParseError(TOOL, f"expected {len(fields)} columns: {v.safe(line, 80)!r}", line=lineno)
        try:
            cells = next(csv.reader([line], skipinitialspace=True))
        except (csv.Error, StopIteration) as exc:
            raise ParseError(TOOL, f"not CSV: {v.safe(exc, 80)}", line=lineno) from None
        if not rows and _is_header(cells, fields):
            continue  # '--format=csv' (with header) prints the field names first
        if len(cells) != len(fields):
            raise ParseError(
                TOOL, f"expected {len(fields)} columns, got {len(cells)}: {v.safe(line, 80)!r}", line=lineno
            )
        rows.append({f: _convert(f, c, lineno) for f, c in zip(fields, cells, strict=False)})
    if not rows:
        raise ParseError(TOOL, "no output (exit code 0 but not one GPU line)")
    return rows


def split_pci_device_id(value: str | None) -> tuple[str | None, str | None]:
    """nvidia-smi's pci.device_id '0x250410DE' (device << 16 | vendor) -> ('10de', '2504')."""
    if not value:
        return None, None
    n = int(value, 16)
    return f"{n & 0xFFFF:04x}", f"{(n >> 16) & 0xFFFF:04x}"


def mib_to_bytes(mib: int | float | None) -> int | None:
    return None if mib is None else int(mib) * 1024 * 1024


_HEADER_RE = re.compile(
    r"Driver Version:[ \t]{0,32}(?P<driver>[0-9][0-9.]{0,31}|N/A)[ \t]{1,64}"
    r"CUDA Version:[ \t]{0,32}(?P<cuda>[0-9.]{1,32}|N/A)"
)
_SMI_RE = re.compile(r"NVIDIA-SMI[ \t]{1,64}(?P<smi>[0-9][0-9.]{0,31})")
_VERSION_RE = re.compile(r"[0-9]{1,5}\.[0-9]{1,5}(?:\.[0-9]{1,5})?")


def parse_smi_header(text: str) -> dict:
    """The banner of plain ``nvidia-smi`` -> {smi_version, driver_version, max_cuda} (None where N/A)."""
    text = v.text(text, TOOL)
    m = s = None
    for line in v.lines(text):
        m = m or _HEADER_RE.search(line)
        s = s or _SMI_RE.search(line)
        if m and s:
            break
    if not m:
        raise ParseError(TOOL, v.with_first_line("no 'Driver Version: ... CUDA Version: ...' banner", text))
    driver = None if m.group("driver") == "N/A" else m.group("driver")
    cuda = None if m.group("cuda") == "N/A" else m.group("cuda")
    if cuda is not None and not re.fullmatch(r"[0-9]{1,3}\.[0-9]{1,3}(?:\.[0-9]{1,3})?", cuda):
        raise ParseError(TOOL, f"odd CUDA version {v.safe(cuda, 40)!r}")
    return {"smi_version": s.group("smi") if s else None, "driver_version": driver, "max_cuda": cuda}


def parse_proc_version(text: str) -> dict:
    """``/proc/driver/nvidia/version`` -> {driver_version, open_module, gcc}.

    ``NVRM version: <description> Kernel Module <description>  <version>  <date>``: the version is
    the first ``X.Y[.Z]`` word after ``Kernel Module``."""
    tool = "/proc/driver/nvidia/version"
    text = v.text(text, tool)
    version = gcc = None
    open_module = False
    for line in v.lines(text):
        if version is None and line.startswith("NVRM version:"):
            at = line.find("Kernel Module")
            if at >= 0:
                for word in line[at + len("Kernel Module") :].split():
                    if _VERSION_RE.fullmatch(word):
                        version = word
                        open_module = "Open Kernel Module" in line[: at + len("Kernel Module")]
                        break
        elif gcc is None and line.startswith("GCC version:"):
            gcc = line[len("GCC version:") :].strip()[:200] or None
    if version is None:
        raise ParseError(tool, "no 'NVRM version: ... Kernel Module  X.Y' line")
    return {"driver_version": version, "open_module": open_module, "gcc": gcc}


def parse_module_version(text: str) -> str:
    """``/sys/module/nvidia/version`` is the bare version ('550.54.14\\n')."""
    value = (text or "").strip() if isinstance(text, str) and len(text) < 256 else ""
    if not _VERSION_RE.fullmatch(value):
        raise ParseError("/sys/module/nvidia/version", f"not a version: {v.safe(value, 40)!r}")
    return value


# ---- topo -m -------------------------------------------------------------------------------
LINK_TYPES = {
    "X": "self",
    "SYS": "PCIe plus the SMP interconnect between NUMA nodes (QPI/UPI)",
    "NODE": "PCIe plus the interconnect between PCIe host bridges within a NUMA node",
    "PHB": "PCIe plus a PCIe host bridge (typically the CPU)",
    "PXB": "multiple PCIe bridges, without the PCIe host bridge",
    "PIX": "at most a single PCIe bridge",
    "SOC": "PCIe plus the SMP interconnect (older drivers' name for SYS)",
    "NV#": "a bonded set of # NVLinks",
}
_LINK_RE = re.compile(r"^(X|SYS|NODE|PHB|PXB|PIX|SOC|NV\d{1,3})$")
_DEVCOL_RE = re.compile(r"^(GPU[0-9]{1,4}|NIC[0-9]{1,4}|mlx[0-9]{1,4}_[0-9]{1,4})$")
_SPLIT_RE = re.compile(r"\t| {2,}")


def link_kind(token: str) -> str:
    """'NV12' -> 'nvlink', 'PIX'/'PXB'/'PHB'/'NODE'/'SYS' -> 'pcie'."""
    return "nvlink" if token.startswith("NV") else "pcie"


def _topo_header(lines: list[str]) -> tuple[int, list[str]]:
    """(line index, cells) of the matrix header, the line naming GPU0."""
    for i, ln in enumerate(lines):
        cells = [c.strip() for c in _SPLIT_RE.split(ln) if c.strip()]
        if cells and cells[0] == "GPU0" and not ln.startswith("GPU0"):
            return i, cells
        if "GPU0" in cells and "CPU Affinity" in cells:
            return i, cells
    raise ParseError(f"{TOOL} topo -m", "no matrix header with GPU0")


def _topo_affinity(tail_cols: list[str], extra: list[str]) -> dict:
    info = {}
    for col, val in zip(tail_cols, extra, strict=False):
        key = {"CPU Affinity": "cpu", "NUMA Affinity": "numa", "GPU NUMA ID": "gpu_numa"}.get(col)
        if key:
            info[key] = None if is_na(val) else val
    return info


def _topo_rows(
    lines: list[str], header_i: int, dev_cols: list[str], tail_cols: list[str]
) -> tuple[dict[str, list[str]], dict[int, dict]]:
    """The GPU rows under the header: (GPU name -> link tokens, GPU index -> affinity)."""
    matrix: dict[str, list[str]] = {}
    affinity: dict[int, dict] = {}
    for j in range(header_i + 1, len(lines)):
        ln = lines[j]
        if not ln.strip():
            if matrix:
                break
            continue
        if ln.strip().startswith("Legend"):
            break
        cells = [c.strip() for c in _SPLIT_RE.split(ln)]
        name = cells[0]
        if not _DEVCOL_RE.match(name):
            raise ParseError(f"{TOOL} topo -m", f"unexpected row {ln[:60]!r}", line=j + 1)
        rest = [c for c in cells[1:] if c != ""] if "\t" not in ln else cells[1:]
        links = rest[: len(dev_cols)]
        if len(links) != len(dev_cols) or any(not _LINK_RE.match(x) for x in links):
            raise ParseError(f"{TOOL} topo -m", f"bad link cells in {ln[:60]!r}", line=j + 1)
        extra = [c for c in rest[len(dev_cols) :] if c != ""]
        if name.startswith("GPU"):
            matrix[name] = links
            affinity[int(name[3:])] = _topo_affinity(tail_cols, extra)
    return matrix, affinity


def _topo_links(matrix: dict[str, list[str]], dev_cols: list[str]) -> list[dict]:
    """One link per unordered GPU pair (the upper triangle); the diagonal must be X."""
    links_out = []
    for a_name, row in matrix.items():
        a = int(a_name[3:])
        for col, token in zip(dev_cols, row, strict=False):
            if not col.startswith("GPU"):
                continue
            b = int(col[3:])
            if b <= a:
                if b == a and token != "X":
                    raise ParseError(f"{TOOL} topo -m", f"{a_name} is not X with itself")
                continue
            links_out.append({"a": a, "b": b, "type": token, "kind": link_kind(token)})
    return links_out


def parse_topo_matrix(text: str) -> dict:
    """``nvidia-smi topo -m`` -> {"gpus": [0, 1], "links": [{"a", "b", "type", "kind"}],
    "affinity": {gpu: {"cpu": str|None, "numa": str|None}}}.

    Links are listed once per unordered GPU pair (the matrix is symmetric). NIC columns are skipped.
    """
    text = v.text(text, f"{TOOL} topo -m")
    lines = v.lines(text)
    header_i, header = _topo_header(lines)
    dev_cols = []
    for c in header:
        if _DEVCOL_RE.match(c):
            dev_cols.append(c)
        else:
            break
    tail_cols = header[len(dev_cols) :]
    if not dev_cols:
        raise ParseError(f"{TOOL} topo -m", "no device columns", line=header_i + 1)
    matrix, affinity = _topo_rows(lines, header_i, dev_cols, tail_cols)
    gpu_cols = [c for c in dev_cols if c.startswith("GPU")]
    if not matrix:
        raise ParseError(f"{TOOL} topo -m", "no GPU rows")
    links_out = _topo_links(matrix, dev_cols)
    return {"gpus": sorted(int(c[3:]) for c in gpu_cols), "links": links_out, "affinity": affinity}


# ---- driver -> max CUDA (lower bound) ------------------------------------------------------
# NVIDIA CUDA Toolkit Release Notes, Table 3 "CUDA Toolkit and Corresponding Driver Versions"
# (docs.nvidia.com/cuda/cuda-toolkit-release-notes/): the driver bundled with each toolkit. A driver at
# or above the Linux/Windows value supports at least that CUDA version. The windows column has no 13.x rows.
CUDA_DRIVER_TABLE = (
    ("13.2", "595.45.04", None),
    ("13.1", "590.44.01", None),
    ("13.0", "580.65.06", None),
    ("12.9", "575.51.03", "576.02"),
    ("12.8", "570.26", "570.65"),
    ("12.6", "560.28.03", "560.76"),
    ("12.4", "550.54.14", "551.61"),
    ("12.1", "530.30.02", "531.14"),
    ("11.8", "520.61.05", "520.06"),
)


def _vtuple(version: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"[0-9]{1,9}", version))


def max_cuda_for_driver(driver_version: str | None, platform: str | None = "linux") -> str | None:
    """The newest CUDA whose toolkit driver is <= ``driver_version`` (a lower bound), or None."""
    if not isinstance(driver_version, str):
        return None
    m = re.match(r"[0-9]{1,5}(?:\.[0-9]{1,5}){1,3}", driver_version.strip())
    if not m:
        return None
    have = _vtuple(m.group(0))
    for cuda, linux, windows in CUDA_DRIVER_TABLE:
        floor = windows if platform == "windows" else linux
        if floor and have >= _vtuple(floor):
            return cuda
    return None
