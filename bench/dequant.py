"""Dequantization throughput: RigPilot's kernels against the obvious torch code and numpy.

    .venv/bin/python bench/dequant.py [--mb 64] [--types Q4_K,Q8_0] [--dtype fp16,bf16,fp32] \
                                      [--threads N] [--json]

For each quant type (Q4_0, Q8_0, Q4_K, Q6_K) the same ~64 MB of random valid blocks, split into
tensors of ``--layer-mb`` (default 4 MB, a typical quantized layer: the runner dequantizes layer by
layer), are dequantized by
  kernel        probes/smoke/target/quant.py, directly in the target dtype
  straight      the straightforward torch block dequant (split, view, shift, mask, cat, convert,
                subtract, multiply) in the target dtype
  fp32-cast     the same in float32, then ``.to(dtype)`` (the path the ComfyUI-GGUF guide removed)
  numpy         ``gguf.quants.dequantize`` (float32), if the gguf package is installed
  memcpy        a copy of the same block bytes: the memory-bandwidth bound
GB/s counts quantized input bytes per second (best of ``--repeats`` rounds; kernel, straight and
fp32-cast take turns within each round). Ratios are kernel / other.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from functools import partial
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from probes.smoke.target import quant  # noqa: E402

TYPES = {"Q4_0": (2, 32, 18), "Q8_0": (8, 32, 34), "Q4_K": (12, 256, 144), "Q6_K": (14, 256, 210)}
HALF_FIELDS = {"Q4_0": [0], "Q8_0": [0], "Q4_K": [0, 2], "Q6_K": [208]}
DTYPES = {"fp16": torch.float16, "bf16": torch.bfloat16, "fp32": torch.float32}


def random_blocks(name: str, nbytes: int, seed: int = 0) -> torch.Tensor:
    """Random bytes with sane float16 scales: every byte pattern is a valid block otherwise."""
    _tid, _block, size = TYPES[name]
    nb = max(1, nbytes // size)
    g = torch.Generator().manual_seed(seed)
    blocks = torch.randint(0, 256, (nb, size), dtype=torch.uint8, generator=g)
    for off in HALF_FIELDS[name]:
        scales = (torch.rand(nb, generator=g) * 0.01 + 1e-4).to(torch.float16)
        blocks[:, off : off + 2] = scales.view(torch.uint8).view(nb, 2)
    return blocks


# ---- the straightforward reference, written the obvious way ---------------------------------


def straight_q4_0(b, dtype):
    d = b[:, :2].contiguous().view(torch.float16).to(dtype)
    qs = b[:, 2:]
    lo = qs & 0x0F
    hi = qs >> 4
    q = torch.cat([lo, hi], dim=1).to(dtype) - 8
    return d * q


def straight_q8_0(b, dtype):
    d = b[:, :2].contiguous().view(torch.float16).to(dtype)
    q = b[:, 2:].contiguous().view(torch.int8).to(dtype)
    return d * q


def straight_q4_k(b, dtype):
    nb = b.shape[0]
    d = b[:, 0:2].contiguous().view(torch.float16).to(dtype)
    dmin = b[:, 2:4].contiguous().view(torch.float16).to(dtype)
    s = b[:, 4:16].to(torch.int32)
    sc = torch.cat([s[:, 0:4] & 63, (s[:, 8:12] & 0xF) | ((s[:, 0:4] >> 6) << 4)], dim=1).to(dtype)
    mn = torch.cat([s[:, 4:8] & 63, (s[:, 8:12] >> 4) | ((s[:, 4:8] >> 6) << 4)], dim=1).to(dtype)
    qs = b[:, 16:].reshape(nb, 4, 32)
    q = torch.stack([qs & 0x0F, qs >> 4], dim=2).reshape(nb, 8, 32).to(dtype)
    return ((d * sc)[:, :, None] * q - (dmin * mn)[:, :, None]).reshape(nb, 256)


def straight_q6_k(b, dtype):
    nb = b.shape[0]
    ql = b[:, 0:128].reshape(nb, 2, 64)
    qh = b[:, 128:192].reshape(nb, 2, 32)
    sc = b[:, 192:208].contiguous().view(torch.int8).to(dtype)
    d = b[:, 208:210].contiguous().view(torch.float16).to(dtype)
    q1 = (ql[:, :, :32] & 0xF) | (((qh >> 0) & 3) << 4)
    q2 = (ql[:, :, 32:] & 0xF) | (((qh >> 2) & 3) << 4)
    q3 = (ql[:, :, :32] >> 4) | (((qh >> 4) & 3) << 4)
    q4 = (ql[:, :, 32:] >> 4) | (((qh >> 6) & 3) << 4)
    q = torch.stack([q1, q2, q3, q4], dim=2).reshape(nb, 16, 16).to(dtype) - 32
    return ((d * sc)[:, :, None] * q).reshape(nb, 256)


STRAIGHT = {"Q4_0": straight_q4_0, "Q8_0": straight_q8_0, "Q4_K": straight_q4_k, "Q6_K": straight_q6_k}


DEVICE = torch.device("cpu")


def sync() -> None:
    """Wait for the device's queued work (GPU kernels run asynchronously)."""
    if DEVICE.type == "cpu":
        return
    mod = getattr(torch, DEVICE.type, None)
    if mod is not None and hasattr(mod, "synchronize"):
        mod.synchronize()


def best_time(fn, layers: list, repeats: int) -> float:
    """Best wall time over ``repeats`` of ``fn`` applied to every layer in turn (results dropped)."""
    for layer in layers[:2]:  # warm-up
        fn(layer)
    sync()
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for layer in layers:
            fn(layer)
        sync()
        best = min(best, time.perf_counter() - start)
    return best


def best_times(fns: list, layers: list, repeats: int) -> list[float]:
    """Best wall time of each of ``fns`` over ``repeats`` rounds, the functions interleaved in
    every round (so that drift from other jobs on the machine hits them alike)."""
    for fn in fns:
        for layer in layers[:2]:  # warm-up
            fn(layer)
    sync()
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            start = time.perf_counter()
            for layer in layers:
                fn(layer)
            sync()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def bench_type(name: str, layers: list, dtypes: list[str], repeats: int, quants) -> list[dict]:
    tid = TYPES[name][0]
    nbytes = sum(layer.numel() for layer in layers)
    gb = nbytes / 1e9
    kernel = quant.KERNELS[tid]
    straight = STRAIGHT[name]
    memcpy_s = best_time(torch.clone, layers, repeats)
    numpy_s = None
    if quants is not None and DEVICE.type == "cpu":
        from gguf import GGMLQuantizationType

        qt = getattr(GGMLQuantizationType, name)
        numpy_s = best_time(lambda layer: quants.dequantize(layer.numpy(), qt), layers, 1)
    rows = []
    for dname in dtypes:
        dtype = DTYPES[dname]
        k, s, c = best_times(
            [
                partial(kernel, dtype=dtype),
                partial(straight, dtype=dtype),
                partial(fp32_then_cast, straight, dtype=dtype),
            ],
            layers,
            repeats,
        )
        rows.append(
            {
                "type": name,
                "dtype": dname,
                "block_mb": round(nbytes / 2**20, 1),
                "kernel_gbps": round(gb / k, 3),
                "straight_gbps": round(gb / s, 3),
                "fp32_cast_gbps": round(gb / c, 3),
                "numpy_gbps": None if numpy_s is None else round(gb / numpy_s, 3),
                "memcpy_gbps": round(gb / memcpy_s, 3),
                "x_vs_straight": round(s / k, 2),
                "x_vs_fp32_cast": round(c / k, 2),
                "x_vs_numpy": None if numpy_s is None else round(numpy_s / k, 2),
                "fraction_of_memcpy": round(memcpy_s / k, 3),
            }
        )
    return rows


def fp32_then_cast(straight, blocks, dtype):
    return straight(blocks, torch.float32).to(dtype)


def bench(
    mb: float,
    dtypes: list[str],
    repeats: int,
    as_json: bool = False,
    layer_mb: float = 4.0,
    types: list[str] | None = None,
) -> list[dict]:
    try:
        from gguf import quants
    except Exception:  # the numpy reference is optional
        quants = None
    rows = []
    for name in types or TYPES:
        n_layers = max(1, round(mb / layer_mb))
        layers = [random_blocks(name, int(mb / n_layers * 2**20), seed=i).to(DEVICE) for i in range(n_layers)]
        for row in bench_type(name, layers, dtypes, repeats, quants):
            rows.append(row)
            print(
                json.dumps(row)
                if as_json
                else f"{name:5} {row['dtype']:5} kernel {row['kernel_gbps']:7.3f} GB/s | straight "
                f"{row['straight_gbps']:7.3f} ({row['x_vs_straight']:.2f}x) | "
                f"fp32-cast {row['fp32_cast_gbps']:7.3f} "
                f"({row['x_vs_fp32_cast']:.2f}x) | numpy {row['numpy_gbps']} ({row['x_vs_numpy']}x) | "
                f"memcpy {row['memcpy_gbps']:.2f}",
                flush=True,
            )
    return rows


def _device_name() -> str:
    mod = getattr(torch, DEVICE.type, None)
    try:
        return (
            mod.get_device_name(DEVICE)
            if mod is not None and hasattr(mod, "get_device_name")
            else DEVICE.type
        )
    except Exception:
        return DEVICE.type


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=64.0, help="megabytes of blocks per quant type (default 64)")
    ap.add_argument(
        "--types", default=",".join(TYPES), help="quant types (default: all of " + ",".join(TYPES) + ")"
    )
    ap.add_argument(
        "--dtype", "--dtypes", default="fp16,bf16,fp32", help="target dtypes (default fp16,bf16,fp32)"
    )
    ap.add_argument("--layer-mb", type=float, default=4.0, help="megabytes of blocks per tensor (default 4)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: torch's choice)")
    ap.add_argument(
        "--device", default="cpu", help="torch device: cpu (default), cuda[:N], musa[:N], xpu[:N], mps"
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    types = [t.strip() for t in args.types.split(",") if t.strip()]
    unknown = [t for t in types if t not in TYPES]
    dtypes = [d.strip() for d in args.dtype.split(",") if d.strip()]
    unknown += [d for d in dtypes if d not in DTYPES]
    if unknown:
        ap.error("unknown type or dtype: " + ", ".join(unknown))
    if args.threads:
        torch.set_num_threads(args.threads)
    global DEVICE
    try:
        if args.device.startswith("musa"):
            import torch_musa  # noqa: F401  (registers the musa device)
        DEVICE = torch.device(args.device)
        torch.empty(1, device=DEVICE)
    except Exception as exc:  # no such device or backend in this torch build
        ap.error(f"device {args.device!r} is not usable here: {type(exc).__name__}: {exc}")
    where = "CPU" if DEVICE.type == "cpu" else f"{DEVICE} ({_device_name()})"
    print(
        f"# torch {torch.__version__}, {torch.get_num_threads()} thread(s), {where}, "
        f"{args.mb:g} MB of blocks "
        f"per type in {args.layer_mb:g} MB tensors",
        flush=True,
    )
    bench(args.mb, dtypes, args.repeats, args.json, args.layer_mb, types)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
