"""Runtime of a target interpreter: the stdlib script, its parser, the source with fake and real
interpreters, and the DIAGNOSE rules (CPU build, arch list incl. PTX, Python versions)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from probes.core.errors import ParseError
from probes.core.model import (
    Compute,
    Driver,
    Gpu,
    HostInfo,
    Pci,
    ProbeResult,
    Runtime,
    RuntimeDevice,
    SourceResult,
)
from probes.detect.engine import probe
from probes.detect.parsers.runtime_json import MARKER, parse_runtime
from probes.detect.sources import ProbeContext, Source
from probes.detect.sources import runtime as rt

# The interpreter running the suite: tools/run_tests.py gives its venv the CPU build of torch 2.13.0.
REAL_PYTHON = sys.executable


def _line(**kw) -> str:
    base = {
        "python": "/x/python",
        "python_version": "3.11.9",
        "torch": None,
        "torch_local": None,
        "cuda": None,
        "hip": None,
        "musa": None,
        "apis": {},
        "devices": [],
        "arch_list": [],
        "packages": {},
        "api_errors": {},
        "error": None,
    }
    base.update(kw)
    return MARKER + json.dumps(base)


# Recorded shapes of the script's answer for real builds (arch lists: torch.cuda.get_arch_list() of real
# wheels as posted in astral-sh/uv issue #14086 and unslothai/unsloth PR #7814).
CU126_ON_5090 = _line(
    torch="2.7.1+cu126",
    torch_local="cu126",
    cuda="12.6",
    apis={"cuda": True},
    devices=[
        {
            "api": "cuda",
            "index": 0,
            "name": "NVIDIA GeForce RTX 5090",
            "capability": "12.0",
            "memory_total_bytes": 34190917632,
        }
    ],
    arch_list=["sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"],
    packages={"torch": "2.7.1+cu126"},
)
CU128_WITH_PTX = _line(
    torch="2.7.1+cu128",
    torch_local="cu128",
    cuda="12.8",
    apis={"cuda": True},
    devices=[{"api": "cuda", "index": 0, "name": "NVIDIA B300", "capability": "10.3"}],
    arch_list=["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120", "compute_100"],
)
CPU_BUILD = _line(torch="2.5.1+cpu", torch_local="cpu", apis={"cuda": False, "xpu": False, "mps": False})


def _gpu(index=0, vendor="nvidia", name="NVIDIA GeForce GTX 1080 Ti", api="cuda", capability="6.1", gfx=None):
    return Gpu(
        index=index,
        vendor=vendor,
        name=name,
        pci=Pci(vendor_id="10de", device_id="1b06"),
        driver=Driver(version="536.67", loaded=True),
        compute=Compute(api=api, capability=capability, gfx=gfx),
    )


# ---- arch rules ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "cap, arch_list, status",
    [
        ("8.6", ["sm_80", "sm_86", "sm_90"], "ok"),
        ("8.9", ["sm_80", "sm_86", "sm_90"], "ok"),  # sm_86 cubin runs on 8.9 (same major)
        ("8.0", ["sm_86", "sm_90"], "missing"),  # never backwards within a major
        ("12.0", ["sm_50", "sm_60", "sm_70", "sm_75", "sm_80", "sm_86", "sm_90"], "missing"),
        ("12.0", ["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"], "ok"),
        (
            "6.1",
            ["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"],
            "missing",
        ),  # uv#14742
        ("10.3", ["sm_90", "sm_100", "compute_100"], "ok"),  # sm_100 cubin runs on 10.3
        ("12.1", ["sm_90", "compute_90"], "ptx"),
        ("9.0", ["sm_90a"], "ok"),  # arch-specific, exact capability
        ("10.0", ["sm_90a", "compute_90a"], "missing"),  # 'a' variants are not forward compatible
        ("6.1", [], "unknown"),
        ("x", ["sm_80"], "unknown"),
    ],
)
def test_arch_support(cap, arch_list, status):
    assert rt.arch_support(cap, arch_list)[0] == status


def test_ptx_detail_names_the_highest_usable_ptx():
    assert rt.arch_support("12.1", ["sm_90", "compute_80", "compute_90", "compute_120"]) == (
        "ptx",
        "compute_120",
    )


# ---- parser ---------------------------------------------------------------------------------------
def test_parse_runtime_takes_the_marker_line_among_noise():
    text = "torch_musa: some banner\n" + CU126_ON_5090 + "\n"
    r = parse_runtime(text, "C:\\venv\\python.exe")
    assert r.python == "C:\\venv\\python.exe" and r.torch_local == "cu126" and r.apis == {"cuda": True}
    assert r.devices == [
        RuntimeDevice(
            api="cuda",
            index=0,
            name="NVIDIA GeForce RTX 5090",
            capability="12.0",
            memory_total_bytes=34190917632,
        )
    ]


@pytest.mark.parametrize(
    "text", ["", "Traceback (most recent call last):", MARKER + "{broken", MARKER + "[1]"]
)
def test_parse_runtime_errors(text):
    with pytest.raises(ParseError):
        parse_runtime(text, "p")


@settings(max_examples=300, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=10),
        lambda c: (
            st.lists(c, max_size=3)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "torch",
                        "torch_local",
                        "apis",
                        "devices",
                        "arch_list",
                        "packages",
                        "api_errors",
                        "api",
                        "index",
                        "capability",
                        "cuda",
                        "memory_total_bytes",
                        "python_version",
                    ]
                ),
                c,
                max_size=6,
            )
        ),
        max_leaves=20,
    )
)
def test_fuzz_parse_runtime(value):
    try:
        parse_runtime(MARKER + json.dumps(value), "p")
    except ParseError:
        pass


# ---- the source with fake interpreters ------------------------------------------------------------
def _fake_interpreter(fake_tools, name, output, rc=0, sleep=0):
    return str(fake_tools.replay(name, {"*": {"stdout": output, "rc": rc, "sleep": sleep}}))


def test_fake_interpreter_through_the_source(fake_tools, make_host):
    py = _fake_interpreter(fake_tools, "venvpy", "import noise\n" + CU126_ON_5090 + "\n")
    res = rt.RuntimeSource().collect(make_host(), ProbeContext(pythons=[py], runtime_timeout_s=10))
    (r,) = res.runtimes
    assert r.torch == "2.7.1+cu126" and r.arch_list[-1] == "sm_90" and not res.problems


@pytest.mark.parametrize(
    "output, rc, detail_part",
    [
        ("", 1, "exit code 1"),
        ("Segmentation fault\n", 139, "Segmentation fault"),
    ],
)
def test_unreadable_interpreter_is_torch_probe_failed(fake_tools, make_host, output, rc, detail_part):
    py = _fake_interpreter(fake_tools, "brokenpy", output, rc=rc)
    res = rt.RuntimeSource().collect(make_host(), ProbeContext(pythons=[py], runtime_timeout_s=10))
    (p,) = res.problems
    assert p.code == "torch-probe-failed" and detail_part in str(p.message) and not res.runtimes


def test_missing_and_hanging_interpreters(fake_tools, make_host):
    hang = _fake_interpreter(fake_tools, "hangpy", "", sleep=30)
    res = rt.RuntimeSource().collect(
        make_host(), ProbeContext(pythons=["/nope/python", hang], runtime_timeout_s=0.5)
    )
    codes = sorted(
        (p.code, "no answer" in str(p.message) or "no such" in str(p.message)) for p in res.problems
    )
    assert codes == [("torch-probe-failed", True), ("torch-probe-failed", True)]


def test_source_timeout_follows_the_runtime_timeout(make_host):
    src = rt.RuntimeSource()
    assert not src.applicable(make_host(), ProbeContext())
    assert src.applicable(make_host(), ProbeContext(pythons=["x"], runtime_timeout_s=45))
    assert src.timeout_s == 47


@pytest.mark.needs_torch
def test_real_interpreter_with_cpu_torch_end_to_end(make_host):
    """The genuine case: this venv's torch 2.13.0+cpu."""
    res = rt.RuntimeSource().collect(
        make_host(env={"PATH": "/usr/bin:/bin"}), ProbeContext(pythons=[REAL_PYTHON], runtime_timeout_s=120)
    )
    assert not res.problems, [str(p.message) for p in res.problems]
    (r,) = res.runtimes
    assert r.torch.startswith("2.13.0") and r.torch_local == "cpu" and r.apis["cuda"] is False
    assert (
        r.python_version == "{}.{}.{}".format(*sys.version_info[:3])
        and r.packages["torch"] == r.torch
        and r.error is None
    )
    assert r.devices == [] and r.cuda is None


def test_interpreter_without_torch_reports_the_import_error(tmp_path, make_host):
    import venv

    venv.EnvBuilder(with_pip=False).create(tmp_path / "v")
    py = str(tmp_path / "v" / "bin" / "python")
    res = rt.RuntimeSource().collect(make_host(), ProbeContext(pythons=[py], runtime_timeout_s=60))
    (r,) = res.runtimes
    assert r.torch is None and "No module named 'torch'" in r.error
    assert r.python_version == ".".join(str(x) for x in sys.version_info[:3])


# ---- DIAGNOSE -------------------------------------------------------------------------------------
def _result(gpus, runtimes, platform="linux", pythons=()):
    return ProbeResult(host=HostInfo(platform=platform, pythons=list(pythons)), gpus=gpus, runtimes=runtimes)


def test_cpu_build_on_gpu_machine():
    r = parse_runtime(CPU_BUILD, "/venv/bin/python")
    (p,) = rt.diagnose_cpu_build(_result([_gpu()], [r]), None)
    assert p.code == "torch-cpu-build-on-gpu-machine" and p.gpu == 0 and "2.5.1+cpu" in str(p.message)
    assert rt.diagnose_cpu_build(_result([_gpu(api=None)], [r]), None) == []  # no usable GPU: quiet
    assert rt.diagnose_cpu_build(_result([], [r]), None) == []


def test_cpu_torch_with_directml_working_is_fine():
    r = parse_runtime(
        _line(
            torch="2.4.1+cpu",
            apis={"cuda": False, "directml": True},
            packages={"torch-directml": "0.2.5.dev240914"},
        ),
        "C:\\v\\python.exe",
    )
    assert (
        rt.diagnose_cpu_build(_result([_gpu(vendor="mthreads", api="directml")], [r], "windows"), None) == []
    )


def test_gpu_build_that_sees_no_device_says_so():
    r = parse_runtime(
        _line(
            torch="2.7.1+cu128",
            torch_local="cu128",
            cuda="12.8",
            apis={"cuda": False},
            api_errors={"cuda": "RuntimeError: The NVIDIA driver on your system is too old"},
        ),
        "p",
    )
    (p,) = rt.diagnose_cpu_build(_result([_gpu()], [r]), None)
    assert p.code == "torch-device-unavailable" and "too old" in str(p.message)


def test_sm120_on_a_cu126_wheel_is_an_error():
    r = parse_runtime(CU126_ON_5090, "/venv/bin/python")
    (p,) = rt.diagnose_arch(_result([], [r]), None)
    assert p.code == "torch-arch-not-supported" and p.severity == "error" and "sm_120" in str(p.message)


def test_pascal_from_the_probe_against_a_cu128_wheel():
    r = parse_runtime(
        _line(
            torch="2.7.1+cu128",
            torch_local="cu128",
            cuda="12.8",
            apis={"cuda": False},
            arch_list=["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"],
        ),
        "p",
    )
    (p,) = rt.diagnose_arch(_result([_gpu()], [r]), None)
    assert p.code == "torch-arch-not-supported" and p.gpu == 0 and "sm_61" in str(p.message)


def test_ptx_only_is_a_warning_with_the_jit_explained():
    r = parse_runtime(
        _line(
            torch="2.9.0+cu130",
            cuda="13.0",
            apis={"cuda": True},
            devices=[{"api": "cuda", "index": 0, "name": "Future GPU", "capability": "12.1"}],
            arch_list=["sm_90", "compute_90"],
        ),
        "p",
    )
    (p,) = rt.diagnose_arch(_result([], [r]), None)
    assert p.code == "torch-arch-ptx-jit" and p.severity == "warning" and "compute_90" in str(p.message)
    assert rt.diagnose_arch(_result([], [parse_runtime(CU128_WITH_PTX, "p")]), None) == []


def test_rocm_gfx_not_in_arch_list():
    r = parse_runtime(
        _line(
            torch="2.5.1+rocm6.2",
            hip="6.2.41133",
            apis={"cuda": True, "rocm": True},
            devices=[{"api": "rocm", "index": 0, "name": "AMD Radeon RX 7600", "capability": "gfx1102"}],
            arch_list=["gfx900", "gfx906", "gfx908", "gfx90a", "gfx1030", "gfx1100", "gfx942"],
        ),
        "p",
    )
    (p,) = rt.diagnose_arch(_result([], [r]), None)
    assert p.code == "torch-arch-not-supported" and "gfx1102" in str(p.message)


def test_python_version_rules():
    s80 = _gpu(vendor="mthreads", name="MTT S80", api="musa", capability=None)
    r311 = Runtime(python="/v/python", python_version="3.11.9", torch="2.5.0")
    (p,) = rt.diagnose_python_version(_result([s80], [r311]), None)
    assert (
        p.code == "python-version-unsupported" and "torch_musa" in str(p.message) and "3.10" in str(p.message)
    )
    working = Runtime(python="/v/python", python_version="3.11.9", torch="2.5.0", apis={"musa": True})
    assert rt.diagnose_python_version(_result([s80], [working]), None) == []
    # host interpreters: only 3.12 and 3.13 on a DirectML Windows box
    dml = _gpu(vendor="mthreads", name="MTT S80", api="directml", capability=None)
    pythons = [{"path": "a", "version": "3.13.1"}, {"path": "b", "version": "3.12.7"}]
    assert rt.diagnose_python_version(_result([dml], [], "windows", pythons), None) == []
    (p,) = rt.diagnose_python_version(_result([dml], [], "windows", pythons[:1]), None)
    assert "torch-directml" in str(p.message) and "3.13.1" in str(p.message)
    # torch_musa's rule is Linux only (there is no Windows torch_musa)
    assert rt.diagnose_python_version(_result([s80], [r311], "windows"), None) == []


def test_requirement_table_is_cited():
    for req in rt.PYTHON_REQUIREMENTS:
        assert req["source"] and req["specifier"] and req["required"]


class _GpuSource(Source):
    name = "fake-gpu"
    priority = 10

    def collect(self, host, ctx):
        return SourceResult(
            gpus=[
                Gpu(
                    vendor="nvidia",
                    name="NVIDIA GeForce GTX 1080 Ti",
                    pci=Pci(vendor_id="10de", device_id="1b06", bus_id="0000:01:00.0"),
                    compute=Compute(api="cuda", capability="6.1"),
                )
            ]
        )


def test_engine_end_to_end_with_a_fake_cu128_interpreter(fake_tools, make_host):
    py = _fake_interpreter(
        fake_tools,
        "cu128py",
        _line(
            torch="2.7.1+cu128",
            torch_local="cu128",
            cuda="12.8",
            apis={"cuda": True},
            devices=[{"api": "cuda", "index": 0, "name": "NVIDIA GeForce GTX 1080 Ti", "capability": "6.1"}],
            arch_list=["sm_75", "sm_80", "sm_86", "sm_90", "sm_100", "sm_120", "compute_120"],
        ),
    )
    result = probe(
        make_host(),
        ProbeContext(pythons=[py], runtime_timeout_s=10),
        sources=[_GpuSource(), rt.RuntimeSource()],
    )
    codes = {p.code: p for p in result.problems}
    assert "torch-arch-not-supported" in codes and codes["torch-arch-not-supported"].gpu == 0
    assert json.loads(json.dumps(result.to_json()))["runtimes"][0]["torch_local"] == "cu128"


def test_runtime_script_is_stdlib_only():
    import ast

    tree = ast.parse(Path(rt.SCRIPT_PATH).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module.split(".")[0])

    optional = {"torch", "torch_musa", "torch_directml", "pkg_resources"}
    assert {m for m in imported - optional if m not in sys.stdlib_module_names} == set()


def test_relative_interpreter_path_is_resolved_before_running(fake_tools, make_host, monkeypatch):
    _fake_interpreter(fake_tools, "relpy", CPU_BUILD)
    monkeypatch.chdir(fake_tools.bindir.parent)
    res = rt.RuntimeSource().collect(make_host(), ProbeContext(pythons=["bin/relpy"], runtime_timeout_s=10))
    assert [r.torch for r in res.runtimes] == ["2.5.1+cpu"] and res.runtimes[0].python == "bin/relpy"


# ---- the real runtime script against fake torch packages (PYTHONPATH shadows the venv's torch) ----
FAKE_TORCH_CUDA = """
__version__ = "2.7.1+cu126"
class version:
    cuda = "12.6"
    hip = None
class _C:
    @staticmethod
    def _cuda_getArchFlags():
        return "sm_50 sm_60 sm_70 sm_75 sm_80 sm_86 sm_90"
class _Props:
    name = "NVIDIA GeForce RTX 5090"
    major, minor, total_memory = 12, 0, 34190917632
class cuda:
    AVAILABLE = True
    @staticmethod
    def is_available():
        return cuda.AVAILABLE
    @staticmethod
    def device_count():
        return 1
    @staticmethod
    def get_device_properties(i):
        return _Props()
    @staticmethod
    def get_arch_list():
        return _C._cuda_getArchFlags().split() if cuda.AVAILABLE else []
class backends:
    class mps:
        @staticmethod
        def is_available():
            return False
"""


def _fake_site(tmp_path, files: dict) -> str:
    site = tmp_path / "site"
    for rel, text in files.items():
        p = site / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return str(site)


def _dist(name, version):
    # wheel naming: the dist-info folder uses the underscored name (torch_directml-0.2.5...dist-info)
    folder = name.replace("-", "_")
    return {
        f"{folder}-{version}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    }


def _run_real_script(make_host, site):
    host = make_host(env={"PATH": "/usr/bin:/bin", "PYTHONPATH": site})
    res = rt.RuntimeSource().collect(host, ProbeContext(pythons=[REAL_PYTHON], runtime_timeout_s=60))
    assert not res.problems, [str(p.message) for p in res.problems]
    return res.runtimes[0]


def test_script_reads_a_cuda_build_with_its_device(tmp_path, make_host):
    site = _fake_site(
        tmp_path,
        {
            "torch/__init__.py": FAKE_TORCH_CUDA,
            **_dist("torch", "2.7.1+cu126"),
            **_dist("torchvision", "0.22.1+cu126"),
        },
    )
    r = _run_real_script(make_host, site)
    assert (r.torch, r.torch_local, r.cuda, r.apis["cuda"]) == ("2.7.1+cu126", "cu126", "12.6", True)
    assert r.devices == [
        RuntimeDevice(
            api="cuda",
            index=0,
            name="NVIDIA GeForce RTX 5090",
            capability="12.0",
            memory_total_bytes=34190917632,
        )
    ]
    assert r.packages == {"torch": "2.7.1+cu126", "torchvision": "0.22.1+cu126"}
    (p,) = rt.diagnose_arch(_result([], [r]), None)
    assert p.code == "torch-arch-not-supported" and "sm_120" in str(p.message)


def test_script_falls_back_to_compiled_arch_flags_when_no_device_is_usable(tmp_path, make_host):
    site = _fake_site(
        tmp_path,
        {
            "torch/__init__.py": FAKE_TORCH_CUDA.replace("AVAILABLE = True", "AVAILABLE = False"),
            **_dist("torch", "2.7.1+cu126"),
        },
    )
    r = _run_real_script(make_host, site)
    assert r.apis["cuda"] is False and r.devices == [] and r.arch_list[-1] == "sm_90"
    codes = [p.code for p in rt.diagnose_cpu_build(_result([_gpu(capability="12.0")], [r]), None)]
    assert codes == ["torch-device-unavailable"]


def test_script_survives_a_broken_torch_musa(tmp_path, make_host):
    site = _fake_site(
        tmp_path,
        {
            "torch/__init__.py": '__version__ = "2.5.0"\nclass version:\n    cuda = None\n    hip = None\n'
            "class cuda:\n    is_available = staticmethod(lambda: False)\n"
            "    get_arch_list = staticmethod(lambda: [])\n",
            "torch_musa/__init__.py": 'raise ImportError("/usr/local/musa/lib/libmusart.so: '
            'undefined symbol: musaGetDeviceProperties_v2")\n',
            **_dist("torch", "2.5.0"),
            **_dist("torch_musa", "2.1.1"),
        },
    )
    r = _run_real_script(make_host, site)
    assert r.apis["musa"] is False and "undefined symbol" in r.api_errors["musa"]
    assert r.packages["torch_musa"] == "2.1.1" and r.error is None


def test_script_reports_a_torch_that_cannot_load(tmp_path, make_host):
    site = _fake_site(
        tmp_path, {"torch/__init__.py": 'raise OSError("[WinError 126] Error loading c10.dll")\n'}
    )
    r = _run_real_script(make_host, site)
    assert r.torch is None and r.error.startswith("import torch: OSError") and "c10.dll" in r.error


def test_script_reads_torch_directml(tmp_path, make_host):
    site = _fake_site(
        tmp_path,
        {
            "torch/__init__.py": '__version__ = "2.4.1+cpu"\n'
            "class version:\n    cuda = None\n    hip = None\n"
            "class cuda:\n    is_available = staticmethod(lambda: False)\n"
            "    get_arch_list = staticmethod(lambda: [])\n",
            "torch_directml/__init__.py": "def is_available():\n    return True\n"
            "def device_count():\n    return 1\n"
            "def device_name(i):\n    return 'MTT S80'\n",
            **_dist("torch", "2.4.1+cpu"),
            **_dist("torch-directml", "0.2.5.dev240914"),
        },
    )
    r = _run_real_script(make_host, site)
    assert r.apis["directml"] is True and r.devices[0].name == "MTT S80" and r.devices[0].api == "directml"
    assert r.packages["torch-directml"] == "0.2.5.dev240914"
    assert (
        rt.diagnose_cpu_build(_result([_gpu(vendor="mthreads", api="directml")], [r], "windows"), None) == []
    )
