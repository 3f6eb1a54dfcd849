"""Pure parsers for host facts: OS, CPU, RAM and the Python interpreters on the machine.

* ``/etc/os-release`` (freedesktop os-release(5): ``KEY=value``, values optionally quoted).
* ``/proc/cpuinfo`` (``model name`` on x86, ``Hardware``/``Model``/``CPU part`` elsewhere),
  ``/proc/meminfo`` (``MemTotal:  32790284 kB``).
* ``sw_vers`` (``ProductName:\\tmacOS`` / ``ProductVersion:\\t14.4.1`` / ``BuildVersion:\\t23E224``).
* ``cmd /c ver`` (``Microsoft Windows [Version 10.0.19045.3570]``; Chinese Windows prints
  ``[版本 10.0.22631.4317]``).
* ``py -0p`` (the Windows py launcher). Launcher 3.11+: `` -V:3.12 *        C:\\...\\python.exe``
  (``*`` marks the default; tags like ``-V:3.13t``, ``-V:3.10-32``, ``-V:ContinuumAnalytics/Anaconda39-64``).
  Older launchers (3.7-3.10): `` -3.9-64        C:\\Python39\\python.exe *`` under a header line
  ``Installed Pythons found by py Launcher for Windows``.
* The one-line JSON printed by ``PY_ID_CODE`` inside each interpreter.
"""

from __future__ import annotations

import re

from probes.core import values as v
from probes.core.errors import ParseError

# Run inside a candidate interpreter (any CPython >= 3.0): prints one JSON line.
# no 'platform' import: it doubles the interpreter's start-up time
PY_ID_CODE = (
    "import sys,json,os;print(json.dumps({'version':'%d.%d.%d'%tuple(sys.version_info[:3]),"
    "'executable':sys.executable,'real':os.path.realpath(sys.executable),"
    "'bits':64 if sys.maxsize>2**32 else 32,"
    "'implementation':{'cpython':'CPython','pypy':'PyPy'}.get(sys.implementation.name,"
    "sys.implementation.name)}))"
)

_KV_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]{0,63})=(.*)$")
_BRACKETS_RE = re.compile(r"\[([^\[\]]{0,80})\]")
_WINVER_RE = re.compile(r"[0-9]{1,6}\.[0-9]{1,6}\.[0-9]{1,6}(?:\.[0-9]{1,6})?")
_PY_OLD_TAG_RE = re.compile(r"[0-9]{1,3}\.[0-9]{1,3}(?:-[0-9]{1,3})?")
_PYVER_RE = re.compile(r"^[0-9]{1,3}\.[0-9]{1,4}\.[0-9]{1,4}")
MAX_PYTHONS = 256


def parse_os_release(text: str) -> dict:
    """-> {"NAME": ..., "VERSION_ID": ..., "PRETTY_NAME": ...} (unknown keys kept)."""
    out: dict = {}
    for line in v.lines(text if isinstance(text, str) and len(text) <= v.MAX_TEXT_CHARS else ""):
        line = line.strip()
        if not line or line.startswith("#") or len(out) >= 256:
            continue
        m = _KV_RE.match(line)
        if not m:
            continue
        key, value = m.groups()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out[key] = value[:256]
    # os-release(5) always names the system; without one of these it is not an os-release file
    return out if {"NAME", "ID", "PRETTY_NAME"} & set(out) else {}


def parse_cpuinfo(text: str) -> dict:
    """-> {"model": str|None, "count": int|None} from /proc/cpuinfo."""
    model = None
    count = 0
    for line in v.lines(text if isinstance(text, str) and len(text) <= v.MAX_TEXT_CHARS else ""):
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "processor" and v.ascii_int(value, v.COUNT) is not None:
            count += 1
        elif key in ("model name", "hardware", "cpu model", "model") and value and model is None:
            if key == "model" and value.isascii() and value.isdigit():
                continue  # x86 "model : 158" is a number, not a name
            model = value[:200]
    return {"model": model, "count": _in_count(count)}


def _in_count(n: int) -> int | None:
    return n if n and n <= v.COUNT[1] else None


def parse_meminfo(text: str) -> int | None:
    """MemTotal from /proc/meminfo in bytes."""
    for line in v.lines(text if isinstance(text, str) and len(text) <= v.MAX_TEXT_CHARS else ""):
        if line.startswith("MemTotal:"):
            parts = line.split()
            n = v.ascii_int(parts[1], (0, v.MEMORY_BYTES[1])) if len(parts) >= 2 else None
            if n is not None:
                unit = parts[2].lower() if len(parts) > 2 else "kb"
                factor = {"kb": 1024, "mb": 1024**2, "gb": 1024**3}.get(unit, 1)
                total = n * factor
                return total if 0 < total <= v.MEMORY_BYTES[1] else None
    return None


def parse_sw_vers(text: str) -> dict:
    out = {}
    for line in v.lines(text if isinstance(text, str) and len(text) <= v.MAX_TEXT_CHARS else ""):
        key, sep, value = line.partition(":")
        if sep and key.strip() in ("ProductName", "ProductVersion", "BuildVersion"):
            out[key.strip()] = value.strip()[:200]
    return {
        "name": out.get("ProductName"),
        "version": out.get("ProductVersion"),
        "build": out.get("BuildVersion"),
    }


def parse_cmd_ver(text: str) -> str | None:
    """``Microsoft Windows [Version 10.0.19045.3570]`` -> ``10.0.19045.3570``."""
    if not isinstance(text, str):
        return None
    for line in v.lines(text[: v.MAX_TEXT_CHARS]):
        for m in _BRACKETS_RE.finditer(line):
            inner = m.group(1).split()
            # '[Version 10.0.19045.3570]' / '[版本 10.0.22631.4317]': words without digits, then the version
            if (
                inner
                and _WINVER_RE.fullmatch(inner[-1])
                and not any(c.isdigit() for word in inner[:-1] for c in word)
            ):
                return inner[-1]
    return None


def parse_py_launcher(text: str) -> list[dict]:
    """``py -0p`` -> [{"tag": "3.12", "path": "C:\\...\\python.exe", "default": bool}]."""
    out: list[dict] = []
    for line in v.lines(text if isinstance(text, str) and len(text) <= v.MAX_TEXT_CHARS else ""):
        if not line.strip() or line.lower().startswith("installed pythons") or len(out) >= MAX_PYTHONS:
            continue
        entry = _py_new(line) or _py_old(line)
        if entry:
            out.append(entry)
    # "Active venv" lines (``*               C:\\venv\\Scripts\\python.exe``) carry no tag: skipped.
    return [p for p in out if re.search(r"[\\/]", p["path"])]


def _py_new(line: str) -> dict | None:
    """Launcher 3.11+: ' -V:3.12 *        C:\\...\\python.exe' (split, not a regex: linear)."""
    parts = line.strip().split(None, 1)
    if len(parts) != 2 or not parts[0].startswith("-V:") or len(parts[0]) == 3:
        return None
    rest = parts[1].strip()
    star = rest.startswith("*") and (len(rest) == 1 or rest[1].isspace())
    if star:
        rest = rest[1:].strip()
    return {"tag": parts[0][3:], "path": rest, "default": star} if rest else None


def _py_old(line: str) -> dict | None:
    """Launcher 3.7-3.10: ' -3.9-64        C:\\Python39\\python.exe *'."""
    parts = line.strip().split(None, 1)
    if len(parts) != 2 or not parts[0].startswith("-") or not _PY_OLD_TAG_RE.fullmatch(parts[0][1:]):
        return None
    rest = parts[1].strip()
    star = rest.endswith("*") and len(rest) > 1 and rest[-2].isspace()
    if star:
        rest = rest[:-1].rstrip()
    return {"tag": parts[0][1:], "path": rest, "default": star} if rest else None


def parse_py_id(text: str) -> dict:
    """The PY_ID_CODE line -> {"version", "executable", "bits", "implementation"}."""
    text = v.text(text, "python -c")
    for line in reversed(text.strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                data = v.json_loads(line, "python -c")
            except ParseError:
                break
            if (
                isinstance(data, dict)
                and isinstance(data.get("version"), str)
                and _PYVER_RE.match(data["version"])
            ):
                return {
                    "version": data["version"],
                    "executable": data.get("executable") if isinstance(data.get("executable"), str) else None,
                    "real": data.get("real") if isinstance(data.get("real"), str) else None,
                    "bits": data.get("bits")
                    if data.get("bits") in (32, 64) and not isinstance(data.get("bits"), bool)
                    else None,
                    "implementation": data.get("implementation")
                    if isinstance(data.get("implementation"), str)
                    else None,
                }
            break
    raise ParseError("python -c", "no interpreter identity line in the output")


def parse_windows_host(text: str) -> dict:
    """The hostinfo PowerShell JSON -> {"os", "version", "build", "arch", "cpu", "cpu_count", "memory"}."""
    from probes.detect.parsers.windows_cim import load_json

    data = load_json(text)
    if not isinstance(data, dict):
        raise ParseError("powershell (host)", "expected an object")

    def first(v):
        return v[0] if isinstance(v, list) and v else v

    os_ = first(data.get("os")) or {}
    cpu = data.get("cpu")
    cpus = cpu if isinstance(cpu, list) else ([cpu] if isinstance(cpu, dict) else [])
    cs = first(data.get("cs")) or {}
    if not isinstance(os_, dict) or not isinstance(cs, dict):
        raise ParseError("powershell (host)", "unexpected shape")

    def num(value):
        if isinstance(value, float) and value.is_integer() is False:
            value = int(value) if v.is_number(value) else None
        n = v.ascii_int(value, (1, v.MEMORY_BYTES[1]))
        return n

    names = [c["Name"].strip() for c in cpus if isinstance(c, dict) and isinstance(c.get("Name"), str)]
    logical = [num(c.get("NumberOfLogicalProcessors")) for c in cpus if isinstance(c, dict)]
    memory = num(cs.get("TotalPhysicalMemory"))
    if memory is None and num(os_.get("TotalVisibleMemorySize")):
        memory = num(os_.get("TotalVisibleMemorySize")) * 1024  # KiB
    arch = os_.get("OSArchitecture") if isinstance(os_.get("OSArchitecture"), str) else None
    return {
        "os": os_["Caption"].strip() if isinstance(os_.get("Caption"), str) else None,
        "version": os_.get("Version") if isinstance(os_.get("Version"), str) else None,
        "build": num(os_.get("BuildNumber")),
        "arch": arch,
        "cpu": names[0] if names else None,
        "cpu_count": sum(x for x in logical if x) or None,
        "memory": memory,
    }
