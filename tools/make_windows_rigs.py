#!/usr/bin/env python3
"""Regenerate the Windows simulated rigs ``assets/rigs/s80-windows`` and ``gtx1080ti-windows``.

A rig is a recording (probes/core/replay.py): the exact argv our sources run, with the output a real
machine of that kind prints. The outputs come from the fixtures in tests/data (see their
READMEs for where each value comes from); this script only places them under the argv the
current scripts use. tests/rigs/test_windows.py fails when a script changes and the rigs were not
regenerated: ``python tools/make_windows_rigs.py``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from probes.core.host import decode_output  # noqa: E402
from probes.detect.parsers.hostinfo import PY_ID_CODE  # noqa: E402
from probes.detect.sources.hostinfo import WIN_HOST_SCRIPT  # noqa: E402
from probes.detect.sources.windows import CIM_SCRIPT, POWERSHELL_ARGS  # noqa: E402
from probes.live.telemetry.windows import COUNTER_SCRIPT  # noqa: E402

PS = r"C:\Windows\System32\WindowsPowerShell\v1.0\powershell.exe"
DATA = ROOT / "tests" / "data"
NVIDIA_QUERY = (
    "index",
    "pci.bus_id",
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


def cmd(argv, stdout, rc=0, stderr=""):
    return {
        "argv": list(argv),
        "rc": rc,
        "stdout": stdout,
        "stderr": stderr,
        "duration_s": 0.5,
        "error": None,
        "detail": None,
    }


def ps(script, stdout):
    return cmd([PS, *POWERSHELL_ARGS, script], stdout)


def py_id(path, version):
    ident = {"version": version, "executable": path, "real": path, "bits": 64, "implementation": "CPython"}
    return cmd([path, "-I", "-S", "-c", PY_ID_CODE], json.dumps(ident) + "\r\n")


def host_json(caption, version, build, cpu, threads, memory):
    return (
        json.dumps(
            {
                "os": {
                    "Caption": caption,
                    "Version": version,
                    "BuildNumber": str(build),
                    "OSArchitecture": "64-bit",
                    "TotalVisibleMemorySize": memory // 1024,
                },
                "cpu": [{"Name": cpu, "NumberOfLogicalProcessors": threads}],
                "cs": {"TotalPhysicalMemory": memory},
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )
        + "\r\n"
    )


STORE_ALIAS = r"C:\Users\rig\AppData\Local\Microsoft\WindowsApps\python.exe"
# What the Microsoft Store alias prints when Python is not installed from the Store (exit 9009).
STORE_MSG = (
    "Python was not found; run without arguments to install from the Microsoft Store, "
    "or disable this shortcut from Settings > Manage App Execution Aliases.\r\n"
)


def s80_windows() -> dict:
    cim = decode_output((DATA / "windows-cim" / "s80-mtdriver-win11-zh.json").read_bytes())
    counters = (DATA / "windows-counters" / "s80-win11.json").read_text(encoding="utf-8")
    py312 = r"C:\Users\rig\AppData\Local\Programs\Python\Python312\python.exe"
    py310 = r"C:\Users\rig\AppData\Local\Programs\Python\Python310\python.exe"
    launcher = f" -V:3.12 *        {py312}\r\n -V:3.10          {py310}\r\n"
    return {
        "schema": "rigpilot.recording/1",
        "platform": "windows",
        "note": "SIMULATED MTT S80 on Chinese Windows 11 with the Moore Threads driver; no mthreads-gmi "
        "exists on Windows (a Linux tool: docs.mthreads.com vGPU guide v2.9.2), so telemetry uses "
        "the Windows GPU counters. The driver version is illustrative (no public MT Windows "
        "CIM capture); see tests/data/windows-cim/README.md.",
        "env": {"PROCESSOR_ARCHITECTURE": "AMD64", "NUMBER_OF_PROCESSORS": "16"},
        "which": {
            "powershell": PS,
            "py": r"C:\Windows\py.exe",
            "python": STORE_ALIAS,
            "cmd": r"C:\Windows\System32\cmd.exe",
        },
        "identity": {"groups": [], "uid": None, "admin": False},
        "commands": [
            ps(CIM_SCRIPT, cim),
            ps(
                WIN_HOST_SCRIPT,
                host_json(
                    "Microsoft Windows 11 专业版",
                    "10.0.22631",
                    22631,
                    "13th Gen Intel(R) Core(TM) i5-13400F",
                    16,
                    34359738368,
                ),
            ),
            ps(COUNTER_SCRIPT, counters),
            cmd([r"C:\Windows\py.exe", "-0p"], launcher),
            py_id(py312, "3.12.7"),
            py_id(py310, "3.10.11"),
            cmd([STORE_ALIAS, "-I", "-S", "-c", PY_ID_CODE], "", rc=9009, stderr=STORE_MSG),
        ],
        "links": {},
        "dirs": {},
        "stats": {},
        "modules": {},
    }


def gtx1080ti_windows() -> dict:
    full = json.loads(decode_output((DATA / "windows-cim" / "gtx1080ti-536.67-win10.json").read_bytes()))
    full["controllers"] = [c for c in full["controllers"] if "1080" in c["Name"]]
    full["registry"] = [r for r in full["registry"] if r["Key"] == "0000"]
    cim = json.dumps(full, separators=(",", ":")).replace("&", "\\u0026") + "\r\n"
    smi = r"C:\Windows\System32\nvidia-smi.exe"
    uuid = "GPU-de7e8698-487b-d7ec-a77f-1aa89b7f31ef"  # a real 1080 Ti's UUID (NVIDIA/nvidia-docker#1034)
    row = [
        "0",
        "00000000:01:00.0",
        "NVIDIA GeForce GTX 1080 Ti",
        uuid,
        "536.67",
        "11264",
        "602",
        "38",
        "2",
        "17.85",
        "250.00",
        "250.00",
        "125.00",
        "300.00",
        "250.00",
        "139",
        "23",
        "6.1",
    ]
    table = (DATA / "nvidia-smi-windows" / "gtx1080ti-536.67-win10.txt").read_text(encoding="utf-8")
    py311 = r"C:\Program Files\Python311\python.exe"
    py313 = r"C:\Users\rig\AppData\Local\Programs\Python\Python313\python.exe"
    return {
        "schema": "rigpilot.recording/1",
        "platform": "windows",
        "note": "SIMULATED GTX 1080 Ti (Pascal, sm_61) on Windows 10 22H2 with driver 536.67. nvidia-smi "
        "answers the argv the NVIDIA source uses (probes/detect/parsers/nvidia_smi.py QUERY_FIELDS, "
        "legacy fields, plain banner, -L, driver_version only, and StabilityMatrix's "
        "name,memory.total,compute_cap with header); NVML is not simulated here.",
        "env": {"PROCESSOR_ARCHITECTURE": "AMD64", "NUMBER_OF_PROCESSORS": "12"},
        "which": {
            "powershell": PS,
            "nvidia-smi": smi,
            "py": r"C:\Windows\py.exe",
            "cmd": r"C:\Windows\System32\cmd.exe",
        },
        "identity": {"groups": [], "uid": None, "admin": False},
        "commands": [
            ps(CIM_SCRIPT, cim),
            ps(
                WIN_HOST_SCRIPT,
                host_json(
                    "Microsoft Windows 10 Pro",
                    "10.0.19045",
                    19045,
                    "Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz",
                    12,
                    17179869184,
                ),
            ),
            cmd([smi], table),
            cmd(
                [smi, "--query-gpu=" + ",".join(NVIDIA_QUERY), "--format=csv,noheader,nounits"],
                ", ".join(row) + "\r\n",
            ),
            cmd(
                [
                    smi,
                    "--query-gpu=" + ",".join(f for f in NVIDIA_QUERY if f != "compute_cap"),
                    "--format=csv,noheader,nounits",
                ],
                ", ".join(row[:-1]) + "\r\n",
            ),
            cmd([smi, "--query-gpu=driver_version", "--format=csv,noheader"], "536.67\r\n"),
            cmd(
                [smi, "--query-gpu=name,memory.total,compute_cap", "--format=csv"],
                "name, memory.total [MiB], compute_cap\r\nNVIDIA GeForce GTX 1080 Ti, 11264 MiB, 6.1\r\n",
            ),
            cmd([smi, "-L"], f"GPU 0: NVIDIA GeForce GTX 1080 Ti (UUID: {uuid})\r\n"),
            cmd([r"C:\Windows\py.exe", "-0p"], f" -V:3.13 *        {py313}\r\n -V:3.11          {py311}\r\n"),
            py_id(py313, "3.13.1"),
            py_id(py311, "3.11.9"),
        ],
        "links": {},
        "dirs": {},
        "stats": {},
        "modules": {},
    }


RIGS = {"s80-windows": s80_windows, "gtx1080ti-windows": gtx1080ti_windows}


def main() -> int:
    for name, build in RIGS.items():
        target = ROOT / "assets" / "rigs" / name
        (target / "root").mkdir(parents=True, exist_ok=True)
        (target / "root" / ".keep").write_text("", encoding="utf-8")
        (target / "manifest.json").write_text(
            json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        print("wrote", target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
