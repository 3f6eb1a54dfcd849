"""``python main.py advise``: will this workload fit the card's VRAM, and what to change if not."""

from __future__ import annotations

import json
import sys

from app.commands._probe_input import add_probe_arguments, load_probe
from probes.core.i18n import Text, render, tr

NAME = "advise"
HELP = Text("cli-match", "VRAM advisor: does a model at this resolution and batch fit the card")


def add_arguments(p) -> None:
    p.add_argument("--width", type=int, default=1024, help=tr("cli-match", "image width (default 1024)"))
    p.add_argument("--height", type=int, default=1024, help=tr("cli-match", "image height (default 1024)"))
    p.add_argument("--batch", type=int, default=1, help=tr("cli-match", "images per batch (default 1)"))
    p.add_argument(
        "--quant",
        choices=["fp16", "q8", "q4"],
        default="fp16",
        help=tr("cli-match", "weight format of the model (default fp16)"),
    )
    p.add_argument(
        "--model-gb", type=float, metavar="GB", help=tr("cli-match", "size of the model weights in GB")
    )
    p.add_argument(
        "--vram-gb",
        type=float,
        metavar="GB",
        help=tr("cli-match", "the card's VRAM in GB (default: from the probe)"),
    )
    p.add_argument("--gpu", type=int, metavar="N", help=tr("cli-match", "the GPU to advise for"))
    p.add_argument("--json", action="store_true", help=tr("cli-match", "print the rigpilot.advice/1 JSON"))
    add_probe_arguments(p)


def run(args) -> int:
    from profiles.advisor import Workload, advise

    vram = args.vram_gb
    if vram is None:
        from profiles.matcher import pick_gpu

        gpu = pick_gpu(load_probe(args), args.gpu)
        if gpu is not None and gpu.memory_total_bytes:
            vram = gpu.memory_total_bytes / 2**30
    a = advise(vram, Workload(args.width, args.height, args.batch, args.model_gb, args.quant))
    if args.json:
        sys.stdout.write(json.dumps(a.to_json(), indent=2, ensure_ascii=False) + "\n")
        return 0
    print(
        tr(
            "cli-match",
            "Verdict: {verdict} (about {need} GB of {vram} GB)",
            verdict=tr("advisor", a.verdict),
            need=f"{a.estimate_gb:.1f}",
            vram=f"{a.vram_gb:.1f}",
        )
    )
    print(
        tr(
            "cli-match",
            "Recommended: {w}x{h}, batch {b}, {quant}, VRAM mode {mode}",
            w=a.width,
            h=a.height,
            b=a.batch,
            quant=a.quant,
            mode=a.vram_mode,
        )
    )
    for r in a.reasons:
        print("  - " + render(r))
    print(tr("cli-match", "Sources:"))
    for s in a.sources:
        print(f"    {s}")
    return 0
