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

from probes.errors import ParseError

TOOL = "nvidia-smi"

# The field list RigPilot queries (order matters: it is the column order of the answer).
QUERY_FIELDS = (
    "index", "pci.bus_id", "pci.device_id", "name", "uuid", "driver_version", "memory.total", "memory.used",
    "temperature.gpu", "utilization.gpu", "power.draw", "power.limit", "enforced.power.limit",
    "power.min_limit", "power.max_limit", "power.default_limit", "clocks.sm", "fan.speed",
    "compute_cap",
)
# Drivers before ~510 do not know ``compute_cap``; they answer 'Field "compute_cap" is not a valid
# field to query.' and we ask again without it.
QUERY_FIELDS_LEGACY = tuple(f for f in QUERY_FIELDS if f != "compute_cap")
# The live-telemetry subset (loop mode).
TELEMETRY_FIELDS = ("index", "pci.bus_id", "temperature.gpu", "memory.used", "memory.total",
                    "utilization.gpu", "power.draw", "enforced.power.limit", "clocks.sm", "fan.speed")

NA_VALUES = frozenset({"[n/a]", "n/a", "[not supported]", "not supported", "[unknown error]",
                       "unknown error", "[not available]", "not available", "[gpu is lost]",
                       "[insufficient permissions]", "[requested functionality has been deprecated]",
                       ""})

_INT_FIELDS = {"index", "memory.total", "memory.used", "memory.free", "memory.reserved",
               "pcie.link.width.current", "pcie.link.gen.current"}
_FLOAT_FIELDS = {"temperature.gpu", "temperature.memory", "utilization.gpu", "utilization.memory",
                 "power.draw", "power.draw.average", "power.draw.instant", "power.limit",
                 "enforced.power.limit", "power.min_limit", "power.max_limit", "power.default_limit",
                 "clocks.sm", "clocks.gr", "clocks.mem", "clocks.current.sm", "clocks.current.graphics",
                 "clocks.current.memory", "clocks.max.graphics", "clocks.max.sm", "fan.speed"}
_NUM_RE = re.compile(r"^[-+]?\d+(?:\.\d+)?$")
_CAP_RE = re.compile(r"^\d{1,2}\.\d{1,2}$")


def is_na(value: str) -> bool:
    return value.strip().lower() in NA_VALUES


def query_argv(exe: str, fields=QUERY_FIELDS, loop_ms: int | None = None) -> list[str]:
    """The exact argv of a query (``nvidia-smi --query-gpu=a,b --format=csv,noheader,nounits``)."""
    argv = [exe, "--query-gpu=" + ",".join(fields), "--format=csv,noheader,nounits"]
    if loop_ms is not None:
        argv += ["-lms", str(int(loop_ms))]
    return argv


def is_invalid_field_error(text: str) -> bool:
    """True when nvidia-smi refused a field name (old driver): 'Field "x" is not a valid field to query.'"""
    return "is not a valid field to query" in (text or "")


def _convert(field: str, raw: str, lineno: int):
    value = raw.strip()
    if is_na(value):
        return None
    # 'nounits' was forgotten or a driver prints units anyway: '83.92 W', '26 %', '5934 MiB'
    value_num = re.sub(r"\s*(?:%|W|MiB|MHz|C)$", "", value)
    if field in _INT_FIELDS:
        if not _NUM_RE.match(value_num):
            raise ParseError(TOOL, f"{field} is not a number: {value[:40]!r}", line=lineno)
        return int(float(value_num))
    if field in _FLOAT_FIELDS:
        if not _NUM_RE.match(value_num):
            raise ParseError(TOOL, f"{field} is not a number: {value[:40]!r}", line=lineno)
        return float(value_num)
    if field in ("pci.device_id", "pci.sub_device_id"):
        if not re.fullmatch(r"0[xX][0-9a-fA-F]{1,8}", value):
            raise ParseError(TOOL, f"{field} is not hex: {value[:40]!r}", line=lineno)
        return value
    if field == "compute_cap":
        if not _CAP_RE.match(value):
            raise ParseError(TOOL, f"compute_cap is not 'major.minor': {value[:40]!r}", line=lineno)
        return value
    return value


def _is_header(cells: list, fields: tuple) -> bool:
    names = [re.sub(r"\s*\[[^\]]*\]$", "", c.strip()) for c in cells]
    return len(names) == len(fields) and all(n == f for n, f in zip(names, fields, strict=False))


def parse_query_csv(text: str, fields=QUERY_FIELDS) -> list[dict]:
    """Every non-empty line -> {field: value}; numbers typed, sentinels None.

    Raises ParseError when a line has the wrong number of columns or a number is not a number
    (a banner or an error message instead of CSV).
    """
    fields = tuple(fields)
    rows: list[dict] = []
    for lineno, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        try:
            cells = next(csv.reader([line], skipinitialspace=True))
        except (csv.Error, StopIteration) as exc:
            raise ParseError(TOOL, f"not CSV: {exc}", line=lineno) from None
        if not rows and _is_header(cells, fields):
            continue   # '--format=csv' (with header) prints the field names first
        if len(cells) != len(fields):
            raise ParseError(TOOL, f"expected {len(fields)} columns, got {len(cells)}: {line[:80]!r}",
                             line=lineno)
        rows.append({f: _convert(f, c, lineno) for f, c in zip(fields, cells, strict=False)})
    return rows


def split_pci_device_id(value: str | None) -> tuple[str | None, str | None]:
    """nvidia-smi's pci.device_id '0x250410DE' (device << 16 | vendor) -> ('10de', '2504')."""
    if not value:
        return None, None
    n = int(value, 16)
    return f"{n & 0xFFFF:04x}", f"{(n >> 16) & 0xFFFF:04x}"


def mib_to_bytes(mib: int | float | None) -> int | None:
    return None if mib is None else int(mib) * 1024 * 1024


_HEADER_RE = re.compile(r"Driver Version:\s*(?P<driver>[0-9][0-9.]*|N/A)\s+CUDA Version:\s*(?P<cuda>[0-9.]+|N/A)")
_SMI_RE = re.compile(r"NVIDIA-SMI\s+(?P<smi>[0-9][0-9.]*)")


def parse_smi_header(text: str) -> dict:
    """The banner of plain ``nvidia-smi`` -> {smi_version, driver_version, max_cuda} (None where N/A)."""
    m = _HEADER_RE.search(text or "")
    if not m:
        raise ParseError(TOOL, "no 'Driver Version: ... CUDA Version: ...' banner")
    s = _SMI_RE.search(text or "")
    driver = None if m.group("driver") == "N/A" else m.group("driver")
    cuda = None if m.group("cuda") == "N/A" else m.group("cuda")
    if cuda is not None and not re.fullmatch(r"\d+\.\d+(?:\.\d+)?", cuda):
        raise ParseError(TOOL, f"odd CUDA version {cuda!r}")
    return {"smi_version": s.group("smi") if s else None, "driver_version": driver, "max_cuda": cuda}


_PROC_RE = re.compile(r"^NVRM version:\s*(?P<desc>.*?Kernel Module.*?)\s+(?P<ver>\d+\.\d+(?:\.\d+)?)(?:\s|$)",
                      re.MULTILINE)
_GCC_RE = re.compile(r"^GCC version:\s*(?P<gcc>.+)$", re.MULTILINE)


def parse_proc_version(text: str) -> dict:
    """``/proc/driver/nvidia/version`` -> {driver_version, open_module, gcc}."""
    m = _PROC_RE.search(text or "")
    if not m:
        raise ParseError("/proc/driver/nvidia/version", "no 'NVRM version: ... Kernel Module  X.Y' line")
    g = _GCC_RE.search(text or "")
    return {"driver_version": m.group("ver"), "open_module": "Open Kernel Module" in m.group("desc"),
            "gcc": g.group("gcc").strip() if g else None}


def parse_module_version(text: str) -> str:
    """``/sys/module/nvidia/version`` is the bare version ('550.54.14\\n')."""
    v = (text or "").strip()
    if not re.fullmatch(r"\d+\.\d+(?:\.\d+)?", v):
        raise ParseError("/sys/module/nvidia/version", f"not a version: {v[:40]!r}")
    return v


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
_DEVCOL_RE = re.compile(r"^(GPU\d+|NIC\d+|mlx\d+_\d+)$")
_SPLIT_RE = re.compile(r"\t| {2,}")


def link_kind(token: str) -> str:
    """'NV12' -> 'nvlink', 'PIX'/'PXB'/'PHB'/'NODE'/'SYS' -> 'pcie'."""
    return "nvlink" if token.startswith("NV") else "pcie"


def parse_topo_matrix(text: str) -> dict:
    """``nvidia-smi topo -m`` -> {"gpus": [0, 1], "links": [{"a", "b", "type", "kind"}],
    "affinity": {gpu: {"cpu": str|None, "numa": str|None}}}.

    Links are listed once per unordered GPU pair (the matrix is symmetric). NIC columns are skipped.
    """
    lines = [ln for ln in (text or "").splitlines()]
    header_i = None
    for i, ln in enumerate(lines):
        cells = [c.strip() for c in _SPLIT_RE.split(ln) if c.strip()]
        if cells and cells[0] == "GPU0" and not ln.startswith("GPU0"):
            header_i = i
            header = cells
            break
        if "GPU0" in cells and "CPU Affinity" in cells:
            header_i = i
            header = cells
            break
    if header_i is None:
        raise ParseError(f"{TOOL} topo -m", "no matrix header with GPU0")
    dev_cols = []
    for c in header:
        if _DEVCOL_RE.match(c):
            dev_cols.append(c)
        else:
            break
    tail_cols = header[len(dev_cols):]
    if not dev_cols:
        raise ParseError(f"{TOOL} topo -m", "no device columns", line=header_i + 1)
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
        links = rest[:len(dev_cols)]
        if len(links) != len(dev_cols) or any(not _LINK_RE.match(x) for x in links):
            raise ParseError(f"{TOOL} topo -m", f"bad link cells in {ln[:60]!r}", line=j + 1)
        extra = [c for c in rest[len(dev_cols):] if c != ""]
        if name.startswith("GPU"):
            matrix[name] = links
            info = {}
            for col, val in zip(tail_cols, extra, strict=False):
                key = {"CPU Affinity": "cpu", "NUMA Affinity": "numa", "GPU NUMA ID": "gpu_numa"}.get(col)
                if key:
                    info[key] = None if is_na(val) else val
            affinity[int(name[3:])] = info
    gpu_cols = [c for c in dev_cols if c.startswith("GPU")]
    if not matrix:
        raise ParseError(f"{TOOL} topo -m", "no GPU rows")
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


def _vtuple(v: str) -> tuple:
    return tuple(int(x) for x in re.findall(r"\d+", v))


def max_cuda_for_driver(driver_version: str | None, platform: str = "linux") -> str | None:
    """The newest CUDA whose toolkit driver is <= ``driver_version`` (a lower bound), or None."""
    if not driver_version or not re.match(r"^\d+\.\d+", driver_version):
        return None
    have = _vtuple(driver_version)
    for cuda, linux, windows in CUDA_DRIVER_TABLE:
        floor = windows if platform == "windows" else linux
        if floor and have >= _vtuple(floor):
            return cuda
    return None
