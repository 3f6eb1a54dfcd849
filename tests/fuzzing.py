"""Hostile inputs for every parser: the registry of parse functions, their real captures as seeds,
and generators of hostile text (huge and negative numbers, Unicode digits, deep JSON, 100k-character
lines, NUL bytes, GBK/UTF-16 text, CRLF, truncation).

Shared by the property tests (tests/detect/parsers/test_hostile_inputs.py, quick) and the benchmark
(bench/fuzz_parsers.py, >= 10,000 inputs per parser). Plain ``random.Random`` generators so both can
drive them: hypothesis draws the seed in the tests, the benchmark counts up.
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from probes.core.errors import ParseError
from probes.core.host import decode_output
from probes.detect.parsers import (
    amd_smi,
    amdgpu_sysfs,
    domestic_smi,
    hostinfo,
    lspci,
    macos_sp,
    mthreads_gmi,
    nvidia_smi,
    rocm_smi,
    rocminfo,
    runtime_json,
    windows_cim,
    windows_counters,
    xpu_smi,
)

DATA = Path(__file__).resolve().parent / "data"
CORPUS = DATA / "fuzz-corpus"
TIME_BOUND_S = 1.0  # per input, generous for a shared 2-core machine; real runs take ms

# ---- seeds that have no capture folder (hostinfo, runtime line) --------------------------------
HOST_SEEDS = {
    "os-release": 'NAME="Ubuntu"\nVERSION_ID="22.04"\nPRETTY_NAME="Ubuntu 22.04.4 LTS"\nID=ubuntu\n',
    "cpuinfo": "processor\t: 0\nmodel name\t: AMD Ryzen 9 7950X 16-Core Processor\nprocessor\t: 1\n"
    "model name\t: AMD Ryzen 9 7950X 16-Core Processor\n",
    "meminfo": "MemTotal:       32790284 kB\nMemFree:         1234567 kB\n",
    "sw_vers": "ProductName:\tmacOS\nProductVersion:\t14.4.1\nBuildVersion:\t23E224\n",
    "cmd-ver": "\r\nMicrosoft Windows [Version 10.0.19045.3570]\r\n",
    "cmd-ver-zh": "\r\nMicrosoft Windows [版本 10.0.22631.4317]\r\n",
    "py-0p": " -V:3.12 *        C:\\Python312\\python.exe\n -V:3.11          C:\\Python311\\python.exe\n",
    "py-0p-old": "Installed Pythons found by py Launcher for Windows\n"
    " -3.9-64        C:\\Python39\\python.exe *\n",
    "py-id": '{"version": "3.11.7", "executable": "/usr/bin/python3", "real": "/usr/bin/python3.11", '
    '"bits": 64, "implementation": "CPython"}\n',
    "windows-host": '{"os":{"Caption":"Microsoft Windows 11 Pro","Version":"10.0.22631",'
    '"BuildNumber":"22631",'
    '"OSArchitecture":"64-bit","TotalVisibleMemorySize":33401164},'
    '"cpu":[{"Name":"AMD Ryzen 7 5800X","NumberOfLogicalProcessors":16}],'
    '"cs":{"TotalPhysicalMemory":34202791936}}',
    "runtime": 'RIGPILOT_RUNTIME {"python_version": "3.11.7", "torch": "2.5.0+cu124", "cuda": "12.4", '
    '"apis": {"cuda": true}, "devices": [{"api": "cuda", "index": 0, "name": "RTX 3060", '
    '"capability": "8.6", "memory_total_bytes": 12884901888}], "arch_list": ["sm_86"]}\n',
    "pnp": "PCI\\VEN_1ED5&DEV_0201&SUBSYS_00011ED5&REV_01\\4&2a6f3f0e&0&0008",
    "location": "PCI bus 1, device 0, function 0",
    "driver-date": "/Date(1700000000000)/",
    "winver": "31.0.15.3667",
    "dpm": "0: 500Mhz\n1: 2482Mhz *\n2: 2526Mhz\n",
    "uevent": "DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n",
    "sysfs-int": "25753026560\n",
    "gmi-version": "mthreads-gmi version: 2.0.0\n",
    "gmi-error": "Error: failed to load driver.\n",
    "macos-size": "Dynamic, Max: 48 GB",
    "module-version": "550.54.14\n",
    "driver-version": "550.54.14",
}


def _files(*folders: str, suffixes: tuple = ()) -> list[Path]:
    out = []
    for folder in folders:
        for p in sorted((DATA / folder).iterdir()):
            if p.is_dir() or p.name.endswith((".expected.json", ".md")):
                continue
            if suffixes and not p.name.endswith(suffixes):
                continue
            out.append(p)
    return out


def _query_csv(path: Path):
    exp = Path(str(path.with_suffix("")) + ".expected.json")
    fields = json.loads(exp.read_text(encoding="utf-8")).get("fields") if exp.exists() else None
    fields = tuple(fields or nvidia_smi.QUERY_FIELDS)
    return lambda text: nvidia_smi.parse_query_csv(text, fields)


@dataclass
class Target:
    """One public parse function, its seeds, and what 'it accepted the input' means."""

    name: str
    parse: object
    seeds: list = field(default_factory=list)  # [(text, parse-for-this-seed or None)]
    strict: bool = True  # False: a one-value helper ('7', '4 GB'), where a random valid value is valid

    def parser_for(self, i: int):
        if self.seeds and self.seeds[i % len(self.seeds)][1] is not None:
            return self.seeds[i % len(self.seeds)][1]
        return self.parse


def _seeds(paths, per_seed=None) -> list:
    return [(decode_output(p.read_bytes()), per_seed(p) if per_seed else None) for p in paths]


def _host(*keys) -> list:
    return [(HOST_SEEDS[k], None) for k in keys]


def targets() -> list[Target]:
    gmi_tables = _files("mthreads-gmi", suffixes=(".txt",))
    gmi_q = _files("mthreads-gmi", suffixes=(".qtxt",))
    gmi_json = _files("mthreads-gmi", suffixes=(".json",))
    return [
        Target("mthreads_gmi.parse_table", mthreads_gmi.parse_table, _seeds(gmi_tables)),
        Target("mthreads_gmi.parse_query_text", mthreads_gmi.parse_query_text, _seeds(gmi_q)),
        Target("mthreads_gmi.parse_query_json", mthreads_gmi.parse_query_json, _seeds(gmi_json)),
        Target(
            "mthreads_gmi.parse_musa_components", mthreads_gmi.parse_musa_components, _seeds(_files("musa"))
        ),
        Target("mthreads_gmi.parse_version", mthreads_gmi.parse_version, _host("gmi-version"), strict=False),
        Target("mthreads_gmi.error_line", mthreads_gmi.error_line, _host("gmi-error"), strict=False),
        Target(
            "nvidia_smi.parse_query_csv",
            nvidia_smi.parse_query_csv,
            _seeds(_files("nvidia-smi/query"), _query_csv),
        ),
        Target(
            "nvidia_smi.parse_smi_header",
            nvidia_smi.parse_smi_header,
            _seeds(_files("nvidia-smi/banner", "nvidia-smi-windows")),
        ),
        Target(
            "nvidia_smi.parse_topo_matrix", nvidia_smi.parse_topo_matrix, _seeds(_files("nvidia-smi/topo"))
        ),
        Target("nvidia_smi.parse_proc_version", nvidia_smi.parse_proc_version, _seeds(_files("nvidia-proc"))),
        Target("nvidia_smi.parse_module_version", nvidia_smi.parse_module_version, _host("module-version")),
        Target(
            "nvidia_smi.max_cuda_for_driver",
            nvidia_smi.max_cuda_for_driver,
            _host("driver-version"),
            strict=False,
        ),
        Target("amd_smi.parse_static", amd_smi.parse_static, _seeds(_files("amd-smi-static"))),
        Target("amd_smi.parse_metric", amd_smi.parse_metric, _seeds(_files("amd-smi-metric"))),
        Target("rocm_smi.parse", rocm_smi.parse, _seeds(_files("rocm-smi"))),
        Target("rocminfo.parse", rocminfo.parse, _seeds(_files("rocminfo"))),
        Target("xpu_smi.parse_discovery", xpu_smi.parse_discovery, _seeds(_files("xpu-smi"))),
        Target("xpu_smi.parse_dump", xpu_smi.parse_dump, _seeds(_files("xpu-smi-dump"))),
        Target("domestic_smi.parse_ixsmi", domestic_smi.parse_ixsmi, _seeds(_files("ixsmi"))),
        Target("domestic_smi.parse_mxsmi", domestic_smi.parse_mxsmi, _seeds(_files("mx-smi"))),
        Target("domestic_smi.parse_hysmi", domestic_smi.parse_hysmi, _seeds(_files("hy-smi"))),
        Target("lspci.parse_lspci", lspci.parse_lspci, _seeds(_files("lspci"))),
        Target("macos_sp.parse_sp_displays", macos_sp.parse_sp_displays, _seeds(_files("macos-sp"))),
        Target("macos_sp.parse_size", macos_sp.parse_size, _host("macos-size"), strict=False),
        Target("hostinfo.parse_os_release", hostinfo.parse_os_release, _host("os-release")),
        Target("hostinfo.parse_cpuinfo", hostinfo.parse_cpuinfo, _host("cpuinfo")),
        Target("hostinfo.parse_meminfo", hostinfo.parse_meminfo, _host("meminfo")),
        Target("hostinfo.parse_sw_vers", hostinfo.parse_sw_vers, _host("sw_vers")),
        Target("hostinfo.parse_cmd_ver", hostinfo.parse_cmd_ver, _host("cmd-ver", "cmd-ver-zh")),
        Target("hostinfo.parse_py_launcher", hostinfo.parse_py_launcher, _host("py-0p", "py-0p-old")),
        Target("hostinfo.parse_py_id", hostinfo.parse_py_id, _host("py-id")),
        Target("hostinfo.parse_windows_host", hostinfo.parse_windows_host, _host("windows-host")),
        Target("windows_cim.parse_cim", windows_cim.parse_cim, _seeds(_files("windows-cim"))),
        Target("windows_cim.parse_pnp_id", windows_cim.parse_pnp_id, _host("pnp"), strict=False),
        Target("windows_cim.parse_location", windows_cim.parse_location, _host("location"), strict=False),
        Target(
            "windows_cim.parse_driver_date", windows_cim.parse_driver_date, _host("driver-date"), strict=False
        ),
        Target(
            "windows_cim.nvidia_version_from_windows",
            windows_cim.nvidia_version_from_windows,
            _host("winver"),
            strict=False,
        ),
        Target(
            "windows_counters.parse_counters",
            windows_counters.parse_counters,
            _seeds(_files("windows-counters")),
        ),
        Target(
            "runtime_json.parse_runtime", lambda t: runtime_json.parse_runtime(t, "python"), _host("runtime")
        ),
        Target("amdgpu_sysfs.parse_int", amdgpu_sysfs.parse_int, _host("sysfs-int"), strict=False),
        Target("amdgpu_sysfs.current_dpm_mhz", amdgpu_sysfs.current_dpm_mhz, _host("dpm"), strict=False),
        Target("amdgpu_sysfs.parse_uevent", amdgpu_sysfs.parse_uevent, _host("uevent"), strict=False),
        Target(
            "amdgpu_sysfs.parse_kfd_properties",
            lambda t: amdgpu_sysfs.parse_kfd_properties(t, strict=True),
            _seeds(_files("kfd")),
        ),
    ]


# ---- hostile text ---------------------------------------------------------------------------
UNICODE_DIGITS = "²³¹①②⑩٣٤۵߁०१২௩๓໕༣၅០᠑０９𝟘𝟙"
HUGE = [
    "9" * 400,
    "1" * 5000,
    "-" + "9" * 400,
    "1e400",
    "-1e400",
    "1" * 309 + ".5",
    "NaN",
    "Infinity",
    "-0",
    "-1",
    "-273.15",
    "4294967296",
    "18446744073709551616",
    "0x" + "f" * 40,
    "99999999999999999999",
]
LONG_CHARS = [" ", "9", "[", ":", "|", "a", "-", "\t", "0.", "x ", ", ", "*", "GPU", "MiB(", "(prog-if "]
_NUM = re.compile(r"(?<![0-9])[0-9]{1,12}(?:\.[0-9]{1,6})?(?![0-9])")


_POOL = (
    [chr(c) for c in range(32, 127)] * 4
    + [chr(c) for c in range(32)]
    + [chr(c) for c in range(0x80, 0x3000, 37)]
    + list(UNICODE_DIGITS) * 4
)
_ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .:-_|[](){}%/\t\n\r,\"'*"


def random_text(rng: random.Random) -> str:
    """Random bytes decoded like tool output, or random Unicode, or random ASCII lines."""
    kind = rng.randrange(4)
    n = rng.choice((0, 1, 5, 40, 400, 4000))
    if kind == 0:
        return decode_output(rng.randbytes(n))
    if kind == 1:
        return "".join(rng.choices(_POOL, k=n))
    if kind == 2:
        return "".join(rng.choices(_ASCII, k=n))
    return rng.choice(["", " ", "\n", "\r\n\r\n", "\t \t", "\x00", "\ufeff", " \n \n "])


def deep_json(rng: random.Random) -> str:
    depth = rng.choice((100, 1000, 5000, 100_000))
    opener = rng.choice(["[", '{"a":', '{"GPU":', '{"gpu_data":['])
    return opener * depth + ("1" if rng.random() < 0.5 else "")


def long_line(rng: random.Random, seed: str = "", length: int | None = None) -> str:
    length = length or rng.choice((100_000, 1_000_000))
    chunk = rng.choice(LONG_CHARS)
    line = (chunk * (length // len(chunk) + 1))[:length]
    if seed and rng.random() < 0.7:  # inside a real line: after a key, in a cell
        lines = seed.splitlines() or [""]
        i = rng.randrange(len(lines))
        pos = rng.randrange(len(lines[i]) + 1)
        lines[i] = lines[i][:pos] + line + lines[i][pos:]
        return "\n".join(lines)
    return line + rng.choice(("", "x", "\n", " C", " W", "%"))


def mutate(rng: random.Random, seed: str) -> str:
    """A real capture with one hostile change (numbers, codecs, NUL, CRLF, truncation, long lines)."""
    op = rng.randrange(10)
    if op == 0:  # numbers -> huge / negative / 1e400 / NaN
        return _NUM.sub(lambda m: rng.choice(HUGE) if rng.random() < 0.3 else m.group(0), seed)
    if op == 1:  # numbers -> Unicode digits
        return _NUM.sub(
            lambda m: (
                "".join(rng.choice(UNICODE_DIGITS) for _ in m.group(0)) if rng.random() < 0.5 else m.group(0)
            ),
            seed,
        )
    if op == 2:  # truncated anywhere
        return seed[: rng.randrange(len(seed) + 1)]
    if op == 3:  # NUL bytes
        chars = list(seed)
        for _ in range(rng.randrange(1, 8)):
            chars.insert(rng.randrange(len(chars) + 1), "\x00")
        return "".join(chars)
    if op == 4:  # CRLF / CR-only line ends
        return seed.replace("\n", rng.choice(("\r\n", "\r", "\r\r\n")))
    if op == 5:  # the capture in GBK or UTF-16, decoded as a tool's output would be (or wrongly)
        codec = rng.choice(("gbk", "utf-16", "utf-16-le", "utf-16-be", "gb18030"))
        raw = seed.encode(codec, errors="replace")
        return decode_output(raw) if rng.random() < 0.5 else raw.decode("latin-1")
    if op == 6:
        return long_line(rng, seed, rng.choice((20_000, 100_000)))
    if op == 7:  # lines dropped / duplicated / swapped
        lines = seed.splitlines()
        for _ in range(rng.randrange(1, 6)):
            if not lines:
                break
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            how = rng.randrange(3)
            if how == 0:
                lines.pop(i)
            elif how == 1:
                lines.insert(i, lines[j])
            else:
                lines[i] = lines[j]
        return "\n".join(lines)
    if op == 8:  # JSON values -> huge numbers / deep nesting inside the document
        return re.sub(
            r":\s?(\"[^\"]{0,40}\"|-?[0-9.]+)",
            lambda m: ": " + (rng.choice(HUGE) if rng.random() < 0.3 else m.group(1)),
            seed,
        )
    pos = rng.randrange(len(seed) + 1)  # random junk inserted
    return seed[:pos] + random_text(rng)[:40] + seed[pos:]


def hostile(rng: random.Random, target: Target, i: int) -> tuple[str, str, object]:
    """(kind, text, parser) for input number ``i``; kind 'random' inputs must never be accepted."""
    parser = target.parser_for(i)
    seed = target.seeds[i % len(target.seeds)][0] if target.seeds else ""
    r = rng.random()
    if r < 0.30:
        return "random", random_text(rng), target.parse
    if r < 0.35:
        return "deep-json", deep_json(rng), parser
    if r < 0.40:
        return "long-line", long_line(rng, "" if rng.random() < 0.5 else seed), parser
    return "mutated", mutate(rng, seed), parser


# ---- judging one input ------------------------------------------------------------------------


def has_data(result) -> bool:
    """Whether a parser's answer claims any fact (a non-None leaf that is not bookkeeping)."""
    if result is None or result is False:
        return False
    if hasattr(result, "to_json"):
        result = result.to_json()
    elif hasattr(result, "__dataclass_fields__"):
        from dataclasses import asdict

        result = asdict(result)
    stack = [result]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            stack.extend(val for key, val in x.items() if key not in ("layout", "tool"))
        elif isinstance(x, (list, tuple)):
            stack.extend(x)
        elif x is not None and x != "" and x is not False:
            return True
    return False


@dataclass
class Outcome:
    ok: bool  # returned or raised ParseError (nothing else)
    accepted: bool  # returned facts
    seconds: float
    error: str | None = None


def run_one(parser, text: str) -> Outcome:
    t0 = time.perf_counter()
    try:
        result = parser(text)
    except ParseError:
        return Outcome(True, False, time.perf_counter() - t0)
    except Exception as exc:  # noqa: BLE001 - this is what we hunt
        return Outcome(False, False, time.perf_counter() - t0, f"{type(exc).__name__}: {str(exc)[:200]}")
    return Outcome(True, has_data(result), time.perf_counter() - t0)


def corpus_files() -> list[tuple[str, Path]]:
    """(target name, file) for every saved crasher/slow input (tests/data/fuzz-corpus/<target>/)."""
    if not CORPUS.is_dir():
        return []
    return [
        (d.name, p)
        for d in sorted(CORPUS.iterdir())
        if d.is_dir()
        for p in sorted(d.iterdir())
        if p.is_file() and not p.name.endswith(".md")
    ]
