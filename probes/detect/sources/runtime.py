"""The torch build inside a target interpreter (``probe --python PATH``) and the checks on it.

By hand: ``PATH -c "import torch; print(torch.__version__, torch.cuda.is_available(),
torch.cuda.get_arch_list())"``. We run ``probes/detect/runtime_script.py`` (standard library only) with
the interpreter itself, with its own timeout (importing torch can take 20 s on a cold disk), and
read its one JSON line (``probes.detect.parsers.runtime_json``).

DIAGNOSE rules (run after the merge, on the whole probe result):

* ``torch-cpu-build-on-gpu-machine`` — torch is there but no device API works (a ``+cpu`` wheel is
  the usual cause; ``+cpu`` with a working torch-directml is the normal DirectML set-up and fine),
  while the probe found a GPU with a usable compute API. When torch *is* a GPU build (``+cu126``,
  ``+rocm6.2``...) and still sees no device, ``torch-device-unavailable`` says so instead.
* ``torch-arch-not-supported`` — an NVIDIA card whose capability (e.g. 12.0 -> sm_120) has no
  kernels in ``torch.cuda.get_arch_list()``. ``arch_support`` follows NVIDIA's compatibility
  rules (CUDA C++ Programming Guide, "Binary Compatibility" / "PTX Compatibility"): a cubin for
  sm_XY runs on capability X.Z for Z >= Y (same major only); arch-specific cubins (``sm_90a``) run
  only on exactly that capability; PTX (``compute_XY``) is JIT-compiled by the driver for any
  newer capability — that case is ``torch-arch-ptx-jit`` (a warning: it works, first use is slow)
  rather than an error. AMD: the card's ``gfxNNNN`` must be in the list.
* ``python-version-unsupported`` — ``PYTHON_REQUIREMENTS`` below (a cited table).
* ``torch-probe-failed`` — the interpreter could not be run or printed nothing we can read
  (reported by the source itself).
"""

from __future__ import annotations

import os
import re
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TypedDict

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import InvalidVersion, Version

from probes.core.errors import ParseError
from probes.core.host import Host
from probes.core.model import Gpu, ProbeResult, Problem, Runtime, SourceResult
from probes.core.problems import define, problem
from probes.detect.parsers.runtime_json import parse_runtime
from probes.detect.sources import ProbeContext, Source

SCRIPT_PATH = Path(__file__).resolve().parent.parent / "runtime_script.py"
USABLE_APIS = ("cuda", "rocm", "musa", "xpu", "mps", "directml")
GPU_LOCAL_TAGS = re.compile(r"^(cu\d+|rocm[\d.]+|xpu|musa[\d.]*)", re.IGNORECASE)

# Which Python a vendor runtime needs. Data, with its sources; ``applies(gpu, platform)``.


class _PythonRequirement(TypedDict):
    package: str
    api: str
    specifier: str  # PEP 440, on the Python version
    required: str  # as users read it
    vendor: str | None
    platform: str
    source: str


PYTHON_REQUIREMENTS: tuple[_PythonRequirement, ...] = (
    {
        "package": "torch_musa",
        "api": "musa",
        "specifier": "==3.10.*",
        "required": "3.10",
        "vendor": "mthreads",
        "platform": "linux",
        "source": "MooreThreads/torch_musa README v1.3.2+: 'We only provide wheels that build upon "
        "python3.10'; every 2.x release and docker tag is py310 (MooreThreads/torch_musa README). "
        "No Windows build exists (https://github.com/MooreThreads/torch_musa/issues/27).",
    },
    {
        "package": "torch-directml",
        "api": "directml",
        "specifier": ">=3.8,<3.13",
        "required": "3.8-3.12",
        "vendor": None,
        "platform": "windows",
        "source": "microsoft/DirectML PyTorch/README 'Python (3.8 to 3.12)'; torch-directml has "
        "cp38-cp312 wheels only, none for 3.13 (https://pypi.org/project/torch-directml/).",
    },
)

define(
    "torch-arch-ptx-jit",
    "warning",
    "torch {torch} in {python} has no compiled kernels for {gpu_name} ({arch}); it will JIT-compile "
    "the included PTX ({ptx}) on first use.",
    "It works, but the first run of every kernel is slow and the JIT cache can grow large. A torch "
    "build whose arch list includes {arch} avoids this (see the Match page).",
)
define(
    "torch-device-unavailable",
    "error",
    "torch {torch} in {python} is a {api} build but cannot use {gpu_name}: {detail}",
    "Check that the driver works (re-scan) and that it is new enough for this torch build; the "
    "Match page shows the build that fits your driver.",
)


def _applies(req: _PythonRequirement, gpu: Gpu, platform: str | None) -> bool:
    if req["platform"] and platform != req["platform"]:
        return False
    if req["vendor"]:
        return gpu.vendor == req["vendor"]
    return gpu.compute.api == req["api"]


def _parse_arch(entry: str) -> tuple[str, int, str] | None:
    """'sm_86' -> ('sm', 86, ''); 'compute_90a' -> ('compute', 90, 'a'); junk -> None."""
    m = re.fullmatch(r"(sm|compute)_([0-9]{1,4})([a-z]?)", entry.strip().lower()[:32])
    return (m.group(1), int(m.group(2)), m.group(3)) if m else None


def _cap_number(capability: str) -> int | None:
    m = re.fullmatch(r"([0-9]{1,3})\.([0-9]{1,3})", (capability or "").strip()[:16])
    return int(m.group(1)) * 10 + int(m.group(2)) if m else None


def arch_support(capability: str, arch_list: list) -> tuple[str, str | None]:
    """('ok'|'ptx'|'missing'|'unknown', detail) for an NVIDIA capability against get_arch_list()."""
    cap = _cap_number(capability)
    entries = [e for e in (_parse_arch(a) for a in arch_list or []) if e]
    if cap is None or not entries:
        return "unknown", None
    for kind, n, suffix in entries:
        if kind == "sm" and n == cap:
            return "ok", f"sm_{n}{suffix}"
    for kind, n, suffix in entries:
        if kind == "sm" and not suffix and n // 10 == cap // 10 and n % 10 <= cap % 10:
            return "ok", f"sm_{n}"  # binary compatible within a major version
    ptx = sorted(n for kind, n, suffix in entries if kind == "compute" and not suffix and n <= cap)
    if ptx:
        return "ptx", f"compute_{ptx[-1]}"
    return "missing", None


def _sm_name(capability: str) -> str:
    n = _cap_number(capability)
    return f"sm_{n}" if n is not None else capability


def _gpu_label(gpu: Gpu) -> str:
    return gpu.name or f"{gpu.vendor or 'GPU'} {gpu.pci.vendor_id or '?'}:{gpu.pci.device_id or '?'}"


def _version_ok(version: str | None, spec: str) -> bool | None:
    if version is None:
        return None
    try:
        return Version(version) in SpecifierSet(spec)
    except (InvalidVersion, InvalidSpecifier, TypeError):
        return None


# ---- DIAGNOSE rules ---------------------------------------------------------------------------
def diagnose_cpu_build(result: ProbeResult, host: Host) -> list:
    out: list[Problem] = []
    usable = [g for g in result.gpus if g.compute.api in USABLE_APIS]
    if not usable:
        return out
    gpu = usable[0]
    for r in result.runtimes:
        if not r.torch or r.error or any(r.apis.values()):
            continue
        local = (r.torch_local or "").lower()
        tag = GPU_LOCAL_TAGS.match(local) if local else None
        if tag:
            api = tag.group(1)
            detail = next(iter(r.api_errors.values()), None) or "no device is available to it"
            out.append(
                problem(
                    "torch-device-unavailable",
                    gpu=gpu.index,
                    source="runtime",
                    torch=r.torch,
                    python=r.python,
                    api=api,
                    gpu_name=_gpu_label(gpu),
                    detail=detail,
                )
            )
        else:
            out.append(
                problem(
                    "torch-cpu-build-on-gpu-machine",
                    gpu=gpu.index,
                    source="runtime",
                    python=r.python,
                    torch=r.torch,
                    gpu_name=_gpu_label(gpu),
                )
            )
    return out


def diagnose_arch(result: ProbeResult, host: Host) -> list:
    out = []
    for r in result.runtimes:
        if not r.torch or not r.arch_list:
            continue
        checks = []  # (gpu index or None, name, capability-or-gfx, kind)
        seen = set()
        for d in r.devices:
            if d.api in ("cuda", "rocm") and d.capability:
                kind = "rocm" if d.api == "rocm" else "cuda"
                checks.append((None, d.name or f"{d.api}:{d.index}", d.capability, kind))
                seen.add((kind, d.capability))
        for g in result.gpus:
            if (
                r.cuda
                and g.vendor == "nvidia"
                and g.compute.capability
                and ("cuda", g.compute.capability) not in seen
            ):
                checks.append((g.index, _gpu_label(g), g.compute.capability, "cuda"))
                seen.add(("cuda", g.compute.capability))
            if r.hip and g.vendor == "amd" and g.compute.gfx and ("rocm", g.compute.gfx) not in seen:
                checks.append((g.index, _gpu_label(g), g.compute.gfx, "rocm"))
                seen.add(("rocm", g.compute.gfx))
        # a device seen through torch maps to the probe's GPU of the same name when there is one
        for gpu_index, name, cap, kind in checks:
            if gpu_index is None:
                same = [g.index for g in result.gpus if g.name and g.name == name]
                gpu_index = same[0] if len(same) == 1 else None
            arch_list = ", ".join(r.arch_list)
            if kind == "rocm":
                gfx = cap.split(":")[0]
                if gfx not in [a.split(":")[0] for a in r.arch_list]:
                    out.append(
                        problem(
                            "torch-arch-not-supported",
                            gpu=gpu_index,
                            source="runtime",
                            torch=r.torch,
                            python=r.python,
                            gpu_name=name,
                            arch=gfx,
                            arch_list=arch_list,
                        )
                    )
                continue
            status, detail = arch_support(cap, r.arch_list)
            if status == "missing":
                out.append(
                    problem(
                        "torch-arch-not-supported",
                        gpu=gpu_index,
                        source="runtime",
                        torch=r.torch,
                        python=r.python,
                        gpu_name=name,
                        arch=_sm_name(cap),
                        arch_list=arch_list,
                    )
                )
            elif status == "ptx":
                out.append(
                    problem(
                        "torch-arch-ptx-jit",
                        gpu=gpu_index,
                        source="runtime",
                        torch=r.torch,
                        python=r.python,
                        gpu_name=name,
                        arch=_sm_name(cap),
                        ptx=detail,
                    )
                )
    return out


def diagnose_python_version(result: ProbeResult, host: Host) -> list:
    out = []
    platform = result.host.platform or getattr(host, "platform", None)
    for req in PYTHON_REQUIREMENTS:
        gpus = [g for g in result.gpus if _applies(req, g, platform)]
        if not gpus:
            continue
        gpu = gpus[0]
        for r in result.runtimes:
            if r.apis.get(req["api"]):
                continue  # it works in this interpreter, whatever the table says
            if _version_ok(r.python_version, req["specifier"]) is False:
                out.append(
                    problem(
                        "python-version-unsupported",
                        gpu=gpu.index,
                        source="runtime",
                        version=r.python_version,
                        package=req["package"],
                        required=req["required"],
                    )
                )
        pythons = [p for p in (result.host.pythons or []) if isinstance(p, dict) and p.get("version")]
        if pythons and not any(_version_ok(p["version"], req["specifier"]) for p in pythons):
            versions = ", ".join(sorted({p["version"] for p in pythons}))
            out.append(
                problem(
                    "python-version-unsupported",
                    gpu=gpu.index,
                    source="host",
                    version=versions,
                    package=req["package"],
                    required=req["required"],
                )
            )
    return out


DIAGNOSE = [diagnose_cpu_build, diagnose_arch, diagnose_python_version]


# ---- the source -------------------------------------------------------------------------------
class RuntimeSource(Source):
    name = "runtime"
    priority = 30
    timeout_s = 32.0

    def applicable(self, host: Host, ctx: ProbeContext) -> bool:
        # The engine reads timeout_s after applicable(): follow the run's own runtime timeout
        # (interpreters are inspected in parallel, so one timeout plus a margin covers them all).
        self.timeout_s = float(ctx.runtime_timeout_s) + 2.0
        return bool(ctx.pythons)

    def collect(self, host: Host, ctx: ProbeContext) -> SourceResult:
        out = SourceResult()
        try:
            code = SCRIPT_PATH.read_text(encoding="utf-8")
        except OSError as exc:  # pragma: no cover - a broken installation
            for py in ctx.pythons:
                out.problems.append(
                    problem("torch-probe-failed", source=self.name, python=py, detail=str(exc))
                )
            return out

        def inspect(py: str) -> tuple[Runtime | None, Problem | None]:
            exe = py
            if not re.search(r"[\\/]", py):
                exe = host.which(py) or py  # a bare name like "python3.10"
            elif not host.machine_path(py).is_absolute() and not getattr(host, "simulated", None):
                exe = os.path.abspath(py)  # we run it from a temporary directory
            res = host.run(
                [exe, "-c", code],
                timeout_s=ctx.runtime_timeout_s,
                env={"PYTHONIOENCODING": "utf-8", "PYTHONDONTWRITEBYTECODE": "1"},
                cwd=tempfile.gettempdir(),
            )
            if res.error == "not-found":
                return None, problem(
                    "torch-probe-failed", source=self.name, python=py, detail="no such interpreter"
                )
            if res.error is not None:
                return None, problem(
                    "torch-probe-failed", source=self.name, python=py, detail=res.detail or res.error
                )
            try:
                return parse_runtime(res.stdout, py), None
            except ParseError as exc:
                lines = (res.stderr.strip() or res.stdout.strip()).splitlines()
                detail = lines[-1][:200] if lines else f"exit code {res.rc}, {exc.detail}"
                return None, problem("torch-probe-failed", source=self.name, python=py, detail=detail)

        with ThreadPoolExecutor(max_workers=max(1, min(4, len(ctx.pythons)))) as pool:
            for runtime, prob in pool.map(inspect, list(ctx.pythons)):
                if runtime is not None:
                    out.runtimes.append(runtime)
                if prob is not None:
                    out.problems.append(prob)
        return out


SOURCES = [RuntimeSource()]
