"""Host facts: parsers on real output forms, and the source on Linux/Windows/macOS with fakes."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.detect.parsers import hostinfo as hp
from probes.detect.sources import ProbeContext
from probes.detect.sources.hostinfo import HostInfoSource, find_pythons, is_this_machine

OS_RELEASE = """PRETTY_NAME="Ubuntu 22.04.4 LTS"
NAME="Ubuntu"
VERSION_ID="22.04"
VERSION="22.04.4 LTS (Jammy Jellyfish)"
ID=ubuntu
ID_LIKE=debian
"""
CPUINFO = """processor\t: 0
vendor_id\t: GenuineIntel
cpu family\t: 6
model\t\t: 158
model name\t: Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz

processor\t: 1
vendor_id\t: GenuineIntel
model\t\t: 158
model name\t: Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz
"""
MEMINFO = "MemTotal:       32790284 kB\nMemFree:         1234 kB\n"
# py launcher 3.11+ (``py -0p``) and the older launcher's form
PY_NEW = (
    " -V:3.12 *        C:\\Users\\me\\AppData\\Local\\Programs\\Python\\Python312\\python.exe\r\n"
    " -V:3.10          C:\\Python310\\python.exe\r\n"
    " -V:3.13t         C:\\Users\\me\\AppData\\Local\\Programs\\Python\\Python313\\python3.13t.exe\r\n"
    " -V:ContinuumAnalytics/Anaconda39-64 C:\\ProgramData\\Anaconda3\\python.exe\r\n"
)
PY_OLD = (
    "Installed Pythons found by py Launcher for Windows\r\n"
    " -3.9-64        C:\\Python39\\python.exe *\r\n"
    " -3.8-32        C:\\Program Files (x86)\\Python38-32\\python.exe\r\n"
)


def test_os_release_cpuinfo_meminfo():
    rel = hp.parse_os_release(OS_RELEASE)
    assert (
        rel["PRETTY_NAME"] == "Ubuntu 22.04.4 LTS" and rel["VERSION_ID"] == "22.04" and rel["ID"] == "ubuntu"
    )
    assert hp.parse_cpuinfo(CPUINFO) == {"model": "Intel(R) Core(TM) i7-8700K CPU @ 3.70GHz", "count": 2}
    assert hp.parse_cpuinfo("") == {"model": None, "count": None}
    assert hp.parse_meminfo(MEMINFO) == 32790284 * 1024
    assert hp.parse_meminfo("MemFree: 1 kB") is None


def test_sw_vers_and_cmd_ver():
    assert hp.parse_sw_vers(
        "ProductName:\t\tmacOS\nProductVersion:\t\t14.4.1\nBuildVersion:\t\t23E224\n"
    ) == {"name": "macOS", "version": "14.4.1", "build": "23E224"}
    assert hp.parse_cmd_ver("\r\nMicrosoft Windows [Version 10.0.19045.3570]\r\n") == "10.0.19045.3570"
    assert hp.parse_cmd_ver("\r\nMicrosoft Windows [版本 10.0.22631.4317]\r\n") == "10.0.22631.4317"
    assert hp.parse_cmd_ver("nothing") is None


def test_py_launcher_both_formats():
    new = hp.parse_py_launcher(PY_NEW)
    assert [(p["tag"], p["default"]) for p in new] == [
        ("3.12", True),
        ("3.10", False),
        ("3.13t", False),
        ("ContinuumAnalytics/Anaconda39-64", False),
    ]
    assert new[1]["path"] == "C:\\Python310\\python.exe"
    old = hp.parse_py_launcher(PY_OLD)
    assert [(p["tag"], p["path"], p["default"]) for p in old] == [
        ("3.9-64", "C:\\Python39\\python.exe", True),
        ("3.8-32", "C:\\Program Files (x86)\\Python38-32\\python.exe", False),
    ]
    assert hp.parse_py_launcher("No installed Pythons found!\r\n") == []


def test_py_id_line():
    out = (
        'noise\n{"version": "3.10.11", "executable": "/usr/bin/python3.10", "bits": 64, '
        '"implementation": "CPython"}\n'
    )
    assert hp.parse_py_id(out)["version"] == "3.10.11"
    for bad in ("", "Python was not found", '{"version": 3}', "{broken"):
        with pytest.raises(ParseError):
            hp.parse_py_id(bad)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_fuzz_text_parsers(text):
    hp.parse_os_release(text)
    hp.parse_cpuinfo(text)
    hp.parse_meminfo(text)
    hp.parse_sw_vers(text)
    hp.parse_cmd_ver(text)
    hp.parse_py_launcher(text)
    for fn in (hp.parse_py_id, hp.parse_windows_host):
        try:
            fn(text)
        except ParseError:
            pass


def _fake_python(fake_tools, name, version, executable=None):
    ident = {
        "version": version,
        "executable": executable or f"/opt/{name}",
        "real": executable or f"/opt/{name}",
        "bits": 64,
        "implementation": "CPython",
    }
    fake_tools.script(
        name,
        f"""
if sys.argv[1:4] == ["-I", "-S", "-c"] and "sys.version_info" in sys.argv[4]:
    print({json.dumps(json.dumps(ident))})
else:
    sys.exit(2)
""",
    )


def test_linux_host_from_files_under_root(sysfs, make_host, fake_tools):
    sysfs.write("/etc/os-release", OS_RELEASE)
    sysfs.write("/proc/sys/kernel/osrelease", "5.15.0-105-generic\n")
    sysfs.write("/proc/cpuinfo", CPUINFO)
    sysfs.write("/proc/meminfo", MEMINFO)
    _fake_python(fake_tools, "python3.10", "3.10.12")
    _fake_python(fake_tools, "python3", "3.10.12", executable="/opt/python3.10")  # same interpreter
    _fake_python(fake_tools, "python3.12", "3.12.3")
    host = make_host(root=sysfs, path=[fake_tools.path])
    assert not is_this_machine(host)
    info = HostInfoSource().collect(host, ProbeContext()).host
    assert (
        info.os == "Ubuntu 22.04.4 LTS" and info.os_version == "22.04" and info.kernel == "5.15.0-105-generic"
    )
    assert info.cpu.startswith("Intel(R) Core(TM) i7-8700K") and info.cpu_count == 2
    assert info.memory_total_bytes == 32790284 * 1024  # from /proc/meminfo, not this machine's psutil
    assert sorted(p["version"] for p in info.pythons) == ["3.10.12", "3.12.3"]


def test_windows_host_from_powershell_py_launcher_and_store_alias(fake_tools, make_host):
    host_json = {
        "os": {
            "Caption": "Microsoft Windows 11 专业版",
            "Version": "10.0.22631",
            "BuildNumber": "22631",
            "OSArchitecture": "64 位",
            "TotalVisibleMemorySize": 33554432,
        },
        "cpu": [{"Name": "AMD Ryzen 9 7950X 16-Core Processor", "NumberOfLogicalProcessors": 32}],
        "cs": {"TotalPhysicalMemory": 34359738368},
    }
    fake_tools.replay("powershell", {"*": {"stdout": json.dumps(host_json, ensure_ascii=False)}})
    py = fake_tools.bindir / "py312"
    _fake_python(fake_tools, "py312", "3.12.7", executable="C:\\Python312\\python.exe")
    fake_tools.replay("py", {"-0p": {"stdout": f" -V:3.12 *        {py}\r\n"}})
    fake_tools.replay(
        "python",
        {
            "*": {
                "stderr": "Python was not found; run without arguments to install from the Microsoft Store",
                "rc": 9009,
            }
        },
    )
    host = make_host(platform="windows", path=[fake_tools.path], env={"PROCESSOR_ARCHITECTURE": "AMD64"})
    info = HostInfoSource().collect(host, ProbeContext()).host
    assert info.os == "Microsoft Windows 11 专业版" and info.os_version == "10.0.22631"
    assert info.cpu_count == 32 and info.memory_total_bytes == 34359738368 and info.arch == "x86_64"
    assert [(p["version"], p["source"]) for p in info.pythons] == [("3.12.7", "py-launcher")]


def test_windows_falls_back_to_cmd_ver(fake_tools, make_host):
    fake_tools.replay("powershell", {"*": {"stdout": "", "rc": 1}})
    fake_tools.replay("cmd", {"/c ver": {"stdout": "\r\nMicrosoft Windows [Version 10.0.19045.3570]\r\n"}})
    info = (
        HostInfoSource().collect(make_host(platform="windows", path=[fake_tools.path]), ProbeContext()).host
    )
    assert info.os == "Windows" and info.os_version == "10.0.19045.3570"


def test_darwin_host(fake_tools, make_host):
    fake_tools.replay(
        "sw_vers", {"": {"stdout": "ProductName:\tmacOS\nProductVersion:\t14.4.1\nBuildVersion:\t23E224\n"}}
    )
    fake_tools.replay(
        "sysctl",
        {
            "*": {
                "stdout": "machdep.cpu.brand_string: Apple M2 Pro\nhw.memsize: 34359738368\n"
                "hw.ncpu: 12\nhw.machine: arm64\nkern.osrelease: 23.4.0\n"
            }
        },
    )
    info = HostInfoSource().collect(make_host(platform="darwin", path=[fake_tools.path]), ProbeContext()).host
    assert (info.os, info.cpu, info.cpu_count, info.arch, info.kernel) == (
        "macOS 14.4.1",
        "Apple M2 Pro",
        12,
        "arm64",
        "23.4.0",
    )
    assert info.memory_total_bytes == 32 * 2**30


def test_hanging_interpreter_is_skipped_within_its_timeout(fake_tools, make_host, monkeypatch):
    import probes.detect.sources.hostinfo as hi

    monkeypatch.setattr(hi, "PY_TIMEOUT_S", 0.5)
    fake_tools.replay("python3", {"*": {"sleep": 30}})
    assert find_pythons(make_host(path=[fake_tools.path])) == []


def test_this_machine_uses_psutil_and_platform():
    from probes.core.host import Host

    host = Host(env={"PATH": ""})
    assert is_this_machine(host)
    info = HostInfoSource().collect(host, ProbeContext()).host
    import psutil

    assert info.memory_total_bytes == psutil.virtual_memory().total and info.cpu_count and info.arch


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "os",
                        "cpu",
                        "cs",
                        "Caption",
                        "Version",
                        "BuildNumber",
                        "OSArchitecture",
                        "TotalVisibleMemorySize",
                        "Name",
                        "NumberOfLogicalProcessors",
                        "TotalPhysicalMemory",
                    ]
                ),
                c,
                max_size=5,
            )
        ),
        max_leaves=20,
    )
)
def test_fuzz_windows_host_json(value):
    try:
        hp.parse_windows_host(json.dumps(value))
    except ParseError:
        pass


def test_windows_host_json_with_infinite_numbers_is_not_a_crash():
    info = hp.parse_windows_host(
        '{"os": {"TotalVisibleMemorySize": Infinity}, "cs": {"TotalPhysicalMemory": NaN}}'
    )
    assert info["memory"] is None
