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

import json
import math
import re

from probes.errors import ParseError

# Run inside a candidate interpreter (any CPython >= 3.0): prints one JSON line.
# no 'platform' import: it doubles the interpreter's start-up time
PY_ID_CODE = ("import sys,json,os;print(json.dumps({'version':'%d.%d.%d'%tuple(sys.version_info[:3]),"
              "'executable':sys.executable,'real':os.path.realpath(sys.executable),"
              "'bits':64 if sys.maxsize>2**32 else 32,"
              "'implementation':{'cpython':'CPython','pypy':'PyPy'}.get(sys.implementation.name,"
              "sys.implementation.name)}))")

_KV_RE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
_VER_RE = re.compile(r"\[[^\]\d]*?(\d+\.\d+\.\d+(?:\.\d+)?)\]")
_PY_NEW_RE = re.compile(r"^\s*-V:(\S+)\s+(\*\s+)?(.+?)\s*$")
_PY_OLD_RE = re.compile(r"^\s*-(\d+\.\d+(?:-\d+)?)\s+(.+?)(\s+\*)?\s*$")
_PYVER_RE = re.compile(r"^\d+\.\d+\.\d+")


def parse_os_release(text: str) -> dict:
    """-> {"NAME": ..., "VERSION_ID": ..., "PRETTY_NAME": ...} (unknown keys kept)."""
    out: dict = {}
    for line in (text or "").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = _KV_RE.match(line)
        if not m:
            continue
        key, value = m.groups()
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1].replace('\\"', '"').replace("\\\\", "\\")
        out[key] = value
    return out


def parse_cpuinfo(text: str) -> dict:
    """-> {"model": str|None, "count": int|None} from /proc/cpuinfo."""
    model = None
    count = 0
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.strip()
        if key == "processor" and value.isdigit():
            count += 1
        elif key in ("model name", "hardware", "cpu model", "model") and value and model is None:
            if key == "model" and value.isdigit():
                continue   # x86 "model : 158" is a number, not a name
            model = value
    return {"model": model, "count": count or None}


def parse_meminfo(text: str) -> int | None:
    """MemTotal from /proc/meminfo in bytes."""
    for line in (text or "").splitlines():
        if line.startswith("MemTotal:"):
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                unit = parts[2].lower() if len(parts) > 2 else "kb"
                factor = {"kb": 1024, "mb": 1024 ** 2, "gb": 1024 ** 3}.get(unit, 1)
                return int(parts[1]) * factor or None
    return None


def parse_sw_vers(text: str) -> dict:
    out = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip()] = value.strip()
    return {"name": out.get("ProductName"), "version": out.get("ProductVersion"),
            "build": out.get("BuildVersion")}


def parse_cmd_ver(text: str) -> str | None:
    """``Microsoft Windows [Version 10.0.19045.3570]`` -> ``10.0.19045.3570``."""
    m = _VER_RE.search(text or "")
    return m.group(1) if m else None


def parse_py_launcher(text: str) -> list[dict]:
    """``py -0p`` -> [{"tag": "3.12", "path": "C:\\...\\python.exe", "default": bool}]."""
    out = []
    for line in (text or "").splitlines():
        if not line.strip() or line.lower().startswith("installed pythons"):
            continue
        m = _PY_NEW_RE.match(line)
        if m:
            tag, star, path = m.groups()
            out.append({"tag": tag, "path": path.strip(), "default": bool(star)})
            continue
        m = _PY_OLD_RE.match(line)
        if m:
            tag, path, star = m.groups()
            out.append({"tag": tag, "path": path.strip(), "default": bool(star)})
    # "Active venv" lines (``*               C:\\venv\\Scripts\\python.exe``) carry no tag: skipped.
    return [p for p in out if re.search(r"[\\/]", p["path"])]


def parse_py_id(text: str) -> dict:
    """The PY_ID_CODE line -> {"version", "executable", "bits", "implementation"}."""
    for line in reversed((text or "").strip().splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                data = json.loads(line)
            except ValueError:
                break
            if isinstance(data, dict) and isinstance(data.get("version"), str) and _PYVER_RE.match(data["version"]):
                return {"version": data["version"],
                        "executable": data.get("executable") if isinstance(data.get("executable"), str) else None,
                        "real": data.get("real") if isinstance(data.get("real"), str) else None,
                        "bits": data.get("bits") if data.get("bits") in (32, 64) else None,
                        "implementation": data.get("implementation") if isinstance(data.get("implementation"), str) else None}
            break
    raise ParseError("python -c", "no interpreter identity line in the output")


def parse_windows_host(text: str) -> dict:
    """The hostinfo PowerShell JSON -> {"os", "version", "build", "arch", "cpu", "cpu_count", "memory"}."""
    from probes.parsers.windows_cim import load_json

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

    def num(v):
        if isinstance(v, bool):
            return None
        if isinstance(v, int) and v > 0:
            return v
        if isinstance(v, float) and math.isfinite(v) and v > 0:
            return int(v)
        if isinstance(v, str) and v.strip().isdigit():
            return int(v.strip()) or None
        return None

    names = [c.get("Name").strip() for c in cpus if isinstance(c, dict) and isinstance(c.get("Name"), str)]
    logical = [num(c.get("NumberOfLogicalProcessors")) for c in cpus if isinstance(c, dict)]
    memory = num(cs.get("TotalPhysicalMemory"))
    if memory is None and num(os_.get("TotalVisibleMemorySize")):
        memory = num(os_.get("TotalVisibleMemorySize")) * 1024   # KiB
    arch = os_.get("OSArchitecture") if isinstance(os_.get("OSArchitecture"), str) else None
    return {"os": os_.get("Caption").strip() if isinstance(os_.get("Caption"), str) else None,
            "version": os_.get("Version") if isinstance(os_.get("Version"), str) else None,
            "build": num(os_.get("BuildNumber")),
            "arch": arch, "cpu": names[0] if names else None,
            "cpu_count": sum(x for x in logical if x) or None, "memory": memory}
