"""The smoke-test network: a tiny denoising UNet written as pure functions over a weight lookup.

One definition serves both the training script (weights are ``nn.Parameter``s) and the runner
(weights are dequantized from the GGUF file layer by layer, on the device, in the target dtype).
Imports only the standard library and torch.

Layout (C = base channels, input H×W must be a multiple of 4, fully convolutional):
  conv_in 3→C · down0: Res(C→C) · stride-2 conv · down1: Res(C→2C) · stride-2 conv ·
  mid: Res(2C) + self-attention(2C) + Res(2C) · up1: conv, nearest×2, Res(4C→2C) ·
  up0: conv 2C→C, nearest×2, Res(2C→C) · GroupNorm+SiLU · conv_out C→3.
The noise level enters through a sinusoidal embedding (64) → MLP (256) → per-block projections.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import torch
import torch.nn.functional as F

BASE_CHANNELS = 32
TIME_DIM = 64
TIME_HIDDEN = 256
GROUPS = 8
TRAIN_STEPS = 1000  # diffusion timesteps the schedule is defined over


def param_shapes(c: int = BASE_CHANNELS) -> dict[str, tuple[int, ...]]:
    """Every weight's name and shape, in a fixed order (the GGUF file follows this order)."""
    shapes: dict[str, tuple[int, ...]] = {}

    def conv(name, cin, cout, k=3):
        shapes[f"{name}.weight"] = (cout, cin, k, k)
        shapes[f"{name}.bias"] = (cout,)

    def norm(name, ch):
        shapes[f"{name}.weight"] = (ch,)
        shapes[f"{name}.bias"] = (ch,)

    def linear(name, cin, cout):
        shapes[f"{name}.weight"] = (cout, cin)
        shapes[f"{name}.bias"] = (cout,)

    def res(name, cin, cout):
        norm(f"{name}.norm1", cin)
        conv(f"{name}.conv1", cin, cout)
        linear(f"{name}.temb", TIME_HIDDEN, cout)
        norm(f"{name}.norm2", cout)
        conv(f"{name}.conv2", cout, cout)
        if cin != cout:
            conv(f"{name}.skip", cin, cout, k=1)

    linear("time.fc1", TIME_DIM, TIME_HIDDEN)
    linear("time.fc2", TIME_HIDDEN, TIME_HIDDEN)
    conv("conv_in", 3, c)
    res("down0", c, c)
    conv("down0.pool", c, c)
    res("down1", c, 2 * c)
    conv("down1.pool", 2 * c, 2 * c)
    res("mid.res1", 2 * c, 2 * c)
    norm("mid.attn.norm", 2 * c)
    linear("mid.attn.qkv", 2 * c, 6 * c)
    linear("mid.attn.proj", 2 * c, 2 * c)
    res("mid.res2", 2 * c, 2 * c)
    conv("up1.upconv", 2 * c, 2 * c)
    res("up1", 4 * c, 2 * c)
    conv("up0.upconv", 2 * c, c)
    res("up0", 2 * c, c)
    norm("out.norm", c)
    conv("out.conv", c, 3)
    return shapes


def timestep_embedding(t: torch.Tensor, dim: int = TIME_DIM) -> torch.Tensor:
    """Sinusoidal embedding of float timesteps ``t`` (shape [B]) → [B, dim] (float32)."""
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32, device=t.device) / half)
    args = t.float()[:, None] * freqs[None, :]
    return torch.cat([torch.cos(args), torch.sin(args)], dim=1)


def forward(w: Callable[[str], torch.Tensor], x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    """Predict the noise in ``x`` at timesteps ``t``. ``w(name)`` returns a weight tensor in
    ``x``'s dtype on ``x``'s device (the runner dequantizes it right there)."""
    dtype = x.dtype

    def conv(name, h, stride=1):
        weight = w(f"{name}.weight")
        return F.conv2d(h, weight, w(f"{name}.bias"), stride=stride, padding=weight.shape[-1] // 2)

    def gn(name, h):
        return F.group_norm(h, GROUPS, w(f"{name}.weight"), w(f"{name}.bias"), eps=1e-5)

    def linear(name, h):
        return F.linear(h, w(f"{name}.weight"), w(f"{name}.bias"))

    def res(name, h, temb):
        y = conv(f"{name}.conv1", F.silu(gn(f"{name}.norm1", h)))
        y = y + linear(f"{name}.temb", temb)[:, :, None, None]
        y = conv(f"{name}.conv2", F.silu(gn(f"{name}.norm2", y)))
        skip = conv(f"{name}.skip", h) if y.shape[1] != h.shape[1] else h
        return skip + y

    def attn(name, h):
        b, ch, hh, ww = h.shape
        y = gn(f"{name}.norm", h).flatten(2).transpose(1, 2)  # [B, N, C]
        q, k, v = linear(f"{name}.qkv", y).chunk(3, dim=2)
        y = F.scaled_dot_product_attention(q[:, None], k[:, None], v[:, None])[:, 0]
        y = linear(f"{name}.proj", y).transpose(1, 2).reshape(b, ch, hh, ww)
        return h + y

    temb = timestep_embedding(t).to(dtype)
    temb = F.silu(linear("time.fc2", F.silu(linear("time.fc1", temb))))
    h0 = res("down0", conv("conv_in", x), temb)
    h1 = res("down1", conv("down0.pool", h0, stride=2), temb)
    h = conv("down1.pool", h1, stride=2)
    h = res("mid.res1", h, temb)
    h = attn("mid.attn", h)
    h = res("mid.res2", h, temb)
    h = F.interpolate(conv("up1.upconv", h), scale_factor=2.0, mode="nearest")
    h = res("up1", torch.cat([h, h1], dim=1), temb)
    h = F.interpolate(conv("up0.upconv", h), scale_factor=2.0, mode="nearest")
    h = res("up0", torch.cat([h, h0], dim=1), temb)
    return conv("out.conv", F.silu(gn("out.norm", h)))


def alpha_bar(t: torch.Tensor) -> torch.Tensor:
    """Cosine schedule ᾱ(t) for t in [0, TRAIN_STEPS] (Nichol & Dhariwal 2021), float64-safe."""
    s = 0.008
    f = torch.cos((t / TRAIN_STEPS + s) / (1 + s) * math.pi / 2) ** 2
    f0 = math.cos(s / (1 + s) * math.pi / 2) ** 2
    return (f / f0).clamp(1e-5, 0.9999)


def ddim_timesteps(steps: int) -> list[float]:
    """Evenly spaced timesteps from TRAIN_STEPS-1 down to 0 for a deterministic DDIM sampler."""
    if steps < 1:
        raise ValueError("steps must be >= 1")
    return [float(round((TRAIN_STEPS - 1) * (1 - i / steps))) for i in range(steps)]


def initial_noise(seed: int, resolution: int) -> torch.Tensor:
    """The fixed starting noise: drawn on the CPU in float32 so every device starts identically."""
    g = torch.Generator(device="cpu").manual_seed(seed)
    return torch.randn((1, 3, resolution, resolution), generator=g, dtype=torch.float32)


def ddim_step(
    w: Callable[[str], torch.Tensor], x: torch.Tensor, t: float, t_next: float | None
) -> torch.Tensor:
    """One deterministic DDIM update (eta = 0) from ``t`` to ``t_next`` (None = final, t = 0)."""
    ab = float(alpha_bar(torch.tensor(t, dtype=torch.float64)))
    ab_next = 1.0 if t_next is None else float(alpha_bar(torch.tensor(t_next, dtype=torch.float64)))
    tt = torch.full((x.shape[0],), t, dtype=torch.float32, device=x.device)
    eps = forward(w, x, tt)
    x0 = ((x - math.sqrt(1 - ab) * eps) / math.sqrt(ab)).clamp(-1, 1)
    eps = (x - math.sqrt(ab) * x0) / math.sqrt(1 - ab)
    return math.sqrt(ab_next) * x0 + math.sqrt(1 - ab_next) * eps
