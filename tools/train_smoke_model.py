"""Train the smoke-test model, quantize it into a GGUF file and render the CPU float32 reference.

    .venv/bin/python tools/train_smoke_model.py            # train (≈10 min on 2 cores) + export
    .venv/bin/python tools/train_smoke_model.py --export   # re-export from the saved checkpoint

Everything is seeded: the same script on the same torch build gives the same weights. The
training images are RigPilot logos the script draws itself (a ring, a pilot arrow and a bar on
a dark tile) with small shifts, size and colour changes; the model is unconditional, so from
the runner's fixed seed it draws a logo. Runs in RigPilot's dev environment (numpy and the
``gguf`` package are used here to quantize; the runner in probes/smoke needs neither).
Outputs: assets/smoke/rigpilot-smoke.gguf, assets/smoke/reference-cpu-fp32.png
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from probes.smoke.target import net  # noqa: E402

SEED = 1234
RES = 32
CKPT = ROOT / "build" / "smoke" / "checkpoint.pt"
ASSETS = ROOT / "assets" / "smoke"


def draw_logo(g: torch.Generator, res: int = RES, jitter: bool = True) -> torch.Tensor:
    """One logo in [-1, 1], shape [3, res, res], drawn at 4× and box-filtered down."""
    ss = 4
    n = res * ss
    r = torch.rand(8, generator=g) if jitter else torch.full((8,), 0.5)
    cx = n / 2 + (r[0] - 0.5) * 3 * ss
    cy = n / 2 + (r[1] - 0.5) * 3 * ss
    scale = 1.0 + (r[2] - 0.5) * 0.12
    ys, xs = torch.meshgrid(
        torch.arange(n, dtype=torch.float32) + 0.5, torch.arange(n, dtype=torch.float32) + 0.5, indexing="ij"
    )
    u = (xs - cx) / (ss * scale)  # logo units: pixels of the 32-px design
    v = (ys - cy) / (ss * scale)
    img = torch.empty(3, n, n)
    bg = torch.tensor([0.08, 0.10, 0.22]) + (r[3] - 0.5) * 0.06
    img[:] = bg[:, None, None]
    rad = torch.sqrt(u * u + v * v)
    ring = (rad > 9.5) & (rad < 13.0)
    orange = torch.tensor([1.0, 0.55, 0.10]) + (r[4] - 0.5) * torch.tensor([0.0, 0.1, 0.08])
    img[:, ring] = orange[:, None]
    # the pilot arrow: a white triangle pointing right, inside the ring
    arrow = (u > -4.5) & (u < 6.0) & (v.abs() < (6.0 - u) * 0.55)
    img[:, arrow] = torch.tensor([0.95, 0.95, 0.92])[:, None]
    # a cyan bar under the tile centre, crossing the ring
    bar = (v > 13.5) & (v < 15.5) & (u.abs() < 9.0)
    img[:, bar] = torch.tensor([0.10, 0.80, 0.85])[:, None]
    img = torch.nn.functional.avg_pool2d(img[None], ss)[0]
    return img.clamp(0, 1) * 2 - 1


def make_dataset(count: int = 64) -> torch.Tensor:
    g = torch.Generator().manual_seed(SEED)
    return torch.stack([draw_logo(g) for _ in range(count)])


def init_params() -> dict[str, torch.nn.Parameter]:
    g = torch.Generator().manual_seed(SEED)
    params = {}
    for name, shape in net.param_shapes().items():
        if name.endswith(".bias"):
            value = torch.zeros(shape)
        elif len(shape) == 1:  # group-norm scale
            value = torch.ones(shape)
        else:
            fan_in = math.prod(shape[1:])
            value = torch.randn(shape, generator=g) / math.sqrt(fan_in)
            if name.endswith(("conv2.weight", "attn.proj.weight", "out.conv.weight")):
                value *= 0.1  # residual branches start near identity
        params[name] = torch.nn.Parameter(value)
    return params


def train(iters: int, batch: int, log_every: int = 50) -> dict[str, torch.Tensor]:
    torch.manual_seed(SEED)
    data = make_dataset()
    params = init_params()
    ema = {k: v.detach().clone() for k, v in params.items()}
    opt = torch.optim.AdamW(params.values(), lr=2e-3, weight_decay=0.0)
    g = torch.Generator().manual_seed(SEED + 1)
    start = time.monotonic()
    for it in range(iters):
        lr = 2e-3 * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * it / iters)))
        for group in opt.param_groups:
            group["lr"] = lr
        idx = torch.randint(0, data.shape[0], (batch,), generator=g)
        x0 = data[idx]
        flip = torch.rand(batch, generator=g) < 0.0  # no flips: the arrow points right
        x0 = torch.where(flip[:, None, None, None], x0.flip(3), x0)
        t = torch.rand(batch, generator=g) * (net.TRAIN_STEPS - 1)
        ab = net.alpha_bar(t.double()).float()[:, None, None, None]
        eps = torch.randn(x0.shape, generator=g)
        xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
        pred = net.forward(lambda n: params[n], xt, t)
        loss = torch.nn.functional.mse_loss(pred, eps)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params.values(), 1.0)
        opt.step()
        decay = min(0.998, (1 + it) / (10 + it))
        with torch.no_grad():
            for k, v in params.items():
                ema[k].mul_(decay).add_(v.detach(), alpha=1 - decay)
        if it and it % 250 == 0:
            CKPT.parent.mkdir(parents=True, exist_ok=True)
            torch.save(ema, CKPT.with_name("checkpoint-partial.pt"))
        if it % log_every == 0 or it == iters - 1:
            print(
                f"iter {it:5d} loss {loss.item():.4f} lr {lr:.2e} {time.monotonic() - start:7.1f}s",
                flush=True,
            )
    return ema


@torch.no_grad()
def sample(weights: dict[str, torch.Tensor], steps: int = 20, seed: int = 0, res: int = RES) -> torch.Tensor:
    x = net.initial_noise(seed, res)
    ts = net.ddim_timesteps(steps)
    for i, t in enumerate(ts):
        x = net.ddim_step(lambda n: weights[n], x, t, ts[i + 1] if i + 1 < len(ts) else None)
    return x


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--iters", type=int, default=1200)
    ap.add_argument("--batch", type=int, default=24)
    ap.add_argument("--threads", type=int, default=1, help="torch CPU threads (results depend on it)")
    ap.add_argument("--export", action="store_true", help="skip training, export the saved checkpoint")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    if not args.export:
        weights = train(args.iters, args.batch)
        CKPT.parent.mkdir(parents=True, exist_ok=True)
        torch.save(weights, CKPT)
        print(f"saved {CKPT}")
    weights = torch.load(CKPT)
    from tools import smoke_export

    smoke_export.export(weights, ASSETS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
