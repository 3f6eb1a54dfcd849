"""Windows display adapters: CIM ``Win32_VideoController`` + the display class registry keys.

By hand (PowerShell)::

    Get-CimInstance Win32_VideoController |
        Select Name,PNPDeviceID,DriverVersion,DriverDate,AdapterRAM,VideoProcessor,Status |
        ConvertTo-Json
    Get-ItemProperty `
        'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e968-e325-11ce-bfc1-08002be10318}\\0*' |
        Select DriverDesc,MatchingDeviceId,HardwareInformation.qwMemorySize

One ``powershell -NoProfile -NonInteractive -Command <CIM_SCRIPT>`` run prints both (plus each
adapter's Enum key ``LocationInformation`` -> PCI bus id and ``Driver`` -> its class key, and the
Windows build for DirectML) as one JSON object; ``probes.detect.parsers.windows_cim`` reads it.

Compute API on Windows (``COMPUTE_RULES``): NVIDIA -> cuda; AMD -> rocm when the HIP runtime DLL
is installed (``%WINDIR%\\System32\\amdhip64_6.dll``/``_7.dll``, the check sdnext makes), else
DirectML; Intel Arc -> xpu (PyTorch XPU wheels cover Windows x86, PyTorch dev-discuss "Wheel
variants for PyTorch release 2.10"), other Intel -> DirectML; Moore Threads -> DirectML (there is no
Windows torch_musa: "目前不支持windows", https://github.com/MooreThreads/torch_musa/issues/27); any other
adapter with a vendor driver -> DirectML. DirectML needs Windows 10 1903 (build 18362) or later
and a DirectX 12 adapter (microsoft/DirectML README); CIM cannot tell the DX12 feature level, so a
vendor WDDM driver on a new-enough build counts as DX12 (recorded in ``extra["directml"]``).
"""

from __future__ import annotations

import re

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.i18n import Text
from probes.core.model import Compute, Driver, Gpu, Pci, SourceResult
from probes.core.problems import define, problem, tool_problem
from probes.detect.parsers import windows_cim
from probes.detect.sources import ProbeContext, Source

# One PowerShell run. UTF-8 output so Chinese adapter names survive (host.run also decodes GBK).
CIM_SCRIPT = (
    "$ErrorActionPreference='SilentlyContinue';"
    "[Console]::OutputEncoding=[Text.Encoding]::UTF8;"
    "$cls='HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Class\\{4d36e968-e325-11ce-bfc1-08002be10318}';"
    "$c=@(Get-CimInstance Win32_VideoController | ForEach-Object {"
    "$e=Get-ItemProperty ('HKLM:\\SYSTEM\\CurrentControlSet\\Enum\\'+$_.PNPDeviceID);"
    "[pscustomobject]@{Name=$_.Name;PNPDeviceID=$_.PNPDeviceID;DriverVersion=$_.DriverVersion;"
    "DriverDate=$(if($_.DriverDate){$_.DriverDate.ToString('yyyy-MM-dd')});AdapterRAM=$_.AdapterRAM;"
    "VideoProcessor=$_.VideoProcessor;Status=$_.Status;ConfigManagerErrorCode=$_.ConfigManagerErrorCode;"
    "LocationInformation=$e.LocationInformation;DriverKey=$e.Driver;Service=$e.Service}});"
    "$r=@(Get-ChildItem $cls | Where-Object {$_.PSChildName -match '^\\d{4}$'} | ForEach-Object {"
    "$p=Get-ItemProperty $_.PSPath;"
    "[pscustomobject]@{Key=$_.PSChildName;DriverDesc=$p.DriverDesc;MatchingDeviceId=$p.MatchingDeviceId;"
    "DriverVersion=$p.DriverVersion;qwMemorySize=$p.'HardwareInformation.qwMemorySize';"
    "MemorySize=$p.'HardwareInformation.MemorySize'}});"
    "$o=Get-CimInstance Win32_OperatingSystem | Select-Object Caption,Version,BuildNumber,OSArchitecture;"
    "[pscustomobject]@{controllers=$c;registry=$r;os=$o} | ConvertTo-Json -Depth 4 -Compress"
)
POWERSHELL_ARGS = ("-NoProfile", "-NonInteractive", "-Command")
RUN_TIMEOUT_S = 7.0  # a cold PowerShell start is 1-2 s, CIM adds ~0.5 s

DIRECTML_MIN_BUILD = 18362  # Windows 10 1903 (microsoft/DirectML README: "Windows 10, version 1903")
HIP_DLLS = (r"C:\Windows\System32\amdhip64_7.dll", r"C:\Windows\System32\amdhip64_6.dll")

VENDOR_LABEL = {
    "nvidia": "NVIDIA",
    "amd": "AMD",
    "intel": "Intel",
    "mthreads": "Moore Threads",
    "innosilicon": "Innosilicon",
    "iluvatar": "Iluvatar CoreX",
    "metax": "MetaX",
    "hygon": "Hygon",
    "apple": "Apple",
    "other": "graphics",
}
VENDOR_TOOL = {
    "nvidia": "nvidia-smi",
    "amd": "AMD Software",
    "intel": "Intel Graphics",
    "mthreads": "Moore Threads driver",
}

define(
    "windows-device-error",
    "error",
    "Windows reports a problem with {name}: Device Manager code {error_code} ({meaning}).",
    "Open Device Manager to see the details. Reinstalling the {vendor_label} driver (a clean install) "
    "and rebooting fixes most of these; if it persists, try another PCIe slot and check the power cables.",
)
# Device Manager error codes (Win32_VideoController.ConfigManagerErrorCode; Microsoft's "Device
# Manager error messages" list). 28 (no driver) is reported as driver-not-installed instead.
DEVICE_ERRORS = {
    10: Text("problems", "the device cannot start"),
    22: Text("problems", "the device is disabled"),
    31: Text("problems", "Windows cannot load the drivers it needs"),
    43: Text("problems", "Windows stopped the device because it reported problems"),
    52: Text("problems", "the driver's digital signature cannot be verified"),
}
define(
    "windows-directml-too-old",
    "warning",
    "DirectML needs Windows 10 version 1903 (build 18362) or newer; this is build {build}.",
    "Update Windows, then re-scan. Until then {name} can only be used through the CPU.",
)


def windows_compute(host: Host, adapter: dict, build: int | None) -> tuple[str | None, dict]:
    """(compute api, notes) for one parsed adapter on Windows; see the module docstring."""
    notes: dict = {}
    if adapter["basic_display"] or adapter["vendor"] is None or adapter["error_code"] not in (None, 0):
        return None, notes  # no vendor driver, or Device Manager reports the device as failed
    vendor = adapter["vendor"]
    if vendor == "nvidia":
        return "cuda", notes
    if vendor == "amd":
        hip = [p for p in HIP_DLLS if host.exists(p)]
        if hip:
            notes["hip_runtime"] = hip[0]
            return "rocm", notes
    if vendor == "intel" and re.search(
        r"\barc\b", (adapter["name"] or "").lower()
    ):  # "Intel(R) Arc(TM) A770"
        return "xpu", notes
    directml_ok = build is None or build >= DIRECTML_MIN_BUILD
    notes["directml"] = {
        "windows_build": build,
        "min_build": DIRECTML_MIN_BUILD,
        "dx12_verified": False,
        "available": directml_ok,
    }
    return ("directml" if directml_ok else None), notes


class WindowsCimSource(Source):
    name = "windows-cim"
    priority = 60  # vendor tools (nvidia-smi, NVML) win field by field
    platforms = ("windows",)
    timeout_s = RUN_TIMEOUT_S + 1.0

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        out = SourceResult()
        exe = host.which("powershell") or host.which("pwsh")
        if exe is None:
            return out
        res = host.run([exe, *POWERSHELL_ARGS, CIM_SCRIPT], timeout_s=RUN_TIMEOUT_S)
        bad = tool_problem(res, "powershell (Get-CimInstance)", source=self.name)
        if bad is not None:
            out.problems.append(bad)
            return out
        if not res.ran:
            return out
        try:
            parsed = windows_cim.parse_cim(res.stdout)
        except ParseError as exc:
            out.problems.append(
                problem(
                    "smi-output-unparsed",
                    source=self.name,
                    tool="powershell (Get-CimInstance)",
                    detail=exc.detail,
                )
            )
            return out
        os_info = parsed["os"] or {}
        build = os_info.get("build")
        for a in parsed["adapters"]:
            api, notes = windows_compute(host, a, build)
            extra = {
                "windows_driver_version": a["windows_driver_version"],
                "windows_adapter_name": a["windows_name"],
                "pnp_device_id": a["pnp_id"],
            }
            for key in ("driver_date", "adapter_ram_bytes", "video_processor", "status", "service"):
                if a[key] is not None:
                    extra[key] = a[key]
            if a["adapter_ram_saturated"]:
                extra["adapter_ram_saturated"] = True
            if a["memory_source"]:
                extra["memory_source"] = a["memory_source"]
            extra.update(notes)
            gpu = Gpu(
                vendor=a["vendor"],
                name=a["name"],
                pci=Pci(
                    vendor_id=a["vendor_id"],
                    device_id=a["device_id"],
                    bus_id=a["bus_id"],
                    subsystem_id=a["subsystem_id"],
                    revision=a["revision"],
                ),
                driver=Driver(
                    version=a["driver_version"],
                    loaded=not a["basic_display"] and a["error_code"] in (None, 0),
                    module=a["service"],
                ),
                memory_total_bytes=a["memory_total_bytes"],
                compute=Compute(api=api if api else ("none" if a["basic_display"] else None)),
                extra=extra,
            )
            out.gpus.append(gpu)
            label = VENDOR_LABEL.get(a["vendor"] or "other", "graphics")
            if a["basic_display"] and a["vendor"] not in (None, "other"):
                card = f"{label} {a['vendor_id']}:{a['device_id']}"
                p = problem(
                    "driver-not-installed",
                    source=self.name,
                    name=card,
                    vendor_tool=VENDOR_TOOL.get(a["vendor"], label),
                    vendor_label=label,
                )
                p.bus_id = a["bus_id"]
                out.problems.append(p)
            elif a["error_code"] not in (None, 0):
                meaning = DEVICE_ERRORS.get(a["error_code"], Text("problems", "see Device Manager"))
                p = problem(
                    "windows-device-error",
                    source=self.name,
                    name=a["name"] or label,
                    error_code=a["error_code"],
                    meaning=meaning,
                    vendor_label=label,
                )
                p.bus_id = a["bus_id"]
                out.problems.append(p)
            elif notes.get("directml") and not notes["directml"]["available"]:
                p = problem(
                    "windows-directml-too-old", source=self.name, build=build, name=a["name"] or label
                )
                p.bus_id = a["bus_id"]
                out.problems.append(p)
        return out


SOURCES = [WindowsCimSource()]
