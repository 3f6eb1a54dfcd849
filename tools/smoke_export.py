"""Quantize the trained smoke model into GGUF and render the CPU float32 reference image.

Dev-environment helper of tools/train_smoke_model.py (numpy; ``gguf.quants`` quantizes Q4_0 and
Q8_0, the K-quants are quantized here because that package only dequantizes them). Block
layouts: ggml-common.h ``block_q4_K`` / ``block_q6_K``; the packing below is the inverse of
ggml-quants.c ``get_scale_min_k4`` and ``dequantize_row_q6_K``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import torch

from probes.smoke.target import gguf, net, png, runner

# which ggml type each tensor gets: large tensors quantized, small ones F16/F32
Q4_0, Q8_0, Q4_K, Q6_K, F16, F32 = 2, 8, 12, 14, 1, 0


def choose_type(name: str, shape: tuple[int, ...]) -> int:
    if len(shape) == 1:
        return F16 if name.endswith(".bias") and name.startswith(("down", "up")) else F32
    if name == "time.fc2.weight":
        return Q6_K
    if name.endswith(".temb.weight"):
        return Q4_K
    if name.startswith(("mid.res1.conv", "mid.res2.conv", "up1.conv")):
        return Q4_0
    if name in ("conv_in.weight", "out.conv.weight"):
        return F16
    return Q8_0


def storage_shape(shape: tuple[int, ...]) -> tuple[int, ...]:
    """Conv kernels [out, in, k, k] are stored as rows [out, in·k·k] so blocks run along rows."""
    return (shape[0], math.prod(shape[1:])) if len(shape) == 4 else shape


def quantize_q4_k(x: np.ndarray) -> np.ndarray:
    blocks = x.reshape(-1, 8, 32).astype(np.float32)
    lo = np.minimum(blocks.min(axis=2), 0.0)
    hi = blocks.max(axis=2)
    scale_f = (hi - lo) / 15.0
    min_f = -lo
    d = (scale_f.max(axis=1) / 63.0).astype(np.float16)
    dmin = (min_f.max(axis=1) / 63.0).astype(np.float16)
    d32 = d.astype(np.float32)[:, None]
    dm32 = dmin.astype(np.float32)[:, None]
    sc = np.clip(np.round(np.divide(scale_f, d32, out=np.zeros_like(scale_f), where=d32 > 0)), 0, 63).astype(
        np.uint8
    )
    mn = np.clip(np.round(np.divide(min_f, dm32, out=np.zeros_like(min_f), where=dm32 > 0)), 0, 63).astype(
        np.uint8
    )
    step = (d32 * sc)[:, :, None]
    offset = (dm32 * mn)[:, :, None]
    q = np.clip(np.round(np.divide(blocks + offset, step, out=np.zeros_like(blocks), where=step > 0)), 0, 15)
    q = q.astype(np.uint8).reshape(-1, 4, 2, 32)  # chunk, low/high, 32
    qs = (q[:, :, 0] | (q[:, :, 1] << 4)).reshape(-1, 128)
    scales = np.zeros((len(d), 12), np.uint8)
    scales[:, 0:4] = sc[:, 0:4] | ((sc[:, 4:8] >> 4) << 6)
    scales[:, 4:8] = mn[:, 0:4] | ((mn[:, 4:8] >> 4) << 6)
    scales[:, 8:12] = (sc[:, 4:8] & 0xF) | ((mn[:, 4:8] & 0xF) << 4)
    return np.concatenate(
        [d.view(np.uint8).reshape(-1, 2), dmin.view(np.uint8).reshape(-1, 2), scales, qs], axis=1
    )


def quantize_q6_k(x: np.ndarray) -> np.ndarray:
    blocks = x.reshape(-1, 16, 16).astype(np.float32)
    gs = np.abs(blocks).max(axis=2) / 31.0
    d = (gs.max(axis=1) / 127.0).astype(np.float16)
    d32 = d.astype(np.float32)[:, None]
    sc = np.clip(np.round(np.divide(gs, d32, out=np.zeros_like(gs), where=d32 > 0)), 0, 127).astype(np.int8)
    step = (d32 * sc)[:, :, None]
    q = np.clip(np.round(np.divide(blocks, step, out=np.zeros_like(blocks), where=step > 0)), -32, 31)
    q = (q + 32).astype(np.uint8).reshape(-1, 2, 4, 32)  # half, quarter k, l
    ql = np.concatenate(
        [q[:, :, 0] & 0xF | ((q[:, :, 2] & 0xF) << 4), q[:, :, 1] & 0xF | ((q[:, :, 3] & 0xF) << 4)], axis=2
    ).reshape(-1, 128)
    qh = (
        (q[:, :, 0] >> 4) | ((q[:, :, 1] >> 4) << 2) | ((q[:, :, 2] >> 4) << 4) | ((q[:, :, 3] >> 4) << 6)
    ).reshape(-1, 64)
    return np.concatenate([ql, qh, sc.view(np.uint8), d.view(np.uint8).reshape(-1, 2)], axis=1)


def quantize(values: np.ndarray, ggml_type: int) -> bytes:
    from gguf import GGMLQuantizationType, quants

    if ggml_type == F32:
        return values.astype("<f4").tobytes()
    if ggml_type == F16:
        return values.astype("<f2").tobytes()
    if ggml_type == Q4_K:
        return quantize_q4_k(values).tobytes()
    if ggml_type == Q6_K:
        return quantize_q6_k(values).tobytes()
    qtype = {Q4_0: GGMLQuantizationType.Q4_0, Q8_0: GGMLQuantizationType.Q8_0}[ggml_type]
    return quants.quantize(values, qtype).tobytes()


def build_gguf(weights: dict[str, torch.Tensor]) -> bytes:
    tensors = []
    for name, shape in net.param_shapes().items():
        values = weights[name].detach().float().numpy().reshape(storage_shape(shape))
        ggml_type = choose_type(name, shape)
        tensors.append((name, storage_shape(shape), ggml_type, quantize(values, ggml_type)))
    metadata = {
        "general.architecture": runner.ARCH,
        "general.name": "RigPilot smoke-test logo UNet",
        "general.description": "Tiny unconditional DDIM UNet trained on drawn RigPilot logos "
        "(tools/train_smoke_model.py)",
        "rigpilot.smoke.base_channels": net.BASE_CHANNELS,
        "rigpilot.smoke.train_resolution": 32,
        "rigpilot.smoke.default_steps": runner.DEFAULT_STEPS,
        "rigpilot.smoke.seed": runner.SEED,
    }
    return gguf.dumps(metadata, tensors)


def render_reference(model_path: Path, out_path: Path) -> None:
    file = gguf.read(model_path)
    model = runner.QuantizedModel(torch, file, torch.device("cpu"), torch.float32)
    with torch.no_grad():
        x = runner.sample(
            torch,
            model.weight,
            net.initial_noise(runner.SEED, runner.DEFAULT_RESOLUTION),
            runner.DEFAULT_STEPS,
        )
    rgb, finite = runner.to_rgb_bytes(torch, x)
    assert finite
    out_path.write_bytes(png.encode_rgb(runner.DEFAULT_RESOLUTION, runner.DEFAULT_RESOLUTION, rgb))


def export(weights: dict[str, torch.Tensor], out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    model_path = out_dir / "rigpilot-smoke.gguf"
    model_path.write_bytes(build_gguf(weights))
    runner.write_manifest(model_path)  # the SHA-256 the runner checks before every use
    render_reference(model_path, out_dir / "reference-cpu-fp32.png")
    print(f"wrote {model_path} ({model_path.stat().st_size} bytes) and the reference image")
