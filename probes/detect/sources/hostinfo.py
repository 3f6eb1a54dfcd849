"""Host facts: OS and version, kernel, CPU, RAM, architecture and the Python interpreters found.

By hand: Linux ``cat /etc/os-release /proc/sys/kernel/osrelease /proc/cpuinfo /proc/meminfo``;
Windows ``Get-CimInstance Win32_OperatingSystem, Win32_Processor, Win32_ComputerSystem`` (or
``cmd /c ver``) and ``py -0p``; macOS ``sw_vers`` and ``sysctl machdep.cpu.brand_string hw.memsize
hw.ncpu hw.machine kern.osrelease``; everywhere ``python3.X -c "import sys; print(sys.version)"``.

psutil and the ``platform`` module describe the machine this code runs on, so they are used only
when the Host *is* that machine (no RIGPILOT_ROOT, no replay/recording, no platform override);
otherwise everything comes through the Host so recordings and simulated rigs stay truthful.
"""

from __future__ import annotations

import os
import platform as _platform
from concurrent.futures import ThreadPoolExecutor

from probes.core import values
from probes.core.errors import ParseError
from probes.core.host import Host, platform_name
from probes.core.model import HostInfo, SourceResult
from probes.detect.parsers import hostinfo as hp
from probes.detect.sources import ProbeContext, Source

PY_TIMEOUT_S = 3.0
# Interpreter names looked up on PATH (python3.8 .. python3.14, then the generic names).
PY_NAMES = tuple(f"python3.{m}" for m in range(8, 15)) + ("python3", "python")

WIN_HOST_SCRIPT = (
    "$ErrorActionPreference='SilentlyContinue';"
    "[Console]::OutputEncoding=[Text.Encoding]::UTF8;"
    "[pscustomobject]@{"
    "os=(Get-CimInstance Win32_OperatingSystem | "
    "Select-Object Caption,Version,BuildNumber,OSArchitecture,TotalVisibleMemorySize);"
    "cpu=@(Get-CimInstance Win32_Processor | Select-Object Name,NumberOfLogicalProcessors);"
    "cs=(Get-CimInstance Win32_ComputerSystem | Select-Object TotalPhysicalMemory)"
    "} | ConvertTo-Json -Depth 3 -Compress"
)
ARCH_ALIASES = {
    "amd64": "x86_64",
    "x64": "x86_64",
    "x86_64": "x86_64",
    "arm64": "arm64",
    "aarch64": "arm64",
    "x86": "x86",
    "i686": "x86",
    "i386": "x86",
}


def is_this_machine(host: Host) -> bool:
    """True when psutil/platform describe the Host (see the module docstring)."""
    if getattr(host, "replay_dir", None) is not None or getattr(host, "record_dir", None) is not None:
        return False
    if host.simulated or (host.root not in (None, "", "/")):
        return False
    return host.platform == platform_name({})


def norm_arch(value: str | None) -> str | None:
    if not value:
        return None
    return ARCH_ALIASES.get(value.strip().lower(), value.strip())


def find_pythons(host: Host) -> list[dict]:
    """Interpreters on the machine: py launcher entries (Windows) and python3.X/python3/python on
    PATH, each run once to learn its version; the same executable is listed once."""
    candidates: list[tuple[str, str]] = []
    if host.platform == "windows":
        py = host.which("py")
        if py:
            res = host.run([py, "-0p"], timeout_s=PY_TIMEOUT_S)
            if res.ok:
                candidates += [(e["path"], "py-launcher") for e in hp.parse_py_launcher(res.stdout)]
    real = is_this_machine(host)
    for name in PY_NAMES:
        path = host.which(name)
        if path:
            candidates.extend(_unshim(path, name) if real else [(path, "path")])
    seen_paths: set = set()
    unique = []
    for path, src in candidates:
        # on this machine, python3 -> python3.11 symlinks are one interpreter: run it once
        key = os.path.normcase(os.path.realpath(path) if real else path)
        if key not in seen_paths:
            seen_paths.add(key)
            unique.append((path, src))

    def identify(item):
        path, src = item
        # -I -S: no user site, no site import — the interpreter answers in milliseconds
        res = host.run([path, "-I", "-S", "-c", hp.PY_ID_CODE], timeout_s=PY_TIMEOUT_S)
        if not res.ok:  # e.g. the Microsoft Store "python.exe" alias, which only opens the Store
            return None
        try:
            ident = hp.parse_py_id(res.stdout)
        except ParseError:
            return None
        return {
            "path": path,
            "version": ident["version"],
            "source": src,
            "executable": ident["executable"],
            "real": ident["real"],
            "bits": ident["bits"],
            "implementation": ident["implementation"],
        }

    if not unique:
        return []
    with ThreadPoolExecutor(max_workers=min(8, len(unique))) as pool:
        found = [r for r in pool.map(identify, unique) if r]
    out, seen_exe = [], set()
    for r in found:
        key = os.path.normcase(r.pop("real") or r["executable"] or r["path"])
        if key in seen_exe:
            continue
        seen_exe.add(key)
        out.append(r)
    return out


def _unshim(path: str, name: str) -> list[tuple[str, str]]:
    """A pyenv shim (a shell script that runs ``pyenv exec``, ~1 s each) stands for the
    interpreters under ``$PYENV_ROOT/versions/*/bin``: list those instead of running the shim."""
    norm = path.replace("\\", "/")
    if "/shims/" not in norm or "pyenv" not in norm:
        return [(path, "path")]
    versions = os.path.join(norm.split("/shims/")[0], "versions")
    try:
        found = sorted(os.path.join(versions, v, "bin", name) for v in os.listdir(versions))
    except OSError:
        return [(path, "path")]
    return [(p, "pyenv") for p in found if os.path.isfile(p)] or [(path, "path")]


class HostInfoSource(Source):
    name = "host"
    priority = 40
    timeout_s = 9.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        info = HostInfo(platform=host.platform)
        real = is_this_machine(host)
        # Interpreter discovery (py -0p, then each interpreter once) runs beside the OS queries so
        # the two worst cases (a slow PowerShell, a hanging interpreter) do not add up.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pythons = pool.submit(find_pythons, host)
            if host.platform == "windows":
                self._windows(host, info)
            elif host.platform == "darwin":
                self._darwin(host, info)
            else:
                self._linux(host, info, real)
            if real:
                self._from_this_machine(info)
            info.pythons = pythons.result()
        return SourceResult(host=info)

    # ---- per platform ---------------------------------------------------------------------
    def _linux(self, host: Host, info: HostInfo, real: bool) -> None:
        text = host.read_text("/etc/os-release") or host.read_text("/usr/lib/os-release")
        if text:
            rel = hp.parse_os_release(text)
            info.os = (
                rel.get("PRETTY_NAME")
                or " ".join(x for x in (rel.get("NAME"), rel.get("VERSION")) if x)
                or None
            )
            info.os_version = rel.get("VERSION_ID")
        kernel = host.read_text("/proc/sys/kernel/osrelease")
        info.kernel = kernel.strip() or None if kernel else None
        arch = host.read_text("/proc/sys/kernel/arch")  # Linux >= 6.1
        info.arch = norm_arch(arch.strip()) if arch else None
        cpu = hp.parse_cpuinfo(host.read_text("/proc/cpuinfo") or "")
        info.cpu, info.cpu_count = cpu["model"], cpu["count"]
        info.memory_total_bytes = hp.parse_meminfo(host.read_text("/proc/meminfo") or "")
        name = host.read_text("/proc/sys/kernel/hostname")
        info.hostname = name.strip() or None if name else None

    def _windows(self, host: Host, info: HostInfo) -> None:
        info.arch = norm_arch(host.getenv("PROCESSOR_ARCHITEW6432") or host.getenv("PROCESSOR_ARCHITECTURE"))
        exe = host.which("powershell") or host.which("pwsh")
        if exe:
            res = host.run([exe, "-NoProfile", "-NonInteractive", "-Command", WIN_HOST_SCRIPT], timeout_s=7.0)
            if res.ok:
                try:
                    w = hp.parse_windows_host(res.stdout)
                except ParseError:
                    w = None
                if w:
                    info.os, info.os_version = w["os"], w["version"]
                    info.kernel = w["version"]
                    info.cpu, info.cpu_count, info.memory_total_bytes = w["cpu"], w["cpu_count"], w["memory"]
        if info.os_version is None:
            cmd = host.which("cmd")
            if cmd:
                res = host.run([cmd, "/c", "ver"], timeout_s=3.0)
                if res.ok:
                    info.os_version = hp.parse_cmd_ver(res.stdout)
                    if info.os_version and info.os is None:
                        info.os = "Windows"

    def _darwin(self, host: Host, info: HostInfo) -> None:
        sw = host.which("sw_vers", ("/usr/bin",))
        if sw:
            res = host.run([sw], timeout_s=3.0)
            if res.ok:
                v = hp.parse_sw_vers(res.stdout)
                info.os = " ".join(x for x in (v["name"], v["version"]) if x) or None
                info.os_version = v["version"]
        sysctl = host.which("sysctl", ("/usr/sbin",))
        if sysctl:
            res = host.run(
                [sysctl, "machdep.cpu.brand_string", "hw.memsize", "hw.ncpu", "hw.machine", "kern.osrelease"],
                timeout_s=3.0,
            )
            if res.ran:  # sysctl exits 1 if one key is unknown but prints the others
                kv = {}
                for line in res.stdout.splitlines():
                    k, sep, val = line.partition(":")
                    if sep:
                        kv[k.strip()] = val.strip()
                info.cpu = kv.get("machdep.cpu.brand_string") or None
                info.memory_total_bytes = values.ascii_int(kv.get("hw.memsize"), (1, values.MEMORY_BYTES[1]))
                info.cpu_count = values.ascii_int(kv.get("hw.ncpu"), (1, values.COUNT[1]))
                info.arch = norm_arch(kv.get("hw.machine"))
                info.kernel = kv.get("kern.osrelease") or None

    @staticmethod
    def _from_this_machine(info: HostInfo) -> None:
        """Fill gaps from psutil/platform (only for the machine we run on)."""
        try:
            import psutil

            if info.memory_total_bytes is None:
                info.memory_total_bytes = int(psutil.virtual_memory().total) or None
            if info.cpu_count is None:
                info.cpu_count = psutil.cpu_count(logical=True)
        except Exception:  # psutil missing or refusing: the file-based values stand
            pass
        info.arch = info.arch or norm_arch(_platform.machine())
        info.hostname = info.hostname or _platform.node() or None
        if info.kernel is None:
            info.kernel = _platform.release() or None


SOURCES = [HostInfoSource()]
