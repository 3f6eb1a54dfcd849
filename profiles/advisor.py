"""The VRAM advisor: card x workload -> fits / tight / does not fit, and the recommended resolution, batch,
quantization and VRAM mode, each with its reasoning.

Formula (the popular guide 'Z-Image-Turbo支持哪些GPU？显卡兼容性与性能测试报告',
https://www.soft186.com/news/83509): VRAM (GB) ~= 4.5 + 3e-6 x W x H for one image of one model whose
fp16 weights are about 4.2 GB. We keep the 0.3 GB difference as overhead, substitute the actual weight size
(or the size at a quantization level: Q8_0 8.5 bits, Q4_0 4.5 bits per weight), and scale the activation
term with the batch (an assumption, stated in the reasons). Resolutions are multiples of 16 and a step
below the limit (https://blog.gitcode.com/26d6779509be3552f523c4b928fe01ac.html).
All constants live in profiles/data/tables/advisor.toml with sources.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from probes.core.errors import RigPilotError
from probes.core.i18n import Text, render
from profiles.loader import Catalog, load_catalog

QUANTS = ("fp16", "q8", "q4")
VERDICTS = ("fits", "tight", "does-not-fit")


@dataclass(frozen=True)
class Workload:
    width: int
    height: int
    batch: int = 1
    model_gb: float | None = None  # weight file size; else derived from quant
    quant: str = "fp16"


@dataclass(frozen=True)
class Advice:
    vram_gb: float
    estimate_gb: float
    verdict: str
    width: int
    height: int
    batch: int
    quant: str
    vram_mode: str
    reasons: tuple  # Text
    sources: tuple

    def to_json(self, lang: str | None = None) -> dict:
        return {
            "schema": "rigpilot.advice/1",
            "vram_gb": round(self.vram_gb, 2),
            "estimate_gb": round(self.estimate_gb, 2),
            "verdict": self.verdict,
            "recommended": {
                "width": self.width,
                "height": self.height,
                "batch": self.batch,
                "quant": self.quant,
                "vram_mode": self.vram_mode,
            },
            "reasons": [render(r, lang) for r in self.reasons],
            "sources": list(self.sources),
        }


def _constants(cat: Catalog) -> dict[str, float]:
    return {r["key"]: float(r["value"]) for r in cat.table("advisor").rows}


def weights_gb(w: Workload, k: dict) -> float:
    if w.model_gb is not None:
        return w.model_gb
    bits = {"fp16": 16.0, "q8": k["bits_q8"], "q4": k["bits_q4"]}[w.quant]
    return k["weights_fp16_gb"] * bits / 16.0


def estimate_gb(weights: float, width: int, height: int, batch: int, k: dict) -> float:
    overhead = k["base_gb"] - k["weights_fp16_gb"]
    return weights + overhead + k["per_pixel_gb"] * width * height * batch


def _validate(w: Workload, vram_gb: float | None) -> float:
    """The VRAM size, once the VRAM size and the workload are known to be in range."""
    if vram_gb is None or vram_gb <= 0:
        raise RigPilotError(
            "advise-vram-unknown",
            Text("advisor", "The card's VRAM size is unknown."),
            Text("advisor", "Give it with --vram-gb, or probe a machine whose driver reports it."),
        )
    if not (16 <= w.width <= 16384 and 16 <= w.height <= 16384):
        raise RigPilotError(
            "advise-bad-size",
            Text("advisor", "Width and height must be between 16 and 16384."),
            Text("advisor", "For example --width 1024 --height 1024."),
        )
    if not 1 <= w.batch <= 64:
        raise RigPilotError(
            "advise-bad-batch",
            Text("advisor", "The batch must be between 1 and 64."),
            Text("advisor", "For example --batch 1."),
        )
    if w.quant not in QUANTS:
        raise RigPilotError(
            "advise-bad-quant",
            Text("advisor", "Unknown quantization '{quant}'.", quant=w.quant),
            Text("advisor", "Use fp16, q8 or q4."),
        )
    if w.model_gb is not None and not 0 < w.model_gb < 1000:
        raise RigPilotError(
            "advise-bad-model-size",
            Text("advisor", "The model size must be a positive size in GB."),
            Text("advisor", "For example --model-gb 4.2."),
        )
    return vram_gb


def advise(vram_gb: float | None, w: Workload, catalog: Catalog | None = None) -> Advice:
    cat = catalog or load_catalog()
    vram_gb = _validate(w, vram_gb)
    k = _constants(cat)
    step = int(k["resolution_step"])
    budget = vram_gb * k["fit_ratio"]
    reasons: list = []
    weights = weights_gb(w, k)
    need = estimate_gb(weights, w.width, w.height, w.batch, k)
    reasons.append(
        Text(
            "advisor",
            "Estimate: {weights} GB weights + {overhead} GB overhead + 3e-6 x {w} x {h} x "
            "batch {b} = {need} GB (formula of the Z-Image-Turbo guide; the batch scaling is our "
            "assumption).",
            weights=f"{weights:.2f}",
            overhead=f"{k['base_gb'] - k['weights_fp16_gb']:.1f}",
            w=w.width,
            h=w.height,
            b=w.batch,
            need=f"{need:.2f}",
        )
    )
    if need <= budget:
        verdict = "fits"
    elif need <= vram_gb:
        verdict = "tight"
    else:
        verdict = "does-not-fit"
    reasons.append(
        Text(
            "advisor",
            "The card has {vram} GB; we plan with {ratio}% of it ({budget} GB): {verdict}.",
            vram=f"{vram_gb:.1f}",
            ratio=int(k["fit_ratio"] * 100),
            budget=f"{budget:.2f}",
            verdict=Text("advisor", verdict),
        )
    )
    # quantization: Q4 on 8 GB cards (city96/ComfyUI-GGUF issue #16), Q8 up to 12 GB
    nominal = round(vram_gb)
    if w.model_gb is not None:
        quant = w.quant
    elif nominal <= k["q4_max_gb"]:
        quant = "q4"
    elif nominal <= k["q8_max_gb"]:
        quant = "q8" if w.quant == "fp16" else w.quant
    else:
        quant = w.quant
    if quant != w.quant:
        reasons.append(
            Text(
                "advisor",
                "Cards with {vram} GB should use a {quant} model (8 GB cards: Q4, from the "
                "ComfyUI-GGUF guide).",
                vram=nominal,
                quant=quant.upper(),
            )
        )
    rec_weights = (
        weights if w.model_gb is not None else weights_gb(Workload(w.width, w.height, 1, None, quant), k)
    )
    # batch per card (the Z-Image-Turbo guide: 8 GB -> 2, 12 GB -> 4), then as many as fit
    cap = int(k["batch_8gb"]) if nominal <= 8 else int(k["batch_12gb"]) if nominal <= 12 else w.batch
    batch = max(1, min(w.batch, cap))
    while batch > 1 and estimate_gb(rec_weights, w.width, w.height, batch, k) > budget:
        batch -= 1
    if batch != w.batch:
        reasons.append(
            Text(
                "advisor",
                "Batch {batch} instead of {asked}: the guide gives at most 2 images on 8 GB "
                "and 4 on 12 GB, and more would not fit.",
                batch=batch,
                asked=w.batch,
            )
        )
    # resolution: multiples of 16, same aspect, a step below the limit
    width = max(step, w.width // step * step)
    height = max(step, w.height // step * step)
    if (width, height) != (w.width, w.height):
        reasons.append(
            Text(
                "advisor",
                "{w}x{h} rounded down to multiples of 16: {rw}x{rh}.",
                w=w.width,
                h=w.height,
                rw=width,
                rh=height,
            )
        )
    per_px = (budget - rec_weights - (k["base_gb"] - k["weights_fp16_gb"])) / (k["per_pixel_gb"] * batch)
    if estimate_gb(rec_weights, width, height, batch, k) > budget:
        if per_px <= step * step:
            width = height = step
            reasons.append(
                Text(
                    "advisor",
                    "The model alone does not fit in {budget} GB: even the smallest image "
                    "will spill into system memory.",
                    budget=f"{budget:.2f}",
                )
            )
        else:
            scale = math.sqrt(per_px / (width * height))
            width = max(step, int(width * scale) // step * step - step)
            height = max(step, int(height * scale) // step * step - step)
            reasons.append(
                Text(
                    "advisor",
                    "Largest size that fits, one step of 16 below the limit: {rw}x{rh} "
                    "(like 1008x1008 instead of 1024x1024 on 8 GB).",
                    rw=width,
                    rh=height,
                )
            )
    # VRAM mode from the vram-modes table
    mode = "normal"
    for row in cat.table("vram-modes").rows:
        if nominal < row["below_gib"]:
            mode = row["mode"]
            break
    if estimate_gb(rec_weights, width, height, batch, k) > budget and mode in ("normal", "high"):
        mode = "medium"
    reasons.append(Text("advisor", "VRAM mode {mode} for {vram} GB of VRAM.", mode=mode, vram=nominal))
    sources = tuple(dict.fromkeys(s for r in cat.table("advisor").rows for s in r.sources))
    return Advice(
        vram_gb=vram_gb,
        estimate_gb=need,
        verdict=verdict,
        width=width,
        height=height,
        batch=batch,
        quant=quant,
        vram_mode=mode,
        reasons=tuple(reasons),
        sources=sources,
    )
