"""The smoke run: load the GGUF model, pick device and dtype, sample, measure, judge.

Standard library + torch only (this runs inside the *target* interpreter). Every outcome —
including a missing torch, a missing device or a damaged model file — ends in one result
dictionary (schema ``rigpilot.smoke/1``) with a verdict and stable codes; nothing raises.

GGUF has no checksum, so a damaged copy can load *different* weights without any error. The
shipped model's SHA-256 is therefore kept next to it (``rigpilot-smoke.gguf.sha256``, sha256sum
format) and checked before use: a mismatch (or a missing manifest) is ``model-corrupt`` with the
expected and actual hashes. Any model is hashed and its hash recorded (``model_sha256``); a
user-supplied model is checked too when a ``<file>.sha256`` lies next to it.
"""

from __future__ import annotations

import hashlib
import math
import os
import platform
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from probes.smoke.target import gguf, png

# a torch.Tensor: torch is imported only inside the run (and is untyped for the checker here)
Tensor = Any
SCHEMA = "rigpilot.smoke/1"
ASSET_DIR = Path(__file__).resolve().parents[3] / "assets" / "smoke"
DEFAULT_MODEL = ASSET_DIR / "rigpilot-smoke.gguf"
DEFAULT_REFERENCE = ASSET_DIR / "reference-cpu-fp32.png"
MANIFEST_SUFFIX = ".sha256"
MAX_MODEL_BYTES = 1 << 30  # far above any smoke model: a bigger file is not one
DEFAULT_STEPS = 20
DEFAULT_RESOLUTION = 32
SEED = 0
ARCH = "rigpilot-smoke-unet"

# code -> severity (the messages and hints users read live in probes/smoke/codes.py, translated)
SEVERITY = {
    "nan-output": "fail",
    "black-image": "fail",
    "mismatch-vs-cpu": "fail",
    "arch-not-compiled": "fail",
    "out-of-memory": "fail",
    "torch-missing": "fail",
    "device-unavailable": "fail",
    "model-corrupt": "fail",
    "device-error": "fail",
    "vram-spill-suspected": "warn",
    "bf16-unsupported-fell-back": "warn",
}
# PSNR (dB) against the CPU float32 image below which the result is a mismatch: (fail, warn)
PSNR_LIMITS = {"float32": (30.0, 40.0), "float16": (24.0, 32.0), "bfloat16": (20.0, 28.0)}
# (calibration, re-measured after the kernel changes of 2026-11-22: the CPU emulation of the default
# run gives 53.8 dB in float16 and 37.7 dB in bfloat16 against float32)
PSNR_IDENTICAL = 100.0  # reported when the images are identical
SPILL_FACTOR = 3.0  # a warm step this many times the warm median …
SPILL_MIN_EXTRA_S = 0.25  # … and at least this much slower is a suspected spill

# Real error texts (CUDA runtime, HIP, MUSA) meaning "this build has no kernels for this GPU"
ARCH_PATTERNS = [
    r"no kernel image is available for execution on the device",
    r"invalid device function",
    r"hipErrorNoBinaryForGpu",
    r"no binary for gpu",
    r"is not compatible with the current PyTorch installation",
    r"CUDA error: no kernel image",
    r"MUSA error: invalid device function",
]
OOM_PATTERNS = [
    r"out of memory",
    r"OutOfMemoryError",
    r"can't allocate memory",
    r"Tried to allocate",
    r"failed to allocate",
]

KNOWN_INJECTIONS = ("slow-step", "no-bf16", "nan-output")


class SmokeFailure(Exception):
    """Ends the run with ``code``; ``detail`` is plain English for the log and the report."""

    def __init__(self, code: str, detail: str, **extra: object) -> None:
        super().__init__(detail)
        self.code = code
        self.detail = detail
        self.extra = extra  # more fields of the problem (e.g. expected/actual hashes)


def classify_error(exc: BaseException) -> tuple[str, str]:
    """Map an exception raised on the device to a smoke code from its type and real text."""
    text = f"{type(exc).__name__}: {exc}"
    first = text.strip().splitlines()[0][:400] if text.strip() else type(exc).__name__
    if type(exc).__name__ == "OutOfMemoryError" or any(re.search(p, text, re.I) for p in OOM_PATTERNS):
        return "out-of-memory", first
    if any(re.search(p, text, re.I) for p in ARCH_PATTERNS):
        return "arch-not-compiled", first
    return "device-error", first


# ---------------------------------------------------------------------------------------- device


def _backend_module(torch: ModuleType, kind: str) -> Any:  # torch.cuda, torch.musa... or None
    if kind == "cuda":
        return torch.cuda
    if kind == "musa":
        return getattr(torch, "musa", None)
    if kind == "xpu":
        return getattr(torch, "xpu", None)
    if kind == "mps":
        return getattr(torch, "mps", None)
    return None


def _parse_device_spec(spec: str) -> tuple[str, int]:
    """(kind, index) of a ``--device`` value; SmokeFailure ``device-unavailable`` when malformed."""
    spec = (spec or "auto").strip().lower()
    m = re.fullmatch(r"(auto|cpu|cuda|musa|xpu|mps|directml|dml)(?::(\d+))?", spec)
    if not m:
        raise SmokeFailure(
            "device-unavailable",
            f"unknown device {spec!r}: use auto, cpu, cuda[:N], musa[:N], xpu[:N], mps or directml[:N]",
        )
    kind, index = m.group(1), int(m.group(2) or 0)
    return ("directml" if kind == "dml" else kind), index


def _import_torch_musa() -> None:
    try:
        import torch_musa  # noqa: F401  (registers torch.musa and the "musa" device)
    except Exception as exc:  # ImportError or a broken driver stack
        raise SmokeFailure(
            "device-unavailable", f"torch_musa cannot be imported ({type(exc).__name__}: {exc})"
        ) from None


def _directml_device(index: int) -> tuple:
    try:
        import torch_directml
    except Exception as exc:
        raise SmokeFailure(
            "device-unavailable", f"torch_directml cannot be imported ({type(exc).__name__}: {exc})"
        ) from None
    count = torch_directml.device_count()
    if index >= count:
        raise SmokeFailure("device-unavailable", f"DirectML device {index} does not exist ({count} found)")
    return torch_directml.device(index), "directml", index, torch_directml.device_name(index)


def _mps_device(torch: ModuleType) -> tuple:
    mps = getattr(torch.backends, "mps", None)
    if not (mps and mps.is_available()):
        raise SmokeFailure("device-unavailable", "Metal (mps) is not available in this torch build")
    return torch.device("mps"), "mps", None, "Apple GPU (Metal)"


def _backend_device(torch: ModuleType, kind: str, index: int) -> tuple:
    """cuda (also ROCm), musa or xpu device ``index`` through its torch backend module."""
    mod = _backend_module(torch, kind)
    try:
        available = bool(mod and mod.is_available())
        count = mod.device_count() if available else 0
    except Exception as exc:
        raise SmokeFailure("device-unavailable", f"{kind} runtime failed to start: {exc}") from None
    if not available:
        why = {
            "cuda": "this torch build has no CUDA/ROCm support or no GPU is visible"
            + (f" (torch {torch.__version__})" if "+cpu" in torch.__version__ else ""),
            "musa": "torch_musa reports no MUSA device",
            "xpu": "this torch build sees no Intel XPU",
        }[kind]
        raise SmokeFailure("device-unavailable", f"{kind} is not available: {why}")
    if index >= count:
        raise SmokeFailure("device-unavailable", f"{kind}:{index} does not exist ({count} device(s) found)")
    try:
        name = mod.get_device_name(index)
    except Exception:
        name = f"{kind}:{index}"
    return torch.device(f"{kind}:{index}"), kind, index, name


def select_device(torch: ModuleType, spec: str) -> tuple:
    """(torch.device or DirectML device, kind, index, human name) for ``spec``; SmokeFailure
    ``device-unavailable`` when it does not exist here."""
    kind, index = _parse_device_spec(spec)
    if kind == "auto":
        for candidate in ("cuda", "musa", "xpu", "mps"):
            try:
                return select_device(torch, candidate)
            except SmokeFailure:
                continue
        return select_device(torch, "cpu")
    if kind == "cpu":
        return torch.device("cpu"), "cpu", None, platform.processor() or platform.machine() or "CPU"
    if kind == "musa":
        _import_torch_musa()
    if kind == "directml":
        return _directml_device(index)
    if kind == "mps":
        return _mps_device(torch)
    return _backend_device(torch, kind, index)


def bf16_supported(torch: ModuleType, kind: str, device: object, mod: Any) -> bool:
    if kind == "cuda":
        if getattr(torch.version, "hip", None):
            return bool(torch.cuda.is_bf16_supported())
        return torch.cuda.get_device_capability(device) >= (8, 0)
    if kind in ("musa", "xpu") and mod is not None and hasattr(mod, "is_bf16_supported"):
        try:
            return bool(mod.is_bf16_supported())
        except Exception:
            return False
    try:  # mps, directml, cpu, or a backend without a query: try a tiny bf16 convolution
        x = torch.ones((1, 1, 4, 4), dtype=torch.bfloat16, device=device)
        y = torch.nn.functional.conv2d(x, torch.ones((1, 1, 3, 3), dtype=torch.bfloat16, device=device))
        return bool(torch.isfinite(y.float().cpu()).all())
    except Exception:
        return False


def choose_dtype(
    torch: ModuleType, kind: str, device: object, mod: Any, requested: str, inject: set
) -> tuple[object, str, list]:
    """(dtype, reason, codes) — bf16 where supported, else fp16; fp32 on the CPU."""
    names = {
        "float32": torch.float32,
        "fp32": torch.float32,
        "float16": torch.float16,
        "fp16": torch.float16,
        "bfloat16": torch.bfloat16,
        "bf16": torch.bfloat16,
    }
    requested = (requested or "auto").lower()
    if requested != "auto" and requested not in names:
        raise SmokeFailure("device-unavailable", f"unknown dtype {requested!r}: use auto, fp32, fp16 or bf16")
    has_bf16 = "no-bf16" not in inject and bf16_supported(torch, kind, device, mod)
    if requested == "auto":
        if kind == "cpu":
            return torch.float32, "CPU: float32, the reference precision (half precision is slow on CPUs)", []
        if has_bf16:
            return torch.bfloat16, "the device supports bfloat16", []
        return torch.float16, "the device has no bfloat16 support, so float16", []
    dtype = names[requested]
    if dtype is torch.bfloat16 and not has_bf16:
        fallback = torch.float32 if kind == "cpu" else torch.float16
        return (
            fallback,
            (
                f"bfloat16 was requested but the device does not support it; fell back to "
                f"{str(fallback).replace('torch.', '')}"
            ),
            [("bf16-unsupported-fell-back", "bfloat16 requested, not supported by this device")],
        )
    return dtype, "requested on the command line", []


# ---------------------------------------------------------------------------------------- model


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks (raises OSError)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def manifest_path(model_path: Path) -> Path:
    return model_path.with_name(model_path.name + MANIFEST_SUFFIX)


def read_manifest(path: Path) -> str | None:
    """The hex digest of a ``sha256sum``-style file ('<64 hex>  name'); None if absent or unreadable."""
    try:
        text = path.read_bytes()[:4096].decode("ascii")
    except (OSError, UnicodeDecodeError):
        return None
    words = text.split()
    if words and re.fullmatch(r"[0-9a-fA-F]{64}", words[0]):
        return words[0].lower()
    return None


def write_manifest(model_path: Path) -> Path:
    """Write ``<model>.sha256`` (used when the model is regenerated: tools/smoke_export.py)."""
    out = manifest_path(model_path)
    out.write_text(f"{file_sha256(model_path)}  {model_path.name}\n", encoding="ascii")
    return out


def is_shipped(model_path: Path) -> bool:
    try:
        return model_path.resolve() == DEFAULT_MODEL.resolve()
    except OSError:
        return False


def check_model_file(model_path: Path) -> tuple[str, str | None]:
    """(actual SHA-256, expected SHA-256 or None) of a model file before anything reads it.

    SmokeFailure ``model-corrupt`` when it cannot be read, is absurdly large, when the shipped
    model has no manifest, or when a manifest exists and the hashes differ."""
    try:
        size = model_path.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise SmokeFailure(
                "model-corrupt", f"{model_path.name} is {size} bytes, far more than a smoke model"
            )
        actual = file_sha256(model_path)
    except OSError as exc:
        raise SmokeFailure("model-corrupt", f"cannot read {model_path}: {exc.strerror or exc}") from None
    manifest = manifest_path(model_path)
    expected = read_manifest(manifest)
    if expected is None and is_shipped(model_path):
        raise SmokeFailure(
            "model-corrupt",
            f"the checksum file {manifest.name} of the shipped model is missing "
            f"or unreadable (SHA-256 of the model: {actual})",
            actual=actual,
        )
    if expected is not None and expected != actual:
        raise SmokeFailure(
            "model-corrupt",
            f"{model_path.name}: SHA-256 {actual} does not match the expected {expected} ({manifest.name})",
            expected=expected,
            actual=actual,
        )
    return actual, expected


class QuantizedModel:
    """The GGUF tensors kept as raw quantized bytes on the device, dequantized per layer on use."""

    def __init__(self, torch: ModuleType, file: gguf.GgufFile, device: object, dtype: object) -> None:
        from probes.smoke.target import net, quant

        self.torch, self.dtype, self.quant = torch, dtype, quant
        self.shapes = net.param_shapes()
        self.raw: dict[str, tuple] = {}
        self.bytes_total = 0
        self.type_counts: dict[str, int] = {}
        for name, shape in self.shapes.items():
            info = file.tensors.get(name)
            if info is None:
                raise SmokeFailure("model-corrupt", f"the model file has no tensor {name!r}")
            if info.ggml_type not in quant.SUPPORTED:
                raise SmokeFailure(
                    "model-corrupt",
                    f"tensor {name!r} uses the unsupported quant type "
                    f"{info.type_name} (supported: F32, F16, BF16, Q4_0, Q8_0, Q4_K, Q6_K)",
                )
            if info.numel != math.prod(shape):
                raise SmokeFailure(
                    "model-corrupt",
                    f"tensor {name!r} has {info.numel} values, the network needs {math.prod(shape)}",
                )
            data = torch.frombuffer(bytearray(file.tensor_bytes(name)), dtype=torch.uint8)
            self.raw[name] = (data.to(device), info.ggml_type, shape)
            self.bytes_total += info.nbytes
            self.type_counts[info.type_name] = self.type_counts.get(info.type_name, 0) + 1
        self.dequant_bytes = 0
        self.dequant_s = 0.0

    def weight(self, name: str) -> Tensor:
        raw, ggml_type, shape = self.raw[name]
        return self.quant.dequantize(raw, ggml_type, shape, self.dtype)

    def nonfinite_tensors(self) -> list[str]:
        bad = []
        for name in self.shapes:
            raw, ggml_type, shape = self.raw[name]
            w = self.quant.dequantize(raw, ggml_type, shape, self.torch.float32)
            if not bool(self.torch.isfinite(w).all()):
                bad.append(name)
        return bad


def _sync(torch: ModuleType, kind: str, mod: Any, x: Tensor | None = None) -> None:
    if mod is not None and hasattr(mod, "synchronize"):
        mod.synchronize()
    elif kind == "directml" and x is not None:
        x.reshape(-1)[:1].cpu()


def measure_dequant(
    torch: ModuleType, model: QuantizedModel, kind: str, mod: Any, min_s: float = 0.05
) -> float | None:
    """GB/s of quantized bytes turned into ``dtype`` weights, over every tensor, repeated ≥ min_s."""
    rounds, elapsed = 0, 0.0
    names = [n for n, (_, t, _) in model.raw.items() if t not in (0, 1, 30)]
    nbytes = sum(model.raw[n][0].numel() for n in names)
    if not nbytes:
        return None
    for name in names:  # warm-up (first-call allocations, kernel loading)
        model.weight(name)
    _sync(torch, kind, mod)
    start = time.perf_counter()
    while elapsed < min_s or rounds < 3:
        last = None
        for name in names:
            last = model.weight(name)
        _sync(torch, kind, mod, last)
        rounds += 1
        elapsed = time.perf_counter() - start
    return nbytes * rounds / elapsed / 1e9


class PeakMemory:
    """Peak device memory through the backend's own API; None where the backend has none."""

    def __init__(self, torch, kind, index, mod):
        self.torch, self.kind, self.index, self.mod = torch, kind, index, mod
        self.peak = None
        if kind in ("cuda", "musa", "xpu") and mod is not None and hasattr(mod, "reset_peak_memory_stats"):
            try:
                mod.reset_peak_memory_stats(index)
            except Exception:
                pass

    def sample(self) -> None:
        try:
            if self.kind in ("cuda", "musa", "xpu") and hasattr(self.mod, "max_memory_allocated"):
                value = int(self.mod.max_memory_allocated(self.index))
            elif self.kind == "mps" and hasattr(self.mod, "driver_allocated_memory"):
                value = int(self.mod.driver_allocated_memory())
            else:
                return
        except Exception:
            return
        self.peak = value if self.peak is None else max(self.peak, value)


# ---------------------------------------------------------------------------------------- judging


def to_rgb_bytes(torch: ModuleType, x: Tensor) -> tuple[bytes, bool]:
    """[-1, 1] image tensor (1, 3, H, W) → RGB bytes (NaN → 0) and whether it was all finite."""
    x = x.detach().float().cpu()[0]
    finite = bool(torch.isfinite(x).all())
    x = torch.nan_to_num(x, nan=0.0, posinf=1.0, neginf=-1.0)
    img = ((x.clamp(-1, 1) + 1) * 127.5).round().to(torch.uint8)
    return bytes(img.permute(1, 2, 0).contiguous().flatten().tolist()), finite


def compare(torch: ModuleType, a: bytes, b: bytes) -> tuple[float, float]:
    """(PSNR dB, max abs error on a 0..1 scale) between two equal-size 8-bit images."""
    if len(a) != len(b):
        raise ValueError("images differ in size")
    ta = torch.frombuffer(bytearray(a), dtype=torch.uint8).double()
    tb = torch.frombuffer(bytearray(b), dtype=torch.uint8).double()
    diff = (ta - tb).abs()
    mse = float((diff * diff).mean())
    if mse == 0:
        return PSNR_IDENTICAL, 0.0
    return min(PSNR_IDENTICAL, 10 * math.log10(255.0**2 / mse)), float(diff.max()) / 255.0


def is_black(rgb: bytes) -> bool:
    if not rgb:
        return True
    return max(rgb) < 16 or sum(rgb) / len(rgb) < 4


def spill_steps(step_s: list[float]) -> list[int]:
    """Indexes of warm steps far above the warm median (the first step is the warm-up)."""
    warm = step_s[1:]
    if len(warm) < 4:
        return []
    median = statistics.median(warm)
    return [i + 1 for i, s in enumerate(warm) if s > SPILL_FACTOR * median and s > median + SPILL_MIN_EXTRA_S]


# ---------------------------------------------------------------------------------------- run


def sample(
    torch: ModuleType,
    weight: Callable[[str], Tensor],
    x: Tensor,
    steps: int,
    on_step: Callable[[int, Tensor, float], None] | None = None,
    inject: frozenset = frozenset(),
) -> Tensor:
    """DDIM from noise ``x``; ``on_step(i, x, start)`` after each step, to time and report it."""
    from probes.smoke.target import net

    ts = net.ddim_timesteps(steps)
    for i, t in enumerate(ts):
        start = time.perf_counter()
        x = net.ddim_step(weight, x, t, ts[i + 1] if i + 1 < len(ts) else None)
        if "nan-output" in inject and i == steps - 1:
            x = x * float("nan")
        if on_step:
            on_step(i, x, start)
    return x


def _new_result(steps: int, resolution: int, model: str | None) -> dict:
    return {
        "event": "result",
        "schema": SCHEMA,
        "verdict": None,
        "codes": [],
        "problems": [],
        "device": None,
        "device_name": None,
        "backend": None,
        "dtype": None,
        "dtype_reason": None,
        "steps": steps,
        "resolution": resolution,
        "seed": SEED,
        "total_s": None,
        "step_times_s": [],
        "steps_per_s": None,
        "dequant_gbps": None,
        "peak_memory_bytes": None,
        "psnr_db_vs_cpu": None,
        "max_abs_error_vs_cpu": None,
        "reference": None,
        "image": None,
        "model": str(model or DEFAULT_MODEL),
        "model_sha256": None,
        "model_sha256_expected": None,
        "model_verified": False,
        "python": sys.executable,
        "python_version": platform.python_version(),
        "torch": None,
    }


def _check_arguments(steps: int, resolution: int) -> None:
    if steps < 1 or steps > 1000:
        raise SmokeFailure("device-error", f"steps must be between 1 and 1000, not {steps}")
    if resolution < 8 or resolution % 4 or resolution > 4096:
        raise SmokeFailure(
            "device-error", f"resolution must be a multiple of 4 from 8 to 4096, not {resolution}"
        )


def _import_torch() -> ModuleType:
    try:
        import torch
    except Exception as exc:
        raise SmokeFailure(
            "torch-missing", f"{sys.executable} cannot import torch ({type(exc).__name__}: {exc})"
        ) from None
    return torch


def _read_gguf(model_path: Path) -> gguf.GgufFile:
    """The smoke model's GGUF file; SmokeFailure ``model-corrupt`` when unreadable or another model."""
    try:
        file = gguf.read(model_path)
    except OSError as exc:
        raise SmokeFailure("model-corrupt", f"cannot read {model_path}: {exc.strerror or exc}") from None
    except gguf.GgufError as exc:
        raise SmokeFailure("model-corrupt", f"{model_path.name}: {exc}") from None
    if file.metadata.get("general.architecture") != ARCH:
        raise SmokeFailure(
            "model-corrupt",
            f"{model_path.name} is not the RigPilot smoke model "
            f"(architecture {file.metadata.get('general.architecture')!r})",
        )
    return file


class _SmokeRun:
    """One run of :func:`run`: its settings, the result being filled in and the phases in order."""

    def __init__(
        self,
        steps: int,
        resolution: int,
        model: str | None,
        emit: Callable[[dict], None],
        injections: set[str],
    ) -> None:
        self.t_start = time.perf_counter()
        self.steps, self.resolution, self.model, self.emit = steps, resolution, model, emit
        self.injections = injections
        self.result = _new_result(steps, resolution, model)
        self.step_s: list[float] = []

    def add(self, code: str, detail: str, **extra: object) -> None:
        result = self.result
        if code not in result["codes"]:
            result["codes"].append(code)
            result["problems"].append({"code": code, "severity": SEVERITY[code], "detail": detail, **extra})

    def finish(self) -> dict:
        result = self.result
        result["total_s"] = round(time.perf_counter() - self.t_start, 4)
        sev = {p["severity"] for p in result["problems"]}
        result["verdict"] = "fail" if "fail" in sev else "warn" if "warn" in sev else "pass"
        return result

    # ---- phases, in the order run() calls them

    def check_model(self) -> Path:
        model_path = Path(self.model) if self.model else DEFAULT_MODEL
        # checked before torch is even imported: a damaged model is reported as such, fast
        actual, expected = check_model_file(model_path)
        self.result["model_sha256"] = actual
        self.result["model_sha256_expected"] = expected
        self.result["model_verified"] = expected is not None
        return model_path

    def start_torch(self) -> None:
        torch = self.torch = _import_torch()
        self.result["torch"] = torch.__version__
        self.emit({"event": "start", "schema": SCHEMA, "python": sys.executable, "torch": torch.__version__})

    def pick_device(self, device: str, dtype: str) -> None:
        torch, result, resolution = self.torch, self.result, self.resolution
        dev, kind, index, name = select_device(torch, device)
        self.dev, self.kind, self.index = dev, kind, index
        self.mod = mod = _backend_module(torch, kind)
        if kind == "cpu":
            # small images are dominated by thread hand-offs; many threads on a busy CPU stall
            threads = max(1, min(torch.get_num_threads(), resolution * resolution // 16384))
            torch.set_num_threads(threads)
            result["cpu_threads"] = threads
        result.update(
            device=str(dev) if kind != "directml" else f"directml:{index}",
            device_name=name,
            backend=("rocm" if kind == "cuda" and getattr(torch.version, "hip", None) else kind),
        )
        self.tdtype, reason, dcodes = choose_dtype(torch, kind, dev, mod, dtype, self.injections)
        for code, detail in dcodes:
            self.add(code, detail)
        self.dtype_name = str(self.tdtype).replace("torch.", "")
        result.update(dtype=self.dtype_name, dtype_reason=reason)
        self.emit(
            {
                "event": "device",
                "device": result["device"],
                "name": name,
                "backend": result["backend"],
                "dtype": self.dtype_name,
                "dtype_reason": reason,
            }
        )

    def generate(self, file: gguf.GgufFile) -> tuple[bytes, bool]:
        """Load the model on the device, measure dequantization, sample: (RGB bytes, all finite)."""
        try:
            return self._generate(file)
        except SmokeFailure:
            raise
        except Exception as exc:  # a device/runtime failure: classify by its real text
            code, detail = classify_error(exc)
            raise SmokeFailure(code, detail) from None

    def _generate(self, file: gguf.GgufFile) -> tuple[bytes, bool]:
        torch, kind, mod, emit, steps, step_s = (
            self.torch,
            self.kind,
            self.mod,
            self.emit,
            self.steps,
            self.step_s,
        )
        self.peak = peak = PeakMemory(torch, kind, self.index, mod)
        self.qmodel = qmodel = QuantizedModel(torch, file, self.dev, self.tdtype)
        emit(
            {
                "event": "load",
                "tensors": len(qmodel.raw),
                "bytes": qmodel.bytes_total,
                "types": qmodel.type_counts,
            }
        )
        gbps = measure_dequant(torch, qmodel, kind, mod)
        self.result["dequant_gbps"] = None if gbps is None else round(gbps, 4)
        emit({"event": "dequant", "gbps": self.result["dequant_gbps"]})

        from probes.smoke.target import net

        x = net.initial_noise(SEED, self.resolution).to(self.dev).to(self.tdtype)

        def on_step(i, xi, start):
            if "slow-step" in self.injections and i == max(2, steps // 2):
                time.sleep(max(1.0, 10 * (statistics.median(step_s[1:]) if len(step_s) > 1 else 0.1)))
            _sync(torch, kind, mod, xi)
            seconds = time.perf_counter() - start
            step_s.append(seconds)
            peak.sample()
            emit({"event": "step", "step": i + 1, "steps": steps, "seconds": round(seconds, 5)})

        with torch.no_grad():
            x = sample(torch, qmodel.weight, x, steps, on_step=on_step, inject=frozenset(self.injections))
        return to_rgb_bytes(torch, x)

    def record_timings(self) -> None:
        step_s = self.step_s
        self.result["step_times_s"] = [round(s, 5) for s in step_s]
        total_steps_s = sum(step_s)
        self.result["steps_per_s"] = round(self.steps / total_steps_s, 3) if total_steps_s > 0 else None
        self.result["peak_memory_bytes"] = self.peak.peak

    def write_image(self, out: str | None, rgb: bytes) -> None:
        resolution = self.resolution
        out_dir = Path(out) if out else Path(os.environ.get("TMPDIR", "/tmp")) / "rigpilot-smoke"
        out_dir.mkdir(parents=True, exist_ok=True)
        dev_tag = re.sub(r"[^a-z0-9]+", "", self.result["device"].lower())
        image_path = out_dir / f"smoke-{dev_tag}-{self.dtype_name}-{resolution}px.png"
        image_path.write_bytes(png.encode_rgb(resolution, resolution, rgb))
        self.result["image"] = str(image_path)
        self.emit({"event": "image", "path": str(image_path)})

    def judge_image(self, rgb: bytes, finite: bool) -> None:
        if not finite:
            bad = self.qmodel.nonfinite_tensors() if "nan-output" not in self.injections else []
            if bad:
                self.add(
                    "nan-output",
                    f"the image contains NaN/Inf; the model tensors {', '.join(bad[:3])} hold NaN/Inf values",
                )
                self.add("model-corrupt", f"tensor {bad[0]!r} dequantizes to NaN/Inf (poisoned scales)")
            else:
                where = f"{self.result['device']} in {self.dtype_name}"
                self.add("nan-output", f"the image contains NaN/Inf values computed on {where}")
        elif is_black(rgb):
            self.add("black-image", "the generated image is black")

    def reference_image(self, reference: str | None, file: gguf.GgufFile, finite: bool) -> bytes | None:
        """The CPU float32 image to compare with: the shipped reference for the default settings,
        otherwise one computed here on the CPU (None for a CPU float32 run or a non-finite image)."""
        torch, resolution, steps = self.torch, self.resolution, self.steps
        ref_rgb = None
        ref_path = Path(reference) if reference else DEFAULT_REFERENCE
        is_cpu_fp32 = self.kind == "cpu" and self.tdtype is torch.float32
        if steps == DEFAULT_STEPS and resolution == DEFAULT_RESOLUTION and ref_path.is_file():
            try:
                w, h, ref_rgb = png.decode_rgb(ref_path.read_bytes())
                self.result["reference"] = str(ref_path)
                if (w, h) != (resolution, resolution):
                    ref_rgb = None
            except (png.PngError, OSError):
                ref_rgb = None
        if ref_rgb is None and not is_cpu_fp32 and finite:
            from probes.smoke.target import net

            self.emit({"event": "reference", "detail": "computing the CPU float32 reference"})
            cpu_model = QuantizedModel(torch, file, torch.device("cpu"), torch.float32)
            with torch.no_grad():
                ref_x = sample(torch, cpu_model.weight, net.initial_noise(SEED, resolution), steps)
            ref_rgb, _ = to_rgb_bytes(torch, ref_x)
            self.result["reference"] = "computed on the CPU in float32"
        return ref_rgb

    def judge_against(self, rgb: bytes, ref_rgb: bytes) -> None:
        result, dtype_name = self.result, self.dtype_name
        psnr, max_abs = compare(self.torch, rgb, ref_rgb)
        result["psnr_db_vs_cpu"] = round(psnr, 2)
        result["max_abs_error_vs_cpu"] = round(max_abs, 4)
        fail_db, warn_db = PSNR_LIMITS[dtype_name]
        if psnr < fail_db:
            self.add(
                "mismatch-vs-cpu",
                f"PSNR {psnr:.1f} dB against the CPU float32 image "
                f"(at least {fail_db:.0f} dB expected in {dtype_name})",
            )
        elif psnr < warn_db:
            result["problems"].append(
                {
                    "code": "mismatch-vs-cpu",
                    "severity": "warn",
                    "detail": f"PSNR {psnr:.1f} dB against the CPU float32 image "
                    f"(below the usual {warn_db:.0f} dB in {dtype_name})",
                }
            )
            result["codes"].append("mismatch-vs-cpu")

    def judge_spill(self) -> None:
        step_s = self.step_s
        jumps = spill_steps(step_s)
        if jumps:
            med = statistics.median(step_s[1:])
            self.add(
                "vram-spill-suspected",
                f"step(s) {', '.join(str(i + 1) for i in jumps)} took up to "
                f"{max(step_s[i] for i in jumps):.2f} s against a warm median of {med:.3f} s",
            )

    def fail(self, failure: SmokeFailure) -> None:
        if failure.extra.get("actual"):
            self.result["model_sha256"] = failure.extra["actual"]
            self.result["model_sha256_expected"] = failure.extra.get("expected")
        self.add(failure.code, failure.detail, **failure.extra)


def run(
    *,
    device: str = "auto",
    dtype: str = "auto",
    steps: int = DEFAULT_STEPS,
    resolution: int = DEFAULT_RESOLUTION,
    model: str | None = None,
    out: str | None = None,
    reference: str | None = None,
    emit: Callable[[dict], None] = lambda event: None,
    inject: str = "",
) -> dict:
    """Run the smoke test; ``emit(dict)`` receives progress events. Returns the result dict."""
    injections = {s.strip() for s in inject.split(",") if s.strip()}
    r = _SmokeRun(steps, resolution, model, emit, injections)
    try:
        _check_arguments(steps, resolution)
        model_path = r.check_model()
        r.start_torch()
        r.pick_device(device, dtype)
        file = _read_gguf(model_path)
        rgb, finite = r.generate(file)
        r.record_timings()
        r.write_image(out, rgb)
        r.judge_image(rgb, finite)
        ref_rgb = r.reference_image(reference, file, finite)
        if ref_rgb is not None and finite:
            r.judge_against(rgb, ref_rgb)
        r.judge_spill()
    except SmokeFailure as failure:
        r.fail(failure)
    except Exception as exc:  # last line of defence: never a traceback
        r.add("device-error", f"{type(exc).__name__}: {exc}")
    return r.finish()
